//! A run's transcript in one of its languages, as SRT, VTT or plain text
//! ([`Camb::transcript`]).

use camb_api::{TranscriptDataType, TranscriptFileFormat};

use super::export::the_value;
use crate::{Camb, Error, Language, RunId, retry::Resend};

impl Camb {
    /// A run's transcript in one of its languages, as SRT, VTT or plain text.
    pub async fn transcript(
        &self,
        run_id: RunId,
        language: Language,
        format: TranscriptFileFormat,
    ) -> Result<String, Error> {
        let run_id = run_id.checked()?;
        let fields = self
            .call(Resend::Idempotent, || {
                self.raw
                    .get_dubbed_run_transcript()
                    .run_id(run_id)
                    .language(language.wire())
                    .format_type(format.clone())
                    .data_type(TranscriptDataType::RawData)
                    .send()
            })
            .await?;
        the_value(
            fields.0,
            "transcript",
            &["transcript", "data", "content", "text"],
            &self.key,
        )
    }
}
