//! Server hints and policies at the edge of `Duration`, on a paused clock:
//! no panic, no request storm, no overflow.

mod common;

use std::time::Duration;

use camb_api_ext::{Backoff, Error, MAX_SERVER_HINT, PollPolicy, RunId};
use common::{builder, camb, counting, json, status, task};
use httpmock::prelude::*;
use serde_json::json as body;
use tokio::time::Instant;

/// A status answer `PENDING` carrying one header.
fn pending_with(name: &'static str, value: &'static str) -> httpmock::HttpMockResponse {
    httpmock::HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .header(name, value)
        .body(body!({"status": "PENDING", "run_id": null}).to_string())
        .build()
}

#[tokio::test(start_paused = true)]
async fn a_rate_limit_reset_beyond_any_date_is_capped_not_a_panic() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(429)
                .header("x-ratelimit-reset", "10000000000000000000");
        })
        .await;
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(hint) } if hint == MAX_SERVER_HINT),
        "{err:?}"
    );
    assert_eq!(
        mock.calls_async().await,
        1,
        "a hint past the cap ends retries"
    );
}

#[tokio::test(start_paused = true)]
async fn a_huge_retry_after_on_a_wait_without_deadline_is_read_as_one_day() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 => pending_with("retry-after", "1e19"),
                _ => status("SUCCESS", Some(4)),
            }));
        })
        .await;
    let client = builder(&server)
        .poll_policy(PollPolicy::default().with_deadline(None))
        .build()
        .unwrap();
    let started = Instant::now();
    assert_eq!(client.wait_for_dub(&task("t1")).await.unwrap(), RunId(4));
    assert_eq!(started.elapsed(), MAX_SERVER_HINT);
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_of_duration_max_is_no_deadline_not_an_overflow() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 | 2 => status("PENDING", None),
                _ => status("SUCCESS", Some(8)),
            }));
        })
        .await;
    let client = builder(&server)
        .poll_policy(PollPolicy::default().with_deadline(Some(Duration::MAX)))
        .build()
        .unwrap();
    assert_eq!(client.wait_for_dub(&task("t1")).await.unwrap(), RunId(8));
}

#[tokio::test(start_paused = true)]
async fn backoff_caps_near_duration_max_neither_overflow_nor_pass_the_deadline() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(200)
                .json_body(body!({"status": "PROCESSING", "run_id": null}));
        })
        .await;
    let huge = Backoff::new(Duration::from_secs(1), Duration::MAX).with_factor(f32::MAX);
    let client = builder(&server)
        .retry_policy(camb_api_ext::RetryPolicy::default().with_backoff(huge))
        .poll_policy(
            PollPolicy::default()
                .with_backoff(huge)
                .with_deadline(Some(Duration::from_secs(3600))),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.wait_for_dub(&task("t1")).await.unwrap_err();
    assert!(
        matches!(err, Error::DeadlineExceeded { polls: 3, .. }),
        "{err:?}"
    );
    // Polls at 0 and about 1 s; the next delay is cut to the deadline.
    assert_eq!(started.elapsed(), Duration::from_secs(3600));
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test(start_paused = true)]
async fn retry_after_zero_on_503_cannot_make_a_wait_storm() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(|_: &HttpMockRequest| {
                httpmock::HttpMockResponse::builder()
                    .status(503)
                    .header("retry-after", "0")
                    .body("busy")
                    .build()
            });
        })
        .await;
    // The default policies, but a one-minute deadline.
    let client = builder(&server)
        .poll_policy(PollPolicy::default().with_deadline(Some(Duration::from_secs(60))))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.wait_for_dub(&task("t1")).await.unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(60));
    // Each poll: 1 attempt and 4 retries, 1 s apart (the retry floor); then
    // 2 s (the poll floor) to the next poll: polls at 0, 6, ..., 54 s make
    // 50 requests, and the final poll at the deadline 1 more.
    assert_eq!(mock.calls_async().await, 51);
}

#[tokio::test(start_paused = true)]
async fn a_zero_hint_on_a_retried_429_waits_the_retry_floor() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 => httpmock::HttpMockResponse::builder()
                    .status(429)
                    .header("retry-after-ms", "0")
                    .build(),
                _ => json(200, body!({"status": "PENDING", "run_id": null})),
            }));
        })
        .await;
    let started = Instant::now();
    camb(&server).status(&task("t1")).await.unwrap();
    assert_eq!(started.elapsed(), Duration::from_secs(1));
    assert_eq!(mock.calls_async().await, 2);
}
