//! The wait engine: a loop of status polls ([`Watch`]) under a
//! [`PollPolicy`], a [`WaitErrorPolicy`] and, for many waits at once,
//! [`WaitLimits`]. Dubs ([`Camb::wait`](crate::Camb::wait)) and exports
//! ([`Camb::wait_for_export`](crate::Camb::wait_for_export)) are its status
//! sources.
//!
//! A wait runs in the caller's own future: nothing is spawned, so dropping
//! the future (or the stream) stops it at once.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use camb_api::TaskStatus;
use futures_util::{Stream, StreamExt, stream};
use tokio::time::Instant;
use tracing::{Instrument, Span};

mod limits;
mod poll;

pub use limits::WaitLimits;
pub use poll::{PollPolicy, PollSchedule};

use crate::{
    DubStatus, Error, RetryPolicy, RunId, TaskId,
    dub::Outcome,
    retry::{self, Delays, Resend},
};
pub(crate) use limits::RequestGate;
use limits::later;
use poll::next_poll;

/// Which errors of a status poll end a wait.
///
/// An error that cannot heal (401, 403, 404, 422, an undecodable or
/// unusable response) always ends it. A transient one (connection trouble,
/// 408, 429, 5xx, after the per-request retries of the [`RetryPolicy`]) keeps
/// it going until the deadline, by default; the next poll follows the normal
/// schedule or the server's `Retry-After`.
///
/// ```
/// use camb_api_ext::WaitErrorPolicy;
///
/// // Give up after three failed polls in a row.
/// let policy = WaitErrorPolicy::default().with_max_failures_in_a_row(Some(3));
/// # let _ = policy;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitErrorPolicy {
    max_failures_in_a_row: Option<u32>,
}

impl WaitErrorPolicy {
    /// End the wait once this many polls in a row have failed with transient
    /// errors; `None` (the default) keeps going until the deadline, `Some(1)`
    /// ends it at the first failed poll.
    pub fn with_max_failures_in_a_row(mut self, max: Option<u32>) -> Self {
        self.max_failures_in_a_row = max;
        self
    }

    /// Whether a wait goes on after `error`, the `failures_in_a_row`-th
    /// failed poll in a row.
    pub fn keeps_waiting(&self, error: &Error, failures_in_a_row: u32) -> bool {
        error.is_retryable()
            && self
                .max_failures_in_a_row
                .is_none_or(|max| failures_in_a_row < max)
    }
}

/// What one poll of a wait saw: the item of [`Camb::watch_dub`](crate::Camb::watch_dub) and the
/// argument of [`DubWait::on_update`](crate::DubWait::on_update).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatusUpdate {
    /// The task being waited for.
    pub task_id: TaskId,
    /// Its status; an unknown value ([`TaskStatus::Unknown`]) keeps the wait
    /// going and shows up here as received.
    pub status: TaskStatus,
    /// Set when the task succeeded.
    pub run_id: Option<RunId>,
    /// The number of this poll, from 1 (failed polls count too).
    pub attempt: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// When the next poll happens; `None` after the last one.
    pub next_poll_in: Option<Duration>,
}

impl fmt::Display for StatusUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task {}: {} (poll {}, {:.0?} elapsed",
            self.task_id, self.status, self.attempt, self.elapsed
        )?;
        match (self.run_id, self.next_poll_in) {
            (Some(run_id), _) => write!(f, ", run {run_id})"),
            (None, Some(next)) => write!(f, ", next poll in {next:.1?})"),
            (None, None) => f.write_str(")"),
        }
    }
}

/// One status request, without retries: what waits need from a client.
/// [`Camb`] asks about dubs (`GET /dub/{task_id}`),
/// [`ExportTasks`](crate::export::ExportTasks) about alt-format exports
/// (`GET /dub-alt-format/{task_id}`); tests use fakes.
pub(crate) trait StatusSource: Sync {
    /// Asks once for `task_id`'s status.
    fn status_once(&self, task_id: &TaskId) -> impl Future<Output = Result<Polled, Error>> + Send;

    /// Whether `SUCCESS` must come with a `run_id` (a dub's result is
    /// fetched with it; an export's file is not).
    fn expects_run_id(&self) -> bool {
        true
    }

    /// The `tracing` span a wait on `task_id` runs in; its `attempts` and
    /// `run_id` fields are filled as the wait goes.
    fn span(&self, task_id: &TaskId) -> Span {
        tracing::info_span!(
            "wait_for_dub",
            task_id = %task_id,
            attempts = 0u32,
            run_id = tracing::field::Empty,
        )
    }

