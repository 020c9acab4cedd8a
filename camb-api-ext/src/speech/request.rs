//! [`Speech`]: what to say, in which voice and format, checked before any
//! request.

use std::time::Duration;

use camb_api::types::{
    CreateStreamTtsRequestPayload, StreamTtsInferenceOptions, StreamTtsOutputConfiguration,
    StreamTtsVoiceSettings,
};
use camb_api::{OutputFormat, SpeechModel};

use super::format::{AudioFormat, PcmFormat, RateSource, SampleFormat};
use crate::{Error, Language, VoiceId};

/// The text length the API takes, in characters (the docs' tts-with-api
/// tutorial; the spec's `CreateStreamTtsRequestPayload.text`). A test ties
/// these to the spec.
pub const TEXT_CHARS: std::ops::RangeInclusive<usize> = 3..=3000;

/// What to say: the text, its locale and the voice, with a setter for every
/// other option of `POST /tts-stream`. For [`Camb::speak`](crate::Camb::speak).
///
/// The default format is WAV (the API's own default is MP3): a WAV says its
/// sample rate, which the sources disagree on for every model, and plays
/// as a file. Raw PCM (`pcm_s16le`, ...) carries no rate, so it needs
/// [`Speech::sample_rate`].
///
/// ```
/// use camb_api_ext::{Language, Speech, SpeechModel, VoiceId};
///
/// let hello = Speech::new("Hello there!", Language::EN_US, VoiceId(147320))
///     .model(SpeechModel::MarsFlash);
/// # let _ = hello;
/// ```
#[derive(Clone, Debug)]
pub struct Speech {
    pub(crate) text: String,
    language: Language,
    voice_id: VoiceId,
    model: Option<SpeechModel>,
    user_instructions: Option<String>,
    format: OutputFormat,
    sample_rate: Option<u32>,
    duration: Option<f64>,
    apply_enhancement: Option<bool>,
    enhance_named_entities: Option<bool>,
    voice_settings: Option<StreamTtsVoiceSettings>,
    inference_options: Option<StreamTtsInferenceOptions>,
    pub(crate) first_byte_timeout: Limit,
    pub(crate) timeout: Limit,
}

/// A time limit: the default, one chosen, or none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Limit {
    /// The default, except on a client made for tokio's paused clock.
    Default(Duration),
    /// Chosen by the caller: applies on any clock.
    Chosen(Option<Duration>),
}

impl Limit {
    /// The limit to apply.
    pub(crate) fn get(self, paused_clock: bool) -> Option<Duration> {
        match self {
            Limit::Default(_) if paused_clock => None,
            Limit::Default(limit) => Some(limit),
            Limit::Chosen(limit) => limit,
        }
    }
}

impl Speech {
    /// How long to wait for the audio's first bytes by default.
    pub const DEFAULT_FIRST_BYTE_TIMEOUT: Duration = Duration::from_secs(10);
    /// How long a whole stream may last by default (the Python SDK's
    /// default timeout).
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(300);

    /// `text` spoken in `language` (a locale: `Language::EN_US`, or
    /// `"pt-br".parse()?`) by the voice `voice_id` (from
    /// [`Camb::voices`](crate::Camb::voices) or
    /// [`Camb::create_voice`](crate::Camb::create_voice)), as a WAV.
    pub fn new(text: impl Into<String>, language: Language, voice_id: VoiceId) -> Self {
        Speech {
            text: text.into(),
            language,
            voice_id,
            model: None,
            user_instructions: None,
            format: OutputFormat::Wav,
            sample_rate: None,
            duration: None,
            apply_enhancement: None,
            enhance_named_entities: None,
            voice_settings: None,
            inference_options: None,
            first_byte_timeout: Limit::Default(Self::DEFAULT_FIRST_BYTE_TIMEOUT),
            timeout: Limit::Default(Self::DEFAULT_TIMEOUT),
        }
    }

