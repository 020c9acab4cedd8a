//! The fault matrix: `Camb`'s waits against the simulator, for every kind of
//! fault it can inject and every way a task can end. Each wait must return
//! the task's real outcome (or, where a fault cannot heal, the right typed
//! error), every id given to `wait_for_dubs` must come out exactly once, and
//! every injected fault must actually have been met (`faults_left() == 0`).
//!
//! The matrix runs in real time: the simulator answers on its own thread,
//! and the latency faults need reqwest's timeout to fire for real. So that
//! no answer can be mistaken for a latency fault on a loaded machine, the
//! timeout is seconds long (normal answers on loopback take milliseconds)
//! and the injected latency is far beyond it; retry and poll delays are a
//! few milliseconds. Tests without latency faults run on tokio's paused
//! clock, where their counts are exact.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::time::Duration;

use camb_api_ext::{
    Backoff, Camb, DubOutputs, DubRequest, Error, ExceptionReason, Language, PollPolicy,
    RetryPolicy, RunId, TaskId, TaskStatus, WaitLimits,
};
use camb_simulator::{Fault, Outcome, RetryAfter, Route, Simulator, SimulatorBuilder, TaskScript};
use futures_util::StreamExt;

/// Over a thousand times longer than a normal answer on loopback, even with
/// the matrix's 60 waits on two busy cores; far shorter than [`SLOW`].
const TIMEOUT: Duration = Duration::from_secs(3);
/// A latency that outlasts the client's timeout many times over.
const SLOW: Duration = Duration::from_secs(60);

fn ms(millis: u64) -> Duration {
    Duration::from_millis(millis)
}

/// Every kind of fault, as the faults a task's status polls meet.
fn fault_kinds() -> Vec<(&'static str, Vec<Fault>)> {
    vec![
        ("no fault", vec![]),
        ("latency below the timeout", vec![Fault::Latency(ms(30))]),
        ("latency beyond the timeout", vec![Fault::Latency(SLOW)]),
        (
            "429 with retry-after-ms",
            vec![Fault::RateLimited(RetryAfter::Millis(20))],
        ),
        (
            "429 with Retry-After: 0",
            vec![Fault::RateLimited(RetryAfter::Seconds(0))],
        ),
        (
            "429 with a past HTTP date",
            vec![Fault::RateLimited(RetryAfter::Raw(
                "Wed, 21 Oct 2015 07:28:00 GMT".into(),
            ))],
        ),
        (
            "429 without a hint",
            vec![Fault::RateLimited(RetryAfter::Absent)],
        ),
        ("408", vec![Fault::Status(408)]),
        ("a burst of 503s", Fault::Status(503).repeated(3).collect()),
        ("500 then 504", vec![Fault::Status(500), Fault::Status(504)]),
        (
            "a 502 burst longer than the retries",
            Fault::Status(502).repeated(12).collect(),
        ),
        ("a dropped connection", vec![Fault::DropConnection]),
        (
            "dropped connections in a row",
            Fault::DropConnection.repeated(3).collect(),
        ),
        (
            "a status from the future",
            vec![Fault::UnknownStatus("CANCELLED".into())],
        ),
        (
            "everything at once",
            vec![
                Fault::UnknownStatus("QUEUED".into()),
                Fault::Status(503),
                Fault::DropConnection,
                Fault::RateLimited(RetryAfter::Millis(5)),
                Fault::Latency(ms(10)),
            ],
        ),
    ]
}

/// The ways a task ends.
fn outcomes() -> Vec<Outcome> {
    vec![
        Outcome::success(),
        Outcome::error(ExceptionReason::SourceNotFound, "no such video"),
        Outcome::Timeout,
        Outcome::PaymentRequired,
    ]
}

/// What a wait must return for a task scripted to end with `outcome`.
#[derive(Debug)]
enum Expected {
    Succeeds,
    Fails(ExceptionReason),
    TimesOut,
    NeedsPayment,
    Undecodable,
    NotFound,
}

impl Expected {
    fn of(outcome: &Outcome) -> Expected {
        match outcome {
            Outcome::Success(_) => Expected::Succeeds,
            Outcome::Error { reason, .. } => Expected::Fails(reason.clone()),
            Outcome::Timeout => Expected::TimesOut,
            Outcome::PaymentRequired => Expected::NeedsPayment,
            other => panic!("no expectation for {other:?}"),
        }
    }

