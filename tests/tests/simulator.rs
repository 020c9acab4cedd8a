//! The simulated CAMB.AI server (`camb_simulator`), seen from the
//! wire: its dubbing flow, its checks, its faults, and that every body it
//! sends on purpose validates against the spec's JSON Schemas.

use std::time::Duration;

use camb_api::ExceptionReason;
use camb_api::types::OrchestratorPipelineResultMessage;
use camb_simulator::{Fault, Outcome, RetryAfter, Route, Simulator, TaskScript, UrlSpelling};
use camb_tests::clients::{http_client, loopback_http};
use camb_tests::spec::Schemas;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};

/// One answer as it came off the wire.
#[derive(Debug)]
struct Wire {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Wire {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// Talks to a simulator with a given key, keeping raw answers.
struct Caller {
    base_url: String,
    http: reqwest::Client,
}

impl Caller {
    fn new(sim: &Simulator) -> Caller {
        Caller::with_key(sim, &sim.api_key())
    }

    fn with_key(sim: &Simulator, api_key: &str) -> Caller {
        Caller {
            base_url: sim.base_url(),
            http: http_client(api_key),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Wire {
        let response = request.send().await.expect("the simulator answers");
        Wire {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.bytes().await.expect("a complete body").to_vec(),
        }
    }

    async fn get(&self, path: &str) -> Wire {
        self.send(self.http.get(format!("{}{path}", self.base_url)))
            .await
    }

    async fn post(&self, path: &str, body: &Value) -> Wire {
        self.send(
            self.http
                .post(format!("{}{path}", self.base_url))
                .json(body),
        )
        .await
    }

    async fn create(&self, video_url: &str) -> Wire {
        self.post(
            "/dub",
            &json!({ "video_url": video_url, "source_language": 1, "target_languages": [76] }),
        )
        .await
    }

    async fn create_task(&self, video_url: &str) -> String {
        let wire = self.create(video_url).await;
        assert_eq!(wire.status, 200, "create: {wire:?}");
        wire.json()["task_id"]
            .as_str()
            .expect("a task id")
            .to_owned()
    }

    async fn status(&self, task_id: &str) -> Wire {
        self.get(&format!("/dub/{task_id}")).await
    }

    async fn status_value(&self, task_id: &str) -> String {
        let wire = self.status(task_id).await;
        assert_eq!(wire.status, 200, "status: {wire:?}");
        wire.json()["status"].as_str().expect("a status").to_owned()
    }
}

fn assert_valid(schema: &str, body: &Value) {
    let violations = Schemas::get().violations(schema, body);
    assert!(
        violations.is_empty(),
        "{body} is not a valid {schema}: {violations:?}"
    );
}

fn assert_detail(wire: &Wire, status: u16) {
    assert_eq!(wire.status, status, "{wire:?}");
    assert!(wire.json()["detail"].is_string(), "{wire:?}");
}

#[tokio::test]
async fn every_body_of_the_dubbing_flow_follows_the_spec() {
    let message_object = serde_json::Map::from_iter([
        ("code".to_owned(), json!(17)),
        ("hint".to_owned(), json!("retry")),
    ]);
    let outcomes = [
        Outcome::success(),
        Outcome::Success(UrlSpelling::Plain),
        Outcome::error(ExceptionReason::SourceNotFound, "no such video"),
        Outcome::Error {
            reason: ExceptionReason::InternalError,
            message: OrchestratorPipelineResultMessage::Object(message_object),
        },
        Outcome::Timeout,
        Outcome::PaymentRequired,
    ];
    let mut builder = Simulator::builder();
    for outcome in outcomes.iter().cloned() {
        builder = builder.script_next(TaskScript::new(outcome).pending_polls(1));
    }
    let sim = builder.start().await;
    let caller = Caller::new(&sim);

    let mut statuses_seen = Vec::new();
    for _ in &outcomes {
        let created = caller.create("https://example.com/a.mp4").await;
        assert_eq!(created.status, 200);
        assert_valid("TaskIDResponse", &created.json());
        let task_id = created.json()["task_id"]
            .as_str()
            .expect("a task id")
            .to_owned();

        let pending = caller.status(&task_id).await;
        assert_valid("OrchestratorPipelineResult", &pending.json());
        assert_eq!(pending.json()["status"], "PENDING");

        let done = caller.status(&task_id).await.json();
        assert_valid("OrchestratorPipelineResult", &done);
        statuses_seen.push(done["status"].as_str().expect("a status").to_owned());
        if let Some(run_id) = done["run_id"].as_i64() {
            let result = caller.get(&format!("/dub-result/{run_id}")).await;
            assert_eq!(result.status, 200);
            assert_valid("DubbedRunInfo", &result.json());
        }
    }
    assert_eq!(
        statuses_seen,
        [
            "SUCCESS",
            "SUCCESS",
            "ERROR",
            "ERROR",
            "TIMEOUT",
            "PAYMENT_REQUIRED"
        ]
    );

    let unprocessable = [
        caller.post("/dub", &json!({ "source_language": 1 })).await,
        caller
            .post(
                "/dub",
                &json!({ "video_url": "x", "source_language": "one" }),
            )
            .await,
        caller
            .send(
                caller
                    .http
                    .post(format!("{}/dub", sim.base_url()))
                    .body("{not json"),
            )
            .await,
        caller.get("/dub/some-task?run_id=abc").await,
        caller.get("/dub-result/abc").await,
    ];
    for wire in unprocessable {
        assert_eq!(wire.status, 422, "{wire:?}");
        assert_valid("HTTPValidationError", &wire.json());
    }
}

#[tokio::test]
async fn both_result_spellings_carry_the_urls() {
    let sim = Simulator::builder()
        .script_next(TaskScript::new(Outcome::success()).pending_polls(0))
        .script_next(TaskScript::new(Outcome::Success(UrlSpelling::Plain)).pending_polls(0))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let mut results = Vec::new();
    for _ in 0..2 {
        let task_id = caller.create_task("https://example.com/a.mp4").await;
        let run_id = caller.status(&task_id).await.json()["run_id"]
            .as_i64()
            .expect("a run id");
        results.push(caller.get(&format!("/dub-result/{run_id}")).await.json());
    }
    assert!(
        results[0]["output_video_url"].is_string() && results[0]["output_audio_url"].is_string()
    );
    assert!(results[0].get("video_url").is_none());
    assert!(results[1]["video_url"].is_string() && results[1]["audio_url"].is_string());
    assert!(results[1].get("output_video_url").is_none());
}

#[tokio::test]
async fn status_values_from_the_future_break_the_spec_only_in_status() {
    let sim = Simulator::builder()
        .script_next(
            TaskScript::new(Outcome::UnknownStatus("ARCHIVED".into()))
                .pending_polls(1)
                .faults([Fault::UnknownStatus("CANCELLED".into())]),
        )
        .start()
        .await;
    let caller = Caller::new(&sim);
    let task_id = caller.create_task("https://example.com/a.mp4").await;

    let answers = [
        caller.status(&task_id).await.json(),
        caller.status(&task_id).await.json(),
        caller.status(&task_id).await.json(),
        caller.status(&task_id).await.json(),
    ];

    let statuses: Vec<&str> = answers
        .iter()
        .map(|answer| answer["status"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(statuses, ["CANCELLED", "PENDING", "ARCHIVED", "ARCHIVED"]);
    for answer in &answers {
        for (path, message) in Schemas::get().violations("OrchestratorPipelineResult", answer) {
            assert_eq!(
                path, "/status",
                "{answer} breaks the spec elsewhere: {message}"
            );
        }
    }
}

#[tokio::test]
async fn a_task_stays_pending_for_its_scripted_polls_then_reports_its_outcome() {
    let sim = Simulator::builder()
        .default_script(TaskScript::new(Outcome::Timeout).pending_polls(3))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let task_id = caller.create_task("https://example.com/a.mp4").await;

    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(caller.status_value(&task_id).await);
    }

    assert_eq!(
        statuses,
        ["PENDING", "PENDING", "PENDING", "TIMEOUT", "TIMEOUT"]
    );
    assert_eq!(sim.status_requests(&task_id), 5);
    assert_eq!(sim.requests(Route::Status), 5);
    assert_eq!(sim.requests(Route::Create), 1);
}

#[tokio::test]
async fn a_task_with_a_wall_clock_duration_stays_pending_until_it_passes() {
    let sim = Simulator::builder()
        .script_next(
            TaskScript::new(Outcome::success())
                .pending_polls(0)
                .pending_for(Duration::from_secs(3600)),
        )
        .script_next(
            TaskScript::new(Outcome::success())
                .pending_polls(0)
                .pending_for(Duration::ZERO),
        )
        .start()
        .await;
    let caller = Caller::new(&sim);
    let slow = caller.create_task("https://example.com/a.mp4").await;
    let instant = caller.create_task("https://example.com/b.mp4").await;

    for _ in 0..3 {
        assert_eq!(caller.status_value(&slow).await, "PENDING");
    }
    assert_eq!(caller.status_value(&instant).await, "SUCCESS");
}

#[tokio::test]
async fn scripts_are_chosen_by_video_url_then_queue_then_default() {
    let sim = Simulator::builder()
        .default_script(TaskScript::new(Outcome::Timeout).pending_polls(0))
        .script_next(TaskScript::new(Outcome::PaymentRequired).pending_polls(0))
        .script_for_video_url(
            "https://example.com/broken.mp4",
            TaskScript::new(Outcome::error(ExceptionReason::SourceNotFound, "gone"))
                .pending_polls(0),
        )
        .start()
        .await;
    let caller = Caller::new(&sim);

    let mut statuses = Vec::new();
    for url in [
        "https://example.com/broken.mp4",
        "https://example.com/a.mp4",
        "https://example.com/broken.mp4",
        "https://example.com/b.mp4",
    ] {
        let task_id = caller.create_task(url).await;
        statuses.push(caller.status_value(&task_id).await);
    }

    assert_eq!(statuses, ["ERROR", "PAYMENT_REQUIRED", "ERROR", "TIMEOUT"]);
    assert_eq!(
        sim.task_ids(),
        ["sim-task-1", "sim-task-2", "sim-task-3", "sim-task-4"]
    );
}

#[tokio::test]
async fn requests_without_the_right_api_key_get_401_and_change_nothing() {
    let sim = Simulator::builder().api_key("the-right-key").start().await;
    let right = Caller::new(&sim);
    let task_id = right.create_task("https://example.com/a.mp4").await;
    let wrong = Caller::with_key(&sim, "a-wrong-key");
    let anonymous = Caller {
        base_url: sim.base_url(),
        http: loopback_http().build().expect("a client"),
    };

    for caller in [&wrong, &anonymous] {
        assert_detail(&caller.create("https://example.com/b.mp4").await, 401);
        assert_detail(&caller.status(&task_id).await, 401);
        assert_detail(&caller.get("/dub-result/1000").await, 401);
    }

    assert_eq!(sim.task_ids(), std::slice::from_ref(&task_id));
    // The unauthorised polls did not move the task along.
    assert_eq!(right.status_value(&task_id).await, "PENDING");
    assert_eq!(right.status_value(&task_id).await, "PENDING");
    assert_eq!(right.status_value(&task_id).await, "SUCCESS");
    assert!(!format!("{sim:?}").contains("the-right-key"));
}

#[tokio::test]
async fn unknown_ids_and_paths_get_404_and_wrong_methods_405() {
    let sim = Simulator::builder()
        .default_script(TaskScript::new(Outcome::success()).pending_polls(1))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let task_id = caller.create_task("https://example.com/a.mp4").await;

    assert_detail(&caller.status("no-such-task").await, 404);
    assert_detail(&caller.get("/dub-result/424242").await, 404);
    // The run exists but has not finished: no result yet.
    assert_detail(&caller.get("/dub-result/1000").await, 404);
    assert_eq!(caller.status_value(&task_id).await, "PENDING");
    assert_eq!(caller.status_value(&task_id).await, "SUCCESS");
    assert_eq!(caller.get("/dub-result/1000").await.status, 200);

    assert_detail(&caller.get("/dubbing").await, 404);
    assert_detail(&caller.get("/dub/a/b").await, 404);
    assert_detail(&caller.get("/dub").await, 405);
    assert_detail(
        &caller
            .send(
                caller
                    .http
                    .delete(format!("{}/dub/{task_id}", sim.base_url())),
            )
            .await,
        405,
    );
    assert_eq!(sim.requests(Route::Other), 4);
}

#[tokio::test]
async fn rate_limits_carry_their_retry_hint() {
    let sim = Simulator::builder()
        .faults(
            Route::Status,
            [
                Fault::RateLimited(RetryAfter::Seconds(3)),
                Fault::RateLimited(RetryAfter::Millis(250)),
                Fault::RateLimited(RetryAfter::Raw("Wed, 21 Oct 2015 07:28:00 GMT".into())),
                Fault::RateLimited(RetryAfter::Absent),
            ],
        )
        .start()
        .await;
    let caller = Caller::new(&sim);

    let mut hints = Vec::new();
    for _ in 0..4 {
        let wire = caller.status("any-task").await;
        assert_detail(&wire, 429);
        hints.push((
            wire.header("retry-after").map(str::to_owned),
            wire.header("retry-after-ms").map(str::to_owned),
        ));
    }

    assert_eq!(
        hints,
        [
            (Some("3".to_owned()), None),
            (None, Some("250".to_owned())),
            (Some("Wed, 21 Oct 2015 07:28:00 GMT".to_owned()), None),
            (None, None),
        ]
    );
    // The queue is used up: the route answers normally again.
    assert_detail(&caller.status("any-task").await, 404);
    assert_eq!(sim.faults_left(), 0);
}

#[tokio::test]
async fn a_burst_of_server_errors_does_not_count_as_polls() {
    let sim = Simulator::builder()
        .default_script(
            TaskScript::new(Outcome::success())
                .pending_polls(1)
                .faults(Fault::Status(503).repeated(3)),
        )
        .start()
        .await;
    let caller = Caller::new(&sim);
    let task_id = caller.create_task("https://example.com/a.mp4").await;

    let mut answers = Vec::new();
    for _ in 0..5 {
        let wire = caller.status(&task_id).await;
        answers.push(if wire.status == 200 {
            caller_status(&wire)
        } else {
            wire.status.to_string()
        });
    }

    assert_eq!(answers, ["503", "503", "503", "PENDING", "SUCCESS"]);
    assert_eq!(sim.faults_left(), 0);
}

fn caller_status(wire: &Wire) -> String {
    wire.json()["status"].as_str().expect("a status").to_owned()
}

#[tokio::test]
async fn route_faults_come_first_and_a_faulted_create_creates_nothing() {
    let sim = Simulator::builder()
        .faults(Route::Create, [Fault::Status(502)])
        .start()
        .await;
    let caller = Caller::new(&sim);
    let wrong = Caller::with_key(&sim, "a-wrong-key");

    // Even an unauthorised request meets the route's fault (it models the
    // network in front of the API).
    assert_detail(&wrong.create("https://example.com/a.mp4").await, 502);
    assert!(sim.task_ids().is_empty());
    assert_eq!(caller.create("https://example.com/a.mp4").await.status, 200);
    assert_eq!(sim.task_ids().len(), 1);
}

#[tokio::test]
async fn a_task_fault_waits_for_an_authorised_request_about_that_task() {
    let sim = Simulator::builder()
        .default_script(TaskScript::default().faults([Fault::Status(500)]))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let wrong = Caller::with_key(&sim, "a-wrong-key");
    let task_id = caller.create_task("https://example.com/a.mp4").await;

    assert_detail(&wrong.status(&task_id).await, 401);
    assert_detail(&caller.status("another-task").await, 404);
    assert_eq!(sim.faults_left(), 1);
    assert_detail(&caller.status(&task_id).await, 500);
    assert_eq!(sim.faults_left(), 0);
}

#[tokio::test]
async fn a_dropped_connection_gives_no_response_and_the_next_request_works() {
    let sim = Simulator::builder()
        .faults(Route::Create, [Fault::DropConnection])
        .start()
        .await;
    let caller = Caller::new(&sim);

    let error = caller
        .http
        .post(format!("{}/dub", sim.base_url()))
        .json(&json!({ "video_url": "https://example.com/a.mp4", "source_language": 1 }))
        .send()
        .await
        .expect_err("the connection fails");

    assert!(error.is_request(), "{error:?}");
    assert_eq!(error.status(), None);
    assert!(sim.task_ids().is_empty());
    caller.create_task("https://example.com/a.mp4").await;
}

#[tokio::test]
async fn malformed_json_is_served_with_a_json_content_type() {
    let sim = Simulator::builder()
        .faults(Route::Result, [Fault::MalformedJson])
        .start()
        .await;
    let caller = Caller::new(&sim);

    let wire = caller.get("/dub-result/1000").await;

    assert_eq!(wire.status, 200);
    assert_eq!(wire.header("content-type"), Some("application/json"));
    assert!(serde_json::from_slice::<Value>(&wire.body).is_err());
}

#[tokio::test]
async fn a_delayed_answer_is_overtaken_by_a_later_request() {
    // Real time (the simulator's latency runs on its own thread): 5 s leaves
    // a loaded machine ample room to answer the later request first.
    let sim = Simulator::builder()
        .script_next(TaskScript::default().faults([Fault::Latency(Duration::from_secs(5))]))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let delayed_task = caller.create_task("https://example.com/a.mp4").await;
    let other_task = caller.create_task("https://example.com/b.mp4").await;

    let (order_tx, mut order_rx) = tokio::sync::mpsc::unbounded_channel();
    let delayed = {
        let order_tx = order_tx.clone();
        let request = caller.status(&delayed_task);
        async move {
            let wire = request.await;
            order_tx
                .send(("delayed", wire.status))
                .expect("receiver alive");
        }
    };
    let prompt = async {
        // Sent once the delayed request has reached the server and taken its
        // fault (answers are counted when sent, so the counters would wait).
        while sim.faults_left() > 0 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        let wire = caller.status(&other_task).await;
        order_tx
            .send(("prompt", wire.status))
            .expect("receiver alive");
    };
    tokio::join!(delayed, prompt);

    let order = [order_rx.recv().await, order_rx.recv().await];
    assert_eq!(order, [Some(("prompt", 200)), Some(("delayed", 200))]);
    assert_eq!(sim.faults_left(), 0);
}

/// Creates a dub into `targets` (language ids) that succeeds at once, and
/// returns its run id.
async fn finished_run(caller: &Caller, targets: &[i64]) -> i64 {
    let created = caller
        .post(
            "/dub",
            &json!({ "video_url": "https://example.com/a.mp4", "source_language": 1, "target_languages": targets }),
        )
        .await;
    let task_id = created.json()["task_id"]
        .as_str()
        .expect("a task id")
        .to_owned();
    loop {
        let status = caller.status(&task_id).await.json();
        if let Some(run_id) = status["run_id"].as_i64() {
            return run_id;
        }
        assert_eq!(status["status"], "PENDING", "{status}");
    }
}

#[tokio::test]
async fn results_come_as_one_or_per_language_and_in_batches() {
    let sim = Simulator::builder()
        .script_next(TaskScript::default())
        .script_next(TaskScript::default())
        .script_next(TaskScript::default().result_as_map(true))
        .start()
        .await;
    let caller = Caller::new(&sim);
    let two = finished_run(&caller, &[76, 54]).await;
    let one = finished_run(&caller, &[76]).await;
    let one_as_map = finished_run(&caller, &[54]).await;

    let map = caller.get(&format!("/dub-result/{two}")).await.json();
    assert_valid("DubbedRunInfo", &map);
    let keys: Vec<&String> = map.as_object().expect("a map").keys().collect();
    assert_eq!(keys, ["54", "76"]);
    for value in map.as_object().expect("a map").values() {
        assert_valid("DubResult", value);
        assert!(value["output_video_url"].is_string(), "{value}");
    }
    let single = caller.get(&format!("/dub-result/{one}")).await.json();
    assert_valid("DubResult", &single);
    assert!(single["output_video_url"].is_string());
    let forced = caller
        .get(&format!("/dub-result/{one_as_map}"))
        .await
        .json();
    assert!(forced["54"]["output_video_url"].is_string(), "{forced}");

    let batch = caller
        .post(
            "/dubbing-results",
            &json!({ "run_ids": [two, one, 424242] }),
        )
        .await;
    assert_eq!(batch.status, 200);
    let batch = batch.json();
    assert_eq!(batch.as_object().expect("a map").len(), 2, "{batch}");
    assert_eq!(batch[two.to_string()], map);
    assert_eq!(batch[one.to_string()], single);
    for (name, schema) in [("/dubbing-results", "GetDubbingResultsRequest")] {
        let bad = caller.post(name, &json!({ "run_ids": "x" })).await;
        assert_eq!(bad.status, 422, "{schema}");
        assert_valid("HTTPValidationError", &bad.json());
    }
    assert_eq!(sim.requests(Route::Results), 2);
}

#[tokio::test]
async fn transcripts_come_in_three_formats_or_as_a_file() {
    let sim = Simulator::builder().start().await;
    let caller = Caller::new(&sim);
    let run = finished_run(&caller, &[76, 54]).await;
    let text = |wire: Wire| {
        assert_eq!(wire.status, 200, "{wire:?}");
        let body = wire.json();
        assert_valid("StringMap", &body);
        body["transcript"]
            .as_str()
            .expect("the transcript")
            .to_owned()
    };

    let srt = text(
        caller
            .get(&format!("/transcript/{run}/76?format_type=srt"))
            .await,
    );
    assert!(
        srt.starts_with("1\n00:00:00,000 --> 00:00:02,500\n[fr-fr] "),
        "{srt}"
    );
    let vtt = text(
        caller
            .get(&format!(
                "/transcript/{run}/54?format_type=vtt&data_type=raw_data"
            ))
            .await,
    );
    assert!(
        vtt.starts_with("WEBVTT\n\n00:00:00.000 --> 00:00:02.500\n[es-es] "),
        "{vtt}"
    );
    let txt = text(caller.get(&format!("/transcript/{run}/76")).await);
    assert!(!txt.contains("-->") && txt.lines().count() == 2, "{txt}");

    let file = caller
        .get(&format!(
            "/transcript/{run}/76?format_type=vtt&data_type=file"
        ))
        .await
        .json();
    assert_valid("StringMap", &file);
    assert!(file["file_url"].as_str().expect("a URL").ends_with(".vtt"));

    assert_detail(&caller.get(&format!("/transcript/{run}/1")).await, 404);
    assert_detail(&caller.get("/transcript/999/76").await, 404);
    for bad in [
        format!("/transcript/{run}/76?format_type=doc"),
        format!("/transcript/{run}/76?data_type=url"),
        format!("/transcript/{run}/french"),
    ] {
        let wire = caller.get(&bad).await;
        assert_eq!(wire.status, 422, "{bad}");
        assert_valid("HTTPValidationError", &wire.json());
    }
}

#[tokio::test]
async fn exports_answer_with_the_file_or_with_a_task() {
    let sim = Simulator::builder().start().await;
    let caller = Caller::new(&sim);
    let run = finished_run(&caller, &[76]).await;
    let path = format!("/dub-alt-format/{run}/76");

    let audio = caller
        .post(&path, &json!({ "output_format": "wav" }))
        .await
        .json();
    assert_valid("AltFormatResponse", &audio);
    assert!(audio["file_url"].as_str().expect("a URL").ends_with(".wav"));

    let task = caller
        .post(&path, &json!({ "output_format": "mov" }))
        .await
        .json();
    assert_valid("AltFormatResponse", &task);
    let task_id = task["task_id"].as_str().expect("a task id").to_owned();
    for expected in ["PENDING", "SUCCESS"] {
        let status = caller
            .get(&format!("/dub-alt-format/{task_id}"))
            .await
            .json();
        assert_valid("OrchestratorPipelineResult", &status);
        assert_eq!(status["status"], expected);
    }
    let file = caller
        .post(&path, &json!({ "output_format": "mov" }))
        .await
        .json();
    assert!(
        file["file_url"].as_str().expect("a URL").ends_with(".mov"),
        "{file}"
    );

    assert_detail(&caller.get("/dub-alt-format/no-such-task").await, 404);
    let bad = caller.post(&path, &json!({ "format": "mov" })).await;
    assert_eq!(bad.status, 422);
    assert_valid("HTTPValidationError", &bad.json());
    assert_eq!(sim.requests(Route::AltFormat), 4);
    assert_eq!(sim.requests(Route::AltFormatStatus), 3);
}

#[tokio::test]
async fn the_language_lists_follow_the_spec() {
    let sim = Simulator::builder().start().await;
    let caller = Caller::new(&sim);
    for path in ["/source-languages", "/target-languages"] {
        let list = caller.get(path).await.json();
        let entries = list.as_array().expect("an array");
        assert_eq!(entries.len(), camb_api_ext::Language::KNOWN.len());
        for entry in entries {
            assert_valid("LanguageItem", entry);
        }
        assert!(
            entries
                .iter()
                .any(|e| e["id"] == 76 && e["language"] == "fr-fr")
        );
    }
    assert_detail(
        &Caller::with_key(&sim, "wrong")
            .get("/source-languages")
            .await,
        401,
    );
}
