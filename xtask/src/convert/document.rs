//! Walks the OpenAPI object tree (root, path items, operations, parameters,
//! media types, components, ...) and hands every Schema Object to
//! [`schema::convert`]. Only schema positions are rewritten: an `examples` map
//! on a Media Type or Parameter Object is valid 3.0 and stays as it is.

use serde_json::{Map, Value};

use super::{ConvertError, Step, schema};
use crate::{HTTP_METHODS, pointer::Pointer};

/// The version every converted document declares.
pub const OPENAPI_30_VERSION: &str = "3.0.3";

/// A function that converts one kind of OpenAPI object in place.
type Visit = fn(&mut Value, &Pointer) -> Step;

/// Converts a whole 3.1 document to 3.0.3 in place.
pub fn convert(doc: &mut Value) -> Step {
    let root = Pointer::root();
    let object = as_object(doc, &root)?;
    convert_version(object, &root)?;
    reject_31_only_fields(object, &root, &["webhooks", "jsonSchemaDialect"])?;
    if let Some(info) = object.get_mut("info") {
        let at = root.push("info");
        let info = as_object(info, &at)?;
        reject_31_only_fields(info, &at, &["summary"])?;
        if let Some(license) = info.get_mut("license") {
            let at = at.push("license");
            reject_31_only_fields(as_object(license, &at)?, &at, &["identifier"])?;
        }
    }
    each_entry(object, "paths", &root, path_item)?;
    if let Some(components) = object.get_mut("components") {
        convert_components(components, &root.push("components"))?;
    }
    Ok(())
}

/// `openapi: 3.1.x` becomes `openapi: 3.0.3`; any other version is an error.
fn convert_version(root: &mut Map<String, Value>, at: &Pointer) -> Step {
    let at = at.push("openapi");
    match root.get("openapi").and_then(Value::as_str) {
        Some(version) if version.starts_with("3.1.") => {
            root.insert("openapi".into(), OPENAPI_30_VERSION.into());
            Ok(())
        }
        Some(version) => Err(ConvertError::new(
            &at,
            format!("expected an OpenAPI 3.1.x document, found version {version:?}"),
        )),
        None => Err(ConvertError::new(&at, "missing OpenAPI version string")),
    }
}

fn convert_components(components: &mut Value, at: &Pointer) -> Step {
    let object = as_object(components, at)?;
    reject_31_only_fields(object, at, &["pathItems"])?;
    each_entry(object, "schemas", at, schema::convert)?;
    each_entry(object, "responses", at, response)?;
    each_entry(object, "parameters", at, parameter)?;
    each_entry(object, "requestBodies", at, request_body)?;
    each_entry(object, "headers", at, parameter)?;
    each_entry(object, "callbacks", at, callback)
}

fn path_item(value: &mut Value, at: &Pointer) -> Step {
    let Some(object) = unless_reference(value, at)? else {
        return Ok(());
    };
    each_item(object, "parameters", at, parameter)?;
    for method in HTTP_METHODS {
        if let Some(operation_value) = object.get_mut(method) {
            operation(operation_value, &at.push(method))?;
        }
    }
    Ok(())
}

fn operation(value: &mut Value, at: &Pointer) -> Step {
    let object = as_object(value, at)?;
    each_item(object, "parameters", at, parameter)?;
    if let Some(body) = object.get_mut("requestBody") {
        request_body(body, &at.push("requestBody"))?;
    }
    each_entry(object, "responses", at, response)?;
    each_entry(object, "callbacks", at, callback)
}

fn callback(value: &mut Value, at: &Pointer) -> Step {
    let Some(object) = unless_reference(value, at)? else {
        return Ok(());
    };
    for (expression, item) in object.iter_mut() {
        path_item(item, &at.push(expression))?;
    }
    Ok(())
}

/// A Parameter Object, or a Header Object (the same shape without `name`/`in`).
fn parameter(value: &mut Value, at: &Pointer) -> Step {
    let Some(object) = unless_reference(value, at)? else {
        return Ok(());
    };
    if let Some(schema_value) = object.get_mut("schema") {
        schema::convert(schema_value, &at.push("schema"))?;
        not_nullable(schema_value);
    }
    each_entry(object, "content", at, media_type)
}

/// A parameter's schema is never nullable: a query, header, path or cookie
/// parameter is absent or has a value, there is no `null` to send. FastAPI's
/// `X | None` parameter (`anyOf: [X, {type: 'null'}]`) means "optional",
/// which `required: false` already says; left nullable, progenitor
/// generates `Option<Option<X>>`, which does not compile for headers.
/// `{allOf: [S], nullable: true}` (a nullable `$ref`) becomes `S` itself.
fn not_nullable(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    object.remove("nullable");
    if object.len() == 1
        && let Some(Value::Array(all_of)) = object.get_mut("allOf")
        && all_of.len() == 1
    {
        let only = all_of.remove(0);
        *schema = only;
    }
}