    /// The same options with another text (each sentence of
    /// [`Camb::speak_text`](crate::Camb::speak_text)).
    pub fn with_text(&self, text: impl Into<String>) -> Self {
        Speech {
            text: text.into(),
            ..self.clone()
        }
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The voice.
    pub fn voice_id(&self) -> VoiceId {
        self.voice_id
    }

    /// The speech model (`speech_model`); default: the server's. A model
    /// this version does not know is sent as given
    /// (`SpeechModel::from("mars-9")`).
    pub fn model(mut self, model: SpeechModel) -> Self {
        self.model = Some(model);
        self
    }

    /// Style and tone guidance (`user_instructions`). Only the models that
    /// read it may be given it (`mars-instruct`): the others would ignore
    /// it silently, so [`Camb::speak`](crate::Camb::speak) refuses it for
    /// them, and without a model, before any request. A model this version
    /// does not know is given the benefit of the doubt.
    pub fn user_instructions(mut self, instructions: impl Into<String>) -> Self {
        self.user_instructions = Some(instructions.into());
        self
    }

    /// The audio format (`output_configuration.format`); default WAV.
    pub fn format(mut self, format: OutputFormat) -> Self {
        self.format = format;
        self
    }

    /// The sample rate to ask for, in Hz (`output_configuration.sample_rate`).
    /// Required for raw PCM, whose rate is then this one; a WAV's rate is
    /// read from its header whatever was asked.
    pub fn sample_rate(mut self, hz: u32) -> Self {
        self.sample_rate = Some(hz);
        self
    }

    /// The desired length of the audio, in seconds
    /// (`output_configuration.duration`).
    pub fn duration(mut self, seconds: f64) -> Self {
        self.duration = Some(seconds);
        self
    }

    /// Whether the server enhances the audio (`output_configuration.apply_enhancement`).
    pub fn apply_enhancement(mut self, apply: bool) -> Self {
        self.apply_enhancement = Some(apply);
        self
    }

    /// Better pronunciation of names (`enhance_named_entities_pronunciation`).
    pub fn enhance_named_entities(mut self, enhance: bool) -> Self {
        self.enhance_named_entities = Some(enhance);
        self
    }

    /// Voice settings (`voice_settings`: speaking rate, accent, ...).
    pub fn voice_settings(mut self, settings: StreamTtsVoiceSettings) -> Self {
        self.voice_settings = Some(settings);
        self
    }

    /// Inference options (`inference_options`: stability, temperature, ...).
    pub fn inference_options(mut self, options: StreamTtsInferenceOptions) -> Self {
        self.inference_options = Some(options);
        self
    }

    /// How long to wait for the answer and the audio's first bytes, each
    /// attempt; `None` for no limit. Default
    /// [`Speech::DEFAULT_FIRST_BYTE_TIMEOUT`] (some keys get a connection
    /// that never answers). Then [`Error::FirstByteTimeout`], retried under
    /// the client's [`RetryPolicy`](crate::RetryPolicy).
    ///
    /// A client made for tokio's paused clock
    /// ([`CambBuilder::for_paused_clock`](crate::CambBuilder::for_paused_clock))
    /// applies no default limit, only one chosen here.
    pub fn first_byte_timeout(mut self, limit: Option<Duration>) -> Self {
        self.first_byte_timeout = Limit::Chosen(limit);
        self
    }

    /// How long the whole stream may last, first byte to last; `None` for no
    /// limit. Default [`Speech::DEFAULT_TIMEOUT`]; replaces the client's
    /// request timeout for this call. As for
    /// [`Speech::first_byte_timeout`], a client for the paused clock applies
    /// no default.
    pub fn timeout(mut self, limit: Option<Duration>) -> Self {
        self.timeout = Limit::Chosen(limit);
        self
    }

    /// The format the answer must have, as far as the request says: the
    /// samples of raw PCM, or what to check for.
    pub(crate) fn expected(&self) -> Expected {
        if self.format == OutputFormat::Wav {
            return Expected::Wav;
        }
        match (SampleFormat::of_raw(&self.format), self.sample_rate) {
            (Some(sample), Some(sample_rate)) => Expected::Raw(PcmFormat {
                sample_rate,
                channels: 1,
                sample,
                source: RateSource::Request,
            }),
            _ => Expected::Encoded(self.format.clone()),
        }
    }

    /// Checks what the API's rules say before any request, and makes the
    /// body.
    pub(crate) fn body(&self) -> Result<CreateStreamTtsRequestPayload, Error> {
        let invalid = |field: &'static str, reason: String| Error::InvalidInput { field, reason };
        let chars = self.text.chars().count();
        if !TEXT_CHARS.contains(&chars) {
            return Err(invalid(
                "text",
                format!(
                    "is {chars} characters; the API takes {} to {}",
                    TEXT_CHARS.start(),
                    TEXT_CHARS.end()
                ),
            ));
        }
        if self.text.trim().is_empty() {
            return Err(invalid("text", "holds nothing to say".into()));
        }
        let locale = self.language.tag().ok_or_else(|| {
            invalid(
                "language",
                format!(
                    "language id {} has no locale tag this version knows; give a locale such as \
                     `en-us` (\"en-us\".parse())",
                    self.language
                ),
            )
        })?;
        self.voice_id.checked()?;
        if self.user_instructions.is_some() && !self.model.as_ref().is_some_and(takes_instructions)
        {
            let model = self
                .model
                .as_ref()
                .map_or("the server's default model".to_owned(), |m| {
                    format!("`{m}`")
                });
            return Err(invalid(
                "user_instructions",
                format!(
                    "{model} ignores them; only `{}` reads user_instructions",
                    SpeechModel::MarsInstruct
                ),
            ));
        }
        if SampleFormat::of_raw(&self.format).is_some() && self.sample_rate.is_none() {
            return Err(invalid(
                "sample_rate",
                format!(
                    "raw PCM ({}) carries no sample rate: ask for one (the sources disagree on \
                     each model's own), or use WAV",
                    self.format
                ),
            ));
        }
        if self.sample_rate == Some(0) {
            return Err(invalid("sample_rate", "must be above 0".into()));
        }
        let output = StreamTtsOutputConfiguration::builder()
            .format(Some(self.format.clone()))
            .sample_rate(self.sample_rate.map(i64::from))
            .duration(self.duration)
            .apply_enhancement(self.apply_enhancement);
        CreateStreamTtsRequestPayload::builder()
            .text(self.text.clone())
            .language(locale.to_owned())
            .voice_id(self.voice_id.get())
            .speech_model(self.model.clone())
            .user_instructions(self.user_instructions.clone())
            .enhance_named_entities_pronunciation(self.enhance_named_entities)
            .output_configuration(Some(
                output
                    .try_into()
                    .map_err(|e| invalid("output_configuration", format!("{e}")))?,
            ))
            .voice_settings(self.voice_settings.clone())
            .inference_options(self.inference_options.clone())
            .try_into()
            .map_err(|e| invalid("speech", format!("{e}")))
    }
}

/// Whether a model reads `user_instructions`: the instruct models
/// (`mars-instruct`; the vendor's Rust SDK also names `mars-8-instruct`).
/// Other models ignore them silently (the docs). A model this version does
/// not know is given the benefit of the doubt.
fn takes_instructions(model: &SpeechModel) -> bool {
    model.is_unknown() || model.as_str().contains("instruct")
}

/// What the answer must be, from the request.
#[derive(Clone, Debug)]
pub(crate) enum Expected {
    /// A WAV: its header gives the format.
    Wav,
    /// Raw PCM of this layout (a WAV header, if one comes, wins).
    Raw(PcmFormat),
    /// An encoded format, handed on as it is.
    Encoded(OutputFormat),
}

impl Expected {
    /// The format of an answer that needs no header read.
    pub(crate) fn known(&self, content_type: Option<&str>) -> Option<AudioFormat> {
        match self {
            Expected::Wav => None,
            Expected::Raw(pcm) => Some(AudioFormat::Pcm(*pcm)),
            Expected::Encoded(format) => Some(AudioFormat::Encoded {
                format: format.clone(),
                content_type: content_type.map(str::to_owned),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(speech: &Speech) -> &'static str {
        match speech.body() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn checks_text_locale_instructions_and_raw_rates_before_any_request() {
        let hello = Speech::new("Hello", Language::EN_US, VoiceId(1));
        assert!(hello.body().is_ok());
        assert_eq!(field(&hello.with_text("Hi")), "text");
        assert_eq!(field(&hello.with_text("   ")), "text");
        assert_eq!(field(&hello.with_text("é".repeat(3001))), "text");
        assert!(
            hello.with_text("é".repeat(3000)).body().is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            field(&Speech::new("Hello", Language::from_id(99_999), VoiceId(1))),
            "language"
        );
        assert_eq!(
            field(&Speech::new("Hello", Language::EN_US, VoiceId(-1))),
            "voice_id"
        );
        let styled = hello.clone().user_instructions("warmly");
        assert_eq!(field(&styled), "user_instructions");
        assert_eq!(
            field(&styled.clone().model(SpeechModel::MarsFlash)),
            "user_instructions"
        );
        assert!(
            styled
                .clone()
                .model(SpeechModel::MarsInstruct)
                .body()
                .is_ok()
        );
        assert!(
            styled
                .model(SpeechModel::from("mars-9-instruct"))
                .body()
                .is_ok()
        );
        let raw = hello.clone().format(OutputFormat::PcmS16le);
        assert_eq!(field(&raw), "sample_rate");
        assert!(raw.sample_rate(24_000).body().is_ok());
    }

    #[test]
    fn the_body_carries_the_locale_tag_and_the_format() {
        let body = Speech::new("Hello", "PT-BR".parse().unwrap(), VoiceId(7))
            .format(OutputFormat::PcmS16le)
            .sample_rate(24_000)
            .body()
            .unwrap();
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(json["language"], "pt-br");
        assert_eq!(json["voice_id"], 7);
        assert_eq!(json["output_configuration"]["format"], "pcm_s16le");
        assert_eq!(json["output_configuration"]["sample_rate"], 24_000);
        assert!(json.get("user_instructions").is_none());
    }
}
