//! [`DubOutputs`]: every language's output of a finished run, whichever
//! shape the server answered in, its URLs whichever way they are spelled
//! ([`DubResultUrls`]); and the calls that fetch them ([`Camb::result`],
//! [`Camb::results`]).

use std::fmt;

use camb_api::types::{DubResult, DubbedRunInfo, Transcript};

use crate::{ApiKey, Camb, DubRequest, Error, Language, RunId, tasks};

/// One language's output of a finished dub.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DubOutput {
    /// The language this output is in: from the key of a per-language
    /// answer, or, for a single-result answer, the dub's one target language
    /// when known. Always set for the outputs of [`Camb::result_for`],
    /// [`Camb::dub`] and [`Camb::dub_all`], which know the request. `None`
    /// only where no one said: a single-result answer (whose body names no
    /// language) fetched by run id alone with [`Camb::result`] or
    /// [`Camb::results`], or a key that is no language.
    pub language: Option<Language>,
    /// The key the server filed this output under, as sent; `None` for a
    /// single-result answer.
    pub key: Option<String>,
    /// The dubbed video (`output_video_url` or `video_url`).
    pub video_url: Option<String>,
    /// The dubbed audio (`output_audio_url` or `audio_url`).
    pub audio_url: Option<String>,
    /// The transcript of the dub, line by line.
    pub transcript: Vec<Transcript>,
    /// The result as decoded, for fields not lifted out above.
    pub raw: DubResult,
}

impl fmt::Display for DubOutput {
    /// `fr-fr: video https://…/fr.mp4, audio https://…/fr.mp3`; an output
    /// whose language the answer did not give is named by its key, or
    /// `(language not given)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.language, &self.key) {
            (Some(language), _) => write!(f, "{language}:")?,
            (None, Some(key)) => write!(f, "{key}:")?,
            (None, None) => f.write_str("(language not given):")?,
        }
        let urls = [("video", &self.video_url), ("audio", &self.audio_url)];
        let mut any = false;
        for (what, url) in urls {
            if let Some(url) = url {
                f.write_str(if any { ", " } else { " " })?;
                write!(f, "{what} {url}")?;
                any = true;
            }
        }
        if !any {
            f.write_str(" no file")?;
        }
        Ok(())
    }
}

impl DubOutput {
    fn new(key: Option<String>, language: Option<Language>, raw: DubResult) -> Self {
        DubOutput {
            language,
            key,
            video_url: raw.dubbed_video_url().map(str::to_owned),
            audio_url: raw.dubbed_audio_url().map(str::to_owned),
            transcript: raw.transcript.clone().unwrap_or_default(),
            raw,
        }
    }
}

/// Every language's output of a finished run: what [`Camb::dub`] and
/// [`Camb::result`] return.
///
/// The API answers a run's result with one result, or (a dub into several
/// languages) with a map from language to result; both become one
/// [`DubOutput`] per language here, in key order.
///
/// ```
/// # async fn example(camb: camb_api_ext::Camb, run_id: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
/// use camb_api_ext::Language;
///
/// let outputs = camb.result(run_id).await?;
/// for output in &outputs {
///     println!("{output}"); // fr-fr: video https://…, audio https://…
/// }
/// let french = outputs.get(Language::FR_FR);
/// # let _ = french; Ok(()) }
/// ```
///
/// With serde it is `{"run_id": .., "outputs": [..]}`, each output with its
/// decoded result, so finished results can be stored and read back.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct DubOutputs {
    run_id: RunId,
    outputs: Vec<DubOutput>,
}

