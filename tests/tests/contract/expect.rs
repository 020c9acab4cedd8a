//! What a client must send for each operation (the `when` half of the typed
//! mocks), and the values the mocks answer with. Shared by every client's
//! contract tests, so all clients are held to the same contract.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    EndToEndDubbingThen, GetDubStatusThen, GetDubbedOutputInAltFormatStatusThen,
    GetDubbedOutputInAltFormatThen, GetDubbedRunInfoThen, GetDubbedRunTranscriptThen,
    GetDubbingRunsResultsThen, GetSourceLanguagesThen, GetTargetLanguagesThen,
};
use camb_api::types::{
    AltFormatRequest, AltFormatResponse, DubResult, DubbedRunInfo, EndToEndDubbingRequest,
    GetDubbingResultsRequest, HttpValidationError, LanguageItem, LocationItem,
    OrchestratorPipelineResult, StringMap, TaskIdParam, TaskIdResponse, Transcript,
    ValidationError,
};
use camb_api::{ExceptionReason, TaskStatus, TranscriptDataType, TranscriptFileFormat};
use camb_api_ext::{DubRequest, Language, RunId, TranscriptionMode};
use camb_tests::clients::API_KEY;
use httpmock::{HttpMockRequest, Mock, MockServer, When};

pub const TASK_ID: &str = "4f6c1a2e-task";
pub const RUN_ID: i64 = 8_675_309;
pub const EXPORT_TASK_ID: &str = "alt-77";
/// The language of the per-language calls: French (`fr-fr`).
pub const LANGUAGE: i64 = 76;
pub const SRT: &str = "1\n00:00:00,000 --> 00:00:01,250\nHola\n";

/// What every request of every operation carries.
pub fn authenticated(when: When) -> When {
    when.header("x-api-key", API_KEY)
}

pub fn no_query(request: &HttpMockRequest) -> bool {
    request.query_params().is_empty()
}

/// A create request with every field of the API set.
pub fn create_request() -> DubRequest {
    DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR, Language::ES_ES],
    )
    .target_language(Language::FR_FR)
    .project_name("Talk")
    .project_description("Main stage, day 1")
    .folder_id(3)
    .selected_audio_tracks([0])
    .add_output_as_an_audio_track(false)
    .chosen_dictionaries([11, 12])
    .ai_optimization(true)
    .transcription_mode(TranscriptionMode::Fast)
    .source_transcript_srt(SRT)
    .target_transcript_srt(Language::ES_ES, SRT)
}

/// [`create_request`] as the generated client types its body: what every
/// client must send.
pub fn create_body() -> EndToEndDubbingRequest {
    serde_json::from_value(serde_json::json!({
        "video_url": "https://example.com/talk.mp4",
        "source_language": 1,
        "target_languages": [76, 54],
        "target_language": 76,
        "project_name": "Talk",
        "project_description": "Main stage, day 1",
        "folder_id": 3,
        "selected_audio_tracks": [0],
        "add_output_as_an_audio_track": false,
        "chosen_dictionaries": [11, 12],
        "ai_optimization": true,
        "transcription_mode": "fast",
        "source_transcript": {"content": SRT, "format": "srt"},
        "target_transcripts": [{"language": 54, "content": SRT, "format": "srt"}],
    }))
    .expect("a valid create body")
}

/// `POST /dub` with exactly [`create_body`] as its JSON body, no query.
pub fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(EndToEndDubbingThen) -> EndToEndDubbingThen,
) -> Mock<'a> {
    server.end_to_end_dubbing(|when, then| {
        let when = when.body(&create_body()).into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

/// `GET /dub/{TASK_ID}`, with `?run_id=<run_id>` exactly when given.
pub fn status<'a>(
    server: &'a MockServer,
    run_id: Option<i64>,
    respond: impl FnOnce(GetDubStatusThen) -> GetDubStatusThen,
) -> Mock<'a> {
    server.get_dub_status(|when, then| {
        let when = when
            .task_id(&TaskIdParam(TASK_ID.into()))
            .run_id(run_id)
            .into_inner();
        let expected_params = usize::from(run_id.is_some());
        authenticated(when).is_true(move |request| request.query_params().len() == expected_params);
        respond(then);
    })
}

