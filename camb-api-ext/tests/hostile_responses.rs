//! Responses meant to hurt: redirects that would carry the key to another
//! origin, and bodies too large to hold.

mod common;

use camb_api_ext::{
    Camb, Error, Language, RetryPolicy, RunId, TaskStatus, camb_api::MAX_BODY_BYTES,
};
use common::{KEY, builder, camb, task};
use httpmock::prelude::*;
use reqwest::StatusCode;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpListener,
};

/// A second origin: the mock that matches requests carrying the key, and
/// the one that matches any other.
async fn elsewhere(server: &MockServer) -> [httpmock::Mock<'_>; 2] {
    let answer = serde_json::json!({"status": "SUCCESS", "run_id": 1});
    let with_key = server
        .mock_async(|when, then| {
            when.header_exists("x-api-key");
            then.status(200).json_body(answer.clone());
        })
        .await;
    let without = server
        .mock_async(|_, then| {
            then.status(200).json_body(answer.clone());
        })
        .await;
    [with_key, without]
}

/// How many requests the second origin saw, with or without the key.
async fn requests_seen(mocks: &[httpmock::Mock<'_>; 2]) -> usize {
    mocks[0].calls_async().await + mocks[1].calls_async().await
}

/// An API at `server` that redirects `/dub/t1` to `location`.
async fn redirecting(server: &MockServer, status: u16, location: String) {
    server
        .mock_async(move |when, then| {
            when.method(GET).path("/dub/t1");
            then.status(status).header("location", location.clone());
        })
        .await;
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_the_key_stays_home() {
    for status in [301, 302, 303, 307, 308] {
        let api = MockServer::start_async().await;
        let other = MockServer::start_async().await;
        let seen = elsewhere(&other).await;
        redirecting(&api, status, other.url("/dub/t1")).await;
        for client in [
            camb(&api),
            Camb::builder()
                .api_key(KEY)
                .base_url(api.base_url())
                .retry_policy(RetryPolicy::none())
                .build()
                .unwrap(),
        ] {
            let err = client.status(&task("t1")).await.unwrap_err();
            match &err {
                Error::Redirected {
                    status: seen,
                    location,
                } => {
                    assert_eq!(seen.map(|seen| seen.as_u16()), Some(status));
                    assert_eq!(location, &other.url("/dub/t1"));
                }
                other => panic!("{other:?}"),
            }
            assert!(!err.is_retryable());
            assert_eq!(err.status_code(), StatusCode::from_u16(status).ok());
        }
        assert_eq!(requests_seen(&seen).await, 0, "status {status}");
    }
}

#[tokio::test]
async fn a_redirect_that_names_the_key_does_not_repeat_it() {
    let api = MockServer::start_async().await;
    redirecting(&api, 307, format!("https://evil.example/?k={KEY}")).await;
    let err = camb(&api).status(&task("t1")).await.unwrap_err();
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY), "{shown}");
    }
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_key() {
    let api = MockServer::start_async().await;
    redirecting(&api, 307, "/dub/t2".into()).await;
    let moved = api
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t2").header("x-api-key", KEY);
            then.status(200)
                .json_body(serde_json::json!({"status": "PENDING", "run_id": null}));
        })
        .await;
    let seen = camb(&api).status(&task("t1")).await.unwrap();
    assert_eq!(seen.status, TaskStatus::Pending);
    moved.assert_async().await;
}

#[tokio::test]
async fn a_callers_client_that_follows_no_redirects_keeps_the_key_home_too() {
    let api = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let seen = elsewhere(&other).await;
    redirecting(&api, 307, other.url("/dub/t1")).await;
    let own = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap();
    let client = Camb::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .reqwest_client(own)
        .build()
        .unwrap();
    let err = client.status(&task("t1")).await.unwrap_err();
    assert!(matches!(err, Error::Redirected { .. }), "{err:?}");
    assert_eq!(requests_seen(&seen).await, 0);
}

/// 50 MB of spaces: valid JSON whitespace, so only the size is wrong.
fn fifty_megabytes() -> Vec<u8> {
    vec![b' '; 50_000_000]
}

#[tokio::test]
async fn a_50_mb_success_body_is_refused_at_the_cap() {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/dub-result/3");
        then.status(200)
            .header("content-type", "application/json")
            .body(fifty_megabytes());
    })
    .await;
    let err = camb(&api)
        .result(RunId(3), [Language::FR_FR])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit } if limit == MAX_BODY_BYTES),
        "{err:?}"
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn a_50_mb_error_body_keeps_its_status_and_a_short_excerpt() {
    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/dub/t1");
        then.status(500).body(fifty_megabytes());
    })
    .await;
    let client = builder(&api)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.status(&task("t1")).await.unwrap_err();
    assert_eq!(err.status_code(), Some(StatusCode::INTERNAL_SERVER_ERROR));
    assert!(err.to_string().len() < 1_000);
}

