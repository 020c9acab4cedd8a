//! Contract tests of translation (`POST /translate`, its status, its result
//! and batch results) and of the deprecated streamed translation
//! (`POST /translation/stream`), through the raw client and `Camb`'s
//! family calls, or `Camb::call_raw` for the stream (`task_families`).

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTranslationThen, GetTranslationResultThen, GetTranslationResultsThen,
    GetTranslationTaskStatusThen, TranslationStreamThen,
};
use camb_api::types::{
    CreateTranslationRequestPayload, CreateTranslationStreamRequestPayload,
    OrchestratorPipelineCallResult, RunIDsRequestPayload, TranslationResult,
};
use camb_api_ext::tasks::Translation;
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};

use crate::expect::{RUN_ID, TASK_ID, authenticated, no_query};
use crate::task_families::{read_all, succeeded, task_id_param};

/// A `POST /translate` body with every field set, the source detected.
fn translate_body() -> CreateTranslationRequestPayload {
    serde_json::from_value(serde_json::json!({
        "texts": ["Thank you for your inquiry.", "See you next week."],
        "source_language": "auto",
        "target_language": 54,
        "project_name": "Support replies",
        "project_description": "Two lines",
        "folder_id": 3,
        "age": 30,
        "formality": 1,
        "gender": 1,
        "chosen_dictionaries": [11, 12],
    }))
    .expect("a valid translation body")
}

/// `POST /translate` with exactly [`translate_body`], no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTranslationThen) -> CreateTranslationThen,
) -> Mock<'a> {
    server.create_translation(|when, then| {
        let when = when.body(&translate_body()).into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

fn created() -> OrchestratorPipelineCallResult {
    OrchestratorPipelineCallResult {
        task_id: Some(TASK_ID.into()),
    }
}

family_contract! {
    create create: "create_translation", CreateTranslationThen, Translation,
    |client| client.create_translation().body(translate_body()).send(),
    |call| call.body(translate_body()), created();
    errors 422, 401;
}

/// `GET /translate/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslationTaskStatusThen) -> GetTranslationTaskStatusThen,
) -> Mock<'a> {
    server.get_translation_task_status(|when, then| {
        let when = when.task_id(&task_id_param()).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    status "get_translation_task_status", status, GetTranslationTaskStatusThen, Translation, succeeded(),
    |client| client.get_translation_task_status().task_id(task_id_param()).send(),
}

/// The translated texts, in the order they were sent.
fn texts() -> TranslationResult {
    TranslationResult {
        texts: vec![
            "Gracias por su consulta.".into(),
            "Hasta la próxima semana.".into(),
        ],
    }
}

fn assert_texts(result: &TranslationResult) {
    assert_eq!(
        result.texts,
        ["Gracias por su consulta.", "Hasta la próxima semana."]
    );
}

/// `GET /translation-result/{RUN_ID}`, no query, no `traceparent`.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslationResultThen) -> GetTranslationResultThen,
) -> Mock<'a> {
    server.get_translation_result(|when, then| {
        let when = when.run_id(RUN_ID).traceparent(None).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    result result: "get_translation_result", GetTranslationResultThen, Translation,
    |client| client.get_translation_result().run_id(RUN_ID).send(),
    |call| call, texts(), raw_decodes_the_texts camb_decodes_the_texts,
    |answer| { assert_texts(&answer); },
}

fn run_ids() -> RunIDsRequestPayload {
    RunIDsRequestPayload {
        run_ids: vec![RUN_ID],
    }
}

/// `POST /translation-results` with [`run_ids`], no query, no `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslationResultsThen) -> GetTranslationResultsThen,
) -> Mock<'a> {
    server.get_translation_results(|when, then| {
        let when = when.body(&run_ids()).traceparent(None).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    results results: "get_translation_results", GetTranslationResultsThen, Translation,
    |client| client.get_translation_results().body(run_ids()).send(),
    texts(), |texts| { assert_texts(&texts); },
}

/// A `POST /translation/stream` body with every field set.
fn stream_body() -> CreateTranslationStreamRequestPayload {
    serde_json::from_value(serde_json::json!({
        "text": "Jupiter is the largest planet.",
        "source_language": 1,
        "target_language": "hi-in",
        "formality": 2,
        "gender": 1,
        "team_id": 5,
        "project_name": "Planets",
        "project_description": "One line",
        "folder_id": 3,
    }))
    .expect("a valid stream body")
}

/// `POST /translation/stream` with exactly [`stream_body`], no query, no
/// `traceparent`.
fn stream<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(TranslationStreamThen) -> TranslationStreamThen,
) -> Mock<'a> {
    server.translation_stream(|when, then| {
        let when = when.body(&stream_body()).traceparent(None).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

const TRANSLATED: &str = "बृहस्पति सबसे बड़ा ग्रह है।";

/// The translation as the docs say it comes: UTF-8 text, `text/event-stream`.
fn streamed_text(then: TranslationStreamThen) -> TranslationStreamThen {
    TranslationStreamThen::new(
        then.into_inner()
            .status(200)
            .header("content-type", "text/event-stream")
            .body(TRANSLATED),
    )
}

family_contract! {
    ok "translation_stream", stream, |then| streamed_text(then), OnlyIfUnprocessed,
    |client| client.translation_stream().body(stream_body()).send(),
    raw_translation_stream_streams_the_text, camb_translation_stream_streams_the_text,
    |body| { assert_eq!(String::from_utf8(read_all(body).await).expect("UTF-8"), TRANSLATED); },
}

family_contract! {
    errors "translation_stream", stream, TranslationStreamThen, OnlyIfUnprocessed,
    |client| client.translation_stream().body(stream_body()).send();
    422 => raw_translation_stream_422 camb_translation_stream_422,
    401 => raw_translation_stream_401 camb_translation_stream_401,
}