    fn check(&self, cell: &str, task_id: &TaskId, result: &Result<RunId, Error>) {
        let matches = match (self, result) {
            (Expected::Succeeds, Ok(_)) => true,
            (
                Expected::Fails(reason),
                Err(Error::TaskFailed {
                    task_id: id,
                    exception_reason,
                    ..
                }),
            ) => id == task_id && exception_reason.as_ref() == Some(reason),
            (Expected::TimesOut, Err(Error::TaskTimedOut { task_id: id, .. })) => id == task_id,
            (Expected::NeedsPayment, Err(Error::PaymentRequired { task_id: id, .. })) => {
                id.as_ref() == Some(task_id)
            }
            (Expected::Undecodable, Err(Error::Decode { .. })) => true,
            (Expected::NotFound, Err(Error::NotFound { .. })) => true,
            _ => false,
        };
        assert!(matches, "{cell}: expected {self:?}, got {result:?}");
    }
}

/// One cell of the matrix: a task scripted by its own video URL.
struct Cell {
    name: String,
    video_url: String,
    expected: Expected,
}

/// Every fault kind crossed with every outcome, plus malformed JSON (which
/// ends any wait with a typed decode error), scripted on one builder.
fn matrix() -> (SimulatorBuilder, Vec<Cell>) {
    let mut builder = Simulator::builder();
    let mut cells = Vec::new();
    let mut add = |name: String, script: TaskScript, expected: Expected| {
        let video_url = format!("https://example.com/{}.mp4", cells.len());
        builder = std::mem::take(&mut builder).script_for_video_url(video_url.clone(), script);
        cells.push(Cell {
            name,
            video_url,
            expected,
        });
    };
    for (fault_name, faults) in fault_kinds() {
        for outcome in outcomes() {
            let expected = Expected::of(&outcome);
            let name = format!("{fault_name} / {outcome:?}");
            add(
                name,
                TaskScript::new(outcome)
                    .pending_polls(2)
                    .faults(faults.clone()),
                expected,
            );
        }
    }
    add(
        "malformed JSON".into(),
        TaskScript::default().faults([Fault::MalformedJson]),
        Expected::Undecodable,
    );
    (builder, cells)
}

/// A client with fast retries and polls, whose requests time out after
/// [`TIMEOUT`] (so that [`SLOW`] answers become timeouts).
fn client(sim: &Simulator) -> Camb {
    client_with_timeout(sim, TIMEOUT)
}

/// A client with fast retries and polls and the given request timeout.
fn client_with_timeout(sim: &Simulator, timeout: Duration) -> Camb {
    let fast = Backoff::new(ms(2), ms(40));
    Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .timeout(Some(timeout))
        .retry_policy(RetryPolicy::default().with_backoff(fast))
        .poll_policy(
            PollPolicy::default()
                .with_backoff(fast)
                .with_deadline(Some(Duration::from_secs(60))),
        )
        .build()
        .expect("a client for the simulator")
}

fn request(video_url: &str) -> DubRequest {
    DubRequest::new(video_url, Language::EN_US, [Language::FR_FR])
}

/// Whether a fetched result has a video for every language, and some.
fn has_videos(outputs: &DubOutputs) -> bool {
    !outputs.is_empty() && outputs.iter().all(|output| output.video_url.is_some())
}

/// Starts the matrix's simulator and creates every cell's task.
async fn started_matrix(
    extra: impl FnOnce(SimulatorBuilder) -> SimulatorBuilder,
) -> (Simulator, Camb, Vec<(Cell, TaskId)>) {
    let (builder, cells) = matrix();
    let sim = extra(builder).start().await;
    let camb = client(&sim);
    // Creating is not retried after a timeout, so tasks are created without
    // the short one (a slow machine must not fail the setup).
    let patient = client_with_timeout(&sim, Duration::from_secs(30));
    let mut tasks = Vec::new();
    for cell in cells {
        let task_id = patient
            .create_dub(&request(&cell.video_url))
            .await
            .expect("create succeeds");
        tasks.push((cell, task_id));
    }
    (sim, camb, tasks)
}

