//! The `camb-simulator` binary, driven as a user would: started with
//! `--port 0`, its base URL and key read from its first two lines, a whole
//! dub flow over plain HTTP on loopback.

mod common;

use common::{client, start_binary as start};
use serde_json::{Value, json};

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

/// One `curl` command of the README: its headers, body and URL.
struct Curl {
    headers: Vec<(String, String)>,
    body: Option<String>,
    url: String,
}

/// Splits a shell line into words: single quotes group, nothing else.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

fn curl(line: &str) -> Curl {
    let words = words(line);
    let mut curl = Curl {
        headers: Vec::new(),
        body: None,
        url: String::new(),
    };
    let mut at = 1;
    while at < words.len() {
        match words[at].as_str() {
            "-s" => {}
            "-H" => {
                at += 1;
                let (name, value) = words[at].split_once(": ").expect("a header");
                curl.headers.push((name.to_owned(), value.to_owned()));
            }
            "-d" => {
                at += 1;
                curl.body = Some(words[at].clone());
            }
            url if url.starts_with("http") => curl.url = url.to_owned(),
            other => panic!("an option the test does not know: {other}"),
        }
        at += 1;
    }
    curl
}

/// The JSON objects a comment shows: each complete one, and a shortened
/// one (`{"a": 1, ...}`) as the text an answer starts with.
fn shown_answers(comment: &str) -> Vec<Result<Value, String>> {
    let mut answers = Vec::new();
    let mut rest = comment;
    while let Some(start) = rest.find('{') {
        let text = &rest[start..];
        let end = text.find('}').map_or(text.len(), |end| end + 1);
        let fragment = &text[..end];
        match serde_json::from_str::<Value>(fragment) {
            Ok(value) if !fragment.contains("...") => answers.push(Ok(value)),
            _ => {
                let prefix = fragment.split(", ...").next().unwrap_or(fragment);
                let prefix = prefix.split("...").next().unwrap_or(prefix);
                answers.push(Err(prefix.to_owned()));
            }
        }
        rest = &text[end.min(text.len())..];
    }
    answers
}

/// README.md's curl session against the simulator, run as written (on the
/// port the binary picked instead of 8080): each command answers what the
/// comment under it shows; the status is polled until its last answer.
#[tokio::test]
async fn the_readmes_curl_session_runs_as_written() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
        .find(|block| block.contains("curl -s -H 'x-api-key: simulator-api-key'"))
        .expect("the README's curl session");
    let start_line = readme
        .split("```sh\n")
        .skip(1)
        .map(|block| block.split("```").next().unwrap_or(""))
        .find(|block| block.starts_with("cargo run -p camb-simulator"))
        .expect("the README's command that starts the simulator");
    assert!(start_line.contains("--port 8080"), "{start_line}");

    let (server, base_url, _) = start(&[]);
    let http = client();
    // Commands joined over their `\` line ends, each with its comment.
    let mut steps: Vec<(String, String)> = Vec::new();
    let mut pending = String::new();
    for line in block.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let (_, shown) = steps.last_mut().expect("a command before a comment");
            shown.push_str(comment);
            shown.push('\n');
        } else if let Some(part) = line.strip_suffix('\\') {
            pending.push_str(part);
        } else {
            pending.push_str(line);
            steps.push((std::mem::take(&mut pending), String::new()));
        }
    }
    assert_eq!(steps.len(), 4, "create, status, result, transcript");
    for (command, comment) in steps {
        let curl = curl(&command.replace("http://127.0.0.1:8080", &base_url));
        let shown = shown_answers(&comment);
        assert!(!shown.is_empty(), "{command}: no answer shown");
        for _ in 0..10 {
            let mut request = match &curl.body {
                Some(body) => http.post(&curl.url).body(body.clone()),
                None => http.get(&curl.url),
            };
            for (name, value) in &curl.headers {
                request = request.header(name, value);
            }
            let text = request.send().await.unwrap().text().await.unwrap();
            let answer: Value = serde_json::from_str(&text).unwrap();
            let matches = |shown: &Result<Value, String>| match shown {
                Ok(value) => *value == answer,
                Err(prefix) => text.starts_with(prefix.as_str()),
            };
            assert!(
                shown.iter().any(matches),
                "{command}\nanswered {text}\nshown {comment}"
            );
            // A status is asked again until it gives the last answer shown.
            if shown.last().is_some_and(matches) {
                break;
            }
        }
    }
    // The request log keeps each request's query.
    let log = server.stop();
    assert!(
        log.contains("GET /transcript/1000/76?format_type=srt&data_type=raw_data 200"),
        "{log}"
    );
}
