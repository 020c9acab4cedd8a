//! A server that accepts connections and never answers: a wait still ends
//! at its deadline, even with a reqwest client that has no timeout.

use std::time::Duration;

use camb_api_ext::{Camb, Error, PollPolicy, RunId};
use tokio::{net::TcpListener, time::Instant};

/// Listens on loopback, accepts every connection and holds it, silent.
async fn silent_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{address}")
}

/// Waits, with a client that has no request timeout, for a task on a
/// server that never answers: the outcome and how long the wait took.
async fn wait_on_a_silent_server(deadline: Duration) -> (Result<RunId, Error>, Duration) {
    let camb = Camb::builder()
        .api_key("k")
        .base_url(silent_server().await)
        .timeout(None)
        .poll_policy(PollPolicy::default().with_deadline(Some(deadline)))
        .build()
        .unwrap();
    let started = Instant::now();
    // Without the cut, the wait never ends; this outer limit (its timer is
    // the only other one) turns that into a failure instead of a hung test.
    let outcome = tokio::time::timeout(
        Duration::from_secs(3600),
        camb.wait_for_dub(&"t1".parse().unwrap()),
    )
    .await
    .expect("the wait ended by itself");
    (outcome, started.elapsed())
}

#[tokio::test(start_paused = true)]
async fn a_request_in_flight_ends_at_the_deadline() {
    let (outcome, took) = wait_on_a_silent_server(Duration::from_secs(60)).await;
    assert!(
        matches!(
            outcome,
            Err(Error::DeadlineExceeded {
                polls: 1,
                last_status: None,
                ..
            })
        ),
        "{outcome:?}"
    );
    assert_eq!(took, Duration::from_secs(60));
}

#[tokio::test(start_paused = true)]
async fn the_final_poll_at_the_deadline_gets_a_bounded_grace() {
    let (outcome, took) = wait_on_a_silent_server(Duration::ZERO).await;
    assert!(
        matches!(outcome, Err(Error::DeadlineExceeded { polls: 1, .. })),
        "{outcome:?}"
    );
    assert_eq!(took, Duration::from_secs(10));
}
