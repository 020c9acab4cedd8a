//! Each row of the crate docs' table "What `POST /dub` refuses, and what it
//! fails", against the in-process simulator over plain HTTP: what is
//! refused (and how), what is accepted and then fails (with which reason),
//! and what is dubbed.

mod common;

use camb_simulator::Simulator;
use common::client;
use serde_json::{Value, json};

/// What the simulator does with one create body.
#[derive(Debug, PartialEq)]
enum Answer {
    /// Refused: the status and, for a `422`, each problem's `loc` and `type`.
    Refused(u16, Vec<(Value, Value)>),
    /// Accepted, then `ERROR` with this `exception_reason`.
    Failed(String),
    /// Accepted, then `SUCCESS` with a run.
    Dubbed,
}

/// Sends `body` (raw bytes, JSON unless `None`) to `POST /dub` and polls
/// the task it made to its end.
async fn answer(base: &str, key: &str, body: Option<&[u8]>) -> Answer {
    let http = client();
    let mut create = http.post(format!("{base}/dub")).header("x-api-key", key);
    if let Some(body) = body {
        create = create
            .header("content-type", "application/json")
            .body(body.to_vec());
    }
    let response = create.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let created: Value = response.json().await.expect("a JSON body");
    if status != 200 {
        let problems = created["detail"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|problem| (problem["loc"].clone(), problem["type"].clone()))
            .collect();
        return Answer::Refused(status, problems);
    }
    let task_id = created["task_id"].as_str().expect("a task id");
    for _ in 0..10 {
        let poll = http
            .get(format!("{base}/dub/{task_id}"))
            .header("x-api-key", key);
        let body: Value = poll
            .send()
            .await
            .expect("the simulator answers")
            .json()
            .await
            .expect("a JSON body");
        match body["status"].as_str() {
            Some("PENDING") => continue,
            Some("SUCCESS") if body["run_id"].is_i64() => return Answer::Dubbed,
            Some("ERROR") => {
                let message = body["message"].as_str().unwrap_or_default();
                assert!(!message.is_empty(), "a failed task says why: {body}");
                return Answer::Failed(body["exception_reason"].as_str().unwrap_or("").into());
            }
            _ => panic!("unexpected status: {body}"),
        }
    }
    panic!("task {task_id} never ended");
}

