//! [`TranscriptionRequest`]: what to transcribe, and the form
//! `POST /transcribe` sends it as.

use std::path::{Path, PathBuf};

use camb_api::types::{
    BodyCreateTranscriptionTranscribePost as Form,
    BodyCreateTranscriptionTranscribePostTranscriptionMode as FormMode, TranscriptionMode,
    builder::BodyCreateTranscriptionTranscribePost as FormBuilder,
};

use crate::{
    Error, SourceLanguage,
    dub::{folder_id, http_link, project_setters},
    error::built,
};

/// What to transcribe: a medium (a link, or a local file uploaded with the
/// request) and its language (a [`Language`](crate::Language), or
/// [`SourceLanguage::Auto`] to have it detected), plus a setter for every
/// other option of the API. Start it with [`Camb::transcribe`](crate::Camb::transcribe).
///
/// ```
/// use camb_api_ext::{Language, SourceLanguage, TranscriptionMode, TranscriptionRequest};
///
/// let by_link = TranscriptionRequest::from_url("https://example.com/talk.mp4", Language::EN_US)
///     .project_name("Talk")
///     .transcription_mode(TranscriptionMode::Slow);
/// assert_eq!(by_link.media_url(), Some("https://example.com/talk.mp4"));
///
/// // A local file, streamed from disk as the request goes; the language detected.
/// let upload = TranscriptionRequest::from_file("talk.wav", SourceLanguage::Auto)
///     .run_audio_cleaning(false);
/// assert_eq!(upload.media_file(), Some(std::path::Path::new("talk.wav")));
/// assert_eq!(upload.language(), SourceLanguage::Auto);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptionRequest {
    media: Media,
    language: SourceLanguage,
    project_name: Option<String>,
    project_description: Option<String>,
    folder_id: Option<i64>,
    transcription_mode: TranscriptionMode,
    run_audio_cleaning: bool,
    include_music_in_fg: bool,
}

/// Where the medium comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Media {
    /// `media_url`: a link the server downloads.
    Url(String),
    /// `media_file`: a local file, uploaded.
    File(PathBuf),
}

impl TranscriptionRequest {
    /// Transcribes the medium at `media_url` (a direct or signed link to an
    /// audio or video file), spoken in `language`.
    pub fn from_url(media_url: impl Into<String>, language: impl Into<SourceLanguage>) -> Self {
        Self::new(Media::Url(media_url.into()), language.into())
    }

    /// Transcribes the local file at `path`, uploaded with the request
    /// (streamed from disk, never read whole into memory), spoken in
    /// `language`.
    pub fn from_file(path: impl Into<PathBuf>, language: impl Into<SourceLanguage>) -> Self {
        Self::new(Media::File(path.into()), language.into())
    }

    /// The API's defaults, as CAMB.AI's SDK sends them: `fast` mode, audio
    /// cleaning on, music kept in the foreground.
    fn new(media: Media, language: SourceLanguage) -> Self {
        TranscriptionRequest {
            media,
            language,
            project_name: None,
            project_description: None,
            folder_id: None,
            transcription_mode: TranscriptionMode::Fast,
            run_audio_cleaning: true,
            include_music_in_fg: true,
        }
    }

    project_setters!();

    /// `fast` (the default) or `slow`, more careful.
    pub fn transcription_mode(mut self, mode: TranscriptionMode) -> Self {
        self.transcription_mode = mode;
        self
    }

    /// Whether the server separates speech from other sound first (the
    /// default); turn it off for clean speech.
    pub fn run_audio_cleaning(mut self, clean: bool) -> Self {
        self.run_audio_cleaning = clean;
        self
    }

    /// Whether cleaning keeps music in the foreground audio (the default);
    /// no effect without [`run_audio_cleaning`](Self::run_audio_cleaning).
    pub fn include_music_in_fg(mut self, include: bool) -> Self {
        self.include_music_in_fg = include;
        self
    }

