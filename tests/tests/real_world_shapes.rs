//! Bodies the live API sends that the published page does not describe
//! (see camb-api-facts.md): extra fields, `message` as a string or an
//! object, both spellings of the result URLs, status and reason values from
//! the future. Each must decode, through the raw client and through `Camb`.

use camb_api::mock::MockServerExt;
use camb_api::types::{
    DubResult, OrchestratorPipelineResult, OrchestratorPipelineResultMessage, TaskIdParam,
};
use camb_api_ext::{DubRequest, DubStatus, ExceptionReason, Language, RunId, TaskId, TaskStatus};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use httpmock::MockServer;
use serde_json::{Value, json};

const TASK_ID: &str = "task-1";
const RUN_ID: i64 = 77;

/// Serves `body` as the status of [`TASK_ID`].
async fn serving_status(body: &Value) -> MockServer {
    let server = MockServer::start_async().await;
    let body = body.to_string();
    server.get_dub_status(|when, then| {
        when.task_id(&TaskIdParam(TASK_ID.into()));
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .body(body);
    });
    server
}

/// The status `body` decodes to, through both clients.
async fn status_through_both(body: Value) -> (OrchestratorPipelineResult, DubStatus) {
    let server = serving_status(&body).await;
    let raw = raw_client(&server.base_url(), API_KEY)
        .get_dub_status()
        .task_id(TASK_ID.to_owned())
        .send()
        .await
        .unwrap_or_else(|e| panic!("raw client cannot decode {body}: {e}"))
        .into_inner();
    let camb = camb_client(&server.base_url(), API_KEY)
        .status(&TaskId::new(TASK_ID).expect("valid id"))
        .await
        .unwrap_or_else(|e| panic!("Camb cannot decode {body}: {e}"));
    (raw, camb)
}

/// The single result `body` decodes to, through both clients.
async fn result_through_both(body: Value) -> (DubResult, DubResult) {
    let server = MockServer::start_async().await;
    let text = body.to_string();
    server.get_dubbed_run_info(|when, then| {
        when.run_id(RUN_ID);
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .body(text);
    });
    let raw = raw_client(&server.base_url(), API_KEY)
        .get_dubbed_run_info()
        .run_id(RUN_ID)
        .send()
        .await
        .unwrap_or_else(|e| panic!("raw client cannot decode {body}: {e}"))
        .into_inner();
    let camb = camb_client(&server.base_url(), API_KEY)
        .result(RunId(RUN_ID), [Language::DE_DE])
        .await
        .unwrap_or_else(|e| panic!("Camb cannot decode {body}: {e}"));
    let raw = raw.dub_result.expect("a single result decodes as one");
    let [output] = Vec::from_iter(camb).try_into().expect("one output");
    assert_eq!(
        output.language,
        Language::DE_DE,
        "a single result is in the one target"
    );
    (raw, output.raw)
}

#[tokio::test]
async fn a_status_with_fields_the_spec_does_not_name_decodes() {
    let (raw, camb) = status_through_both(json!({
        "status": "PENDING", "run_id": null, "progress": 0.4, "eta": { "seconds": 30 }
    }))
    .await;

    assert_eq!(raw.status, Some(TaskStatus::Pending));
    assert_eq!(camb.status, TaskStatus::Pending);
    assert_eq!(camb.run_id, None);
}

#[tokio::test]
async fn a_failure_with_a_reason_and_a_string_message_decodes() {
    let (raw, camb) = status_through_both(json!({
        "status": "ERROR", "run_id": null,
        "exception_reason": "SOURCE_NOT_FOUND", "message": "Source not found"
    }))
    .await;

    assert_eq!(raw.exception_reason, Some(ExceptionReason::SourceNotFound));
    assert!(
        matches!(raw.message, Some(OrchestratorPipelineResultMessage::String(ref m)) if m == "Source not found")
    );
    assert_eq!(camb.status, TaskStatus::Error);
    assert_eq!(camb.exception_reason, Some(ExceptionReason::SourceNotFound));
    assert_eq!(camb.message.as_deref(), Some("Source not found"));
}

#[tokio::test]
async fn a_message_that_is_a_json_object_decodes() {
    let message = json!({ "code": 17, "detail": "bad frame at 00:01:02" });
    let (raw, camb) = status_through_both(json!({
        "status": "ERROR", "run_id": null, "exception_reason": "PROCESSING_ERROR", "message": message
    }))
    .await;

    match raw.message {
        Some(OrchestratorPipelineResultMessage::Object(object)) => {
            assert_eq!(Value::Object(object), message)
        }
        other => panic!("expected an object message, got {other:?}"),
    }
    // Camb gives the object as JSON text.
    let text = camb.message.expect("a message");
    assert_eq!(
        serde_json::from_str::<Value>(&text).expect("JSON text"),
        message
    );
}

