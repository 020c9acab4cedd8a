//! Merging pages and applying overlays never makes a schema that neither
//! input wrote: no Reference Object gains siblings, no `allOf` comes to sit
//! next to an `anyOf` (an intersection where one side meant a union).

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use xtask::merge::{NamedDoc, apply_merge_patch, merge_pages};

/// A schema as FastAPI pages and our overlay write them, at small depth.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "integer", "title": "N"})),
        Just(json!({"type": ["integer", "null"]})),
        Just(json!({"$ref": "#/components/schemas/A"})),
        Just(json!({"$ref": "#/components/schemas/B", "description": "d"})),
        Just(json!({"enum": ["x", "y"], "type": "string"})),
    ];
    leaf.prop_recursive(3, 24, 3, |inner| {
        let annotated = |schema: Value, title: Option<&'static str>| {
            let mut schema = schema;
            if let (Some(title), Value::Object(object)) = (title, &mut schema) {
                object.insert("title".into(), json!(title));
            }
            schema
        };
        prop_oneof![
            (
                prop::collection::vec(inner.clone(), 1..3),
                prop::option::of(Just("U"))
            )
                .prop_map(move |(branches, title)| annotated(json!({"anyOf": branches}), title)),
            (inner.clone(), prop::option::of(Just("W")))
                .prop_map(move |(branch, title)| annotated(json!({"allOf": [branch]}), title)),
            (inner.clone(), inner.clone(), prop::option::of(Just("O"))).prop_map(
                move |(a, b, title)| annotated(
                    json!({"type": "object", "properties": {"a": a, "b": b}}),
                    title
                )
            ),
            (inner.clone(), prop::bool::ANY).prop_map(|(schema, delete)| {
                // An overlay may also delete a key (RFC 7396 `null`).
                if delete {
                    json!({"description": null, "properties": {"a": schema}})
                } else {
                    json!({"description": "more", "properties": {"a": schema}})
                }
            }),
        ]
    })
}

fn document() -> impl Strategy<Value = Value> {
    (schema(), schema(), schema()).prop_map(|(a, b, response)| {
        json!({
            "openapi": "3.1.0",
            "paths": {"/x": {"get": {"responses": {"200": {
                "description": "ok",
                "content": {"application/json": {"schema": response}}
            }}}}},
            "components": {"schemas": {"A": a, "B": b}}
        })
    })
}

/// A value as RFC 7396 writes it into a place it did not exist: `null`s gone.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(object) => Value::Object(
            object
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect::<Map<_, _>>(),
        ),
        other => other.clone(),
    }
}

/// Every object of `doc` that has `$ref` with siblings, or `allOf` with `anyOf`.
fn suspicious(doc: &Value, at: String, found: &mut Vec<(String, Value)>) {
    match doc {
        Value::Object(object) => {
            let reference_with_siblings = object.contains_key("$ref") && object.len() > 1;
            let intersection = object.contains_key("allOf") && object.contains_key("anyOf");
            if reference_with_siblings || intersection {
                found.push((at.clone(), doc.clone()));
            }
            for (key, value) in object {
                let token = key.replace('~', "~0").replace('/', "~1");
                suspicious(value, format!("{at}/{token}"), found);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                suspicious(item, format!("{at}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// Fails unless each suspicious object of `result` is, at its place, what
/// one of `inputs` wrote there.
fn only_written_by_inputs(result: &Value, inputs: &[&Value]) -> Result<(), TestCaseError> {
    let mut found = Vec::new();
    suspicious(result, String::new(), &mut found);
    for (pointer, object) in found {
        let written = inputs
            .iter()
            .any(|input| input.pointer(&pointer).map(without_nulls) == Some(object.clone()));
        prop_assert!(
            written,
            "the merge made {object} at {pointer}, which no input wrote"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn an_overlay_never_combines_two_schemas_into_one(page in document(), overlay in document()) {
        let mut merged = page.clone();
        apply_merge_patch(&mut merged, &overlay);
        only_written_by_inputs(&merged, &[&page, &overlay])?;
    }

    #[test]
    fn pages_never_combine_two_schemas_into_one(first in document(), second in document()) {
        let pages = [
            NamedDoc { name: "a.md".into(), doc: first.clone() },
            NamedDoc { name: "b.md".into(), doc: second.clone() },
        ];
        // Disagreeing pages are an error; agreeing ones merge into what they wrote.
        if let Ok(merged) = merge_pages(&pages) {
            only_written_by_inputs(&merged, &[&first, &second])?;
        }
    }
}

#[test]
fn the_overlays_reference_replaces_an_inline_union_whole() {
    // The case that used to become `allOf: [{$ref}]` next to `anyOf`.
    let mut page = json!({"schema": {
        "anyOf": [{"$ref": "#/components/schemas/DubResult"}, {"type": "object"}],
        "title": "Response Get Dubbed Run Info"
    }});
    apply_merge_patch(
        &mut page,
        &json!({"schema": {"$ref": "#/components/schemas/DubbedRunInfo"}}),
    );
    assert_eq!(
        page,
        json!({"schema": {"$ref": "#/components/schemas/DubbedRunInfo"}})
    );
    // And the inline 422 of a page meets an overlay's reference the same way.
    let mut response = json!({"description": "Validation Error", "content": {}});
    apply_merge_patch(
        &mut response,
        &json!({"$ref": "#/components/responses/ValidationError"}),
    );
    assert_eq!(
        response,
        json!({"$ref": "#/components/responses/ValidationError"})
    );
}
