//! Contract tests of the subtitles family (`POST /sub`, its status, the
//! result of a run, for one language, and of several runs) through the raw
//! generated client.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateSubtitleThen, GetSubtitleResultForLanguageThen, GetSubtitleResultThen,
    GetSubtitleResultsThen, GetSubtitleTaskStatusThen,
};
use camb_api::types::{
    CreateSubtitleRequestPayload, LanguageInput, OrchestratorPipelineCallResult,
    RunIDsRequestPayload, TaskIdParam,
};
use camb_api::{TaskStatus, TranscriptDataType, TranscriptFileFormat};
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Map, Value, json};

use crate::expect::{self, RUN_ID, SRT, TASK_ID};
use crate::raw_only::{json_request, query_is};

/// A create body with every field set, the languages as tags and ids.
fn create_body() -> CreateSubtitleRequestPayload {
    serde_json::from_value(json!({
        "media_url": "https://example.com/talk.mp4",
        "source_language": "auto",
        "target_languages": ["fr-fr", 54],
        "project_name": "Talk",
        "project_description": "Main stage, day 1",
        "folder_id": 3,
        "transcription_mode": "slow",
        "formatting_options": {"max_characters_in_segment": 42, "max_reading_speed_in_cps": 17.5},
    }))
    .expect("a valid body")
}

/// `POST /sub` with exactly [`create_body`], no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateSubtitleThen) -> CreateSubtitleThen,
) -> Mock<'a> {
    server.create_subtitle(|when, then| {
        let when = when.body(&create_body()).into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

contract_test! {
    client = Raw, operation = "create_subtitle", status = 200,
    async fn raw_create_sends_the_body_and_decodes_the_task_id() {
        let server = MockServer::start_async().await;
        let created = OrchestratorPipelineCallResult { task_id: Some(TASK_ID.into()) };
        let mock = create(&server, |then| then.ok(&created));

        let answer = raw_client(&server.base_url(), API_KEY)
            .create_subtitle()
            .body(create_body())
            .send()
            .await
            .expect("create succeeds");

        assert_eq!(answer.into_inner().task_id.as_deref(), Some(TASK_ID));
        mock.assert_async().await;
    }
}

#[test]
fn the_create_body_types_languages_as_ids_or_tags_and_the_options_as_numbers() {
    let body = create_body();
    assert!(matches!(&body.source_language, LanguageInput::String(tag) if tag == "auto"));
    assert!(
        matches!(
            body.target_languages.as_slice(),
            [LanguageInput::String(tag), LanguageInput::Integer(54)] if tag == "fr-fr"
        ),
        "{:?}",
        body.target_languages
    );
    let options = body.formatting_options.expect("formatting options");
    assert_eq!(options.max_characters_in_segment, Some(42));
    assert_eq!(options.max_reading_speed_in_cps, Some(17.5));
    assert_eq!(options.min_gap_between_segments_in_frames, None);
}

raw_error_tests! {
    "create_subtitle", create, CreateSubtitleThen,
    |client| client.create_subtitle().body(create_body()).send();
    422 => raw_create_422, 401 => raw_create_401,
}

/// `GET /sub/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetSubtitleTaskStatusThen) -> GetSubtitleTaskStatusThen,
) -> Mock<'a> {
    server.get_subtitle_task_status(|when, then| {
        let when = when.task_id(&TaskIdParam(TASK_ID.into())).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

contract_test! {
    client = Raw, operation = "get_subtitle_task_status", status = 200,
    async fn raw_status_decodes_the_shared_task_status() {
        let server = MockServer::start_async().await;
        let mock = status(&server, |then| then.ok(&expect::succeeded_status()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_subtitle_task_status()
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
    "get_subtitle_task_status", status, GetSubtitleTaskStatusThen,
    |client| client.get_subtitle_task_status().task_id(TASK_ID.to_owned()).send();
    422 => raw_status_422, 401 => raw_status_401, 404 => raw_status_404,
}

/// `GET /sub-result/{RUN_ID}?format_type=srt&data_type=raw_data`.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetSubtitleResultThen) -> GetSubtitleResultThen,
) -> Mock<'a> {
    server.get_subtitle_result(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .format_type(&TranscriptFileFormat::Srt)
            .data_type(&TranscriptDataType::RawData)
            .into_inner();
        expect::authenticated(when).is_true(query_is(&[
            ("format_type", "srt"),
            ("data_type", "raw_data"),
        ]));
        respond(then);
    })
}

/// A subtitle answer: typed `Any`, here the SRT text under a language.
fn subtitles() -> Value {
    json!({"fr-fr": SRT})
}

contract_test! {
    client = Raw, operation = "get_subtitle_result", status = 200,
    async fn raw_result_sends_the_format_and_keeps_the_answer_as_it_is() {
        let server = MockServer::start_async().await;
        let mock = result(&server, |then| then.ok(&subtitles()));

        let answer = raw_client(&server.base_url(), API_KEY)
            .get_subtitle_result()
            .run_id(RUN_ID)
            .format_type(TranscriptFileFormat::Srt)
            .data_type(TranscriptDataType::RawData)
            .send()
            .await
            .expect("result succeeds");

        assert_eq!(answer.into_inner(), subtitles());
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_subtitle_result", result, GetSubtitleResultThen,
    |client| client
        .get_subtitle_result()
        .run_id(RUN_ID)
        .format_type(TranscriptFileFormat::Srt)
        .data_type(TranscriptDataType::RawData)
        .send();
    422 => raw_result_422, 401 => raw_result_401, 404 => raw_result_404,
}

/// `GET /sub-result/{RUN_ID}/fr-fr?format_type=vtt&data_type=file`.
fn language_result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetSubtitleResultForLanguageThen) -> GetSubtitleResultForLanguageThen,
) -> Mock<'a> {
    server.get_subtitle_result_for_language(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .language(&LanguageInput::String("fr-fr".into()))
            .format_type(&TranscriptFileFormat::Vtt)
            .data_type(&TranscriptDataType::File)
            .into_inner();
        expect::authenticated(when)
            .path(format!("/sub-result/{RUN_ID}/fr-fr"))
            .is_true(query_is(&[("format_type", "vtt"), ("data_type", "file")]));
        respond(then);
    })
}

