//! The voices a [`Speech`](crate::Speech) speaks with: [`Camb::voices`]
//! lists them, [`Camb::create_voice`] clones one from a recording.

use std::path::{Path, PathBuf};

use camb_api::multipart::FilePart;
use camb_api::types::{BodyCreateCustomVoiceCreateCustomVoicePost as Fields, VoiceList};

use crate::{
    Camb, Error, Language, VoiceId,
    retry::{self, Resend},
};

/// A voice of the account or of CAMB.AI's library, as
/// [`Camb::voices`] lists it: what a voice picker shows.
#[derive(Clone, Debug)]
pub struct Voice(camb_api::types::Voice);

impl Voice {
    /// Its id, for [`Speech::new`](crate::Speech::new).
    pub fn id(&self) -> VoiceId {
        VoiceId(self.0.id)
    }

    /// Its name (`voice_name`).
    pub fn name(&self) -> &str {
        &self.0.voice_name
    }

    /// Its gender.
    pub fn gender(&self) -> Gender {
        self.0.gender.map_or(Gender::NotKnown, Gender::from_wire)
    }

    /// Its age, if the server says.
    pub fn age(&self) -> Option<i64> {
        self.0.age
    }

    /// The language it was recorded in, if the server says.
    pub fn language(&self) -> Option<Language> {
        self.0.language.and_then(Language::from_wire)
    }

    /// Everything the server sent about it (description, transcript, ...).
    pub fn details(&self) -> &camb_api::types::Voice {
        &self.0
    }
}

/// A voice's gender, as the API numbers it (the ISO/IEC 5218 codes:
/// `camb/types/gender.py` types it as an integer; the spec's `Voice`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// 0, or not given.
    NotKnown,
    /// 1.
    Male,
    /// 2.
    Female,
    /// 9.
    NotApplicable,
    /// A code this version does not know.
    Other(i64),
}

impl Gender {
    /// The code the API uses.
    pub fn code(self) -> i64 {
        match self {
            Gender::NotKnown => 0,
            Gender::Male => 1,
            Gender::Female => 2,
            Gender::NotApplicable => 9,
            Gender::Other(code) => code,
        }
    }

    /// The gender of a code the server sent.
    pub fn from_wire(code: i64) -> Gender {
        match code {
            0 => Gender::NotKnown,
            1 => Gender::Male,
            2 => Gender::Female,
            9 => Gender::NotApplicable,
            other => Gender::Other(other),
        }
    }
}

/// A voice to clone from a recording, for [`Camb::create_voice`].
///
/// The recording is read from disk as the request is sent (streamed, never
/// held whole in memory), or given as bytes.
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
/// use camb_api_ext::{Gender, Language, NewVoice, Speech};
///
/// let mine = NewVoice::from_path("Narrator", Gender::Female, "narrator.wav").age(35);
/// let voice_id = camb.create_voice(&mine).await?;
/// let audio = camb.speak(&Speech::new("In my own voice.", Language::EN_US, voice_id)).await?;
/// # let _ = audio; Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct NewVoice {
    name: String,
    gender: Gender,
    age: Option<i64>,
    language: Option<Language>,
    description: Option<String>,
    enhance_audio: Option<bool>,
    publish: Option<bool>,
    file: Recording,
}

/// Where the recording comes from.
#[derive(Clone, Debug, PartialEq)]
enum Recording {
    /// A file on disk, opened anew for each attempt.
    Path(PathBuf),
    /// The recording's bytes, with the name it is sent under.
    Bytes { file_name: String, bytes: Vec<u8> },
}

impl NewVoice {
    /// A voice named `name`, cloned from the recording at `path` (sent under
    /// its file name, with a content type guessed from its extension).
    pub fn from_path(name: impl Into<String>, gender: Gender, path: impl AsRef<Path>) -> Self {
        NewVoice::with(name, gender, Recording::Path(path.as_ref().to_owned()))
    }

    /// A voice named `name`, cloned from a recording's `bytes`, sent as the
    /// file `file_name`.
    pub fn from_bytes(
        name: impl Into<String>,
        gender: Gender,
        file_name: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        NewVoice::with(
            name,
            gender,
            Recording::Bytes {
                file_name: file_name.into(),
                bytes: bytes.into(),
            },
        )
    }

    fn with(name: impl Into<String>, gender: Gender, file: Recording) -> Self {
        NewVoice {
            name: name.into(),
            gender,
            age: None,
            language: None,
            description: None,
            enhance_audio: None,
            publish: None,
            file,
        }
    }

    /// The speaker's age.
    pub fn age(mut self, age: i64) -> Self {
        self.age = Some(age);
        self
    }

