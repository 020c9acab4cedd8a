//! The simulated server's state: tasks, scripts, fault queues and counters,
//! and how it answers one request.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use camb_api::types::{
    DubResult, DubbedRunInfo, LanguageItem, OrchestratorPipelineResult, Transcript, builder,
};
use camb_api::{TaskStatus, VideoOutputTypeWithoutAvi};
use camb_api_ext::Language;
use serde_json::{Value, json};

use crate::check::{self, Checked, FormPart, RawBody, RawRequest};
use crate::dictionaries::Dictionaries;
use crate::dub_checks;
use crate::engine::Engine;
use crate::folders::Folders;
use crate::http::Request;
use crate::openapi::Matched;
use crate::reply::{Reply, built};
use crate::route::Target;
use crate::speech::{Speech, SpeechAnswer, SpeechOptions};
use crate::transcription::{self, TranscriptionCall, Transcriptions};
use crate::validate;
use crate::{Fault, Integration, Outcome, ReceivedRequest, Route, TaskScript, UrlSpelling};

/// Run ids start here, so they never look like task numbers.
const FIRST_RUN_ID: i64 = 1_000;

/// Where result URLs point: a reserved TLD that never resolves.
pub(crate) const STORAGE: &str = "https://storage.simulator.invalid/runs";

/// Which scripts new tasks get.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scripts {
    pub(crate) default: TaskScript,
    pub(crate) by_video_url: HashMap<String, TaskScript>,
    pub(crate) queue: VecDeque<TaskScript>,
    /// Tasks started from an integration: where, id, targets, script.
    pub(crate) integration_tasks: Vec<(Integration, String, Vec<String>, TaskScript)>,
}

impl Scripts {
    /// The script for a new task: by its `video_url`, else the next queued
    /// one, else the default.
    pub(crate) fn take(&mut self, video_url: &str) -> TaskScript {
        if let Some(script) = self.by_video_url.get(video_url) {
            return script.clone();
        }
        self.queue
            .pop_front()
            .unwrap_or_else(|| self.default.clone())
    }
}

/// One simulated task (a dub or a transcription).
#[derive(Debug)]
pub(crate) struct Task {
    script: TaskScript,
    pub(crate) faults: VecDeque<Fault>,
    created: Instant,
    pending_answers: u32,
    pub(crate) status_requests: usize,
    pub(crate) run_id: Option<i64>,
    /// The languages it dubs into (see [`language_key`]; none for a
    /// transcription).
    targets: Vec<String>,
    /// Where it was started: which status route knows it.
    origin: Option<Integration>,
    /// Whether the task has reported its outcome (its result is then served).
    pub(crate) finished: bool,
}

impl Task {
    /// A task following `script`, whose run (if it succeeds) is `run_id`.
    pub(crate) fn new(script: TaskScript, run_id: Option<i64>, targets: Vec<String>) -> Task {
        Task {
            faults: script.faults.iter().cloned().collect(),
            script,
            created: Instant::now(),
            pending_answers: 0,
            status_requests: 0,
            run_id,
            targets,
            origin: None,
            finished: false,
        }
    }

    /// The answer to a status request: `PENDING` until the script says the
    /// task is done, then its outcome (from then on, the run is served).
    pub(crate) fn answer_status(&mut self) -> Reply {
        let script = &self.script;
        if self.pending_answers < script.pending_polls
            || self.created.elapsed() < script.pending_for
        {
            self.pending_answers += 1;
            return Reply::task_status(&pipeline_result(TaskStatus::Pending, None));
        }
        self.finished = true;
        let answer = match &script.outcome {
            Outcome::Success(_) => pipeline_result(TaskStatus::Success, self.run_id),
            Outcome::SuccessWithoutRunId => pipeline_result(TaskStatus::Success, None),
            Outcome::Error { reason, message } => OrchestratorPipelineResult {
                exception_reason: Some(reason.clone()),
                message: Some(message.clone()),
                ..pipeline_result(TaskStatus::Error, None)
            },
            Outcome::Timeout => pipeline_result(TaskStatus::Timeout, None),
            Outcome::PaymentRequired => pipeline_result(TaskStatus::PaymentRequired, None),
            Outcome::UnknownStatus(value) => {
                pipeline_result(TaskStatus::from(value.as_str()), None)
            }
        };
        Reply::task_status(&answer)
    }
}