fn request_body(value: &mut Value, at: &Pointer) -> Step {
    let Some(object) = unless_reference(value, at)? else {
        return Ok(());
    };
    each_entry(object, "content", at, media_type)
}

fn response(value: &mut Value, at: &Pointer) -> Step {
    let Some(object) = unless_reference(value, at)? else {
        return Ok(());
    };
    each_entry(object, "headers", at, parameter)?;
    each_entry(object, "content", at, media_type)
}

fn media_type(value: &mut Value, at: &Pointer) -> Step {
    let object = as_object(value, at)?;
    if let Some(schema_value) = object.get_mut("schema") {
        schema::convert(schema_value, &at.push("schema"))?;
    }
    each_entry(object, "encoding", at, encoding)
}

fn encoding(value: &mut Value, at: &Pointer) -> Step {
    each_entry(as_object(value, at)?, "headers", at, parameter)
}

/// The object's fields, or `None` for a Reference Object (converted where it
/// points). 3.1 lets a reference carry `summary`/`description`; 3.0 does not.
fn unless_reference<'a>(
    value: &'a mut Value,
    at: &Pointer,
) -> Result<Option<&'a mut Map<String, Value>>, ConvertError> {
    let object = as_object(value, at)?;
    if !object.contains_key("$ref") {
        return Ok(Some(object));
    }
    match object.keys().find(|key| *key != "$ref") {
        Some(sibling) => Err(ConvertError::new(
            &at.push(sibling),
            "a Reference Object with sibling fields is OpenAPI 3.1 only",
        )),
        None => Ok(None),
    }
}

fn reject_31_only_fields(object: &Map<String, Value>, at: &Pointer, fields: &[&str]) -> Step {
    match fields.iter().find(|field| object.contains_key(**field)) {
        Some(field) => Err(ConvertError::new(
            &at.push(field),
            format!("`{field}` is OpenAPI 3.1 only"),
        )),
        None => Ok(()),
    }
}

fn as_object<'a>(
    value: &'a mut Value,
    at: &Pointer,
) -> Result<&'a mut Map<String, Value>, ConvertError> {
    value
        .as_object_mut()
        .ok_or_else(|| ConvertError::new(at, "expected an object"))
}

/// Visits every value of the map at `object[key]`, if there is one.
fn each_entry(object: &mut Map<String, Value>, key: &str, at: &Pointer, visit: Visit) -> Step {
    let Some(value) = object.get_mut(key) else {
        return Ok(());
    };
    let at = at.push(key);
    for (name, entry) in as_object(value, &at)?.iter_mut() {
        visit(entry, &at.push(name))?;
    }
    Ok(())
}

