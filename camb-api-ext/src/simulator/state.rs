//! The simulated server's state: tasks, scripts, fault queues and counters,
//! and how it answers one request.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use camb_api::types::EndToEndDubbingRequest;
use serde_json::json;

use super::reply::Reply;
use super::route::{Incoming, Target};
use super::{Fault, Outcome, ReceivedRequest, Route, TaskScript, UrlSpelling};

/// Run ids start here, so they never look like task numbers.
const FIRST_RUN_ID: i64 = 1_000;

/// Where result URLs point: a reserved TLD that never resolves.
const STORAGE: &str = "https://storage.simulator.invalid/runs";

/// Which scripts new tasks get.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scripts {
    pub(crate) default: TaskScript,
    pub(crate) by_video_url: HashMap<String, TaskScript>,
    pub(crate) queue: VecDeque<TaskScript>,
}

impl Scripts {
    /// The script for a new task: by its `video_url`, else the next queued
    /// one, else the default.
    fn take(&mut self, video_url: &str) -> TaskScript {
        if let Some(script) = self.by_video_url.get(video_url) {
            return script.clone();
        }
        self.queue
            .pop_front()
            .unwrap_or_else(|| self.default.clone())
    }

    /// Every latency any script or queue can inject.
    pub(crate) fn latencies<'a>(&'a self) -> impl Iterator<Item = Duration> + 'a {
        std::iter::once(&self.default)
            .chain(self.by_video_url.values())
            .chain(&self.queue)
            .flat_map(|script| &script.faults)
            .filter_map(Fault::latency)
    }
}

/// One simulated task.
#[derive(Debug)]
struct Task {
    script: TaskScript,
    faults: VecDeque<Fault>,
    created: Instant,
    pending_answers: u32,
    status_requests: usize,
    run_id: Option<i64>,
    /// Whether the task has reported its outcome (its result is then served).
    finished: bool,
}

/// Whether a request already had its fault applied (the latency lanes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delayed {
    Yes,
    No,
}

/// The whole simulated server.
#[derive(Debug)]
pub(crate) struct State {
    api_key: String,
    scripts: Scripts,
    route_faults: BTreeMap<Route, VecDeque<Fault>>,
    tasks: HashMap<String, Task>,
    task_order: Vec<String>,
    runs: HashMap<i64, String>,
    received: Vec<ReceivedRequest>,
}

impl State {
    pub(crate) fn new(
        api_key: String,
        scripts: Scripts,
        route_faults: BTreeMap<Route, VecDeque<Fault>>,
    ) -> State {
        State {
            api_key,
            scripts,
            route_faults,
            tasks: HashMap::new(),
            task_order: Vec::new(),
            runs: HashMap::new(),
            received: Vec::new(),
        }
    }

    /// Takes the request's fault if it is `Latency(lane)`; called once per
    /// request while httpmock picks the mock (the lane) that answers it.
    pub(crate) fn take_latency(&mut self, request: &Incoming<'_>, lane: Duration) -> bool {
        let target = Target::parse(request.method, request.target);
        match self.fault_queue(request, &target) {
            Some(queue) if queue.front() == Some(&Fault::Latency(lane)) => {
                queue.pop_front();
                true
            }
            _ => false,
        }
    }

    /// Answers one request. Checks, in order: injected faults for the route,
    /// unknown paths (`404`/`405`), the API key (`401`), parameters (`422`),
    /// unknown ids (`404`), the task's own faults; then the normal answer.
    pub(crate) fn respond(&mut self, request: &Incoming<'_>, delayed: Delayed) -> Reply {
        let target = Target::parse(request.method, request.target);
        let route = target.route();
        self.received.push(ReceivedRequest {
            route,
            method: request.method.to_owned(),
            target: request.target.to_owned(),
        });
        if let Target::Status { task_id, .. } = &target
            && let Some(task) = self.tasks.get_mut(task_id)
        {
            task.status_requests += 1;
        }

        if delayed == Delayed::No
            && let Some(reply) = self.take_fault(request, &target)
        {
            return reply;
        }
        match target {
            Target::NotFound => Reply::detail(404, "Not Found"),
            Target::MethodNotAllowed { .. } => Reply::detail(405, "Method Not Allowed"),
            _ if !self.authorized(request) => Reply::detail(401, "Invalid API key"),
            Target::Create => self.create(request.body),
            Target::Status { task_id, run_id } => self.status(&task_id, run_id.as_deref()),
            Target::Result { run_id } => self.result(&run_id),
        }
    }

    /// Takes the request's fault unless it is a latency (those are taken when
    /// the lane is chosen), and turns it into its answer.
    fn take_fault(&mut self, request: &Incoming<'_>, target: &Target) -> Option<Reply> {
        let queue = self.fault_queue(request, target)?;
        if matches!(queue.front(), None | Some(Fault::Latency(_))) {
            return None;
        }
        let fault = queue.pop_front()?;
        Reply::for_fault(&fault, target.route())
    }

