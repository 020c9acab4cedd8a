//! The `camb-simulator` binary, driven as a user would: started with
//! `--port 0`, its base URL and key read from its first two lines, a whole
//! dub flow over plain HTTP on loopback.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

/// The running binary; killed when dropped, so a failing test leaves no server.
struct Server(Child);

impl Server {
    /// Stops the server and returns what it logged on stderr.
    fn stop(mut self) -> String {
        let _ = self.0.kill();
        let _ = self.0.wait();
        let mut log = String::new();
        if let Some(mut stderr) = self.0.stderr.take() {
            stderr.read_to_string(&mut log).expect("readable stderr");
        }
        log
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and reads its first two lines: base URL and key.
fn start(args: &[&str]) -> (Server, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_camb-simulator"))
        .args(["--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
    let server = Server(child);
    let mut line = || {
        lines
            .next()
            .expect("a line on stdout")
            .expect("readable stdout")
    };
    let base_url = line();
    let api_key = line();
    (server, base_url, api_key)
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        // Bounds the test: a server that stops answering fails it.
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a plain HTTP client")
}

async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json().await.expect("a JSON body");
    (status, body)
}

#[tokio::test]
async fn the_binary_serves_a_whole_dub_over_http() {
    let (server, base_url, api_key) = start(&["--api-key", "key-from-the-command-line"]);
    assert!(base_url.starts_with("http://127.0.0.1:"), "{base_url}");
    assert_eq!(api_key, "key-from-the-command-line");
    let http = client();

    let create = http
        .post(format!("{base_url}/dub"))
        .header("x-api-key", &api_key)
        .json(&json!({
            "video_url": "https://example.com/talk.mp4",
            "source_language": 1,
            "target_languages": [76],
        }));
    let (status, created) = call(create).await;
    assert_eq!(status, 200, "{created}");
    let task_id = created["task_id"].as_str().expect("a task id").to_owned();

    // The default script answers PENDING twice; a few more polls are slack.
    let mut run_id = None;
    for _ in 0..10 {
        let poll = http
            .get(format!("{base_url}/dub/{task_id}"))
            .header("x-api-key", &api_key);
        let (status, body) = call(poll).await;
        assert_eq!(status, 200, "{body}");
        match body["status"].as_str() {
            Some("SUCCESS") => {
                run_id = body["run_id"].as_i64();
                break;
            }
            Some("PENDING") => {}
            other => panic!("unexpected status {other:?}: {body}"),
        }
    }
    let run_id = run_id.expect("SUCCESS with a run_id within ten polls");

    let result = http
        .get(format!("{base_url}/dub-result/{run_id}"))
        .header("x-api-key", &api_key);
    let (status, body) = call(result).await;
    assert_eq!(status, 200, "{body}");
    let video_url = body["output_video_url"]
        .as_str()
        .or_else(|| body["video_url"].as_str());
    assert!(video_url.is_some_and(|url| url.ends_with(".mp4")), "{body}");

    // One line per request, method, path and status; never the key.
    let log = server.stop();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.first(), Some(&"POST /dub 200"), "{log}");
    assert!(
        lines.contains(&format!("GET /dub/{task_id} 200").as_str()),
        "{log}"
    );
    assert_eq!(
        lines.last(),
        Some(&format!("GET /dub-result/{run_id} 200").as_str()),
        "{log}"
    );
    assert!(!log.contains(&api_key), "{log}");
}

#[tokio::test]
async fn the_binary_wants_its_key_and_prints_the_demo_key_by_default() {
    let (_server, base_url, api_key) = start(&[]);
    assert_eq!(api_key, camb_simulator::DEFAULT_API_KEY);
    let wrong_key = client()
        .get(format!("{base_url}/dub/anything"))
        .header("x-api-key", "not-the-key");
    let (status, _) = call(wrong_key).await;
    assert_eq!(status, 401);
}
