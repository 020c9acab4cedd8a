//! What a client must send for each operation (the `when` half of the typed
//! mocks), and the values the mocks answer with. Shared by every client's
//! contract tests, so all clients are held to the same contract.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{EndToEndDubbingThen, GetDubStatusThen, GetDubbedRunInfoThen};
use camb_api::types::{
    DubResult, EndToEndDubbingRequest, HttpValidationError, LocationItem,
    OrchestratorPipelineResult, TaskIdParam, TranscriptSegment, ValidationError,
};
use camb_api::{ExceptionReason, TaskStatus};
use camb_tests::clients::API_KEY;
use httpmock::{HttpMockRequest, Mock, MockServer, When};

pub const TASK_ID: &str = "4f6c1a2e-task";
pub const RUN_ID: i64 = 8_675_309;

/// What every request of every operation carries.
fn authenticated(when: When) -> When {
    when.header("x-api-key", API_KEY)
}

fn no_query(request: &HttpMockRequest) -> bool {
    request.query_params().is_empty()
}

pub fn create_request() -> EndToEndDubbingRequest {
    EndToEndDubbingRequest {
        video_url: "https://example.com/talk.mp4".into(),
        source_language: 1,
        target_languages: vec![76, 54],
        selected_audio_tracks: Some(vec![0]),
        add_output_as_an_audio_track: Some(false),
    }
}

/// `POST /dub` with exactly [`create_request`] as its JSON body, no query.
pub fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(EndToEndDubbingThen) -> EndToEndDubbingThen,
) -> Mock<'a> {
    server.end_to_end_dubbing(|when, then| {
        let when = when.body(&create_request()).into_inner();
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
        transcript: Some(vec![TranscriptSegment {
            start: 0.0,
            end: 1.25,
            text: "Hola".into(),
            speaker: "SPEAKER_0".into(),
        }]),
    }
}
