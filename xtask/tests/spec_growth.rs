//! The spec grows, and no Rust has to: one scratch build (regen's shared
//! `target/regen-check`) of camb-api-ext and camb-simulator against a copy
//! of today's spec with
//!
//! - a task family added by spec lines alone (issue 20, item 2): its
//!   operations and `x-camb-task` in an overlay; regen accepts it, and a
//!   test written against the scratch client (no library code edited)
//!   creates one of its tasks, waits for it and fetches its result from a
//!   mock server;
//! - an optional field added to every object schema, every answer among
//!   them (item 5): hand-written code that names every field of a generated
//!   struct (a pattern without `..`, a struct literal) fails this build.
//!
//! Cost on the 2-core machine: see spec/README.md, "Task families".

mod common;

use std::fs;

use common::{scratch::Scratch, temp_workspace};
use serde_json::{Value, json};
use xtask::regen::regen;

/// The new family, as an overlay would add it (FastAPI's shapes).
const WIDGET_OVERLAY: &str = r##"
paths:
  /widget:
    post:
      operationId: create_widget_widget_post
      x-camb-task:
        name: widget
        status: GET /widget/{task_id}
        result: GET /widget-result/{run_id}
        typical-seconds: 5
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/WidgetRequest'
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/OrchestratorPipelineCallResult'
        '422': &validation-error
          description: Validation Error
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/HTTPValidationError'
  /widget/{task_id}:
    get:
      operationId: get_widget_status_widget__task_id__get
      parameters:
        - name: task_id
          in: path
          required: true
          schema:
            type: string
            title: Task Id
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/OrchestratorPipelineResult'
        '422': *validation-error
  /widget-result/{run_id}:
    get:
      operationId: get_widget_result_widget_result__run_id__get
      parameters:
        - name: run_id
          in: path
          required: true
          schema:
            type: integer
            title: Run Id
      responses:
        '200':
          description: Successful Response
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/WidgetResult'
        '422': *validation-error
components:
  schemas:
    WidgetRequest:
      properties:
        text:
          type: string
          title: Text
      type: object
      required:
        - text
      title: WidgetRequest
    WidgetResult:
      properties:
        url:
          type: string
          title: Url
      type: object
      required:
        - url
      title: WidgetResult
"##;

/// Written into the scratch camb-api-ext: uses the family through the
/// generic calls only.
const WIDGET_TEST: &str = r##"//! Written by xtask's spec_growth test: the family `widget` exists in the
//! scratch spec only.

use std::sync::{
    Arc,
    atomic::{AtomicU32, Ordering},
};

use camb_api_ext::{Camb, RunId, tasks::Widget};
use httpmock::prelude::*;

#[tokio::test(start_paused = true)]
async fn a_family_added_by_spec_alone_is_created_waited_for_and_fetched() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/widget")
                .header("x-api-key", "k")
                .json_body(serde_json::json!({"text": "hello"}));
            then.status(200).json_body(serde_json::json!({"task_id": "w1"}));
        })
        .await;
    let polls = Arc::new(AtomicU32::new(0));
    let counted = polls.clone();
    server
        .mock_async(|when, then| {
            when.method(GET).path("/widget/w1");
            then.respond_with(move |_: &HttpMockRequest| {
                let body = match counted.fetch_add(1, Ordering::SeqCst) {
                    0 | 1 => r#"{"status": "PENDING"}"#,
                    _ => r#"{"status": "SUCCESS", "run_id": 3}"#,
                };
                HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body)
                    .build()
            });
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/widget-result/3");
            then.status(200)
                .json_body(serde_json::json!({"url": "https://cdn.example/w.wav"}));
        })
        .await;
    let camb = Camb::builder()
        .api_key("k")
        .base_url(server.base_url())
        .for_paused_clock()
        .build()
        .unwrap();

    let task_id = camb
        .create_task::<Widget, _>(|call| async move {
            Ok(call.body_map(|body| body.text("hello".to_owned())))
        })
        .await
        .unwrap();
    let mut updates = Vec::new();
    let run_id = camb
        .wait_for_task::<Widget>(&task_id)
        .on_update(|update| updates.push(update.status.status.to_string()))
        .await
        .unwrap();
    assert_eq!(run_id, RunId(3));
    assert_eq!(updates, ["PENDING", "PENDING", "SUCCESS"]);
    let result = camb.task_result::<Widget>(run_id).await.unwrap();
    assert_eq!(result.url, "https://cdn.example/w.wav");
    create.assert_calls_async(1).await;
}
"##;

/// `spec` with an optional field `added_upstream` in every object schema of
/// its components that has properties (`field` is its schema): how an API
/// grows. How many schemas grew.
fn with_a_field_added_everywhere(spec: &mut Value, field: &Value) -> usize {
    let mut added = 0;
    let schemas = spec["components"]["schemas"].as_object_mut().unwrap();
    for schema in schemas.values_mut() {
        if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
            properties.insert("added_upstream".into(), field.clone());
            added += 1;
        }
    }
    added
}

#[test]
fn a_family_added_by_spec_alone_and_a_field_added_to_every_answer_build_and_work() {
    let (dir, workspace) = temp_workspace();
    fs::write(workspace.overlay_dir().join("widget.yaml"), WIDGET_OVERLAY).unwrap();
    // regen accepts the family: merged, converted, generated, compiled.
    let report = regen(&workspace).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(
        report.code.tasks.contains("pub enum Widget {}"),
        "{}",
        report.code.tasks
    );

    let read = |path: std::path::PathBuf| -> Value {
        serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
    };
    let (mut spec_30, mut spec_31) = (
        read(workspace.openapi_30_file()),
        read(workspace.openapi_31_file()),
    );
    let title = "Added Upstream";
    let added = with_a_field_added_everywhere(
        &mut spec_30,
        &json!({"type": "string", "nullable": true, "title": title}),
    );
    with_a_field_added_everywhere(
        &mut spec_31,
        &json!({"anyOf": [{"type": "string"}, {"type": "null"}], "title": title}),
    );
    assert!(added > 20, "only {added} object schemas");
    for answer in [
        "OrchestratorPipelineResult",
        "DubResult",
        "TranscriptionResult",
        "WidgetResult",
    ] {
        assert!(
            spec_30["components"]["schemas"][answer]["properties"]["added_upstream"].is_object(),
            "{answer}"
        );
    }

    let text = |spec: &Value| serde_json::to_string_pretty(spec).unwrap();
    let scratch = Scratch::prepare("spec-growth-scratch", &text(&spec_30), &text(&spec_31));
    scratch.write("camb-api-ext/tests/widget_family.rs", WIDGET_TEST);
    // Builds camb-api-ext (and camb-simulator, its dev-dependency) and runs
    // the family's test.
    scratch.cargo(&["test", "-p", "camb-api-ext", "--test", "widget_family"]);
    // Every target of both crates (their tests, examples and benches name
    // generated types too), against the grown types.
    scratch.cargo(&[
        "build",
        "-p",
        "camb-api-ext",
        "-p",
        "camb-simulator",
        "--all-targets",
        "--all-features",
    ]);
    drop(dir);
}
