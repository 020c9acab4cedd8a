//! A run's transcript in one of its languages, as SRT, VTT or plain text
//! ([`Camb::transcript`]), or a file holding it ([`Camb::transcript_as`]).

use camb_api::{TranscriptDataType, TranscriptFileFormat};

use super::export::the_value;
use crate::{Camb, Error, Language, RunId, retry::Resend};

impl Camb {
    /// A run's transcript in one of its languages, as SRT, VTT or plain text:
    /// [`Camb::transcript_as`] with [`TranscriptDataType::RawData`].
    pub async fn transcript(
        &self,
        run_id: RunId,
        language: Language,
        format: TranscriptFileFormat,
    ) -> Result<String, Error> {
        self.transcript_as(run_id, language, format, TranscriptDataType::RawData)
            .await
    }

    /// A run's transcript in one of its languages in `format` (SRT, VTT or
    /// plain text): the text itself with [`TranscriptDataType::RawData`], or
    /// the URL of a file holding it with [`TranscriptDataType::File`]. Every
    /// option of `GET /transcript/{run_id}/{language}`.
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb, run_id: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{Language, TranscriptDataType, TranscriptFileFormat};
    ///
    /// let url = camb
    ///     .transcript_as(run_id, Language::FR_FR, TranscriptFileFormat::Vtt, TranscriptDataType::File)
    ///     .await?;
    /// println!("download the French subtitles from {url}");
    /// # Ok(()) }
    /// ```
    pub async fn transcript_as(
        &self,
        run_id: RunId,
        language: Language,
        format: TranscriptFileFormat,
        data_type: TranscriptDataType,
    ) -> Result<String, Error> {
        let run_id = run_id.checked()?;
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
        let preferred: &[&str] = match data_type {
            TranscriptDataType::File => &["file_url", "url", "file", "transcript"],
            _ => &["transcript", "data", "content", "text"],
        };
        let fields = self
            .call(Resend::Idempotent, || {
                self.raw
                    .get_dubbed_run_transcript()
                    .run_id(run_id)
                    .language(language)
                    .format_type(format.clone())
                    .data_type(data_type.clone())
                    .send()
            })
            .await?;
        the_value(fields.0, "transcript", preferred, &self.key)
    }
}
