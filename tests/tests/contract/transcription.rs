//! Contract tests of the transcription family (`POST /transcribe`, its
//! status, its result and batch results) through both clients: the raw
//! generated one (`camb_api::Client`, whose create is the multipart builder)
//! and the client people use (`Camb::transcribe` and its kin).

use crate::validation_detail;
use std::collections::HashMap;

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTranscriptionThen, GetTranscriptionResultThen, GetTranscriptionResultsThen,
    GetTranscriptionTaskStatusThen,
};
use camb_api::types::{
    BodyCreateTranscriptionTranscribePost, OrchestratorPipelineCallResult,
    ResponseGetTranscriptionResultTranscriptionResultRunIdGet as ResultAnswer,
    RunIDsRequestPayload, TaskIdParam, Transcript, TranscriptExportResult, TranscriptionResult,
};
use camb_api::{Error as RawError, TaskStatus, TranscriptDataType, TranscriptFileFormat};
use camb_api_ext::{
    Camb, Error, Language, RunId, SourceLanguage, TaskId, TranscriptionMode, TranscriptionRequest,
};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use camb_tests::contract_test;
use httpmock::{HttpMockRequest, Mock, MockServer, When};

use crate::expect::{self, RUN_ID, SRT, TASK_ID};

const MEDIA_URL: &str = "https://example.com/talk.mp4";

async fn servers() -> (MockServer, camb_api::Client, Camb) {
    let server = MockServer::start_async().await;
    let raw = raw_client(&server.base_url(), API_KEY);
    let camb = camb_client(&server.base_url(), API_KEY);
    (server, raw, camb)
}

fn task_id() -> TaskId {
    TaskId::new(TASK_ID).expect("a valid task id")
}

/// One text part of a multipart form, as it goes on the wire.
fn text_part(name: &str, text: &str) -> String {
    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n")
}

/// A request with every option set, from a link, the language detected.
fn url_request() -> TranscriptionRequest {
    TranscriptionRequest::from_url(MEDIA_URL, SourceLanguage::Auto)
        .project_name("Talk")
        .project_description("Main stage, day 1")
        .folder_id(3)
        .transcription_mode(TranscriptionMode::Slow)
        .run_audio_cleaning(false)
        .include_music_in_fg(false)
}

/// [`url_request`]'s form as the generated client types it.
fn url_form() -> BodyCreateTranscriptionTranscribePost {
    serde_json::from_value(serde_json::json!({
        "language": "auto",
        "media_url": MEDIA_URL,
        "project_name": "Talk",
        "project_description": "Main stage, day 1",
        "folder_id": 3,
        "transcription_mode": "slow",
        "run_audio_cleaning": false,
        "include_music_in_fg": false,
    }))
    .expect("a valid form")
}

/// `POST /transcribe`: a multipart form with exactly [`url_form`]'s fields,
/// no file, no query.
fn create_from_url<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTranscriptionThen) -> CreateTranscriptionThen,
) -> Mock<'a> {
    server.create_transcription(|when, then| {
        let mut when = authenticated(when.into_inner())
            .header_matches("content-type", "^multipart/form-data; boundary=")
            .body_excludes("filename=")
            .body_excludes("name=\"audio_url\"")
            .body_excludes("name=\"formatting_options\"")
            .is_true(no_query);
        for (name, text) in [
            ("language", "auto"),
            ("media_url", MEDIA_URL),
            ("project_name", "Talk"),
            ("project_description", "Main stage, day 1"),
            ("folder_id", "3"),
            ("transcription_mode", "slow"),
            ("run_audio_cleaning", "false"),
            ("include_music_in_fg", "false"),
        ] {
            when = when.body_includes(text_part(name, text));
        }
        respond(then);
    })
}

fn authenticated(when: When) -> When {
    when.header("x-api-key", API_KEY)
}

fn no_query(request: &HttpMockRequest) -> bool {
    request.query_params().is_empty()
}

fn created() -> OrchestratorPipelineCallResult {
    OrchestratorPipelineCallResult {
        task_id: Some(TASK_ID.into()),
    }
}