    /// The language of the recording (a language with an id).
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }

    /// What the voice is like.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Whether the server cleans the recording up first (`enhance_audio`).
    pub fn enhance_audio(mut self, enhance: bool) -> Self {
        self.enhance_audio = Some(enhance);
        self
    }

    /// Whether the voice is offered to other users in CAMB.AI's marketplace
    /// (`publish_voice_to_market_place`: setting `true` is your consent).
    pub fn publish_to_marketplace(mut self, publish: bool) -> Self {
        self.publish = Some(publish);
        self
    }

    /// The form's text fields, after the checks the API's types make
    /// certain: a name, an age of at least 0, a language with an id, a
    /// recording given as bytes that is not empty.
    fn fields(&self) -> Result<Fields, Error> {
        let invalid = |field: &'static str, reason: &str| Error::InvalidInput {
            field,
            reason: reason.into(),
        };
        if self.name.trim().is_empty() {
            return Err(invalid("voice_name", "a voice needs a name"));
        }
        if self.age.is_some_and(|age| age < 0) {
            return Err(invalid("age", "is never negative"));
        }
        if let Recording::Bytes { file_name, bytes } = &self.file {
            if bytes.is_empty() {
                return Err(invalid("file", "the recording is empty"));
            }
            if file_name.trim().is_empty() {
                return Err(invalid("file", "the recording needs a file name"));
            }
        }
        let language = match self.language {
            Some(language) => Some(language.id().ok_or_else(|| {
                invalid(
                    "language",
                    "the API takes a language id here; this tag has none this version knows",
                )
            })?),
            None => None,
        };
        Fields::builder()
            .voice_name(self.name.clone())
            .gender(self.gender.code())
            .age(self.age)
            .language(language.map(i64::from))
            .description(self.description.clone())
            .enhance_audio(self.enhance_audio)
            .publish_voice_to_market_place(self.publish)
            .try_into()
            .map_err(|e| Error::InvalidInput {
                field: "voice",
                reason: format!("{e}"),
            })
    }

    /// The file part, made anew for each attempt (a streamed file cannot be
    /// sent twice); a file that cannot be opened is [`Error::ReadFile`].
    async fn file_part(&self) -> Result<FilePart, Error> {
        match &self.file {
            Recording::Path(path) => crate::file_part(path).await,
            Recording::Bytes { file_name, bytes } => {
                Ok(FilePart::bytes(bytes.clone(), file_name.clone()))
            }
        }
    }
}

impl Camb {
    /// The voices this key may speak with (`GET /list-voices`), whichever
    /// of its three shapes the server answers in (a list, or the list under
    /// `payload` or `voices`). Retried under the [`RetryPolicy`](crate::RetryPolicy).
    pub async fn voices(&self) -> Result<Vec<Voice>, Error> {
        let list = self
            .call(crate::retry::Resend::Idempotent, || {
                self.raw.list_voices().send()
            })
            .await?;
        let voices = match list {
            VoiceList::Array(voices) => voices,
            VoiceList::VoicePayload(wrapped) => wrapped.payload,
            VoiceList::VoiceVoices(wrapped) => wrapped.voices,
        };
        Ok(voices.into_iter().map(Voice).collect())
    }

    /// Clones a voice from a recording (`POST /create-custom-voice`, a
    /// multipart form with the file streamed from disk) and returns its id,
    /// usable in [`Camb::speak`] at once. The request is checked first
    /// ([`Error::InvalidInput`]; a file that cannot be opened is
    /// [`Error::ReadFile`], with nothing sent).
    ///
    /// Not idempotent: only resent when the server surely did not act on
    /// it, so a voice is never made twice.
    pub async fn create_voice(&self, voice: &NewVoice) -> Result<VoiceId, Error> {
        let fields = voice.fields()?;
        let answer = retry::run(&self.retry, Resend::OnlyIfUnprocessed, None, || async {
            let part = voice.file_part().await?;
            self.send(
                self.raw
                    .create_custom_voice()
                    .body(fields.clone())
                    .file(part)
                    .send(),
            )
            .await
        })
        .await?
        .into_inner();
        if answer.voice_id < 0 {
            return Err(Error::unusable(
                "the new voice's id is negative",
                &answer,
                &self.key,
            ));
        }
        Ok(VoiceId(answer.voice_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_voice_needs_a_name_a_recording_and_a_language_id() {
        let field = |voice: NewVoice| match voice.fields() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        let ok = NewVoice::from_bytes("Narrator", Gender::Female, "n.wav", b"RIFF".to_vec());
        let fields = ok
            .clone()
            .language(Language::EN_US)
            .age(30)
            .fields()
            .unwrap();
        assert_eq!((fields.gender, fields.age), (2, Some(30)));
        assert_eq!(fields.language, Language::EN_US.id().map(i64::from));
        assert_eq!(
            field(NewVoice::from_bytes(
                " ",
                Gender::Male,
                "n.wav",
                b"x".to_vec()
            )),
            "voice_name"
        );
        assert_eq!(
            field(NewVoice::from_bytes("N", Gender::Male, "n.wav", Vec::new())),
            "file"
        );
        assert_eq!(field(ok.clone().age(-1)), "age");
        assert_eq!(field(ok.language("sw-ug".parse().unwrap())), "language");
    }

    #[test]
    fn genders_are_the_iso_codes() {
        for code in [0, 1, 2, 9, 5] {
            assert_eq!(Gender::from_wire(code).code(), code);
        }
        assert_eq!(Gender::from_wire(2), Gender::Female);
    }
}
