//! Every task family of the spec through one set of calls: the family is a
//! type parameter, one of the marker types in [`tasks`] that camb-codegen
//! generates from the spec's `x-camb-task` (see `spec/README.md`, "Task
//! families"). Create a task ([`Camb::create_task`]), ask for its status
//! ([`Camb::task_status`]), wait for it on the one wait engine
//! ([`Camb::wait_for_task`], [`Camb::wait_for_tasks`]), fetch its result
//! ([`Camb::task_result`], [`Camb::task_results`]), or all of it
//! ([`Camb::run_task`]). A family added to the spec needs no line here.
//! Two are particular in one step each: a story's create may answer the
//! story itself ([`Camb::start_task`]), and a project setup's status is a
//! list of runs ([`Camb::wait_for_project_setup`]).
//!
//! ```no_run
//! # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
//! use camb_api_ext::tasks::Transcription;
//!
//! let url = "https://example.com/a.mp4";
//! let task_id = camb
//!     .create_task::<Transcription, _>(|call| async move {
//!         // The create's own builder: the form's fields, typed from the spec.
//!         Ok(call.body_map(|form| form.language(1).media_url(url.to_owned()))) // 1: en-us
//!     })
//!     .await?;
//! let run_id = camb.wait_for_task::<Transcription>(&task_id).await?;
//! let segments = camb.task_result::<Transcription>(run_id).await?;
//! # Ok(()) }
//! ```
//!
//! [`tasks`]: crate::tasks

use std::{future::Future, path::Path};

use camb_api::{
    AnswersAtOnce, ResponseValue, Task, TaskResult, TaskResults,
    multipart::FilePart,
    types::{HttpValidationError, OrchestratorPipelineResult},
};
use futures_util::Stream;
use serde::Serialize;
use tracing::Span;

use crate::{
    Camb, DubStatus, Error, RunId, TaskId, TaskKind, WaitLimits,
    dub::{NeedsRunId, StatusFamily, StatusTasks},
    retry::{self, Resend},
    wait::{Flow, Wait, wait_many, wait_span},
};

/// A wait for one task of a family: `.await` it for the run id. Made by
/// [`Camb::wait_for_task`].
pub type TaskWait<'a> = Wait<'a, RunId, DubStatus>;

/// A family whose status the wait engine reads: its status call answers
/// the spec's task status (`OrchestratorPipelineResult`), as every family
/// but project setup's does.
pub trait PolledTask:
    Task<Status = OrchestratorPipelineResult, ErrorBody = HttpValidationError>
{
}

impl<F> PolledTask for F where
    F: Task<Status = OrchestratorPipelineResult, ErrorBody = HttpValidationError>
{
}

/// The wait engine's family of `F`'s tasks, its waits in `span`.
pub(crate) fn family_in<F: PolledTask>(
    camb: &Camb,
    span: impl Fn(&TaskId) -> Span + Copy + Send + Sync + 'static,
) -> impl StatusTasks<NeedsRunId> + '_ {
    StatusFamily::new(
        camb,
        TaskKind::of_family(F::NAME),
        move |task_id| camb.send(F::status(&camb.raw, task_id)),
        span,
    )
}

/// The wait engine's family of `F`'s tasks, waits in a `wait_for_task`
/// span that names the family.
fn family<F: PolledTask>(camb: &Camb) -> impl StatusTasks<NeedsRunId> + '_ {
    family_in::<F>(camb, |task_id| {
        wait_span!(
            "wait_for_task",
            task_id,
            family = F::NAME,
            run_id = tracing::field::Empty
        )
    })
}

/// What [`Camb::start_task`] started: a task, or nothing to wait for.
#[derive(Clone, Debug)]
pub enum Started<W> {
    /// A task to wait for ([`Camb::wait_for_task`]) and then fetch
    /// ([`Camb::task_result`]).
    Task(TaskId),
    /// The finished work, answered at once.
    Done(W),
}

/// The file at `path` as the file part of a create's form (audio
/// separation's `media_file`, a story's `file`, ...): opened now, streamed
/// from disk when the request is sent. A file that cannot be opened is an
/// [`Error::ReadFile`]. Open it inside the `build` of [`Camb::create_task`]
/// or [`Camb::start_task`], so that each attempt sends it whole.
pub async fn file_part(path: impl AsRef<Path>) -> Result<FilePart, Error> {
    let path = path.as_ref();
    FilePart::path(path)
        .await
        .map_err(|source| Error::ReadFile {
            path: path.to_owned(),
            source: source.into(),
        })
}

