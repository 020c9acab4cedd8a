//! What the contract tests of the task families (and the other operations
//! without a method of their own on `Camb`) share: each documented answer
//! of each operation is checked through the raw generated client and
//! through `Camb`, against one typed mock that also checks what the call
//! sent. `Camb` calls the operation as its users do: through the generic
//! family calls (`create_task`, `task_status`, `task_result`, ...) where
//! the family has one, else through `Camb::call_raw` (the same generated
//! call with `Camb`'s retries and `Error`).

use std::fmt::Debug;
use std::time::Duration;

use camb_api::types::{HttpValidationError, OrchestratorPipelineResult, TaskIdParam};
use camb_api::{ExceptionReason, TaskStatus};
use camb_api_ext::{Backoff, Camb, DubStatus, Resend, RetryPolicy, TaskId};
use futures_util::TryStreamExt;
use httpmock::{HttpMockRequest, When};
use serde_json::json;

use crate::expect::{self, RUN_ID, TASK_ID};

/// For each form, the raw and the `Camb` contract tests of one operation.
/// `$expect(&server, respond)` mocks the operation (matching what the call
/// must send) and answers through `respond`; `|$client| $call` makes the
/// generated call with `$client: &camb_api::Client`; `camb |$camb| $camb_call`
/// is the same operation through `Camb` (`$camb: Camb`). Without a `camb`
/// clause, `Camb` makes the generated call in `Camb::call_raw`, resent as
/// `Resend::$resend` says.
///
/// - `ok`: the mock answers `$respond` (with `then` bound to `$then`), both
///   calls succeed, and each check holds for its decoded value. Before
///   that, `Camb` meets a `503` with one retry allowed: it must send the
///   request twice if `$resend` is `Idempotent` (a read), once if it is
///   `OnlyIfUnprocessed` (a create: a second copy could act twice);
/// - `errors`: for each `$status => $raw_test $camb_test`, the mock answers
///   [`error_body`]; the raw client reads it as [`assert_raw_error`] says,
///   `Camb` as [`assert_camb_error`] says (`Error::Validation` with its
///   problems for a 422, the typed 401 and 404);
/// - an operation whole (`$expect: "operation_id", ...`), its tests in a
///   module named after its mock: its calls written once, then each `ok`
///   answer with its check, and a second one for `Camb`'s value when it
///   differs from the raw client's, then its error answers by status
///   (`raw_422`, `camb_422`, ...), if it is the mock they are tested with;
/// - `create`: a family's create through `Camb::create_task::<$family>`
///   (`$with` building the call), answered `$answer`, and its errors;
/// - `status`: a family's status through `Camb::task_status::<$family>`,
///   answered `$answer`, and its documented 422, 401 and 404;
/// - `result`: run [`RUN_ID`]'s result through
///   `Camb::task_result_with::<$family>` (`$with` setting the call's other
///   parameters), answered `$answer`, `$check` holding for both clients'
///   values, and its 422, 401 and 404;
/// - `results`: the batch of [`RUN_ID`] alone through
///   `Camb::task_results::<$family>`, answered `$item` for it, `$check`
///   holding for the decoded item, and its 422 and 401.
macro_rules! family_contract {
    (
        ok $operation:literal, $expect:path, |$then:ident| $respond:expr, $resend:ident,
        |$client:ident| $call:expr, $raw_test:ident, $camb_test:ident,
        |$value:ident| $check:block $(,)?
    ) => {
        family_contract! {
            ok $operation, $expect, |$then| $respond, $resend, |$client| $call,
            camb |camb| camb.call_raw(camb_api_ext::Resend::$resend, || {
                let $client = camb.raw();
                $call
            }),
            $raw_test $camb_test, |$value| $check, |$value| $check
        }
    };
    (
        ok $operation:literal, $expect:path, |$then:ident| $respond:expr, $resend:ident,
        |$client:ident| $call:expr, camb |$camb:ident| $camb_call:expr,
        $raw_test:ident $camb_test:ident, |$value:ident| $check:block,
        |$camb_value:ident| $camb_check:block $(,)?
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
                let $camb = $crate::task_families::resending_client(&server.base_url());
                let unavailable = $crate::task_families::unavailable(&server).await;
                let refused = $camb_call.await.map(drop);
                assert!(refused.is_err(), "a 503 answer is an error");
                unavailable
                    .assert_calls_async($crate::task_families::attempts(camb_api_ext::Resend::$resend))
                    .await;
                unavailable.delete_async().await;

                let mock = $expect(&server, |$then| $respond);
                let $camb_value = match $camb_call.await {
                    Ok(value) => value,
                    Err(error) => panic!("expected a 200 answer, got {error:?}"),
                };
                $camb_check
                mock.assert_async().await;
            }
        }
    };
    (
        errors $operation:literal, $expect:path, $Then:ident, $resend:ident,
        |$client:ident| $call:expr;
        $( $status:literal => $raw_test:ident $camb_test:ident ),+ $(,)?
    ) => {
        family_contract! {
            errors $operation, $expect, $Then, |$client| $call,
            camb |camb| camb.call_raw(camb_api_ext::Resend::$resend, || {
                let $client = camb.raw();
                $call
            });
            $( $status => $raw_test $camb_test ),+
        }
    };
    (
        errors $operation:literal, $expect:path, $Then:ident, |$client:ident| $call:expr,
        camb |$camb:ident| $camb_call:expr;
        $( $status:literal => $raw_test:ident $camb_test:ident ),+ $(,)?
    ) => {
        $(
            family_contract! {
                @error Raw $raw_test, $operation, $status, $expect, $Then, |base_url| {
                    let $client = &camb_tests::clients::raw_client(base_url, camb_tests::clients::API_KEY);
                    $crate::task_families::assert_raw_error($call.await.map(|answer| answer.status()), $status);
                }
            }
            family_contract! {
                @error Camb $camb_test, $operation, $status, $expect, $Then, |base_url| {
                    let $camb = camb_tests::clients::camb_client(base_url, camb_tests::clients::API_KEY);
                    $crate::task_families::assert_camb_error($camb_call.await.map(drop), $status);
                }
            }
        )+
    };
    (
        @error $kind:ident $test:ident, $operation:literal, $status:literal, $expect:path, $Then:ident,
        |$base_url:ident| $read:block
    ) => {
        contract_test! {
            client = $kind, operation = $operation, status = $status,
            async fn $test() {
                let server = httpmock::MockServer::start_async().await;
                let body = $crate::task_families::error_body($status);
                let mock = $expect(&server, |then| $Then::new(then.into_inner().status($status).json_body(body)));
                let $base_url = &server.base_url();
                $read
                mock.assert_async().await;
            }
        }
    };
    (
        create $expect:ident: $operation:literal, $Then:ident, $family:ty, |$client:ident| $call:expr,
        |$build:ident| $with:expr, $answer:expr; errors $( $status:tt ),+;
    ) => {
        family_contract! {
            $expect: $operation, $Then, OnlyIfUnprocessed, |$client| $call,
            camb |camb| camb.create_task::<$family, _>(|$build| async { Ok($with) });
            ok |then| then.ok(&$answer)
                => raw_sends_the_request_and_decodes_the_task camb_sends_the_request_and_gives_the_task,
                |created| {
                    let task_id = <$family as camb_api::Task>::task_id(&created);
                    assert_eq!(task_id, Some($crate::expect::TASK_ID));
                },
                |created| { assert_eq!(created, $crate::task_families::task_id()); };
            errors $( $status ),+;
        }
    };
    (
        status $operation:literal, $expect:ident, $Then:ident, $family:ty, $answer:expr,
        |$client:ident| $call:expr $(,)?
    ) => {
        family_contract! {
            $expect: $operation, $Then, Idempotent, |$client| $call,
            camb |camb| camb.task_status::<$family>(&$crate::task_families::task_id());
            ok |then| then.ok(&$answer) => raw_decodes_the_task_status camb_types_the_task_status,
                |answer| { $crate::task_families::assert_raw_status(&answer, &$answer); },
                |status| { $crate::task_families::assert_camb_status(&status, &$answer); };
            errors 422, 401, 404;
        }
    };
    (
        result $expect:ident: $operation:literal, $Then:ident, $family:ty, |$client:ident| $call:expr,
        |$call_with:ident| $with:expr, $answer:expr, $raw_test:ident $camb_test:ident,
        |$value:ident| $check:block $(,)?
    ) => {
        family_contract! {
            $expect: $operation, $Then, Idempotent, |$client| $call,
            camb |camb| camb.task_result_with::<$family>(camb_api_ext::RunId($crate::expect::RUN_ID), |$call_with| $with);
            ok |then| then.ok(&$answer) => $raw_test $camb_test, |$value| $check;
            errors 422, 401, 404;
        }
    };
    (
        results $expect:ident: $operation:literal, $Then:ident, $family:ty, |$client:ident| $call:expr,
        $item:expr, |$result:ident| $check:block $(,)?
    ) => {
        family_contract! {
            $expect: $operation, $Then, Idempotent, |$client| $call,
            camb |camb| camb.task_results::<$family>([camb_api_ext::RunId($crate::expect::RUN_ID)]);
            ok |then| then.ok(&std::collections::HashMap::from([($crate::expect::RUN_ID.to_string(), $item)]))
                => raw_sends_the_run_ids_and_decodes_the_map camb_sends_the_run_ids_and_gives_each_result,
                |answer| {
                    let [(run_id, $result)] = <[_; 1]>::try_from(Vec::from_iter(answer)).expect("one run");
                    assert_eq!(run_id, $crate::expect::RUN_ID.to_string());
                    $check
                },
                |results| {
                    let [(run_id, result)] = <[_; 1]>::try_from(results).expect("one run");
                    assert_eq!(run_id, camb_api_ext::RunId($crate::expect::RUN_ID));
                    let $result = result.expect("the run's result");
                    $check
                };
            errors 422, 401;
        }
    };
    (
        $expect:ident: $operation:literal, $Then:ident, $resend:ident, |$client:ident| $call:expr;
        $(
            ok |$then:ident| $respond:expr => $raw_test:ident $camb_test:ident,
            |$value:ident| $check:block;
        )+
        $( errors $( $status:tt ),+; )?
    ) => {
        family_contract! {
            $expect: $operation, $Then, $resend, |$client| $call,
            camb |camb| camb.call_raw(camb_api_ext::Resend::$resend, || {
                let $client = camb.raw();
                $call
            });
            $(
                ok |$then| $respond => $raw_test $camb_test,
                |$value| $check;
            )+
            $( errors $( $status ),+; )?
        }
    };
    (
        $expect:ident: $operation:literal, $Then:ident, $resend:ident,
        |$client:ident| $call:expr, camb |$camb:ident| $camb_call:expr;
        $(
            ok |$then:ident| $respond:expr => $raw_test:ident $camb_test:ident,
            |$value:ident| $check:block $(, |$camb_value:ident| $camb_check:block)?;
        )+
        $( errors $( $status:tt ),+; )?
    ) => {
        mod $expect {
            use super::*;

            $(
                family_contract! {
                    @checks [|$value| $check] [$(|$camb_value| $camb_check)?]
                    ok $operation, $expect, |$then| $respond, $resend, |$client| $call,
                    camb |$camb| $camb_call, $raw_test $camb_test
                }
            )+
            $($(
                family_contract! {
                    @by_status $status, $operation, $expect, $Then, |$client| $call, camb |$camb| $camb_call
                }
            )+)?
        }
    };
    (@checks [$($check:tt)*] [] $($ok:tt)*) => {
        family_contract! { $($ok)*, $($check)*, $($check)* }
    };
    (@checks [$($check:tt)*] [$($camb_check:tt)+] $($ok:tt)*) => {
        family_contract! { $($ok)*, $($check)*, $($camb_check)+ }
    };
    (@by_status 422, $($rest:tt)*) => {
        family_contract! { errors $($rest)*; 422 => raw_422 camb_422 }
    };
    (@by_status 401, $($rest:tt)*) => {
        family_contract! { errors $($rest)*; 401 => raw_401 camb_401 }
    };
    (@by_status 404, $($rest:tt)*) => {
        family_contract! { errors $($rest)*; 404 => raw_404 camb_404 }
    };
}