/// `POST /dubbing-results` with `{"run_ids": [RUN_ID]}`, no query, no
/// `traceparent`.
pub fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDubbingRunsResultsThen) -> GetDubbingRunsResultsThen,
) -> Mock<'a> {
    server.get_dubbing_runs_results(|when, then| {
        let when = when
            .body(&GetDubbingResultsRequest {
                run_ids: vec![RUN_ID],
            })
            .traceparent(None)
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `GET /transcript/{RUN_ID}/{LANGUAGE}?format_type=srt&data_type=raw_data`.
pub fn transcript<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDubbedRunTranscriptThen) -> GetDubbedRunTranscriptThen,
) -> Mock<'a> {
    server.get_dubbed_run_transcript(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .language(&camb_api::types::LanguageInput::Integer(LANGUAGE))
            .format_type(&TranscriptFileFormat::Srt)
            .data_type(&TranscriptDataType::RawData)
            .into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 2);
        respond(then);
    })
}

/// `POST /dub-alt-format/{RUN_ID}/{LANGUAGE}` with `{"output_format": "wav"}`.
pub fn alt_format<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDubbedOutputInAltFormatThen) -> GetDubbedOutputInAltFormatThen,
) -> Mock<'a> {
    server.get_dubbed_output_in_alt_format(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .language(&camb_api::types::LanguageInput::Integer(LANGUAGE))
            .body(&AltFormatRequest {
                output_format: "wav".into(),
            })
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `GET /dub-alt-format/{EXPORT_TASK_ID}`, no query.
pub fn alt_format_status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDubbedOutputInAltFormatStatusThen) -> GetDubbedOutputInAltFormatStatusThen,
) -> Mock<'a> {
    server.get_dubbed_output_in_alt_format_status(|when, then| {
        let when = when
            .task_id(&TaskIdParam(EXPORT_TASK_ID.into()))
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `GET /source-languages`, no query.
pub fn source_languages<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetSourceLanguagesThen) -> GetSourceLanguagesThen,
) -> Mock<'a> {
    server.get_source_languages(|when, then| {
        authenticated(when.into_inner()).is_true(no_query);
        respond(then);
    })
}

/// `GET /target-languages`, no query.
pub fn target_languages<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTargetLanguagesThen) -> GetTargetLanguagesThen,
) -> Mock<'a> {
    server.get_target_languages(|when, then| {
        authenticated(when.into_inner()).is_true(no_query);
        respond(then);
    })
}

/// Two languages as the language lists send them.
pub fn language_list() -> Vec<LanguageItem> {
    serde_json::from_value(serde_json::json!([
        {"id": 1, "language": "English (United States)", "short_name": "en-us"},
        {"id": 152, "language": "Newish", "short_name": "nw-nw"},
    ]))
    .expect("valid language items")
}

/// A transcript file answer.
pub fn transcript_file() -> StringMap {
    StringMap(
        [("transcript".to_owned(), SRT.to_owned())]
            .into_iter()
            .collect(),
    )
}

/// An export answer: the file at once.
pub fn export_file() -> AltFormatResponse {
    serde_json::from_value(serde_json::json!({"file_url": "https://cdn.example.com/out.wav"}))
        .expect("a valid export answer")
}

/// An export answer: a task to wait for.
pub fn export_task() -> AltFormatResponse {
    AltFormatResponse {
        task_id_response: Some(TaskIdResponse {
            task_id: Some(EXPORT_TASK_ID.into()),
        }),
        string_map: None,
    }
}

