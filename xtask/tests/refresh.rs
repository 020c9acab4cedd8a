//! `--from`: vendoring pages over HTTP (an httpmock server) or from files.

mod common;

use common::{read, squeeze, temp_workspace};
use httpmock::prelude::*;
use serde_json::Value;
use xtask::{fetch::fetch, regen::refresh};

const TODAY: &str = "2026-11-29";

/// A docs page in CAMB.AI's format that adds an operation and, to a schema
/// the status page also defines, a FastAPI-style optional field.
const RUNS_PAGE: &str = r#"# List Dubbing Runs

> Lists every run of a dubbing task.

```python theme={null}
print("not the spec")
```

## OpenAPI

````yaml get /dub/{task_id}/runs
openapi: 3.1.0
info:
  title: FastAPI
  version: 0.1.0
servers:
  - url: https://client.camb.ai/apis
security: []
paths:
  /dub/{task_id}/runs:
    get:
      tags:
        - Apis
      summary: List Dubbing Runs
      operationId: list_dub_runs_dub__task_id__runs_get
      parameters:
        - name: task_id
          in: path
          required: true
          schema:
            type: string
            title: Task ID
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                type: array
                items:
                  $ref: '#/components/schemas/OrchestratorPipelineResult'
                title: Response List Dub Runs
      security:
        - APIKeyHeader: []
components:
  schemas:
    OrchestratorPipelineResult:
      properties:
        status:
          $ref: '#/components/schemas/TaskStatus'
        run_id:
          type:
            - integer
            - 'null'
          title: Run ID
        progress:
          anyOf:
            - type: integer
            - type: 'null'
          title: Progress
      type: object
      title: OrchestratorPipelineResult
    TaskStatus:
      type: string
      enum:
        - SUCCESS
        - PENDING
        - TIMEOUT
        - ERROR
        - PAYMENT_REQUIRED
      title: TaskStatus

````
"#;

fn serve(server: &MockServer, path: &str, body: &str) {
    server.mock(|when, then| {
        when.method(GET).path(path.to_owned());
        then.status(200)
            .header("content-type", "text/markdown; charset=utf-8")
            .body(body);
    });
}

#[test]
fn a_page_with_a_new_operation_and_an_optional_field_reaches_the_generated_client() {
    let (dir, workspace) = temp_workspace();
    let server = MockServer::start();
    let path = "/api-reference/endpoint/list-dubbing-runs.md";
    serve(&server, path, RUNS_PAGE);

    let page = fetch(&server.url(path)).unwrap();
    let report = refresh(&workspace, [page], TODAY).unwrap();

    // progenitor generated the new method and an Option field from the result.
    let client = squeeze(&report.code.client);
    assert!(client.contains("pubfnlist_dub_runs(&self)"), "{client}");
    assert!(
        client.contains("pubprogress:::std::option::Option<i64>"),
        "{client}"
    );
    let mock = squeeze(report.code.mock.as_deref().unwrap_or_default());
    assert!(mock.contains("fnlist_dub_runs<"), "{mock}");

    // The summary names both.
    let summary = report.summary.to_string();
    assert_eq!(
        summary,
        "+ operation GET /dub/{task_id}/runs (list_dub_runs)\n\
         + field OrchestratorPipelineResult.progress: integer, nullable, optional\n"
    );

    // The page is vendored as received, recorded with its URL and the date,
    // next to the page that was already there.
    assert_eq!(read(&dir, "spec/upstream/list-dubbing-runs.md"), RUNS_PAGE);
    let sources: Value = serde_json::from_str(&read(&dir, "spec/upstream/sources.json")).unwrap();
    assert_eq!(sources.as_array().unwrap().len(), 2);
    assert_eq!(sources[0]["file"], "get-end-to-end-dubbing-status.md");
    assert_eq!(sources[1]["file"], "list-dubbing-runs.md");
    assert_eq!(sources[1]["url"], server.url(path));
    assert_eq!(sources[1]["taken"], TODAY);
    assert_eq!(
        report.written,
        [
            "spec/upstream/list-dubbing-runs.md",
            "spec/upstream/sources.json",
            "spec/generated/openapi-3.1.json",
            "spec/generated/openapi.json",
        ]
    );

    // Both generated files carry the new field, in their own dialect.
    let spec_30: Value = serde_json::from_str(&read(&dir, "spec/generated/openapi.json")).unwrap();
    let progress =
        &spec_30["components"]["schemas"]["OrchestratorPipelineResult"]["properties"]["progress"];
    assert_eq!(
        *progress,
        serde_json::json!({"type": "integer", "nullable": true, "title": "Progress"})
    );
    let spec_31: Value =
        serde_json::from_str(&read(&dir, "spec/generated/openapi-3.1.json")).unwrap();
    let progress =
        &spec_31["components"]["schemas"]["OrchestratorPipelineResult"]["properties"]["progress"];
    assert_eq!(progress["anyOf"][1], serde_json::json!({"type": "null"}));
    assert_eq!(spec_31["openapi"], "3.1.0");
}

