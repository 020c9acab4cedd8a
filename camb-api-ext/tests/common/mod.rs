//! Shared by the integration tests: a client pointed at an httpmock server,
//! set up for tokio's paused clock.

#![allow(dead_code)]

use std::{
    sync::{
        Arc,
        atomic::{AtomicU32, Ordering},
    },
    time::Duration,
};

use camb_api_ext::{Backoff, Camb, CambBuilder, TaskId};
use httpmock::{HttpMockRequest, HttpMockResponse, MockServer};
use serde_json::Value;

/// The key every mock requires: a request without it matches no mock (404).
pub const KEY: &str = "test-key-4f2a9c";

/// A builder for a client of `server`. On a paused clock every pending tokio
/// timer fires as soon as the runtime waits for the socket, so reqwest's
/// request timeout and its connection pool's idle timer are turned off.
pub fn builder(server: &MockServer) -> CambBuilder {
    Camb::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .timeout(None)
        .cut_requests_at_deadline(false)
        .http_client(reqwest::Client::builder().pool_idle_timeout(None))
}

/// A client of `server` with the default policies.
pub fn camb(server: &MockServer) -> Camb {
    builder(server).build().expect("a valid test client")
}

pub fn task(id: &str) -> TaskId {
    id.parse().expect("a valid task id")
}

/// A JSON answer.
pub fn json(status: u16, body: Value) -> HttpMockResponse {
    HttpMockResponse::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(body.to_string())
        .build()
}

/// A responder that answers its `n`-th call (from 1) with `answer(n)`.
pub fn counting(
    answer: impl Fn(u32) -> HttpMockResponse + Send + Sync + 'static,
) -> impl Fn(&HttpMockRequest) -> HttpMockResponse + Send + Sync + 'static {
    let calls = Arc::new(AtomicU32::new(0));
    move |_| answer(calls.fetch_add(1, Ordering::SeqCst) + 1)
}

/// A `200` status answer.
pub fn status(status: &str, run_id: Option<i64>) -> HttpMockResponse {
    json(
        200,
        serde_json::json!({ "status": status, "run_id": run_id }),
    )
}

/// The default retry delays without jitter: 1, 2, 4, 8, ... s.
pub fn steady_backoff() -> Backoff {
    Backoff::new(Duration::from_secs(1), Duration::from_secs(30)).with_jitter(0.0)
}