    /// The fault queue that governs a request: its route's queue while that
    /// has faults left, else, for a valid status request of a known task, the
    /// task's own queue.
    fn fault_queue(
        &mut self,
        request: &Incoming<'_>,
        target: &Target,
    ) -> Option<&mut VecDeque<Fault>> {
        let route = target.route();
        if self
            .route_faults
            .get(&route)
            .is_some_and(|queue| !queue.is_empty())
        {
            return self.route_faults.get_mut(&route);
        }
        let Target::Status { task_id, run_id } = target else {
            return None;
        };
        let valid = self.authorized(request)
            && run_id.as_deref().is_none_or(|id| id.parse::<i64>().is_ok());
        if !valid {
            return None;
        }
        self.tasks.get_mut(task_id).map(|task| &mut task.faults)
    }

    fn authorized(&self, request: &Incoming<'_>) -> bool {
        request.api_key == Some(self.api_key.as_str())
    }

    fn create(&mut self, body: &[u8]) -> Reply {
        let create: EndToEndDubbingRequest = match serde_json::from_slice(body) {
            Ok(create) => create,
            Err(error) => {
                let kind = if error.is_data() {
                    "value_error"
                } else {
                    "json_invalid"
                };
                return Reply::validation_error(["body", "body"], &error.to_string(), kind);
            }
        };
        let script = self.scripts.take(&create.video_url);
        let number = self.task_order.len() + 1;
        let task_id = format!("sim-task-{number}");
        let run_id = matches!(script.outcome, Outcome::Success(_)).then(|| {
            let run_id = FIRST_RUN_ID + self.runs.len() as i64;
            self.runs.insert(run_id, task_id.clone());
            run_id
        });
        let task = Task {
            faults: script.faults.iter().cloned().collect(),
            script,
            created: Instant::now(),
            pending_answers: 0,
            status_requests: 0,
            run_id,
            finished: false,
        };
        self.tasks.insert(task_id.clone(), task);
        self.task_order.push(task_id.clone());
        Reply::json(200, &json!({ "task_id": task_id }))
    }

    fn status(&mut self, task_id: &str, run_id: Option<&str>) -> Reply {
        if run_id.is_some_and(|id| id.parse::<i64>().is_err()) {
            return Reply::validation_error(
                ["query", "run_id"],
                "Input should be a valid integer, unable to parse string as an integer",
                "int_parsing",
            );
        }
        let Some(task) = self.tasks.get_mut(task_id) else {
            return Reply::detail(404, "Task not found");
        };
        let script = &task.script;
        if task.pending_answers < script.pending_polls
            || task.created.elapsed() < script.pending_for
        {
            task.pending_answers += 1;
            return Reply::json(200, &json!({ "status": "PENDING", "run_id": null }));
        }
        task.finished = true;
        let body = match &script.outcome {
            Outcome::Success(_) => json!({ "status": "SUCCESS", "run_id": task.run_id }),
            Outcome::Error { reason, message } => json!({
                "status": "ERROR",
                "run_id": null,
                "exception_reason": reason,
                "message": message,
            }),
            Outcome::Timeout => json!({ "status": "TIMEOUT", "run_id": null }),
            Outcome::PaymentRequired => json!({ "status": "PAYMENT_REQUIRED", "run_id": null }),
            Outcome::UnknownStatus(status) => json!({ "status": status, "run_id": null }),
        };
        Reply::json(200, &body)
    }

    fn result(&self, raw_run_id: &str) -> Reply {
        let Ok(run_id) = raw_run_id.parse::<i64>() else {
            return Reply::validation_error(
                ["path", "run_id"],
                "Input should be a valid integer, unable to parse string as an integer",
                "int_parsing",
            );
        };
        let finished = self
            .runs
            .get(&run_id)
            .and_then(|task_id| self.tasks.get(task_id))
            .filter(|task| task.finished);
        let Some(task) = finished else {
            return Reply::detail(404, "Run not found");
        };
        let spelling = match task.script.outcome {
            Outcome::Success(spelling) => spelling,
            _ => UrlSpelling::Output,
        };
        let (video_key, audio_key) = match spelling {
            UrlSpelling::Output => ("output_video_url", "output_audio_url"),
            UrlSpelling::Plain => ("video_url", "audio_url"),
        };
        Reply::json(
            200,
            &json!({
                "run_id": run_id,
                video_key: format!("{STORAGE}/{run_id}/dubbed.mp4"),
                audio_key: format!("{STORAGE}/{run_id}/dubbed.mp3"),
                "transcript": [
                    { "start": 0.0, "end": 2.5, "text": "Hello from the simulator.", "speaker": "SPEAKER_0" },
                    { "start": 2.5, "end": 4.0, "text": "Goodbye.", "speaker": "SPEAKER_1" },
                ],
            }),
        )
    }

    // Read-only views for the public API.

    pub(crate) fn api_key(&self) -> &str {
        &self.api_key
    }

    pub(crate) fn requests(&self, route: Route) -> usize {
        self.received
            .iter()
            .filter(|request| request.route == route)
            .count()
    }

    pub(crate) fn received(&self) -> &[ReceivedRequest] {
        &self.received
    }

    pub(crate) fn task_ids(&self) -> &[String] {
        &self.task_order
    }

    pub(crate) fn status_requests(&self, task_id: &str) -> usize {
        self.tasks
            .get(task_id)
            .map_or(0, |task| task.status_requests)
    }

    pub(crate) fn faults_left(&self) -> usize {
        let route_faults: usize = self.route_faults.values().map(VecDeque::len).sum();
        let task_faults: usize = self.tasks.values().map(|task| task.faults.len()).sum();
        route_faults + task_faults
    }
}
