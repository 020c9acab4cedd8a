//! Task families: what the spec says about each (`x-camb-task` on its
//! create operation, `x-task-states` on the status enum), as traits that
//! camb-codegen implements for one marker type per family in [`tasks`]
//! (`crate::tasks`). camb-api-ext's generic calls (`create_task::<F, _>`,
//! `wait_for_task::<F>`, `task_result::<F>`, ...) are written once over
//! them, so a family added to the spec needs no Rust. See
//! `spec/README.md`, "Task families".
//!
//! [`tasks`]: crate::tasks

use std::{collections::HashMap, future::Future, pin::Pin};

use progenitor_client::{Error, ResponseValue};

use crate::Client;

/// One call on its way: a boxed future (a family's calls are used in
/// generic code, where an unboxed `impl Future` of a trait method cannot be
/// proven `Send`), answering `T` or an error with body `E`.
pub type Sending<'a, T, E> =
    Pin<Box<dyn Future<Output = Result<ResponseValue<T>, Error<E>>> + Send + 'a>>;

/// What a value of the status enum (the schema marked `x-task-states`)
/// says about a task.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaskState {
    /// Still running: ask again (`waiting`).
    Waiting,
    /// Finished, with a result (`done`).
    Done,
    /// Finished, failed (`failed`).
    Failed,
}

/// One task family of the spec: its create call and its status call.
///
/// Implemented by camb-codegen for each `x-camb-task` of the spec; each
/// method sends one request (no retries: camb-api-ext adds them).
pub trait Task: 'static {
    /// The family's name in the spec (`tts`, `dub`).
    const NAME: &'static str;
    /// How long such a task usually takes, when the spec says
    /// (`typical-seconds`).
    const TYPICAL_SECONDS: Option<u64>;
    /// The create call's builder, to set its body and parameters on.
    type Create<'a>: Send;
    /// What the create call answers (it holds the task id).
    type Created;
    /// What the status call answers.
    type Status;
    /// The error body the family's calls decode (FastAPI's validation
    /// error).
    type ErrorBody;

    /// The create call of `client`, nothing set yet.
    fn create(client: &Client) -> Self::Create<'_>;

    /// Sends a create call built from [`Task::create`].
    fn send_create<'a>(call: Self::Create<'a>) -> Sending<'a, Self::Created, Self::ErrorBody>;

    /// The new task's id in the create call's answer, if it holds one.
    fn task_id(created: &Self::Created) -> Option<&str>;

    /// Asks once for the status of task `task_id`.
    fn status(client: &Client, task_id: String) -> Sending<'_, Self::Status, Self::ErrorBody>;
}

/// A family whose create call may answer the finished work itself instead
/// of a task to wait for (a story: `{run_id, story_details}` or
/// `{task_id}`). camb-codegen implements it when the create's answer is a
/// union of a task (a `task_id`) and one other answer.
pub trait AnswersAtOnce: Task {
    /// The finished work, as the create call answers it.
    type Work;

    /// The work, when `created` is it; else `created` back (a task).
    fn work(created: Self::Created) -> Result<Self::Work, Self::Created>;
}

/// A family whose result is fetched by run id (`result` of its
/// `x-camb-task`).
pub trait TaskResult: Task {
    /// The result call's answer.
    type Result;
    /// The result call's builder, its run id set.
    type ResultCall<'a>: Send;

    /// The result call of `client` for run `run_id`; other parameters (a
    /// format, a language) can still be set on it.
    fn result(client: &Client, run_id: i64) -> Self::ResultCall<'_>;

    /// Sends a result call built from [`TaskResult::result`].
    fn send_result<'a>(call: Self::ResultCall<'a>) -> Sending<'a, Self::Result, Self::ErrorBody>;
}

/// A family with a batch result call (`results` of its `x-camb-task`): the
/// results of many runs, keyed by run id as text.
pub trait TaskResults: Task {
    /// One run's result in the batch answer.
    type Item;

    /// Asks once for the results of `run_ids` (`{"run_ids": [...]}`).
    fn results(
        client: &Client,
        run_ids: Vec<i64>,
    ) -> Sending<'_, HashMap<String, Self::Item>, Self::ErrorBody>;
}

/// What a status value means, as the spec's `x-task-states` says; `None`
/// for a value the spec does not list (a status added later).
pub fn state_of(status: &str) -> Option<TaskState> {
    crate::tasks::TASK_STATES
        .iter()
        .find(|(value, _)| *value == status)
        .map(|(_, state)| *state)
}

/// The `task_id` field of a create call's answer, required or not: how the
/// generated [`Task::task_id`] reads it.
#[doc(hidden)]
pub trait TaskIdField {
    /// The id, if the answer holds one.
    fn as_task_id(&self) -> Option<&str>;
}

impl TaskIdField for String {
    fn as_task_id(&self) -> Option<&str> {
        Some(self)
    }
}

impl TaskIdField for Option<String> {
    fn as_task_id(&self) -> Option<&str> {
        self.as_deref()
    }
}
