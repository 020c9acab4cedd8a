//! A wait that cannot reach CAMB.AI is not silent: failed polls reach the
//! `on_failed_poll` hook, a server that never answered ends the wait within
//! minutes naming the base URL, and a server that answered before and then
//! fails is retried until the deadline. On tokio's paused clock, against
//! real sockets.

use std::{
    io::{Read, Write},
    net::TcpListener,
    sync::{Arc, Mutex},
    time::Duration,
};

use camb_api_ext::{Camb, Error, FailedPoll, TaskId, WaitErrorPolicy};
use tokio::time::Instant;

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn client(port: u16) -> Camb {
    Camb::builder()
        .api_key("k")
        .base_url(format!("http://127.0.0.1:{port}"))
        .for_paused_clock()
        .build()
        .unwrap()
}

fn task() -> TaskId {
    "abc".parse().unwrap()
}

/// Collects every failed poll a wait reports.
fn recorder() -> (Arc<Mutex<Vec<FailedPoll>>>, impl FnMut(&FailedPoll) + Send) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    (seen, move |failure: &FailedPoll| {
        sink.lock().unwrap().push(failure.clone())
    })
}

#[tokio::test(start_paused = true)]
async fn a_server_never_reached_ends_the_wait_within_minutes_naming_the_base_url() {
    let camb = client(closed_port());
    let (seen, record) = recorder();
    let started = Instant::now();
    let err = camb
        .wait_for_dub(&task())
        .on_failed_poll(record)
        .await
        .unwrap_err();
    let took = started.elapsed();

    let Error::Unreachable {
        ref base_url,
        elapsed,
        polls,
        ref last_error,
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(base_url, camb.base_url());
    assert!(err.to_string().contains(camb.base_url()), "{err}");
    assert!(
        matches!(**last_error, Error::Transport { .. }),
        "{last_error:?}"
    );
    // The last poll is right at the 2-minute limit (its own retries after).
    assert!(elapsed >= Duration::from_secs(120), "{elapsed:?}");
    assert!(took <= Duration::from_secs(180), "{took:?}");

    // Every poll but the last reached the hook, with its error and next try.
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len() as u32, polls - 1);
    for (n, failure) in seen.iter().enumerate() {
        assert_eq!(failure.polls as usize, n + 1);
        assert_eq!(failure.failures_in_a_row as usize, n + 1);
        assert!(failure.next_poll_in > Duration::ZERO);
        assert!(failure.elapsed + failure.next_poll_in <= Duration::from_secs(120));
        let shown = failure.to_string();
        assert!(shown.contains("could not connect"), "{shown}");
        assert!(shown.contains("next try in"), "{shown}");
    }
}

#[tokio::test(start_paused = true)]
async fn the_limit_is_a_setting() {
    let camb = client(closed_port());
    let err = camb
        .wait_for_dub(&task())
        .error_policy(WaitErrorPolicy::default().with_unreachable_limit(None))
        .deadline(Duration::from_secs(900))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::DeadlineExceeded { elapsed, .. } if elapsed == Duration::from_secs(900)),
        "{err:?}"
    );
}

/// Serves one `PENDING` status answer on a fresh port, then stops
/// listening: connections are refused from then on.
fn answers_once() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut request = [0; 4096];
        let _ = stream.read(&mut request).unwrap();
        let body = r#"{"status": "PENDING", "run_id": null}"#;
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).unwrap();
        // The listener is dropped here: the port closes.
    });
    port
}

#[tokio::test(start_paused = true)]
async fn a_server_that_answered_before_and_then_fails_is_retried_until_the_deadline() {
    let camb = client(answers_once());
    let status = camb.status(&task()).await.unwrap();
    assert_eq!(status.status.as_str(), "PENDING");

    let (seen, record) = recorder();
    let err = camb
        .wait_for_dub(&task())
        .on_failed_poll(record)
        .deadline(Duration::from_secs(900))
        .await
        .unwrap_err();
    match &err {
        Error::DeadlineExceeded {
            elapsed,
            last_error,
            ..
        } => {
            assert_eq!(*elapsed, Duration::from_secs(900));
            assert!(
                matches!(last_error.as_deref(), Some(Error::Transport { .. })),
                "{last_error:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(seen.lock().unwrap().len() > 10);
}