/// A `Camb` at `base_url` that retries a failed request once, at once.
pub fn resending_client(base_url: &str) -> Camb {
    let quick = Backoff::new(Duration::from_millis(1), Duration::from_millis(1));
    Camb::builder()
        .api_key(camb_tests::clients::API_KEY)
        .base_url(base_url)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(1)
                .with_backoff(quick),
        )
        .build()
        .expect("a Camb client for a loopback server")
}

/// Makes `server` answer every request `503 Service Unavailable`.
pub async fn unavailable(server: &httpmock::MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|_, then| {
            then.status(503).json_body(json!({"detail": "busy"}));
        })
        .await
}

/// How many requests a [`resending_client`] sends for a call answered
/// `503` each time: two for a request it may resend after any transient
/// failure, one for a request it resends only when surely not acted on.
pub fn attempts(resend: Resend) -> usize {
    if matches!(resend, Resend::Idempotent) {
        2
    } else {
        1
    }
}

/// A request's query parameters, exactly: each `(name, value)`, nothing else.
pub fn query_is(
    expected: &'static [(&'static str, &'static str)],
) -> impl Fn(&HttpMockRequest) -> bool {
    move |request: &HttpMockRequest| {
        let mut sent: Vec<(String, String)> = request.query_params();
        sent.sort();
        let mut wanted: Vec<(String, String)> = expected
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        wanted.sort();
        sent == wanted
    }
}

