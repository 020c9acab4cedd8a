//! Proves that a converted spec is one camb-api/build.rs can generate from:
//! it parses as an `openapiv3::OpenAPI` and progenitor, configured as
//! camb-api's build script configures it (`camb-codegen`), generates the
//! client and the httpmock helpers without an error and without a panic.
//! Whether the result compiles is [`crate::compile`]'s job.

use std::panic::{self, AssertUnwindSafe};

use std::fmt;

use anyhow::{Context, Result, bail};
use camb_codegen::{Code, Features};
use serde_json::Value;

use crate::{HTTP_METHODS, pointer::Pointer};

/// Parses `spec` with openapiv3 and generates camb-api's code from it, with
/// every feature on.
pub fn generate(spec: &Value) -> Result<Code> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .context("the converted spec is not an OpenAPI 3.0 document openapiv3 accepts")?;
    // progenitor panics on some inputs (e.g. a `type: 'null'` schema); that is
    // a finding about the spec, to report like any other error.
    match panic::catch_unwind(AssertUnwindSafe(|| {
        camb_codegen::generate(&spec, Features::ALL)
    })) {
        Ok(generated) => Ok(generated?),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            bail!("progenitor panicked on the converted spec: {message}")
        }
    }
}

/// [`generate`], and when progenitor refuses the converted document, the
/// place responsible: found by generating again with parts of the document
/// blanked out (typify's errors name no schema).
pub fn generate_located(spec_31: &Value, spec_30: &Value) -> Result<Code> {
    generate(spec_30).map_err(|error| {
        // A task family's error names its own pointer: nothing to look for.
        if let Some(camb_codegen::Error::Task { .. }) = error.downcast_ref::<camb_codegen::Error>()
        {
            return error;
        }
        located(spec_31, spec_30, error)
    })
}

/// `error` with the place responsible, when one schema or operation is.
fn located(spec_31: &Value, spec_30: &Value, error: anyhow::Error) -> anyhow::Error {
    match locate(spec_30) {
        Some(pointer) => anyhow::Error::new(Refusal::new(spec_31, spec_30, pointer, &error)),
        None => error.context(
            "progenitor cannot generate the client (no single schema or operation is responsible)",
        ),
    }
}

/// progenitor's refusal and the schema or operation it comes from.
#[derive(Debug)]
pub struct Refusal {
    /// progenitor's own message.
    pub error: String,
    /// `schema TranscriptInput.format` or `operation get_a (GET /a)`.
    pub what: String,
    /// Where it is in the 3.1 input (spec/generated/openapi-3.1.json).
    pub pointer_31: Pointer,
    /// The construct there, as written in the 3.1 input.
    pub construct_31: String,
    /// What the converter made of it.
    pub construct_30: String,
}

impl Refusal {
    fn new(spec_31: &Value, spec_30: &Value, pointer: Pointer, error: &anyhow::Error) -> Self {
        let pointer_31 = nearest_in(spec_31, &pointer);
        let show = |doc: &Value, at: &Pointer| {
            doc.pointer(at.as_str())
                .map_or_else(|| "(nothing)".into(), |value| short(value, 200))
        };
        Self {
            error: error.to_string(),
            what: describe(spec_30, &pointer),
            construct_31: show(spec_31, &pointer_31),
            construct_30: show(spec_30, &pointer),
            pointer_31,
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.error)?;
        writeln!(
            f,
            "  at {} ({} in the 3.1 input)",
            self.what, self.pointer_31
        )?;
        writeln!(f, "  construct: {}", self.construct_31)?;
        writeln!(f, "  converted: {}", self.construct_30)?;
        write!(
            f,
            "  missing: a converter rule that turns this construct into one progenitor \
             accepts (xtask/src/convert/schema.rs; spec/README.md, \"Converting 3.1 to 3.0.3\"), \
             or, if the page is wrong, a correction in the overlay"
        )
    }
}

impl std::error::Error for Refusal {}

/// Whether progenitor generates from `spec` without an error.
fn generates(spec: &Value) -> bool {
    generate(spec).is_ok()
}

