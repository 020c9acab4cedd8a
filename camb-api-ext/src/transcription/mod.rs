//! Transcription, a task family like dubbing: follow a task ([`Camb::transcription_status`], [`Camb::wait_for_transcription`]),
//! then read what was said, segment by segment ([`Camb::transcription`],
//! [`Camb::transcriptions`]) or as one SRT, VTT or text file
//! ([`Camb::transcription_text`]).

mod wait;

use std::collections::HashMap;

use camb_api::{
    ResponseValue,
    types::{
        ResponseGetTranscriptionResultTranscriptionResultRunIdGet as ResultAnswer,
        RunIDsRequestPayload, Transcript, TranscriptDataType, TranscriptFileFormat,
        TranscriptionResult,
    },
};

use crate::{
    Camb, DubStatus, Error, RunId, TaskId, batch_results,
    retry::{self, Resend},
    wait::poll_status,
};
use wait::Transcriptions;

impl Camb {
    /// A transcription task's current status, one request (plus retries),
    /// like [`Camb::status`] for dubs: the same answer, read the same way.
    pub async fn transcription_status(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        poll_status(&Transcriptions(self), &self.retry, None, None, task_id)
            .await
            .map(|polled| polled.status)
    }

    /// What a finished transcription run heard: its segments in order, each
    /// with its start and end (seconds), text and speaker.
    pub async fn transcription(&self, run_id: RunId) -> Result<Vec<Transcript>, Error> {
        match self.transcription_result(run_id, None).await? {
            ResultAnswer {
                subtype_0: Some(TranscriptionResult { transcript }),
                ..
            } => Ok(transcript),
            other => Err(Error::unusable(
                "the transcription result has no segments",
                &other,
                &self.key,
            )),
        }
    }

    /// A finished transcription run's transcript as one SRT, VTT or
    /// plain-text file, its text itself.
    pub async fn transcription_text(
        &self,
        run_id: RunId,
        format: TranscriptFileFormat,
    ) -> Result<String, Error> {
        match self.transcription_result(run_id, Some(format)).await? {
            ResultAnswer {
                subtype_1: Some(file),
                ..
            } => Ok(file.transcript),
            other => Err(Error::unusable(
                format!("the transcription result has no {format} text"),
                &other,
                &self.key,
            )),
        }
    }

    async fn transcription_result(
        &self,
        run_id: RunId,
        format: Option<TranscriptFileFormat>,
    ) -> Result<ResultAnswer, Error> {
        let id = run_id.checked()?;
        retry::run(&self.retry, Resend::Idempotent, None, || {
            let call = self.raw.get_transcription_result().run_id(id);
            let call = match format {
                Some(format) => call
                    .format_type(format)
                    .data_type(TranscriptDataType::RawData),
                None => call,
            };
            self.send(call.send())
        })
        .await
        .map(ResponseValue::into_inner)
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
            retry::run(&self.retry, Resend::Idempotent, None, || {
                let call = self.raw.get_transcription_results().body(body.clone());
                self.send(call.send())
            })
            .await
            .map(|answer| -> HashMap<String, TranscriptionResult> { answer.into_inner() })
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
