//! Combining documents: upstream pages merge into one spec (conflicts are
//! errors), then overlays apply on top as JSON Merge Patches (RFC 7396).

use anyhow::{Result, bail};
use serde_json::{Map, Value};

use crate::pointer::Pointer;

/// One parsed input document and the file it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedDoc {
    /// The file name, used in error messages.
    pub name: String,
    /// The parsed document.
    pub doc: Value,
}

/// Deep-merges the upstream pages into one document.
///
/// Objects merge key by key; any other value must be identical in every page
/// that has it. Two different values at the same place are an error naming
/// both pages and the JSON pointer, because picking one would silently
/// discard what the other page says.
pub fn merge_pages(pages: &[NamedDoc]) -> Result<Value> {
    let Some((first, rest)) = pages.split_first() else {
        bail!("no upstream pages to merge");
    };
    let mut merged = first.doc.clone();
    for (index, page) in rest.iter().enumerate() {
        if let Err(pointer) = deep_merge(&mut merged, &page.doc, &Pointer::root()) {
            // The merged value at `pointer` came from the first earlier page that has one.
            let earlier = pages[..=index]
                .iter()
                .find(|p| p.doc.pointer(pointer.as_str()).is_some())
                .map_or("an earlier page", |p| p.name.as_str());
            bail!(
                "upstream pages {earlier} and {} disagree at {pointer}",
                page.name
            );
        }
    }
    Ok(merged)
}

/// The keywords that say what kind of schema an object is. Two objects that
/// say it differently are two different things, never to be combined key by
/// key (an inline `anyOf` merged with a `$ref` would become an intersection).
const SHAPE_KEYWORDS: [&str; 4] = ["allOf", "anyOf", "oneOf", "type"];

/// Whether `patch` must replace `target` whole instead of merging into it:
/// either is a Reference Object (`$ref`: its siblings mean nothing in 3.0 and
/// merging into one changes what it points at), or both say what schema they
/// are with different shape keywords (`allOf`, `anyOf`, `oneOf`, `type`:
/// the target has one the patch lacks).
pub fn replaces_whole(target: &Map<String, Value>, patch: &Map<String, Value>) -> bool {
    if target.contains_key("$ref") || patch.contains_key("$ref") {
        return true;
    }
    let shape = |object: &Map<String, Value>| -> Vec<&str> {
        SHAPE_KEYWORDS
            .into_iter()
            .filter(|keyword| object.contains_key(*keyword))
            .collect()
    };
    let (target_shape, patch_shape) = (shape(target), shape(patch));
    !patch_shape.is_empty()
        && target_shape
            .iter()
            .any(|keyword| !patch_shape.contains(keyword))
}

/// Merges `from` into `into`; on a conflict returns where it is.
fn deep_merge(into: &mut Value, from: &Value, at: &Pointer) -> Result<(), Pointer> {
    match (into, from) {
        (Value::Object(into), Value::Object(from))
            if into != from && (replaces_whole(into, from) || replaces_whole(from, into)) =>
        {
            Err(at.clone())
        }
        (Value::Object(into), Value::Object(from)) => {
            for (key, value) in from {
                match into.get_mut(key) {
                    Some(existing) => deep_merge(existing, value, &at.push(key))?,
                    None => {
                        into.insert(key.clone(), value.clone());
                    }
                }
            }
            Ok(())
        }
        (into, from) if *into == *from => Ok(()),
        _ => Err(at.clone()),
    }
}

/// Applies `patch` to `target` as a JSON Merge Patch (RFC 7396): objects merge
/// key by key, `null` deletes a key, anything else replaces the target whole.
/// One exception keeps the result a valid document: where
/// [`replaces_whole`] says so, the patch object replaces the target object
/// whole (its `null`s dropped, as RFC 7396 does for a new key).
///
/// Written here rather than taken from the `json-patch` crate: the whole
/// algorithm is the dozen lines of RFC 7396 section 2, and the crate would add
/// RFC 6902 machinery and its dependencies that nothing here uses.
pub fn apply_merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch) = patch else {
        *target = patch.clone();
        return;
    };
    let replace = match target {
        Value::Object(target) => replaces_whole(target, patch),
        _ => true,
    };
    if replace {
        *target = Value::Object(Map::new());
    }
    if let Value::Object(target) = target {
        for (key, value) in patch {
            if value.is_null() {
                target.remove(key);
            } else {
                apply_merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn page(name: &str, doc: Value) -> NamedDoc {
        NamedDoc {
            name: name.into(),
            doc,
        }
    }

    #[test]
    fn pages_merge_objects_and_accept_identical_values() {
        let a = page(
            "a.md",
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {}}}, "tags": ["x"]}),
        );
        let b = page(
            "b.md",
            json!({"openapi": "3.1.0", "paths": {"/b": {"get": {}}}, "tags": ["x"]}),
        );
        assert_eq!(
            merge_pages(&[a, b]).unwrap(),
            json!({"openapi": "3.1.0", "paths": {"/a": {"get": {}}, "/b": {"get": {}}}, "tags": ["x"]})
        );
    }

    #[test]
    fn a_conflict_names_both_pages_and_the_pointer() {
        let a = page(
            "status.md",
            json!({"components": {"schemas": {"S": {"type": "string"}}}}),
        );
        let b = page("other.md", json!({"paths": {}}));
        let c = page(
            "create.md",
            json!({"components": {"schemas": {"S": {"type": "integer"}}}}),
        );
        let message = merge_pages(&[a, b, c]).unwrap_err().to_string();
        assert_eq!(
            message,
            "upstream pages status.md and create.md disagree at /components/schemas/S/type"
        );
    }

    #[test]
    fn an_object_against_a_scalar_is_a_conflict_too() {
        let a = page("a.md", json!({"info": {"title": "x"}}));
        let b = page("b.md", json!({"info": "x"}));
        let message = merge_pages(&[a, b]).unwrap_err().to_string();
        assert!(
            message.contains("a.md and b.md disagree at /info"),
            "{message}"
        );
    }

    #[test]
    fn arrays_must_be_identical_they_are_not_merged_item_by_item() {
        let a = page("a.md", json!({"tags": ["x"]}));
        let b = page("b.md", json!({"tags": ["y"]}));
        assert!(merge_pages(&[a, b]).is_err());
    }

    #[test]
    fn no_pages_is_an_error() {
        assert!(merge_pages(&[]).is_err());
    }

    #[test]
    fn merge_patch_follows_rfc_7396() {
        let mut target = json!({
            "keep": 1,
            "replace": [1, 2],
            "remove": "x",
            "nested": {"a": 1, "b": 2},
            "scalar_becomes_object": 3
        });
        let patch = json!({
            "replace": [3],
            "remove": null,
            "nested": {"b": null, "c": 3},
            "scalar_becomes_object": {"x": 1},
            "added": {"y": null, "z": 1}
        });
        apply_merge_patch(&mut target, &patch);
        assert_eq!(
            target,
            json!({
                "keep": 1,
                "replace": [3],
                "nested": {"a": 1, "c": 3},
                "scalar_becomes_object": {"x": 1},
                "added": {"z": 1}
            })
        );
    }

    #[test]
    fn a_non_object_patch_replaces_the_whole_target() {
        let mut target = json!({"a": 1});
        apply_merge_patch(&mut target, &json!(["b"]));
        assert_eq!(target, json!(["b"]));
    }
}
