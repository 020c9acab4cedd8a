//! [`DubOutputs`]: every language's output of a finished run, whichever
//! shape the server answered in, its URLs whichever way they are spelled
//! ([`DubResultUrls`]); and the calls that fetch them ([`Camb::result`],
//! [`Camb::results`]).

use std::{collections::HashMap, fmt};

use camb_api::types::{DubResult, DubbedRunInfo, Transcript};

use crate::{ApiKey, Camb, Error, Language, RunId, tasks};

/// One language's output of a finished dub.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct DubOutput {
    /// The language this output is in: the key a per-language answer filed
    /// it under, or, for a single-result answer (whose body names no
    /// language), the dub's one target language.
    pub language: Language,
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
    /// `fr-fr: video https://…/fr.mp4, audio https://…/fr.mp3`, or
    /// `fr-fr: no file`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:", self.language)?;
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
    fn new(key: Option<String>, language: Language, raw: DubResult) -> Self {
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
/// [`DubOutput`] per language here, in language order.
///
/// ```
/// # async fn example(camb: camb_api_ext::Camb, run_id: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
/// use camb_api_ext::Language;
///
/// let outputs = camb.result(run_id, [Language::FR_FR, Language::ES_ES]).await?;
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
    /// Reads a decoded answer for a dub into `targets` (which label a
    /// single-result answer).
    ///
    /// An answer in which neither shape finds anything (`{}`, or only fields
    /// this client does not know) is an [`Error::UnusableResponse`], not an
    /// empty list: a finished run has outputs, and an empty `Ok` would hide
    /// that the answer was not understood. So is an output whose language
    /// cannot be told: a key that is no language id or locale tag, or a
    /// single result for a dub into several languages.
    fn from_raw(
        run_id: RunId,
        info: DubbedRunInfo,
        targets: &[Language],
        key: &ApiKey,
    ) -> Result<Self, Error> {
        // The generated type tries both shapes: a per-language map decodes
        // into `by_language` (and an empty `dub_result`); a single result
        // only into `dub_result`, since its fields are no results.
        let mut outputs = match info {
            DubbedRunInfo {
                by_language: Some(map),
                ..
            } if !map.is_empty() => {
                let mut outputs = Vec::with_capacity(map.len());
                for (name, raw) in map {
                    let Ok(language) = name.parse::<Language>() else {
                        let reason = format!(
                            "the result files an output under `{name}`, \
                             which is no language id or locale tag"
                        );
                        return Err(Error::unusable(reason, &raw, key));
                    };
                    outputs.push(DubOutput::new(Some(name), language, raw));
                }
                outputs
            }
            DubbedRunInfo {
                dub_result: Some(one),
                ..
            } if !is_empty(&one) => match targets {
                [target] => vec![DubOutput::new(None, *target, one)],
                _ => {
                    let reason = format!(
                        "the result is one output naming no language, for a dub into {} languages",
                        targets.len()
                    );
                    return Err(Error::unusable(reason, &one, key));
                }
            },
            other => {
                return Err(Error::unusable(
                    "the result holds no output this client can read",
                    &other,
                    key,
                ));
            }
        };
        outputs.sort_by(|a, b| (a.language, &a.key).cmp(&(b.language, &b.key)));
        Ok(DubOutputs { run_id, outputs })
    }

    /// The run these outputs belong to.
    pub fn run_id(&self) -> RunId {
        self.run_id
    }

    /// The output in `language`, if any.
    pub fn get(&self, language: Language) -> Option<&DubOutput> {
        self.outputs
            .iter()
            .find(|output| output.language == language)
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

/// A dub's target languages, checked before any request: an output's
/// language is known only if the caller says which languages the dub was
/// into.
fn checked_targets(targets: impl IntoIterator<Item = Language>) -> Result<Vec<Language>, Error> {
    let mut targets: Vec<Language> = targets.into_iter().collect();
    targets.sort();
    targets.dedup();
    if targets.is_empty() {
        return Err(Error::InvalidInput {
            field: "target_languages",
            reason: "the dub's target languages are needed to name its outputs \
                     (a single-result answer names none); pass those of its request \
                     (`DubRequest::all_target_languages`)"
                .into(),
        });
    }
    Ok(targets)
}

impl Camb {
    /// The outputs of finished run `run_id` of a dub into `targets` (its
    /// request's [`DubRequest::all_target_languages`]), one per language.
    ///
    /// [`DubRequest::all_target_languages`]: crate::DubRequest::all_target_languages
    ///
    /// The targets name the output of a single-result answer, whose body
    /// names no language; a per-language answer is named by its keys. No
    /// target is an [`Error::InvalidInput`] before any request.
    ///
    /// ```
    /// # async fn example(camb: camb_api_ext::Camb, request: camb_api_ext::DubRequest, run_id: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::Language;
    ///
    /// let outputs = camb.result(run_id, request.all_target_languages()).await?;
    /// // or, when only the languages are at hand:
    /// let outputs = camb.result(run_id, [Language::FR_FR]).await?;
    /// println!("{outputs}"); // run 7:\n  fr-fr: video https://…, audio https://…
    /// # Ok(()) }
    /// ```
    pub async fn result(
        &self,
        run_id: RunId,
        targets: impl IntoIterator<Item = Language>,
    ) -> Result<DubOutputs, Error> {
        let targets = checked_targets(targets)?;
        let info = self.task_result::<tasks::Dub>(run_id).await?;
        DubOutputs::from_raw(run_id, info, &targets, &self.key)
    }

    /// The outputs of many runs (`POST /dubbing-results`), each given with
    /// its dub's targets as in [`Camb::result`], in
    /// [`RESULTS_PER_REQUEST`](crate::RESULTS_PER_REQUEST)-sized requests.
    ///
    /// Every requested id (repeats removed: the first one's targets count)
    /// is in the answer, in order: with its outputs, or with
    /// [`Error::ResultMissing`] when the server sent nothing for it. A failed
    /// request fails the call.
    ///
    /// ```
    /// # async fn example(camb: camb_api_ext::Camb, a: camb_api_ext::RunId, b: camb_api_ext::RunId) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::Language;
    ///
    /// let runs = [(a, vec![Language::FR_FR]), (b, vec![Language::FR_FR, Language::ES_ES])];
    /// for (run_id, outputs) in camb.results(runs).await? {
    ///     match outputs {
    ///         Ok(outputs) => println!("{outputs}"),
    ///         Err(err) => eprintln!("run {run_id}: {err}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn results<T>(
        &self,
        runs: impl IntoIterator<Item = (RunId, T)>,
    ) -> Result<Vec<(RunId, Result<DubOutputs, Error>)>, Error>
    where
        T: IntoIterator<Item = Language>,
    {
        let mut targets: HashMap<RunId, Vec<Language>> = HashMap::new();
        let mut run_ids = Vec::new();
        for (run_id, languages) in runs {
            let languages = checked_targets(languages)?;
            targets.entry(run_id).or_insert(languages);
            run_ids.push(run_id);
        }
        let found = self.task_results::<tasks::Dub>(run_ids).await?;
        Ok(found
            .into_iter()
            .map(|(run_id, info)| {
                let targets = targets.get(&run_id).map_or(&[][..], Vec::as_slice);
                let outputs =
                    info.and_then(|info| DubOutputs::from_raw(run_id, info, targets, &self.key));
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

    fn read(body: serde_json::Value, targets: &[Language]) -> Result<DubOutputs, Error> {
        let key = ApiKey::new("k").unwrap();
        DubOutputs::from_raw(
            RunId(7),
            serde_json::from_value(body).unwrap(),
            targets,
            &key,
        )
    }

    fn outputs(body: serde_json::Value, targets: &[Language]) -> DubOutputs {
        read(body, targets).unwrap()
    }

    fn unusable(body: serde_json::Value, targets: &[Language]) -> String {
        match read(body.clone(), targets) {
            Err(Error::UnusableResponse { reason, .. }) => reason,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn a_per_language_map_gives_one_output_per_language() {
        let line = |text: &str| serde_json::json!([{"start": 0.0, "end": 1.0, "text": text, "speaker": "S0"}]);
        let got = outputs(
            serde_json::json!({
                "76": {"audio_url": "fr.mp3", "video_url": "fr.mp4", "transcript": line("Bonjour")},
                "54": {"output_audio_url": "es.mp3", "transcript": line("Hola")},
            }),
            &[Language::FR_FR],
        );
        assert_eq!(got.len(), 2);
        let spanish = &got.iter().next().unwrap();
        assert_eq!(spanish.language, Language::ES_ES);
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
                "54": {"transcript": []},
            }),
            &[Language::FR_FR, Language::ES_ES],
        );
        assert_eq!(
            got.to_string(),
            "run 7:\n  es-es: no file\n  fr-fr: video fr.mp4, audio fr.mp3"
        );
        let single = outputs(
            serde_json::json!({"output_video_url": "v.mp4"}),
            &[Language::DE_DE],
        );
        assert_eq!(
            single.iter().next().unwrap().to_string(),
            "de-de: video v.mp4"
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
            &[Language::FR_FR, Language::ES_ES],
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
    fn a_single_result_is_labelled_with_the_one_target() {
        let body = serde_json::json!({
            "run_id": 7, "output_video_url": "v.mp4", "output_audio_url": "a.mp3",
            "transcript": [{"start": 0.0, "end": 1.0, "text": "Hi", "speaker": "S0"}],
        });
        let got = outputs(body.clone(), &[Language::FR_FR]);
        let [only] = got.iter().collect::<Vec<_>>()[..] else {
            panic!("{got:?}")
        };
        assert_eq!(only.language, Language::FR_FR);
        assert_eq!(only.key, None);
        assert_eq!(only.video_url.as_deref(), Some("v.mp4"));
        assert_eq!(only.transcript.len(), 1);
    }

    #[test]
    fn a_single_result_for_several_targets_names_no_language_and_is_refused() {
        let body = serde_json::json!({"output_video_url": "v.mp4"});
        let reason = unusable(body, &[Language::FR_FR, Language::ES_ES]);
        assert!(reason.contains("into 2 languages"), "{reason}");
    }

    #[test]
    fn keys_that_are_locale_tags_or_unknown_ids_are_languages() {
        let got = outputs(
            serde_json::json!({"fr-fr": {"audio_url": "a"}, "999": {"audio_url": "b"}}),
            &[Language::FR_FR],
        );
        let keys: Vec<_> = got
            .iter()
            .map(|o| (o.language, o.key.clone().unwrap()))
            .collect();
        assert_eq!(
            keys,
            [
                (Language::FR_FR, "fr-fr".to_owned()),
                (Language::from_id(999), "999".to_owned()),
            ]
        );
    }

    #[test]
    fn a_key_that_is_no_language_is_an_error_naming_it() {
        let body = serde_json::json!({"76": {"audio_url": "a"}, "x y": {"audio_url": "c"}});
        let reason = unusable(body, &[Language::FR_FR]);
        assert!(reason.contains("`x y`"), "{reason}");
    }

    #[test]
    fn an_answer_with_nothing_readable_is_an_error_not_an_empty_list() {
        for body in [
            serde_json::json!({}),
            serde_json::json!({"dubbed_file": "https://cdn/x.mp4"}),
        ] {
            let reason = unusable(body, &[Language::FR_FR]);
            assert!(reason.contains("no output"), "{reason}");
        }
    }

    #[test]
    fn no_target_is_refused_before_any_request() {
        let err = checked_targets([]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidInput {
                    field: "target_languages",
                    ..
                }
            ),
            "{err:?}"
        );
        let twice = checked_targets([Language::FR_FR, Language::ES_ES, Language::FR_FR]);
        assert_eq!(twice.unwrap().len(), 2);
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
