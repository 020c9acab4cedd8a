//! [`SimulatedTasks`]: dubbing tasks that run for a set time on tokio's clock,
//! served by a [`LocalServer`], with what the server saw of the polling.
//!
//! `GET /dub/task-<n>` answers `PENDING` until task `n` has run for its
//! time, then its [`Ending`]. Every request is timed on arrival, so the
//! numbers are the server's: polls per task, detection lag (the first poll
//! that saw the ending, minus the moment the task ended), requests in flight
//! and the request rate.
//!
//! [`LocalServer`]: crate::server::LocalServer

use std::{
    collections::VecDeque,
    sync::{Mutex, MutexGuard, PoisonError},
    time::Duration,
};

use tokio::time::Instant;

use crate::server::{Respond, write_json_response};

/// The final state a simulated task reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ending {
    /// `SUCCESS`, with a `run_id`.
    Success,
    /// `ERROR`, with a reason and a message.
    Error,
    /// `TIMEOUT`: the server's own time limit.
    Timeout,
    /// `PAYMENT_REQUIRED`: out of credits.
    PaymentRequired,
}

impl Ending {
    /// Every ending, in the API's order of importance.
    pub const ALL: [Ending; 4] = [
        Ending::Success,
        Ending::Error,
        Ending::Timeout,
        Ending::PaymentRequired,
    ];