impl DubOutputs {
    /// Reads a decoded answer. `target` labels a single-result answer.
    ///
    /// An answer in which neither shape finds anything (`{}`, or only fields
    /// this client does not know) is an [`Error::UnusableResponse`], not an
    /// empty list: a finished run has outputs, and an empty `Ok` would hide
    /// that the answer was not understood.
    pub(crate) fn from_raw(
        run_id: RunId,
        info: DubbedRunInfo,
        target: Option<Language>,
        key: &ApiKey,
    ) -> Result<Self, Error> {
        // The generated type tries both shapes: a per-language map decodes
        // into `by_language` (and an empty `dub_result`); a single result
        // only into `dub_result`, since its fields are no results.
        let outputs = match info {
            DubbedRunInfo {
                by_language: Some(map),
                ..
            } if !map.is_empty() => {
                let mut outputs: Vec<DubOutput> = map
                    .into_iter()
                    .map(|(key, raw)| {
                        let language = key.parse::<Language>().ok();
                        DubOutput::new(Some(key), language, raw)
                    })
                    .collect();
                outputs.sort_by(|a, b| (a.language, &a.key).cmp(&(b.language, &b.key)));
                outputs
            }
            DubbedRunInfo {
                dub_result: Some(one),
                ..
            } if !is_empty(&one) => vec![DubOutput::new(None, target, one)],
            other => {
                return Err(Error::unusable(
                    "the result holds no output this client can read",
                    &other,
                    key,
                ));
            }
        };
        Ok(DubOutputs { run_id, outputs })
    }

    /// Labels a single-result answer (which names no language) with
    /// `request`'s target, when it has exactly one, as [`Camb::result_for`]
    /// does.
    pub(crate) fn labelled_for(mut self, request: &DubRequest) -> Self {
        if let ([target], [only]) = (
            request.all_target_languages().as_slice(),
            self.outputs.as_mut_slice(),
        ) && only.key.is_none()
            && only.language.is_none()
        {
            only.language = Some(*target);
        }
        self
    }

    /// The run these outputs belong to.
    pub fn run_id(&self) -> RunId {
        self.run_id
    }

    /// The output in `language`, if any.
    pub fn get(&self, language: Language) -> Option<&DubOutput> {
        self.outputs
            .iter()
            .find(|output| output.language == Some(language))
    }

    /// The outputs, one per language.
    pub fn iter(&self) -> std::slice::Iter<'_, DubOutput> {
        self.outputs.iter()
    }

    /// How many outputs there are.
    pub fn len(&self) -> usize {
        self.outputs.len()
    }

    /// Whether the server sent no output at all.
    pub fn is_empty(&self) -> bool {
        self.outputs.is_empty()
    }
}

impl fmt::Display for DubOutputs {
    /// `run 7:` then one line per output, as [`DubOutput`] shows it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "run {}:", self.run_id)?;
        for output in &self.outputs {
            write!(f, "\n  {output}")?;
        }
        Ok(())
    }
}

impl IntoIterator for DubOutputs {
    type Item = DubOutput;
    type IntoIter = std::vec::IntoIter<DubOutput>;

    fn into_iter(self) -> Self::IntoIter {
        self.outputs.into_iter()
    }
}

impl<'a> IntoIterator for &'a DubOutputs {
    type Item = &'a DubOutput;
    type IntoIter = std::slice::Iter<'a, DubOutput>;

    fn into_iter(self) -> Self::IntoIter {
        self.outputs.iter()
    }
}

/// A result with no field set (what an empty object decodes to).
fn is_empty(result: &DubResult) -> bool {
    result.run_id.is_none()
        && result.dubbed_video_url().is_none()
        && result.dubbed_audio_url().is_none()
        && result.transcript.is_none()
}

impl Camb {
    /// The outputs of a finished run, one per language.
    ///
    /// A single-result answer has no language attached; when the request
    /// is at hand, [`Camb::result_for`] labels it with the dub's target.
    pub async fn result(&self, run_id: RunId) -> Result<DubOutputs, Error> {
        self.fetch_outputs(run_id, None).await
    }

    /// [`Camb::result`] for a run of `request`: a single-result answer is
    /// labelled with the request's target language when it has exactly one.
    pub async fn result_for(
        &self,
        run_id: RunId,
        request: &DubRequest,
    ) -> Result<DubOutputs, Error> {
        let targets = request.all_target_languages();
        let target = match targets.as_slice() {
            [one] => Some(*one),
            _ => None,
        };
        self.fetch_outputs(run_id, target).await
    }