#[tokio::test]
async fn wait_for_dub_returns_the_right_outcome_under_every_fault() {
    let (sim, camb, tasks) = started_matrix(|builder| builder).await;

    let mut waits = tokio::task::JoinSet::new();
    for (cell, task_id) in tasks {
        let camb = camb.clone();
        waits.spawn(async move {
            let result = camb.wait_for_dub(&task_id).await;
            // A success must lead to a result that can be fetched.
            let fetched = match &result {
                Ok(run_id) => Some(camb.result(*run_id, [Language::FR_FR]).await),
                Err(_) => None,
            };
            (cell, task_id, result, fetched)
        });
    }
    let mut finished = 0;
    while let Some(joined) = waits.join_next().await {
        let (cell, task_id, result, fetched) = joined.expect("the wait does not panic");
        cell.expected.check(&cell.name, &task_id, &result);
        if let Some(fetched) = fetched {
            let result =
                fetched.unwrap_or_else(|e| panic!("{}: fetching the result: {e}", cell.name));
            assert!(has_videos(&result), "{}: {result:?}", cell.name);
        }
        finished += 1;
    }

    assert_eq!(finished, fault_kinds().len() * outcomes().len() + 1);
    assert_eq!(sim.faults_left(), 0, "some injected faults were never met");
}

#[tokio::test]
async fn wait_for_dubs_gives_every_task_exactly_one_outcome_under_every_fault() {
    // On top of each task's own faults, the status route as a whole meets a
    // mix of faults, landing on whichever polls come first.
    let (sim, camb, tasks) = started_matrix(|builder| {
        builder.faults(
            Route::Status,
            [
                Fault::Status(503),
                Fault::DropConnection,
                Fault::RateLimited(RetryAfter::Millis(5)),
                Fault::Latency(SLOW),
                Fault::UnknownStatus("PAUSED".into()),
                Fault::Status(500),
            ],
        )
    })
    .await;
    let unknown = [
        TaskId::new("no-such-task-1").expect("valid"),
        TaskId::new("no-such-task-2").expect("valid"),
    ];
    let mut expected: HashMap<TaskId, Cell> =
        tasks.into_iter().map(|(cell, id)| (id, cell)).collect();
    for id in &unknown {
        let cell = Cell {
            name: format!("unknown id {id}"),
            video_url: String::new(),
            expected: Expected::NotFound,
        };
        expected.insert(id.clone(), cell);
    }
    let ids: Vec<TaskId> = expected.keys().cloned().collect();
    let limits = WaitLimits::default()
        .with_max_in_flight(NonZeroUsize::new(8).expect("non-zero"))
        .with_min_interval(Duration::ZERO);

    let outcomes: Vec<(TaskId, Result<RunId, Error>)> =
        camb.wait_for_dubs(ids.clone(), limits).collect().await;

    let mut seen: HashMap<&TaskId, usize> = HashMap::new();
    for (task_id, result) in &outcomes {
        *seen.entry(task_id).or_default() += 1;
        let cell = expected
            .get(task_id)
            .unwrap_or_else(|| panic!("an id nobody asked for: {task_id}"));
        cell.expected.check(&cell.name, task_id, result);
    }
    for id in &ids {
        assert_eq!(
            seen.get(id),
            Some(&1),
            "{id} came out {:?} times",
            seen.get(id)
        );
    }
    assert_eq!(outcomes.len(), ids.len());
    assert_eq!(sim.faults_left(), 0, "some injected faults were never met");
}

#[tokio::test(start_paused = true)]
async fn a_status_that_never_ends_runs_into_the_deadline_with_the_last_status() {
    let sim = Simulator::builder()
        .default_script(
            TaskScript::new(Outcome::UnknownStatus("ARCHIVED".into()))
                .pending_polls(0)
                .faults([Fault::Status(503), Fault::DropConnection]),
        )
        .start()
        .await;
    // For the paused clock: no timer may run while a request is in flight
    // (see camb-api-ext's crate docs, "Time"), so no timeouts.
    let steady = |initial, max| Backoff::new(ms(initial), ms(max)).with_jitter(0.0);
    let camb = Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .timeout(None)
        .cut_requests_at_deadline(false)
        .http_client(reqwest::Client::builder().pool_idle_timeout(None))
        .retry_policy(RetryPolicy::default().with_backoff(steady(2, 40)))
        .build()
        .expect("a client for the simulator");
    let task_id = camb
        .create_dub(&request("https://example.com/a.mp4"))
        .await
        .expect("created");
    let policy = PollPolicy::default()
        .with_backoff(steady(5, 20))
        .with_deadline(Some(ms(600)));

    let result = camb.wait(&task_id).poll_policy(policy).await;

    match result {
        Err(Error::DeadlineExceeded {
            task_id: id,
            last_status,
            polls,
            ..
        }) => {
            assert_eq!(id, task_id);
            assert_eq!(last_status, Some(TaskStatus::Unknown("ARCHIVED".into())));
            // The first poll retries the 503 (2 ms) and the dropped
            // connection (4 ms) and ends at 6 ms; then polls after 5, 10
            // and 20 ms: at 11, 21, 41, ..., 581 ms, and the last one at the
            // 600 ms deadline.
            assert_eq!(polls, 32);
        }
        other => panic!("expected DeadlineExceeded, got {other:?}"),
    }
    assert_eq!(sim.faults_left(), 0);
    assert_eq!(sim.status_requests(task_id.as_str()), 32 + 2);
}

