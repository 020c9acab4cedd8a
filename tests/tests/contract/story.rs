//! Contract tests of the story family (`POST /story` and `POST /story-setup`,
//! multipart uploads answering a task or the story itself; the status, the
//! result and the batch results) through the raw generated client.

use std::collections::HashMap;

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateStoryThen, GetStoriesRunsResultsThen, GetStoryRunInfoThen, GetStoryStatusThen,
    SetupStoryThen,
};
use camb_api::multipart::FilePart;
use camb_api::types::{
    BodyCreateStoryStoryPost, BodySetupStoryStorySetupPost, CreateStoryResponse,
    GetSetupStoryResultResponse, HttpValidationError, OrchestratorPipelineCallResult,
    RunIDsRequestPayload, SetupStoryResponse, TaskIdParam,
};
use camb_api::{ResponseValue, TaskStatus};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer, When};
use serde_json::{Map, Value, json};

use crate::expect::{self, RUN_ID, TASK_ID};
use crate::raw_only::{json_request, query_is, text_part};

/// The form's text fields (both creates take the same).
fn fields() -> Value {
    json!({
        "source_language": 1,
        "title": "The Fox",
        "narrator_voice_id": 20299,
        "chosen_dictionaries": [11, 12],
    })
}

/// What both creates send: the fields, each dictionary id a part of its
/// own, and `fox.txt` as the `file` part; `?run_id=5`.
fn story_form(when: When) -> When {
    expect::authenticated(when)
        .header_matches("content-type", "^multipart/form-data; boundary=")
        .body_includes(text_part("source_language", "1"))
        .body_includes(text_part("title", "The Fox"))
        .body_includes(text_part("narrator_voice_id", "20299"))
        .body_includes(text_part("chosen_dictionaries", "11"))
        .body_includes(text_part("chosen_dictionaries", "12"))
        .body_excludes("name=\"description\"")
        .body_includes("name=\"file\"; filename=\"fox.txt\"\r\nContent-Type: text/plain\r\n\r\nOnce upon a time\r\n")
        .is_true(query_is(&[("run_id", "5")]))
}

fn document() -> FilePart {
    FilePart::bytes(b"Once upon a time".as_slice(), "fox.txt")
        .content_type("text/plain")
        .expect("a media type")
}

fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateStoryThen) -> CreateStoryThen,
) -> Mock<'a> {
    server.create_story(|when, then| {
        story_form(when.run_id(5).into_inner());
        respond(then);
    })
}

async fn send_create(
    client: &camb_api::Client,
) -> Result<ResponseValue<CreateStoryResponse>, camb_api::Error<HttpValidationError>> {
    let form: BodyCreateStoryStoryPost = serde_json::from_value(fields()).expect("a valid form");
    client
        .create_story()
        .body(form)
        .file(document())
        .run_id(5)
        .send()
        .await
}

fn setup<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(SetupStoryThen) -> SetupStoryThen,
) -> Mock<'a> {
    server.setup_story(|when, then| {
        story_form(when.run_id(5).into_inner());
        respond(then);
    })
}

async fn send_setup(
    client: &camb_api::Client,
) -> Result<ResponseValue<SetupStoryResponse>, camb_api::Error<HttpValidationError>> {
    let form: BodySetupStoryStorySetupPost =
        serde_json::from_value(fields()).expect("a valid form");
    client
        .setup_story()
        .body(form)
        .file(document())
        .run_id(5)
        .send()
        .await
}

/// A story answered at once.
fn story() -> GetSetupStoryResultResponse {
    serde_json::from_value(json!({
        "run_id": RUN_ID,
        "story_details": {
            "story_title": "The Fox",
            "created_at": "2026-10-01T12:00:00Z",
            "source_language": 1,
            "target_languages": [76],
            "studio_url": "https://studio.camb.ai/story/1",
        },
    }))
    .expect("a valid story")
}

fn assert_story(story: &GetSetupStoryResultResponse) {
    assert_eq!(story.run_id, RUN_ID);
    let details = &story.story_details;
    assert_eq!(details.story_title, "The Fox");
    assert_eq!(details.source_language, 1);
    assert_eq!(details.target_languages.as_deref(), Some(&[76][..]));
    assert_eq!(details.created_at.to_rfc3339(), "2026-10-01T12:00:00+00:00");
    assert_eq!(details.studio_url, "https://studio.camb.ai/story/1");
}

fn a_task() -> OrchestratorPipelineCallResult {
    OrchestratorPipelineCallResult {
        task_id: Some(TASK_ID.into()),
    }
}

contract_test! {
    client = Raw, operation = "create_story", status = 200,
    async fn raw_create_uploads_the_document_and_decodes_a_task() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.ok(&CreateStoryResponse::from(a_task())));

        let answer = send_create(&raw_client(&server.base_url(), API_KEY)).await.expect("create succeeds");

        match answer.into_inner() {
            CreateStoryResponse::OrchestratorPipelineCallResult(task) => {
                assert_eq!(task.task_id.as_deref(), Some(TASK_ID));
            }
            other => panic!("expected a task, got {other:?}"),
        }
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_story", status = 200,
    async fn raw_create_decodes_a_story_answered_at_once() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.ok(&CreateStoryResponse::from(story())));

        let answer = send_create(&raw_client(&server.base_url(), API_KEY)).await.expect("create succeeds");

        match answer.into_inner() {
            CreateStoryResponse::GetSetupStoryResultResponse(story) => assert_story(&story),
            other => panic!("expected the story, got {other:?}"),
        }
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn raw_create_refuses_a_form_without_its_document_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server.create_story(|when, then| {
        when.into_inner();
        then.ok(&CreateStoryResponse::from(a_task()));
    });
    let form: BodyCreateStoryStoryPost = serde_json::from_value(fields()).expect("a valid form");

    let result = raw_client(&server.base_url(), API_KEY)
        .create_story()
        .body(form)
        .send()
        .await;

    assert!(
        matches!(&result, Err(camb_api::Error::InvalidRequest(message)) if message.contains("`file`")),
        "{result:?}"
    );
    any.assert_calls_async(0).await;
}

