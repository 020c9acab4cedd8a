//! Rewrites one 3.1 Schema Object (JSON Schema 2020-12) into a 3.0.3 Schema
//! Object, then its subschemas. One rule per construct; whatever is left that
//! 3.0 does not define is an error naming the keyword's JSON pointer.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::{ConvertError, Step};
use crate::pointer::Pointer;

type Schema = Map<String, Value>;
type Rule = fn(&mut Schema, &Pointer) -> Step;

/// The rules, in order. The `null`-branch rules run first: hoisting the one
/// branch left can bring in keywords (`type`, `const`, ...) that the later
/// rules convert; `$ref` siblings run last, after a rule may have added some.
const RULES: [Rule; 11] = [
    any_of_null_to_nullable,
    one_of_null_to_nullable,
    type_array_to_nullable,
    open_enum_to_ref,
    content_to_format,
    prefix_items_to_items,
    const_to_enum,
    examples_to_example,
    exclusive_minimum_to_boolean,
    exclusive_maximum_to_boolean,
    ref_with_siblings_to_all_of,
];

/// The Schema Object keywords of OpenAPI 3.0.3 (besides `x-` extensions).
const OPENAPI_30_KEYWORDS: [&str; 36] = [
    "$ref",
    "title",
    "description",
    "type",
    "format",
    "nullable",
    "enum",
    "default",
    "example",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "deprecated",
];

/// The `type` values OpenAPI 3.0 allows.
const OPENAPI_30_TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Converts the schema at `at` and, recursively, its subschemas.
pub fn convert(value: &mut Value, at: &Pointer) -> Step {
    let schema = match value {
        Value::Object(schema) => schema,
        Value::Bool(_) => {
            return Err(ConvertError::new(
                at,
                "a boolean schema has no OpenAPI 3.0 equivalent",
            ));
        }
        _ => return Err(ConvertError::new(at, "expected a schema object")),
    };
    for rule in RULES {
        rule(schema, at)?;
    }
    check_30_keywords(schema, at)?;
    convert_subschemas(schema, at)
}

fn convert_subschemas(schema: &mut Schema, at: &Pointer) -> Step {
    for (keyword, child) in schema.iter_mut() {
        let at = at.push(keyword);
        match (keyword.as_str(), child) {
            ("properties", Value::Object(properties)) => {
                for (name, property) in properties.iter_mut() {
                    convert(property, &at.push(name))?;
                }
            }
            ("properties", _) => return Err(ConvertError::new(&at, "expected an object")),
            ("allOf" | "anyOf" | "oneOf", Value::Array(branches)) => {
                for (index, branch) in branches.iter_mut().enumerate() {
                    convert(branch, &at.push(index))?;
                }
            }
            ("allOf" | "anyOf" | "oneOf", _) => {
                return Err(ConvertError::new(&at, "expected an array"));
            }
            ("additionalProperties", Value::Bool(_)) => {}
            ("items" | "not" | "additionalProperties", child) => convert(child, &at)?,
            _ => {}
        }
    }
    Ok(())
}

/// `anyOf: [X, {type: 'null'}]` (FastAPI's `Optional[X]`): see [`null_branch_to_nullable`].
fn any_of_null_to_nullable(schema: &mut Schema, at: &Pointer) -> Step {
    null_branch_to_nullable(schema, at, "anyOf")
}

/// `oneOf: [X, {type: 'null'}]`: see [`null_branch_to_nullable`].
fn one_of_null_to_nullable(schema: &mut Schema, at: &Pointer) -> Step {
    null_branch_to_nullable(schema, at, "oneOf")
}

/// Drops the `{type: 'null'}` branches of `anyOf`/`oneOf` and sets
/// `nullable: true`. One remaining branch replaces the combinator: an inline
/// schema merges into this one (when no keyword clashes), a `$ref` becomes
/// `allOf: [{$ref}]` (3.0 ignores a `$ref`'s siblings, `nullable` included).
/// Several remaining branches stay under the combinator.
fn null_branch_to_nullable(schema: &mut Schema, at: &Pointer, combinator: &str) -> Step {
    let Some(Value::Array(branches)) = schema.get(combinator) else {
        return Ok(());
    };
    if !branches.iter().any(is_null_schema) {
        return Ok(());
    }
    let mut rest: Vec<Value> = branches
        .iter()
        .filter(|branch| !is_null_schema(branch))
        .cloned()
        .collect();
    schema.insert("nullable".into(), Value::Bool(true));
    match rest.pop() {
        None => Err(ConvertError::new(
            &at.push(combinator),
            "only `null` branches: no OpenAPI 3.0 equivalent",
        )),
        Some(only) if rest.is_empty() => {
            schema.remove(combinator);
            match only {
                Value::Object(inline)
                    if !inline.contains_key("$ref")
                        && inline.keys().all(|key| !schema.contains_key(key)) =>
                {
                    schema.extend(inline);
                    Ok(())
                }
                branch => prepend_all_of(schema, at, branch),
            }
        }
        Some(last) => {
            rest.push(last);
            schema.insert(combinator.into(), Value::Array(rest));
            Ok(())
        }
    }
}