/// A status answer with no `exception_reason` or `message`.
fn pipeline_result(status: TaskStatus, run_id: Option<i64>) -> OrchestratorPipelineResult {
    OrchestratorPipelineResult {
        status: Some(status),
        run_id,
        ..Default::default()
    }
}

/// One alt-format export task: `PENDING` once, then `SUCCESS`.
#[derive(Debug)]
struct AltTask {
    pending_answers: u32,
    file: AltFile,
}

/// A file of a run in another format: run id, language (see
/// [`language_key`]), format.
type AltFile = (i64, String, String);

/// Whether an export format is made in a task (the API's second answer
/// form): a video format of the spec's `VideoOutputTypeWithoutAvi`. Audio
/// and other formats are answered with the file at once.
fn made_in_a_task(format: &str) -> bool {
    !VideoOutputTypeWithoutAvi::from(format).is_unknown()
}

/// Whether a request already had its fault taken: a latency, waited for.
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
    alt_tasks: HashMap<String, AltTask>,
    alt_files: Vec<AltFile>,
    transcriptions: Transcriptions,
    dictionaries: Dictionaries,
    folders: Folders,
    speech: Speech,
    /// Every other operation of the spec, task families included.
    engine: Engine,
    received: Vec<ReceivedRequest>,
    /// Requests held back by a latency right now, and the most at once.
    held: usize,
    most_held: usize,
}

impl State {
    pub(crate) fn new(
        api_key: String,
        scripts: Scripts,
        route_faults: BTreeMap<Route, VecDeque<Fault>>,
        speech: SpeechOptions,
    ) -> State {
        let integration_tasks = scripts.integration_tasks.clone();
        let mut state = State {
            api_key,
            scripts,
            route_faults,
            tasks: HashMap::new(),
            task_order: Vec::new(),
            runs: HashMap::new(),
            alt_tasks: HashMap::new(),
            alt_files: Vec::new(),
            transcriptions: Transcriptions::default(),
            dictionaries: Dictionaries::default(),
            folders: Folders::default(),
            speech: Speech::new(speech),
            engine: Engine::new(crate::openapi::spec()),
            received: Vec::new(),
            held: 0,
            most_held: 0,
        };
        for (integration, task_id, targets, script) in integration_tasks {
            state.add_task(task_id, script, targets, Some(integration));
        }
        state
    }

    /// A request starts its latency.
    fn hold(&mut self) {
        self.held += 1;
        self.most_held = self.most_held.max(self.held);
    }

    /// The most requests held back by a latency at once.
    pub(crate) fn most_held(&self) -> usize {
        self.most_held
    }

    /// Takes the request's next fault if it is a latency, and returns its
    /// delay (the request is then answered with [`Delayed::Yes`] once it is
    /// over).
    pub(crate) fn take_latency(&mut self, request: &Request) -> Option<Duration> {
        let target = Target::of(request);
        let queue = self.fault_queue(request, &target)?;
        let delay = queue.front()?.latency()?;
        queue.pop_front();
        self.hold();
        Some(delay)
    }

