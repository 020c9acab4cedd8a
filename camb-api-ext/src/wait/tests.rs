//! Tests of the wait engine against a fake status source, on a paused clock.
//! The fake records when each request starts, so timing, concurrency and
//! rate can be checked exactly; the HTTP side is tested in `tests/`.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use camb_api::ExceptionReason;
use futures_util::StreamExt;
use reqwest::StatusCode;

use std::time::Duration;

use tokio::time::Instant;
use tracing::Span;

use super::*;
use crate::{
    DubStatus, Error, RetryPolicy, RunId, TaskId, TaskKind, TaskStatus,
    dub::status::{MAX_SUCCESS_WITHOUT_RUN_ID, NeedsRunId, StatusAcceptor},
};

/// Answers the `n`-th (from 1) status request for a task.
type Respond = dyn Fn(&TaskId, u32) -> Result<Polled<DubStatus>, Error> + Send + Sync;

/// A status source with scripted answers that records every request.
struct Fake {
    respond: Box<Respond>,
    /// How long each answer takes, on tokio's clock.
    latency: Duration,
    epoch: Instant,
    starts: Mutex<Vec<(TaskId, Duration)>>,
    polls: Mutex<HashMap<TaskId, u32>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl Fake {
    fn new(
        respond: impl Fn(&TaskId, u32) -> Result<Polled<DubStatus>, Error> + Send + Sync + 'static,
    ) -> Self {
        Fake {
            respond: Box::new(respond),
            latency: Duration::ZERO,
            epoch: Instant::now(),
            starts: Mutex::new(Vec::new()),
            polls: Mutex::new(HashMap::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// When each request started, from the fake's creation.
    fn start_times(&self) -> Vec<Duration> {
        self.starts
            .lock()
            .unwrap()
            .iter()
            .map(|(_, at)| *at)
            .collect()
    }

    fn requests(&self) -> usize {
        self.starts.lock().unwrap().len()
    }
}

/// The fake answers like a dub status endpoint, so it waits like dubs.
impl TaskFamily for Fake {
    type Answer = DubStatus;
    type Acceptor = StatusAcceptor<NeedsRunId>;

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        StatusAcceptor::new(TaskKind::Dub, task_id)
    }

    fn span(&self, task_id: &TaskId) -> Span {
        wait_span!("wait_for_dub", task_id, run_id = tracing::field::Empty)
    }

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<DubStatus>, Error> {
        let n = {
            let mut polls = self.polls.lock().unwrap();
            let n = polls.entry(task_id.clone()).or_insert(0);
            *n += 1;
            *n
        };
        self.starts
            .lock()
            .unwrap()
            .push((task_id.clone(), self.epoch.elapsed()));
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(self.latency).await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        (self.respond)(task_id, n)
    }
}

fn polled(status: &str, run_id: Option<i64>) -> Polled<DubStatus> {
    Polled {
        answer: DubStatus {
            status: status.into(),
            run_id: run_id.map(RunId),
            exception_reason: None,
            message: None,
        },
        retry_after: None,
    }
}

fn pending() -> Result<Polled<DubStatus>, Error> {
    Ok(polled("PENDING", None))
}

fn unavailable() -> Error {
    Error::UnexpectedStatus {
        status: StatusCode::SERVICE_UNAVAILABLE,
        excerpt: String::new(),
        retry_after: None,
    }
}

fn id(text: &str) -> TaskId {
    text.parse().unwrap()
}

/// Whole-millisecond delays, so that the paused clock (which counts in
/// milliseconds) lands exactly on the schedule: polls at 0, 1, 3, 7, 15,
/// 31, 63, then every 60 s.
fn exact_policy(deadline: Duration) -> PollPolicy {
    let backoff =
        crate::Backoff::new(Duration::from_secs(1), Duration::from_secs(60)).with_jitter(0.0);
    PollPolicy::default()
        .with_backoff(backoff)
        .with_deadline(Some(deadline))
}

/// The policies of a test wait: no per-request retries, requests cut at
/// the deadline.
fn policies<'a>(
    retry: &'a RetryPolicy,
    poll: &PollPolicy,
    errors: WaitErrorPolicy,
) -> Policies<'a> {
    Policies {
        retry,
        poll: poll.clone(),
        errors,
        cut_requests_at_deadline: true,
        reach: None,
    }
}

/// Waits on `fake` for `task` with no per-request retries, recording updates.
async fn wait_on(
    fake: &Fake,
    task: &str,
    policy: &PollPolicy,
    errors: WaitErrorPolicy,
) -> (Result<RunId, Error>, Vec<Progress<DubStatus>>) {
    let retry = RetryPolicy::none();
    let watch = Watch::new(fake, id(task), &policies(&retry, policy, errors), None).unwrap();
    let mut updates = Vec::new();
    let result = watch.finish(|update| updates.push(update.clone())).await;
    (result, updates)
}

#[tokio::test(start_paused = true)]
async fn success_without_a_run_id_is_asked_again_until_the_run_id_comes() {
    let fake = Fake::new(|_, n| match n {
        1 => pending(),
        2 | 3 => Ok(polled("SUCCESS", None)),
        _ => Ok(polled("SUCCESS", Some(4))),
    });
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, updates) = wait_on(&fake, "t", &policy, WaitErrorPolicy::default()).await;
    assert_eq!(result.unwrap(), RunId(4));
    assert_eq!(fake.requests(), 4);
    // The re-asks follow the normal schedule, not a tight loop.
    let s = Duration::from_secs;
    assert_eq!(fake.start_times(), [s(0), s(1), s(3), s(7)]);
    assert_eq!(updates.len(), 4);
    assert_eq!(updates[1].status.status, TaskStatus::Success);
    assert_eq!(updates[1].status.run_id, None);
}