#[test]
fn refreshing_an_already_vendored_page_replaces_it_and_its_record() {
    let (dir, workspace) = temp_workspace();
    let status_page = read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md");
    let newer = status_page.replace(
        "        - PAYMENT_REQUIRED\n",
        "        - PAYMENT_REQUIRED\n        - CANCELLED\n",
    );
    let local = dir.path().join("get-end-to-end-dubbing-status.md");
    std::fs::write(&local, &newer).unwrap();

    let page = fetch(local.to_str().unwrap()).unwrap();
    let report = refresh(&workspace, [page], TODAY).unwrap();

    assert_eq!(
        report.summary.to_string(),
        "+ enum TaskStatus: +1 value (CANCELLED)\n"
    );
    assert_eq!(
        read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md"),
        newer
    );
    let sources: Value = serde_json::from_str(&read(&dir, "spec/upstream/sources.json")).unwrap();
    assert_eq!(
        sources,
        serde_json::json!([{
            "file": "get-end-to-end-dubbing-status.md",
            "url": local.to_str().unwrap(),
            "taken": TODAY
        }])
    );
}

#[test]
fn a_page_that_contradicts_a_vendored_one_names_both_and_writes_nothing() {
    let (dir, workspace) = temp_workspace();
    let before = read(&dir, "spec/upstream/sources.json");
    let server = MockServer::start();
    let contradicting = RUNS_PAGE.replace(
        "          title: Run ID\n",
        "          title: Run identifier\n",
    );
    serve(&server, "/other.md", &contradicting);

    let page = fetch(&server.url("/other.md")).unwrap();
    let error = refresh(&workspace, [page], TODAY).unwrap_err().to_string();

    assert_eq!(
        error,
        "upstream pages spec/upstream/get-end-to-end-dubbing-status.md and \
         spec/upstream/other.md disagree at \
         /components/schemas/OrchestratorPipelineResult/properties/run_id/title"
    );
    assert!(!dir.path().join("spec/upstream/other.md").exists());
    assert_eq!(read(&dir, "spec/upstream/sources.json"), before);
}

#[test]
fn a_page_without_an_openapi_block_is_refused() {
    let (dir, workspace) = temp_workspace();
    let server = MockServer::start();
    serve(&server, "/empty.md", "# Nothing\n\nJust prose.\n");
    let page = fetch(&server.url("/empty.md")).unwrap();
    let error = format!("{:#}", refresh(&workspace, [page], TODAY).unwrap_err());
    assert!(
        error.starts_with("in spec/upstream/empty.md: no fenced ```yaml block"),
        "{error}"
    );
    assert!(!dir.path().join("spec/upstream/empty.md").exists());
}

#[test]
fn two_pages_with_the_same_name_are_refused() {
    let (_dir, workspace) = temp_workspace();
    let server = MockServer::start();
    serve(&server, "/a/runs.md", RUNS_PAGE);
    serve(&server, "/b/runs.md", RUNS_PAGE);
    let pages = [
        fetch(&server.url("/a/runs.md")).unwrap(),
        fetch(&server.url("/b/runs.md")).unwrap(),
    ];
    let error = refresh(&workspace, pages, TODAY).unwrap_err().to_string();
    assert_eq!(
        error,
        "two pages would both be vendored as spec/upstream/runs.md"
    );
}

#[test]
fn yaml_and_json_files_can_be_vendored_too() {
    let (dir, workspace) = temp_workspace();
    let yaml = RUNS_PAGE
        .split_once("````yaml get /dub/{task_id}/runs\n")
        .and_then(|(_, rest)| rest.split_once("\n````"))
        .map(|(block, _)| block.to_owned())
        .unwrap();
    let yaml_file = dir.path().join("runs.yaml");
    std::fs::write(&yaml_file, &yaml).unwrap();
    let report = refresh(
        &workspace,
        [fetch(yaml_file.to_str().unwrap()).unwrap()],
        TODAY,
    )
    .unwrap();
    assert!(
        report
            .summary
            .to_string()
            .contains("+ operation GET /dub/{task_id}/runs")
    );

    let json_file = dir.path().join("runs.json");
    let doc: Value = xtask::page::parse_yaml(&yaml).unwrap();
    std::fs::write(&json_file, serde_json::to_string(&doc).unwrap()).unwrap();
    // The same document under a second name merges without a conflict.
    let report = refresh(
        &workspace,
        [fetch(json_file.to_str().unwrap()).unwrap()],
        TODAY,
    )
    .unwrap();
    assert_eq!(report.summary.to_string(), "No changes\n");
    assert!(dir.path().join("spec/upstream/runs.json").exists());
}
