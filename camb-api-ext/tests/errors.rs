//! Every HTTP outcome maps to its `Error` variant, over real HTTP; errors
//! that cannot heal are never retried; the key never shows.

mod common;

use std::time::Duration;

use camb_api_ext::{Error, RetryPolicy};
use common::{KEY, builder, camb, steady_backoff, task};
use httpmock::prelude::*;
use reqwest::StatusCode;
use serde_json::json as body;
use tokio::time::Instant;

/// Mounts `answer` for `GET /dub/t1` and returns the error of `status`, with
/// the number of requests the server saw.
async fn status_error(status: u16, answer: serde_json::Value) -> (Error, usize) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1").header("x-api-key", KEY);
            then.status(status).json_body(answer);
        })
        .await;
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    (err, mock.calls_async().await)
}

#[tokio::test(start_paused = true)]
async fn unauthorized_and_forbidden_fail_fast_with_a_single_request() {
    for code in [401, 403] {
        let (err, hits) = status_error(code, body!({"detail": "Invalid API key"})).await;
        match &err {
            Error::Unauthorized { status, message } => {
                assert_eq!(status.as_u16(), code);
                assert!(message.contains("Invalid API key"), "{message}");
            }
            other => panic!("{code}: {other:?}"),
        }
        assert_eq!(hits, 1, "{code} must not be retried");
        assert!(!err.is_retryable());
        assert_eq!(err.status_code().map(|s| s.as_u16()), Some(code));
    }
}

#[tokio::test(start_paused = true)]
async fn not_found_validation_and_payment_are_typed_and_not_retried() {
    let (err, hits) = status_error(404, body!({"detail": "Task not found"})).await;
    assert!(matches!(&err, Error::NotFound { message } if message.contains("Task not found")));
    assert_eq!((hits, err.status_code()), (1, Some(StatusCode::NOT_FOUND)));

    let detail = body!({"detail": [
        {"loc": ["path", "task_id"], "msg": "bad id", "type": "value_error"},
        {"loc": ["query", "run_id", 0], "msg": "not an int", "type": "type_error"},
    ]});
    let (err, hits) = status_error(422, detail).await;
    assert_eq!(hits, 1);
    match &err {
        Error::Validation { detail } => {
            assert_eq!(detail.len(), 2);
            assert_eq!(detail[0].msg, "bad id");
            assert_eq!(detail[1].type_, "type_error");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "the API rejected the request (422): path.task_id: bad id; query.run_id.0: not an int"
    );

    let (err, hits) = status_error(402, body!({"detail": "Out of credits"})).await;
    assert_eq!(hits, 1);
    assert!(
        matches!(&err, Error::PaymentRequired { kind: None, task_id: None, message: Some(m) } if m.contains("Out of credits"))
    );
    assert_eq!(err.status_code(), Some(StatusCode::PAYMENT_REQUIRED));
}

#[tokio::test(start_paused = true)]
async fn an_undecodable_body_is_reported_with_an_excerpt_and_not_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(200).body("<html>maintenance</html>");
        })
        .await;
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    match &err {
        Error::Decode { excerpt, .. } => assert_eq!(excerpt, "<html>maintenance</html>"),
        other => panic!("{other:?}"),
    }
    assert!(!err.is_retryable());
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_long_error_body_is_cut_and_the_key_is_scrubbed_from_it() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(418)
                .body(format!("you sent {KEY}; {}", "x".repeat(5000)));
        })
        .await;
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    match &err {
        Error::UnexpectedStatus {
            status, excerpt, ..
        } => {
            assert_eq!(status.as_u16(), 418);
            assert!(excerpt.starts_with("you sent <redacted>; xxx"), "{excerpt}");
            assert!(excerpt.chars().count() <= 201, "{}", excerpt.len());
        }
        other => panic!("{other:?}"),
    }
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test(start_paused = true)]
async fn a_refused_connection_is_a_retried_transport_error() {
    // Take a free port and close it again: connecting there is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = MockServer::start_async().await;
    let client = builder(&server)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(3)
                .with_backoff(steady_backoff()),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.status(&task("t1")).await.unwrap_err();
    match &err {
        Error::Transport { source } => assert!(source.is_connect(), "{source:?}"),
        other => panic!("{other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(err.to_string(), "could not connect to the CAMB.AI API");
    // Three retries after 1, 2 and 4 s.
    assert_eq!(started.elapsed(), Duration::from_secs(7));
}

#[tokio::test(start_paused = true)]
async fn bad_input_fails_before_any_request() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(body!({"status": "PENDING"}));
        })
        .await;
    let client = camb(&server);
    for bad in ["", ".", "..", "a/b", "a\nb", &"x".repeat(300)] {
        assert!(matches!(
            bad.parse::<camb_api_ext::TaskId>(),
            Err(Error::InvalidInput {
                field: "task_id",
                ..
            })
        ));
    }
    let request = camb_api_ext::DubRequest::new(
        "not a link",
        camb_api_ext::Language::EN_US,
        [camb_api_ext::Language::AF_ZA],
    );
    let err = client.create_dub(&request).await.unwrap_err();
    assert!(matches!(
        err,
        Error::InvalidInput {
            field: "video_url",
            ..
        }
    ));
    assert_eq!(any.calls_async().await, 0);
}