impl Camb {
    /// Starts a task of family `F` and returns its id.
    ///
    /// `build` sets the create call's body and parameters on the call it is
    /// given (`|call| async move { Ok(call.body(..)) }`), and is run afresh
    /// for each attempt: creating is not idempotent, so the call is only
    /// resent when the server surely did not act on it (connect failure,
    /// 408, 429), and then a file part must be opened again, since a
    /// streamed file cannot be sent twice. So `build` may wait and fail: a
    /// file opened in it with [`file_part`] is read from its start on every
    /// attempt, and one that cannot be opened ends the call with
    /// [`Error::ReadFile`], nothing sent. A family whose create may answer
    /// the work itself (story) is started with [`Camb::start_task`]; here
    /// such an answer is an [`Error::UnusableResponse`] (with an excerpt of
    /// it).
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{file_part, tasks::{AudioSeparation, Translation}};
    ///
    /// // A JSON body, built from the spec's types.
    /// let task_id = camb
    ///     .create_task::<Translation, _>(|call| async move {
    ///         Ok(call.body_map(|body| {
    ///             body.texts(vec!["Hello there.".to_owned()])
    ///                 .source_language(1) // en-us
    ///                 .target_language(76) // fr-fr
    ///         }))
    ///     })
    ///     .await?;
    /// // A file from disk, streamed, and opened again if the create is resent.
    /// let task_id = camb
    ///     .create_task::<AudioSeparation, _>(|call| async move {
    ///         Ok(call.media_file(file_part("mix.wav").await?))
    ///     })
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub async fn create_task<'a, F, Fut>(
        &'a self,
        build: impl Fn(F::Create<'a>) -> Fut,
    ) -> Result<TaskId, Error>
    where
        F: Task<ErrorBody = HttpValidationError>,
        F::Created: Serialize,
        Fut: Future<Output = Result<F::Create<'a>, Error>> + Send,
    {
        let created = self.created_from::<F, _>(build).await?;
        TaskId::created(F::task_id(&created), &created, &self.key)
    }

    /// Sends `F`'s create call made by `build` for each attempt, resent
    /// only when the server surely did not act on it.
    async fn created_from<'a, F, Fut>(
        &'a self,
        build: impl Fn(F::Create<'a>) -> Fut,
    ) -> Result<F::Created, Error>
    where
        F: Task<ErrorBody = HttpValidationError>,
        Fut: Future<Output = Result<F::Create<'a>, Error>> + Send,
    {
        retry::run(&self.retry, Resend::OnlyIfUnprocessed, None, || async {
            let call = build(F::create(&self.raw)).await?;
            self.send(F::send_create(call)).await
        })
        .await
        .map(ResponseValue::into_inner)
    }

    /// Starts a task of a family whose create may answer the finished work
    /// at once instead ([`AnswersAtOnce`]: a story), and says which it got:
    /// [`Started::Task`] to wait for ([`Camb::wait_for_task`]), or
    /// [`Started::Done`] with the work. `build` is called for each attempt,
    /// as in [`Camb::create_task`] (open the upload in it, with
    /// [`file_part`]: a streamed file cannot be sent twice).
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{Started, file_part, tasks::Story};
    ///
    /// let started = camb
    ///     .start_task::<Story, _>(|call| async move {
    ///         let file = file_part("chapter.txt").await?;
    ///         Ok(call.body_map(|form| form.source_language(1)).file(file)) // 1: en-us
    ///     })
    ///     .await?;
    /// match started {
    ///     Started::Done(story) => println!("run {}: {:?}", story.run_id, story.story_details),
    ///     Started::Task(task_id) => {
    ///         let run_id = camb.wait_for_task::<Story>(&task_id).await?;
    ///         println!("{:?}", camb.task_result::<Story>(run_id).await?);
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn start_task<'a, F, Fut>(
        &'a self,
        build: impl Fn(F::Create<'a>) -> Fut,
    ) -> Result<Started<F::Work>, Error>
    where
        F: AnswersAtOnce<ErrorBody = HttpValidationError>,
        F::Created: Serialize,
        Fut: Future<Output = Result<F::Create<'a>, Error>> + Send,
    {
        match F::work(self.created_from::<F, _>(build).await?) {
            Ok(work) => Ok(Started::Done(work)),
            Err(created) => {
                TaskId::created(F::task_id(&created), &created, &self.key).map(Started::Task)
            }
        }
    }

