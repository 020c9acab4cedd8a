//! camb-api's `schemars` feature: the JSON Schema of a generated type accepts
//! the example bodies the spec gives for it, and still rejects a wrong one.

use camb_api::types::OrchestratorPipelineResult;
use serde_json::{Value, json};

/// The `examples` of `components.schemas.<name>` in the 3.1 spec (where
/// every example is kept; the 3.0.3 conversion keeps the first).
fn spec_examples(name: &str) -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/generated/openapi-3.1.json"
    );
    let text = std::fs::read_to_string(path).expect("read the 3.1 spec");
    let spec: Value = serde_json::from_str(&text).expect("parse the 3.1 spec");
    spec["components"]["schemas"][name]["examples"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn the_generated_schema_accepts_the_spec_examples_and_rejects_a_wrong_body() {
    let schema = serde_json::to_value(schemars::schema_for!(OrchestratorPipelineResult))
        .expect("serialize the schema");
    let validator = jsonschema::validator_for(&schema).expect("a valid JSON Schema");

    let examples = spec_examples("OrchestratorPipelineResult");
    assert!(!examples.is_empty(), "the spec gives no example to check");
    for example in &examples {
        let errors: Vec<String> = validator
            .iter_errors(example)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{example} rejected: {errors:?}\n{schema:#}"
        );
        // And the type itself reads it.
        serde_json::from_value::<OrchestratorPipelineResult>(example.clone())
            .unwrap_or_else(|e| panic!("{example} does not decode: {e}"));
    }

    assert!(!validator.is_valid(&json!({"status": "SUCCESS", "run_id": "forty-two"})));
}
