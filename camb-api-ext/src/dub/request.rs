//! [`DubRequest`]: what to dub, built from the three things every dub needs
//! plus setters for the rest, so a field the API adds later adds a setter
//! instead of breaking callers; its checks are in [`checks`].

use std::{path::Path, sync::Arc};

use camb_api::types::{self as raw, TranscriptionMode};

use crate::{DictionaryId, Error, Language, RunId, SourceLanguage, error::built};

mod checks;

pub(crate) use checks::{folder_id, http_link};

/// The setters of the CAMB.AI Studio project a create files its task under
/// (fields `project_name`, `project_description` and `folder_id`), written
/// once for every request type that has them.
macro_rules! project_setters {
    () => {
        /// The project's name in CAMB.AI Studio.
        pub fn project_name(mut self, name: impl Into<String>) -> Self {
            self.project_name = Some(name.into());
            self
        }

        /// The project's description in CAMB.AI Studio.
        pub fn project_description(mut self, description: impl Into<String>) -> Self {
            self.project_description = Some(description.into());
            self
        }

        /// The Studio folder to put the project in: one of
        /// [`Camb::folders`](crate::Camb::folders) (its id is among the
        /// [`Folder::extra`](crate::Folder::extra) fields, as CAMB.AI's SDK
        /// names none), or one made with
        /// [`Camb::create_folder`](crate::Camb::create_folder).
        pub fn folder_id(mut self, folder_id: i64) -> Self {
            self.folder_id = Some(folder_id);
            self
        }
    };
}
pub(crate) use project_setters;

