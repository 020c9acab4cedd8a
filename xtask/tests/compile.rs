//! regen compiles camb-api with the new spec before writing it: a page with
//! FastAPI's nullable header parameters gives a client that compiles, and a
//! page whose client would not compile exits non-zero with nothing written.

mod common;

use std::{collections::BTreeMap, fs, path::Path, process::Command};

use common::{read, temp_workspace};
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
    // typify maps date-time to chrono, which camb-api does not depend on.
    let created_at = "        created_at:\n          type: string\n          format: date-time\n";
    let output = regen_from(&dir, &page(created_at));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: camb-api does not compile with the new spec"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "schema DubbingResult.created_at at /components/schemas/DubbingResult/properties/created_at: error[E0433]"
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
