//! Contract tests of text to speech as a task (`POST /tts`, its status and
//! the Discord one, the result in both forms, the batch results) and of
//! translated text to speech (`POST /translated-tts`, its status), through
//! the raw client and `Camb::call_raw` (`task_families`).

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTranslatedTtsThen, CreateTtsThen, GetTranslatedTtsTaskStatusThen,
    GetTtsResultDiscordThen, GetTtsResultThen, GetTtsResultsThen, GetTtsRunInfoThen,
};
use camb_api::types::{
    CreateTranslatedTtsOut, CreateTranslatedTtsRequestPayload, CreateTtsOut,
    CreateTtsRequestPayload, GetTtsResultOutFileUrl, GetTtsResultsResponseValue, OutputType,
    RunIDsRequestPayload,
};
use camb_api_ext::tasks::{TranslatedTts, Tts};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};

use crate::expect::{RUN_ID, TASK_ID, authenticated, no_query};
use crate::task_families::{FILE_URL, FLAC, assert_succeeded, read_all, succeeded, task_id_param};

/// A `POST /tts` body with every field set.
fn tts_body() -> CreateTtsRequestPayload {
    serde_json::from_value(serde_json::json!({
        "text": "Hello from the contract tests.",
        "voice_id": 147_320,
        "language": 1,
        "project_name": "Greeting",
        "project_description": "A short hello",
        "folder_id": 3,
        "gender": 2,
        "age": 30,
    }))
    .expect("a valid TTS body")
}

/// `POST /tts` with exactly [`tts_body`], no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTtsThen) -> CreateTtsThen,
) -> Mock<'a> {
    server.create_tts(|when, then| {
        let when = when.body(&tts_body()).into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

family_contract! {
    create create: "create_tts", CreateTtsThen, Tts,
    |client| client.create_tts().body(tts_body()).send(),
    |call| call.body(tts_body()), CreateTtsOut { task_id: TASK_ID.into() };
    errors 422, 401;
}

/// `GET /tts/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsResultThen) -> GetTtsResultThen,
) -> Mock<'a> {
    server.get_tts_result(|when, then| {
        let when = when.task_id(&task_id_param()).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    status "get_tts_result", status, GetTtsResultThen, Tts, succeeded(),
    |client| client.get_tts_result().task_id(task_id_param()).send(),
}

/// `GET /tts/{TASK_ID}?run_id=RUN_ID`.
fn status_of_run<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsResultThen) -> GetTtsResultThen,
) -> Mock<'a> {
    server.get_tts_result(|when, then| {
        let when = when.task_id(&task_id_param()).run_id(RUN_ID).into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 1);
        respond(then);
    })
}

family_contract! {
    ok "get_tts_result", status_of_run, |then| then.ok(&succeeded()), Idempotent,
    |client| client.get_tts_result().task_id(task_id_param()).run_id(RUN_ID).send(),
    raw_tts_status_sends_the_optional_run_id_as_a_query_parameter,
    camb_tts_status_sends_the_optional_run_id_as_a_query_parameter,
    |answer| { assert_succeeded(&answer); },
}

/// `GET /discord/tts/{TASK_ID}`, no query.
fn discord_status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsResultDiscordThen) -> GetTtsResultDiscordThen,
) -> Mock<'a> {
    server.get_tts_result_discord(|when, then| {
        let when = when.task_id(&task_id_param()).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    ok "get_tts_result_discord", discord_status, |then| then.ok(&succeeded()), Idempotent,
    |client| client.get_tts_result_discord().task_id(task_id_param()).send(),
    raw_discord_tts_status_decodes_the_status, camb_discord_tts_status_decodes_the_status,
    |answer| { assert_succeeded(&answer); },
}

family_contract! {
    errors "get_tts_result_discord", discord_status, GetTtsResultDiscordThen, Idempotent,
    |client| client.get_tts_result_discord().task_id(task_id_param()).send();
    422 => raw_discord_tts_status_422 camb_discord_tts_status_422,
    401 => raw_discord_tts_status_401 camb_discord_tts_status_401,
    404 => raw_discord_tts_status_404 camb_discord_tts_status_404,
}

/// `GET /tts-result/{RUN_ID}`, no query: the default form, the audio.
fn audio_result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsRunInfoThen) -> GetTtsRunInfoThen,
) -> Mock<'a> {
    server.get_tts_run_info(|when, then| {
        let when = when.run_id(RUN_ID).output_type(None).into_inner();
        // No `Accept: application/json`: the answer is audio.
        authenticated(when)
            .is_true(no_query)
            .header_not("accept", "application/json");
        respond(then);
    })
}

/// FLAC bytes, as the audio form is served.
fn flac(then: GetTtsRunInfoThen) -> GetTtsRunInfoThen {
    GetTtsRunInfoThen::new(
        then.into_inner()
            .status(200)
            .header("content-type", "audio/flac")
            .body(FLAC),
    )
}

family_contract! {
    ok "get_tts_run_info", audio_result, |then| flac(then), Idempotent,
    |client| client.get_tts_run_info().run_id(RUN_ID).send(),
    raw_tts_result_streams_the_audio, camb_tts_result_streams_the_audio,
    |audio| { assert_eq!(read_all(audio).await, FLAC); },
}

