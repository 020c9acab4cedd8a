//! The workspace's spec files, read at test time (never copied): the
//! operations of `spec/generated/openapi.json` and the JSON Schemas of
//! `spec/generated/openapi-3.1.json`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::LazyLock;

use jsonschema::Validator;
use serde_json::{Value, json};

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

/// The schemas of `spec/generated/openapi-3.1.json` (OpenAPI 3.1 schemas are
/// JSON Schema 2020-12).
pub struct Schemas {
    components: Value,
}

static SCHEMAS: LazyLock<Schemas> = LazyLock::new(|| Schemas {
    components: read_json("openapi-3.1.json")["components"].clone(),
});

impl Schemas {
    /// The schemas, read once per test binary.
    pub fn get() -> &'static Schemas {
        &SCHEMAS
    }

    /// A validator for `components.schemas.<name>`; its `$ref`s resolve
    /// against the spec's own components.
    pub fn validator(&self, name: &str) -> Validator {
        assert!(
            self.components["schemas"].get(name).is_some(),
            "the spec has no schema {name}"
        );
        let schema = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": self.components,
        });
        jsonschema::draft202012::new(&schema)
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