#[tokio::test(start_paused = true)]
async fn success_that_never_brings_a_run_id_ends_with_its_own_error() {
    let fake = Fake::new(|_, _| Ok(polled("SUCCESS", None)));
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, _) = wait_on(&fake, "t", &policy, WaitErrorPolicy::default()).await;
    match result {
        Err(Error::SucceededWithoutRunId { task_id, polls, .. }) => {
            assert_eq!(task_id, id("t"));
            assert_eq!(polls, MAX_SUCCESS_WITHOUT_RUN_ID);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.requests(), MAX_SUCCESS_WITHOUT_RUN_ID as usize);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_keeps_the_wait_going_and_is_reported() {
    let fake = Fake::new(|_, n| match n {
        1 => pending(),
        2 => Ok(polled("TRANSCODING", None)),
        _ => Ok(polled("SUCCESS", Some(9))),
    });
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, updates) = wait_on(&fake, "t", &policy, WaitErrorPolicy::default()).await;

    assert_eq!(result.unwrap(), RunId(9));
    let seen: Vec<(TaskStatus, u32, Option<Duration>)> = updates
        .iter()
        .map(|u| (u.status.status.clone(), u.polls, u.next_poll_in))
        .collect();
    let s = Duration::from_secs;
    assert_eq!(
        seen,
        [
            (TaskStatus::Pending, 1, Some(s(1))),
            (TaskStatus::Unknown("TRANSCODING".into()), 2, Some(s(2))),
            (TaskStatus::Success, 3, None),
        ]
    );
    assert_eq!(updates[2].status.run_id, Some(RunId(9)));
    assert_eq!(fake.start_times(), [s(0), s(1), s(3)]);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_gets_exactly_one_final_poll_right_on_it() {
    let fake = Fake::new(|_, _| pending());
    let deadline = Duration::from_secs(3600);
    let policy = exact_policy(deadline);
    let (result, _) = wait_on(&fake, "t", &policy, WaitErrorPolicy::default()).await;

    let expected: Vec<Duration> = policy.schedule().collect();
    assert_eq!(fake.start_times(), expected);
    // 63 s + 59 × 60 s = 3603 s would pass the deadline: cut to 3600 s.
    assert_eq!(expected[expected.len() - 2], Duration::from_secs(3543));
    assert_eq!(expected.last(), Some(&deadline));
    match result {
        Err(Error::DeadlineExceeded {
            kind,
            task_id,
            elapsed,
            polls,
            last_status,
            last_error,
        }) => {
            assert_eq!(kind, TaskKind::Dub);
            assert_eq!(task_id.as_str(), "t");
            assert_eq!(elapsed, deadline);
            assert_eq!(polls as usize, expected.len());
            assert_eq!(last_status, Some(TaskStatus::Pending));
            assert!(last_error.is_none());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_status_retry_after_replaces_the_computed_delay() {
    let fake = Fake::new(|_, n| {
        let mut answer = polled(if n < 3 { "PENDING" } else { "SUCCESS" }, Some(1));
        answer.retry_after = match n {
            1 => Some(Duration::from_secs(45)),
            // A zero hint must not turn into a burst of requests.
            2 => Some(Duration::ZERO),
            _ => None,
        };
        Ok(answer)
    });
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, _) = wait_on(&fake, "t", &policy, WaitErrorPolicy::default()).await;
    assert_eq!(result.unwrap(), RunId(1));
    let s = Duration::from_secs;
    assert_eq!(fake.start_times(), [s(0), s(45), s(46)]);
}

#[tokio::test(start_paused = true)]
async fn transient_poll_failures_keep_the_wait_alive_and_permanent_ones_end_it() {
    let flaky = Fake::new(|_, n| match n {
        1 | 2 => Err(unavailable()),
        _ => Ok(polled("SUCCESS", Some(3))),
    });
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, updates) = wait_on(&flaky, "t", &policy, WaitErrorPolicy::default()).await;
    assert_eq!(result.unwrap(), RunId(3));
    assert_eq!(updates.len(), 1, "failed polls make no update");
    assert_eq!(updates[0].polls, 3);

    let limited = WaitErrorPolicy::default().with_max_failures_in_a_row(Some(2));
    let flaky = Fake::new(|_, _| Err(unavailable()));
    let (result, _) = wait_on(&flaky, "t", &policy, limited).await;
    assert_eq!(
        result.unwrap_err().status_code(),
        Some(StatusCode::SERVICE_UNAVAILABLE)
    );
    assert_eq!(flaky.requests(), 2);

    let gone = Fake::new(|_, _| {
        Err(Error::NotFound {
            message: String::new(),
        })
    });
    let (result, _) = wait_on(&gone, "t", &policy, WaitErrorPolicy::default()).await;
    assert!(matches!(result, Err(Error::NotFound { .. })));
    assert_eq!(gone.requests(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_deadline_reached_while_polls_fail_carries_the_last_error() {
    let down = Fake::new(|_, _| Err(unavailable()));
    let policy = exact_policy(Duration::from_secs(100));
    let (result, _) = wait_on(&down, "t", &policy, WaitErrorPolicy::default()).await;
    match result {
        Err(Error::DeadlineExceeded {
            elapsed,
            last_status: None,
            last_error: Some(last_error),
            ..
        }) => {
            assert_eq!(elapsed, Duration::from_secs(100));
            assert!(last_error.is_retryable());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(down.start_times().last(), Some(&Duration::from_secs(100)));
}

#[tokio::test(start_paused = true)]
async fn the_stream_ends_after_success_and_after_a_failure() {
    let fake = Fake::new(|task, n| match (task.as_str(), n) {
        (_, 1) => pending(),
        ("good", _) => Ok(polled("SUCCESS", Some(5))),
        _ => {
            let mut answer = polled("ERROR", None);
            answer.answer.exception_reason = Some(ExceptionReason::SourceTooLong);
            answer.answer.message = Some("too long".into());
            Ok(answer)
        }
    });
    let retry = RetryPolicy::none();
    let policy = exact_policy(Duration::from_secs(60));
    let policies = policies(&retry, &policy, WaitErrorPolicy::default());
    let stream = |task| {
        let watch = Watch::new(&fake, id(task), &policies, None);
        watch.unwrap().into_stream()
    };

    let good: Vec<_> = stream("good").collect().await;
    assert_eq!(good.len(), 2);
    let last = good[1].as_ref().unwrap();
    assert_eq!(
        (last.status.status.clone(), last.status.run_id),
        (TaskStatus::Success, Some(RunId(5)))
    );

    let bad: Vec<_> = stream("bad").collect().await;
    assert_eq!(bad.len(), 2);
    assert!(bad[0].is_ok());
    match &bad[1] {
        Err(Error::TaskFailed {
            task_id,
            exception_reason,
            message,
            ..
        }) => {
            assert_eq!(task_id.as_str(), "bad");
            assert_eq!(exception_reason, &Some(ExceptionReason::SourceTooLong));
            assert_eq!(message.as_deref(), Some("too long"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_dropped_wait_stops_polling_and_leaves_no_task() {
    let fake = Fake::new(|_, _| pending());
    let tasks_before = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    let policy = exact_policy(Duration::from_secs(3600));
    let retry = RetryPolicy::none();
    let policies = policies(&retry, &policy, WaitErrorPolicy::default());
    let watch = Watch::new(&fake, id("t"), &policies, None);
    let wait = watch.unwrap().finish(|_| {});
    tokio::select! {
        _ = wait => panic!("a task that stays PENDING cannot finish"),
        _ = tokio::time::sleep(Duration::from_secs(20)) => {}
    }
    // Polls at 0, 1, 3, 7 and 15 s happened; the wait is gone now.
    assert_eq!(fake.requests(), 5);
    tokio::time::sleep(Duration::from_secs(7200)).await;
    assert_eq!(fake.requests(), 5);
    let tasks_after = tokio::runtime::Handle::current()
        .metrics()
        .num_alive_tasks();
    assert_eq!(tasks_after, tasks_before);
}

/// What task `i` of the many-waits test does: some `PENDING` polls, then one
/// of the four final states.
fn script(task: &TaskId, n: u32) -> Result<Polled<DubStatus>, Error> {
    let i: u32 = task.as_str().trim_start_matches("task-").parse().unwrap();
    if n <= i % 5 {
        return pending();
    }
    Ok(match i % 4 {
        0 | 1 => polled("SUCCESS", Some(i64::from(i))),
        2 => polled("ERROR", None),
        _ => polled("TIMEOUT", None),
    })
}

#[tokio::test(start_paused = true)]
async fn a_thousand_waits_stay_within_the_concurrency_and_rate_limits() {
    let mut fake = Fake::new(script);
    fake.latency = Duration::from_millis(300);
    let limits = WaitLimits::default()
        .with_max_in_flight(std::num::NonZeroUsize::new(8).unwrap())
        .with_min_interval(Duration::from_millis(25));
    let retry = RetryPolicy::default();
    let ids: Vec<TaskId> = (0..1000).map(|i| id(&format!("task-{i}"))).collect();
    let policies = policies(&retry, &PollPolicy::default(), WaitErrorPolicy::default());
    let results: Vec<(TaskId, Result<RunId, Error>)> =
        wait_many(&fake, policies, ids.clone(), limits)
            .collect()
            .await;

    // Exactly one result per id, each the right one.
    assert_eq!(results.len(), ids.len());
    let distinct: HashSet<&TaskId> = results.iter().map(|(id, _)| id).collect();
    assert_eq!(distinct.len(), ids.len());
    for (task, result) in &results {
        let i: i64 = task.as_str().trim_start_matches("task-").parse().unwrap();
        match (i % 4, result) {
            (0 | 1, Ok(run_id)) => assert_eq!(*run_id, RunId(i)),
            (2, Err(Error::TaskFailed { task_id, .. })) => assert_eq!(task_id, task),
            (3, Err(Error::TaskTimedOut { task_id, .. })) => assert_eq!(task_id, task),
            other => panic!("{task}: {other:?}"),
        }
    }
    let polls = fake.polls.lock().unwrap().clone();
    for (task, n) in &polls {
        let i: u32 = task.as_str().trim_start_matches("task-").parse().unwrap();
        assert_eq!(*n, i % 5 + 1, "{task}");
    }

    // The limits held, and were reached (or the test would prove nothing).
    assert_eq!(fake.max_in_flight.load(Ordering::SeqCst), 8);
    let starts = fake.start_times();
    assert_eq!(starts.len(), polls.values().sum::<u32>() as usize);
    let gaps: Vec<Duration> = starts.windows(2).map(|w| w[1] - w[0]).collect();
    let tightest = gaps.iter().min().unwrap();
    assert!(
        *tightest >= Duration::from_millis(25),
        "two requests {tightest:?} apart"
    );
    assert!(
        gaps.iter()
            .filter(|gap| **gap == Duration::from_millis(25))
            .count()
            > 100
    );
}

#[tokio::test(start_paused = true)]
async fn an_invalid_poll_policy_fails_every_wait_before_any_request() {
    let fake = Fake::new(|_, _| pending());
    let retry = RetryPolicy::none();
    let bad = PollPolicy::default().with_backoff(PollPolicy::default().backoff().with_jitter(1.5));
    let policies = policies(&retry, &bad, WaitErrorPolicy::default());
    let results: Vec<_> = wait_many(
        &fake,
        policies,
        vec![id("a"), id("b")],
        WaitLimits::default(),
    )
    .collect()
    .await;
    assert_eq!(results.len(), 2);
    for (_, result) in results {
        assert!(matches!(
            result,
            Err(Error::InvalidInput {
                field: "poll_policy",
                ..
            })
        ));
    }
    assert_eq!(fake.requests(), 0);
}

mod span {
    //! A minimal subscriber that keeps the fields recorded on spans and the
    //! level of every event.

    use std::sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    };

    use tracing::{
        Event, Level, Metadata, Subscriber,
        field::{Field, Visit},
        span::{Attributes, Id, Record},
    };

    /// `(span name, field, value)` for every field recorded on any span.
    pub(super) type Fields = Arc<Mutex<Vec<(&'static str, &'static str, String)>>>;
    /// The level of every event.
    pub(super) type Levels = Arc<Mutex<Vec<Level>>>;

    pub(super) struct Recorder {
        pub(super) fields: Fields,
        pub(super) levels: Levels,
        spans: Mutex<Vec<&'static Metadata<'static>>>,
        next: AtomicU64,
    }

    impl Recorder {
        pub(super) fn new(fields: Fields) -> Self {
            Recorder {
                fields,
                levels: Levels::default(),
                spans: Mutex::new(Vec::new()),
                next: AtomicU64::new(1),
            }
        }
    }

    struct Collect<'a>(&'static str, &'a Fields);

    impl Visit for Collect<'_> {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let value = format!("{value:?}");
            self.1.lock().unwrap().push((self.0, field.name(), value));
        }
    }

    impl Subscriber for Recorder {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }
        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let name = span.metadata().name();
            self.spans.lock().unwrap().push(span.metadata());
            span.record(&mut Collect(name, &self.fields));
            Id::from_u64(self.next.fetch_add(1, Ordering::SeqCst))
        }
        fn record(&self, span: &Id, values: &Record<'_>) {
            let name = self.spans.lock().unwrap()[span.into_u64() as usize - 1].name();
            values.record(&mut Collect(name, &self.fields));
        }
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            self.levels.lock().unwrap().push(*event.metadata().level());
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
}

#[tokio::test(start_paused = true)]
async fn each_wait_has_a_span_with_task_id_polls_and_run_id_each_recorded_once() {
    let fields = span::Fields::default();
    let _guard = tracing::subscriber::set_default(span::Recorder::new(fields.clone()));
    let fake = Fake::new(|_, n| match n {
        1..=9 => pending(),
        _ => Ok(polled("SUCCESS", Some(77))),
    });
    let policy = exact_policy(Duration::from_secs(3600));
    let (result, _) = wait_on(&fake, "task-span", &policy, WaitErrorPolicy::default()).await;
    assert_eq!(result.unwrap(), RunId(77));

    let fields = fields.lock().unwrap().clone();
    let recorded = |name: &str| -> Vec<String> {
        fields
            .iter()
            .filter(|(span, field, _)| *span == "wait_for_dub" && *field == name)
            .map(|(_, _, value)| value.clone())
            .collect()
    };
    // One fact, one value: not `polls=1 polls=2 ... polls=10`.
    assert_eq!(recorded("task_id"), ["task-span"]);
    assert_eq!(recorded("polls"), ["10"]);
    assert_eq!(recorded("run_id"), ["77"]);
    assert!(recorded("attempts").is_empty(), "{fields:?}");
}

/// A family whose waits show in traces under another name, as export
/// tasks' do.
struct OtherSpan<'a>(&'a Fake);

impl TaskFamily for OtherSpan<'_> {
    type Answer = DubStatus;
    type Acceptor = StatusAcceptor<NeedsRunId>;

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<DubStatus>, Error> {
        self.0.poll_once(task_id).await
    }

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        self.0.acceptor(task_id)
    }

    fn span(&self, task_id: &TaskId) -> Span {
        wait_span!("other_wait", task_id)
    }
}

#[tokio::test(start_paused = true)]
async fn a_wait_runs_in_the_span_its_family_names() {
    let fields = span::Fields::default();
    let _guard = tracing::subscriber::set_default(span::Recorder::new(fields.clone()));
    let fake = Fake::new(|_, n| match n {
        1 => pending(),
        _ => Ok(polled("SUCCESS", Some(5))),
    });
    let retry = RetryPolicy::none();
    let policy = exact_policy(Duration::from_secs(60));
    let policies = policies(&retry, &policy, WaitErrorPolicy::default());
    let watch = Watch::new(OtherSpan(&fake), id("task-other"), &policies, None).unwrap();
    assert_eq!(watch.finish(|_| {}).await.unwrap(), RunId(5));
    let fields = fields.lock().unwrap().clone();
    assert!(
        fields
            .iter()
            .any(|(span, field, value)| *span == "other_wait" && *field == "polls" && value == "2"),
        "{fields:?}"
    );
    assert!(
        !fields.iter().any(|(span, _, _)| *span == "wait_for_dub"),
        "{fields:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_six_hour_wait_logs_a_bounded_amount_at_info() {
    let fields = span::Fields::default();
    let recorder = span::Recorder::new(fields.clone());
    let levels = recorder.levels.clone();
    let _guard = tracing::subscriber::set_default(recorder);
    // Six hours of PENDING, with the server failing now and then.
    let fake = Fake::new(|_, n| match n % 7 {
        3 | 4 => Err(unavailable()),
        _ => pending(),
    });
    let policy = PollPolicy::default();
    let (result, _) = wait_on(&fake, "long", &policy, WaitErrorPolicy::default()).await;
    assert!(matches!(result, Err(Error::DeadlineExceeded { .. })));
    assert!(fake.requests() > 700, "{}", fake.requests());

    let levels = levels.lock().unwrap().clone();
    let loud = levels
        .iter()
        .filter(|level| **level <= tracing::Level::INFO)
        .count();
    // The first failed poll and the deadline, whatever the wait's length.
    assert!(loud <= 3, "{loud} events at INFO or above");
    let quiet = levels.len() - loud;
    assert!(quiet > 700, "per-poll events at DEBUG: {quiet}");
    let polls = fields
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, field, _)| *field == "polls")
        .count();
    assert_eq!(polls, 1);
}
