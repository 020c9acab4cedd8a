//! The wait engine's adapter for transcription tasks: their status request,
//! kind and span; the engine does the rest, as for dubs.

use crate::{
    Camb, DubStatus, RunId, TaskId, TaskKind,
    dub::{NeedsRunId, StatusFamily, StatusTasks},
    wait::{Wait, wait_span},
};

/// A wait for one transcription task: `.await` it for the run id. Made by
/// [`Camb::wait_for_transcription`].
pub type TranscriptionWait<'a> = Wait<'a, RunId, DubStatus>;

/// Transcription tasks: `GET /transcribe/{task_id}`; `SUCCESS` comes with
/// the run id whose result is fetched.
pub(super) fn transcriptions(camb: &Camb) -> impl StatusTasks<NeedsRunId> + '_ {
    StatusFamily::new(
        camb,
        TaskKind::Transcription,
        move |task_id| {
            camb.send(
                camb.raw
                    .get_transcription_task_status()
                    .task_id(task_id)
                    .send(),
            )
        },
        |task_id| {
            wait_span!(
                "wait_for_transcription",
                task_id,
                run_id = tracing::field::Empty
            )
        },
    )
}

impl Camb {
    /// Waits for a transcription task to finish and gives its run id (for
    /// [`Camb::transcription`]): the engine, policies and settings of
    /// [`Camb::wait_for_dub`] (`.on_update(..)`, `.deadline(..)`, ...). A
    /// failed task is an error ([`Error::TaskFailed`],
    /// [`Error::TaskTimedOut`], [`Error::PaymentRequired`]).
    ///
    /// [`Error::TaskFailed`]: crate::Error::TaskFailed
    /// [`Error::TaskTimedOut`]: crate::Error::TaskTimedOut
    /// [`Error::PaymentRequired`]: crate::Error::PaymentRequired
    pub fn wait_for_transcription(&self, task_id: &TaskId) -> TranscriptionWait<'_> {
        Wait::new(transcriptions(self), task_id.clone(), self.policies())
    }
}
