//! Contract tests of the story family (`POST /story` and `POST /story-setup`,
//! multipart uploads answering a task or the story itself; the status, the
//! result and the batch results) through the raw generated client and
//! through `Camb`'s family calls (`start_task`, `task_status`,
//! `task_result_with`, `task_results`: `task_families`).

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
use camb_api_ext::Started;
use camb_api_ext::tasks::{Story, StorySetup};
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

/// The contract tests of a story create (`POST /story` or `POST
/// /story-setup`, which take the same form and answer alike): `$expect` its
/// mock (and the tests' module), `$call` its builder set, `$Answer` what it
/// answers, `$Family` its family for `Camb::start_task`.
macro_rules! story_create {
    ($expect:ident: $operation:literal, $Then:ident, $method:ident, $call:ident, $Answer:ident, $Family:ident) => {
        family_contract! {
            $expect: $operation, $Then, OnlyIfUnprocessed,
            |client| $call(client.$method()).send(),
            camb |camb| camb.start_task::<$Family, _>(|call| async { Ok($call(call)) });
            ok |then| then.ok(&$Answer::from(a_task()))
                => raw_uploads_the_document_and_decodes_a_task camb_uploads_the_document_and_gives_the_task,
                |answer| {
                    let $Answer::OrchestratorPipelineCallResult(task) = answer else {
                        panic!("expected a task, got {answer:?}");
                    };
                    assert_eq!(task.task_id.as_deref(), Some(TASK_ID));
                },
                |started| {
                    let Started::Task(started) = started else {
                        panic!("expected a task, got {started:?}");
                    };
                    assert_eq!(started, task_id());
                };
            ok |then| then.ok(&$Answer::from(story()))
                => raw_decodes_a_story_answered_at_once camb_gives_a_story_answered_at_once,
                |answer| {
                    let $Answer::GetSetupStoryResultResponse(story) = answer else {
                        panic!("expected the story, got {answer:?}");
                    };
                    assert_story(&story);
                },
                |started| {
                    let Started::Done(story) = started else {
                        panic!("expected the story, got {started:?}");
                    };
                    assert_story(&story);
                };
            errors 422, 401;
        }
    };
}

story_create!(create: "create_story", CreateStoryThen, create_story, create_call, CreateStoryResponse, Story);
story_create!(setup: "setup_story", SetupStoryThen, setup_story, setup_call, SetupStoryResponse, StorySetup);

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
    status "get_story_status", status, GetStoryStatusThen, Story, expect::failed_status(),
    |client| client.get_story_status().task_id(TASK_ID.to_owned()).send(),
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
    result result: "get_story_run_info", GetStoryRunInfoThen, Story,
    |client| client.get_story_run_info().run_id(RUN_ID).include_transcript(true).send(),
    |call| call.include_transcript(true), story_result(),
    raw_asks_for_the_transcript_and_keeps_every_field camb_asks_for_the_transcript_and_keeps_every_field,
    |answer| { assert_eq!(answer, story_result()); },
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
    results results: "get_stories_runs_results", GetStoriesRunsResultsThen, Story,
    |client| client.get_stories_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send(),
    story_result(), |result| { assert_eq!(result, story_result()); },
}
