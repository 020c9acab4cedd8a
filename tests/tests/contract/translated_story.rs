//! Contract tests of the translated story family (`POST
//! /translated-story/{run_id}` and `GET /translated-story/{task_id}`, one
//! path template in the spec; the result per language) through the raw
//! generated client and through `Camb`'s family calls (`task_families`).

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTranslationForExistingStoryThen, GetTranslatedStoryRunInfoThen,
    GetTranslatedStoryStatusThen,
};
use camb_api::types::{AddTargetLanguageOut, AddTargetLanguageRequestPayload, TaskIdParam};
use camb_api_ext::tasks::TranslatedStory;
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Map, Value, json};

use crate::expect::{self, LANGUAGE, RUN_ID, TASK_ID};
use crate::task_families::{json_request, query_is, task_id};

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

/// The create's answer: a message and the task.
fn started() -> AddTargetLanguageOut {
    serde_json::from_value(json!({"message": "Translation started", "task_id": TASK_ID}))
        .expect("a valid answer")
}

family_contract! {
    create: "create_translation_for_existing_story", CreateTranslationForExistingStoryThen, OnlyIfUnprocessed,
    |client| client.create_translation_for_existing_story().task_id(RUN_ID).body(body()).send(),
    camb |camb| camb.create_task::<TranslatedStory, _>(|call| async { Ok(call.task_id(RUN_ID).body(body())) });
    ok |then| then.ok(&started())
        => raw_create_sends_the_run_id_and_language_and_decodes_the_task
           camb_create_sends_the_run_id_and_language_and_gives_the_task,
        |decoded| {
            assert_eq!(decoded.message, "Translation started");
            assert_eq!(decoded.task_id.as_deref(), Some(TASK_ID));
        },
        |created| { assert_eq!(created, task_id()); };
    errors 422, 401, 404;
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

family_contract! {
    status "get_translated_story_status", status, GetTranslatedStoryStatusThen, TranslatedStory,
    expect::succeeded_status(),
    |client| client.get_translated_story_status().task_id(TASK_ID.to_owned()).send(),
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

family_contract! {
    result result: "get_translated_story_run_info", GetTranslatedStoryRunInfoThen, TranslatedStory,
    |client| client.get_translated_story_run_info().run_id(RUN_ID).target_language(LANGUAGE).send(),
    |call| call.target_language(LANGUAGE), translated(),
    raw_sends_run_and_language_and_keeps_every_field camb_sends_run_and_language_and_keeps_every_field,
    |answer| { assert_eq!(answer, translated()); },
}