#[tokio::test]
async fn a_status_value_from_the_future_decodes_as_unknown() {
    let (raw, camb) = status_through_both(json!({ "status": "CANCELLED", "run_id": null })).await;

    assert_eq!(raw.status, Some(TaskStatus::Unknown("CANCELLED".into())));
    assert_eq!(camb.status, TaskStatus::Unknown("CANCELLED".into()));
    // Waits keep going on an unknown status (camb-api-ext's wait tests).
    assert!(camb.status.is_unknown());
}

#[tokio::test]
async fn an_exception_reason_from_the_future_decodes_as_unknown() {
    let (raw, camb) = status_through_both(json!({
        "status": "ERROR", "run_id": null, "exception_reason": "GPU_ON_FIRE", "message": "try later"
    }))
    .await;

    let unknown = ExceptionReason::Unknown("GPU_ON_FIRE".into());
    assert_eq!(raw.exception_reason.as_ref(), Some(&unknown));
    assert_eq!(camb.exception_reason, Some(unknown));
    assert_eq!(camb.status, TaskStatus::Error);
}

#[tokio::test]
async fn explicit_nulls_and_missing_optional_fields_decode() {
    let (raw, camb) = status_through_both(json!({
        "status": "TIMEOUT", "run_id": null, "exception_reason": null, "message": null
    }))
    .await;
    assert_eq!(raw.status, Some(TaskStatus::Timeout));
    assert_eq!((camb.exception_reason, camb.message), (None, None));

    let (raw, camb) = status_through_both(json!({ "status": "SUCCESS", "run_id": RUN_ID })).await;
    assert_eq!(raw.run_id, Some(RUN_ID));
    assert_eq!(camb.run_id, Some(RunId(RUN_ID)));
}

/// The result's URLs: `output_video_url`, `output_audio_url`, `video_url`,
/// `audio_url`.
fn urls(result: &DubResult) -> [Option<&str>; 4] {
    [
        result.output_video_url.as_deref(),
        result.output_audio_url.as_deref(),
        result.video_url.as_deref(),
        result.audio_url.as_deref(),
    ]
}

#[tokio::test]
async fn a_result_with_the_docs_spelling_of_its_urls_decodes() {
    let (raw, camb) = result_through_both(json!({
        "run_id": RUN_ID,
        "output_video_url": "https://cdn.example.com/v.mp4",
        "output_audio_url": "https://cdn.example.com/a.mp3",
        "transcript": [{ "start": 0, "end": 1.5, "text": "Hi", "speaker": "A" }]
    }))
    .await;

    for result in [raw, camb] {
        assert_eq!(
            urls(&result),
            [
                Some("https://cdn.example.com/v.mp4"),
                Some("https://cdn.example.com/a.mp3"),
                None,
                None
            ]
        );
        assert_eq!(result.transcript.map(|t| t.len()), Some(1));
    }
}

#[tokio::test]
async fn a_result_with_the_sdk_spelling_of_its_urls_and_extra_fields_decodes() {
    let (raw, camb) = result_through_both(json!({
        "run_id": RUN_ID,
        "video_url": "https://cdn.example.com/v.mp4",
        "audio_url": "https://cdn.example.com/a.mp3",
        "duration_seconds": 63.2,
        "transcript": [{ "start": 0.0, "end": 1.5, "text": "Hi", "speaker": "A", "confidence": 0.93 }]
    }))
    .await;

    for result in [raw, camb] {
        assert_eq!(
            urls(&result),
            [
                None,
                None,
                Some("https://cdn.example.com/v.mp4"),
                Some("https://cdn.example.com/a.mp3")
            ]
        );
        assert_eq!(result.transcript.expect("a transcript")[0].text, "Hi");
    }
}

#[tokio::test]
async fn a_create_answer_with_extra_fields_decodes() {
    let server = MockServer::start_async().await;
    server.end_to_end_dubbing(|_when, then| {
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .body(json!({ "task_id": TASK_ID, "queued": true, "position": 3 }).to_string());
    });
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let raw_body = camb_api::types::EndToEndDubbingRequest::builder()
        .video_url("https://example.com/a.mp4")
        .source_language(1)
        .target_languages(Some(vec![camb_api::types::LanguageInput::Integer(76)]));

    let raw = raw_client(&server.base_url(), API_KEY)
        .end_to_end_dubbing()
        .body(raw_body)
        .send()
        .await
        .expect("raw create decodes")
        .into_inner();
    let camb = camb_client(&server.base_url(), API_KEY)
        .create_dub(&request)
        .await
        .expect("Camb create decodes");

    assert_eq!(raw.task_id.as_deref(), Some(TASK_ID));
    assert_eq!(camb.as_str(), TASK_ID);
}
