//! The wait engine's adapter for transcription tasks
//! (`GET /transcribe/{task_id}`): the operation and the span; the engine
//! does the rest, as for dubs.

use crate::{
    Camb, Error, RunId, TaskId,
    wait::{Polled, StatusSource, Watch, with_run_id},
};

/// Transcription tasks as a status source of the wait engine; `SUCCESS`
/// comes with the run id whose result is fetched.
pub(super) struct Transcriptions<'a>(pub(super) &'a Camb);

impl StatusSource for Transcriptions<'_> {
    async fn status_once(&self, task_id: &TaskId) -> Result<Polled, Error> {
        let camb = self.0;
        let call = camb
            .raw
            .get_transcription_task_status()
            .task_id(task_id.as_str().to_owned());
        Polled::from_response(camb.send(call.send()).await?, &camb.key)
    }

    fn span(&self, task_id: &TaskId) -> tracing::Span {
        tracing::info_span!(
            "wait_for_transcription",
            task_id = %task_id,
            attempts = 0u32,
            run_id = tracing::field::Empty,
        )
    }

    fn cuts_requests_at_deadline(&self) -> bool {
        self.0.cut_requests_at_deadline
    }
}

impl Camb {
    /// Waits for a transcription task to finish and returns its run id (for
    /// [`Camb::transcription`]), with the client's
    /// [`PollPolicy`](crate::PollPolicy) and
    /// [`WaitErrorPolicy`](crate::WaitErrorPolicy): the engine of
    /// [`Camb::wait_for_dub`]. A failed task is an error
    /// ([`Error::TaskFailed`], [`Error::TaskTimedOut`],
    /// [`Error::PaymentRequired`]).
    pub async fn wait_for_transcription(&self, task_id: &TaskId) -> Result<RunId, Error> {
        let watch = Watch::new(
            Transcriptions(self),
            &self.retry,
            None,
            task_id.clone(),
            &self.poll,
            self.wait_errors,
        )?;
        let run_id = watch.finish(|_| {}).await?;
        with_run_id(task_id, run_id)
    }
}