/// A request to dub a video or audio file: the body of `POST /dub`.
///
/// [`DubRequest::new`] takes what every dub needs; setters add the rest.
/// Every field of the API's create call can be set. Nothing is sent until
/// [`Camb::create_dub`] or [`Camb::dub`], which check the request first: a
/// bad URL, no target or one given twice, a target equal to the source, a
/// bad language id, a folder id below 1 or a transcript the API would refuse
/// is an [`Error::InvalidInput`] before any request. A tag this version
/// does not know is sent as given; read tags with [`Language::parse_known`]
/// to refuse those too.
///
/// The source is a [`Language`] or [`SourceLanguage::Auto`] (the server
/// detects it); targets are concrete languages, by constant, id or tag.
///
/// ```
/// use camb_api_ext::{DubRequest, Language, SourceLanguage, TranscriptionMode};
///
/// let request = DubRequest::new(
///     "https://example.com/talk.mp4",
///     Language::EN_US,
///     [Language::FR_FR, Language::ES_ES],
/// )
/// .project_name("Keynote")
/// .transcription_mode(TranscriptionMode::Slow)
/// .source_transcript_srt("1\n00:00:00,000 --> 00:00:02,000\nHello.\n");
/// assert_eq!(request.target_languages(), [Language::FR_FR, Language::ES_ES]);
///
/// let detected = DubRequest::new(
///     "https://example.com/talk.mp4",
///     SourceLanguage::Auto,
///     ["fr-fr".parse()?, "de-de".parse()?],
/// );
/// assert_eq!(detected.source_language(), SourceLanguage::Auto);
/// # Ok::<(), camb_api_ext::Error>(())
/// ```
///
/// With serde it is an object of the fields that were set, so an
/// application can store each request next to its [`TaskId`](crate::TaskId)
/// and, after a restart, fetch the result with [`Camb::result`] (its
/// targets name the outputs) or
/// resume a whole batch with [`Camb::dub_all`]. Reading one back does not
/// check it; the calls that send it do.
///
/// [`Camb::create_dub`]: crate::Camb::create_dub
/// [`Camb::dub`]: crate::Camb::dub
/// [`Camb::result`]: crate::Camb::result
/// [`Camb::dub_all`]: crate::Camb::dub_all
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DubRequest {
    video_url: String,
    source_language: SourceLanguage,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    target_languages: Vec<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target_language: Option<Language>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    project_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    project_description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    folder_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selected_audio_tracks: Option<Vec<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    add_output_as_an_audio_track: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    chosen_dictionaries: Option<Vec<i64>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ai_optimization: Option<bool>,
    #[serde(default = "fast")]
    transcription_mode: TranscriptionMode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_transcript: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    target_transcripts: Vec<(Language, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    run_id: Option<RunId>,
}

impl DubRequest {
    /// Dub `video_url` (a YouTube, Google Drive or direct media link) from
    /// `source_language` (a [`Language`], or [`SourceLanguage::Auto`]) into
    /// each of `target_languages`.
    pub fn new(
        video_url: impl Into<String>,
        source_language: impl Into<SourceLanguage>,
        target_languages: impl IntoIterator<Item = Language>,
    ) -> Self {
        DubRequest {
            video_url: video_url.into(),
            source_language: source_language.into(),
            target_languages: target_languages.into_iter().collect(),
            target_language: None,
            project_name: None,
            project_description: None,
            folder_id: None,
            selected_audio_tracks: None,
            add_output_as_an_audio_track: None,
            chosen_dictionaries: None,
            ai_optimization: None,
            transcription_mode: fast(),
            source_transcript: None,
            target_transcripts: Vec::new(),
            run_id: None,
        }
    }

    /// Sets the one target of the API's older single-target form
    /// (`target_language`); prefer the list given to [`DubRequest::new`].
    pub fn target_language(mut self, language: Language) -> Self {
        self.target_language = Some(language);
        self
    }

    project_setters!();

    /// Which audio tracks of the source to dub (by index).
    pub fn selected_audio_tracks(mut self, tracks: impl IntoIterator<Item = u32>) -> Self {
        self.selected_audio_tracks = Some(tracks.into_iter().collect());
        self
    }

    /// Whether to add the dub as an extra audio track of the video.
    pub fn add_output_as_an_audio_track(mut self, add: bool) -> Self {
        self.add_output_as_an_audio_track = Some(add);
        self
    }

    /// The account's dictionaries to apply to the translation, by id:
    /// [`DictionaryId`]s from [`Camb::dictionaries`](crate::Camb::dictionaries)
    /// (or plain integers). A negative id is an [`Error::InvalidInput`]
    /// before any request.
    pub fn chosen_dictionaries(
        mut self,
        dictionary_ids: impl IntoIterator<Item = impl Into<i64>>,
    ) -> Self {
        self.chosen_dictionaries = Some(dictionary_ids.into_iter().map(Into::into).collect());
        self
    }

    /// Whether the server may optimize the dub with AI.
    pub fn ai_optimization(mut self, optimize: bool) -> Self {
        self.ai_optimization = Some(optimize);
        self
    }

    /// `Fast` (the default, always sent, as the official SDK does) or `Slow`
    /// transcription.
    pub fn transcription_mode(mut self, mode: TranscriptionMode) -> Self {
        self.transcription_mode = mode;
        self
    }

    /// The source's transcript as SRT text, instead of transcribing it.
    pub fn source_transcript_srt(mut self, srt: impl Into<String>) -> Self {
        self.source_transcript = Some(srt.into());
        self
    }

    /// [`DubRequest::source_transcript_srt`] from an SRT file; a file that
    /// cannot be read is an [`Error::ReadFile`] (nothing is sent).
    pub fn source_transcript_file(self, path: impl AsRef<Path>) -> Result<Self, Error> {
        let srt = read_srt(path.as_ref())?;
        Ok(self.source_transcript_srt(srt))
    }

    /// A translated transcript (SRT text) for one of the target languages.
    /// One per language: a second one for the same language is refused when
    /// the request is sent, like a transcript for a language that is no
    /// target.
    pub fn target_transcript_srt(mut self, language: Language, srt: impl Into<String>) -> Self {
        self.target_transcripts.push((language, srt.into()));
        self
    }

    /// [`DubRequest::target_transcript_srt`] from an SRT file; a file that
    /// cannot be read is an [`Error::ReadFile`] (nothing is sent).
    pub fn target_transcript_file(
        self,
        language: Language,
        path: impl AsRef<Path>,
    ) -> Result<Self, Error> {
        let srt = read_srt(path.as_ref())?;
        Ok(self.target_transcript_srt(language, srt))
    }

    /// The optional `run_id` query parameter of the create call.
    pub fn run_id(mut self, run_id: RunId) -> Self {
        self.run_id = Some(run_id);
        self
    }

    /// The media to dub.
    pub fn video_url(&self) -> &str {
        &self.video_url
    }

    /// The language of the source, or [`SourceLanguage::Auto`].
    pub fn source_language(&self) -> SourceLanguage {
        self.source_language
    }

    /// The languages to dub into (the list form).
    pub fn target_languages(&self) -> &[Language] {
        &self.target_languages
    }

    /// Every target language: the list, plus the single-target field if set
    /// and not in the list.
    pub fn all_target_languages(&self) -> Vec<Language> {
        let mut all = self.target_languages.clone();
        if let Some(single) = self.target_language.filter(|one| !all.contains(one)) {
            all.push(single);
        }
        all
    }

    /// The `run_id` query parameter, if set.
    pub(crate) fn query_run_id(&self) -> Option<RunId> {
        self.run_id
    }

    /// Checks the request; see [`crate::request`].
    pub(crate) fn check(&self) -> Result<(), Error> {
        checks::check(self)
    }

    /// The transcripts, for the checks.
    pub(crate) fn transcripts(&self) -> impl Iterator<Item = (Option<Language>, &str)> {
        let source = self
            .source_transcript
            .iter()
            .map(|srt| (None, srt.as_str()));
        let targets = self
            .target_transcripts
            .iter()
            .map(|(language, srt)| (Some(*language), srt.as_str()));
        source.chain(targets)
    }

    /// The body [`Camb::create_dub`](crate::Camb::create_dub) sends for this
    /// request, as the generated client types it, after the same checks
    /// ([`Error::InvalidInput`]): for a mock that expects exactly that body
    /// (`when.body(&request.to_body()?)` with the helpers in `mock`), or to
    /// send it with [`Camb::raw`](crate::Camb::raw).
    ///
    /// ```
    /// use camb_api_ext::{DubRequest, Language};
    ///
    /// let request = DubRequest::new("https://example.com/a.mp4", Language::EN_US, [Language::FR_FR]);
    /// let body = request.to_body()?;
    /// assert_eq!(body.video_url, "https://example.com/a.mp4");
    /// # Ok::<(), camb_api_ext::Error>(())
    /// ```
    pub fn to_body(&self) -> Result<raw::EndToEndDubbingRequest, Error> {
        self.check()?;
        self.to_raw()
    }

    /// The body as the generated client types it, unchecked.
    fn to_raw(&self) -> Result<raw::EndToEndDubbingRequest, Error> {
        let wire = |languages: &[Language]| languages.iter().map(|l| l.wire()).collect::<Vec<_>>();
        let source_transcript = self.source_transcript.as_ref().map(|srt| {
            raw::builder::TranscriptInput::default()
                .content(srt.clone())
                .try_into()
        });
        let target_transcripts: Option<Result<Vec<raw::TargetTranscriptInput>, _>> =
            (!self.target_transcripts.is_empty()).then(|| {
                self.target_transcripts
                    .iter()
                    .map(|(language, srt)| {
                        raw::builder::TargetTranscriptInput::default()
                            .language(raw::Language::from(*language))
                            .content(srt.clone())
                            .try_into()
                    })
                    .collect()
            });
        let body = raw::builder::EndToEndDubbingRequest::default()
            .video_url(self.video_url.trim().to_owned())
            .source_language(self.source_language.wire())
            .target_languages(
                (!self.target_languages.is_empty()).then(|| wire(&self.target_languages)),
            )
            .target_language(self.target_language.map(Language::wire))
            .project_name(self.project_name.clone())
            .project_description(self.project_description.clone())
            .folder_id(self.folder_id)
            .selected_audio_tracks(
                self.selected_audio_tracks
                    .as_ref()
                    .map(|tracks| tracks.iter().map(|t| i64::from(*t)).collect::<Vec<_>>()),
            )
            .add_output_as_an_audio_track(self.add_output_as_an_audio_track)
            .chosen_dictionaries(
                self.chosen_dictionaries
                    .as_ref()
                    .map(|ids| ids.iter().map(|id| DictionaryId(*id).checked()).collect())
                    .transpose()?,
            )
            .ai_optimization(self.ai_optimization)
            .transcription_mode(Some(self.transcription_mode))
            .source_transcript(source_transcript.transpose().map_err(Error::unbuilt)?)
            .target_transcripts(target_transcripts.transpose().map_err(Error::unbuilt)?);
        built(body)
    }
}

/// The mode the official SDK sends unless told otherwise (and a stored
/// request without one gets).
fn fast() -> TranscriptionMode {
    TranscriptionMode::Fast
}

fn read_srt(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::ReadFile {
        path: path.to_owned(),
        source: Arc::new(source),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_of_the_create_call_can_be_set() {
        let request = DubRequest::new(
            " https://example.com/v.mp4 ",
            Language::EN_US,
            [Language::FR_FR, Language::ES_ES],
        )
        .target_language(Language::FR_FR)
        .project_name("Keynote")
        .project_description("Main stage")
        .folder_id(12)
        .selected_audio_tracks([0, 2])
        .add_output_as_an_audio_track(true)
        .chosen_dictionaries([5, 6])
        .ai_optimization(false)
        .transcription_mode(TranscriptionMode::Slow)
        .source_transcript_srt("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
        .target_transcript_srt(Language::ES_ES, "1\n00:00:00,000 --> 00:00:01,000\nHola\n")
        .run_id(RunId(9));
        let body = serde_json::to_value(request.to_raw().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "video_url": "https://example.com/v.mp4",
                "source_language": 1,
                "target_languages": [76, 54],
                "target_language": 76,
                "project_name": "Keynote",
                "project_description": "Main stage",
                "folder_id": 12,
                "selected_audio_tracks": [0, 2],
                "add_output_as_an_audio_track": true,
                "chosen_dictionaries": [5, 6],
                "ai_optimization": false,
                "transcription_mode": "slow",
                "source_transcript": {"content": "1\n00:00:00,000 --> 00:00:01,000\nHi\n", "format": "srt"},
                "target_transcripts": [
                    {"language": 54, "content": "1\n00:00:00,000 --> 00:00:01,000\nHola\n", "format": "srt"}
                ],
            })
        );
        assert_eq!(request.query_run_id(), Some(RunId(9)));

        // Every field of the spec's create body has a setter: a field the
        // spec gains fails here, by name, until DubRequest learns it.
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("../../../spec/generated/openapi.json")).unwrap();
        let in_spec: std::collections::BTreeSet<&str> =
            spec["components"]["schemas"]["EndToEndDubbingRequest"]["properties"]
                .as_object()
                .expect("the spec describes the create body")
                .keys()
                .map(String::as_str)
                .collect();
        let set_here: std::collections::BTreeSet<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let unknown: Vec<_> = in_spec.difference(&set_here).collect();
        assert!(
            unknown.is_empty(),
            "create body fields in the spec that DubRequest cannot set: {unknown:?}"
        );
        assert_eq!(set_here, in_spec, "DubRequest sends fields the spec lacks");
    }

    #[test]
    fn a_request_round_trips_through_serde_with_every_field() {
        let full = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR])
            .target_language(Language::ES_ES)
            .project_name("P")
            .project_description("D")
            .folder_id(3)
            .selected_audio_tracks([1])
            .add_output_as_an_audio_track(false)
            .chosen_dictionaries([4])
            .ai_optimization(true)
            .transcription_mode(TranscriptionMode::Slow)
            .source_transcript_srt("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
            .target_transcript_srt(Language::FR_FR, "1\n00:00:00,000 --> 00:00:01,000\nSalut\n")
            .run_id(RunId(5));
        let minimal = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR]);
        let detected = DubRequest::new(
            "https://a.b/v.mp4",
            SourceLanguage::Auto,
            ["sw-ug".parse().unwrap()],
        );
        for request in [full, minimal, detected] {
            let text = serde_json::to_string(&request).unwrap();
            let back: DubRequest = serde_json::from_str(&text).unwrap();
            assert_eq!(back, request, "{text}");
        }
        let stored =
            r#"{"video_url": "https://a.b/v.mp4", "source_language": 1, "target_languages": [76]}"#;
        let read: DubRequest = serde_json::from_str(stored).unwrap();
        assert_eq!(read.target_languages(), [Language::FR_FR]);
    }

    #[test]
    fn a_minimal_request_sends_what_was_set_and_the_fast_mode_the_sdk_sends() {
        let request = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR]);
        let body = serde_json::to_value(request.to_raw().unwrap()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({
                "video_url": "https://a.b/v.mp4",
                "source_language": 1,
                "target_languages": [76],
                "transcription_mode": "fast",
            })
        );
    }

    #[test]
    fn auto_detection_and_tags_go_on_the_wire_as_text_and_known_tags_as_ids() {
        let request = DubRequest::new(
            "https://a.b/v.mp4",
            SourceLanguage::Auto,
            ["ES-es".parse().unwrap(), "sw-ug".parse().unwrap()],
        )
        .target_language("pt_BR".parse().unwrap())
        .target_transcript_srt(
            "sw-ug".parse().unwrap(),
            "1\n00:00:00,000 --> 00:00:01,000\nx\n",
        );
        let body = serde_json::to_value(request.to_raw().unwrap()).unwrap();
        assert_eq!(body["source_language"], "auto");
        assert_eq!(body["target_languages"], serde_json::json!([54, "sw-ug"]));
        assert_eq!(body["target_language"], 111);
        assert_eq!(body["target_transcripts"][0]["language"], "sw-ug");
    }

    #[test]
    fn transcript_files_are_read_and_a_missing_one_is_a_typed_error() {
        let dir = std::env::temp_dir().join(format!("camb-dub-request-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("fr.srt");
        std::fs::write(&file, "1\n00:00:00,000 --> 00:00:01,000\nSalut\n").unwrap();
        let request = DubRequest::new("https://a.b/v.mp4", Language::EN_US, [Language::FR_FR])
            .target_transcript_file(Language::FR_FR, &file)
            .unwrap();
        assert_eq!(request.transcripts().count(), 1);
        let missing = dir.join("missing.srt");
        match DubRequest::new("https://a.b/v.mp4", Language::EN_US, [])
            .source_transcript_file(&missing)
        {
            Err(Error::ReadFile { path, source }) => {
                assert_eq!(path, missing);
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("{other:?}"),
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