    /// The current status of task `task_id` of family `F`: one request
    /// (plus retries). A failure status is returned as a status, not an
    /// error; the waits turn it into one.
    pub async fn task_status<F: PolledTask>(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        family::<F>(self).status(task_id).await
    }

    /// Waits until task `task_id` of family `F` ends, and gives its run id:
    /// the engine, policies and settings of every wait (`.on_update(..)`,
    /// `.deadline(..)`, `.poll_policy(..)`, `.error_policy(..)`,
    /// `.watch()`). What each status means is the spec's (`x-task-states`):
    /// a failure is [`Error::TaskFailed`], [`Error::TaskTimedOut`] or
    /// [`Error::PaymentRequired`]; an unknown status keeps the wait going.
    /// It runs in a `wait_for_task` span with the `family`.
    pub fn wait_for_task<F: PolledTask>(&self, task_id: &TaskId) -> TaskWait<'_> {
        Wait::new(family::<F>(self), task_id.clone(), self.policies())
    }

    /// Waits for many tasks of family `F` at once under `limits`, yielding
    /// `(task_id, outcome)` for each as it ends; see
    /// [`Camb::wait_for_dubs`].
    pub fn wait_for_tasks<F, I>(
        &self,
        ids: I,
        limits: WaitLimits,
    ) -> impl Stream<Item = (TaskId, Result<RunId, Error>)> + Send + '_
    where
        F: PolledTask,
        I: IntoIterator<Item = TaskId>,
        I::IntoIter: Send + 'static,
    {
        wait_many(family::<F>(self), self.policies(), ids, limits)
    }

    /// The result of run `run_id` of family `F` (one request, plus
    /// retries).
    pub async fn task_result<F>(&self, run_id: RunId) -> Result<F::Result, Error>
    where
        F: TaskResult<ErrorBody = HttpValidationError>,
    {
        self.task_result_with::<F>(run_id, |call| call).await
    }

    /// [`Camb::task_result`] with more parameters set on the call by
    /// `build` (a format, a language).
    pub async fn task_result_with<'a, F>(
        &'a self,
        run_id: RunId,
        build: impl Fn(F::ResultCall<'a>) -> F::ResultCall<'a>,
    ) -> Result<F::Result, Error>
    where
        F: TaskResult<ErrorBody = HttpValidationError>,
    {
        let id = run_id.checked()?;
        self.call(Resend::Idempotent, || {
            F::send_result(build(F::result(&self.raw, id)))
        })
        .await
    }

    /// The results of many runs of family `F` with its batch call, in
    /// [`RESULTS_PER_REQUEST`](crate::RESULTS_PER_REQUEST)-sized requests:
    /// every requested id (repeats removed), in order, with its result or
    /// [`Error::ResultMissing`]. A failed request fails the call.
    pub async fn task_results<F>(
        &self,
        run_ids: impl IntoIterator<Item = RunId>,
    ) -> Result<Vec<(RunId, Result<F::Item, Error>)>, Error>
    where
        F: TaskResults<ErrorBody = HttpValidationError>,
    {
        self.batch_results(run_ids, |run_ids| F::results(&self.raw, run_ids))
            .await
    }

    /// The whole flow for family `F`: creates the task (`build` as in
    /// [`Camb::create_task`]), waits for it and fetches its result.
    /// Configure its wait like any other before `.await`ing.
    pub fn run_task<'a, F, Fut>(
        &'a self,
        build: impl Fn(F::Create<'a>) -> Fut + Send + Sync + 'a,
    ) -> Flow<'a, F::Result, DubStatus>
    where
        F: PolledTask + TaskResult<ErrorBody = HttpValidationError>,
        F::Created: Serialize + Send,
        F::Result: Send,
        Fut: Future<Output = Result<F::Create<'a>, Error>> + Send + 'a,
    {
        Flow::new(self.policies(), move |options| async move {
            let task_id = self.create_task::<F, _>(build).await?;
            tracing::info!(%task_id, family = F::NAME, "task created");
            let run_id = self
                .wait_for_task::<F>(&task_id)
                .with_options(options)
                .await?;
            self.task_result::<F>(run_id).await
        })
    }
}