fn is_null_schema(branch: &Value) -> bool {
    *branch == json!({"type": "null"})
}

/// `type: [T, 'null']` becomes `type: T, nullable: true`; `type: [T]` becomes `type: T`.
fn type_array_to_nullable(schema: &mut Schema, at: &Pointer) -> Step {
    let Some(Value::Array(types)) = schema.get("type") else {
        return Ok(());
    };
    let at = at.push("type");
    let mut names = Vec::new();
    let mut has_null = false;
    for name in types {
        match name.as_str() {
            Some("null") => has_null = true,
            Some(name) => names.push(name.to_owned()),
            None => return Err(ConvertError::new(&at, "a type array holds only strings")),
        }
    }
    let [name] = names.as_slice() else {
        let problem = if names.is_empty() {
            "`type: [null]` has no OpenAPI 3.0 equivalent".to_owned()
        } else {
            format!(
                "a type array with several non-null types ({}) has no OpenAPI 3.0 equivalent",
                names.join(", ")
            )
        };
        return Err(ConvertError::new(&at, problem));
    };
    schema.insert("type".into(), Value::String(name.clone()));
    if has_null {
        schema.insert("nullable".into(), Value::Bool(true));
    }
    Ok(())
}

/// A string's `contentEncoding: base64` becomes `format: byte`; a
/// `contentMediaType` of bytes (FastAPI's `UploadFile`:
/// `application/octet-stream`; `audio/wav`...) becomes `format: binary`,
/// which progenitor reads as a file or a byte stream. A media type that is
/// text (`text/*`, JSON, XML) goes: the string holds that text.
fn content_to_format(schema: &mut Schema, at: &Pointer) -> Step {
    let encoding = schema.remove("contentEncoding");
    let media_type = schema.remove("contentMediaType");
    let format = match (&encoding, &media_type) {
        (None, None) => return Ok(()),
        (Some(Value::String(encoding)), _) if encoding == "base64" => "byte",
        (Some(other), _) => {
            return Err(ConvertError::new(
                &at.push("contentEncoding"),
                format!(
                    "`contentEncoding: {other}` has no OpenAPI 3.0 format (only base64 does: `format: byte`)"
                ),
            ));
        }
        (None, Some(Value::String(media_type))) if is_text(media_type) => return Ok(()),
        (None, Some(Value::String(_))) => "binary",
        (None, Some(_)) => {
            return Err(ConvertError::new(
                &at.push("contentMediaType"),
                "expected a media type string",
            ));
        }
    };
    let keyword = if encoding.is_some() {
        "contentEncoding"
    } else {
        "contentMediaType"
    };
    if schema.get("type").is_some_and(|t| t != "string") {
        return Err(ConvertError::new(
            &at.push(keyword),
            format!("`{keyword}` on a schema that is not `type: string`"),
        ));
    }
    match schema.get("format") {
        Some(existing) if existing != format => Err(ConvertError::new(
            &at.push("format"),
            format!("`format: {existing}` next to `{keyword}`, which means `format: {format}`"),
        )),
        _ => {
            schema.insert("type".into(), "string".into());
            schema.insert("format".into(), format.into());
            Ok(())
        }
    }
}

/// Whether a `contentMediaType` is text rather than bytes.
fn is_text(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or("").trim();
    essence.starts_with("text/")
        || essence == "application/json"
        || essence == "application/xml"
        || essence.ends_with("+json")
        || essence.ends_with("+xml")
}

/// `const: V` becomes `enum: [V]`.
fn const_to_enum(schema: &mut Schema, at: &Pointer) -> Step {
    let Some(value) = schema.remove("const") else {
        return Ok(());
    };
    let at = at.push("const");
    if let Some(values) = schema.get("enum") {
        // Some generators write a `Literal` both ways; the same one value is fine.
        if *values == json!([value]) {
            return Ok(());
        }
        return Err(ConvertError::new(
            &at,
            "`const` next to `enum` has no single OpenAPI 3.0 equivalent",
        ));
    }
    if value.is_null() {
        return Err(ConvertError::new(
            &at,
            "`const: null` has no OpenAPI 3.0 equivalent",
        ));
    }
    schema.insert("enum".into(), json!([value]));
    Ok(())
}

