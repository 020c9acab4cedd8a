//! regen compiles camb-api with the new spec before writing it: a page with
//! FastAPI's nullable header parameters gives a client that compiles, so
//! does one with FastAPI's whole type vocabulary (dates, UUIDs, uploads,
//! binary answers), and a page whose client would not compile exits
//! non-zero with nothing written.

mod common;

use std::{collections::BTreeMap, fs, path::Path, process::Command};

use common::{read, squeeze, temp_workspace};
use serde_json::{Value, json};
use tempfile::TempDir;
use xtask::{compile::Compiler, regen::this_workspace};

/// A page in CAMB.AI's style: a create call with optional `traceparent` and
/// `x-retry-count` headers and a path parameter typed `int | None`, and a
/// result schema with `extra_property`.
fn page(extra_property: &str) -> String {
    format!(
        r#"openapi: 3.1.0
info:
  title: FastAPI
  version: 0.1.0
paths:
  /dubbing-results/{{project_id}}:
    post:
      operationId: create_dubbing_result_dubbing_results__project_id__post
      parameters:
        - name: project_id
          in: path
          required: true
          schema:
            anyOf: [{{type: integer}}, {{type: 'null'}}]
            title: Project Id
        - name: traceparent
          in: header
          required: false
          schema:
            anyOf: [{{type: string}}, {{type: 'null'}}]
            title: Traceparent
        - name: x-retry-count
          in: header
          required: false
          schema:
            anyOf: [{{type: integer}}, {{type: 'null'}}]
            title: X-Retry-Count
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/DubbingResult'
components:
  schemas:
    DubbingResult:
      type: object
      properties:
        run_id:
          anyOf: [{{type: integer}}, {{type: 'null'}}]
{extra_property}"#
    )
}

/// Every file under spec/, by path.
fn snapshot(dir: &TempDir) -> BTreeMap<String, String> {
    fn walk(path: &Path, files: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(path).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, files);
            } else {
                files.insert(
                    path.display().to_string(),
                    fs::read_to_string(&path).unwrap(),
                );
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(&dir.path().join("spec"), &mut files);
    files
}

fn regen_from(dir: &TempDir, page_text: &str) -> std::process::Output {
    let page_file = dir.path().join("dubbing-results.yaml");
    fs::write(&page_file, page_text).unwrap();
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--root"])
        .arg(dir.path())
        .arg("--from")
        .arg(&page_file)
        .output()
        .unwrap()
}

#[test]
fn a_page_with_nullable_header_and_path_parameters_gives_a_client_that_compiles() {
    let (dir, _workspace) = temp_workspace();
    let output = regen_from(&dir, &page(""));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    // Exit 0 only after `cargo check` of camb-api with this spec passed.
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("+ operation POST /dubbing-results/{project_id} (create_dubbing_result)"),
        "{stdout}"
    );
    let spec: Value = serde_json::from_str(&read(&dir, "spec/generated/openapi.json")).unwrap();
    let parameters = &spec["paths"]["/dubbing-results/{project_id}"]["post"]["parameters"];
    let schemas: Vec<&Value> = (0..3).map(|i| &parameters[i]["schema"]).collect();
    assert_eq!(
        schemas,
        [
            &json!({"type": "integer", "title": "Project Id"}),
            &json!({"type": "string", "title": "Traceparent"}),
            &json!({"type": "integer", "title": "X-Retry-Count"}),
        ]
    );
}

#[test]
fn a_page_whose_client_does_not_compile_exits_2_naming_the_schema_and_writes_nothing() {
    let (dir, _workspace) = temp_workspace();
    let before = snapshot(&dir);
    // typify checks a `pattern` with the regress crate, which camb-api does
    // not depend on.
    let created_at = "        created_at:\n          type: string\n          pattern: '^[0-9]+$'\n";
    let output = regen_from(&dir, &page(created_at));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: camb-api does not compile with the new spec"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "schema DubbingResult at /components/schemas/DubbingResult: error[E0433]: cannot find `regress`"
        ),
        "{stderr}"
    );
    assert_eq!(snapshot(&dir), before, "spec/ changed");
}

#[test]
fn the_compile_step_alone_rejects_a_nullable_header_naming_the_operation() {
    // What the converter used to write for FastAPI's optional header:
    // progenitor turns it into Option<Option<String>>, which does not compile.
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/dubbing-results": {"post": {
            "operationId": "create_dubbing_result",
            "parameters": [{
                "name": "traceparent", "in": "header", "required": false,
                "schema": {"type": "string", "nullable": true}
            }],
            "responses": {"200": {"description": "ok"}}
        }}}
    });
    let text = serde_json::to_string_pretty(&spec).unwrap();
    let error = Compiler::new(this_workspace().root())
        .check(&text, &spec)
        .unwrap_err()
        .to_string();
    assert!(
        error.contains(
            "operation create_dubbing_result (POST /dubbing-results) at /paths/~1dubbing-results/post: error["
        ),
        "{error}"
    );
}

/// What FastAPI 0.11x with Pydantic 2 writes for a dictionaries service
/// (under `/glossaries`: the workspace's own overlays, which this test
/// regenerates with, describe `/dictionaries`): `datetime`, `date` and `UUID` fields, a `UUID` path parameter, an
/// `UploadFile` in a `multipart/form-data` body (`Body_<function>`), and an
/// `audio/wav` answer.
const FASTAPI_TYPES_PAGE: &str = r#"openapi: 3.1.0
info:
  title: FastAPI
  version: 0.1.0