/// `GET /tts-result/{RUN_ID}?output_type=file_url`: the JSON form.
fn file_url_result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsRunInfoThen) -> GetTtsRunInfoThen,
) -> Mock<'a> {
    server.get_tts_run_info(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .output_type(OutputType::FileUrl)
            .into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 1);
        respond(then);
    })
}

family_contract! {
    ok "get_tts_run_info", file_url_result,
    |then| then.ok(&GetTtsResultOutFileUrl { output_url: FILE_URL.into() }), Idempotent,
    |client| client.get_tts_run_info().run_id(RUN_ID).output_type(OutputType::FileUrl).send(),
    raw_tts_result_file_url_is_json_in_the_byte_stream,
    camb_tts_result_file_url_is_json_in_the_byte_stream,
    |body| {
        let file: GetTtsResultOutFileUrl =
            serde_json::from_slice(&read_all(body).await).expect("the JSON form");
        assert_eq!(file.output_url, FILE_URL);
    },
}

family_contract! {
    errors "get_tts_run_info", audio_result, GetTtsRunInfoThen, Idempotent,
    |client| client.get_tts_run_info().run_id(RUN_ID).send();
    422 => raw_tts_result_422 camb_tts_result_422,
    401 => raw_tts_result_401 camb_tts_result_401,
    404 => raw_tts_result_404 camb_tts_result_404,
}

fn run_ids() -> RunIDsRequestPayload {
    RunIDsRequestPayload {
        run_ids: vec![RUN_ID, RUN_ID + 1],
    }
}

/// `POST /tts-results` with [`run_ids`], no query, no `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTtsResultsThen) -> GetTtsResultsThen,
) -> Mock<'a> {
    server.get_tts_results(|when, then| {
        let when = when.body(&run_ids()).traceparent(None).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// The batch answer in both forms the docs show: a URL, or `{output_url}`.
fn batch() -> std::collections::HashMap<String, GetTtsResultsResponseValue> {
    [
        (
            RUN_ID.to_string(),
            GetTtsResultsResponseValue::String(FILE_URL.into()),
        ),
        (
            (RUN_ID + 1).to_string(),
            GetTtsResultsResponseValue::GetTtsResultOutFileUrl(GetTtsResultOutFileUrl {
                output_url: FILE_URL.into(),
            }),
        ),
    ]
    .into_iter()
    .collect()
}

family_contract! {
    ok "get_tts_results", results, |then| then.ok(&batch()), Idempotent,
    |client| client.get_tts_results().body(run_ids()).send(),
    raw_tts_results_decode_both_forms, camb_tts_results_decode_both_forms,
    |answer| {
        assert!(matches!(
            &answer[&RUN_ID.to_string()],
            GetTtsResultsResponseValue::String(url) if url == FILE_URL
        ));
        assert!(matches!(
            &answer[&(RUN_ID + 1).to_string()],
            GetTtsResultsResponseValue::GetTtsResultOutFileUrl(file) if file.output_url == FILE_URL
        ));
    },
}

family_contract! {
    errors "get_tts_results", results, GetTtsResultsThen, Idempotent,
    |client| client.get_tts_results().body(run_ids()).send();
    422 => raw_tts_results_422 camb_tts_results_422,
    401 => raw_tts_results_401 camb_tts_results_401,
}

/// A `POST /translated-tts` body with every field set, the languages as a
/// locale tag and an id.
fn translated_tts_body() -> CreateTranslatedTtsRequestPayload {
    serde_json::from_value(serde_json::json!({
        "text": "Hello from the contract tests.",
        "voice_id": 147_320,
        "source_language": "en-us",
        "target_language": 76,
        "project_name": "Greeting",
        "project_description": "A short hello, in French",
        "folder_id": 3,
        "age": 30,
        "formality": 1,
        "gender": 2,
        "chosen_dictionaries": [11],
    }))
    .expect("a valid translated TTS body")
}

/// `POST /translated-tts` with exactly [`translated_tts_body`], no query,
/// no `traceparent`.
fn create_translated<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTranslatedTtsThen) -> CreateTranslatedTtsThen,
) -> Mock<'a> {
    server.create_translated_tts(|when, then| {
        let when = when
            .body(&translated_tts_body())
            .traceparent(None)
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    create create_translated: "create_translated_tts", CreateTranslatedTtsThen, TranslatedTts,
    |client| client.create_translated_tts().body(translated_tts_body()).send(),
    |call| call.body(translated_tts_body()), CreateTranslatedTtsOut { task_id: TASK_ID.into() };
    errors 422, 401;
}

/// `GET /translated-tts/{TASK_ID}`, no query.
fn translated_status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranslatedTtsTaskStatusThen) -> GetTranslatedTtsTaskStatusThen,
) -> Mock<'a> {
    server.get_translated_tts_task_status(|when, then| {
        let when = when.task_id(&task_id_param()).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    status "get_translated_tts_task_status", translated_status, GetTranslatedTtsTaskStatusThen, TranslatedTts, succeeded(),
    |client| client.get_translated_tts_task_status().task_id(task_id_param()).send(),
}