    async fn fetch_outputs(
        &self,
        run_id: RunId,
        target: Option<Language>,
    ) -> Result<DubOutputs, Error> {
        let info = self.task_result::<tasks::Dub>(run_id).await?;
        DubOutputs::from_raw(run_id, info, target, &self.key)
    }

    /// The outputs of many runs (`POST /dubbing-results`), in
    /// [`RESULTS_PER_REQUEST`](crate::RESULTS_PER_REQUEST)-sized requests.
    ///
    /// Every requested id (repeats removed) is in the answer, in order:
    /// with its outputs, or with [`Error::ResultMissing`] when the server
    /// sent nothing for it. A failed request fails the call.
    pub async fn results(
        &self,
        run_ids: impl IntoIterator<Item = RunId>,
    ) -> Result<Vec<(RunId, Result<DubOutputs, Error>)>, Error> {
        let found = self.task_results::<tasks::Dub>(run_ids).await?;
        Ok(found
            .into_iter()
            .map(|(run_id, info)| {
                let outputs =
                    info.and_then(|info| DubOutputs::from_raw(run_id, info, None, &self.key));
                (run_id, outputs)
            })
            .collect())
    }
}

/// The dubbed files' URLs, whichever spelling the server used: the docs page
/// names them `output_video_url`/`output_audio_url`, the official SDKs
/// `video_url`/`audio_url`, and the live API may send either.
///
/// ```
/// use camb_api_ext::{DubResult, DubResultUrls};
///
/// let docs: DubResult = serde_json::from_str(r#"{"output_video_url": "https://a/v.mp4"}"#)?;
/// let sdks: DubResult = serde_json::from_str(r#"{"video_url": "https://a/v.mp4"}"#)?;
/// assert_eq!(docs.dubbed_video_url(), sdks.dubbed_video_url());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub trait DubResultUrls {
    /// The dubbed video, if the run produced one.
    fn dubbed_video_url(&self) -> Option<&str>;
    /// The dubbed audio, if the run produced one.
    fn dubbed_audio_url(&self) -> Option<&str>;
}

impl DubResultUrls for DubResult {
    fn dubbed_video_url(&self) -> Option<&str> {
        self.output_video_url
            .as_deref()
            .or(self.video_url.as_deref())
    }