/// A client of the server at `base_url` that sends each request once.
fn without_retries(base_url: String) -> Camb {
    Camb::builder()
        .api_key(KEY)
        .base_url(base_url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Serves one `200` with a chunked body (no `Content-Length`) of `total`
/// bytes of `content_type`, then closes.
async fn chunked_server(total: usize, content_type: &'static str) -> String {
    chunked_server_ending(total, content_type, true).await
}

/// [`chunked_server`], which hangs up after `total` bytes without ending
/// the body when `finish` is false (a connection broken mid-file).
async fn chunked_server_ending(total: usize, content_type: &'static str, finish: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        // Read the request (a GET: its head is all of it) before answering.
        let mut request = Vec::new();
        let mut buffer = [0u8; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buffer[..n]),
            }
        }
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\n\
             transfer-encoding: chunked\r\n\r\n"
        );
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b' '; 1 << 20];
        let mut sent = 0;
        while sent < total {
            let frame = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
            // The client hangs up once it has seen enough.
            if socket.write_all(&frame).await.is_err() {
                return;
            }
            sent += chunk.len();
        }
        if finish {
            let _ = socket.write_all(b"0\r\n\r\n").await;
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_chunked_body_without_length_is_cut_at_the_cap() {
    let client =
        without_retries(chunked_server(MAX_BODY_BYTES + (4 << 20), "application/json").await);
    let err = client.status(&task("t1")).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
}

#[tokio::test]
async fn audio_streamed_to_the_caller_is_not_cut_at_the_cap() {
    use camb_api_ext::tasks::Tts;
    use futures_util::TryStreamExt;

    let total = MAX_BODY_BYTES + (4 << 20);
    let client = without_retries(chunked_server(total, "audio/flac").await);
    let audio = client.task_result::<Tts>(RunId(1)).await.unwrap();
    // Counted as it streams, never held whole.
    let read = audio
        .into_inner()
        .try_fold(0, |read, chunk| async move { Ok(read + chunk.len()) })
        .await
        .unwrap();
    assert_eq!(read, total);
}

#[tokio::test]
async fn a_callers_client_that_follows_redirects_gets_no_foreign_answer() {
    let api = MockServer::start_async().await;
    let other = MockServer::start_async().await;
    let seen = elsewhere(&other).await;
    redirecting(&api, 307, other.url("/dub/t1")).await;
    // reqwest's default policy: follows redirects to any origin by itself.
    let own = reqwest::Client::builder().no_proxy().build().unwrap();
    let client = Camb::builder()
        .api_key(KEY)
        .base_url(api.base_url())
        .reqwest_client(own)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.status(&task("t1")).await.unwrap_err();
    match &err {
        Error::Redirected { status, location } => {
            assert_eq!(*status, None);
            assert_eq!(location, &other.url("/dub/t1"));
        }
        other => panic!("{other:?}"),
    }
    // What the documentation warns about, and Camb cannot stop for a client
    // it did not build: the key went along.
    assert_eq!(seen[0].calls_async().await, 1);
}

/// The files in `dir`, by name.
fn files_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn a_file_result_past_the_cap_is_saved_whole_as_it_streams() {
    use camb_api_ext::tasks::TextToSound;

    let total = MAX_BODY_BYTES + (4 << 20);
    let client = without_retries(chunked_server(total, "audio/wav").await);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rain.wav");
    let saved = client
        .save_task_result::<TextToSound>(RunId(1), &path)
        .await
        .unwrap();
    assert_eq!(saved.bytes, total as u64);
    assert_eq!(saved.content_type.as_deref(), Some("audio/wav"));
    assert_eq!(std::fs::metadata(&path).unwrap().len(), total as u64);
    assert_eq!(files_in(dir.path()), ["rain.wav"]);
}

#[tokio::test]
async fn a_file_result_cut_short_leaves_no_file_behind() {
    use camb_api_ext::tasks::TextToSound;

    let client = without_retries(chunked_server_ending(3 << 20, "audio/wav", false).await);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rain.wav");
    let err = client
        .save_task_result::<TextToSound>(RunId(1), &path)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}

#[tokio::test]
async fn a_json_answer_where_a_file_was_expected_is_not_saved() {
    use camb_api_ext::tasks::Tts;

    let api = MockServer::start_async().await;
    api.mock_async(|when, then| {
        when.method(GET).path("/tts-result/7");
        then.status(200)
            .header("content-type", "application/json")
            .body(r#"{"file_url": "https://cdn.example/a.flac"}"#);
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.flac");
    match builder(&api)
        .build()
        .unwrap()
        .save_task_result::<Tts>(RunId(7), &path)
        .await
    {
        Err(Error::NotAudio { excerpt, .. }) => assert!(excerpt.contains("file_url"), "{excerpt}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(files_in(dir.path()), Vec::<String>::new());
}
