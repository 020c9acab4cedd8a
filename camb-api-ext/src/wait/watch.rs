//! [`Watch`]: the loop of one wait. Poll, ask the acceptor, sleep on the
//! schedule, stop at the deadline; and [`wait_many`], many watches under
//! one request gate.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use futures_util::{Stream, StreamExt, stream};
use tokio::time::Instant;
use tracing::{Instrument, Span};

use super::{
    Acceptor, FailedPoll, PollPolicy, Polled, Progress, TaskFamily, Verdict, WaitErrorPolicy,
    WaitLimits,
    limits::{RequestGate, later},
    poll::next_poll,
};
use crate::{
    Error, RetryPolicy, TaskId,
    duration_text::DurationText,
    retry::{self, Delays, Resend},
};

/// How long the final poll, made right at the deadline, may take: a request
/// of a wait ends at the deadline, or this long after it started if that is
/// later, so a wait never outlives its deadline by more than this.
const FINAL_POLL_LIMIT: Duration = Duration::from_secs(10);

/// Everything a wait follows, apart from its family.
#[derive(Clone, Debug)]
pub(crate) struct Policies<'a> {
    /// Retries of each status request.
    pub(crate) retry: &'a RetryPolicy,
    /// The schedule and the deadline.
    pub(crate) poll: PollPolicy,
    /// Which failed polls end the wait.
    pub(crate) errors: WaitErrorPolicy,
    /// Whether a request still running at the deadline is cut there (see
    /// [`CambBuilder::cut_requests_at_deadline`](crate::CambBuilder::cut_requests_at_deadline)).
    pub(crate) cut_requests_at_deadline: bool,
    /// Whether the client has ever reached the server, and where it is:
    /// for [`WaitErrorPolicy::unreachable_limit`]. `None`: not known (the
    /// limit does not apply).
    pub(crate) reach: Option<Reach<'a>>,
}

/// The server a client talks to, and whether it ever answered.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Reach<'a> {
    /// The client's base URL, for the error.
    pub(crate) base_url: &'a str,
    /// Set once any request of the client got an answer (any status).
    pub(crate) answered: &'a AtomicBool,
}

/// One status request with retries, admitted by `gate` if given, never
/// sleeping past `not_after`. Single status calls and every poll use it.
pub(crate) async fn poll_with_retries<F: TaskFamily>(
    family: &F,
    retry: &RetryPolicy,
    gate: Option<&RequestGate>,
    not_after: Option<Instant>,
    task_id: &TaskId,
) -> Result<Polled<F::Answer>, Error> {
    retry::run(retry, Resend::Idempotent, not_after, || async {
        let _permit = match gate {
            Some(gate) => gate.enter().await,
            None => None,
        };
        // Boxed: a wait spends nearly all its life asleep, and an unboxed
        // request future would make every sleeping wait as large as one in
        // flight (5.7 KB instead of 2.2 KB each; see BENCHMARKS.md, bench 3).
        Box::pin(family.poll_once(task_id)).await
    })
    .await
}

/// The result of one step of a [`Watch`].
pub(crate) enum Step<S, T> {
    /// Still running.
    Running(Progress<S>),
    /// Done; the update is the last one.
    Done(Progress<S>, T),
    /// A poll failed; the wait goes on.
    PollFailed(FailedPoll),
    /// Over, with this error.
    Failed(Error),
}

/// The state of one wait: polls until the acceptor says it is over or the
/// deadline passes.
pub(crate) struct Watch<'a, F: TaskFamily> {
    family: F,
    acceptor: F::Acceptor,
    task_id: TaskId,
    span: Span,
    retry: &'a RetryPolicy,
    gate: Option<Arc<RequestGate>>,
    errors: WaitErrorPolicy,
    cut_requests_at_deadline: bool,
    reach: Option<Reach<'a>>,
    deadline: Option<Duration>,
    delays: Delays,
    min_delay: Duration,
    max_delay: Duration,
    /// Set at the first poll, so a stream not yet polled does not age.
    started: Option<Instant>,
    /// When the next poll happens, from `started`.
    next_at: Duration,
    polls: u32,
    failures_in_a_row: u32,
    /// Failed polls in all, to log only the first one loudly.
    failed_polls: u32,
    /// Whether `polls` is in the span yet (it is recorded once).
    polls_recorded: bool,
}

type Output<F> = <<F as TaskFamily>::Acceptor as Acceptor>::Output;

