//! Contract tests of the story family (`POST /story` and `POST /story-setup`,
//! multipart uploads answering a task or the story itself; the status, the
//! result and the batch results) through the raw generated client and
//! through `Camb`'s family calls (`start_task`, `task_status`,
//! `task_result_with`, `task_results`: `task_families`).

use std::collections::HashMap;

use camb_api::builder::{CreateStory, SetupStory};
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateStoryThen, GetStoriesRunsResultsThen, GetStoryRunInfoThen, GetStoryStatusThen,
    SetupStoryThen,
};
use camb_api::multipart::FilePart;
use camb_api::types::{
    BodyCreateStoryStoryPost, BodySetupStoryStorySetupPost, CreateStoryResponse,
    GetSetupStoryResultResponse, OrchestratorPipelineCallResult, RunIDsRequestPayload,
    SetupStoryResponse, TaskIdParam,
};
use camb_api_ext::tasks::{Story, StorySetup};
use camb_api_ext::{ExceptionReason, RunId, Started, TaskStatus};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer, When};
use serde_json::{Map, Value, json};

use crate::expect::{self, RUN_ID, TASK_ID};
use crate::task_families::{json_request, query_is, task_id, text_part};

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

/// The story create with [`fields`], [`document`] and `?run_id=5` set: the
/// raw client's and `Camb::start_task`'s.
fn create_call(call: CreateStory<'_>) -> CreateStory<'_> {
    let form: BodyCreateStoryStoryPost = serde_json::from_value(fields()).expect("a valid form");
    call.body(form).file(document()).run_id(5)
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

/// The story setup with the same form as [`create_call`].
fn setup_call(call: SetupStory<'_>) -> SetupStory<'_> {
    let form: BodySetupStoryStorySetupPost =
        serde_json::from_value(fields()).expect("a valid form");
    call.body(form).file(document()).run_id(5)
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

/// What `Camb::start_task` started: the task [`a_task`] answers.
fn assert_started_task<W: std::fmt::Debug>(started: Started<W>) {
    match started {
        Started::Task(started) => assert_eq!(started, task_id()),
        Started::Done(work) => panic!("expected a task, got {work:?}"),
    }
}

/// What `Camb::start_task` started: the [`story`] answered at once.
fn assert_started_story(started: Started<GetSetupStoryResultResponse>) {
    match started {
        Started::Done(story) => assert_story(&story),
        Started::Task(task_id) => panic!("expected the story, got task {task_id}"),
    }
}

family_contract! {
    ok "create_story", create, |then| then.ok(&CreateStoryResponse::from(a_task())), OnlyIfUnprocessed,
    |client| create_call(client.create_story()).send(),
    raw_create_uploads_the_document_and_decodes_a_task,
    |answer| {
        match answer {
            CreateStoryResponse::OrchestratorPipelineCallResult(task) => {
                assert_eq!(task.task_id.as_deref(), Some(TASK_ID));
            }
            other => panic!("expected a task, got {other:?}"),
        }
    },
    camb |camb| camb.start_task::<Story, _>(|call| async { Ok(create_call(call)) }),
    camb_start_uploads_the_document_and_gives_the_task,
    |started| { assert_started_task(started); },
}

family_contract! {
    ok "create_story", create, |then| then.ok(&CreateStoryResponse::from(story())), OnlyIfUnprocessed,
    |client| create_call(client.create_story()).send(),
    raw_create_decodes_a_story_answered_at_once,
    |answer| {
        match answer {
            CreateStoryResponse::GetSetupStoryResultResponse(story) => assert_story(&story),
            other => panic!("expected the story, got {other:?}"),
        }
    },
    camb |camb| camb.start_task::<Story, _>(|call| async { Ok(create_call(call)) }),
    camb_start_gives_a_story_answered_at_once,
    |started| { assert_started_story(started); },
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

family_contract! {
    errors "create_story", create, CreateStoryThen,
    |client| create_call(client.create_story()).send(),
    camb |camb| camb.start_task::<Story, _>(|call| async { Ok(create_call(call)) });
    422 => raw_create_422 camb_create_422,
    401 => raw_create_401 camb_create_401,
}

family_contract! {
    ok "setup_story", setup, |then| then.ok(&SetupStoryResponse::from(a_task())), OnlyIfUnprocessed,
    |client| setup_call(client.setup_story()).send(),
    raw_setup_uploads_the_document_and_decodes_a_task,
    |answer| {
        match answer {
            SetupStoryResponse::OrchestratorPipelineCallResult(task) => {
                assert_eq!(task.task_id.as_deref(), Some(TASK_ID));
            }
            other => panic!("expected a task, got {other:?}"),
        }
    },
    camb |camb| camb.start_task::<StorySetup, _>(|call| async { Ok(setup_call(call)) }),
    camb_start_setup_uploads_the_document_and_gives_the_task,
    |started| { assert_started_task(started); },
}

family_contract! {
    ok "setup_story", setup, |then| then.ok(&SetupStoryResponse::from(story())), OnlyIfUnprocessed,
    |client| setup_call(client.setup_story()).send(),
    raw_setup_decodes_a_story_answered_at_once,
    |answer| {
        match answer {
            SetupStoryResponse::GetSetupStoryResultResponse(story) => assert_story(&story),
            other => panic!("expected the story, got {other:?}"),
        }
    },
    camb |camb| camb.start_task::<StorySetup, _>(|call| async { Ok(setup_call(call)) }),
    camb_start_setup_gives_a_story_answered_at_once,
    |started| { assert_started_story(started); },
}

family_contract! {
    errors "setup_story", setup, SetupStoryThen,
    |client| setup_call(client.setup_story()).send(),
    camb |camb| camb.start_task::<StorySetup, _>(|call| async { Ok(setup_call(call)) });
    422 => raw_setup_422 camb_setup_422,
    401 => raw_setup_401 camb_setup_401,
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

family_contract! {
    ok "get_story_status", status, |then| then.ok(&expect::failed_status()), Idempotent,
    |client| client.get_story_status().task_id(TASK_ID.to_owned()).send(),
    raw_status_decodes_the_shared_task_status,
    |answer| {
        assert_eq!(answer.status, Some(camb_api::TaskStatus::Error));
        assert_eq!(answer.run_id, None);
    },
    camb |camb| camb.task_status::<Story>(&task_id()),
    camb_status_gives_a_failure_as_a_status,
    |status| {
        assert_eq!(status.status, TaskStatus::Error);
        assert_eq!(status.run_id, None);
        assert_eq!(status.exception_reason, Some(ExceptionReason::SourceNotFound));
    },
}

family_contract! {
    errors "get_story_status", status, GetStoryStatusThen,
    |client| client.get_story_status().task_id(TASK_ID.to_owned()).send(),
    camb |camb| camb.task_status::<Story>(&task_id());
    422 => raw_status_422 camb_status_422,
    401 => raw_status_401 camb_status_401,
    404 => raw_status_404 camb_status_404,
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

family_contract! {
    ok "get_story_run_info", result, |then| then.ok(&story_result()), Idempotent,
    |client| client.get_story_run_info().run_id(RUN_ID).include_transcript(true).send(),
    raw_result_asks_for_the_transcript_and_keeps_every_field,
    |answer| { assert_eq!(answer, story_result()); },
    camb |camb| camb.task_result_with::<Story>(RunId(RUN_ID), |call| call.include_transcript(true)),
    camb_result_asks_for_the_transcript_and_keeps_every_field,
    |answer| { assert_eq!(answer, story_result()); },
}

family_contract! {
    errors "get_story_run_info", result, GetStoryRunInfoThen,
    |client| client.get_story_run_info().run_id(RUN_ID).include_transcript(true).send(),
    camb |camb| camb.task_result_with::<Story>(RunId(RUN_ID), |call| call.include_transcript(true));
    422 => raw_result_422 camb_result_422,
    401 => raw_result_401 camb_result_401,
    404 => raw_result_404 camb_result_404,
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

family_contract! {
    ok "get_stories_runs_results", results,
    |then| then.ok(&HashMap::from([(RUN_ID.to_string(), story_result())])), Idempotent,
    |client| client.get_stories_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send(),
    raw_results_sends_the_run_ids_and_decodes_the_map,
    |answer| { assert_eq!(answer, HashMap::from([(RUN_ID.to_string(), story_result())])); },
    camb |camb| camb.task_results::<Story>([RunId(RUN_ID)]),
    camb_results_sends_the_run_ids_and_gives_each_result,
    |results| {
        let [(run_id, result)] = <[_; 1]>::try_from(results).expect("one run");
        assert_eq!(run_id, RunId(RUN_ID));
        assert_eq!(result.expect("the run's result"), story_result());
    },
}

family_contract! {
    errors "get_stories_runs_results", results, GetStoriesRunsResultsThen,
    |client| client.get_stories_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send(),
    camb |camb| camb.task_results::<Story>([RunId(RUN_ID)]);
    422 => raw_results_422 camb_results_422,
    401 => raw_results_401 camb_results_401,
}
