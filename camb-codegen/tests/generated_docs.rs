//! What the generated client and mocks say about themselves, on the real
//! spec: the API's name, named union members, and every mock helper
//! documented with the `Camb` method it stands for.

use std::path::Path;

use camb_codegen::{CAMB_METHODS, Features, generate};

fn workspace_file(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn spec() -> openapiv3::OpenAPI {
    serde_json::from_str(&workspace_file("spec/generated/openapi.json")).unwrap()
}

fn operation_ids(spec: &openapiv3::OpenAPI) -> Vec<String> {
    spec.operations()
        .filter_map(|(_, _, operation)| operation.operation_id.clone())
        .collect()
}

#[test]
fn the_client_is_named_after_camb_ai_and_its_unions_name_their_members() {
    let code = generate(&spec(), Features::ALL).unwrap();
    assert!(code.client.contains("Client for CAMB.AI"));
    assert!(!code.client.contains("FastAPI"));
    assert!(
        !code.client.contains("subtype_"),
        "a union member without a name"
    );
    assert!(code.client.contains("pub by_language:"));
    assert!(code.client.contains("pub dub_result:"));
}

#[test]
fn every_mock_helper_says_which_request_and_camb_method_it_stands_for() {
    let spec = spec();
    let mock = generate(&spec, Features::ALL).unwrap().mock.unwrap();
    for operation in operation_ids(&spec) {
        let start = mock
            .find(&format!("fn {operation}<F>"))
            .unwrap_or_else(|| panic!("no helper for {operation}"));
        // The attributes just above the helper's first appearance (the trait).
        let head = &mock[mock[..start].rfind(';').unwrap_or(0)..start];
        let compact: String = head.split_whitespace().collect();
        assert!(
            head.contains("Mocks `"),
            "{operation} is undocumented: {head}"
        );
        if let Some((_, methods)) = CAMB_METHODS.iter().find(|(name, _)| *name == operation) {
            assert!(head.contains(&format!("`Camb::{}`", methods[0])), "{head}");
            assert!(
                methods[0] == operation || compact.contains(&format!("alias(\"{}\"", methods[0])),
                "{head}"
            );
        } else {
            assert!(head.contains("Camb::raw"), "{head}");
        }
    }
    let compact: String = mock.split_whitespace().collect();
    assert!(compact.contains(r#"alias("create_dub","dub","dub_all")"#));
}

#[test]
fn the_table_names_operations_of_the_spec_and_methods_of_camb() {
    let operations = operation_ids(&spec());
    let client: String = [
        "camb-api-ext/src/dub/mod.rs",
        "camb-api-ext/src/dub/wait.rs",
        "camb-api-ext/src/dub/outputs.rs",
        "camb-api-ext/src/dub/batch.rs",
        "camb-api-ext/src/dub/transcript.rs",
        "camb-api-ext/src/dub/export.rs",
        "camb-api-ext/src/language.rs",
        "camb-api-ext/src/dictionaries/mod.rs",
        "camb-api-ext/src/dictionaries/upload.rs",
        "camb-api-ext/src/folders.rs",
    ]
    .map(workspace_file)
    .concat();
    for (operation, methods) in CAMB_METHODS {
        assert!(
            operations.iter().any(|id| id == operation),
            "{operation} left the spec"
        );
        for method in *methods {
            let defined = [
                format!("pub fn {method}("),
                format!("pub fn {method}<"),
                format!("pub async fn {method}("),
                format!("pub async fn {method}<"),
            ];
            assert!(
                defined
                    .iter()
                    .any(|signature| client.contains(signature.as_str())),
                "Camb::{method} does not exist"
            );
        }
    }
}