    fn dubbed_audio_url(&self) -> Option<&str> {
        self.output_audio_url
            .as_deref()
            .or(self.audio_url.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: serde_json::Value, target: Option<Language>) -> Result<DubOutputs, Error> {
        let key = ApiKey::new("k").unwrap();
        DubOutputs::from_raw(
            RunId(7),
            serde_json::from_value(body).unwrap(),
            target,
            &key,
        )
    }

    fn outputs(body: serde_json::Value, target: Option<Language>) -> DubOutputs {
        read(body, target).unwrap()
    }

    #[test]
    fn a_per_language_map_gives_one_output_per_language() {
        let line = |text: &str| serde_json::json!([{"start": 0.0, "end": 1.0, "text": text, "speaker": "S0"}]);
        let got = outputs(
            serde_json::json!({
                "76": {"audio_url": "fr.mp3", "video_url": "fr.mp4", "transcript": line("Bonjour")},
                "54": {"output_audio_url": "es.mp3", "transcript": line("Hola")},
            }),
            None,
        );
        assert_eq!(got.len(), 2);
        let spanish = &got.iter().next().unwrap();
        assert_eq!(spanish.language, Some(Language::ES_ES));
        assert_eq!(spanish.key.as_deref(), Some("54"));
        assert_eq!(spanish.audio_url.as_deref(), Some("es.mp3"));
        assert_eq!(spanish.video_url, None);
        let french = got.get(Language::FR_FR).unwrap();
        assert_eq!(french.video_url.as_deref(), Some("fr.mp4"));
        assert_eq!(french.transcript[0].text, "Bonjour");
    }

    #[test]
    fn outputs_print_as_language_and_urls() {
        let got = outputs(
            serde_json::json!({
                "76": {"audio_url": "fr.mp3", "video_url": "fr.mp4"},
                "x": {"audio_url": "x.mp3"},
                "54": {"transcript": []},
            }),
            None,
        );
        assert_eq!(
            got.to_string(),
            "run 7:\n  x: audio x.mp3\n  es-es: no file\n  fr-fr: video fr.mp4, audio fr.mp3"
        );
        let single = outputs(serde_json::json!({"output_video_url": "v.mp4"}), None);
        assert_eq!(
            single.iter().next().unwrap().to_string(),
            "(language not given): video v.mp4"
        );
    }

    #[test]
    fn outputs_round_trip_through_serde() {
        let got = outputs(
            serde_json::json!({
                "76": {"audio_url": "fr.mp3", "video_url": "fr.mp4", "extra": 1,
                       "transcript": [{"start": 0.0, "end": 1.0, "text": "Salut", "speaker": "S0"}]},
                "54": {"output_audio_url": "es.mp3"},
            }),
            None,
        );
        let text = serde_json::to_value(&got).unwrap();
        let back: DubOutputs = serde_json::from_value(text.clone()).unwrap();
        assert_eq!(serde_json::to_value(&back).unwrap(), text);
        assert_eq!(back.run_id(), RunId(7));
        let french = back.get(Language::FR_FR).unwrap();
        assert_eq!(french.video_url.as_deref(), Some("fr.mp4"));
        assert_eq!(french.transcript[0].text, "Salut");
        assert_eq!(back.len(), 2);
    }

    #[test]
    fn a_single_result_is_labelled_with_the_known_target() {
        let body = serde_json::json!({
            "run_id": 7, "output_video_url": "v.mp4", "output_audio_url": "a.mp3",
            "transcript": [{"start": 0.0, "end": 1.0, "text": "Hi", "speaker": "S0"}],
        });
        let got = outputs(body.clone(), Some(Language::FR_FR));
        let [only] = got.iter().collect::<Vec<_>>()[..] else {
            panic!("{got:?}")
        };
        assert_eq!(only.language, Some(Language::FR_FR));
        assert_eq!(only.key, None);
        assert_eq!(only.video_url.as_deref(), Some("v.mp4"));
        assert_eq!(only.transcript.len(), 1);
        assert_eq!(outputs(body, None).iter().next().unwrap().language, None);
    }

    #[test]
    fn keys_that_are_locale_tags_or_unknown_ids_keep_their_key() {
        let got = outputs(
            serde_json::json!({"fr-fr": {"audio_url": "a"}, "999": {"audio_url": "b"}, "x": {"audio_url": "c"}}),
            None,
        );
        let keys: Vec<_> = got
            .iter()
            .map(|o| (o.language, o.key.clone().unwrap()))
            .collect();
        assert_eq!(
            keys,
            [
                (None, "x".to_owned()),
                (Some(Language::FR_FR), "fr-fr".to_owned()),
                (Some(Language::from_id(999)), "999".to_owned()),
            ]
        );
    }

    #[test]
    fn an_answer_with_nothing_readable_is_an_error_not_an_empty_list() {
        for body in [
            serde_json::json!({}),
            serde_json::json!({"dubbed_file": "https://cdn/x.mp4"}),
        ] {
            match read(body.clone(), None) {
                Err(Error::UnusableResponse { reason, .. }) => {
                    assert!(reason.contains("no output"), "{reason}")
                }
                other => panic!("{body}: {other:?}"),
            }
        }
    }

    #[test]
    fn the_docs_spelling_wins_and_either_alone_is_found() {
        let both: DubResult = serde_json::from_value(serde_json::json!({
            "output_video_url": "docs.mp4", "video_url": "sdk.mp4", "audio_url": "sdk.mp3"
        }))
        .unwrap();
        assert_eq!(both.dubbed_video_url(), Some("docs.mp4"));
        assert_eq!(both.dubbed_audio_url(), Some("sdk.mp3"));
        let neither: DubResult = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!(neither.dubbed_video_url(), None);
        assert_eq!(neither.dubbed_audio_url(), None);
    }
}