/// A tuple (`prefixItems: [A, B]`, pydantic's `tuple[A, B]`) becomes an
/// array of `anyOf: [A, B]`: 3.0 has no per-position item schemas, so the
/// positions are lost but every item still has one of the declared types
/// (`minItems`/`maxItems` stay). Trailing `items: C` joins the branches;
/// `items: false` (nothing after the prefix) goes, `maxItems` says it.
fn prefix_items_to_items(schema: &mut Schema, at: &Pointer) -> Step {
    let Some(prefix) = schema.remove("prefixItems") else {
        return Ok(());
    };
    let Value::Array(mut branches) = prefix else {
        return Err(ConvertError::new(
            &at.push("prefixItems"),
            "expected an array",
        ));
    };
    match schema.remove("items") {
        None | Some(Value::Bool(false)) => {}
        Some(rest @ Value::Object(_)) => branches.push(rest),
        Some(_) => {
            return Err(ConvertError::new(
                &at.push("items"),
                "expected a schema or `false` after `prefixItems`",
            ));
        }
    }
    let mut distinct: Vec<Value> = Vec::new();
    for branch in branches {
        if !distinct.contains(&branch) {
            distinct.push(branch);
        }
    }
    let items = match <[Value; 1]>::try_from(distinct) {
        Ok([only]) => only,
        Err(distinct) if distinct.is_empty() => return Ok(()),
        Err(distinct) => json!({ "anyOf": distinct }),
    };
    schema.insert("items".into(), items);
    Ok(())
}

/// A schema's `examples: [A, ...]` becomes `example: A` (3.0 has room for one).
fn examples_to_example(schema: &mut Schema, at: &Pointer) -> Step {
    let Some(examples) = schema.remove("examples") else {
        return Ok(());
    };
    let at = at.push("examples");
    let Value::Array(examples) = examples else {
        return Err(ConvertError::new(
            &at,
            "a schema's `examples` must be an array",
        ));
    };
    if schema.contains_key("example") {
        return Err(ConvertError::new(
            &at,
            "`examples` next to `example`: keep one of them",
        ));
    }
    if let Some(first) = examples.into_iter().next() {
        schema.insert("example".into(), first);
    }
    Ok(())
}

/// Numeric `exclusiveMinimum: N` becomes `minimum: N, exclusiveMinimum: true`.
fn exclusive_minimum_to_boolean(schema: &mut Schema, _at: &Pointer) -> Step {
    exclusive_bound_to_boolean(schema, "exclusiveMinimum", "minimum", Ordering::Greater);
    Ok(())
}

/// Numeric `exclusiveMaximum: N` becomes `maximum: N, exclusiveMaximum: true`.
fn exclusive_maximum_to_boolean(schema: &mut Schema, _at: &Pointer) -> Step {
    exclusive_bound_to_boolean(schema, "exclusiveMaximum", "maximum", Ordering::Less);
    Ok(())
}

/// 3.1 lets both bounds stand side by side; 3.0 has one bound and a flag.
/// When the inclusive bound is `stricter` (its order against the exclusive
/// one), it already implies the exclusive one, which then goes.
fn exclusive_bound_to_boolean(
    schema: &mut Schema,
    exclusive: &str,
    inclusive: &str,
    stricter: Ordering,
) {
    let Some(Value::Number(limit)) = schema.get(exclusive) else {
        return;
    };
    let limit = limit.clone();
    let inclusive_is_stricter = schema
        .get(inclusive)
        .and_then(Value::as_f64)
        .zip(limit.as_f64())
        .is_some_and(|(bound, limit)| bound.partial_cmp(&limit) == Some(stricter));
    if inclusive_is_stricter {
        schema.remove(exclusive);
    } else {
        schema.insert(inclusive.into(), Value::Number(limit));
        schema.insert(exclusive.into(), Value::Bool(true));
    }
}

