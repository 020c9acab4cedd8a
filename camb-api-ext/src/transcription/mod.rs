//! Transcription, a task family like dubbing: start a task from a media URL
//! or a local file ([`TranscriptionRequest`], [`Camb::transcribe`]), follow
//! it ([`Camb::transcription_status`], [`Camb::wait_for_transcription`]),
//! then read what was said, segment by segment ([`Camb::transcription`],
//! [`Camb::transcriptions`]).

mod request;
mod wait;

pub use request::TranscriptionRequest;
pub use wait::TranscriptionWait;

use camb_api::{
    multipart::FilePart,
    types::{
        ResponseGetTranscriptionResultTranscriptionResultRunIdGet as ResultAnswer,
        RunIDsRequestPayload, Transcript, TranscriptionResult,
    },
};

use crate::{
    Camb, DubStatus, Error, RunId, TaskId, batch_results,
    dub::StatusTasks,
    retry::{self, Resend},
};

impl Camb {
    /// Starts transcribing `request`'s medium and returns the new task's id.
    ///
    /// The request is checked first ([`Error::InvalidInput`]: a bad link, a
    /// missing file). It goes as a multipart form, as CAMB.AI's SDK sends it
    /// (a file streamed from disk). Creating is not idempotent, so it is
    /// only resent when the server surely did not act on it (connect
    /// failure, 408, 429), with the file opened afresh.
    pub async fn transcribe(&self, request: &TranscriptionRequest) -> Result<TaskId, Error> {
        request.check()?;
        let form = request.to_form();
        let created = retry::run(&self.retry, Resend::OnlyIfUnprocessed, None, || async {
            let call = self.raw.create_transcription().body(form.clone());
            let call = match request.media_file() {
                Some(path) => call.media_file(FilePart::path(path).await.map_err(|e| {
                    Error::InvalidInput {
                        field: "media_file",
                        reason: format!("{} cannot be read: {e}", path.display()),
                    }
                })?),
                None => call,
            };
            self.send(call.send()).await
        })
        .await?
        .into_inner();
        TaskId::created(created.task_id.as_deref(), &created, &self.key)
    }

    /// A transcription task's current status, one request (plus retries),
    /// like [`Camb::status`] for dubs: the same answer, read the same way.
    pub async fn transcription_status(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        wait::transcriptions(self).status(task_id).await
    }

    /// What a finished transcription run heard: its segments in order, each
    /// with its start and end (seconds), text and speaker.
    pub async fn transcription(&self, run_id: RunId) -> Result<Vec<Transcript>, Error> {
        match self.transcription_result(run_id).await? {
            ResultAnswer {
                transcription_result: Some(TranscriptionResult { transcript }),
                ..
            } => Ok(transcript),
            other => Err(Error::unusable(
                "the transcription result has no segments",
                &other,
                &self.key,
            )),
        }
    }

    async fn transcription_result(&self, run_id: RunId) -> Result<ResultAnswer, Error> {
        let id = run_id.checked()?;
        self.call(Resend::Idempotent, || {
            self.raw.get_transcription_result().run_id(id).send()
        })
        .await
    }

    /// The segments of many transcription runs (`POST
    /// /transcription-results`), in [`RESULTS_PER_REQUEST`](crate::RESULTS_PER_REQUEST)-sized
    /// requests.
    ///
    /// Every requested id (repeats removed) is in the answer, in order:
    /// with its segments, or with [`Error::ResultMissing`] when the server
    /// sent nothing for it. A failed request fails the call.
    pub async fn transcriptions(
        &self,
        run_ids: impl IntoIterator<Item = RunId>,
    ) -> Result<Vec<(RunId, Result<Vec<Transcript>, Error>)>, Error> {
        let found = batch_results::by_run_id(run_ids, |run_ids| async move {
            let body = RunIDsRequestPayload { run_ids };
            self.call(Resend::Idempotent, || {
                self.raw
                    .get_transcription_results()
                    .body(body.clone())
                    .send()
            })
            .await
        })
        .await?;
        Ok(found
            .into_iter()
            .map(|(run_id, result)| {
                let segments = result
                    .map(|result| result.transcript)
                    .ok_or(Error::ResultMissing { run_id });
                (run_id, segments)
            })
            .collect())
    }
}
