//! Proves that a converted spec is one camb-api/build.rs can build from: it
//! parses as an `openapiv3::OpenAPI` and progenitor generates a client and
//! httpmock helpers from it, without an error and without a panic.

use std::panic::{self, AssertUnwindSafe};

use anyhow::{Context, Result, bail};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use serde_json::Value;

/// What progenitor generated, as token text (`quote`'s spacing, not rustfmt's).
#[derive(Clone, Debug)]
pub struct GeneratedCode {
    /// The client (`Generator::generate_tokens`).
    pub client: String,
    /// The typed httpmock helpers (`Generator::httpmock`).
    pub mock: String,
}

/// Parses `spec` with openapiv3 and runs progenitor on it.
pub fn generate(spec: &Value) -> Result<GeneratedCode> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(spec.clone())
        .context("the converted spec is not an OpenAPI 3.0 document openapiv3 accepts")?;
    // progenitor panics on some inputs (e.g. a `type: 'null'` schema); that is
    // a finding about the spec, to report like any other error.
    match panic::catch_unwind(AssertUnwindSafe(|| run_progenitor(&spec))) {
        Ok(generated) => generated,
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

fn run_progenitor(spec: &openapiv3::OpenAPI) -> Result<GeneratedCode> {
    // The interface and tag style of camb-api/build.rs: some combinations
    // are unimplemented in progenitor, so check the one that is used.
    let mut settings = GenerationSettings::default();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged);
    let mut generator = Generator::new(&settings);
    let client = generator
        .generate_tokens(spec)
        .context("progenitor cannot generate a client from the converted spec")?;
    let mock = generator
        .httpmock(spec, "crate")
        .context("progenitor cannot generate httpmock helpers from the converted spec")?;
    Ok(GeneratedCode {
        client: client.to_string(),
        mock: mock.to_string(),
    })
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
    fn generates_a_client_and_mocks() {
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
        assert!(
            generated.mock.contains("fn get_thing"),
            "{}",
            generated.mock
        );
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
    fn a_document_openapiv3_rejects_is_an_error() {
        let error = generate(&json!({"openapi": "3.0.3", "paths": []})).unwrap_err();
        assert!(error.to_string().contains("openapiv3"), "{error}");
    }
}