/// `anyOf: [{$ref: E}, {type: string}]` (either order): a value of the
/// string enum `E` or any other string, as Fern's SDKs read CAMB.AI's enums
/// (`Union[Literal[...], Any]`). 3.0 tools would make the `anyOf` a union of
/// an enum and a string; the client's own type says it better: `E` is
/// marked `x-open-enum: true` (the document's check,
/// [`unmarked_open_enum`], refuses it otherwise), so camb-codegen generates
/// it open (`Unknown(String)` for the rest), and the schema becomes `$ref: E`.
fn open_enum_to_ref(schema: &mut Schema, at: &Pointer) -> Step {
    let Some(Value::Array(branches)) = schema.get("anyOf") else {
        return Ok(());
    };
    let Some(reference) = open_enum_reference(branches).map(str::to_owned) else {
        return Ok(());
    };
    if schema.contains_key("$ref") || schema.contains_key("type") {
        return Err(ConvertError::new(
            &at.push("anyOf"),
            "an open enum (`anyOf: [$ref, {type: string}]`) next to its own `$ref` or `type`",
        ));
    }
    schema.remove("anyOf");
    schema.insert("$ref".into(), Value::String(reference));
    Ok(())
}

/// The `$ref` of an open enum's `anyOf` branches: one `{$ref}` and one
/// `{type: string}`, in either order, besides any `{type: 'null'}`.
pub(super) fn open_enum_reference(branches: &[Value]) -> Option<&str> {
    let any_string = json!({"type": "string"});
    let branches: Vec<&Value> = branches.iter().filter(|b| !is_null_schema(b)).collect();
    match branches.as_slice() {
        [Value::Object(one), other] | [other, Value::Object(one)]
            if **other == any_string && one.len() == 1 =>
        {
            one.get("$ref").and_then(Value::as_str)
        }
        _ => None,
    }
}

/// The first schema of the 3.1 `document` that reads a component as an open
/// enum (`anyOf: [$ref, {type: string}]`) although the component is not
/// marked `x-open-enum: true`, with where it is: the generated client would
/// refuse the values the document accepts.
pub(super) fn unmarked_open_enum(document: &Value) -> Option<(Pointer, String)> {
    fn walk(value: &Value, at: &Pointer, document: &Value) -> Option<(Pointer, String)> {
        match value {
            Value::Object(object) => {
                if let Some(Value::Array(branches)) = object.get("anyOf")
                    && let Some(reference) = open_enum_reference(branches)
                {
                    let marked = Pointer::from_local_ref(reference)
                        .and_then(|pointer| document.pointer(pointer.as_str()))
                        .and_then(|target| target.get(camb_codegen::OPEN_ENUM))
                        == Some(&Value::Bool(true));
                    if !marked {
                        return Some((at.push("anyOf"), reference.to_owned()));
                    }
                }
                object
                    .iter()
                    .find_map(|(key, value)| walk(value, &at.push(key), document))
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(index, item)| walk(item, &at.push(index), document)),
            _ => None,
        }
    }
    walk(document, &Pointer::root(), document)
}

/// `{$ref, description, ...}` becomes `{allOf: [{$ref}], description, ...}`:
/// 3.0 ignores everything next to a `$ref`.
fn ref_with_siblings_to_all_of(schema: &mut Schema, at: &Pointer) -> Step {
    if schema.len() < 2 {
        return Ok(());
    }
    match schema.remove("$ref") {
        Some(reference) => prepend_all_of(schema, at, json!({ "$ref": reference })),
        None => Ok(()),
    }
}

fn prepend_all_of(schema: &mut Schema, at: &Pointer, branch: Value) -> Step {
    match schema
        .entry("allOf")
        .or_insert_with(|| Value::Array(Vec::new()))
    {
        Value::Array(all_of) => {
            all_of.insert(0, branch);
            Ok(())
        }
        _ => Err(ConvertError::new(&at.push("allOf"), "expected an array")),
    }
}

/// Everything left must be a 3.0 keyword with a 3.0-shaped value.
fn check_30_keywords(schema: &Schema, at: &Pointer) -> Step {
    for (keyword, value) in schema {
        let at = at.push(keyword);
        if keyword.starts_with("x-") {
            continue;
        }
        if !OPENAPI_30_KEYWORDS.contains(&keyword.as_str()) {
            return Err(ConvertError::new(
                &at,
                format!(
                    "`{keyword}` has no OpenAPI 3.0 equivalent{}",
                    keyword_hint(keyword)
                ),
            ));
        }
        let problem = match (keyword.as_str(), value) {
            ("type", Value::String(name)) if name == "null" => {
                "`type: null` has no OpenAPI 3.0 equivalent outside a nullable anyOf/oneOf"
            }
            ("type", Value::String(name)) if !OPENAPI_30_TYPES.contains(&name.as_str()) => {
                "unknown type"
            }
            ("type", value) if !value.is_string() => "expected a type name",
            ("items", value) if !value.is_object() => {
                "an `items` array (tuple validation) has no OpenAPI 3.0 equivalent"
            }
            ("exclusiveMinimum" | "exclusiveMaximum", value) if !value.is_boolean() => {
                "expected a number or a boolean"
            }
            ("nullable", value) if !value.is_boolean() => "expected a boolean",
            _ => continue,
        };
        return Err(ConvertError::new(&at, problem));
    }
    Ok(())
}