    /// Answers one request. Checks, in order: injected faults for the route,
    /// unknown paths (`404`/`405`), the API key (`401`), parameters (`422`),
    /// unknown ids (`404`), the task's own faults; then the normal answer.
    pub(crate) fn respond(&mut self, request: &Request, delayed: Delayed) -> Reply {
        let target = Target::of(request);
        let route = target.route();
        if delayed == Delayed::Yes {
            self.held = self.held.saturating_sub(1);
        }
        self.received.push(ReceivedRequest {
            route,
            method: request.method.to_string(),
            target: request.target.clone(),
            body: String::from_utf8_lossy(&request.body).into_owned(),
        });
        let task_id = request.param("task_id");
        let task = match &target {
            Target::Status | Target::IntegrationStatus(_) => self.tasks.get_mut(&task_id),
            Target::Transcription(TranscriptionCall::Status) => {
                self.transcriptions.task_mut(&task_id)
            }
            Target::NotFound | Target::NotSimulated { .. } => self
                .engine
                .status_task_mut(request.method.as_str(), request.path()),
            _ => None,
        };
        if let Some(task) = task {
            task.status_requests += 1;
        }

        if delayed == Delayed::No
            && let Some(reply) = self.take_fault(request, &target)
        {
            return reply;
        }
        match target {
            Target::NotFound | Target::NotSimulated { .. } => self.answer_from_spec(request),
            Target::MethodNotAllowed { allow } => Reply::method_not_allowed(&allow),
            _ if !self.authorized(request) => Reply::detail(401, "Invalid API key"),
            // Speech checks its requests itself (`speech/request.rs`).
            Target::Speak => self.speak(request),
            Target::ListVoices { run_id } => self.speech.list_voices(run_id.as_deref()),
            Target::CreateCustomVoice { run_id } => self
                .speech
                .create_custom_voice(run_id.as_deref(), request.form.as_ref()),
            target => match check_request(request) {
                Ok(checked) => self.answer_checked(target, &checked, request),
                Err(reply) => reply,
            },
        }
    }

    /// Answers a request of a hand-written route once the spec's check
    /// passed it (see [`check_request`]).
    fn answer_checked(&mut self, target: Target, checked: &Checked, request: &Request) -> Reply {
        match target {
            Target::Create => self.create(checked),
            Target::Status => self.status(checked, None),
            Target::IntegrationStatus(integration) => self.status(checked, Some(integration)),
            Target::Result => self.result(checked),
            Target::Results => self.results(checked),
            Target::Transcript => self.transcript(checked),
            Target::AltFormat => self.alt_format(checked),
            Target::AltFormatStatus => self.alt_format_status(checked),
            Target::Languages => State::languages(),
            Target::Transcription(call) => self.transcription(call, checked),
            Target::Dictionary(call) => {
                self.dictionaries
                    .respond(call, checked, request.form.as_ref())
            }
            Target::Folder(call) => self.folders.respond(call, checked),
            // Answered by `respond` before any check.
            Target::Speak
            | Target::ListVoices { .. }
            | Target::CreateCustomVoice { .. }
            | Target::NotSimulated { .. }
            | Target::MethodNotAllowed { .. }
            | Target::NotFound => Reply::detail(404, "Not Found"),
        }
    }

    /// `POST /tts-stream`: the audio, streamed, or why not.
    fn speak(&mut self, request: &Request) -> Reply {
        match self.speech.tts_stream(&request.body) {
            SpeechAnswer::Reply(reply) => reply,
            SpeechAnswer::Audio(audio) => {
                let headers = audio.headers().to_vec();
                let content_type = headers
                    .iter()
                    .find(|(name, _)| *name == "content-type")
                    .map_or("application/octet-stream", |(_, value)| value.as_str())
                    .to_owned();
                let mut reply = Reply::stream(200, &content_type, audio.into_stream());
                for (name, value) in headers {
                    if name != "content-type" {
                        reply = reply.with_header(name, value);
                    }
                }
                reply
            }
        }
    }

    /// The speech half: voices and streams.
    pub(crate) fn speech(&self) -> &Speech {
        &self.speech
    }