/// What every request carries: the key; and a JSON body, when it has one.
pub fn json_request(when: When) -> When {
    expect::authenticated(when).header("content-type", "application/json")
}

/// One text part of a multipart form, as it goes on the wire.
pub fn text_part(name: &str, text: &str) -> String {
    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n")
}

/// The body of an error answer: FastAPI's validation error for a `422`,
/// `{"detail": "nope"}` (an `HTTPException`) for the others.
pub fn error_body(status: u16) -> serde_json::Value {
    if status == 422 {
        json!(expect::validation_error())
    } else {
        json!({"detail": "nope"})
    }
}

/// What the raw client makes of an error answer: a `422` is the typed
/// `Error::ErrorResponse` (the decoded validation error); the `401` and `404`
/// (FastAPI's `HTTPException`) are `Error::UnexpectedResponse` with their
/// status, as every generated call reads an answer without a typed body.
pub fn assert_raw_error<T: Debug>(
    result: Result<T, camb_api::Error<HttpValidationError>>,
    status: u16,
) {
    match result {
        Err(camb_api::Error::ErrorResponse(response)) if status == 422 => {
            assert_eq!(response.status().as_u16(), 422);
            expect::assert_validation_error(&response.into_inner());
        }
        Err(camb_api::Error::UnexpectedResponse(response)) if status != 422 => {
            assert_eq!(response.status().as_u16(), status);
        }
        other => panic!("expected the documented {status}, got {other:?}"),
    }
}