/// A batch answer: [`dub_result`] for [`RUN_ID`], as a per-language map.
pub fn batch_results() -> std::collections::HashMap<String, DubbedRunInfo> {
    [(RUN_ID.to_string(), per_language_result())]
        .into_iter()
        .collect()
}

/// [`dub_result`] as the per-language answer of a dub into [`LANGUAGE`].
pub fn per_language_result() -> DubbedRunInfo {
    DubbedRunInfo {
        by_language: Some([(LANGUAGE.to_string(), dub_result())].into_iter().collect()),
        dub_result: None,
    }
}

/// [`dub_result`] as the single-result answer.
pub fn single_result() -> DubbedRunInfo {
    DubbedRunInfo {
        by_language: None,
        dub_result: Some(dub_result()),
    }
}

/// The run id of the contract tests.
pub fn run_id() -> RunId {
    RunId(RUN_ID)
}

/// `GET /dub-result/{RUN_ID}`, no query.
pub fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetDubbedRunInfoThen) -> GetDubbedRunInfoThen,
) -> Mock<'a> {
    server.get_dubbed_run_info(|when, then| {
        let when = when.run_id(RUN_ID).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

pub fn validation_error() -> HttpValidationError {
    HttpValidationError {
        detail: vec![ValidationError {
            loc: vec![
                LocationItem::String("body".into()),
                LocationItem::String("video_url".into()),
            ],
            msg: "Field required".into(),
            type_: "missing".into(),
        }],
    }
}

/// Asserts that a decoded 422 body is [`validation_error`].
pub fn assert_validation_error(decoded: &HttpValidationError) {
    let [detail] = decoded.detail.as_slice() else {
        panic!("expected one validation error, got {decoded:?}");
    };
    let loc: Vec<String> = detail.loc.iter().map(ToString::to_string).collect();
    assert_eq!(loc, ["body", "video_url"]);
    assert_eq!(detail.msg, "Field required");
    assert_eq!(detail.type_, "missing");
}

pub fn failed_status() -> OrchestratorPipelineResult {
    OrchestratorPipelineResult {
        status: Some(TaskStatus::Error),
        run_id: None,
        exception_reason: Some(ExceptionReason::SourceNotFound),
        message: Some(camb_api::types::OrchestratorPipelineResultMessage::String(
            "The source could not be found".into(),
        )),
    }
}

pub fn succeeded_status() -> OrchestratorPipelineResult {
    OrchestratorPipelineResult {
        status: Some(TaskStatus::Success),
        run_id: Some(RUN_ID),
        exception_reason: None,
        message: None,
    }
}

/// Asserts that a decoded result is [`dub_result`].
pub fn assert_dub_result(result: &DubResult) {
    assert_eq!(result.run_id, Some(RUN_ID));
    assert_eq!(
        result.output_video_url.as_deref(),
        Some("https://cdn.example.com/out.mp4")
    );
    assert_eq!(
        result.output_audio_url.as_deref(),
        Some("https://cdn.example.com/out.mp3")
    );
    assert_eq!((&result.video_url, &result.audio_url), (&None, &None));
    let [segment] = result.transcript.as_deref().unwrap_or_default() else {
        panic!(
            "expected one transcript segment, got {:?}",
            result.transcript
        );
    };
    assert_eq!((segment.start, segment.end), (0.0, 1.25));
    assert_eq!(
        (segment.text.as_str(), segment.speaker.as_str()),
        ("Hola", "SPEAKER_0")
    );
}

pub fn dub_result() -> DubResult {
    DubResult {
        run_id: Some(RUN_ID),
        output_video_url: Some("https://cdn.example.com/out.mp4".into()),
        output_audio_url: Some("https://cdn.example.com/out.mp3".into()),
        video_url: None,
        audio_url: None,
        transcript: Some(vec![Transcript {
            start: 0.0,
            end: 1.25,
            text: "Hola".into(),
            speaker: "SPEAKER_0".into(),
        }]),
    }
}
