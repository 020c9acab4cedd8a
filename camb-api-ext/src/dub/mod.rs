//! Dubbing: what to dub ([`DubRequest`]), a task's status ([`DubStatus`]),
//! its results in every language ([`DubOutputs`]), its transcripts and its
//! exports to other formats; the `impl Camb` of each sits next to it, and
//! [`wait`] and [`export`] adapt the wait engine to dub and export tasks.

mod batch;
mod export;
mod integrations;
mod outputs;
mod request;
pub(crate) mod status;
mod status_family;
mod transcript;
mod wait;

pub use batch::{DubAll, DubEvent, DubJob};
pub use export::{Export, ExportWait, OutputFormat};
pub use integrations::Integration;
pub use outputs::{DubOutput, DubOutputs, DubResultUrls};
pub use request::DubRequest;
pub(crate) use request::{folder_id, http_link, project_setters};
pub use status::DubStatus;
pub(crate) use status::NeedsRunId;
pub(crate) use status_family::{StatusFamily, StatusTasks};
pub use wait::{DubWait, StatusUpdate};

use crate::{Camb, Error, RunId, TaskId, tasks};

impl Camb {
    /// Starts dubbing `request.video_url()` and returns the new task's id.
    ///
    /// The request is checked first ([`Error::InvalidInput`]). Creating is
    /// not idempotent, so it is only resent when the server surely did not
    /// act on it (connect failure, 408, 429): never twice a paid dub.
    pub async fn create_dub(&self, request: &DubRequest) -> Result<TaskId, Error> {
        let body = request.to_body()?;
        let run_id = request.query_run_id().map(RunId::checked).transpose()?;
        self.create_task::<tasks::Dub, _>(|call| {
            let call = call.body(body.clone());
            std::future::ready(Ok(match run_id {
                Some(run_id) => call.run_id(run_id),
                None => call,
            }))
        })
        .await
    }

    /// The task's current status, one request (plus retries).
    ///
    /// A status that marks a failure is returned as a status, not an error;
    /// the waits turn it into one. So is `SUCCESS` without a `run_id`
    /// (which the API allows): a wait asks again a few times, then ends with
    /// [`Error::SucceededWithoutRunId`].
    pub async fn status(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        self.task_status::<tasks::Dub>(task_id).await
    }
}