/// How a create request ends under one fault on the create route.
async fn create_under(fault: Fault) -> (Result<TaskId, Error>, Simulator) {
    let sim = Simulator::builder()
        .faults(Route::Create, [fault])
        .start()
        .await;
    let result = client(&sim)
        .create_dub(&request("https://example.com/a.mp4"))
        .await;
    (result, sim)
}

#[tokio::test]
async fn creating_is_resent_only_when_the_server_surely_did_not_act() {
    // 429 and 408 say the server did not act: resent, one task.
    for fault in [
        Fault::RateLimited(RetryAfter::Millis(5)),
        Fault::Status(408),
    ] {
        let (result, sim) = create_under(fault.clone()).await;
        assert!(result.is_ok(), "{fault:?}: {result:?}");
        assert_eq!(sim.requests(Route::Create), 2, "{fault:?}");
        assert_eq!(sim.task_ids().len(), 1, "{fault:?}");
    }

    // Anything else might have created a task: never resent.
    let (result, sim) = create_under(Fault::Status(503)).await;
    assert!(
        matches!(result, Err(Error::UnexpectedStatus { status, .. }) if status == 503),
        "{result:?}"
    );
    assert_eq!(sim.requests(Route::Create), 1);

    let (result, sim) = create_under(Fault::DropConnection).await;
    assert!(matches!(result, Err(Error::Transport { .. })), "{result:?}");
    assert_eq!(sim.requests(Route::Create), 1);

    let (result, sim) = create_under(Fault::Latency(SLOW)).await;
    assert!(
        matches!(&result, Err(Error::Transport { source }) if source.is_timeout()),
        "{result:?}"
    );
    assert_eq!(sim.faults_left(), 0);

    let (result, sim) = create_under(Fault::MalformedJson).await;
    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    assert_eq!(sim.requests(Route::Create), 1);
}

/// A finished run's id on a simulator whose result route meets `faults`.
async fn finished_run(faults: Vec<Fault>) -> (Simulator, Camb, RunId) {
    let sim = Simulator::builder()
        .default_script(TaskScript::default().pending_polls(0))
        .faults(Route::Result, faults)
        .start()
        .await;
    let camb = client(&sim);
    let patient = client_with_timeout(&sim, Duration::from_secs(30));
    let task_id = patient
        .create_dub(&request("https://example.com/a.mp4"))
        .await
        .expect("created");
    let run_id = patient.wait_for_dub(&task_id).await.expect("succeeds");
    (sim, camb, run_id)
}

#[tokio::test]
async fn fetching_a_result_is_retried_through_transient_faults() {
    // Four faults, four retries allowed: one call meets them all.
    let transient = vec![
        Fault::Status(503),
        Fault::DropConnection,
        Fault::RateLimited(RetryAfter::Millis(5)),
        Fault::Latency(SLOW),
    ];
    let (sim, camb, run_id) = finished_run(transient).await;

    let result = camb
        .result(run_id, [Language::FR_FR])
        .await
        .expect("retried to success");

    assert!(has_videos(&result), "{result:?}");
    assert_eq!(sim.faults_left(), 0);
}

#[tokio::test]
async fn a_malformed_result_is_a_decode_error_not_retried() {
    let (sim, camb, run_id) = finished_run(vec![Fault::MalformedJson]).await;

    let result = camb.result(run_id, [Language::FR_FR]).await;

    assert!(matches!(result, Err(Error::Decode { .. })), "{result:?}");
    assert_eq!(sim.requests(Route::Result), 1);
}
