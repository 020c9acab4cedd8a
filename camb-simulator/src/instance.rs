//! A deterministic valid instance of a JSON Schema (2020-12, OpenAPI 3.1):
//! the simulator's answer to an operation it keeps no state for, as Prism
//! answers from the document. The same schema always gives the same value.
//!
//! Per schema: `const`, else the first `examples` value, else a non-null
//! `default`, else the first `enum` value; `$ref` is followed; `anyOf` and
//! `oneOf` take their first branch that is not `null`; `allOf` merges its
//! branches; an object gets every property (only the required ones below
//! a few levels, so recursive schemas end); an array one item (or its
//! `minItems`); strings follow their `format` and length bounds; numbers
//! their bounds.

use serde_json::{Map, Value, json};

use crate::openapi::Spec;

/// Where simulated files live: a reserved TLD that never resolves.
const FILES: &str = "https://storage.simulator.invalid/files";

/// How deep optional properties are still filled in.
const FULL_DEPTH: usize = 6;
/// How deep anything is generated (a required recursive property gives up
/// with `null`).
const MAX_DEPTH: usize = 24;

/// A valid instance of `schema`, whose `$ref`s point into `spec`.
pub(crate) fn instance(spec: &Spec, schema: &Value) -> Value {
    generate(spec, schema, "", 0)
}