    /// Whether a request still running at a wait's deadline is cut there
    /// (see [`CambBuilder::cut_requests_at_deadline`](crate::CambBuilder::cut_requests_at_deadline)).
    fn cuts_requests_at_deadline(&self) -> bool {
        true
    }
}

impl<S: StatusSource> StatusSource for &S {
    fn status_once(&self, task_id: &TaskId) -> impl Future<Output = Result<Polled, Error>> + Send {
        (**self).status_once(task_id)
    }

    fn expects_run_id(&self) -> bool {
        (**self).expects_run_id()
    }

    fn span(&self, task_id: &TaskId) -> Span {
        (**self).span(task_id)
    }

    fn cuts_requests_at_deadline(&self) -> bool {
        (**self).cuts_requests_at_deadline()
    }
}

/// A status and the server's hint of when to ask again.
#[derive(Debug)]
pub(crate) struct Polled {
    pub(crate) status: DubStatus,
    pub(crate) retry_after: Option<Duration>,
}

impl Polled {
    /// Reads one status answer (of a dub or an export task).
    pub(crate) fn from_response(
        response: camb_api::ResponseValue<camb_api::types::OrchestratorPipelineResult>,
        key: &crate::ApiKey,
    ) -> Result<Polled, Error> {
        let retry_after = crate::retry::server_hint(response.headers());
        let status = DubStatus::from_response(response.into_inner(), key)?;
        Ok(Polled {
            status,
            retry_after,
        })
    }
}

/// One status request with retries, admitted by `gate` if given, never
/// sleeping past `not_after`. [`Camb::status`] and every poll use it.
pub(crate) async fn poll_status<S: StatusSource>(
    source: &S,
    retry: &RetryPolicy,
    gate: Option<&RequestGate>,
    not_after: Option<Instant>,
    task_id: &TaskId,
) -> Result<Polled, Error> {
    retry::run(retry, Resend::Idempotent, not_after, || async {
        let _permit = match gate {
            Some(gate) => gate.enter().await,
            None => None,
        };
        // Boxed: a wait spends nearly all its life asleep, and an unboxed
        // request future would make every sleeping wait as large as one in
        // flight (5.7 KB instead of 2.2 KB each; see BENCHMARKS.md, bench 3).
        Box::pin(source.status_once(task_id)).await
    })
    .await
}

/// How many `SUCCESS` answers without a `run_id` a wait accepts before it
/// gives up with [`Error::SucceededWithoutRunId`]: the server may fill the
/// run id in a moment later, but not never.
pub(crate) const MAX_SUCCESS_WITHOUT_RUN_ID: u32 = 3;

/// How long the final poll, made right at the deadline, may take: a request
/// of a wait ends at the deadline, or this long after it started if that is
/// later, so a wait never outlives its deadline by more than this.
const FINAL_POLL_LIMIT: Duration = Duration::from_secs(10);

/// The result of one step of a [`Watch`].
enum Step {
    /// Still running.
    Running(StatusUpdate),
    /// Succeeded; the update is the last one. The run id is `None` only
    /// for a source that does not expect one.
    Succeeded(StatusUpdate, Option<RunId>),
    /// Over, with this error.
    Failed(Error),
}

/// The state of one wait: polls until the task ends or the deadline passes.
pub(crate) struct Watch<'a, S> {
    source: S,
    retry: &'a RetryPolicy,
    gate: Option<Arc<RequestGate>>,
    errors: WaitErrorPolicy,
    deadline: Option<Duration>,
    delays: Delays,
    min_delay: Duration,
    max_delay: Duration,
    pub(crate) task_id: TaskId,
    /// Set at the first poll, so a stream not yet polled does not age.
    started: Option<Instant>,
    /// When the next poll happens, from `started`.
    next_at: Duration,
    polls: u32,
    failures_in_a_row: u32,
    /// `SUCCESS` answers seen without a run id.
    success_without_run_id: u32,
    last_status: Option<TaskStatus>,
    span: Span,
}

