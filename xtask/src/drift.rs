//! Overlay drift: where an overlay overrides a value upstream also sets, and
//! overlay entries that change nothing. Either means upstream has moved
//! since the entry was written: it now documents the fact (the entry can
//! go), or it now says something else (check which is right).

use std::fmt;

use serde_json::Value;

use crate::pointer::Pointer;

/// One overlay entry that meets an upstream value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The overlay file, e.g. `spec/overlay/camb-facts.yaml`.
    pub overlay: String,
    /// Where, in the spec.
    pub pointer: Pointer,
    /// Override or no-op.
    pub kind: DriftKind,
}

/// What the overlay entry does to the upstream value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriftKind {
    /// Replaces (or, with `overlay: null`, deletes) what upstream says.
    Replaces {
        /// The value before the overlay.
        upstream: Value,
        /// The overlay's value.
        overlay: Value,
    },
    /// Sets what upstream already says.
    Same(Value),
    /// Deletes (`null`) a key that is not there.
    DeletesNothing,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: ", self.overlay, self.pointer)?;
        match &self.kind {
            DriftKind::Replaces {
                upstream,
                overlay: Value::Null,
            } => write!(f, "deletes upstream {}", short(upstream)),
            DriftKind::Replaces { upstream, overlay } => {
                write!(
                    f,
                    "upstream {} -> overlay {}",
                    short(upstream),
                    short(overlay)
                )
            }
            DriftKind::Same(value) => write!(f, "same as upstream: {}", short(value)),
            DriftKind::DeletesNothing => f.write_str("deletes a key upstream does not have"),
        }
    }
}

/// The drift of applying `patch` (the overlay `overlay`) to `target`, the
/// spec before it: every leaf of the patch that meets an existing value.
pub fn find(overlay: &str, target: &Value, patch: &Value) -> Vec<Drift> {
    let mut found = Vec::new();
    walk(
        Some(target),
        patch,
        &Pointer::root(),
        &mut |pointer, kind| {
            found.push(Drift {
                overlay: overlay.to_owned(),
                pointer,
                kind,
            });
        },
    );
    found
}

fn walk(
    target: Option<&Value>,
    patch: &Value,
    at: &Pointer,
    report: &mut dyn FnMut(Pointer, DriftKind),
) {
    match (target, patch) {
        // New content: no drift below.
        (None, Value::Null) => report(at.clone(), DriftKind::DeletesNothing),
        (None, _) => {}
        // A merge patch object merges into an object, key by key.
        (Some(Value::Object(target)), Value::Object(patch)) => {
            for (key, value) in patch {
                walk(target.get(key), value, &at.push(key), report);
            }
        }
        (Some(target), patch) if target == patch => {
            report(at.clone(), DriftKind::Same(patch.clone()))
        }
        (Some(target), patch) => report(
            at.clone(),
            DriftKind::Replaces {
                upstream: target.clone(),
                overlay: patch.clone(),
            },
        ),
    }
}

/// A value in a few words: a list of named objects (parameters) by name,
/// anything else as JSON cut at 60 characters.
fn short(value: &Value) -> String {
    if let Value::Array(items) = value {
        let names: Option<Vec<&str>> = items
            .iter()
            .map(|item| item.get("name")?.as_str())
            .collect();
        if let Some(names) = names.filter(|names| !names.is_empty()) {
            return format!("[{}]", names.join(", "));
        }
    }
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(target: Value, patch: Value) -> Vec<String> {
        find("o.yaml", &target, &patch)
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn additions_are_not_drift() {
        assert!(
            lines(
                json!({"a": {"b": 1}}),
                json!({"a": {"c": 2}, "d": {"e": 3}})
            )
            .is_empty()
        );
    }

    #[test]
    fn an_override_shows_both_values() {
        assert_eq!(
            lines(
                json!({"s": {"type": "string", "title": "T"}}),
                json!({"s": {"type": "integer"}})
            ),
            ["o.yaml /s/type: upstream \"string\" -> overlay \"integer\""]
        );
        assert_eq!(
            lines(json!({"s": 1}), json!({"s": {"type": "integer"}})),
            ["o.yaml /s: upstream 1 -> overlay {\"type\":\"integer\"}"]
        );
    }

    #[test]
    fn a_parameter_list_is_shown_by_names() {
        let upstream = json!({"p": [{"name": "task_id", "in": "path"}]});
        let overlay =
            json!({"p": [{"name": "task_id", "in": "path"}, {"name": "run_id", "in": "query"}]});
        assert_eq!(
            lines(upstream, overlay),
            ["o.yaml /p: upstream [task_id] -> overlay [task_id, run_id]"]
        );
    }

    #[test]
    fn entries_that_change_nothing_are_listed() {
        assert_eq!(
            lines(
                json!({"a": {"b": [1, 2], "c": "x"}}),
                json!({"a": {"b": [1, 2], "c": "y"}, "gone": null})
            ),
            [
                "o.yaml /a/b: same as upstream: [1,2]",
                "o.yaml /a/c: upstream \"x\" -> overlay \"y\"",
                "o.yaml /gone: deletes a key upstream does not have",
            ]
        );
    }

    #[test]
    fn a_deletion_of_an_upstream_value_is_an_override() {
        assert_eq!(
            lines(json!({"a": "x"}), json!({"a": null})),
            ["o.yaml /a: deletes upstream \"x\""]
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        let line = &lines(json!({"a": long}), json!({"a": "y"}))[0];
        assert!(line.contains(&format!("\"{}…", "x".repeat(59))), "{line}");
    }
}