/// What to write instead, for the 3.1 keywords people meet most.
fn keyword_hint(keyword: &str) -> &'static str {
    match keyword {
        "$defs" | "definitions" => "; move the definitions to components/schemas",
        "if" | "then" | "else" => " (conditional schemas)",
        "patternProperties" => "; only `additionalProperties` exists in 3.0",
        "unevaluatedProperties" | "unevaluatedItems" | "dependentSchemas" | "dependentRequired" => {
            " (JSON Schema 2019-09+)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(mut schema: Value) -> Value {
        convert(&mut schema, &Pointer::root().push("s")).unwrap();
        schema
    }

    fn error_pointer(mut schema: Value) -> String {
        let original = schema.clone();
        let error = convert(&mut schema, &Pointer::root().push("s"))
            .expect_err(&format!("{original} converted"));
        error.pointer.as_str().to_owned()
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            converted(json!({"type": ["integer", "null"], "title": "Run ID"})),
            json!({"type": "integer", "nullable": true, "title": "Run ID"})
        );
        assert_eq!(
            converted(json!({"type": ["string"]})),
            json!({"type": "string"})
        );
    }

    #[test]
    fn any_of_with_a_null_branch_and_one_inline_branch_merges_it() {
        assert_eq!(
            converted(json!({"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "T"})),
            json!({"type": "integer", "nullable": true, "title": "T"})
        );
    }

    #[test]
    fn a_merged_branch_is_converted_too() {
        assert_eq!(
            converted(json!({"anyOf": [{"const": "a", "type": "string"}, {"type": "null"}]})),
            json!({"type": "string", "enum": ["a"], "nullable": true})
        );
    }

    #[test]
    fn an_inline_branch_that_clashes_with_the_parent_goes_under_all_of() {
        assert_eq!(
            converted(
                json!({"anyOf": [{"type": "string", "title": "A"}, {"type": "null"}], "title": "B"})
            ),
            json!({"allOf": [{"type": "string", "title": "A"}], "nullable": true, "title": "B"})
        );
    }

    #[test]
    fn any_of_with_a_null_branch_and_a_ref_becomes_all_of() {
        assert_eq!(
            converted(json!({
                "anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "null"}],
                "description": "d"
            })),
            json!({
                "allOf": [{"$ref": "#/components/schemas/E"}],
                "nullable": true,
                "description": "d"
            })
        );
    }

    #[test]
    fn one_of_with_a_null_branch_and_a_ref_becomes_all_of() {
        assert_eq!(
            converted(json!({"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/E"}]})),
            json!({"allOf": [{"$ref": "#/components/schemas/E"}], "nullable": true})
        );
    }

    #[test]
    fn several_remaining_branches_stay_under_the_combinator() {
        assert_eq!(
            converted(json!({"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]})),
            json!({"anyOf": [{"type": "string"}, {"type": "object"}], "nullable": true})
        );
        assert_eq!(
            converted(json!({"oneOf": [{"$ref": "#/a"}, {"type": "null"}, {"$ref": "#/b"}]})),
            json!({"oneOf": [{"$ref": "#/a"}, {"$ref": "#/b"}], "nullable": true})
        );
    }

    #[test]
    fn any_of_without_null_is_untouched() {
        let schema = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        assert_eq!(converted(schema.clone()), schema);
    }

    #[test]
    fn const_becomes_a_single_value_enum() {
        assert_eq!(
            converted(json!({"type": "string", "const": "dub"})),
            json!({"type": "string", "enum": ["dub"]})
        );
    }

    #[test]
    fn const_next_to_the_same_single_value_enum_is_just_the_enum() {
        assert_eq!(
            converted(json!({"const": "a", "enum": ["a"], "type": "string"})),
            json!({"enum": ["a"], "type": "string"})
        );
    }

    #[test]
    fn a_tuple_becomes_an_array_of_any_of_its_item_types() {
        assert_eq!(
            converted(json!({
                "type": "array",
                "prefixItems": [{"type": "integer"}, {"type": ["string", "null"]}],
                "minItems": 2,
                "maxItems": 2
            })),
            json!({
                "type": "array",
                "items": {"anyOf": [{"type": "integer"}, {"type": "string", "nullable": true}]},
                "minItems": 2,
                "maxItems": 2
            })
        );
        // Repeated types collapse; trailing `items` joins; `items: false` goes.
        assert_eq!(
            converted(
                json!({"prefixItems": [{"type": "integer"}, {"type": "integer"}], "items": false})
            ),
            json!({"items": {"type": "integer"}})
        );
        assert_eq!(
            converted(json!({"prefixItems": [{"type": "integer"}], "items": {"type": "string"}})),
            json!({"items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}})
        );
        assert_eq!(converted(json!({"prefixItems": []})), json!({}));
    }

    #[test]
    fn an_optional_tuple_is_converted_after_its_branch_is_merged() {
        assert_eq!(
            converted(json!({"anyOf": [
                {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string"}]},
                {"type": "null"}
            ]})),
            json!({
                "type": "array",
                "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]},
                "nullable": true
            })
        );
    }

    #[test]
    fn examples_becomes_example_with_the_first_item() {
        assert_eq!(
            converted(json!({"type": "integer", "examples": [3, 4]})),
            json!({"type": "integer", "example": 3})
        );
        assert_eq!(
            converted(json!({"type": "integer", "examples": []})),
            json!({"type": "integer"})
        );
    }

    #[test]
    fn numeric_exclusive_minimum_becomes_minimum_and_a_flag() {
        assert_eq!(
            converted(json!({"type": "integer", "exclusiveMinimum": 0})),
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn numeric_exclusive_maximum_becomes_maximum_and_a_flag() {
        assert_eq!(
            converted(json!({"type": "number", "exclusiveMaximum": 1.5})),
            json!({"type": "number", "maximum": 1.5, "exclusiveMaximum": true})
        );
    }

    #[test]
    fn the_stricter_of_two_bounds_wins() {
        // x >= 5 already implies x > 0.
        assert_eq!(
            converted(json!({"minimum": 5, "exclusiveMinimum": 0})),
            json!({"minimum": 5})
        );
        // x > 5 is stricter than x >= 0.
        assert_eq!(
            converted(json!({"minimum": 0, "exclusiveMinimum": 5})),
            json!({"minimum": 5, "exclusiveMinimum": true})
        );
        assert_eq!(
            converted(json!({"maximum": 5, "exclusiveMaximum": 10})),
            json!({"maximum": 5})
        );
    }

    #[test]
    fn boolean_exclusive_bounds_are_already_3_0() {
        let schema = json!({"minimum": 1, "exclusiveMinimum": true});
        assert_eq!(converted(schema.clone()), schema);
    }

    #[test]
    fn a_ref_with_siblings_becomes_all_of() {
        assert_eq!(
            converted(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "description": "d"})
        );
        let alone = json!({"$ref": "#/components/schemas/T"});
        assert_eq!(converted(alone.clone()), alone);
    }

    #[test]
    fn subschemas_are_converted() {
        assert_eq!(
            converted(json!({
                "properties": {"a": {"type": ["string", "null"]}},
                "items": {"const": 1},
                "additionalProperties": {"examples": [1]},
                "allOf": [{"type": ["integer", "null"]}],
                "not": {"const": 2}
            })),
            json!({
                "properties": {"a": {"type": "string", "nullable": true}},
                "items": {"enum": [1]},
                "additionalProperties": {"example": 1},
                "allOf": [{"type": "integer", "nullable": true}],
                "not": {"enum": [2]}
            })
        );
    }

    #[test]
    fn fastapi_constructs_that_are_valid_3_0_pass_unchanged() {
        let cases = [
            // IntEnum.
            json!({"type": "integer", "enum": [1, 76, 31], "title": "Language"}),
            // `Speed = Speed.NORMAL` inline, and `Literal["a", "b"] = "a"`.
            json!({"type": "string", "enum": ["slow", "normal"], "default": "normal"}),
            // dict[str, Model] and dict[str, Any].
            json!({"type": "object", "additionalProperties": {"$ref": "#/components/schemas/M"}}),
            json!({"type": "object", "additionalProperties": true, "default": {}}),
            // Model | dict[str, Model].
            json!({"anyOf": [
                {"$ref": "#/components/schemas/M"},
                {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/M"}}
            ]}),
            // Cat | Dog, discriminated, and a $ref with an inline object.
            json!({
                "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
                "discriminator": {"propertyName": "pet_type"}
            }),
            json!({"anyOf": [{"$ref": "#/components/schemas/Cat"}, {"type": "object", "properties": {"n": {"type": "integer"}}}]}),
            // Field(deprecated=True).
            json!({"type": "string", "deprecated": true}),
        ];
        for schema in cases {
            assert_eq!(converted(schema.clone()), schema);
        }
    }

    #[test]
    fn nullables_nested_in_arrays_and_maps_are_converted_where_they_are() {
        // list[int | None], dict[str, Model | None], dict[str, list[str | None]] | None.
        assert_eq!(
            converted(
                json!({"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "null"}]}})
            ),
            json!({"type": "array", "items": {"type": "integer", "nullable": true}})
        );
        assert_eq!(
            converted(json!({"type": "object", "additionalProperties": {
                "anyOf": [{"$ref": "#/components/schemas/M"}, {"type": "null"}]
            }})),
            json!({"type": "object", "additionalProperties": {
                "allOf": [{"$ref": "#/components/schemas/M"}], "nullable": true
            }})
        );
        assert_eq!(
            converted(json!({"anyOf": [
                {"type": "object", "additionalProperties": {"type": "array", "items": {"type": ["string", "null"]}}},
                {"type": "null"}
            ]})),
            json!({
                "type": "object",
                "nullable": true,
                "additionalProperties": {"type": "array", "items": {"type": "string", "nullable": true}}
            })
        );
    }

    #[test]
    fn a_property_named_like_a_keyword_is_just_a_property() {
        let schema =
            json!({"properties": {"const": {"type": "string"}, "examples": {"type": "string"}}});
        assert_eq!(converted(schema.clone()), schema);
    }

    #[test]
    fn default_and_enum_values_are_data_not_schemas() {
        let schema = json!({"default": {"const": 1}, "enum": [{"type": ["a", "null"]}]});
        assert_eq!(converted(schema.clone()), schema);
    }

    #[test]
    fn unconvertible_constructs_are_errors_at_their_pointer() {
        let cases = [
            (json!({"type": ["string", "integer"]}), "/s/type"),
            (json!({"type": ["string", "integer", "null"]}), "/s/type"),
            (json!({"type": ["null"]}), "/s/type"),
            (json!({"type": "null"}), "/s/type"),
            (json!({"anyOf": [{"type": "null"}]}), "/s/anyOf"),
            (json!({"prefixItems": {}}), "/s/prefixItems"),
            (json!({"prefixItems": [], "items": true}), "/s/items"),
            (json!({"items": [{"type": "string"}]}), "/s/items"),
            (json!({"$defs": {"a": {}}}), "/s/$defs"),
            (json!({"if": {}, "then": {}, "else": {}}), "/s/else"),
            (
                json!({"unevaluatedProperties": false}),
                "/s/unevaluatedProperties",
            ),
            (json!({"dependentSchemas": {}}), "/s/dependentSchemas"),
            (json!({"dependentRequired": {}}), "/s/dependentRequired"),
            (json!({"patternProperties": {}}), "/s/patternProperties"),
            (json!({"propertyNames": {}}), "/s/propertyNames"),
            (json!({"contains": {}}), "/s/contains"),
            (
                json!({"type": "integer", "contentMediaType": "image/png"}),
                "/s/contentMediaType",
            ),
            (
                json!({"type": "string", "contentEncoding": "base32"}),
                "/s/contentEncoding",
            ),
            (
                json!({"type": "string", "format": "uuid", "contentMediaType": "audio/wav"}),
                "/s/format",
            ),
            (json!({"contentMediaType": 1}), "/s/contentMediaType"),
            (
                json!({"contentMediaType": "application/json", "contentSchema": {}}),
                "/s/contentSchema",
            ),
            (json!({"$dynamicRef": "#x"}), "/s/$dynamicRef"),
            (json!({"const": null}), "/s/const"),
            (json!({"const": 1, "enum": [1, 2]}), "/s/const"),
            (json!({"examples": {"a": 1}}), "/s/examples"),
            (json!({"examples": [1], "example": 1}), "/s/examples"),
            (json!({"exclusiveMinimum": "0"}), "/s/exclusiveMinimum"),
            (
                json!({"properties": {"a": {"prefixItems": [{"type": "null"}]}}}),
                "/s/properties/a/items/type",
            ),
            (json!({"allOf": [{"type": "object"}, true]}), "/s/allOf/1"),
            (json!({"anyOf": {}}), "/s/anyOf"),
            (json!({"items": {"type": ["a", "b"]}}), "/s/items/type"),
        ];
        for (schema, pointer) in cases {
            assert_eq!(error_pointer(schema.clone()), pointer, "{schema}");
        }
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let mut schema = json!({"$defs": {}});
        let error = convert(&mut schema, &Pointer::root().push("s")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot convert to OpenAPI 3.0 at /s/$defs: \
             `$defs` has no OpenAPI 3.0 equivalent; move the definitions to components/schemas"
        );
        let mut schema = json!(false);
        let error = convert(&mut schema, &Pointer::root().push("s")).unwrap_err();
        assert!(error.problem.contains("boolean schema"));
    }

    #[test]
    fn open_enums_become_their_open_type() {
        let open =
            json!({"anyOf": [{"$ref": "#/components/schemas/TaskStatus"}, {"type": "string"}]});
        assert_eq!(
            converted(open),
            json!({"$ref": "#/components/schemas/TaskStatus"})
        );
        // The status page's order, with `null` and a title (FastAPI's Optional).
        let nullable = json!({"anyOf": [
            {"type": "string"}, {"$ref": "#/components/schemas/ExceptionReason"}, {"type": "null"}
        ], "title": "Exception Reason"});
        assert_eq!(
            converted(nullable),
            json!({"allOf": [{"$ref": "#/components/schemas/ExceptionReason"}], "nullable": true, "title": "Exception Reason"})
        );
        // Anything else is no open enum and stays a union.
        let union =
            json!({"anyOf": [{"$ref": "#/components/schemas/TaskStatus"}, {"type": "integer"}]});
        assert_eq!(converted(union.clone()), union);
    }

    #[test]
    fn an_open_enum_the_document_does_not_mark_is_found() {
        let use_of = |name: &str| json!({"anyOf": [{"type": "string"}, {"$ref": format!("#/components/schemas/{name}")}, {"type": "null"}]});
        let document = json!({"components": {"schemas": {
            "Open": {"type": "string", "enum": ["A"], "x-open-enum": true},
            "Closed": {"type": "string", "enum": ["B"]},
            "Uses": {"properties": {"fine": use_of("Open"), "wrong": use_of("Closed")}}
        }}});
        let (at, reference) = unmarked_open_enum(&document).unwrap();
        assert_eq!(
            at.as_str(),
            "/components/schemas/Uses/properties/wrong/anyOf"
        );
        assert_eq!(reference, "#/components/schemas/Closed");
        let mut marked = document.clone();
        marked["components"]["schemas"]["Closed"]["x-open-enum"] = json!(true);
        assert_eq!(unmarked_open_enum(&marked), None);
    }

    #[test]
    fn bytes_by_media_type_or_encoding_become_binary_or_byte_formats() {
        // FastAPI 3.1: an `UploadFile` field, a binary answer, base64 bytes.
        let upload = json!({"type": "string", "contentMediaType": "application/octet-stream", "title": "File"});
        assert_eq!(
            converted(upload),
            json!({"type": "string", "format": "binary", "title": "File"})
        );
        let nullable_upload = json!({"anyOf": [{"type": "string", "contentMediaType": "application/octet-stream"}, {"type": "null"}]});
        assert_eq!(
            converted(nullable_upload),
            json!({"type": "string", "format": "binary", "nullable": true})
        );
        let audio = json!({"contentMediaType": "audio/wav"});
        assert_eq!(
            converted(audio),
            json!({"type": "string", "format": "binary"})
        );
        let already =
            json!({"type": "string", "format": "binary", "contentMediaType": "video/mp4"});
        assert_eq!(
            converted(already),
            json!({"type": "string", "format": "binary"})
        );
        let base64 =
            json!({"type": "string", "contentEncoding": "base64", "contentMediaType": "image/png"});
        assert_eq!(
            converted(base64),
            json!({"type": "string", "format": "byte"})
        );
        // A string that holds text stays a string.
        let text = json!({"type": "string", "contentMediaType": "text/vtt"});
        assert_eq!(converted(text), json!({"type": "string"}));
        let json_text =
            json!({"type": "string", "contentMediaType": "application/ld+json; charset=utf-8"});
        assert_eq!(converted(json_text), json!({"type": "string"}));
    }

    #[test]
    fn extensions_pass_through() {
        let schema = json!({"type": "string", "x-anything": {"const": 1}});
        assert_eq!(converted(schema.clone()), schema);
    }
}
