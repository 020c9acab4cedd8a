//! Contract tests of the subtitles family (`POST /sub`, its status, the
//! result of a run, for one language, and of several runs) through the raw
//! generated client and through `Camb`: its family calls where the family
//! has one (create, status, result), `Camb::call_raw` for the result for one
//! language and the batch (`task_families`).

use camb_api::builder::{GetSubtitleResult, GetSubtitleResultForLanguage};
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateSubtitleThen, GetSubtitleResultForLanguageThen, GetSubtitleResultThen,
    GetSubtitleResultsThen, GetSubtitleTaskStatusThen,
};
use camb_api::types::{
    CreateSubtitleRequestPayload, LanguageInput, OrchestratorPipelineCallResult,
    RunIDsRequestPayload, TaskIdParam,
};
use camb_api::{TranscriptDataType, TranscriptFileFormat};
use camb_api_ext::tasks::Subtitles;
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Map, Value, json};

use crate::expect::{self, RUN_ID, SRT, TASK_ID};
use crate::task_families::{json_request, query_is};

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

family_contract! {
    create create: "create_subtitle", CreateSubtitleThen, Subtitles,
    |client| client.create_subtitle().body(create_body()).send(),
    |call| call.body(create_body()), OrchestratorPipelineCallResult { task_id: Some(TASK_ID.into()) };
    errors 422, 401;
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

family_contract! {
    status "get_subtitle_task_status", status, GetSubtitleTaskStatusThen, Subtitles,
    expect::succeeded_status(),
    |client| client.get_subtitle_task_status().task_id(TASK_ID.to_owned()).send(),
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

/// The result call in SRT, as raw data: the raw client's and
/// `Camb::task_result_with`'s.
fn srt_raw_data(call: GetSubtitleResult<'_>) -> GetSubtitleResult<'_> {
    call.format_type(TranscriptFileFormat::Srt)
        .data_type(TranscriptDataType::RawData)
}

family_contract! {
    result result: "get_subtitle_result", GetSubtitleResultThen, Subtitles,
    |client| srt_raw_data(client.get_subtitle_result().run_id(RUN_ID)).send(),
    |call| srt_raw_data(call), subtitles(),
    raw_sends_the_format_and_keeps_the_answer_as_it_is camb_sends_the_format_and_keeps_the_answer_as_it_is,
    |answer| { assert_eq!(answer, subtitles()); },
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

/// The result call for French, a VTT file.
fn french_vtt_file(client: &camb_api::Client) -> GetSubtitleResultForLanguage<'_> {
    client
        .get_subtitle_result_for_language()
        .run_id(RUN_ID)
        .language(LanguageInput::String("fr-fr".into()))
        .format_type(TranscriptFileFormat::Vtt)
        .data_type(TranscriptDataType::File)
}

/// The link a VTT file is answered as.
fn vtt_link() -> Value {
    json!("https://storage.example/talk.fr-fr.vtt")
}

family_contract! {
    language_result: "get_subtitle_result_for_language", GetSubtitleResultForLanguageThen, Idempotent,
    |client| french_vtt_file(client).send();
    ok |then| then.ok(&vtt_link())
        => raw_sends_the_tag_in_the_path camb_sends_the_tag_in_the_path,
        |answer| { assert_eq!(answer, vtt_link()); };
    errors 422, 401, 404;
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

/// The batch answer: one run's subtitles, and `null` for the other.
fn batch() -> Map<String, Value> {
    json!({
        RUN_ID.to_string(): {"fr-fr": SRT},
        (RUN_ID + 1).to_string(): null,
    })
    .as_object()
    .cloned()
    .expect("an object")
}

family_contract! {
    results: "get_subtitle_results", GetSubtitleResultsThen, Idempotent,
    |client| client.get_subtitle_results().body(run_ids()).send();
    ok |then| then.ok(&batch())
        => raw_sends_the_run_ids_and_keeps_each_answer camb_sends_the_run_ids_and_keeps_each_answer,
        |answer| { assert_eq!(answer, batch()); };
    errors 422, 401;
}