/// The smallest part of the failing `spec` whose blanking (`{}`: any value)
/// makes it generate: a component schema or an operation first, then the
/// deepest subschema within it.
fn locate(spec: &Value) -> Option<Pointer> {
    let mut candidates = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for name in schemas.into_iter().flatten().map(|(name, _)| name) {
        candidates.push(
            Pointer::root()
                .push("components")
                .push("schemas")
                .push(name),
        );
    }
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in HTTP_METHODS.into_iter().filter(|m| item.get(m).is_some()) {
            candidates.push(Pointer::root().push("paths").push(path).push(method));
        }
    }
    let top = candidates.into_iter().find(|at| {
        let mut trial = spec.clone();
        blank(&mut trial, at);
        generates(&trial)
    })?;
    let mut at = top;
    'deeper: loop {
        for child in children(spec, &at) {
            let mut trial = spec.clone();
            blank(&mut trial, &child);
            if generates(&trial) {
                at = child;
                continue 'deeper;
            }
        }
        return Some(at);
    }
}

/// Blanks the value at `at`: a schema becomes `{}` (any value); an operation
/// is removed.
fn blank(spec: &mut Value, at: &Pointer) {
    let is_operation = at.as_str().starts_with("/paths/") && {
        let last = at.as_str().rsplit('/').next().unwrap_or_default();
        HTTP_METHODS.contains(&last)
    };
    if is_operation {
        let (parent, method) = at.as_str().rsplit_once('/').unwrap_or_default();
        if let Some(Value::Object(item)) = spec.pointer_mut(parent) {
            item.remove(method);
        }
    } else if let Some(value) = spec.pointer_mut(at.as_str()) {
        *value = Value::Object(Default::default());
    }
}