/// Visits every item of the array at `object[key]`, if there is one.
fn each_item(object: &mut Map<String, Value>, key: &str, at: &Pointer, visit: Visit) -> Step {
    let Some(value) = object.get_mut(key) else {
        return Ok(());
    };
    let at = at.push(key);
    let items = value
        .as_array_mut()
        .ok_or_else(|| ConvertError::new(&at, "expected an array"))?;
    for (index, item) in items.iter_mut().enumerate() {
        visit(item, &at.push(index))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn converted(mut doc: Value) -> Value {
        convert(&mut doc).unwrap();
        doc
    }

    fn error(mut doc: Value) -> ConvertError {
        convert(&mut doc).unwrap_err()
    }

    #[test]
    fn the_version_becomes_3_0_3() {
        assert_eq!(
            converted(json!({"openapi": "3.1.0", "paths": {}})),
            json!({"openapi": "3.0.3", "paths": {}})
        );
    }

    #[test]
    fn other_versions_are_rejected() {
        let problem = error(json!({"openapi": "3.0.1", "paths": {}}));
        assert_eq!(problem.pointer.as_str(), "/openapi");
        assert!(error(json!({"paths": {}})).problem.contains("missing"));
    }

    #[test]
    fn schemas_are_converted_in_every_position() {
        // Nullable items: a parameter's own schema loses its nullability.
        let nullable = || json!({"type": "array", "items": {"type": ["string", "null"]}});
        let expected = || json!({"type": "array", "items": {"type": "string", "nullable": true}});
        let media = |schema: Value| json!({"content": {"application/json": {"schema": schema}}});
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {
                "parameters": [{"name": "p", "in": "query", "schema": nullable()}],
                "post": {
                    "parameters": [{"name": "q", "in": "query", "content": {"application/json": {"schema": nullable()}}}],
                    "requestBody": media(nullable()),
                    "responses": {"200": {
                        "description": "ok",
                        "headers": {"h": {"schema": nullable()}},
                        "content": {"application/json": {
                            "schema": nullable(),
                            "encoding": {"f": {"headers": {"e": {"schema": nullable()}}}}
                        }}
                    }},
                    "callbacks": {"cb": {"{$request.body#/url}": {"post": {"requestBody": media(nullable())}}}}
                }
            }},
            "components": {
                "schemas": {"S": nullable()},
                "parameters": {"P": {"name": "p", "in": "query", "schema": nullable()}},
                "headers": {"H": {"schema": nullable()}},
                "requestBodies": {"B": media(nullable())},
                "responses": {"R": media(nullable())}
            }
        });
        let text = converted(doc).to_string();
        assert!(!text.contains("null\""), "a type array was left: {text}");
        assert_eq!(text.matches("\"nullable\":true").count(), 12, "{text}");
        let one = expected().to_string();
        assert_eq!(text.matches(one.as_str()).count(), 12, "{text}");
    }

    #[test]
    fn parameters_in_every_location_lose_their_nullability() {
        let optional = |location: &str, schema: Value| json!({"name": "p", "in": location, "required": location == "path", "schema": schema});
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a/{p}": {"get": {"parameters": [
                optional("query", json!({"anyOf": [{"type": "integer"}, {"type": "null"}], "title": "P"})),
                optional("header", json!({"anyOf": [{"type": "string"}, {"type": "null"}]})),
                optional("path", json!({"type": ["integer", "null"]})),
                optional("query", json!({"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "null"}]})),
                optional("query", json!({"anyOf": [{"$ref": "#/components/schemas/E"}, {"type": "null"}], "title": "T"})),
                optional("cookie", json!({"type": "array", "items": {"type": ["integer", "null"]}}))
            ]}}}
        });
        let out = converted(doc);
        let schemas: Vec<&Value> = out["paths"]["/a/{p}"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|parameter| &parameter["schema"])
            .collect();
        assert_eq!(
            schemas,
            [
                &json!({"type": "integer", "title": "P"}),
                &json!({"type": "string"}),
                &json!({"type": "integer"}),
                &json!({"$ref": "#/components/schemas/E"}),
                &json!({"allOf": [{"$ref": "#/components/schemas/E"}], "title": "T"}),
                // Only the parameter itself: its items may be null.
                &json!({"type": "array", "items": {"type": "integer", "nullable": true}}),
            ]
        );
    }

    #[test]
    fn examples_maps_of_media_types_and_parameters_are_left_alone() {
        let examples = json!({"one": {"value": {"examples": ["x"], "const": 1}}});
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {
                "parameters": [{"name": "p", "in": "query", "schema": {"type": "string"}, "examples": examples}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "string", "examples": ["s"]},
                    "examples": examples
                }}}}
            }}}
        });
        let out = converted(doc);
        let operation = &out["paths"]["/a"]["get"];
        assert_eq!(operation["parameters"][0]["examples"], examples);
        let media = &operation["responses"]["200"]["content"]["application/json"];
        assert_eq!(media["examples"], examples);
        assert_eq!(media["schema"], json!({"type": "string", "example": "s"}));
    }

    #[test]
    fn references_outside_schemas_are_kept() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P"}]}}}
        });
        assert_eq!(converted(doc.clone())["paths"], doc["paths"]);
    }

    #[test]
    fn a_reference_with_a_description_is_an_error() {
        let doc = json!({
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {"parameters": [{"$ref": "#/components/parameters/P", "description": "d"}]}}}
        });
        assert_eq!(
            error(doc).pointer.as_str(),
            "/paths/~1a/get/parameters/0/description"
        );
    }

    #[test]
    fn fields_only_3_1_has_are_errors() {
        let cases = [
            (json!({"webhooks": {}}), "/webhooks"),
            (json!({"jsonSchemaDialect": "x"}), "/jsonSchemaDialect"),
            (json!({"info": {"summary": "s"}}), "/info/summary"),
            (
                json!({"info": {"license": {"name": "MIT", "identifier": "MIT"}}}),
                "/info/license/identifier",
            ),
            (
                json!({"components": {"pathItems": {}}}),
                "/components/pathItems",
            ),
        ];
        for (mut extra, pointer) in cases {
            extra["openapi"] = json!("3.1.0");
            assert_eq!(error(extra).pointer.as_str(), pointer);
        }
    }

    #[test]
    fn a_malformed_document_is_an_error_not_a_panic() {
        let doc = json!({"openapi": "3.1.0", "paths": {"/a": {"get": {"parameters": {}}}}});
        let problem = error(doc);
        assert_eq!(problem.pointer.as_str(), "/paths/~1a/get/parameters");
        assert_eq!(problem.problem, "expected an array");
        assert!(convert(&mut json!([1])).is_err());
    }
}
