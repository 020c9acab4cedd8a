//! Contract tests of the translated story family (`POST
//! /translated-story/{run_id}` and `GET /translated-story/{task_id}`, one
//! path template in the spec; the result per language) through the raw
//! generated client.

use camb_api::TaskStatus;
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTranslationForExistingStoryThen, GetTranslatedStoryRunInfoThen,
    GetTranslatedStoryStatusThen,
};
use camb_api::types::{AddTargetLanguageOut, AddTargetLanguageRequestPayload, TaskIdParam};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Map, Value, json};

use crate::expect::{self, LANGUAGE, RUN_ID, TASK_ID};
use crate::raw_only::{json_request, query_is};

/// `POST /translated-story/{RUN_ID}` (the story's run id in the path) with
/// `{"target_language": 76}`, no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTranslationForExistingStoryThen) -> CreateTranslationForExistingStoryThen,
) -> Mock<'a> {
    server.create_translation_for_existing_story(|when, then| {
        let when = when
            .task_id(RUN_ID)
            .body(&AddTargetLanguageRequestPayload {
                target_language: LANGUAGE,
            })
            .into_inner();
        json_request(when)
            .path(format!("/translated-story/{RUN_ID}"))
            .is_true(query_is(&[]));
        respond(then);
    })
}

fn body() -> AddTargetLanguageRequestPayload {
    AddTargetLanguageRequestPayload {
        target_language: LANGUAGE,
    }
}

contract_test! {
    client = Raw, operation = "create_translation_for_existing_story", status = 200,
    async fn raw_create_sends_the_run_id_and_language_and_decodes_the_task() {
        let server = MockServer::start_async().await;
        let answer: AddTargetLanguageOut =
            serde_json::from_value(json!({"message": "Translation started", "task_id": TASK_ID}))
                .expect("a valid answer");
        let mock = create(&server, |then| then.ok(&answer));

        let decoded = raw_client(&server.base_url(), API_KEY)
            .create_translation_for_existing_story()
            .task_id(RUN_ID)
            .body(body())
            .send()
            .await
            .expect("create succeeds")
            .into_inner();

        assert_eq!(decoded.message, "Translation started");
        assert_eq!(decoded.task_id.as_deref(), Some(TASK_ID));
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "create_translation_for_existing_story", create, CreateTranslationForExistingStoryThen,
    |client| client.create_translation_for_existing_story().task_id(RUN_ID).body(body()).send();
    422 => raw_create_422, 401 => raw_create_401, 404 => raw_create_404,
}

/// `GET /translated-story/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslatedStoryStatusThen) -> GetTranslatedStoryStatusThen,
) -> Mock<'a> {
    server.get_translated_story_status(|when, then| {
        let when = when
            .task_id(&TaskIdParam(TASK_ID.into()))
            .run_id(None)
            .into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

contract_test! {
    client = Raw, operation = "get_translated_story_status", status = 200,
    async fn raw_status_decodes_the_shared_task_status() {
        let server = MockServer::start_async().await;
        let mock = status(&server, |then| then.ok(&expect::succeeded_status()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_translated_story_status()
            .task_id(TASK_ID.to_owned())
            .send()
            .await
            .expect("status succeeds")
            .into_inner();

        assert_eq!(answer.status, Some(TaskStatus::Success));
        assert_eq!(answer.run_id, Some(RUN_ID));
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_translated_story_status", status, GetTranslatedStoryStatusThen,
    |client| client.get_translated_story_status().task_id(TASK_ID.to_owned()).send();
    422 => raw_status_422, 401 => raw_status_401, 404 => raw_status_404,
}

/// `GET /translated-story-result/{RUN_ID}/76`, no query.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslatedStoryRunInfoThen) -> GetTranslatedStoryRunInfoThen,
) -> Mock<'a> {
    server.get_translated_story_run_info(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .target_language(LANGUAGE)
            .include_transcript(None)
            .into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

fn translated() -> Map<String, Value> {
    json!({"audio_url": "https://storage.example/fox-fr.flac", "language": LANGUAGE})
        .as_object()
        .cloned()
        .expect("an object")
}

contract_test! {
    client = Raw, operation = "get_translated_story_run_info", status = 200,
    async fn raw_result_sends_run_and_language_and_keeps_every_field() {
        let server = MockServer::start_async().await;
        let mock = result(&server, |then| then.ok(&translated()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_translated_story_run_info()
            .run_id(RUN_ID)
            .target_language(LANGUAGE)
            .send()
            .await
            .expect("result succeeds");

        assert_eq!(answer.into_inner(), translated());
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_translated_story_run_info", result, GetTranslatedStoryRunInfoThen,
    |client| client.get_translated_story_run_info().run_id(RUN_ID).target_language(LANGUAGE).send();
    422 => raw_result_422, 401 => raw_result_401, 404 => raw_result_404,
}