/// The subschemas directly below `at` (a schema or an operation).
fn children(spec: &Value, at: &Pointer) -> Vec<Pointer> {
    let Some(value) = spec.pointer(at.as_str()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let keys = |value: &Value, keyword: &str| -> Vec<String> {
        match value.get(keyword) {
            Some(Value::Object(map)) => map.keys().cloned().collect(),
            Some(Value::Array(items)) => (0..items.len()).map(|i| i.to_string()).collect(),
            _ => Vec::new(),
        }
    };
    if value.get("responses").is_some() || value.get("operationId").is_some() {
        for index in keys(value, "parameters") {
            found.push(at.push("parameters").push(&index).push("schema"));
        }
        for media in value
            .pointer("/requestBody/content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .map(|(m, _)| m)
        {
            found.push(
                at.push("requestBody")
                    .push("content")
                    .push(media)
                    .push("schema"),
            );
        }
        for status in keys(value, "responses") {
            let contents = value
                .pointer(&format!("/responses/{status}/content"))
                .and_then(Value::as_object);
            for media in contents.into_iter().flatten().map(|(m, _)| m) {
                found.push(
                    at.push("responses")
                        .push(&status)
                        .push("content")
                        .push(media)
                        .push("schema"),
                );
            }
        }
    } else {
        for property in keys(value, "properties") {
            found.push(at.push("properties").push(&property));
        }
        for keyword in ["items", "additionalProperties", "not"] {
            if value.get(keyword).is_some_and(Value::is_object) {
                found.push(at.push(keyword));
            }
        }
        for keyword in ["allOf", "anyOf", "oneOf"] {
            for index in keys(value, keyword) {
                found.push(at.push(keyword).push(&index));
            }
        }
    }
    found.retain(|child| spec.pointer(child.as_str()).is_some());
    found
}

/// The deepest place along `pointer` that `doc` has (the converter keeps
/// pointers, except that it folds `anyOf: [X, null]` into X).
fn nearest_in(doc: &Value, pointer: &Pointer) -> Pointer {
    let mut nearest = Pointer::root();
    let mut at = doc;
    let text = pointer.as_str();
    for token in text.split('/').skip(1) {
        let key = token.replace("~1", "/").replace("~0", "~");
        let next = match at {
            Value::Object(map) => map.get(&key),
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(next) => {
                at = next;
                nearest = nearest.push(&key);
            }
            None => break,
        }
    }
    nearest
}

/// `schema OutputConfiguration.format`, `operation get_a (GET /a)` or the
/// pointer itself.
fn describe(spec: &Value, pointer: &Pointer) -> String {
    let tokens: Vec<String> = pointer
        .as_str()
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect();
    match tokens.as_slice() {
        [components, schemas, name, rest @ ..]
            if components == "components" && schemas == "schemas" =>
        {
            let fields: Vec<&str> = rest
                .chunks(2)
                .filter_map(|pair| match pair {
                    [keyword, field] if keyword == "properties" => Some(field.as_str()),
                    _ => None,
                })
                .collect();
            if fields.is_empty() {
                format!("schema {name}")
            } else {
                format!("schema {name}.{}", fields.join("."))
            }
        }
        [paths, path, method, ..] if paths == "paths" => {
            let id_at = Pointer::root()
                .push("paths")
                .push(path)
                .push(method)
                .push("operationId");
            let id = spec
                .pointer(id_at.as_str())
                .and_then(Value::as_str)
                .unwrap_or("(no operationId)");
            format!("operation {id} ({} {path})", method.to_uppercase())
        }
        _ => pointer.to_string(),
    }
}

/// JSON cut at `limit` characters.
fn short(value: &Value, limit: usize) -> String {
    let text = value.to_string();
    match text.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec_with_response(schema: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/thing": {"get": {
                "operationId": "get_thing",
                "responses": {"200": {
                    "description": "ok",
                    "content": {"application/json": {"schema": schema}}
                }}
            }}}
        })
    }

    #[test]
    fn generates_a_client_and_mocks_with_camb_api_settings() {
        let spec = spec_with_response(json!({
            "type": "object",
            "properties": {"n": {"type": "integer", "nullable": true}}
        }));
        let generated = generate(&spec).unwrap();
        assert!(
            generated.client.contains("fn get_thing"),
            "{}",
            generated.client
        );
        // The inner type and hook of camb-api/build.rs.
        assert!(
            generated.client.contains("crate::Auth::authorize"),
            "{}",
            generated.client
        );
        let mock = generated.mock.unwrap();
        assert!(mock.contains("fn get_thing"), "{mock}");
    }

    #[test]
    fn a_progenitor_panic_becomes_an_error() {
        // The FastAPI `Optional` form, unconverted, panics inside progenitor.
        let spec = spec_with_response(json!({
            "type": "object",
            "properties": {"n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}
        }));
        let error = generate(&spec).unwrap_err().to_string();
        assert!(error.starts_with("progenitor panicked"), "{error}");
    }

    #[test]
    fn a_progenitor_error_is_reported() {
        let mut spec = spec_with_response(json!({"type": "string"}));
        spec["paths"]["/thing"]["get"]
            .as_object_mut()
            .unwrap()
            .remove("operationId");
        let error = format!("{:#}", generate(&spec).unwrap_err());
        assert!(error.contains("missing operation ID"), "{error}");
    }

    #[test]
    fn a_refused_operation_is_named_by_method_and_path() {
        let mut spec = spec_with_response(json!({"type": "string"}));
        spec["paths"]["/other"] = json!({"get": {
            "operationId": "get_other",
            "responses": {"200": {"description": "ok"}}
        }});
        spec["paths"]["/thing"]["get"]
            .as_object_mut()
            .unwrap()
            .remove("operationId");
        let error = generate_located(&spec, &spec).unwrap_err().to_string();
        assert!(
            error.contains("\n  at operation (no operationId) (GET /thing) (/paths/~1thing/get in the 3.1 input)\n"),
            "{error}"
        );
    }

    #[test]
    fn a_refused_nested_schema_is_found_below_its_component() {
        let spec_31 = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Fine": {"type": "object", "properties": {"n": {"type": "integer"}}},
                "Outer": {"type": "object", "properties": {"inner": {
                    "type": "object", "properties": {"mode": {
                        "anyOf": [{"type": "string", "enum": ["a"]}, {"type": "null"}],
                        "default": "b"
                    }}
                }}}
            }}
        });
        let spec_30 = crate::convert::to_openapi_30(&spec_31).unwrap();
        let error = generate_located(&spec_31, &spec_30)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "\n  at schema Outer.inner.mode (/components/schemas/Outer/properties/inner/properties/mode in the 3.1 input)\n"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_document_openapiv3_rejects_is_an_error() {
        let error = generate(&json!({"openapi": "3.0.3", "paths": []})).unwrap_err();
        assert!(error.to_string().contains("openapiv3"), "{error}");
    }
}
