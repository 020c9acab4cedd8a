//! Proves that a converted spec is one camb-api/build.rs can generate from:
//! it parses as an `openapiv3::OpenAPI` and progenitor, configured as
//! camb-api's build script configures it (`camb-codegen`), generates the
//! client and the httpmock helpers without an error and without a panic.
//! Whether the result compiles is [`crate::compile`]'s job.

use std::panic::{self, AssertUnwindSafe};

use anyhow::{Context, Result, bail};
use camb_codegen::{Code, Features};
use serde_json::Value;

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
    fn a_document_openapiv3_rejects_is_an_error() {
        let error = generate(&json!({"openapi": "3.0.3", "paths": []})).unwrap_err();
        assert!(error.to_string().contains("openapiv3"), "{error}");
    }
}