impl<'a, F: TaskFamily> Watch<'a, F> {
    /// A wait on `task_id`, or why its policies make none.
    pub(crate) fn new(
        family: F,
        task_id: TaskId,
        policies: &Policies<'a>,
        gate: Option<Arc<RequestGate>>,
    ) -> Result<Self, Error> {
        let poll = &policies.poll;
        poll.check()?;
        Ok(Watch {
            acceptor: family.acceptor(&task_id),
            span: family.span(&task_id),
            family,
            task_id,
            retry: policies.retry,
            gate,
            errors: policies.errors,
            cut_requests_at_deadline: policies.cut_requests_at_deadline,
            reach: policies.reach,
            deadline: poll.deadline(),
            delays: poll.delays(),
            min_delay: poll.backoff().initial(),
            max_delay: poll.backoff().max(),
            started: None,
            next_at: Duration::ZERO,
            polls: 0,
            failures_in_a_row: 0,
            failed_polls: 0,
            polls_recorded: false,
        })
    }

    /// Sleeps until the next poll and polls until something is worth
    /// reporting. Not to be called again after `Done` or `Failed`.
    async fn step(&mut self) -> Step<F::Answer, Output<F>> {
        let span = self.span.clone();
        self.step_in_span().instrument(span).await
    }

    async fn step_in_span(&mut self) -> Step<F::Answer, Output<F>> {
        let started = *self.started.get_or_insert_with(Instant::now);
        // A deadline too far to add to an instant is no deadline.
        let not_after = self
            .deadline
            .and_then(|deadline| started.checked_add(deadline));
        {
            tokio::time::sleep_until(later(started, self.next_at)).await;
            self.polls += 1;
            let gate = self.gate.as_deref();
            let poll = poll_with_retries(&self.family, self.retry, gate, not_after, &self.task_id);
            let cut_at = not_after.filter(|_| self.cut_requests_at_deadline);
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
                Ok(polled) => self.on_answer(polled, elapsed),
                Err(err) => {
                    self.failures_in_a_row += 1;
                    let never_reached = self.never_reached(&err);
                    if let Some(limit) = never_reached.filter(|limit| elapsed >= *limit) {
                        self.end();
                        let err = Error::Unreachable {
                            base_url: self
                                .reach
                                .map(|r| r.base_url)
                                .unwrap_or_default()
                                .to_owned(),
                            elapsed,
                            polls: self.polls,
                            last_error: Box::new(err),
                        };
                        tracing::warn!(error = %err, ?limit, "the API was never reached; the wait ends");
                        return Step::Failed(err);
                    }
                    if !self.errors.keeps_waiting(&err, self.failures_in_a_row) {
                        self.end();
                        tracing::warn!(error = %err, "status poll failed; the wait ends");
                        return Step::Failed(err);
                    }
                    // The first failure at WARN, the rest at DEBUG: a server
                    // down (or flaky) for hours must not log every poll.
                    self.failed_polls += 1;
                    if self.failed_polls == 1 {
                        tracing::warn!(error = %err, "status poll failed; the wait goes on (later failures log at DEBUG)");
                    } else {
                        tracing::debug!(error = %err, self.failures_in_a_row, "status poll failed; the wait goes on");
                    }
                    let delay = self.delay_after(err.retry_after());
                    // Never reached: the last try is right at the limit.
                    let deadline = match (self.deadline, never_reached) {
                        (Some(deadline), Some(limit)) => Some(deadline.min(limit)),
                        (deadline, limit) => deadline.or(limit),
                    };
                    let Some(at) = next_poll(elapsed, delay, deadline) else {
                        return Step::Failed(self.deadline_exceeded(elapsed, Some(err)));
                    };
                    self.next_at = at;
                    Step::PollFailed(FailedPoll {
                        task_id: self.task_id.clone(),
                        error: err,
                        polls: self.polls,
                        failures_in_a_row: self.failures_in_a_row,
                        elapsed,
                        next_poll_in: at.saturating_sub(elapsed),
                    })
                }
            }
        }
    }

    /// The unreachable limit, when `err` is a failure to connect and the
    /// client has never reached the server; `None` otherwise.
    fn never_reached(&self, err: &Error) -> Option<Duration> {
        let reach = self.reach?;
        let limit = self.errors.unreachable_limit()?;
        let refused = matches!(err, Error::Transport { source } if source.is_connect());
        (refused && !reach.answered.load(Ordering::Relaxed)).then_some(limit)
    }

    fn on_answer(
        &mut self,
        polled: Polled<F::Answer>,
        elapsed: Duration,
    ) -> Step<F::Answer, Output<F>> {
        self.failures_in_a_row = 0;
        let Polled {
            answer,
            retry_after,
        } = polled;
        match self.acceptor.accept(&answer, &self.span) {
            Verdict::Done(output) => {
                self.end();
                tracing::info!(elapsed = %DurationText(elapsed), "the task finished");
                Step::Done(self.progress(answer, elapsed, None), output)
            }
            Verdict::Failed(err) => {
                self.end();
                tracing::info!(error = %err, "the task ended without a result");
                Step::Failed(err)
            }
            Verdict::Waiting => {
                let delay = self.delay_after(retry_after);
                match next_poll(elapsed, delay, self.deadline) {
                    Some(at) => {
                        self.next_at = at;
                        let next_poll_in = at.saturating_sub(elapsed);
                        tracing::debug!(polls = self.polls, ?next_poll_in, "still running");
                        Step::Running(self.progress(answer, elapsed, Some(next_poll_in)))
                    }
                    None => Step::Failed(self.deadline_exceeded(elapsed, None)),
                }
            }
        }
    }

    fn progress(
        &self,
        status: F::Answer,
        elapsed: Duration,
        next_poll_in: Option<Duration>,
    ) -> Progress<F::Answer> {
        Progress {
            task_id: self.task_id.clone(),
            status,
            polls: self.polls,
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
            None => self.delays.next().unwrap_or(self.max_delay),
        }
    }

    fn deadline_exceeded(&mut self, elapsed: Duration, last_error: Option<Error>) -> Error {
        self.end();
        let err = self
            .acceptor
            .deadline_exceeded(elapsed, self.polls, last_error);
        tracing::warn!(error = %err, "wait deadline passed");
        err
    }

    /// Records the one fact the engine adds to the span, once.
    fn end(&mut self) {
        if !self.polls_recorded {
            self.polls_recorded = true;
            self.span.record("polls", self.polls);
        }
    }

    /// Polls to the end, telling `on_update` about every answer.
    pub(crate) async fn finish(
        self,
        on_update: impl FnMut(&Progress<F::Answer>),
    ) -> Result<Output<F>, Error> {
        self.finish_with(on_update, |_| {}).await
    }

    /// Polls to the end, telling `on_update` about every answer and
    /// `on_failed_poll` about every failed poll the wait survives.
    pub(crate) async fn finish_with(
        mut self,
        mut on_update: impl FnMut(&Progress<F::Answer>),
        mut on_failed_poll: impl FnMut(&FailedPoll),
    ) -> Result<Output<F>, Error> {
        loop {
            match self.step().await {
                Step::Running(update) => on_update(&update),
                Step::PollFailed(failure) => on_failed_poll(&failure),
                Step::Done(update, output) => {
                    on_update(&update);
                    return Ok(output);
                }
                Step::Failed(err) => return Err(err),
            }
        }
    }

    /// The steps as a stream that ends after the last one.
    pub(crate) fn into_stream(
        self,
    ) -> impl Stream<Item = Result<Progress<F::Answer>, Error>> + Send + 'a
    where
        F: Send + 'a,
    {
        stream::unfold(Some(self), |watch| async move {
            let mut watch = watch?;
            loop {
                return Some(match watch.step().await {
                    Step::PollFailed(_) => continue,
                    Step::Running(update) => (Ok(update), Some(watch)),
                    Step::Done(update, _) => (Ok(update), None),
                    Step::Failed(err) => (Err(err), None),
                });
            }
        })
    }
}

impl<F: TaskFamily> Drop for Watch<'_, F> {
    /// A wait dropped half-way still says how many polls it made.
    fn drop(&mut self) {
        self.end();
    }
}

/// Waits for every task in `ids` under shared `limits`, yielding each
/// outcome as it comes.
pub(crate) fn wait_many<'a, F, I>(
    family: F,
    policies: Policies<'a>,
    ids: I,
    limits: WaitLimits,
) -> impl Stream<Item = (TaskId, Result<Output<F>, Error>)> + Send + 'a
where
    F: TaskFamily + Copy + Send + 'a,
    F::Acceptor: 'a,
    Output<F>: Send,
    I: IntoIterator<Item = TaskId>,
    I::IntoIter: Send + 'a,
{
    let gate = Arc::new(RequestGate::new(limits));
    stream::iter(ids)
        .map(move |task_id| {
            let watch = Watch::new(family, task_id.clone(), &policies, Some(gate.clone()));
            async move {
                let outcome = match watch {
                    Ok(watch) => watch.finish(|_| {}).await,
                    Err(err) => Err(err),
                };
                (task_id, outcome)
            }
        })
        // Every task is watched at once; the gate bounds the requests.
        .buffer_unordered(usize::MAX)
}