/// `GET /transcribe/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranscriptionTaskStatusThen) -> GetTranscriptionTaskStatusThen,
) -> Mock<'a> {
    server.get_transcription_task_status(|when, then| {
        let when = when.task_id(&TaskIdParam(TASK_ID.into())).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `GET /transcription-result/{RUN_ID}`, no query.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranscriptionResultThen) -> GetTranscriptionResultThen,
) -> Mock<'a> {
    server.get_transcription_result(|when, then| {
        let when = when.run_id(RUN_ID).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

/// `GET /transcription-result/{RUN_ID}?format_type=..&data_type=..`.
fn text_result<'a>(
    server: &'a MockServer,
    format: TranscriptFileFormat,
    data_type: TranscriptDataType,
    respond: impl FnOnce(GetTranscriptionResultThen) -> GetTranscriptionResultThen,
) -> Mock<'a> {
    server.get_transcription_result(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .format_type(&format)
            .data_type(&data_type)
            .into_inner();
        authenticated(when);
        respond(then);
    })
}

fn text_answer(text: &str) -> ResultAnswer {
    ResultAnswer::TranscriptExportResult(TranscriptExportResult {
        transcript: text.into(),
    })
}

/// `POST /transcription-results` with `{"run_ids": run_ids}`, no query, no
/// `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    run_ids: Vec<i64>,
    respond: impl FnOnce(GetTranscriptionResultsThen) -> GetTranscriptionResultsThen,
) -> Mock<'a> {
    server.get_transcription_results(|when, then| {
        let when = when
            .body(&RunIDsRequestPayload { run_ids })
            .traceparent(None)
            .into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

fn segments() -> Vec<Transcript> {
    vec![
        Transcript {
            start: 0.0,
            end: 1.25,
            text: "Hello".into(),
            speaker: "SPEAKER_0".into(),
        },
        Transcript {
            start: 1.25,
            end: 2.5,
            text: "Goodbye".into(),
            speaker: "SPEAKER_1".into(),
        },
    ]
}

fn segments_answer() -> ResultAnswer {
    ResultAnswer::TranscriptionResult(TranscriptionResult {
        transcript: segments(),
    })
}

fn assert_segments(decoded: &[Transcript]) {
    let texts: Vec<(f64, f64, &str, &str)> = decoded
        .iter()
        .map(|s| (s.start, s.end, s.text.as_str(), s.speaker.as_str()))
        .collect();
    assert_eq!(
        texts,
        [
            (0.0, 1.25, "Hello", "SPEAKER_0"),
            (1.25, 2.5, "Goodbye", "SPEAKER_1")
        ]
    );
}

/// The decoded body of a 422, which the raw client returns as an error.
fn unprocessable<T: std::fmt::Debug>(
    result: Result<T, RawError<camb_api::types::HttpValidationError>>,
) -> camb_api::types::HttpValidationError {
    match result {
        Err(RawError::ErrorResponse(response)) => {
            assert_eq!(response.status(), 422);
            response.into_inner()
        }
        other => panic!("expected a 422 error response, got {other:?}"),
    }
}

contract_test! {
    client = Raw, operation = "create_transcription", status = 200,
    async fn raw_create_sends_the_form_and_decodes_the_task_id() {
        let (server, raw, _) = servers().await;
        let mock = create_from_url(&server, |then| then.ok(&created()));

        let answer = raw.create_transcription().body(url_form()).send().await.expect("create succeeds");

        assert_eq!(answer.into_inner().task_id.as_deref(), Some(TASK_ID));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_transcription", status = 422,
    async fn raw_create_decodes_a_validation_error() {
        let (server, raw, _) = servers().await;
        let mock = create_from_url(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = raw.create_transcription().body(url_form()).send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_transcription", status = 200,
    async fn transcribe_sends_every_option_as_a_form_field_and_returns_the_task_id() {
        let (server, _, camb) = servers().await;
        let mock = create_from_url(&server, |then| then.ok(&created()));

        let task = camb.transcribe(&url_request()).await.expect("transcribe succeeds");

        assert_eq!(task, task_id());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_transcription", status = 200,
    async fn transcribe_uploads_a_local_file_as_the_media_file_part() {
        let (server, _, camb) = servers().await;
        let dir = std::env::temp_dir().join(format!("camb-transcribe-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let path = dir.join("talk.wav");
        std::fs::write(&path, b"RIFF-simulated-audio").expect("a media file");
        let mock = server.create_transcription(|when, then| {
            authenticated(when.into_inner())
                .body_includes(text_part("language", "76"))
                .body_includes(text_part("transcription_mode", "fast"))
                .body_includes(text_part("run_audio_cleaning", "true"))
                .body_includes(text_part("include_music_in_fg", "true"))
                .body_includes("name=\"media_file\"; filename=\"talk.wav\"\r\nContent-Type: audio/")
                .body_includes("\r\n\r\nRIFF-simulated-audio\r\n")
                .body_excludes("name=\"media_url\"");
            then.ok(&created());
        });

        let request = TranscriptionRequest::from_file(&path, Language::FR_FR);
        let task = camb.transcribe(&request).await;
        std::fs::remove_dir_all(&dir).expect("the temporary directory goes");

        assert_eq!(task.expect("transcribe succeeds"), task_id());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_transcription", status = 200,
    async fn transcribe_without_a_task_id_in_the_answer_is_unusable() {
        let (server, _, camb) = servers().await;
        let mock = create_from_url(&server, |then| {
            then.ok(&OrchestratorPipelineCallResult { task_id: None })
        });

        let result = camb.transcribe(&url_request()).await;

        assert!(matches!(result, Err(Error::UnusableResponse { .. })), "{result:?}");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_transcription", status = 422,
    async fn transcribe_turns_a_validation_error_into_error_validation() {
        let (server, _, camb) = servers().await;
        let mock = create_from_url(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.transcribe(&url_request()).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn transcribe_refuses_a_missing_file_or_a_bad_link_before_any_request() {
    let (server, _, camb) = servers().await;
    let any = server.create_transcription(|when, then| {
        when.into_inner().any_request();
        then.ok(&created());
    });
    for request in [
        TranscriptionRequest::from_file("/nonexistent/talk.wav", Language::EN_US),
        TranscriptionRequest::from_url("ftp://example.com/talk.mp4", Language::EN_US),
    ] {
        let result = camb.transcribe(&request).await;
        assert!(
            matches!(result, Err(Error::InvalidInput { .. })),
            "{result:?}"
        );
    }
    assert_eq!(any.calls_async().await, 0);
}

contract_test! {
    client = Raw, operation = "get_transcription_task_status", status = 200,
    async fn raw_status_sends_the_task_id_in_the_path_and_decodes_the_status() {
        let (server, raw, _) = servers().await;
        let mock = status(&server, |then| then.ok(&expect::succeeded_status()));

        let answer = raw
            .get_transcription_task_status()
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

contract_test! {
    client = Raw, operation = "get_transcription_task_status", status = 422,
    async fn raw_status_decodes_a_validation_error() {
        let (server, raw, _) = servers().await;
        let mock = status(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = raw.get_transcription_task_status().task_id(TASK_ID.to_owned()).send().await;

        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_task_status", status = 200,
    async fn transcription_status_types_the_status_like_a_dubs() {
        let (server, _, camb) = servers().await;
        let mock = status(&server, |then| then.ok(&expect::failed_status()));

        let answer = camb.transcription_status(&task_id()).await.expect("status succeeds");

        assert_eq!(answer.status, TaskStatus::Error);
        assert_eq!(answer.message.as_deref(), Some("The source could not be found"));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_task_status", status = 200,
    async fn wait_for_transcription_returns_the_run_id_of_a_success() {
        let (server, _, camb) = servers().await;
        let mock = status(&server, |then| then.ok(&expect::succeeded_status()));

        let run_id = camb.wait_for_transcription(&task_id()).await.expect("the wait succeeds");

        assert_eq!(run_id, RunId(RUN_ID));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_task_status", status = 422,
    async fn transcription_status_turns_a_validation_error_into_error_validation() {
        let (server, _, camb) = servers().await;
        let mock = status(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let result = camb.transcription_status(&task_id()).await;

        expect::assert_validation_error(&validation_detail(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_transcription_result", status = 200,
    async fn raw_result_decodes_the_segments() {
        let (server, raw, _) = servers().await;
        let mock = result(&server, |then| then.ok(&segments_answer()));

        let answer = raw.get_transcription_result().run_id(RUN_ID).send().await.expect("result succeeds");

        match answer.into_inner() {
            ResultAnswer::TranscriptionResult(result) => assert_segments(&result.transcript),
            other => panic!("expected segments, got {other:?}"),
        }
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_transcription_result", status = 422,
    async fn raw_result_decodes_a_validation_error() {
        let (server, raw, _) = servers().await;
        let mock = result(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let answer = raw.get_transcription_result().run_id(RUN_ID).send().await;

        expect::assert_validation_error(&unprocessable(answer));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 200,
    async fn transcription_returns_the_typed_segments() {
        let (server, _, camb) = servers().await;
        let mock = result(&server, |then| then.ok(&segments_answer()));

        let decoded = camb.transcription(RunId(RUN_ID)).await.expect("result succeeds");

        assert_segments(&decoded);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 200,
    async fn transcription_refuses_text_where_segments_were_asked_for() {
        let (server, _, camb) = servers().await;
        let mock = result(&server, |then| {
            then.ok(&text_answer(SRT))
        });

        let decoded = camb.transcription(RunId(RUN_ID)).await;

        assert!(matches!(decoded, Err(Error::UnusableResponse { .. })), "{decoded:?}");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_transcription_result", status = 200,
    async fn raw_result_sends_the_format_and_data_type_and_decodes_the_text() {
        let (server, raw, _) = servers().await;
        let mock = text_result(&server, TranscriptFileFormat::Srt, TranscriptDataType::RawData, |then| {
            then.ok(&text_answer(SRT))
        });

        let answer = raw
            .get_transcription_result()
            .run_id(RUN_ID)
            .format_type(TranscriptFileFormat::Srt)
            .data_type(TranscriptDataType::RawData)
            .send()
            .await
            .expect("result succeeds");

        let text = match answer.into_inner() {
            ResultAnswer::TranscriptExportResult(text) => text.transcript,
            other => panic!("expected one text, got {other:?}"),
        };
        assert_eq!(text, SRT);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 200,
    async fn transcription_text_sends_the_format_and_data_type_and_returns_the_text() {
        let (server, _, camb) = servers().await;
        let srt = text_result(&server, TranscriptFileFormat::Srt, TranscriptDataType::RawData, |then| {
            then.ok(&text_answer(SRT))
        });
        let url = "https://storage.example/transcript.vtt";
        let file = text_result(&server, TranscriptFileFormat::Vtt, TranscriptDataType::File, |then| {
            then.ok(&text_answer(url))
        });

        let text = camb
            .transcription_text(RunId(RUN_ID), TranscriptFileFormat::Srt, TranscriptDataType::RawData)
            .await
            .expect("the text");
        let link = camb
            .transcription_text(RunId(RUN_ID), TranscriptFileFormat::Vtt, TranscriptDataType::File)
            .await
            .expect("the file's URL");

        assert_eq!(text, SRT);
        assert_eq!(link, url);
        srt.assert_async().await;
        file.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 200,
    async fn transcription_text_sends_a_format_it_does_not_know_as_given() {
        let (server, _, camb) = servers().await;
        let docx = TranscriptFileFormat::from("docx");
        let new_kind = TranscriptDataType::from("signed_link");
        let mock = text_result(&server, docx.clone(), new_kind.clone(), |then| {
            then.ok(&text_answer("https://storage.example/transcript.docx"))
        });

        let link = camb.transcription_text(RunId(RUN_ID), docx, new_kind).await;

        assert_eq!(link.expect("the answer").as_str(), "https://storage.example/transcript.docx");
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 200,
    async fn transcription_text_refuses_segments_where_a_text_was_asked_for() {
        let (server, _, camb) = servers().await;
        let mock = text_result(&server, TranscriptFileFormat::Txt, TranscriptDataType::RawData, |then| {
            then.ok(&segments_answer())
        });

        let text = camb
            .transcription_text(RunId(RUN_ID), TranscriptFileFormat::Txt, TranscriptDataType::RawData)
            .await;

        assert!(matches!(text, Err(Error::UnusableResponse { .. })), "{text:?}");
        mock.assert_async().await;
    }
}

#[tokio::test]
async fn transcription_text_refuses_an_empty_format_or_data_type_before_any_request() {
    let (server, _, camb) = servers().await;
    let any = server.get_transcription_result(|when, then| {
        when.into_inner();
        then.ok(&text_answer(SRT));
    });

    let no_format = camb
        .transcription_text(
            RunId(RUN_ID),
            TranscriptFileFormat::from(""),
            TranscriptDataType::RawData,
        )
        .await;
    let no_data_type = camb
        .transcription_text(
            RunId(RUN_ID),
            TranscriptFileFormat::Srt,
            TranscriptDataType::from(" "),
        )
        .await;

    assert!(
        matches!(
            no_format,
            Err(Error::InvalidInput {
                field: "format_type",
                ..
            })
        ),
        "{no_format:?}"
    );
    assert!(
        matches!(
            no_data_type,
            Err(Error::InvalidInput {
                field: "data_type",
                ..
            })
        ),
        "{no_data_type:?}"
    );
    any.assert_calls_async(0).await;
}

contract_test! {
    client = Camb, operation = "get_transcription_result", status = 422,
    async fn transcription_turns_a_validation_error_into_error_validation() {
        let (server, _, camb) = servers().await;
        let mock = result(&server, |then| then.unprocessable_entity(&expect::validation_error()));

        let decoded = camb.transcription(RunId(RUN_ID)).await;

        expect::assert_validation_error(&validation_detail(decoded));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_transcription_results", status = 200,
    async fn raw_results_sends_the_run_ids_and_decodes_the_map() {
        let (server, raw, _) = servers().await;
        let answer = HashMap::from([(RUN_ID.to_string(), TranscriptionResult { transcript: segments() })]);
        let mock = results(&server, vec![RUN_ID], |then| then.ok(&answer));

        let decoded = raw
            .get_transcription_results()
            .body(RunIDsRequestPayload { run_ids: vec![RUN_ID] })
            .send()
            .await
            .expect("results succeed")
            .into_inner();

        assert_segments(&decoded[&RUN_ID.to_string()].transcript);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "get_transcription_results", status = 422,
    async fn raw_results_decodes_a_validation_error() {
        let (server, raw, _) = servers().await;
        let mock = results(&server, vec![RUN_ID], |then| then.unprocessable_entity(&expect::validation_error()));

        let answer = raw
            .get_transcription_results()
            .body(RunIDsRequestPayload { run_ids: vec![RUN_ID] })
            .send()
            .await;

        expect::assert_validation_error(&unprocessable(answer));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_results", status = 200,
    async fn transcriptions_give_every_run_asked_for_in_order() {
        let (server, _, camb) = servers().await;
        let other = RUN_ID + 1;
        let answer = HashMap::from([(RUN_ID.to_string(), TranscriptionResult { transcript: segments() })]);
        let mock = results(&server, vec![other, RUN_ID], |then| then.ok(&answer));

        let decoded = camb
            .transcriptions([RunId(other), RunId(RUN_ID), RunId(other)])
            .await
            .expect("results succeed");

        let [(first, missing), (second, found)] = decoded.try_into().expect("two runs, repeats removed");
        assert_eq!((first, second), (RunId(other), RunId(RUN_ID)));
        assert!(matches!(missing, Err(Error::ResultMissing { run_id }) if run_id == RunId(other)));
        assert_segments(&found.expect("the run's segments"));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "get_transcription_results", status = 422,
    async fn transcriptions_turn_a_validation_error_into_error_validation() {
        let (server, _, camb) = servers().await;
        let mock = results(&server, vec![RUN_ID], |then| then.unprocessable_entity(&expect::validation_error()));

        let decoded = camb.transcriptions([RunId(RUN_ID)]).await;

        expect::assert_validation_error(&validation_detail(decoded));
        mock.assert_async().await;
    }
}

// The documented 401 and 404 (FastAPI's `{"detail": ...}`).

/// `results` for the one run the tests ask about.
fn results_of_one_run<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTranscriptionResultsThen) -> GetTranscriptionResultsThen,
) -> Mock<'a> {
    results(server, vec![RUN_ID], respond)
}

error_answer_tests! {
    "create_transcription", 401, create_from_url, CreateTranscriptionThen,
    raw_create_from_url_401_is_an_unexpected_response, |client| client.create_transcription().body(url_form()).send(),
    camb_create_from_url_401_is_a_typed_error, |camb| camb.transcribe(&url_request()),
}

error_answer_tests! {
    "get_transcription_task_status", 401, status, GetTranscriptionTaskStatusThen,
    raw_status_401_is_an_unexpected_response, |client| client.get_transcription_task_status().task_id(TASK_ID.to_owned()).send(),
    camb_status_401_is_a_typed_error, |camb| camb.transcription_status(&task_id()),
}

error_answer_tests! {
    "get_transcription_task_status", 404, status, GetTranscriptionTaskStatusThen,
    raw_status_404_is_an_unexpected_response, |client| client.get_transcription_task_status().task_id(TASK_ID.to_owned()).send(),
    camb_status_404_is_a_typed_error, |camb| camb.transcription_status(&task_id()),
}

error_answer_tests! {
    "get_transcription_result", 401, result, GetTranscriptionResultThen,
    raw_result_401_is_an_unexpected_response, |client| client.get_transcription_result().run_id(RUN_ID).send(),
    camb_result_401_is_a_typed_error, |camb| camb.transcription(RunId(RUN_ID)),
}

error_answer_tests! {
    "get_transcription_result", 404, result, GetTranscriptionResultThen,
    raw_result_404_is_an_unexpected_response, |client| client.get_transcription_result().run_id(RUN_ID).send(),
    camb_result_404_is_a_typed_error, |camb| camb.transcription(RunId(RUN_ID)),
}

error_answer_tests! {
    "get_transcription_results", 401, results_of_one_run, GetTranscriptionResultsThen,
    raw_results_401_is_an_unexpected_response, |client| client.get_transcription_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send(),
    camb_results_401_is_a_typed_error, |camb| camb.transcriptions([RunId(RUN_ID)]),
}
