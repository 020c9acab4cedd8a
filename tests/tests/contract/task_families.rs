//! What the contract tests of the task families without a typed `Camb`
//! method share (TTS, translated TTS, translation, text to voice, text to
//! sound): each documented answer of each operation is checked through the
//! raw generated client and through `Camb::call_raw` (the same generated
//! call with `Camb`'s retries and `Error`), against one typed mock that
//! also checks what the call sent.

use camb_api::types::{OrchestratorPipelineResult, TaskIdParam};
use camb_api::{ExceptionReason, TaskStatus};
use futures_util::TryStreamExt;

use crate::expect::{RUN_ID, TASK_ID};

/// For each form, the raw and the `Camb` contract test of one documented
/// answer of one operation. `$expect(&server, respond)` mocks the operation
/// (matching what the call must send) and answers through `respond`;
/// `|$client| $call` makes the generated call with `$client: &camb_api::Client`
/// (the raw client, or `Camb::raw` inside `Camb::call_raw`, resent as
/// `Resend::$resend` says).
///
/// - `ok`: the mock answers `$respond` (with `then` bound to `$then`), both
///   calls succeed, and `$check` holds for the decoded value `$value`;
/// - `validation`: FastAPI's 422, the raw client's typed error body and
///   `Camb`'s `Error::Validation`;
/// - `error $status` (401, 404): FastAPI's `{"detail": ...}`, an unexpected
///   response with that status for the raw client, `Camb`'s typed error.
macro_rules! family_contract {
    (
        ok $operation:literal, $expect:path, |$then:ident| $respond:expr, $resend:ident,
        |$client:ident| $call:expr, $raw_test:ident, $camb_test:ident,
        |$value:ident| $check:block $(,)?
    ) => {
        contract_test! {
            client = Raw, operation = $operation, status = 200,
            async fn $raw_test() {
                let server = httpmock::MockServer::start_async().await;
                let mock = $expect(&server, |$then| $respond);
                let $client = &camb_tests::clients::raw_client(&server.base_url(), camb_tests::clients::API_KEY);
                let answer = match $call.await {
                    Ok(answer) => answer,
                    Err(error) => panic!("expected a 200 answer, got {error}"),
                };
                assert_eq!(answer.status(), 200);
                let $value = answer.into_inner();
                $check
                mock.assert_async().await;
            }
        }

        contract_test! {
            client = Camb, operation = $operation, status = 200,
            async fn $camb_test() {
                let server = httpmock::MockServer::start_async().await;
                let mock = $expect(&server, |$then| $respond);
                let camb = camb_tests::clients::camb_client(&server.base_url(), camb_tests::clients::API_KEY);
                let answer = camb
                    .call_raw(camb_api_ext::Resend::$resend, || {
                        let $client = camb.raw();
                        $call
                    })
                    .await;
                let $value = match answer {
                    Ok(value) => value,
                    Err(error) => panic!("expected a 200 answer, got {error:?}"),
                };
                $check
                mock.assert_async().await;
            }
        }
    };
    (
        validation $operation:literal, $expect:path, $resend:ident,
        |$client:ident| $call:expr, $raw_test:ident, $camb_test:ident $(,)?
    ) => {
        contract_test! {
            client = Raw, operation = $operation, status = 422,
            async fn $raw_test() {
                let server = httpmock::MockServer::start_async().await;
                let mock = $expect(&server, |then| then.unprocessable_entity(&crate::expect::validation_error()));
                let $client = &camb_tests::clients::raw_client(&server.base_url(), camb_tests::clients::API_KEY);
                match $call.await {
                    Err(camb_api::Error::ErrorResponse(response)) => {
                        assert_eq!(response.status(), 422);
                        crate::expect::assert_validation_error(&response.into_inner());
                    }
                    Err(other) => panic!("expected a 422 error response, got {other}"),
                    Ok(answer) => panic!("expected a 422 error response, got {}", answer.status()),
                }
                mock.assert_async().await;
            }
        }

        contract_test! {
            client = Camb, operation = $operation, status = 422,
            async fn $camb_test() {
                let server = httpmock::MockServer::start_async().await;
                let mock = $expect(&server, |then| then.unprocessable_entity(&crate::expect::validation_error()));
                let camb = camb_tests::clients::camb_client(&server.base_url(), camb_tests::clients::API_KEY);
                let result = camb
                    .call_raw(camb_api_ext::Resend::$resend, || {
                        let $client = camb.raw();
                        $call
                    })
                    .await
                    .map(drop);
                crate::expect::assert_validation_error(&crate::validation_detail(result));
                mock.assert_async().await;
            }
        }
    };
    (
        error $operation:literal, $status:literal, $expect:path, $then:ident, $resend:ident,
        |$client:ident| $call:expr, $raw_test:ident, $camb_test:ident $(,)?
    ) => {
        contract_test! {
            client = Raw, operation = $operation, status = $status,
            async fn $raw_test() {
                let server = httpmock::MockServer::start_async().await;
                let answer = serde_json::json!({"detail": "nope"});
                let mock = $expect(&server, |then| $then::new(then.into_inner().status($status).json_body(answer)));
                let $client = &camb_tests::clients::raw_client(&server.base_url(), camb_tests::clients::API_KEY);
                match $call.await {
                    Err(camb_api::Error::UnexpectedResponse(response)) => {
                        assert_eq!(response.status().as_u16(), $status);
                    }
                    Err(other) => panic!("expected an unexpected response, got {other}"),
                    Ok(answer) => panic!("expected an unexpected response, got {}", answer.status()),
                }
                mock.assert_async().await;
            }
        }

        contract_test! {
            client = Camb, operation = $operation, status = $status,
            async fn $camb_test() {
                let server = httpmock::MockServer::start_async().await;
                let answer = serde_json::json!({"detail": "nope"});
                let mock = $expect(&server, |then| $then::new(then.into_inner().status($status).json_body(answer)));
                let camb = camb_tests::clients::camb_client(&server.base_url(), camb_tests::clients::API_KEY);
                let error = camb
                    .call_raw(camb_api_ext::Resend::$resend, || {
                        let $client = camb.raw();
                        $call
                    })
                    .await
                    .map(drop)
                    .expect_err("an error answer");
                crate::answers::assert_camb_error_answer(&error, $status);
                mock.assert_async().await;
            }
        }
    };
}