fn generate(spec: &Spec, schema: &Value, name: &str, depth: usize) -> Value {
    let Value::Object(object) = schema else {
        // `true` (anything) or `false` (nothing: no valid value exists).
        return json!({});
    };
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(reference) = object.get("$ref").and_then(Value::as_str) {
        let target = reference
            .strip_prefix('#')
            .and_then(|pointer| spec.document.pointer(pointer));
        let target = target.cloned().unwrap_or(Value::Bool(true));
        let rest: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| key.as_str() != "$ref")
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if rest.keys().all(|key| is_annotation(key)) {
            return generate(spec, &target, name, depth + 1);
        }
        return generate(spec, &json!({"allOf": [target, rest]}), name, depth + 1);
    }
    if let Some(value) = object.get("const") {
        return value.clone();
    }
    if let Some(value) = object
        .get("examples")
        .and_then(Value::as_array)
        .and_then(|examples| examples.first())
    {
        return value.clone();
    }
    if let Some(value) = object.get("default").filter(|value| !value.is_null()) {
        return value.clone();
    }
    if let Some(value) = object
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|values| {
            values
                .iter()
                .find(|value| !value.is_null())
                .or(values.first())
        })
    {
        return value.clone();
    }
    for union in ["anyOf", "oneOf"] {
        if let Some(branches) = object.get(union).and_then(Value::as_array) {
            let branch = branches
                .iter()
                .find(|branch| !is_null_schema(spec, branch))
                .or(branches.first());
            return branch.map_or(Value::Null, |branch| {
                generate(spec, branch, name, depth + 1)
            });
        }
    }
    if let Some(branches) = object.get("allOf").and_then(Value::as_array) {
        let mut merged = Value::Null;
        for branch in branches {
            merged = merge(merged, generate(spec, branch, name, depth + 1));
        }
        let own: Map<String, Value> = object
            .iter()
            .filter(|(key, _)| key.as_str() != "allOf")
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        if own.contains_key("type") || own.contains_key("properties") {
            merged = merge(merged, generate(spec, &Value::Object(own), name, depth + 1));
        }
        return merged;
    }
    let kind = match object.get("type") {
        Some(Value::String(kind)) => kind.as_str(),
        Some(Value::Array(kinds)) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|kind| *kind != "null")
            .unwrap_or("null"),
        _ if object.contains_key("properties") => "object",
        _ if object.contains_key("items") || object.contains_key("prefixItems") => "array",
        _ => return json!({}),
    };
    match kind {
        "object" => {
            let required: Vec<&str> = object
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            let mut fields = Map::new();
            if let Some(properties) = object.get("properties").and_then(Value::as_object) {
                for (property, schema) in properties {
                    if depth <= FULL_DEPTH || required.contains(&property.as_str()) {
                        fields.insert(
                            property.clone(),
                            generate(spec, schema, property, depth + 1),
                        );
                    }
                }
            }
            Value::Object(fields)
        }
        "array" => {
            let minimum = object.get("minItems").and_then(Value::as_u64).unwrap_or(1);
            let maximum = object
                .get("maxItems")
                .and_then(Value::as_u64)
                .unwrap_or(u64::MAX);
            let count = minimum.max(1).min(maximum);
            let prefix = object.get("prefixItems").and_then(Value::as_array);
            let items = object.get("items").cloned().unwrap_or(Value::Bool(true));
            (0..count)
                .map(|index| {
                    let schema = prefix
                        .and_then(|prefix| prefix.get(index as usize))
                        .unwrap_or(&items);
                    generate(spec, schema, name, depth + 1)
                })
                .collect()
        }
        "string" => string(object, name),
        "integer" => {
            let low = bound(object, "minimum", "exclusiveMinimum", 1.0).ceil();
            let high = bound(object, "maximum", "exclusiveMaximum", f64::MAX).floor();
            json!(low.max(1.0).min(high).max(low) as i64)
        }
        "number" => {
            let low = bound(object, "minimum", "exclusiveMinimum", 0.5);
            let high = bound(object, "maximum", "exclusiveMaximum", f64::MAX);
            json!(1.5f64.max(low).min(high))
        }
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

/// A lower or upper bound (an exclusive one moved inwards a little).
fn bound(object: &Map<String, Value>, inclusive: &str, exclusive: &str, or: f64) -> f64 {
    let step = if inclusive == "minimum" { 1.0 } else { -1.0 };
    match (
        object.get(inclusive).and_then(Value::as_f64),
        object.get(exclusive).and_then(Value::as_f64),
    ) {
        (_, Some(limit)) => limit + step,
        (Some(limit), None) => limit,
        (None, None) => or,
    }
}

/// A string for its `format`, or one named after its property.
fn string(object: &Map<String, Value>, name: &str) -> Value {
    let format = object.get("format").and_then(Value::as_str).unwrap_or("");
    let mut text = match format {
        "date-time" => "2026-01-01T00:00:00Z".to_owned(),
        "date" => "2026-01-01".to_owned(),
        "time" => "00:00:00Z".to_owned(),
        "uuid" => "00000000-0000-4000-8000-000000000000".to_owned(),
        "email" => "simulator@example.com".to_owned(),
        "uri" | "url" => format!("{FILES}/{name}"),
        _ if name.ends_with("url") => format!("{FILES}/{name}"),
        _ if name.is_empty() => "simulated".to_owned(),
        _ => format!("simulated {name}"),
    };
    let minimum = object.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let maximum = object
        .get("maxLength")
        .and_then(Value::as_u64)
        .unwrap_or(u64::MAX) as usize;
    while text.chars().count() < minimum {
        text.push('x');
    }
    if text.chars().count() > maximum {
        text = text.chars().take(maximum).collect();
    }
    Value::String(text)
}

/// Whether a schema allows only `null`.
fn is_null_schema(spec: &Spec, schema: &Value) -> bool {
    spec.resolve(schema).get("type").and_then(Value::as_str) == Some("null")
}

/// Keywords that constrain nothing.
fn is_annotation(keyword: &str) -> bool {
    matches!(
        keyword,
        "title" | "description" | "examples" | "default" | "deprecated" | "readOnly" | "writeOnly"
    ) || keyword.starts_with("x-")
}

/// `b`'s object fields over `a`'s (or `b` when either is no object).
fn merge(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Object(mut a), Value::Object(b)) => {
            a.extend(b);
            Value::Object(a)
        }
        (a, Value::Null) => a,
        (_, b) => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        Spec::new(json!({"components": {"schemas": {
            "Node": {"type": "object", "required": ["id"], "properties": {
                "id": {"type": "integer", "minimum": 3},
                "child": {"anyOf": [{"$ref": "#/components/schemas/Node"}, {"type": "null"}]},
                "video_url": {"type": "string"},
                "when": {"type": "string", "format": "date-time"},
                "kind": {"enum": ["a", "b"]},
                "tags": {"type": "array", "items": {"type": "string", "minLength": 12}, "minItems": 2}
            }}
        }}}))
    }

    #[test]
    fn instances_are_valid_and_deterministic() {
        let spec = spec();
        let schema = json!({"$ref": "#/components/schemas/Node"});
        let value = instance(&spec, &schema);
        assert_eq!(value, instance(&spec, &schema));
        assert_eq!(value["id"], 3);
        assert_eq!(value["kind"], "a");
        assert_eq!(value["when"], "2026-01-01T00:00:00Z");
        assert!(
            value["video_url"]
                .as_str()
                .is_some_and(|url| url.starts_with("https://"))
        );
        assert_eq!(value["tags"].as_array().map(Vec::len), Some(2));
        assert!(value["tags"][0].as_str().is_some_and(|tag| tag.len() >= 12));
        // The recursion ends: deep down only the required `id` is filled in.
        let mut node = &value;
        let mut depth = 0;
        while node.get("child").is_some() {
            node = &node["child"];
            depth += 1;
        }
        assert!((1..10).contains(&depth), "{depth}");
    }
}
