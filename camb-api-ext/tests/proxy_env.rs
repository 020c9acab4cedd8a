//! Proxy variables in the environment, pointed at a listener that records
//! every connection: requests to a loopback base URL, key included, never
//! reach it. Its own test binary with one test, because the environment is
//! process-wide.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use camb_api_ext::{Camb, RetryPolicy, TaskStatus};
use httpmock::prelude::*;
use tokio::net::TcpListener;

#[tokio::test]
async fn proxy_variables_never_see_a_loopback_request() {
    let proxy = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}", proxy.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = proxy.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });
    for name in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        // SAFETY: the only test of this binary sets the variables before any
        // client exists; nothing else reads or writes the environment now.
        unsafe { std::env::set_var(name, &proxy_url) };
    }
    for name in ["NO_PROXY", "no_proxy"] {
        // SAFETY: as above.
        unsafe { std::env::remove_var(name) };
    }

    let api = MockServer::start_async().await;
    let status = api
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dub/t1")
                .header("x-api-key", "proxy-test-key");
            then.status(200)
                .json_body(serde_json::json!({"status": "PENDING", "run_id": null}));
        })
        .await;
    for base_url in [
        api.base_url(),
        api.base_url().replace("127.0.0.1", "localhost"),
    ] {
        for camb in [
            Camb::builder()
                .api_key("proxy-test-key")
                .base_url(&base_url),
            Camb::builder()
                .api_key("proxy-test-key")
                .base_url(&base_url)
                .http_client(
                    reqwest::Client::builder().proxy(reqwest::Proxy::all(&proxy_url).unwrap()),
                ),
        ] {
            let camb = camb.retry_policy(RetryPolicy::none()).build().unwrap();
            let seen = camb.status(&"t1".parse().unwrap()).await.unwrap();
            assert_eq!(seen.status, TaskStatus::Pending);
        }
    }
    assert_eq!(status.calls_async().await, 4);
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a request went to the proxy"
    );
}
