//! Overlay drift: what each overlay entry does to upstream. An entry either
//! *adds* what upstream is silent about, *overrides* what upstream says
//! (both values shown), or is *redundant* (upstream says the same, or it
//! deletes a key that is not there): so the overlay can shrink as CAMB.AI's
//! pages arrive.

use std::fmt;

use serde_json::Value;

use crate::{merge::replaces_whole, pointer::Pointer};

/// One overlay entry and what it does to the spec before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Drift {
    /// The overlay file, e.g. `spec/overlay/camb-facts.yaml`.
    pub overlay: String,
    /// Where, in the spec.
    pub pointer: Pointer,
    /// Adds, overrides or is redundant.
    pub kind: DriftKind,
}

/// What the overlay entry does to the upstream value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DriftKind {
    /// Upstream is silent here: the entry adds the value.
    Adds,
    /// Replaces (or, with `overlay: null`, deletes) what upstream says.
    Overrides {
        /// The value before the overlay.
        upstream: Value,
        /// The overlay's value.
        overlay: Value,
        /// The values are objects that are not merged key by key but
        /// replaced whole (a Reference Object, or another schema shape):
        /// a collision between two descriptions of one thing.
        whole: bool,
    },
    /// Sets what upstream already says: delete the entry.
    Redundant(Value),
    /// Deletes (`null`) a key that is not there: delete the entry.
    DeletesNothing,
}

impl DriftKind {
    /// The word the report starts the line with.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Adds => "adds",
            Self::Overrides { .. } => "overrides",
            Self::Redundant(_) | Self::DeletesNothing => "redundant",
        }
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<9} {} {}",
            self.kind.label(),
            self.overlay,
            self.pointer
        )?;
        match &self.kind {
            DriftKind::Adds => Ok(()),
            DriftKind::Overrides {
                upstream,
                overlay: Value::Null,
                ..
            } => write!(f, ": deletes upstream {}", short(upstream)),
            DriftKind::Overrides {
                upstream,
                overlay,
                whole,
            } => {
                let whole = if *whole {
                    " (replaced whole: a Reference Object or another kind of schema)"
                } else {
                    ""
                };
                let (upstream_text, overlay_text) = (short(upstream), short(overlay));
                write!(
                    f,
                    ": upstream {upstream_text} -> overlay {overlay_text}{whole}"
                )?;
                if upstream_text == overlay_text {
                    // Alike in a few words: say where they differ.
                    let (at, upstream, overlay) =
                        first_difference(upstream, overlay, Pointer::root());
                    write!(
                        f,
                        " (differ at {at}: {} -> {})",
                        short(upstream),
                        short(overlay)
                    )?;
                }
                Ok(())
            }
            DriftKind::Redundant(value) => write!(f, ": same as upstream: {}", short(value)),
            DriftKind::DeletesNothing => f.write_str(": deletes a key upstream does not have"),
        }
    }
}

/// What every entry of `patch` (the overlay `overlay`) does to `target`,
/// the spec before it. An added subtree is one entry; an object entry whose
/// every part is redundant is one redundant entry.
pub fn find(overlay: &str, target: &Value, patch: &Value) -> Vec<Drift> {
    let mut found = Vec::new();
    walk(Some(target), patch, &Pointer::root(), &mut found);
    found
        .into_iter()
        .map(|(pointer, kind)| Drift {
            overlay: overlay.to_owned(),
            pointer,
            kind,
        })
        .collect()
}

fn walk(
    target: Option<&Value>,
    patch: &Value,
    at: &Pointer,
    found: &mut Vec<(Pointer, DriftKind)>,
) {
    match (target, patch) {
        (None, Value::Null) => found.push((at.clone(), DriftKind::DeletesNothing)),
        (None, _) => found.push((at.clone(), DriftKind::Adds)),
        (Some(target), patch) if target == patch => {
            found.push((at.clone(), DriftKind::Redundant(patch.clone())))
        }
        // A merge patch object merges into an object, key by key, unless the
        // two are different kinds of thing.
        (Some(Value::Object(target_object)), Value::Object(patch_object))
            if !replaces_whole(target_object, patch_object) =>
        {
            let first = found.len();
            for (key, value) in patch_object {
                walk(target_object.get(key), value, &at.push(key), found);
            }
            // The root stays split: "the whole overlay" says too little.
            let all_redundant = *at != Pointer::root()
                && found.len() > first
                && found[first..]
                    .iter()
                    .all(|(_, kind)| matches!(kind, DriftKind::Redundant(_)));
            if all_redundant {
                found.truncate(first);
                found.push((at.clone(), DriftKind::Redundant(patch.clone())));
            }
        }
        (Some(target), patch) => found.push((
            at.clone(),
            DriftKind::Overrides {
                upstream: target.clone(),
                overlay: patch.clone(),
                whole: target.is_object() && patch.is_object(),
            },
        )),
    }
}