/// The task id of the status calls, as the generated client types it.
pub fn task_id_param() -> TaskIdParam {
    TaskIdParam(TASK_ID.into())
}

/// A finished task's status: `SUCCESS` with [`RUN_ID`].
pub fn succeeded() -> OrchestratorPipelineResult {
    OrchestratorPipelineResult {
        status: Some(TaskStatus::Success),
        run_id: Some(RUN_ID),
        exception_reason: None,
        message: None,
    }
}

/// Asserts that a decoded status is [`succeeded`].
pub fn assert_succeeded(status: &OrchestratorPipelineResult) {
    assert_eq!(status.status, Some(TaskStatus::Success));
    assert_eq!(status.run_id, Some(RUN_ID));
    assert_eq!(status.exception_reason, None::<ExceptionReason>);
    assert!(status.message.is_none(), "{status:?}");
}

/// A byte stream read to its end.
pub async fn read_all(stream: camb_api::ByteStream) -> Vec<u8> {
    stream
        .into_inner()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .expect("the whole body")
}

/// The start of a FLAC file (`fLaC` and a STREAMINFO header), as the audio
/// answers of the result calls stream it.
pub const FLAC: &[u8] = b"fLaC\x80\x00\x00\x22simulated-audio";

/// The start of a WAV file, as the text-to-sound result streams it.
pub const WAV: &[u8] = b"RIFF\x24\x00\x00\x00WAVEfmt simulated-audio";

/// A file URL of the `file_url` answers.
pub const FILE_URL: &str = "https://cdn.example.com/runs/8675309/out.flac";
