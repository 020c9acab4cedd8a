//! Two different schemas never become one Rust type, and a document
//! progenitor refuses is refused with the schema that is responsible.

mod common;

use common::{read, temp_workspace};
use serde_json::{Value, json};
use xtask::{convert::to_openapi_30, fetch::fetch, naming, regen::refresh, validate};

/// What FastAPI emits for a TTS-style `OutputConfiguration` (audio formats)
/// and the overlay's `TranscriptInput` (SRT only): two inline enums, both
/// titled `Format`, each with a default or without.
fn two_formats(defaults: bool) -> Value {
    let mut output = json!({"type": "string", "enum": ["wav", "flac", "mp3"], "title": "Format"});
    let mut transcript = json!({"type": "string", "const": "srt", "title": "Format"});
    if defaults {
        output["default"] = json!("wav");
        transcript["default"] = json!("srt");
    }
    json!({
        "openapi": "3.1.0",
        "info": {"title": "FastAPI", "version": "0.1.0"},
        "paths": {"/tts": {"post": {
            "operationId": "tts_tts_post",
            "requestBody": {"required": true, "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/TranscriptInput"}}}},
            "responses": {"200": {"description": "Successful Response", "content": {"application/json": {"schema":
                {"$ref": "#/components/schemas/OutputConfiguration"}}}}}
        }}},
        "components": {"schemas": {
            "OutputConfiguration": {"type": "object", "title": "OutputConfiguration",
                "properties": {"format": output}},
            "TranscriptInput": {"type": "object", "title": "TranscriptInput",
                "required": ["content"],
                "properties": {"content": {"type": "string", "title": "Content"}, "format": transcript}}
        }}
    })
}

/// The client's text without whitespace, for searching generated tokens.
fn squeezed_client(spec_31: &Value) -> (String, naming::Renamed) {
    let mut spec_30 = to_openapi_30(spec_31).unwrap();
    let renamed = naming::disambiguate(&mut spec_30).unwrap();
    let code = validate::generate(&spec_30).unwrap();
    (common::squeeze(&code.client), renamed)
}

#[test]
fn two_inline_enums_titled_format_become_two_rust_types_with_and_without_defaults() {
    for defaults in [true, false] {
        let (client, renamed) = squeezed_client(&two_formats(defaults));
        let names: Vec<&str> = renamed.0.iter().map(|r| r.to.as_str()).collect();
        assert_eq!(
            names,
            ["OutputConfigurationFormat", "TranscriptInputFormat"],
            "defaults: {defaults}"
        );
        for (type_name, variants) in [
            ("OutputConfigurationFormat", &["Wav", "Flac", "Mp3"][..]),
            ("TranscriptInputFormat", &["Srt"][..]),
        ] {
            let body = client
                .split_once(&format!("pubenum{type_name}{{"))
                .unwrap_or_else(|| panic!("no enum {type_name} (defaults: {defaults})"))
                .1;
            let body = body.split_once('}').unwrap().0;
            for variant in variants {
                assert!(body.contains(&format!("{variant},")), "{type_name}: {body}");
            }
            assert!(!body.contains("Wav,") || type_name != "TranscriptInputFormat");
        }
        // Each struct's field has its own type.
        for (parent, type_name) in [
            ("OutputConfiguration", "OutputConfigurationFormat"),
            ("TranscriptInput", "TranscriptInputFormat"),
        ] {
            let fields = client
                .split_once(&format!("pubstruct{parent}{{"))
                .unwrap()
                .1
                .split_once('}')
                .unwrap()
                .0;
            assert!(
                fields.contains(&format!("pubformat:{type_name},"))
                    || fields.contains(&format!("pubformat:::std::option::Option<{type_name}>,")),
                "{parent}: {fields}"
            );
        }
        assert!(!client.contains("pubenumFormat{"), "{client}");
    }
}

#[test]
fn without_renaming_typify_would_make_them_one_type() {
    // The reason for the renaming: typify keeps the first `Format`.
    let spec_30 = to_openapi_30(&two_formats(false)).unwrap();
    let client = common::squeeze(&validate::generate(&spec_30).unwrap().client);
    assert!(client.contains("pubenumFormat{"), "{client}");
    assert!(!client.contains("TranscriptInputFormat"), "{client}");
    // With defaults it is refused instead, and the refusal names a schema.
    let spec_31 = two_formats(true);
    let spec_30 = to_openapi_30(&spec_31).unwrap();
    let error = validate::generate_located(&spec_31, &spec_30)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("\n  at schema OutputConfiguration.format (/components/schemas/OutputConfiguration/properties/format in the 3.1 input)\n"),
        "{error}"
    );
}

