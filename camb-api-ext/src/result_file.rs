//! A task's result that is a file (TTS audio, a generated sound), saved to
//! disk as it streams: never held whole in memory, and never left half
//! written under its name.

use std::{
    io::Write,
    path::{Path, PathBuf},
    sync::Arc,
};

use camb_api::{ByteStream, TaskResult, types::HttpValidationError};
use futures_util::StreamExt;
use reqwest::header::CONTENT_TYPE;

use crate::{
    Camb, Error, RunId,
    error::{excerpt, transport},
    retry::{self, Resend},
    speech::not_audio_content_type,
};

/// What [`Camb::save_task_result`] wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SavedFile {
    /// Where.
    pub path: PathBuf,
    /// How many bytes.
    pub bytes: u64,
    /// The answer's `Content-Type` (`audio/flac`, ...), if it had one.
    pub content_type: Option<String>,
}

/// How much of a JSON or text answer an [`Error::NotAudio`] reads to show.
const EXCERPT_BYTES: usize = 4 * 1024;

impl Camb {
    /// Saves the result of run `run_id` of a family whose result is a file
    /// (`tasks::Tts`, `tasks::TranslatedTts`, `tasks::TextToSound`) to
    /// `path`, written chunk by chunk as it arrives. The request is retried
    /// like [`Camb::task_result`]'s. The file appears under `path` only when
    /// whole: it is written to a temporary file beside it (the `tempfile`
    /// crate), renamed over `path` at the end, and removed on any failure or
    /// when this future is dropped.
    ///
    /// A JSON or text answer where a file was expected (an error page, or
    /// the file's URL instead of the file) is [`Error::NotAudio`] with its
    /// start; a broken connection mid-file is [`Error::Transport`]; a file
    /// that cannot be written is [`Error::WriteFile`].
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb, run_id: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::tasks::TextToSound;
    ///
    /// let saved = camb.save_task_result::<TextToSound>(run_id, "rain.wav").await?;
    /// println!("{} bytes of {:?}", saved.bytes, saved.content_type);
    /// # Ok(()) }
    /// ```
    pub async fn save_task_result<F>(
        &self,
        run_id: RunId,
        path: impl AsRef<Path>,
    ) -> Result<SavedFile, Error>
    where
        F: TaskResult<Result = ByteStream, ErrorBody = HttpValidationError>,
    {
        let path = path.as_ref();
        let id = run_id.checked()?;
        let answer = retry::run(&self.retry, Resend::Idempotent, None, || {
            self.send(F::send_result(F::result(&self.raw, id)))
        })
        .await?;
        let content_type = answer
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let mut body = answer.into_inner().into_inner();
        if let Some(reason) = not_audio_content_type(content_type.as_deref()) {
            let mut start = Vec::new();
            while start.len() < EXCERPT_BYTES {
                match body.next().await {
                    Some(Ok(chunk)) => start.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            return Err(Error::NotAudio {
                content_type,
                reason,
                excerpt: excerpt(&start, &self.key),
            });
        }
        let write_error = |source: std::io::Error| Error::WriteFile {
            path: path.to_owned(),
            source: Arc::new(source),
        };
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        // Removed when dropped: on every early return, and on cancellation.
        let partial = tempfile::Builder::new()
            .prefix(".camb-")
            .suffix(".part")
            .tempfile_in(directory)
            .map_err(write_error)?;
        let mut file = std::io::BufWriter::new(partial);
        let mut bytes = 0u64;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(transport)?;
            // Small local writes, as `SpeechStream::save` makes.
            file.write_all(&chunk).map_err(write_error)?;
            bytes += chunk.len() as u64;
        }
        let partial = file
            .into_inner()
            .map_err(|error| write_error(error.into_error()))?;
        partial.as_file().sync_all().map_err(write_error)?;
        partial
            .persist(path)
            .map_err(|error| write_error(error.error))?;
        Ok(SavedFile {
            path: path.to_owned(),
            bytes,
            content_type,
        })
    }
}