    /// The status value on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Ending::Success => "SUCCESS",
            Ending::Error => "ERROR",
            Ending::Timeout => "TIMEOUT",
            Ending::PaymentRequired => "PAYMENT_REQUIRED",
        }
    }

    fn body(self, run_id: i64) -> String {
        match self {
            Ending::Success => format!(r#"{{"status":"SUCCESS","run_id":{run_id}}}"#),
            Ending::Error => r#"{"status":"ERROR","run_id":null,"exception_reason":"PROCESSING_ERROR","message":"simulated failure"}"#.to_owned(),
            other => format!(r#"{{"status":"{}","run_id":null}}"#, other.as_str()),
        }
    }
}

/// The answer while a task runs.
const PENDING: &[u8] = br#"{"status":"PENDING","run_id":null}"#;

/// One task to simulate.
#[derive(Clone, Copy, Debug)]
pub struct TaskPlan {
    /// How long after its creation the task ends.
    pub runs_for: Duration,
    /// How it ends.
    pub ending: Ending,
}

/// What the server saw of one task.
#[derive(Clone, Debug, Default)]
pub struct TaskReport {
    /// Status requests for it.
    pub polls: u32,
    /// From the task's end to the first poll that saw it; `None` if no
    /// poll did.
    pub lag: Option<Duration>,
    /// When each poll arrived, from the task's creation (only when the
    /// tasks were made with [`SimulatedTasks::logging_polls`]).
    pub poll_times: Vec<Duration>,
}

/// What the server saw of all requests together.
#[derive(Clone, Debug)]
pub struct TrafficReport {
    /// Requests answered (or being answered).
    pub requests: u64,
    /// The most requests received and not yet answered at one time.
    pub max_in_flight: usize,
    /// The most request arrivals within one [`TrafficReport::window`].
    pub peak_in_window: usize,
    /// The window of [`TrafficReport::peak_in_window`].
    pub window: Duration,
    /// The shortest time between two arrivals (after the first).
    pub min_gap: Option<Duration>,
}

#[derive(Debug)]
struct TaskRecord {
    created: Instant,
    plan: TaskPlan,
    report: TaskReport,
}

/// Request counts over time, kept on arrival and answer.
#[derive(Debug)]
struct Traffic {
    window: Duration,
    recent: VecDeque<Instant>,
    peak_in_window: usize,
    last: Option<Instant>,
    min_gap: Option<Duration>,
    in_flight: usize,
    max_in_flight: usize,
    requests: u64,
}

impl Traffic {
    fn arrived(&mut self, now: Instant) {
        self.requests += 1;
        self.in_flight += 1;
        self.max_in_flight = self.max_in_flight.max(self.in_flight);
        if let Some(last) = self.last {
            let gap = now - last;
            self.min_gap = Some(self.min_gap.map_or(gap, |min| min.min(gap)));
        }
        self.last = Some(now);
        // The window is half-open, (now - window, now].
        while self
            .recent
            .front()
            .is_some_and(|at| *at + self.window <= now)
        {
            self.recent.pop_front();
        }
        self.recent.push_back(now);
        self.peak_in_window = self.peak_in_window.max(self.recent.len());
    }
}

/// Simulated dubbing tasks, to serve with a [`LocalServer`].
///
/// [`LocalServer`]: crate::server::LocalServer
#[derive(Debug)]
pub struct SimulatedTasks {
    latency: Duration,
    log_polls: bool,
    tasks: Mutex<Vec<TaskRecord>>,
    traffic: Mutex<Traffic>,
}

impl Default for SimulatedTasks {
    fn default() -> Self {
        SimulatedTasks::new()
    }
}

impl SimulatedTasks {
    /// No tasks yet, instant answers, no poll log, rate counted per second.
    pub fn new() -> Self {
        SimulatedTasks {
            latency: Duration::ZERO,
            log_polls: false,
            tasks: Mutex::new(Vec::new()),
            traffic: Mutex::new(Traffic {
                window: Duration::from_secs(1),
                recent: VecDeque::new(),
                peak_in_window: 0,
                last: None,
                min_gap: None,
                in_flight: 0,
                max_in_flight: 0,
                requests: 0,
            }),
        }
    }

    /// Every answer is held back this long (on tokio's clock).
    pub fn with_latency(mut self, latency: Duration) -> Self {
        self.latency = latency;
        self
    }

    /// Keeps the arrival time of every poll ([`TaskReport::poll_times`]).
    pub fn logging_polls(mut self) -> Self {
        self.log_polls = true;
        self
    }

    /// Creates a task now and returns its id.
    pub fn add(&self, plan: TaskPlan) -> String {
        let mut tasks = lock(&self.tasks);
        tasks.push(TaskRecord {
            created: Instant::now(),
            plan,
            report: TaskReport::default(),
        });
        task_id(tasks.len() - 1)
    }

    /// What the server saw of task `id`, if it exists.
    pub fn report(&self, id: &str) -> Option<TaskReport> {
        let index = task_index(id)?;
        lock(&self.tasks).get(index).map(|task| task.report.clone())
    }

    /// What the server saw of every task, in order of creation.
    pub fn reports(&self) -> Vec<(TaskPlan, TaskReport)> {
        lock(&self.tasks)
            .iter()
            .map(|task| (task.plan, task.report.clone()))
            .collect()
    }

    /// What the server saw of all requests.
    pub fn traffic(&self) -> TrafficReport {
        let traffic = lock(&self.traffic);
        TrafficReport {
            requests: traffic.requests,
            max_in_flight: traffic.max_in_flight,
            peak_in_window: traffic.peak_in_window,
            window: traffic.window,
            min_gap: traffic.min_gap,
        }
    }

    /// The status body of task `index` at `now`.
    fn poll(&self, index: usize, now: Instant) -> Option<Vec<u8>> {
        let mut tasks = lock(&self.tasks);
        let task = tasks.get_mut(index)?;
        let since_created = now - task.created;
        let report = &mut task.report;
        report.polls += 1;
        if self.log_polls {
            report.poll_times.push(since_created);
        }
        if since_created < task.plan.runs_for {
            return Some(PENDING.to_vec());
        }
        if report.lag.is_none() {
            report.lag = Some(since_created - task.plan.runs_for);
        }
        let run_id = i64::try_from(index).unwrap_or(i64::MAX);
        Some(task.plan.ending.body(run_id).into_bytes())
    }
}

impl Respond for SimulatedTasks {
    fn respond(&self, method: &str, target: &str, out: &mut Vec<u8>) -> Duration {
        let now = Instant::now();
        lock(&self.traffic).arrived(now);
        let body = match (method, target.strip_prefix("/dub/").and_then(task_index)) {
            ("GET", Some(index)) => self.poll(index, now),
            _ => None,
        };
        match body {
            Some(body) => write_json_response(out, 200, &body),
            None => write_json_response(out, 404, br#"{"detail":"Not Found"}"#),
        }
        self.latency
    }

    fn sent(&self) {
        let mut traffic = lock(&self.traffic);
        traffic.in_flight = traffic.in_flight.saturating_sub(1);
    }
}

fn task_id(index: usize) -> String {
    format!("task-{index}")
}

/// The index in `task-<n>` (a query string is ignored).
fn task_index(id: &str) -> Option<usize> {
    let id = id.split('?').next()?;
    id.strip_prefix("task-")?.parse().ok()
}

/// The counters stay usable even if a panic poisoned the lock.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(out: &[u8]) -> &str {
        let text = std::str::from_utf8(out).unwrap();
        text.split("\r\n\r\n").nth(1).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn pending_until_the_task_ends_then_its_ending_and_the_lag() {
        let tasks = SimulatedTasks::new().logging_polls();
        let id = tasks.add(TaskPlan {
            runs_for: Duration::from_secs(10),
            ending: Ending::Timeout,
        });
        let mut out = Vec::new();
        let target = format!("/dub/{id}?run_id=3");
        for wait in [0, 9, 4, 5] {
            tokio::time::advance(Duration::from_secs(wait)).await;
            out.clear();
            tasks.respond("GET", &target, &mut out);
            tasks.sent();
        }
        assert_eq!(body(&out), r#"{"status":"TIMEOUT","run_id":null}"#);
        let report = tasks.report(&id).unwrap();
        assert_eq!(report.polls, 4);
        assert_eq!(report.lag, Some(Duration::from_secs(3)));
        let secs: Vec<u64> = report.poll_times.iter().map(Duration::as_secs).collect();
        assert_eq!(secs, [0, 9, 13, 18]);
    }

    #[tokio::test(start_paused = true)]
    async fn counts_the_rate_in_half_open_windows_and_requests_in_flight() {
        let tasks = SimulatedTasks::new();
        let id = tasks.add(TaskPlan {
            runs_for: Duration::from_secs(1),
            ending: Ending::Success,
        });
        let target = format!("/dub/{id}");
        let mut out = Vec::new();
        // Six arrivals 200 ms apart: at most five in any second.
        for _ in 0..6 {
            out.clear();
            tasks.respond("GET", &target, &mut out);
            tokio::time::advance(Duration::from_millis(200)).await;
        }
        assert!(body(&out).contains("SUCCESS"));
        out.clear();
        tasks.respond("GET", "/dub/task-99", &mut out);
        assert!(String::from_utf8_lossy(&out).starts_with("HTTP/1.1 404"));
        let traffic = tasks.traffic();
        assert_eq!(traffic.requests, 7);
        assert_eq!(traffic.peak_in_window, 5);
        assert_eq!(traffic.max_in_flight, 7);
        assert_eq!(traffic.min_gap, Some(Duration::from_millis(200)));
    }
}
