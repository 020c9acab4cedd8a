//! The clients the benchmarks compare, all pointed at a [`LocalServer`].
//!
//! [`LocalServer`]: crate::server::LocalServer

use camb_api_ext::Camb;
use serde::Deserialize;

/// The API key every benchmark client sends (the local server ignores it).
pub const API_KEY: &str = "bench-key-0000";

/// The least a Rust program decodes from a status answer.
#[derive(Debug, Deserialize)]
pub struct MinimalStatus {
    /// `PENDING`, `SUCCESS`, ...
    pub status: String,
    /// Set once the task succeeded.
    pub run_id: Option<i64>,
}

/// A plain reqwest client sending `x-api-key`, with no request timeout and
/// no idle timer on its pool (both would fire early on a paused clock), and
/// no proxy from the environment.
pub fn baseline_http_client() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-api-key",
        reqwest::header::HeaderValue::from_static(API_KEY),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .pool_idle_timeout(None)
        .no_proxy()
        .build()
        .expect("a reqwest client builds")
}

/// A [`Camb`] with every default, as a user makes one (a 30 s request
/// timeout included).
pub fn default_camb(base_url: &str) -> Camb {
    Camb::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .build()
        .expect("a loopback base URL is accepted")
}

/// A [`Camb`] for tokio's paused clock: no request timeout and no pool idle
/// timer, as camb-api-ext's own docs ask for tests against real sockets.
pub fn paused_clock_camb(base_url: &str) -> Camb {
    Camb::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .timeout(None)
        .cut_requests_at_deadline(false)
        .http_client(reqwest::Client::builder().pool_idle_timeout(None))
        .build()
        .expect("a loopback base URL is accepted")
}

/// The least a Rust program does for one status call: a `GET` of `url`
/// and a `serde_json` decode of the body.
pub async fn baseline_status(
    http: &reqwest::Client,
    url: &str,
) -> Result<MinimalStatus, Box<dyn std::error::Error + Send + Sync>> {
    let body = http
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .bytes()
        .await?;
    Ok(serde_json::from_slice(&body)?)
}