/// What `Camb` makes of an error answer: `Error::Validation` with the
/// problems of a `422`, and the typed `401` and `404`
/// ([`assert_camb_error_answer`](crate::answers::assert_camb_error_answer)).
pub fn assert_camb_error(result: Result<(), camb_api_ext::Error>, status: u16) {
    if status == 422 {
        expect::assert_validation_error(&crate::validation_detail(result));
    } else {
        let error = result.expect_err("an error answer");
        crate::answers::assert_camb_error_answer(&error, status);
    }
}

/// The task id of the status calls, as the generated client types it.
pub fn task_id_param() -> TaskIdParam {
    TaskIdParam(TASK_ID.into())
}

/// The task id of the `Camb` calls.
pub fn task_id() -> TaskId {
    TaskId::new(TASK_ID).expect("a valid task id")
}

/// Asserts that a status the raw client decoded is `expected`.
pub fn assert_raw_status(
    status: &OrchestratorPipelineResult,
    expected: &OrchestratorPipelineResult,
) {
    assert_eq!(status.status, expected.status);
    assert_eq!(status.run_id, expected.run_id);
    assert_eq!(status.exception_reason, expected.exception_reason);
    assert_eq!(json!(status.message), json!(expected.message));
}

/// Asserts that a status `Camb` typed is `expected`.
pub fn assert_camb_status(status: &DubStatus, expected: &OrchestratorPipelineResult) {
    assert_eq!(Some(&status.status), expected.status.as_ref());
    assert_eq!(status.run_id.map(|run_id| run_id.0), expected.run_id);
    assert_eq!(status.exception_reason, expected.exception_reason);
    // A text message is kept as the same text.
    assert_eq!(json!(status.message), json!(expected.message));
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