/// The first place (in key order) where two different values differ, and
/// the two values there (`null` for a missing one).
fn first_difference<'a>(
    a: &'a Value,
    b: &'a Value,
    at: Pointer,
) -> (Pointer, &'a Value, &'a Value) {
    const MISSING: &Value = &Value::Null;
    match (a, b) {
        (Value::Object(a_object), Value::Object(b_object)) => {
            let mut keys: Vec<&String> = a_object.keys().chain(b_object.keys()).collect();
            keys.sort();
            keys.dedup();
            for key in keys {
                let (x, y) = (
                    a_object.get(key).unwrap_or(MISSING),
                    b_object.get(key).unwrap_or(MISSING),
                );
                if x != y {
                    return first_difference(x, y, at.push(key));
                }
            }
            (at, a, b)
        }
        (Value::Array(a_items), Value::Array(b_items)) if a_items.len() == b_items.len() => {
            for (index, (x, y)) in a_items.iter().zip(b_items).enumerate() {
                if x != y {
                    return first_difference(x, y, at.push(index));
                }
            }
            (at, a, b)
        }
        _ => (at, a, b),
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
    fn an_addition_is_one_entry_at_its_top() {
        assert_eq!(
            lines(
                json!({"a": {"b": 1}}),
                json!({"a": {"c": {"x": 2}}, "d": {"e": 3}})
            ),
            ["adds      o.yaml /a/c", "adds      o.yaml /d"]
        );
    }

    #[test]
    fn an_override_shows_both_values() {
        assert_eq!(
            lines(
                json!({"s": {"type": "string", "title": "T"}}),
                json!({"s": {"type": "integer"}})
            ),
            ["overrides o.yaml /s/type: upstream \"string\" -> overlay \"integer\""]
        );
        assert_eq!(
            lines(json!({"s": 1}), json!({"s": {"type": "integer"}})),
            ["overrides o.yaml /s: upstream 1 -> overlay {\"type\":\"integer\"}"]
        );
    }

    #[test]
    fn a_reference_meeting_an_inline_schema_is_a_whole_override() {
        let upstream = json!({"s": {"anyOf": [{"type": "object"}], "title": "R"}});
        let overlay = json!({"s": {"$ref": "#/components/schemas/R"}});
        assert_eq!(
            lines(upstream, overlay),
            [
                "overrides o.yaml /s: upstream {\"anyOf\":[{\"type\":\"object\"}],\"title\":\"R\"} -> \
                 overlay {\"$ref\":\"#/components/schemas/R\"} \
                 (replaced whole: a Reference Object or another kind of schema)"
            ]
        );
    }

    #[test]
    fn a_parameter_list_is_shown_by_names() {
        let upstream = json!({"p": [{"name": "task_id", "in": "path"}]});
        let overlay =
            json!({"p": [{"name": "task_id", "in": "path"}, {"name": "run_id", "in": "query"}]});
        assert_eq!(
            lines(upstream, overlay),
            ["overrides o.yaml /p: upstream [task_id] -> overlay [task_id, run_id]"]
        );
    }

    #[test]
    fn lists_alike_by_name_say_where_they_differ() {
        let upstream = json!({"p": [{"name": "run_id", "schema": {"title": "Run Id"}}]});
        let overlay = json!({"p": [{"name": "run_id", "schema": {"title": "Run ID"}}]});
        assert_eq!(
            lines(upstream, overlay),
            [
                "overrides o.yaml /p: upstream [run_id] -> overlay [run_id] \
              (differ at /0/schema/title: \"Run Id\" -> \"Run ID\")"
            ]
        );
    }

    #[test]
    fn entries_that_change_nothing_are_redundant() {
        assert_eq!(
            lines(
                json!({"a": {"b": [1, 2], "c": "x"}}),
                json!({"a": {"b": [1, 2], "c": "y"}, "gone": null})
            ),
            [
                "redundant o.yaml /a/b: same as upstream: [1,2]",
                "overrides o.yaml /a/c: upstream \"x\" -> overlay \"y\"",
                "redundant o.yaml /gone: deletes a key upstream does not have",
            ]
        );
    }

    #[test]
    fn an_object_entry_upstream_now_says_in_full_is_one_redundant_entry() {
        assert_eq!(
            lines(
                json!({"s": {"type": "string", "title": "T", "description": "d"}}),
                json!({"s": {"type": "string", "title": "T"}})
            ),
            ["redundant o.yaml /s: same as upstream: {\"title\":\"T\",\"type\":\"string\"}"]
        );
    }

    #[test]
    fn a_deletion_of_an_upstream_value_is_an_override() {
        assert_eq!(
            lines(json!({"a": "x"}), json!({"a": null})),
            ["overrides o.yaml /a: deletes upstream \"x\""]
        );
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        let line = &lines(json!({"a": long}), json!({"a": "y"}))[0];
        assert!(line.contains(&format!("\"{}…", "x".repeat(59))), "{line}");
    }
}