raw_error_tests! {
    "create_story", create, CreateStoryThen, |client| send_create(&client);
    422 => raw_create_422, 401 => raw_create_401,
}

contract_test! {
    client = Raw, operation = "setup_story", status = 200,
    async fn raw_setup_uploads_the_document_and_decodes_a_task() {
        let server = MockServer::start_async().await;
        let mock = setup(&server, |then| then.ok(&SetupStoryResponse::from(a_task())));

        let answer = send_setup(&raw_client(&server.base_url(), API_KEY)).await.expect("setup succeeds");

        match answer.into_inner() {
            SetupStoryResponse::OrchestratorPipelineCallResult(task) => {
                assert_eq!(task.task_id.as_deref(), Some(TASK_ID));
            }
            other => panic!("expected a task, got {other:?}"),
        }
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "setup_story", status = 200,
    async fn raw_setup_decodes_a_story_answered_at_once() {
        let server = MockServer::start_async().await;
        let mock = setup(&server, |then| then.ok(&SetupStoryResponse::from(story())));

        let answer = send_setup(&raw_client(&server.base_url(), API_KEY)).await.expect("setup succeeds");

        match answer.into_inner() {
            SetupStoryResponse::GetSetupStoryResultResponse(story) => assert_story(&story),
            other => panic!("expected the story, got {other:?}"),
        }
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "setup_story", setup, SetupStoryThen, |client| send_setup(&client);
    422 => raw_setup_422, 401 => raw_setup_401,
}

/// `GET /story/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetStoryStatusThen) -> GetStoryStatusThen,
) -> Mock<'a> {
    server.get_story_status(|when, then| {
        let when = when.task_id(&TaskIdParam(TASK_ID.into())).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

contract_test! {
    client = Raw, operation = "get_story_status", status = 200,
    async fn raw_status_decodes_the_shared_task_status() {
        let server = MockServer::start_async().await;
        let mock = status(&server, |then| then.ok(&expect::failed_status()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_story_status()
            .task_id(TASK_ID.to_owned())
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        assert_eq!(answer.status, Some(TaskStatus::Error));
        assert_eq!(answer.run_id, None);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_story_status", status, GetStoryStatusThen,
    |client| client.get_story_status().task_id(TASK_ID.to_owned()).send();
    422 => raw_status_422, 401 => raw_status_401, 404 => raw_status_404,
}

/// `GET /story-result/{RUN_ID}?include_transcript=true`.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetStoryRunInfoThen) -> GetStoryRunInfoThen,
) -> Mock<'a> {
    server.get_story_run_info(|when, then| {
        let when = when.run_id(RUN_ID).include_transcript(true).into_inner();
        expect::authenticated(when).is_true(query_is(&[("include_transcript", "true")]));
        respond(then);
    })
}

/// A story result: typed `Dict[str, Any]`, any fields.
fn story_result() -> Map<String, Value> {
    json!({"audio_url": "https://storage.example/fox.flac", "transcript": [{"text": "Once"}]})
        .as_object()
        .cloned()
        .expect("an object")
}

contract_test! {
    client = Raw, operation = "get_story_run_info", status = 200,
    async fn raw_result_asks_for_the_transcript_and_keeps_every_field() {
        let server = MockServer::start_async().await;
        let mock = result(&server, |then| then.ok(&story_result()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_story_run_info()
            .run_id(RUN_ID)
            .include_transcript(true)
            .send()
            .await
            .expect("result succeeds");

        assert_eq!(answer.into_inner(), story_result());
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_story_run_info", result, GetStoryRunInfoThen,
    |client| client.get_story_run_info().run_id(RUN_ID).include_transcript(true).send();
    422 => raw_result_422, 401 => raw_result_401, 404 => raw_result_404,
}

/// `POST /stories-results` with `{"run_ids": [RUN_ID]}`, no query, no
/// `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetStoriesRunsResultsThen) -> GetStoriesRunsResultsThen,
) -> Mock<'a> {
    server.get_stories_runs_results(|when, then| {
        let when = when
            .body(&RunIDsRequestPayload {
                run_ids: vec![RUN_ID],
            })
            .traceparent(None)
            .into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

contract_test! {
    client = Raw, operation = "get_stories_runs_results", status = 200,
    async fn raw_results_sends_the_run_ids_and_decodes_the_map() {
        let server = MockServer::start_async().await;
        let answer = HashMap::from([(RUN_ID.to_string(), story_result())]);
        let mock = results(&server, |then| then.ok(&answer));

        let decoded = raw_client(&server.base_url(), API_KEY)
            .get_stories_runs_results()
            .body(RunIDsRequestPayload { run_ids: vec![RUN_ID] })
            .send()
            .await
            .expect("results succeed")
            .into_inner();

        assert_eq!(decoded, answer);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_stories_runs_results", results, GetStoriesRunsResultsThen,
    |client| client.get_stories_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send();
    422 => raw_results_422, 401 => raw_results_401,
}