impl<'a, S: StatusSource> Watch<'a, S> {
    pub(crate) fn new(
        source: S,
        retry: &'a RetryPolicy,
        gate: Option<Arc<RequestGate>>,
        task_id: TaskId,
        poll: &PollPolicy,
        errors: WaitErrorPolicy,
    ) -> Result<Self, Error> {
        poll.check()?;
        let span = source.span(&task_id);
        Ok(Watch {
            source,
            retry,
            gate,
            errors,
            deadline: poll.deadline(),
            delays: poll.delays(),
            min_delay: poll.backoff().initial(),
            max_delay: poll.backoff().max(),
            task_id,
            started: None,
            next_at: Duration::ZERO,
            polls: 0,
            failures_in_a_row: 0,
            success_without_run_id: 0,
            last_status: None,
            span,
        })
    }

    /// Sleeps until the next poll and polls until something is worth
    /// reporting. Not to be called again after `Succeeded` or `Failed`.
    async fn step(&mut self) -> Step {
        let span = self.span.clone();
        self.step_in_span().instrument(span).await
    }

    async fn step_in_span(&mut self) -> Step {
        let started = *self.started.get_or_insert_with(Instant::now);
        // A deadline too far to add to an instant is no deadline.
        let not_after = self
            .deadline
            .and_then(|deadline| started.checked_add(deadline));
        loop {
            tokio::time::sleep_until(later(started, self.next_at)).await;
            self.polls += 1;
            self.span.record("attempts", self.polls);
            let gate = self.gate.as_deref();
            let poll = poll_status(&self.source, self.retry, gate, not_after, &self.task_id);
            let cut_at = not_after.filter(|_| self.source.cuts_requests_at_deadline());
            let polled = match cut_at {
                Some(limit) => {
                    // Even a request stuck on a silent connection, with no
                    // timeout of its own, ends here.
                    let limit = limit.max(Instant::now() + FINAL_POLL_LIMIT);
                    match tokio::time::timeout_at(limit, poll).await {
                        Ok(polled) => polled,
                        Err(_) => {
                            tracing::warn!("a status request was still running at the deadline");
                            return Step::Failed(self.deadline_exceeded(started.elapsed(), None));
                        }
                    }
                }
                None => poll.await,
            };
            let elapsed = started.elapsed();
            match polled {
                Ok(polled) => return self.on_status(polled, elapsed),
                Err(err) => {
                    self.failures_in_a_row += 1;
                    if !self.errors.keeps_waiting(&err, self.failures_in_a_row) {
                        tracing::warn!(error = %err, "status poll failed; the wait ends");
                        return Step::Failed(err);
                    }
                    tracing::warn!(error = %err, "status poll failed; the wait goes on");
                    let delay = self.delay_after(err.retry_after());
                    match next_poll(elapsed, delay, self.deadline) {
                        Some(at) => self.next_at = at,
                        None => return Step::Failed(self.deadline_exceeded(elapsed, Some(err))),
                    }
                }
            }
        }
    }

    fn on_status(&mut self, polled: Polled, elapsed: Duration) -> Step {
        self.failures_in_a_row = 0;
        let Polled {
            status,
            retry_after,
        } = polled;
        if status.status.is_unknown() && self.last_status.as_ref() != Some(&status.status) {
            tracing::warn!(status = %status.status, "unknown task status; still waiting");
        }
        self.last_status = Some(status.status.clone());
        match status.outcome(&self.task_id) {
            Outcome::Succeeded(run_id) => {
                self.span.record("run_id", run_id.get());
                tracing::info!(%run_id, "dub finished");
                Step::Succeeded(self.update(&status, elapsed, None), Some(run_id))
            }
            Outcome::SucceededWithoutRunId if !self.source.expects_run_id() => {
                tracing::info!("task finished");
                Step::Succeeded(self.update(&status, elapsed, None), None)
            }
            Outcome::Failed(err) => {
                tracing::info!(error = %err, "dub ended without a result");
                Step::Failed(err)
            }
            Outcome::SucceededWithoutRunId
                if self.success_without_run_id + 1 >= MAX_SUCCESS_WITHOUT_RUN_ID =>
            {
                self.success_without_run_id += 1;
                let err = Error::SucceededWithoutRunId {
                    task_id: self.task_id.clone(),
                    polls: self.success_without_run_id,
                };
                tracing::warn!(error = %err, "the wait ends");
                Step::Failed(err)
            }
            outcome @ (Outcome::Running | Outcome::SucceededWithoutRunId) => {
                if matches!(outcome, Outcome::SucceededWithoutRunId) {
                    self.success_without_run_id += 1;
                    tracing::warn!("SUCCESS without a run_id; asking again");
                }
                let delay = self.delay_after(retry_after);
                match next_poll(elapsed, delay, self.deadline) {
                    Some(at) => {
                        self.next_at = at;
                        let next_poll_in = at.saturating_sub(elapsed);
                        tracing::debug!(status = %status.status, ?next_poll_in, "still running");
                        Step::Running(self.update(&status, elapsed, Some(next_poll_in)))
                    }
                    None => Step::Failed(self.deadline_exceeded(elapsed, None)),
                }
            }
        }
    }

