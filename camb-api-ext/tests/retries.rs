//! Retries of a single request over real HTTP, on a paused clock: 429 with
//! each form of server hint, 5xx bursts, and no duplicate dubs.

mod common;

use std::time::{Duration, SystemTime};

use camb_api_ext::{DubRequest, Error, Language, RetryPolicy, RunId};
use common::{KEY, builder, camb, counting, json, status, steady_backoff, task};
use httpmock::prelude::*;
use reqwest::StatusCode;
use serde_json::json as body;
use tokio::time::Instant;

/// A 429 carrying `hint`, then `SUCCESS`: returns the time the status call
/// took and the number of requests.
async fn after_one_429(hint: (&'static str, String)) -> (Duration, u32) {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1").header("x-api-key", KEY);
            then.respond_with(counting(move |n| match n {
                1 => httpmock::HttpMockResponse::builder()
                    .status(429)
                    .header(hint.0, hint.1.clone())
                    .build(),
                _ => status("SUCCESS", Some(5)),
            }));
        })
        .await;
    let started = Instant::now();
    let answer = camb(&server).status(&task("t1")).await.unwrap();
    assert_eq!(answer.run_id, Some(RunId(5)));
    (started.elapsed(), mock.calls_async().await as u32)
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_retry_after_ms() {
    let (took, calls) = after_one_429(("retry-after-ms", "1500".into())).await;
    assert_eq!((took, calls), (Duration::from_millis(1500), 2));
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_for_retry_after_seconds() {
    let (took, calls) = after_one_429(("retry-after", "7".into())).await;
    assert_eq!((took, calls), (Duration::from_secs(7), 2));
}

/// How long a 429 whose hint names a wall-clock time `ahead` from now made
/// the status call wait, and the bounds it must lie in.
///
/// The hint is a date (whole seconds) written before the call, and read
/// against the wall clock at some moment during it: the wait is at most
/// `ahead`, and at least `ahead` less one second of rounding and less the
/// wall-clock time the call took (measured, so a slow machine cannot fail
/// it). The sleep itself is on the paused clock.
async fn wait_for_a_dated_hint(
    ahead: Duration,
    header: impl FnOnce(SystemTime) -> (&'static str, String),
) -> (Duration, std::ops::RangeInclusive<Duration>) {
    let before = SystemTime::now();
    let (took, calls) = after_one_429(header(before + ahead)).await;
    assert_eq!(calls, 2);
    let call_time = before.elapsed().unwrap_or_default();
    let floor = ahead.saturating_sub(Duration::from_secs(1) + call_time);
    // tokio's timers round up to the next millisecond.
    (took, floor..=ahead + Duration::from_millis(1))
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_until_a_retry_after_date() {
    let (took, bounds) = wait_for_a_dated_hint(Duration::from_secs(20), |at| {
        ("retry-after", httpdate::fmt_http_date(at))
    })
    .await;
    assert!(bounds.contains(&took), "{took:?} not in {bounds:?}");
}

#[tokio::test(start_paused = true)]
async fn a_429_waits_until_x_ratelimit_reset() {
    let (took, bounds) = wait_for_a_dated_hint(Duration::from_secs(12), |at| {
        let epoch = at.duration_since(SystemTime::UNIX_EPOCH).unwrap().as_secs();
        ("x-ratelimit-reset", epoch.to_string())
    })
    .await;
    assert!(bounds.contains(&took), "{took:?} not in {bounds:?}");
}

#[tokio::test(start_paused = true)]
async fn endless_429s_end_as_rate_limited_after_the_retries() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(429).header("retry-after", "2");
        })
        .await;
    let started = Instant::now();
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(2))
    );
    assert!(err.is_retryable());
    assert_eq!(
        mock.calls_async().await,
        5,
        "the first attempt and 4 retries"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(8));
}

#[tokio::test(start_paused = true)]
async fn a_hint_longer_than_the_cap_is_returned_at_once() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.status(429).header("retry-after", "3600");
        })
        .await;
    let started = Instant::now();
    let err = camb(&server).status(&task("t1")).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(3600)));
    assert_eq!(mock.calls_async().await, 1);
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn a_burst_of_5xx_then_success() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 => json(502, body!({"detail": "bad gateway"})),
                2 => json(503, body!({"detail": "unavailable"})),
                3 => json(500, body!({"detail": "oops"})),
                _ => status("PENDING", None),
            }));
        })
        .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::default().with_backoff(steady_backoff()))
        .build()
        .unwrap();
    let started = Instant::now();
    let answer = client.status(&task("t1")).await.unwrap();
    assert_eq!(answer.status, camb_api_ext::TaskStatus::Pending);
    assert_eq!(mock.calls_async().await, 4);
    assert_eq!(started.elapsed(), Duration::from_secs(1 + 2 + 4));
}

#[tokio::test(start_paused = true)]
async fn a_5xx_that_lasts_ends_as_unexpected_status_within_the_budget() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub-result/9");
            then.status(503).body("down");
        })
        .await;
    let client = builder(&server)
        .retry_policy(
            RetryPolicy::default()
                .with_max_retries(50)
                .with_backoff(steady_backoff())
                .with_budget(Some(Duration::from_secs(20))),
        )
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client
        .result(RunId(9), [Language::FR_FR])
        .await
        .unwrap_err();
    assert_eq!(err.status_code(), Some(StatusCode::SERVICE_UNAVAILABLE));
    assert!(matches!(err, Error::UnexpectedStatus { ref excerpt, .. } if excerpt == "down"));
    // 1 + 2 + 4 + 8 = 15 s; another 16 s would pass the 20 s budget.
    assert_eq!(mock.calls_async().await, 5);
    assert_eq!(started.elapsed(), Duration::from_secs(15));

    let none = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    none.result(RunId(9), [Language::FR_FR]).await.unwrap_err();
    assert_eq!(mock.calls_async().await, 6);
}

fn request() -> DubRequest {
    DubRequest::new(
        "https://example.com/v.mp4",
        Language::EN_US,
        [Language::FR_FR],
    )
}

#[tokio::test(start_paused = true)]
async fn creating_a_dub_is_resent_only_when_the_server_surely_did_not_act() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(POST).path("/dub").body_includes("broken");
            then.status(500);
        })
        .await;
    let broken = DubRequest::new(
        "https://example.com/broken.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let err = camb(&server).create_dub(&broken).await.unwrap_err();
    assert_eq!(err.status_code(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert_eq!(
        failing.calls_async().await,
        1,
        "a 500 may have created the dub"
    );

    let throttled = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/dub")
                .header("x-api-key", KEY)
                .json_body(body!({"video_url": "https://example.com/v.mp4", "source_language": 1, "target_languages": [76], "transcription_mode": "fast"}));
            then.respond_with(counting(|n| match n {
                1 => httpmock::HttpMockResponse::builder()
                    .status(429)
                    .header("retry-after-ms", "10")
                    .build(),
                _ => json(200, body!({"task_id": "new-task"})),
            }));
        })
        .await;
    let task_id = camb(&server).create_dub(&request()).await.unwrap();
    assert_eq!(task_id.as_str(), "new-task");
    assert_eq!(throttled.calls_async().await, 2);
}

#[tokio::test(start_paused = true)]
async fn a_server_task_id_that_no_url_can_carry_is_an_unusable_response() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/dub");
            then.status(200).json_body(body!({"task_id": ".."}));
        })
        .await;
    let err = camb(&server).create_dub(&request()).await.unwrap_err();
    assert!(
        matches!(err, Error::UnusableResponse { ref excerpt, .. } if excerpt.contains("..")),
        "{err:?}"
    );
}
