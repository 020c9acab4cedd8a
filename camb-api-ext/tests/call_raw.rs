//! `Camb::call_raw`: a call of the generated client sent with this crate's
//! retries (as `Resend` allows) and errors (with the body), over real HTTP
//! on a paused clock; and `Camb::raw_error` for a raw call sent alone.

mod common;

use std::time::Duration;

use camb_api_ext::{DubRequest, Error, Language, Resend, TaskId};
use common::{KEY, camb, counting, json, status, task};
use httpmock::{HttpMockResponse, prelude::*};
use reqwest::StatusCode;
use serde_json::json as body;
use tokio::time::Instant;

fn busy() -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(503)
        .body("upstream busy, try later")
        .build()
}

#[tokio::test(start_paused = true)]
async fn an_idempotent_raw_call_is_retried_like_a_typed_one() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1").header("x-api-key", KEY);
            then.respond_with(counting(|n| match n {
                1 | 2 => busy(),
                _ => status("SUCCESS", Some(9)),
            }));
        })
        .await;
    let camb = camb(&server);
    let task_id = task("t1");
    let started = Instant::now();
    let answer = camb
        .call_raw(Resend::Idempotent, || {
            camb.raw().get_dub_status().task_id(&task_id).send()
        })
        .await
        .unwrap();
    assert_eq!(answer.run_id, Some(9));
    assert_eq!(mock.calls_async().await, 3);
    // The default backoff (1 s, then 2 s, ±10% jitter) slept in between.
    let slept = started.elapsed();
    assert!(
        (Duration::from_millis(2700)..=Duration::from_millis(3300)).contains(&slept),
        "{slept:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_create_sent_raw_is_not_resent_after_a_5xx_and_keeps_the_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/dub");
            then.respond_with(|_| busy());
        })
        .await;
    let camb = camb(&server);
    let body = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR])
        .to_body()
        .unwrap();
    let err = camb
        .call_raw(Resend::OnlyIfUnprocessed, || {
            camb.raw().end_to_end_dubbing().body(body.clone()).send()
        })
        .await
        .unwrap_err();
    assert_eq!(
        mock.calls_async().await,
        1,
        "a create must not be sent twice"
    );
    assert_eq!(err.status_code(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        err.to_string().contains("upstream busy, try later"),
        "{err}"
    );

    // The same call as idempotent is resent (the choice is the caller's).
    let err = camb
        .call_raw(Resend::Idempotent, || {
            camb.raw().end_to_end_dubbing().body(body.clone()).send()
        })
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(
        mock.calls_async().await,
        1 + 5,
        "the first try and 4 retries"
    );
}

#[tokio::test(start_paused = true)]
async fn a_create_sent_raw_is_resent_after_a_429() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(POST).path("/dub");
            then.respond_with(counting(|n| match n {
                1 => HttpMockResponse::builder()
                    .status(429)
                    .header("retry-after", "2")
                    .build(),
                _ => json(200, body!({"task_id": "t-new"})),
            }));
        })
        .await;
    let camb = camb(&server);
    let body = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR])
        .to_body()
        .unwrap();
    let created = camb
        .call_raw(Resend::OnlyIfUnprocessed, || {
            camb.raw().end_to_end_dubbing().body(body.clone()).send()
        })
        .await
        .unwrap();
    assert_eq!(created.task_id.as_deref(), Some("t-new"));
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test(start_paused = true)]
async fn raw_errors_map_to_the_typed_error_with_the_body() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/gone");
            then.respond_with(|_| json(404, body!({"detail": "Task gone-404 not found"})));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/bad");
            then.respond_with(|_| {
                json(
                    422,
                    body!({"detail": [{"loc": ["path", "task_id"], "msg": "not a task id", "type": "value_error"}]}),
                )
            });
        })
        .await;
    let camb = camb(&server);
    let status_of = |id: &str| {
        let camb = camb.clone();
        let task_id: TaskId = task(id);
        async move {
            camb.call_raw(Resend::Idempotent, || {
                camb.raw().get_dub_status().task_id(task_id.clone()).send()
            })
            .await
        }
    };

    let gone = status_of("gone").await.unwrap_err();
    assert!(matches!(gone, Error::NotFound { .. }), "{gone:?}");
    assert!(
        gone.to_string().contains("Task gone-404 not found"),
        "{gone}"
    );

    match status_of("bad").await.unwrap_err() {
        Error::Validation { detail } => assert_eq!(detail[0].msg, "not a task id"),
        other => panic!("{other:?}"),
    }

    // A raw call sent without call_raw: raw_error gives the same typed error,
    // body included, where camb_api's own text shows none.
    let raw = camb
        .raw()
        .get_dub_status()
        .task_id(task("gone"))
        .send()
        .await
        .unwrap_err();
    assert!(!raw.to_string().contains("Task gone-404"), "{raw}");
    let typed = camb.raw_error(raw).await;
    assert!(matches!(typed, Error::NotFound { .. }), "{typed:?}");
    assert!(
        typed.to_string().contains("Task gone-404 not found"),
        "{typed}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_key_never_shows_in_a_raw_calls_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/echo");
            then.respond_with(|_| {
                HttpMockResponse::builder()
                    .status(500)
                    .body(format!("bad key {KEY}"))
                    .build()
            });
        })
        .await;
    let camb = camb(&server);
    let task_id = task("echo");
    let err = camb
        .call_raw(Resend::OnlyIfUnprocessed, || {
            camb.raw().get_dub_status().task_id(&task_id).send()
        })
        .await
        .unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(shown.contains("bad key"), "{shown}");
    assert!(!shown.contains(KEY), "{shown}");
}
