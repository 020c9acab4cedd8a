//! The wait engine's adapter for transcription tasks
//! (`GET /transcribe/{task_id}`): the operation, the acceptor and the span;
//! the engine does the rest, as for dubs.

use crate::{
    Camb, DubStatus, Error, RunId, TaskId, TaskKind,
    dub::{NeedsRunId, StatusAcceptor},
    wait::{Polled, TaskFamily, Wait, wait_span},
};

/// A wait for one transcription task: `.await` it for the run id. Made by
/// [`Camb::wait_for_transcription`].
pub type TranscriptionWait<'a> = Wait<'a, RunId, DubStatus>;

/// Transcription tasks; `SUCCESS` comes with the run id whose result is
/// fetched.
#[derive(Clone, Copy)]
pub(super) struct Transcriptions<'a>(pub(super) &'a Camb);

impl TaskFamily for Transcriptions<'_> {
    type Answer = DubStatus;
    type Acceptor = StatusAcceptor<NeedsRunId>;

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<DubStatus>, Error> {
        let camb = self.0;
        let call = camb
            .raw
            .get_transcription_task_status()
            .task_id(task_id.as_str().to_owned());
        DubStatus::polled(camb.send(call.send()).await?, &camb.key)
    }

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        StatusAcceptor::new(TaskKind::Transcription, task_id)
    }

    fn span(&self, task_id: &TaskId) -> tracing::Span {
        wait_span!(
            "wait_for_transcription",
            task_id,
            run_id = tracing::field::Empty
        )
    }
}

impl Camb {
    /// Waits for a transcription task to finish and gives its run id (for
    /// [`Camb::transcription`]): the engine, policies and settings of
    /// [`Camb::wait_for_dub`] (`.on_update(..)`, `.deadline(..)`, ...). A
    /// failed task is an error ([`Error::TaskFailed`],
    /// [`Error::TaskTimedOut`], [`Error::PaymentRequired`]).
    pub fn wait_for_transcription(&self, task_id: &TaskId) -> TranscriptionWait<'_> {
        Wait::new(Transcriptions(self), task_id.clone(), self.policies())
    }
}
