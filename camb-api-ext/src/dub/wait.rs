//! Waiting for dubs: the dub family of the wait engine ([`crate::wait`])
//! and its calls: one wait ([`Camb::wait_for_dub`], [`Camb::watch_dub`]),
//! many ([`Camb::wait_for_dubs`]), or the whole flow ([`Camb::dub`]).

use futures_util::Stream;

use super::{
    status::{DubStatus, NeedsRunId},
    status_family::StatusTasks,
};
use crate::{
    Camb, DubOutputs, DubRequest, Error, RunId, TaskId, WaitLimits,
    families::family_in,
    tasks,
    wait::{Flow, Progress, Wait, wait_many, wait_span},
};

/// A wait for one dub: `.await` it for the run id. Made by
/// [`Camb::wait_for_dub`].
pub type DubWait<'a> = Wait<'a, RunId, DubStatus>;

/// What one poll of a dub, export or transcription wait saw.
pub type StatusUpdate = Progress<DubStatus>;

/// Dub tasks (the spec's family `dub`), waited for in `wait_for_dub` spans.
pub(crate) fn dubs(camb: &Camb) -> impl StatusTasks<NeedsRunId> + '_ {
    family_in::<tasks::Dub>(camb, |task_id| {
        wait_span!("wait_for_dub", task_id, run_id = tracing::field::Empty)
    })
}

impl Camb {
    /// Waits until dub `task_id` ends, and gives its run id.
    ///
    /// `SUCCESS` gives the run id; `ERROR` gives [`Error::TaskFailed`],
    /// `TIMEOUT` [`Error::TaskTimedOut`], `PAYMENT_REQUIRED`
    /// [`Error::PaymentRequired`], and the deadline
    /// [`Error::DeadlineExceeded`]. An unknown status keeps the wait going.
    /// Configure it before `.await`ing: `.on_update(..)`, `.deadline(..)`,
    /// `.poll_policy(..)`, `.error_policy(..)`, or `.watch()` for a stream.
    /// Dropping the future stops the wait; nothing runs in the background.
    pub fn wait_for_dub(&self, task_id: &TaskId) -> DubWait<'_> {
        Wait::new(dubs(self), task_id.clone(), self.policies())
    }

    /// The same as [`Camb::wait_for_dub`], shorter.
    pub fn wait(&self, task_id: &TaskId) -> DubWait<'_> {
        self.wait_for_dub(task_id)
    }

    /// The wait for `task_id` as a stream of [`StatusUpdate`]s, with the
    /// client's policies; see [`Wait::watch`].
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
        self.wait_for_dub(task_id).watch()
    }

    /// Waits for many dubs at once, yielding `(task_id, outcome)` for each
    /// as it ends, in the order they end: exactly one item per id.
    ///
    /// Every task is polled on its own schedule (the client's
    /// [`PollPolicy`](crate::PollPolicy)), but all requests share `limits`:
    /// a bound on requests in flight and a steady request rate, so a
    /// thousand waits do not become a polling storm. The stream does the
    /// work as it is polled; dropping it stops every wait.
    pub fn wait_for_dubs<I>(
        &self,
        ids: I,
        limits: WaitLimits,
    ) -> impl Stream<Item = (TaskId, Result<RunId, Error>)> + Send + '_
    where
        I: IntoIterator<Item = TaskId>,
        I::IntoIter: Send + 'static,
    {
        wait_many(dubs(self), self.policies(), ids, limits)
    }

    /// The whole flow: creates the dub, waits for it, and fetches the
    /// result. Configure its wait like any other (`.on_update(..)`,
    /// `.deadline(..)`, ...) before `.await`ing.
    ///
    /// The task id is logged (`tracing`, level info) as soon as it is known,
    /// and errors from the wait name it, so a failed wait can be resumed with
    /// [`Camb::wait_for_dub`].
    ///
    /// The result has one [`DubOutput`](crate::DubOutput) per language,
    /// whether the server answered with one result or a map of them.
    pub fn dub<'a>(&'a self, request: &'a DubRequest) -> Flow<'a, DubOutputs, DubStatus> {
        Flow::new(self.policies(), move |options| async move {
            let task_id = self.create_dub(request).await?;
            tracing::info!(%task_id, "dub created");
            let run_id = self.wait_for_dub(&task_id).with_options(options).await?;
            self.result(run_id, request.all_target_languages()).await
        })
    }
}