    fn update(
        &self,
        status: &DubStatus,
        elapsed: Duration,
        next_poll_in: Option<Duration>,
    ) -> StatusUpdate {
        StatusUpdate {
            task_id: self.task_id.clone(),
            status: status.status.clone(),
            run_id: status.run_id,
            attempt: self.polls,
            elapsed,
            next_poll_in,
        }
    }

    /// The delay before the next poll: the server's hint if it gave one,
    /// but never below the policy's floor (`Retry-After: 0` must not cause a
    /// request storm), else the next of the schedule.
    fn delay_after(&mut self, hint: Option<Duration>) -> Duration {
        match hint {
            Some(hint) => hint.max(self.min_delay),
            None => self.next_delay(),
        }
    }

    fn next_delay(&mut self) -> Duration {
        self.delays.next().unwrap_or(self.max_delay)
    }

    fn deadline_exceeded(&self, elapsed: Duration, last_error: Option<Error>) -> Error {
        let err = Error::DeadlineExceeded {
            task_id: self.task_id.clone(),
            elapsed,
            polls: self.polls,
            last_status: self.last_status.clone(),
            last_error: last_error.map(Box::new),
        };
        tracing::warn!(error = %err, "wait deadline passed");
        err
    }

    /// Polls to the end, telling `on_update` about every status seen.
    pub(crate) async fn finish(
        mut self,
        mut on_update: impl FnMut(&StatusUpdate),
    ) -> Result<Option<RunId>, Error> {
        loop {
            match self.step().await {
                Step::Running(update) => on_update(&update),
                Step::Succeeded(update, run_id) => {
                    on_update(&update);
                    return Ok(run_id);
                }
                Step::Failed(err) => return Err(err),
            }
        }
    }

    /// The steps as a stream that ends after the last one.
    pub(crate) fn into_stream(self) -> impl Stream<Item = Result<StatusUpdate, Error>> + Send + 'a
    where
        S: Send + 'a,
    {
        stream::unfold(Some(self), |watch| async move {
            let mut watch = watch?;
            Some(match watch.step().await {
                Step::Running(update) => (Ok(update), Some(watch)),
                Step::Succeeded(update, _) => (Ok(update), None),
                Step::Failed(err) => (Err(err), None),
            })
        })
    }
}

/// Waits for every task in `ids` under shared `limits`, yielding each
/// outcome as it comes.
pub(crate) fn wait_many<'a, S, I>(
    source: &'a S,
    retry: &'a RetryPolicy,
    poll: &PollPolicy,
    errors: WaitErrorPolicy,
    ids: I,
    limits: WaitLimits,
) -> impl Stream<Item = (TaskId, Result<RunId, Error>)> + Send + 'a
where
    S: StatusSource + 'a,
    I: IntoIterator<Item = TaskId>,
    I::IntoIter: Send + 'a,
{
    let gate = Arc::new(RequestGate::new(limits));
    let poll = poll.clone();
    stream::iter(ids)
        .map(move |task_id| {
            let watch = Watch::new(
                source,
                retry,
                Some(gate.clone()),
                task_id.clone(),
                &poll,
                errors,
            );
            async move {
                let outcome = match watch {
                    Ok(watch) => watch
                        .finish(|_| {})
                        .await
                        .and_then(|run_id| with_run_id(&task_id, run_id)),
                    Err(err) => Err(err),
                };
                (task_id, outcome)
            }
        })
        // Every task is watched at once; the gate bounds the requests.
        .buffer_unordered(usize::MAX)
}

/// The run id of a finished dub wait. Its sources always expect one, so
/// `None` means the wait ended on `SUCCESS` without it.
pub(crate) fn with_run_id(task_id: &TaskId, run_id: Option<RunId>) -> Result<RunId, Error> {
    run_id.ok_or_else(|| Error::SucceededWithoutRunId {
        task_id: task_id.clone(),
        polls: 1,
    })
}

#[cfg(test)]
mod tests;
