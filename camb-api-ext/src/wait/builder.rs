//! [`Wait`] and [`Flow`]: every wait, and every flow around one, has the
//! same shape: configure with `.on_update(..)`, `.deadline(..)`,
//! `.poll_policy(..)`, `.error_policy(..)`, then `.await`.

use std::{
    fmt,
    future::{Future, IntoFuture},
    time::Duration,
};

use futures_util::{
    Stream, StreamExt,
    future::BoxFuture,
    stream::{self, BoxStream},
};

use super::{
    Acceptor, FailedPoll, Policies, PollPolicy, Progress, TaskFamily, WaitErrorPolicy, Watch,
};
use crate::{Error, TaskId};

/// A progress hook.
type OnUpdate<'a, S> = Box<dyn FnMut(&Progress<S>) + Send + 'a>;

/// A hook for failed polls.
type OnFailedPoll<'a> = Box<dyn FnMut(&FailedPoll) + Send + 'a>;

/// The hooks of a wait.
struct Hooks<'a, S> {
    on_update: Option<OnUpdate<'a, S>>,
    on_failed_poll: Option<OnFailedPoll<'a>>,
}

/// What a caller set on a [`Wait`] or a [`Flow`].
pub(crate) struct WaitOptions<'a, S> {
    policies: Policies<'a>,
    /// Set by [`Wait::deadline`]: replaces the poll policy's own.
    deadline: Option<Option<Duration>>,
    on_update: Option<OnUpdate<'a, S>>,
    on_failed_poll: Option<OnFailedPoll<'a>>,
}

impl<'a, S> WaitOptions<'a, S> {
    /// The client's policies, no hook.
    pub(crate) fn new(policies: Policies<'a>) -> Self {
        WaitOptions {
            policies,
            deadline: None,
            on_update: None,
            on_failed_poll: None,
        }
    }

    /// The policies with the deadline applied, and the hooks.
    fn into_parts(self) -> (Policies<'a>, Hooks<'a, S>) {
        let mut policies = self.policies;
        if let Some(deadline) = self.deadline {
            policies.poll = policies.poll.with_deadline(deadline);
        }
        let hooks = Hooks {
            on_update: self.on_update,
            on_failed_poll: self.on_failed_poll,
        };
        (policies, hooks)
    }
}

impl<S> fmt::Debug for WaitOptions<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitOptions")
            .field("poll", &self.policies.poll)
            .field("errors", &self.policies.errors)
            .field("deadline", &self.deadline)
            .field("on_update", &self.on_update.is_some())
            .field("on_failed_poll", &self.on_failed_poll.is_some())
            .finish_non_exhaustive()
    }
}

/// The setters every wait and flow has, written once.
macro_rules! wait_setters {
    ($s:ident) => {
        /// Calls `on_update` with every status seen, for a live progress
        /// line or a log of every change. Failed polls go to
        /// [`on_failed_poll`](Self::on_failed_poll).
        pub fn on_update(mut self, on_update: impl FnMut(&Progress<$s>) + Send + 'a) -> Self {
            self.options.on_update = Some(Box::new(on_update));
            self
        }

        /// Calls `on_failed_poll` with every status poll that failed (after
        /// the per-request retries) and did not end the wait: its error,
        /// and when the next try is. Without it a server that keeps
        /// failing is only logged (`tracing`).
        pub fn on_failed_poll(
            mut self,
            on_failed_poll: impl FnMut(&FailedPoll) + Send + 'a,
        ) -> Self {
            self.options.on_failed_poll = Some(Box::new(on_failed_poll));
            self
        }

        /// Gives up after `deadline` (one final poll happens right at it)
        /// with [`Error::DeadlineExceeded`], instead of the poll policy's
        /// deadline; see [`PollPolicy::with_deadline`].
        pub fn deadline(mut self, deadline: Duration) -> Self {
            self.options.deadline = Some(Some(deadline));
            self
        }

        /// How this wait polls, instead of the client's
        /// [`PollPolicy`]; a [`deadline`](Self::deadline) set too wins.
        pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
            self.options.policies.poll = policy;
            self
        }

        /// Which failed polls end this wait, instead of the client's
        /// [`WaitErrorPolicy`].
        pub fn error_policy(mut self, policy: WaitErrorPolicy) -> Self {
            self.options.policies.errors = policy;
            self
        }
    };
}

/// A wait for one task, to configure and then `.await` (or turn into a
/// stream with [`Wait::watch`]). Dubs ([`DubWait`](crate::DubWait)) and
/// exports ([`ExportWait`](crate::ExportWait)) are waits; `T` is what a
/// finished wait returns, `S` the status each poll sees.
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb, task_id: camb_api_ext::TaskId) -> Result<(), camb_api_ext::Error> {
/// use std::time::Duration;
///
/// let run_id = camb
///     .wait_for_dub(&task_id)
///     .deadline(Duration::from_secs(3600))
///     .on_update(|update| eprintln!("{update}"))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a wait does nothing until awaited or watched"]
pub struct Wait<'a, T, S> {
    options: WaitOptions<'a, S>,
    job: Box<dyn Job<'a, T, S> + 'a>,
}