    /// Takes the request's fault unless it is a latency (those are taken by
    /// [`take_latency`](Self::take_latency) before), and turns it into its answer.
    fn take_fault(&mut self, request: &Request, target: &Target) -> Option<Reply> {
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
    fn fault_queue(&mut self, request: &Request, target: &Target) -> Option<&mut VecDeque<Fault>> {
        let route = target.route();
        if self
            .route_faults
            .get(&route)
            .is_some_and(|queue| !queue.is_empty())
        {
            return self.route_faults.get_mut(&route);
        }
        if !self.authorized(request) {
            return None;
        }
        let task_id = request.param("task_id");
        let task = match target {
            Target::Status | Target::IntegrationStatus(_)
                if request
                    .query_value("run_id")
                    .as_deref()
                    .is_none_or(validate::is_int_text) =>
            {
                self.tasks.get_mut(&task_id)
            }
            Target::Transcription(TranscriptionCall::Status) => {
                self.transcriptions.task_mut(&task_id)
            }
            Target::NotFound | Target::NotSimulated { .. } => self
                .engine
                .status_task_mut(request.method.as_str(), request.path()),
            _ => None,
        };
        task.map(|task| &mut task.faults)
    }

    /// Answers an operation of the spec that no hand-written route serves
    /// (the engine checks the key itself).
    fn answer_from_spec(&mut self, request: &Request) -> Reply {
        let authorized = self.authorized(request);
        let raw = raw_request(request);
        self.engine
            .respond(
                &mut self.scripts,
                request.method.as_str(),
                request.path(),
                authorized,
                raw,
            )
            .unwrap_or_else(|| Reply::detail(404, "Not Found"))
    }

    fn authorized(&self, request: &Request) -> bool {
        request.api_key() == Some(self.api_key.as_str())
    }

    fn create(&mut self, checked: &Checked) -> Reply {
        let create = &checked.body;
        // Rules the schema cannot state, which the service checks as its
        // own (a `422`, before any state is looked at).
        let problems = dub_checks::transcript_problems(create);
        if !problems.is_empty() {
            return Reply::validation(problems);
        }
        // A dictionary is the account's state, which no schema knows: an
        // id that names none is the spec's documented `404`.
        let mut chosen = create["chosen_dictionaries"]
            .as_array()
            .into_iter()
            .flatten();
        if let Some(unknown) =
            chosen.find(|id| !id.as_i64().is_some_and(|id| self.dictionaries.has(id)))
        {
            return Reply::detail(404, &format!("Dictionary {unknown} not found"));
        }
        let mut targets: Vec<String> = Vec::new();
        let single = create.get("target_language").filter(|v| !v.is_null());
        let listed = create["target_languages"].as_array().into_iter().flatten();
        for language in listed.chain(single) {
            let key = language_key(language);
            if !targets.contains(&key) {
                targets.push(key);
            }
        }
        let video_url = create["video_url"].as_str().unwrap_or_default();
        let mut script = self.scripts.take(video_url);
        // Accepted as FastAPI would, then failed as the service would (see
        // the crate docs' table): the script's pace and faults stay.
        if let Some(outcome) = dub_checks::failure(create) {
            script.outcome = outcome;
        }
        let number = self.task_order.len() + 1;
        let task_id = format!("sim-task-{number}");
        self.add_task(task_id.clone(), script, targets, None);
        Reply::task_id(task_id)
    }

    /// Adds a dub task that starts now.
    pub(crate) fn add_task(
        &mut self,
        task_id: String,
        script: TaskScript,
        targets: Vec<String>,
        origin: Option<Integration>,
    ) {
        let run_id = self.new_run(&script, &task_id);
        let mut task = Task::new(script, run_id, targets);
        task.origin = origin;
        self.tasks.insert(task_id.clone(), task);
        self.task_order.push(task_id);
    }

    /// The run id of a new task following `script`: a fresh one when it is
    /// to succeed (dubs and transcriptions share one numbering).
    fn new_run(&mut self, script: &TaskScript, task_id: &str) -> Option<i64> {
        matches!(script.outcome, Outcome::Success(_)).then(|| {
            let run_id = FIRST_RUN_ID + self.runs.len() as i64;
            self.runs.insert(run_id, task_id.to_owned());
            run_id
        })
    }

    /// Answers a transcription call; a create takes its script here.
    fn transcription(&mut self, call: TranscriptionCall, checked: &Checked) -> Reply {
        if call != TranscriptionCall::Create {
            return self.transcriptions.respond(call, checked);
        }
        let form = match transcription::read_create(checked) {
            Ok(form) => form,
            Err(reply) => return reply,
        };
        let script = self.scripts.take(&form.media);
        let task_id = self.transcriptions.next_task_id();
        let run_id = self.new_run(&script, &task_id);
        let task = Task::new(script, run_id, Vec::new());
        self.transcriptions.create(task_id, task, form)
    }

    pub(crate) fn status(&mut self, checked: &Checked, origin: Option<Integration>) -> Reply {
        let Some(task) = self
            .tasks
            .get_mut(&checked.path_text("task_id"))
            .filter(|task| task.origin == origin)
        else {
            return Reply::detail(404, "Task not found");
        };
        task.answer_status()
    }

    fn result(&self, checked: &Checked) -> Reply {
        match checked
            .path_int("run_id")
            .and_then(|run_id| self.run_result(run_id))
        {
            Some(Ok(result)) => Reply::typed(200, &result),
            Some(Err(reply)) => reply,
            None => Reply::detail(404, "Run not found"),
        }
    }

    /// The finished task of a run.
    fn finished_run(&self, run_id: i64) -> Option<&Task> {
        self.runs
            .get(&run_id)
            .and_then(|task_id| self.tasks.get(task_id))
            .filter(|task| task.finished)
    }

    /// A finished run's result: one result for a dub into one language
    /// (unless its script asks for the map), else a map keyed by language.
    fn run_result(&self, run_id: i64) -> Option<Result<DubbedRunInfo, Reply>> {
        let task = self.finished_run(run_id)?;
        let spelling = match task.script.outcome {
            Outcome::Success(spelling) => spelling,
            _ => UrlSpelling::Plain,
        };
        Some(match task.targets.as_slice() {
            [one] if !task.script.result_as_map => {
                dub_result(run_id, one, spelling).map(|result| DubbedRunInfo {
                    dub_result: Some(result),
                    by_language: None,
                })
            }
            targets => targets
                .iter()
                .map(|language| Ok((language.clone(), dub_result(run_id, language, spelling)?)))
                .collect::<Result<_, Reply>>()
                .map(|by_language| DubbedRunInfo {
                    dub_result: None,
                    by_language: Some(by_language),
                }),
        })
    }

    fn results(&self, checked: &Checked) -> Reply {
        // Like the API: runs it has no result for are left out.
        let found: Result<HashMap<String, DubbedRunInfo>, Reply> = run_ids(checked)
            .filter_map(|run_id| {
                Some(
                    self.run_result(run_id)?
                        .map(|result| (run_id.to_string(), result)),
                )
            })
            .collect();
        match found {
            Ok(found) => Reply::typed(200, &found),
            Err(reply) => reply,
        }
    }

    /// The run and language of a checked path (`404` for a run that did not
    /// finish, or a language it has no dub in).
    fn run_language(&self, checked: &Checked) -> Result<(i64, String), Reply> {
        let not_found = || Reply::detail(404, "Run not found");
        let run_id = checked.path_int("run_id").ok_or_else(not_found)?;
        let task = self.finished_run(run_id).ok_or_else(not_found)?;
        let language = language_key(&Value::String(checked.path_text("language")));
        if !task.targets.contains(&language) {
            return Err(Reply::detail(404, "The run has no dub in this language"));
        }
        Ok((run_id, language))
    }

    fn transcript(&self, checked: &Checked) -> Reply {
        let (run_id, language) = match self.run_language(checked) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        // Without them: plain text, in the answer.
        let format = checked.query_text("format_type").unwrap_or("txt");
        if checked.query_text("data_type") == Some("file") {
            let url = format!(
                "{STORAGE}/{run_id}/{}/transcript.{format}",
                file_name(&language)
            );
            return Reply::json(200, &json!({ "file_url": url }));
        }
        Reply::json(
            200,
            &json!({ "transcript": transcript_text(&language, format) }),
        )
    }

    fn alt_format(&mut self, checked: &Checked) -> Reply {
        let (run_id, language) = match self.run_language(checked) {
            Ok(found) => found,
            Err(reply) => return reply,
        };
        let format = checked.body["output_format"]
            .as_str()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let file = (run_id, language, format);
        if self.alt_files.contains(&file) || !made_in_a_task(&file.2) {
            let url = format!(
                "{STORAGE}/{run_id}/{}/dubbed.{}",
                file_name(&file.1),
                file_name(&file.2)
            );
            return Reply::json(200, &json!({ "file_url": url }));
        }
        let task_id = format!("sim-alt-{}", self.alt_tasks.len() + 1);
        self.alt_tasks.insert(
            task_id.clone(),
            AltTask {
                pending_answers: 0,
                file,
            },
        );
        Reply::task_id(task_id)
    }

    fn alt_format_status(&mut self, checked: &Checked) -> Reply {
        let Some(task) = self.alt_tasks.get_mut(&checked.path_text("task_id")) else {
            return Reply::detail(404, "Task not found");
        };
        if task.pending_answers < 1 {
            task.pending_answers += 1;
            return Reply::task_status(&pipeline_result(TaskStatus::Pending, None));
        }
        if !self.alt_files.contains(&task.file) {
            self.alt_files.push(task.file.clone());
        }
        Reply::task_status(&pipeline_result(TaskStatus::Success, None))
    }

    /// The language lists.
    fn languages() -> Reply {
        match languages() {
            Ok(languages) => Reply::typed(200, &languages),
            Err(reply) => reply,
        }
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
            .or_else(|| self.transcriptions.task(task_id))
            .or_else(|| self.engine.task(task_id))
            .map_or(0, |task| task.status_requests)
    }

    pub(crate) fn faults_left(&self) -> usize {
        let route_faults: usize = self.route_faults.values().map(VecDeque::len).sum();
        let task_faults: usize = self
            .tasks
            .values()
            .chain(self.transcriptions.tasks())
            .chain(self.engine.tasks())
            .map(|task| task.faults.len())
            .sum();
        route_faults + task_faults
    }
}

/// The run ids of a checked batch body (`run_ids`), those that fit an
/// `i64` (a larger one names no run).
pub(crate) fn run_ids(checked: &Checked) -> impl Iterator<Item = i64> + '_ {
    checked.body["run_ids"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
}

/// The request of a hand-written route, checked against its operation's
/// schemas in the spec as FastAPI checks it (`422` with every problem),
/// the way the engine checks every other operation.
fn check_request(request: &Request) -> Result<Checked, Reply> {
    let spec = crate::openapi::spec();
    let Matched::Operation(operation, path) = spec.find(request.method.as_str(), request.path())
    else {
        return Err(Reply::detail(404, "Not Found"));
    };
    let raw = RawRequest {
        path,
        ..raw_request(request)
    };
    check::check(spec, &spec.schemas, operation, raw).map_err(Reply::validation)
}

/// How the simulator files a language it was given (an id, a tag in any
/// case, or `auto`): the id, as text, of an id or a known tag; any other
/// text lower-cased. So `76`, `"76"` and `"FR-fr"` are one language.
pub(crate) fn language_key(language: &Value) -> String {
    match language {
        Value::String(text) => {
            let text = text.trim().to_ascii_lowercase();
            match text.parse::<Language>().ok().and_then(Language::id) {
                Some(id) => id.to_string(),
                None => text,
            }
        }
        other => {
            validate::whole_number(other).map_or_else(|| other.to_string(), |id| id.to_string())
        }
    }
}

/// A request's query and body as the spec's validation reads them.
fn raw_request(request: &Request) -> RawRequest {
    let query = request.query().map(form_pairs).unwrap_or_default();
    let content_type = request
        .header("content-type")
        .unwrap_or_default()
        .trim_start();
    let body = if request.body.is_empty() {
        RawBody::Empty
    } else if let Some(form) = &request.form {
        // Parsed by the HTTP layer (multer).
        let parts = form
            .parts()
            .iter()
            .map(|part| FormPart {
                name: part.name.clone(),
                file_name: part.file_name.clone(),
                text: String::from_utf8_lossy(&part.content).into_owned(),
            })
            .collect();
        RawBody::Form(parts)
    } else if content_type.starts_with("multipart/form-data") {
        // A multipart body multer could not read: no parts.
        RawBody::Form(Vec::new())
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(&request.body);
        RawBody::Form(
            form_pairs(&text)
                .into_iter()
                .map(|(name, text)| FormPart {
                    name,
                    file_name: None,
                    text,
                })
                .collect(),
        )
    } else {
        RawBody::Json(request.body.to_vec())
    };
    RawRequest {
        path: Vec::new(),
        query,
        body,
        accept: request.header("accept").map(str::to_owned),
    }
}

/// The pairs of a query string or URL-encoded form, decoded (`+` is a space).
fn form_pairs(text: &str) -> Vec<(String, String)> {
    let decode = |raw: &str| {
        percent_encoding::percent_decode_str(&raw.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The simulated lines of a run (a dub or a transcription), in one language
/// (see [`language_key`]).
fn lines(language: &str) -> [(f64, f64, String, &'static str); 2] {
    let tag = language
        .parse::<Language>()
        .map_or_else(|_| language.to_owned(), |language| language.to_string());
    [
        (
            0.0,
            2.5,
            format!("[{tag}] Hello from the simulator."),
            "SPEAKER_0",
        ),
        (2.5, 4.0, format!("[{tag}] Goodbye."), "SPEAKER_1"),
    ]
}

/// One language's result of a run, its URLs spelled as asked.
fn dub_result(run_id: i64, language: &str, spelling: UrlSpelling) -> Result<DubResult, Reply> {
    let file = file_name(language);
    let video = Some(format!("{STORAGE}/{run_id}/{file}/dubbed.mp4"));
    let audio = Some(format!("{STORAGE}/{run_id}/{file}/dubbed.mp3"));
    let result = DubResult {
        run_id: Some(run_id),
        transcript: Some(segments(language)?),
        ..Default::default()
    };
    Ok(match spelling {
        UrlSpelling::Output => DubResult {
            output_video_url: video,
            output_audio_url: audio,
            ..result
        },
        UrlSpelling::Plain => DubResult {
            video_url: video,
            audio_url: audio,
            ..result
        },
    })
}

/// What a run says in one language, as segments.
pub(crate) fn segments(language: &str) -> Result<Vec<Transcript>, Reply> {
    lines(language)
        .into_iter()
        .map(|(start, end, text, speaker)| {
            built(
                builder::Transcript::default()
                    .start(start)
                    .end(end)
                    .text(text)
                    .speaker(speaker.to_owned()),
            )
        })
        .collect()
}

/// A language key as a URL path segment (a tag from a client may hold anything).
fn file_name(language: &str) -> String {
    percent_encoding::utf8_percent_encode(language, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// A run's transcript in one language as an SRT, VTT or plain-text file.
pub(crate) fn transcript_text(language: &str, format: &str) -> String {
    let stamp = |seconds: f64, separator: char| {
        let millis = (seconds * 1000.0).round() as u64;
        format!(
            "{:02}:{:02}:{:02}{separator}{:03}",
            millis / 3_600_000,
            millis / 60_000 % 60,
            millis / 1000 % 60,
            millis % 1000
        )
    };
    let mut text = String::new();
    if format == "vtt" {
        text.push_str("WEBVTT\n\n");
    }
    for (number, (start, end, line, _)) in lines(language).into_iter().enumerate() {
        match format {
            "srt" => text.push_str(&format!(
                "{}\n{} --> {}\n{line}\n\n",
                number + 1,
                stamp(start, ','),
                stamp(end, ',')
            )),
            "vtt" => text.push_str(&format!(
                "{} --> {}\n{line}\n\n",
                stamp(start, '.'),
                stamp(end, '.')
            )),
            _ => text.push_str(&format!("{line}\n")),
        }
    }
    text
}

/// The language lists: every language this version names.
fn languages() -> Result<Vec<LanguageItem>, Reply> {
    Language::KNOWN
        .iter()
        .filter_map(|(language, tag)| {
            Some(built(
                builder::LanguageItem::default()
                    .id(i64::from(language.id()?))
                    .language((*tag).to_owned())
                    .short_name((*tag).to_owned()),
            ))
        })
        .collect()
}
