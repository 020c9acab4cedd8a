//! Transcription, a task family like dubbing: start a task from a media URL
//! or a local file ([`TranscriptionRequest`], [`Camb::transcribe`]), follow
//! it ([`Camb::transcription_status`], [`Camb::wait_for_transcription`]),
//! then read what was said, segment by segment ([`Camb::transcription`],
//! [`Camb::transcriptions`]) or as one text ([`Camb::transcription_text`]).

mod request;

pub use request::TranscriptionRequest;

use camb_api::{
    TranscriptDataType, TranscriptFileFormat,
    multipart::FilePart,
    types::{
        ResponseGetTranscriptionResultTranscriptionResultRunIdGet as ResultAnswer, Transcript,
        TranscriptExportResult, TranscriptionResult,
    },
};

use crate::{Camb, DubStatus, Error, RunId, TaskId, TranscriptionWait, tasks::Transcription};

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
        let form = request.to_form()?;
        self.create_task::<Transcription, _>(|call| async {
            let call = call.body(form.clone());
            Ok(match request.media_file() {
                Some(path) => call.media_file(FilePart::path(path).await.map_err(|e| {
                    Error::InvalidInput {
                        field: "media_file",
                        reason: format!("{} cannot be read: {e}", path.display()),
                    }
                })?),
                None => call,
            })
        })
        .await
    }

    /// A transcription task's current status, one request (plus retries),
    /// like [`Camb::status`] for dubs: the same answer, read the same way.
    pub async fn transcription_status(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        self.task_status::<Transcription>(task_id).await
    }

    /// Waits for a transcription task to finish and gives its run id (for
    /// [`Camb::transcription`]): [`Camb::wait_for_task`] for the family
    /// `transcription`, with the engine, policies and settings of every
    /// wait (`.on_update(..)`, `.deadline(..)`, ...).
    pub fn wait_for_transcription(&self, task_id: &TaskId) -> TranscriptionWait<'_> {
        self.wait_for_task::<Transcription>(task_id)
    }

    /// What a finished transcription run heard: its segments in order, each
    /// with its start and end (seconds), text and speaker.
    pub async fn transcription(&self, run_id: RunId) -> Result<Vec<Transcript>, Error> {
        match self.transcription_result(run_id, None).await? {
            ResultAnswer::TranscriptionResult(TranscriptionResult { transcript, .. }) => {
                Ok(transcript)
            }
            other @ ResultAnswer::TranscriptExportResult(_) => Err(Error::unusable(
                "the transcription result is one text, not segments",
                &other,
                &self.key,
            )),
        }
    }

    /// What a finished transcription run heard, as one text in `format`
    /// (SRT, VTT or plain text): the text itself with
    /// [`TranscriptDataType::RawData`], or the URL of a file holding it with
    /// [`TranscriptDataType::File`]. An answer holding segments instead is
    /// [`Error::UnusableResponse`], not an empty text.
    pub async fn transcription_text(
        &self,
        run_id: RunId,
        format: TranscriptFileFormat,
        data_type: TranscriptDataType,
    ) -> Result<String, Error> {
        for (field, value) in [
            ("format_type", format.as_str()),
            ("data_type", data_type.as_str()),
        ] {
            if value.trim().is_empty() {
                return Err(Error::InvalidInput {
                    field,
                    reason: "is empty".into(),
                });
            }
        }
        match self
            .transcription_result(run_id, Some((&format, &data_type)))
            .await?
        {
            ResultAnswer::TranscriptExportResult(TranscriptExportResult { transcript, .. }) => {
                Ok(transcript)
            }
            other @ ResultAnswer::TranscriptionResult(_) => Err(Error::unusable(
                "the transcription result is segments, not one text",
                &other,
                &self.key,
            )),
        }
    }

    /// `GET /transcription-result/{run_id}`, as segments or, given a format
    /// and a data type, as one text.
    async fn transcription_result(
        &self,
        run_id: RunId,
        text: Option<(&TranscriptFileFormat, &TranscriptDataType)>,
    ) -> Result<ResultAnswer, Error> {
        self.task_result_with::<Transcription>(run_id, |call| match text {
            Some((format, data_type)) => call
                .format_type(format.clone())
                .data_type(data_type.clone()),
            None => call,
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
        let found = self.task_results::<Transcription>(run_ids).await?;
        Ok(found
            .into_iter()
            .map(|(run_id, result)| (run_id, result.map(|result| result.transcript)))
            .collect())
    }
}
