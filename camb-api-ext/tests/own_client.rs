//! A caller's own `reqwest::Client`, used as is: the key still goes on every
//! request, and settings that could not apply to it are refused.

use std::time::Duration;

use camb_api_ext::{Camb, Error, RetryPolicy, TaskStatus};
use httpmock::prelude::*;

/// A client built by "the application", with reqwest's defaults.
fn application_client() -> reqwest::Client {
    reqwest::Client::builder()
        .user_agent("the-app/2.0")
        .no_proxy()
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_built_client_is_used_as_is_and_still_sends_the_key() {
    let server = MockServer::start_async().await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dub/task-1")
                .header("x-api-key", "own-client-key")
                .header("user-agent", "the-app/2.0");
            then.status(200)
                .json_body(serde_json::json!({"status": "PENDING", "run_id": null}));
        })
        .await;

    let camb = Camb::builder()
        .api_key("own-client-key")
        .base_url(server.base_url())
        .reqwest_client(application_client())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let seen = camb.status(&"task-1".parse().unwrap()).await.unwrap();

    assert_eq!(seen.status, TaskStatus::Pending);
    status.assert_async().await;
}

#[test]
fn settings_that_cannot_apply_to_a_built_client_are_refused() {
    let with_timeout = Camb::builder()
        .api_key("k")
        .reqwest_client(application_client())
        .timeout(Some(Duration::from_secs(5)))
        .build();
    let with_agent = Camb::builder()
        .api_key("k")
        .reqwest_client(application_client())
        .user_agent("x/1")
        .build();
    for refused in [with_timeout, with_agent] {
        assert!(matches!(
            refused,
            Err(Error::InvalidInput {
                field: "reqwest_client",
                ..
            })
        ));
    }
}

/// A neighbour in the same application: a plain `reqwest::Client` built with
/// no TLS setup of its own. Cargo unifies reqwest's features, so what
/// camb-api-ext enables applies to it too; with `rustls-no-provider` alone
/// (this crate's TLS in its first versions) this panicked.
#[test]
fn a_neighbours_default_reqwest_client_still_builds() {
    let outcome = std::panic::catch_unwind(|| reqwest::Client::builder().build());
    assert!(
        matches!(outcome, Ok(Ok(_))),
        "building a default reqwest::Client failed"
    );
}
