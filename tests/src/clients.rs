//! Clients pointed at local test servers.

/// The API key the contract tests send.
pub const API_KEY: &str = "contract-test-key";

/// A reqwest builder for plain HTTP to loopback, with no proxy: the tests
/// must not depend on the environment's proxy variables.
pub fn loopback_http() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_proxy()
}

/// A plain reqwest client that sends `x-api-key: <api_key>` on every
/// request, for tests that speak HTTP to the simulator directly.
pub fn http_client(api_key: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        camb_api::API_KEY_HEADER,
        api_key.parse().expect("API key is a valid header value"),
    );
    loopback_http()
        .default_headers(headers)
        .build()
        .expect("reqwest client builds")
}

/// The raw generated client, at `base_url`, sending `api_key` (the
/// generated client's [`camb_api::Auth`] hook adds it to every request).
pub fn raw_client(base_url: &str, api_key: &str) -> camb_api::Client {
    let http = loopback_http().build().expect("reqwest client builds");
    let auth = camb_api::Auth::api_key(api_key).expect("API key is a valid header value");
    camb_api::Client::new_with_client(base_url, http, auth)
}

/// The client people use, at `base_url`, sending `api_key`, with no retries
/// (contract tests check single exchanges).
pub fn camb_client(base_url: &str, api_key: &str) -> camb_api_ext::Camb {
    camb_api_ext::Camb::builder()
        .api_key(api_key)
        .base_url(base_url)
        .retry_policy(camb_api_ext::RetryPolicy::none())
        .build()
        .expect("a Camb client for a loopback server")
}