impl<'a, T, S> Wait<'a, T, S> {
    /// A wait for `task_id` of `family`.
    pub(crate) fn new<F>(family: F, task_id: TaskId, policies: Policies<'a>) -> Self
    where
        F: TaskFamily<Answer = S> + Send + 'a,
        F::Acceptor: Acceptor<Output = T> + 'a,
        T: Send + 'a,
        S: Send + 'a,
    {
        Wait {
            options: WaitOptions::new(policies),
            job: Box::new(TaskJob { family, task_id }),
        }
    }

    /// This wait with the options of a [`Flow`] around it.
    pub(crate) fn with_options(mut self, options: WaitOptions<'a, S>) -> Self {
        self.options = options;
        self
    }

    wait_setters!(S);

    /// The wait as a stream of updates: one per successful poll. After the
    /// task is done the stream ends (the last update shows the final
    /// status); on any failure, including the failure statuses and the
    /// deadline, its last item is the error. An `on_update` hook is not
    /// called.
    pub fn watch(self) -> impl Stream<Item = Result<Progress<S>, Error>> + Send + 'a
    where
        S: 'a,
    {
        let (policies, _) = self.options.into_parts();
        self.job.watch(policies)
    }
}

impl<'a, T, S> IntoFuture for Wait<'a, T, S> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'a, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        let (policies, hooks) = self.options.into_parts();
        self.job.run(policies, hooks)
    }
}

impl<T, S> fmt::Debug for Wait<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wait")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// A wait for one task, type-erased so that [`Wait`] names no family.
trait Job<'a, T, S>: Send {
    fn run(
        self: Box<Self>,
        policies: Policies<'a>,
        hooks: Hooks<'a, S>,
    ) -> BoxFuture<'a, Result<T, Error>>;

    fn watch(self: Box<Self>, policies: Policies<'a>) -> BoxStream<'a, Result<Progress<S>, Error>>;
}

struct TaskJob<F> {
    family: F,
    task_id: TaskId,
}

impl<'a, F, T, S> Job<'a, T, S> for TaskJob<F>
where
    F: TaskFamily<Answer = S> + Send + 'a,
    F::Acceptor: Acceptor<Output = T> + 'a,
    T: Send + 'a,
    S: Send + 'a,
{
    fn run(
        self: Box<Self>,
        policies: Policies<'a>,
        hooks: Hooks<'a, S>,
    ) -> BoxFuture<'a, Result<T, Error>> {
        let watch = Watch::new(self.family, self.task_id, &policies, None);
        let Hooks {
            mut on_update,
            mut on_failed_poll,
        } = hooks;
        Box::pin(async move {
            watch?
                .finish_with(
                    |update| {
                        if let Some(on_update) = on_update.as_mut() {
                            on_update(update);
                        }
                    },
                    |failure| {
                        if let Some(on_failed_poll) = on_failed_poll.as_mut() {
                            on_failed_poll(failure);
                        }
                    },
                )
                .await
        })
    }

    fn watch(self: Box<Self>, policies: Policies<'a>) -> BoxStream<'a, Result<Progress<S>, Error>> {
        match Watch::new(self.family, self.task_id, &policies, None) {
            Ok(watch) => watch.into_stream().boxed(),
            Err(err) => stream::once(async move { Err(err) }).boxed(),
        }
    }
}

/// A flow around a wait (create a task, wait for it, fetch its result),
/// configured like a [`Wait`] (the settings apply to its wait) and then
/// `.await`ed. [`Camb::dub`](crate::Camb::dub) and
/// [`Camb::export`](crate::Camb::export) are flows.
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb, request: camb_api_ext::DubRequest) -> Result<(), camb_api_ext::Error> {
/// use std::time::Duration;
///
/// let outputs = camb
///     .dub(&request)
///     .deadline(Duration::from_secs(2 * 3600))
///     .on_update(|update| eprintln!("{update}"))
///     .await?;
/// # Ok(()) }
/// ```
#[must_use = "a flow does nothing until awaited"]
pub struct Flow<'a, T, S> {
    options: WaitOptions<'a, S>,
    run: FlowRun<'a, T, S>,
}

/// The steps of a flow, handed the options for its wait.
type FlowRun<'a, T, S> =
    Box<dyn FnOnce(WaitOptions<'a, S>) -> BoxFuture<'a, Result<T, Error>> + Send + 'a>;

impl<'a, T, S> Flow<'a, T, S> {
    /// A flow that runs `run` with the options set on it.
    pub(crate) fn new<Fut>(
        policies: Policies<'a>,
        run: impl FnOnce(WaitOptions<'a, S>) -> Fut + Send + 'a,
    ) -> Self
    where
        Fut: Future<Output = Result<T, Error>> + Send + 'a,
    {
        Flow {
            options: WaitOptions::new(policies),
            run: Box::new(move |options| Box::pin(run(options))),
        }
    }

    wait_setters!(S);
}

impl<'a, T, S> IntoFuture for Flow<'a, T, S> {
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'a, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        (self.run)(self.options)
    }
}

impl<T, S> fmt::Debug for Flow<'_, T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Flow")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}
