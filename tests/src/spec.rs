//! The workspace's spec files, read at test time (never copied): the
//! operations of `spec/generated/openapi.json` and the JSON Schemas of
//! `spec/generated/openapi-3.1.json`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Value, json};

use crate::schema_strategy;

/// One operation of the spec, with the status codes it documents.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// The HTTP method, upper case.
    pub method: String,
    /// The path template, e.g. `/dub/{task_id}`.
    pub path: String,
    /// The documented response codes, e.g. `[200, 422]`.
    pub statuses: BTreeSet<u16>,
}

fn spec_path(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../spec/generated")
        .join(file)
}

fn read_json(file: &str) -> Value {
    let path = spec_path(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every operation of `spec/generated/openapi.json` (the spec the client is
/// generated from).
pub fn operations() -> Vec<Operation> {
    let spec = read_json("openapi.json");
    let paths = spec["paths"].as_object().expect("spec has paths");
    let mut operations = Vec::new();
    for (path, item) in paths {
        let item = item.as_object().expect("path item is an object");
        for (method, operation) in item {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let statuses = operation["responses"]
                .as_object()
                .expect("operation has responses")
                .keys()
                .map(|code| code.parse().expect("numeric response code"))
                .collect();
            operations.push(Operation {
                id: id.to_owned(),
                method: method.to_uppercase(),
                path: path.clone(),
                statuses,
            });
        }
    }
    operations.sort();
    operations
}

/// `spec/generated/openapi-3.1.json`, read once per test binary: the
/// responses of every operation with their JSON Schemas (OpenAPI 3.1 schemas
/// are JSON Schema 2020-12).
pub fn document() -> &'static Value {
    static DOCUMENT: LazyLock<Value> = LazyLock::new(|| read_json("openapi-3.1.json"));
    &DOCUMENT
}

/// One documented JSON response of an operation of
/// `spec/generated/openapi-3.1.json`.
#[derive(Clone, Debug)]
pub struct Response {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// The documented status code.
    pub status: u16,
    /// The schema of its `application/json` body.
    pub schema: Value,
}

/// Every documented JSON response of every operation of
/// `spec/generated/openapi-3.1.json`, in operation and status order.
pub fn json_responses() -> Vec<Response> {
    let mut responses = Vec::new();
    let paths = document()["paths"].as_object().expect("spec has paths");
    for item in paths.values() {
        for operation in item.as_object().expect("path item is an object").values() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let documented = operation["responses"]
                .as_object()
                .expect("operation has responses");
            for (code, response) in documented {
                // A Reference Object (`#/components/responses/...`) counts as
                // the response it names.
                let response = match response.get("$ref").and_then(Value::as_str) {
                    Some(target) => document()
                        .pointer(target.trim_start_matches('#'))
                        .unwrap_or_else(|| panic!("{id} {code}: unresolved response {target}")),
                    None => response,
                };
                let Some(schema) = response.pointer("/content/application~1json/schema") else {
                    continue;
                };
                responses.push(Response {
                    operation_id: id.to_owned(),
                    status: code.parse().expect("numeric response code"),
                    schema: schema.clone(),
                });
            }
        }
    }
    responses.sort_by(|a, b| (&a.operation_id, a.status).cmp(&(&b.operation_id, b.status)));
    responses
}

/// The schemas of `spec/generated/openapi-3.1.json`.
pub struct Schemas;

impl Schemas {
    /// The schemas of the spec.
    pub fn get() -> &'static Schemas {
        &Schemas
    }

    /// A validator for `components.schemas.<name>`; its `$ref`s resolve
    /// against the spec's own components.
    pub fn validator(&self, name: &str) -> Validator {
        assert!(
            document()["components"]["schemas"].get(name).is_some(),
            "the spec has no schema {name}"
        );
        let schema = json!({ "$ref": format!("#/components/schemas/{name}") });
        schema_strategy::validator(document(), &schema)
            .unwrap_or_else(|e| panic!("schema {name} does not compile: {e}"))
    }

    /// The violations of `value` against schema `name`, as
    /// `(instance path, message)` pairs; empty when it is valid.
    pub fn violations(&self, name: &str, value: &Value) -> Vec<(String, String)> {
        self.validator(name)
            .iter_errors(value)
            .map(|error| (error.instance_path().to_string(), error.to_string()))
            .collect()
    }
}