/// The table's rows: a create body (`None`: no body) and what it gets.
fn rows() -> Vec<(Option<Vec<u8>>, Answer)> {
    let dub = |extra: Value| {
        let mut body = json!({"video_url": "https://example.com/a.mp4", "source_language": 1,
                              "target_languages": [76]});
        for (name, value) in extra.as_object().expect("an object") {
            if value == &json!("<absent>") {
                body.as_object_mut().expect("an object").remove(name);
            } else {
                body[name] = value.clone();
            }
        }
        Some(body.to_string().into_bytes())
    };
    let refused = |status, problems: &[(Value, &str)]| {
        Answer::Refused(
            status,
            problems
                .iter()
                .map(|(loc, kind)| (loc.clone(), json!(kind)))
                .collect(),
        )
    };
    let failed = |reason: &str| Answer::Failed(reason.into());
    vec![
        // Refused by the schema, as FastAPI refuses a body.
        (None, refused(422, &[(json!(["body"]), "missing")])),
        (
            Some(b"{\"video_url\": ".to_vec()),
            refused(422, &[(json!(["body", 14]), "json_invalid")]),
        ),
        (
            Some(b"[1, 2]".to_vec()),
            refused(422, &[(json!(["body"]), "model_attributes_type")]),
        ),
        (
            // The issue's first body: no source language.
            Some(br#"{"video_url": "", "target_languages": []}"#.to_vec()),
            refused(422, &[(json!(["body", "source_language"]), "missing")]),
        ),
        (
            dub(json!({"video_url": "<absent>"})),
            refused(422, &[(json!(["body", "video_url"]), "missing")]),
        ),
        (
            dub(json!({"video_url": 7})),
            refused(422, &[(json!(["body", "video_url"]), "string_type")]),
        ),
        (
            dub(json!({"target_languages": "fr-fr"})),
            refused(422, &[(json!(["body", "target_languages"]), "list_type")]),
        ),
        // The uploaded transcripts' rules (camb-sdk 1.6.6's README).
        (
            dub(json!({"source_transcript": {"content": "no cue"}})),
            refused(
                422,
                &[(
                    json!(["body", "source_transcript", "content"]),
                    "value_error",
                )],
            ),
        ),
        (
            dub(json!({"target_transcripts": [
                {"language": "de-de", "content": "1\n00:00:00,000 --> 00:00:01,000\nHallo\n"}
            ]})),
            refused(
                422,
                &[(
                    json!(["body", "target_transcripts", 0, "language"]),
                    "value_error",
                )],
            ),
        ),
        // The spec's documented 404.
        (
            dub(json!({"chosen_dictionaries": [424242]})),
            refused(404, &[]),
        ),
        // Accepted, then failed.
        (dub(json!({"video_url": ""})), failed("SOURCE_NOT_FOUND")),
        (
            dub(json!({"video_url": " ", "target_languages": []})),
            failed("SOURCE_NOT_FOUND"),
        ),
        (
            dub(json!({"target_languages": []})),
            failed("PROCESSING_ERROR"),
        ),
        (
            dub(json!({"target_languages": "<absent>"})),
            failed("PROCESSING_ERROR"),
        ),
        (
            dub(json!({"target_languages": null, "target_language": null})),
            failed("PROCESSING_ERROR"),
        ),
        (
            dub(json!({"target_languages": ["french"]})),
            failed("PROCESSING_ERROR"),
        ),
        (
            dub(json!({"target_languages": [76, "auto"]})),
            failed("PROCESSING_ERROR"),
        ),
        (
            dub(json!({"source_language": "english"})),
            failed("PROCESSING_ERROR"),
        ),
        // Dubbed.
        (
            dub(json!({"target_languages": ["sw-ug", 152]})),
            Answer::Dubbed,
        ),
        (
            dub(
                json!({"source_language": "auto", "target_languages": "<absent>", "target_language": "fr-fr"}),
            ),
            Answer::Dubbed,
        ),
        (
            dub(json!({"source_language": 76, "target_languages": [76]})),
            Answer::Dubbed,
        ),
    ]
}

#[tokio::test]
async fn post_dub_refuses_fails_and_dubs_as_the_crate_docs_table_says() {
    let sim = Simulator::builder().start().await;
    let (base, key) = (sim.base_url(), sim.api_key());
    for (body, expected) in rows() {
        let found = answer(&base, &key, body.as_deref()).await;
        let shown = body.map(|body| String::from_utf8_lossy(&body).into_owned());
        assert_eq!(found, expected, "{shown:?}");
    }
}

/// The binary is the same server: the issue's three bodies over its HTTP.
#[tokio::test]
async fn the_binary_refuses_and_fails_the_same_bodies() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    /// Kills the server when dropped, so a failing test leaves none.
    struct Server(std::process::Child);
    impl Drop for Server {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_camb-simulator"))
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary starts"),
    );
    let stdout = server.0.stdout.take().expect("piped stdout");
    let mut lines = BufReader::new(stdout).lines();
    let mut line = || lines.next().expect("a line").expect("readable stdout");
    let (base, key) = (line(), line());
    let bodies: [(&[u8], Answer); 3] = [
        (
            br#"{"video_url": "", "target_languages": []}"#,
            Answer::Refused(422, vec![(json!(["body", "source_language"]), json!("missing"))]),
        ),
        (
            br#"{"video_url": "https://example.com/a.mp4", "source_language": 1, "target_languages": ["french"]}"#,
            Answer::Failed("PROCESSING_ERROR".into()),
        ),
        (
            br#"{"video_url": "https://example.com/a.mp4", "source_language": 1}"#,
            Answer::Failed("PROCESSING_ERROR".into()),
        ),
    ];
    let mut found = Vec::new();
    for (body, _) in &bodies {
        found.push(answer(&base, &key, Some(body)).await);
    }
    drop(server);
    let expected: Vec<Answer> = bodies.into_iter().map(|(_, answer)| answer).collect();
    assert_eq!(found, expected);
}