async fn send_language_result(
    client: &camb_api::Client,
) -> Result<camb_api::ResponseValue<Value>, camb_api::Error<camb_api::types::HttpValidationError>> {
    client
        .get_subtitle_result_for_language()
        .run_id(RUN_ID)
        .language(LanguageInput::String("fr-fr".into()))
        .format_type(TranscriptFileFormat::Vtt)
        .data_type(TranscriptDataType::File)
        .send()
        .await
}

contract_test! {
    client = Raw, operation = "get_subtitle_result_for_language", status = 200,
    async fn raw_language_result_sends_the_tag_in_the_path() {
        let server = MockServer::start_async().await;
        let link = json!("https://storage.example/talk.fr-fr.vtt");
        let mock = language_result(&server, |then| then.ok(&link));

        let answer = send_language_result(&raw_client(&server.base_url(), API_KEY))
            .await
            .expect("result succeeds");

        assert_eq!(answer.into_inner(), link);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_subtitle_result_for_language", language_result, GetSubtitleResultForLanguageThen,
    |client| send_language_result(&client);
    422 => raw_language_result_422, 401 => raw_language_result_401, 404 => raw_language_result_404,
}

/// `POST /sub-results` with two run ids, no query, no `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetSubtitleResultsThen) -> GetSubtitleResultsThen,
) -> Mock<'a> {
    server.get_subtitle_results(|when, then| {
        let when = when
            .body(&RunIDsRequestPayload {
                run_ids: vec![RUN_ID, RUN_ID + 1],
            })
            .traceparent(None)
            .format_type(None)
            .data_type(None)
            .into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

fn run_ids() -> RunIDsRequestPayload {
    RunIDsRequestPayload {
        run_ids: vec![RUN_ID, RUN_ID + 1],
    }
}

contract_test! {
    client = Raw, operation = "get_subtitle_results", status = 200,
    async fn raw_results_sends_the_run_ids_and_keeps_each_answer() {
        let server = MockServer::start_async().await;
        let answer: Map<String, Value> = json!({
            RUN_ID.to_string(): {"fr-fr": SRT},
            (RUN_ID + 1).to_string(): null,
        })
        .as_object()
        .cloned()
        .expect("an object");
        let mock = results(&server, |then| then.ok(&answer));

        let decoded = raw_client(&server.base_url(), API_KEY)
            .get_subtitle_results()
            .body(run_ids())
            .send()
            .await
            .expect("results succeed")
            .into_inner();

        assert_eq!(decoded, answer);
        mock.assert_async().await;
    }
}

raw_error_tests! {
    "get_subtitle_results", results, GetSubtitleResultsThen,
    |client| client.get_subtitle_results().body(run_ids()).send();
    422 => raw_results_422, 401 => raw_results_401,
}