    /// The link to transcribe, for a request made with [`from_url`](Self::from_url).
    pub fn media_url(&self) -> Option<&str> {
        match &self.media {
            Media::Url(url) => Some(url),
            Media::File(_) => None,
        }
    }

    /// The file to upload, for a request made with [`from_file`](Self::from_file).
    pub fn media_file(&self) -> Option<&Path> {
        match &self.media {
            Media::File(path) => Some(path),
            Media::Url(_) => None,
        }
    }

    /// The language spoken, or [`SourceLanguage::Auto`].
    pub fn language(&self) -> SourceLanguage {
        self.language
    }

    /// Rejects what the API could not act on, before any request: a link
    /// that is not an absolute http(s) URL, a file that is not there, a
    /// folder id below 1.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match &self.media {
            Media::Url(url) => http_link("media_url", url)?,
            Media::File(path) if !path.is_file() => {
                return Err(Error::InvalidInput {
                    field: "media_file",
                    reason: format!("{} is not a readable file", path.display()),
                });
            }
            Media::File(_) => {}
        }
        folder_id(self.folder_id)
    }

    /// The form's text fields (the file, if any, goes as its own part).
    /// (Deprecated spellings of `media_url`, and subtitle formatting, which
    /// a transcription's segments do not use, are left unset.)
    pub(crate) fn to_form(&self) -> Result<Form, Error> {
        built(
            FormBuilder::default()
                .language(self.language.wire())
                .media_url(self.media_url().map(str::to_owned))
                .project_name(self.project_name.clone())
                .project_description(self.project_description.clone())
                .folder_id(self.folder_id)
                .transcription_mode(Some(match self.transcription_mode {
                    TranscriptionMode::Fast => FormMode::Fast,
                    TranscriptionMode::Slow => FormMode::Slow,
                }))
                .run_audio_cleaning(self.run_audio_cleaning)
                .include_music_in_fg(self.include_music_in_fg),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    #[test]
    fn the_form_carries_every_option_and_the_link() {
        let request = TranscriptionRequest::from_url("https://a.b/talk.mp4", Language::FR_FR)
            .project_name("Talk")
            .project_description("A talk")
            .folder_id(3)
            .transcription_mode(TranscriptionMode::Slow)
            .run_audio_cleaning(false)
            .include_music_in_fg(false);
        request.check().unwrap();
        let form = serde_json::to_value(request.to_form().unwrap()).unwrap();
        assert_eq!(
            form,
            serde_json::json!({
                "language": 76,
                "media_url": "https://a.b/talk.mp4",
                "project_name": "Talk",
                "project_description": "A talk",
                "folder_id": 3,
                "transcription_mode": "slow",
                "run_audio_cleaning": false,
                "include_music_in_fg": false,
            })
        );
    }

    #[test]
    fn a_file_goes_without_a_link_and_auto_as_text() {
        let request = TranscriptionRequest::from_file(file!(), SourceLanguage::Auto);
        let form = serde_json::to_value(request.to_form().unwrap()).unwrap();
        assert_eq!(form["language"], "auto");
        assert_eq!(form["transcription_mode"], "fast");
        assert_eq!(form["run_audio_cleaning"], true);
        assert!(form.get("media_url").is_none(), "{form}");
    }

    #[test]
    fn bad_media_and_folders_are_refused_before_any_request() {
        let field = |request: TranscriptionRequest| match request.check() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        let en = Language::EN_US;
        assert_eq!(field(TranscriptionRequest::from_url("", en)), "media_url");
        assert_eq!(
            field(TranscriptionRequest::from_url("file:///etc/passwd", en)),
            "media_url"
        );
        assert_eq!(
            field(TranscriptionRequest::from_file("/nonexistent/talk.wav", en)),
            "media_file"
        );
        assert_eq!(
            field(TranscriptionRequest::from_url("https://a.b/c.mp3", en).folder_id(0)),
            "folder_id"
        );
    }
}
