//! Waiting for dubs: one ([`Camb::wait_for_dub`], [`Camb::watch_dub`],
//! [`Camb::wait`]), many ([`Camb::wait_for_dubs`]), or the whole flow
//! ([`Camb::dub`]), on the wait engine ([`crate::wait`]).

use std::{
    fmt,
    future::{Future, IntoFuture},
    pin::Pin,
};

use futures_util::{Stream, StreamExt, stream};

use crate::{
    Camb, DubOutputs, DubRequest, Error, PollPolicy, RunId, StatusUpdate, TaskId, WaitErrorPolicy,
    WaitLimits,
    wait::{Watch, wait_many, with_run_id},
};

/// A wait for one dub, to configure and then `.await` (or turn into a
/// stream with [`DubWait::watch`]). Made by [`Camb::wait`].
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb, task_id: camb_api_ext::TaskId) -> Result<(), camb_api_ext::Error> {
/// use std::time::Duration;
/// use camb_api_ext::PollPolicy;
///
/// let run_id = camb
///     .wait(&task_id)
///     .poll_policy(PollPolicy::default().with_deadline(Some(Duration::from_secs(3600))))
///     .on_update(|update| eprintln!("{update}"))
///     .await?;
/// # Ok(()) }
/// ```
pub struct DubWait<'a> {
    camb: &'a Camb,
    task_id: TaskId,
    poll: PollPolicy,
    errors: WaitErrorPolicy,
    on_update: Option<OnUpdate<'a>>,
}

/// A progress callback.
type OnUpdate<'a> = Box<dyn FnMut(&StatusUpdate) + Send + 'a>;

impl fmt::Debug for DubWait<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DubWait")
            .field("task_id", &self.task_id)
            .field("poll", &self.poll)
            .field("errors", &self.errors)
            .field("on_update", &self.on_update.is_some())
            .finish_non_exhaustive()
    }
}

impl<'a> DubWait<'a> {
    /// How this wait polls, instead of the client's policy.
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// Which errors end this wait, instead of the client's policy.
    pub fn error_policy(mut self, policy: WaitErrorPolicy) -> Self {
        self.errors = policy;
        self
    }

    /// Calls `on_update` with every status seen, for a live progress line or
    /// a log of every change.
    pub fn on_update(mut self, on_update: impl FnMut(&StatusUpdate) + Send + 'a) -> Self {
        self.on_update = Some(Box::new(on_update));
        self
    }

    /// The wait as a stream of status updates: one per successful poll.
    /// After `SUCCESS` (the update carries the run id) it ends; on any
    /// failure, including the failure statuses and the deadline, its last
    /// item is the error. An `on_update` callback is not called.
    pub fn watch(self) -> impl Stream<Item = Result<StatusUpdate, Error>> + Send + 'a {
        match self.start().0 {
            Ok(watch) => watch.into_stream().left_stream(),
            Err(err) => stream::once(async move { Err(err) }).right_stream(),
        }
    }

    /// The wait's state (or why it cannot start), and the callback.
    fn start(self) -> (Result<Watch<'a, &'a Camb>, Error>, Option<OnUpdate<'a>>) {
        let camb = self.camb;
        let watch = Watch::new(
            camb,
            &camb.retry,
            None,
            self.task_id,
            &self.poll,
            self.errors,
        );
        (watch, self.on_update)
    }
}

impl<'a> IntoFuture for DubWait<'a> {
    type Output = Result<RunId, Error>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let (watch, mut on_update) = self.start();
        Box::pin(async move {
            let watch = watch?;
            let task_id = watch.task_id.clone();
            let run_id = watch
                .finish(|update| {
                    if let Some(on_update) = on_update.as_mut() {
                        on_update(update);
                    }
                })
                .await?;
            with_run_id(&task_id, run_id)
        })
    }
}

impl Camb {
    /// A wait for `task_id` to configure: a different [`PollPolicy`] or
    /// [`WaitErrorPolicy`], a progress callback, or a stream.
    pub fn wait(&self, task_id: &TaskId) -> DubWait<'_> {
        DubWait {
            camb: self,
            task_id: task_id.clone(),
            poll: self.poll.clone(),
            errors: self.wait_errors,
            on_update: None,
        }
    }

    /// Waits until `task_id` ends and returns its run id.
    ///
    /// `SUCCESS` gives the run id; `ERROR` gives [`Error::TaskFailed`],
    /// `TIMEOUT` [`Error::TaskTimedOut`], `PAYMENT_REQUIRED`
    /// [`Error::PaymentRequired`], and the [`PollPolicy`] deadline
    /// [`Error::DeadlineExceeded`]. An unknown status keeps the wait going.
    /// Dropping the future stops the wait; nothing runs in the background.
    pub async fn wait_for_dub(&self, task_id: &TaskId) -> Result<RunId, Error> {
        self.wait(task_id).await
    }

    /// The wait for `task_id` as a stream of [`StatusUpdate`]s; see
    /// [`DubWait::watch`].
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb, task_id: camb_api_ext::TaskId) -> Result<(), camb_api_ext::Error> {
    /// use futures_util::StreamExt;
    ///
    /// let mut updates = std::pin::pin!(camb.watch_dub(&task_id));
    /// while let Some(update) = updates.next().await {
    ///     let update = update?;
    ///     eprint!("\r{update}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn watch_dub(
        &self,
        task_id: &TaskId,
    ) -> impl Stream<Item = Result<StatusUpdate, Error>> + Send + '_ {
        self.wait(task_id).watch()
    }

    /// Waits for many tasks at once, yielding `(task_id, outcome)` for each
    /// as it ends, in the order they end: exactly one item per id.
    ///
    /// Every task is polled on its own schedule (the client's
    /// [`PollPolicy`]), but all requests share `limits`: a bound on requests
    /// in flight and a steady request rate, so a thousand waits do not
    /// become a polling storm. The stream does the work as it is polled;
    /// dropping it stops every wait.
    pub fn wait_for_dubs<I>(
        &self,
        ids: I,
        limits: WaitLimits,
    ) -> impl Stream<Item = (TaskId, Result<RunId, Error>)> + Send + '_
    where
        I: IntoIterator<Item = TaskId>,
        I::IntoIter: Send + 'static,
    {
        wait_many(self, &self.retry, &self.poll, self.wait_errors, ids, limits)
    }

    /// The whole flow: creates the dub, waits for it, and fetches the result.
    ///
    /// The task id is logged (`tracing`, level info) as soon as it is known,
    /// and errors from the wait name it, so a failed wait can be resumed with
    /// [`Camb::wait_for_dub`].
    ///
    /// The result has one [`DubOutput`](crate::DubOutput) per language,
    /// whether the server answered with one result or a map of them.
    pub async fn dub(&self, request: &DubRequest) -> Result<DubOutputs, Error> {
        let task_id = self.create_dub(request).await?;
        tracing::info!(%task_id, "dub created");
        let run_id = self.wait_for_dub(&task_id).await?;
        self.result_for(run_id, request).await
    }
}
