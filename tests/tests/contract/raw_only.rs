//! What the contract tests of the operations only the raw client covers
//! (`RAW_ONLY` in `main.rs`: audio separation, stories, translated
//! stories, subtitles, project setup, live streams) share: the request
//! every operation's typed mock checks, and the tests of its error answers.

use std::fmt::Debug;

use camb_api::types::HttpValidationError;
use httpmock::{HttpMockRequest, When};
use serde_json::json;

use crate::expect;

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

/// One raw contract test per documented error answer of an operation: its
/// typed mock (`$mock`, which checks the request) answers `$status` with
/// [`error_body`], and the raw call (`$call`) reads it as
/// [`assert_raw_error`] says.
macro_rules! raw_error_tests {
    (
        $operation:literal, $mock:expr, $then:ident, |$client:ident| $call:expr;
        $( $status:literal => $name:ident ),+ $(,)?
    ) => {
        $(
            camb_tests::contract_test! {
                client = Raw, operation = $operation, status = $status,
                async fn $name() {
                    let server = httpmock::MockServer::start_async().await;
                    let body = $crate::raw_only::error_body($status);
                    let mock = $mock(&server, |then: $then| {
                        $then::new(then.into_inner().status($status).json_body(body))
                    });
                    let $client = camb_tests::clients::raw_client(
                        &server.base_url(),
                        camb_tests::clients::API_KEY,
                    );
                    $crate::raw_only::assert_raw_error($call.await, $status);
                    mock.assert_async().await;
                }
            }
        )+
    };
}