/// A FastAPI page whose inline enum default is not one of its values: valid
/// YAML, valid 3.1, refused by typify with a message that names nothing.
const REFUSED_PAGE: &str = r#"openapi: 3.1.0
info:
  title: FastAPI
  version: 0.1.0
paths:
  /personas:
    get:
      operationId: list_personas_personas_get
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PersonaList'
components:
  schemas:
    PersonaList:
      type: object
      title: PersonaList
      properties:
        personas:
          items:
            $ref: '#/components/schemas/Persona'
          type: array
          title: Personas
    Persona:
      type: object
      title: Persona
      properties:
        id:
          type: integer
          title: Id
        gender:
          anyOf:
            - type: string
              enum: [male, female]
            - type: 'null'
          default: unknown
          title: Gender
"#;

#[test]
fn a_refused_page_exits_2_naming_the_schema_its_pointer_and_the_construct() {
    let (dir, workspace) = temp_workspace();
    let before = read(&dir, "spec/generated/openapi.json");
    let page_path = dir.path().join("personas.yaml");
    std::fs::write(&page_path, REFUSED_PAGE).unwrap();
    let page = fetch(page_path.to_str().unwrap()).unwrap();
    let error = refresh(&workspace, [page], "2026-12-01")
        .unwrap_err()
        .to_string();
    let refusal = error.split("\n\nOverlay drift:").next().unwrap();
    assert_eq!(
        refusal,
        "progenitor cannot generate the client: type error value does not conform to the given schema\n  \
         at schema Persona.gender (/components/schemas/Persona/properties/gender in the 3.1 input)\n  \
         construct: {\"anyOf\":[{\"enum\":[\"male\",\"female\"],\"type\":\"string\"},{\"type\":\"null\"}],\"default\":\"unknown\",\"title\":\"Gender\"}\n  \
         converted: {\"default\":\"unknown\",\"enum\":[\"male\",\"female\"],\"nullable\":true,\"title\":\"Gender\",\"type\":\"string\"}\n  \
         missing: a converter rule that turns this construct into one progenitor accepts \
         (xtask/src/convert/schema.rs; spec/README.md, \"Converting 3.1 to 3.0.3\"), \
         or, if the page is wrong, a correction in the overlay"
    );
    // Nothing was written, and the drift report came along.
    assert_eq!(read(&dir, "spec/generated/openapi.json"), before);
    assert!(!dir.path().join("spec/upstream/voices.yaml").exists());
    assert!(error.contains("\n\nOverlay drift:"), "{error}");
}

#[test]
fn a_fastapi_tts_page_over_todays_overlay_compiles_with_one_type_per_format() {
    let (dir, workspace) = temp_workspace();
    let page = fetch(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pages/tts.yaml")).unwrap();
    let report = refresh(&workspace, [page], "2026-12-01").unwrap();
    let renamed: Vec<(String, &str)> = report
        .renamed
        .0
        .iter()
        .map(|r| (r.pointer.to_string(), r.to.as_str()))
        .collect();
    assert_eq!(
        renamed,
        [
            (
                "/components/schemas/OutputConfiguration/properties/format".to_owned(),
                "OutputConfigurationFormat"
            ),
            (
                "/components/schemas/TargetTranscriptInput/properties/format".to_owned(),
                "TargetTranscriptInputFormat"
            ),
            (
                "/components/schemas/TranscriptInput/properties/format".to_owned(),
                "TranscriptInputFormat"
            ),
            // Already in today's overlay: the transcription form's
            // `transcription_mode` is another schema than `TranscriptionMode`.
            (
                "/components/schemas/Body_create_transcription_transcribe_post/properties/transcription_mode"
                    .to_owned(),
                "BodyCreateTranscriptionTranscribePostTranscriptionMode"
            ),
        ]
    );
    assert!(
        report
            .to_string()
            .contains("Renamed in spec/generated/openapi.json")
    );
    // The renaming is in progenitor's input, so camb-api/build.rs sees it too.
    let spec_30: Value = serde_json::from_str(&read(&dir, "spec/generated/openapi.json")).unwrap();
    assert_eq!(
        spec_30.pointer("/components/schemas/TranscriptInput/properties/format/title"),
        Some(&json!("TranscriptInputFormat"))
    );
    let client = common::squeeze(&report.code.client);
    assert!(
        client.contains("pubenumOutputConfigurationFormat{"),
        "{client}"
    );
    assert!(client.contains("pubenumTranscriptInputFormat{"), "{client}");
}