paths:
  /glossaries/{dictionary_id}:
    get:
      operationId: get_dictionary_glossaries__dictionary_id__get
      parameters:
        - name: dictionary_id
          in: path
          required: true
          schema: {type: string, format: uuid, title: Dictionary Id}
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Dictionary'}
        '422':
          description: Validation Error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/HTTPValidationError'}
  /glossaries/create-from-file:
    post:
      operationId: create_from_file_glossaries_create_from_file_post
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/Body_create_from_file_glossaries_create_from_file_post'}
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Dictionary'}
        '422':
          description: Validation Error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/HTTPValidationError'}
  /sound-effect-result/{run_id}:
    get:
      operationId: get_sound_result_sound_effect_result__run_id__get
      parameters:
        - name: run_id
          in: path
          required: true
          schema: {type: integer, title: Run Id}
      responses:
        '200':
          description: Successful Response
          content:
            audio/wav:
              schema: {type: string, contentMediaType: audio/wav}
        '422':
          description: Validation Error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/HTTPValidationError'}
components:
  schemas:
    Body_create_from_file_glossaries_create_from_file_post:
      type: object
      required: [file, name]
      properties:
        file: {type: string, contentMediaType: application/octet-stream, title: File}
        samples:
          anyOf:
            - type: array
              items: {type: string, contentMediaType: application/octet-stream}
            - type: 'null'
          title: Samples
        name: {type: string, title: Name}
        languages:
          anyOf:
            - type: array
              items: {type: integer}
            - type: 'null'
          title: Languages
        valid_from:
          anyOf: [{type: string, format: date}, {type: 'null'}]
          title: Valid From
      title: Body_create_from_file_glossaries_create_from_file_post
    Dictionary:
      type: object
      required: [id, name, created_at]
      properties:
        id: {type: string, format: uuid, title: Id}
        name: {type: string, title: Name}
        created_at: {type: string, format: date-time, title: Created At}
        last_edited_at:
          anyOf: [{type: string, format: date-time}, {type: 'null'}]
          title: Last Edited At
      title: Dictionary
"#;

#[test]
fn fastapi_dates_uuids_uploads_and_binary_answers_give_a_client_that_compiles() {
    let (dir, _workspace) = temp_workspace();
    let output = regen_from(&dir, FASTAPI_TYPES_PAGE);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    // Exit 0 only after `cargo check` of camb-api with this spec passed.
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "\n  POST /glossaries/create-from-file (create_from_file): a multipart/form-data body, \
             which progenitor cannot generate; sent by camb-api's multipart code \
             (file parts: file, samples; fields: languages, name, valid_from)"
        ),
        "{stdout}"
    );
    // The written spec keeps the operation; only progenitor's input lacks it.
    let text = read(&dir, "spec/generated/openapi.json");
    let spec: Value = serde_json::from_str(&text).unwrap();
    let body =
        "/paths/~1glossaries~1create-from-file/post/requestBody/content/multipart~1form-data";
    assert!(spec.pointer(body).is_some(), "{text}");
    let file = "/components/schemas/Body_create_from_file_glossaries_create_from_file_post/properties/file";
    assert_eq!(
        spec.pointer(file),
        Some(&json!({"type": "string", "format": "binary", "title": "File"}))
    );
    // What compiled: every JSON operation by progenitor, typed with chrono
    // and uuid; the binary answer a byte stream; the upload a builder of
    // camb-codegen's with file setters and the form's typed fields; mocks
    // for all three.
    let code = camb_codegen::generate(
        &serde_json::from_value(spec).unwrap(),
        camb_codegen::Features::ALL,
    )
    .unwrap();
    let client = squeeze(&code.client);
    for expected in [
        "pubcreated_at:::chrono::DateTime<::chrono::offset::Utc>",
        "pubid:::uuid::Uuid",
        "pubvalid_from:::std::option::Option<::chrono::naive::NaiveDate>",
        "pubfnget_dictionary(&self)->builder::GetDictionary<'_>",
        "pubasyncfnsend(self,)->Result<ResponseValue<ByteStream>,Error<types::HttpValidationError>>",
        "pubfncreate_from_file(&self)->builder::CreateFromFile<'_>",
        "pubfnfile(mutself,part:crate::multipart::FilePart)->Self",
        "pubfnsamples<I>(mutself,parts:I)->Self",
        "pubfnbody_map<F>(mutself,f:F)->SelfwhereF:std::ops::FnOnce(types::builder::BodyCreateFromFileGlossariesCreateFromFilePost,",
        "Result<ResponseValue<types::Dictionary>,Error<types::HttpValidationError>,>{letSelf{client,body,file,samples}=self;",
    ] {
        assert!(client.contains(expected), "{expected} in {}", code.client);
    }
    // The form's type has the text fields only.
    assert!(!client.contains("pubfile:"), "{}", code.client);
    let mock = squeeze(code.mock.as_deref().unwrap());
    for expected in [
        "fncreate_from_file<F>",
        "pubfnok(self,value:&types::Dictionary)->Self",
        "pubfnunprocessable_entity(self,value:&types::HttpValidationError)->Self",
        "fnget_sound_result<F>",
    ] {
        assert!(mock.contains(expected), "{expected} in {mock}");
    }
}
