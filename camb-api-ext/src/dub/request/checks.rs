//! Checks of a create request, so that obvious mistakes fail before any
//! request is sent (and before any credit is spent).
//!
//! The transcript limits are the ones the official SDK's README states for
//! the server (camb-sdk 1.6.6, "Use your own SRT transcript or
//! translation"): it parses each script with the `srt` library and wants at
//! least one cue, at most 2 MiB of UTF-8 per script and 10 MiB in all, at
//! most 100 target scripts, and each target script's language once and
//! among the requested targets.

use crate::{DubRequest, Error, Language, SourceLanguage};

/// The largest script accepted, in bytes of UTF-8.
pub(crate) const MAX_TRANSCRIPT_BYTES: usize = 2 * 1024 * 1024;

/// The largest total of all scripts of one request, in bytes of UTF-8.
pub(crate) const MAX_TRANSCRIPTS_BYTES: usize = 10 * 1024 * 1024;

/// The most target scripts one request may carry.
pub(crate) const MAX_TARGET_TRANSCRIPTS: usize = 100;

/// [`Error::InvalidInput`] for a Studio folder id below 1 (the project
/// setters' `folder_id`, of dubs and transcriptions alike): folder ids the
/// server hands out start at 1.
pub(crate) fn folder_id(folder_id: Option<i64>) -> Result<(), Error> {
    match folder_id {
        Some(id) if id < 1 => Err(Error::InvalidInput {
            field: "folder_id",
            reason: format!("folder ids start at 1, got {id}"),
        }),
        _ => Ok(()),
    }
}

/// [`Error::InvalidInput`] for `field` unless `link` is an absolute http(s)
/// URL (of a video to dub, a medium to transcribe...).
pub(crate) fn http_link(field: &'static str, link: &str) -> Result<(), Error> {
    let reason = match reqwest::Url::parse(link.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => return Ok(()),
        Ok(url) => format!("must be an http(s) link, not `{}:`", url.scheme()),
        Err(e) => format!("is not a URL: {e}"),
    };
    Err(Error::InvalidInput { field, reason })
}

/// Rejects a request the API could not act on: a `video_url` that is not an
/// absolute http(s) URL, no target language or one given twice, a target
/// equal to the source, language id 0, or a transcript that breaks the
/// server's rules (see the module docs).
pub(crate) fn check(request: &DubRequest) -> Result<(), Error> {
    let invalid = |field, reason: String| Err(Error::InvalidInput { field, reason });
    http_link("video_url", request.video_url())?;
    if let SourceLanguage::Language(language) = request.source_language()
        && language.id() == Some(0)
    {
        return invalid("source_language", "language ids start at 1, got 0".into());
    }
    let targets = request.all_target_languages();
    if targets.is_empty() {
        return invalid(
            "target_languages",
            "no target language: a dub needs at least one".into(),
        );
    }
    if targets.iter().any(|language| language.id() == Some(0)) {
        return invalid("target_languages", "language ids start at 1, got 0".into());
    }
    if let SourceLanguage::Language(source) = request.source_language()
        && targets.contains(&source)
    {
        return invalid(
            "target_languages",
            format!(
                "{source} is also the source language: a dub translates into another language \
                 (CAMB.AI would charge for a dub that changes nothing)"
            ),
        );
    }
    if let Some(twice) = first_repeated(request.target_languages()) {
        return invalid(
            "target_languages",
            format!("{twice} is given twice; each target language is dubbed once"),
        );
    }
    folder_id(request.folder_id)?;
    check_transcripts(request, &targets)
}

fn check_transcripts(request: &DubRequest, targets: &[Language]) -> Result<(), Error> {
    let invalid = |field, reason: String| Err(Error::InvalidInput { field, reason });
    let mut total = 0;
    let mut seen = Vec::new();
    for (language, srt) in request.transcripts() {
        let (field, whose) = match language {
            None => ("source_transcript", "the source transcript".to_owned()),
            Some(language) => ("target_transcripts", format!("the {language} transcript")),
        };
        if !has_cue(srt) {
            return invalid(
                field,
                format!(
                    "{whose} holds no SRT cue (`1`, `00:00:00,000 --> 00:00:02,000`, text); the API wants at least one"
                ),
            );
        }
        if srt.len() > MAX_TRANSCRIPT_BYTES {
            return invalid(
                field,
                format!(
                    "{whose} is {} bytes; the API takes at most {MAX_TRANSCRIPT_BYTES} (2 MiB) per script",
                    srt.len()
                ),
            );
        }
        total += srt.len();
        let Some(language) = language else { continue };
        if !targets.contains(&language) {
            return invalid(
                field,
                format!("{whose}: {language} is not a target language of this dub"),
            );
        }
        if seen.contains(&language) {
            return invalid(
                field,
                format!("{whose} is given twice; each target language takes one"),
            );
        }
        seen.push(language);
    }
    if seen.len() > MAX_TARGET_TRANSCRIPTS {
        return invalid(
            "target_transcripts",
            format!(
                "{} target transcripts; the API takes at most {MAX_TARGET_TRANSCRIPTS}",
                seen.len()
            ),
        );
    }
    if total > MAX_TRANSCRIPTS_BYTES {
        return invalid(
            "target_transcripts",
            format!(
                "the transcripts are {total} bytes together; the API takes at most {MAX_TRANSCRIPTS_BYTES} (10 MiB) in all"
            ),
        );
    }
    Ok(())
}

/// The first language of `languages` that appears again.
fn first_repeated(languages: &[Language]) -> Option<Language> {
    languages
        .iter()
        .enumerate()
        .find(|(at, language)| languages[..*at].contains(language))
        .map(|(_, language)| *language)
}

/// Whether `srt` holds at least one cue: a timing line
/// (`00:00:01,000 --> 00:00:02,500`) followed by a line of text, which is
/// what the `srt` library the server uses needs to find one.
fn has_cue(srt: &str) -> bool {
    let mut lines = srt.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if is_timing(line) {
            return lines.next().is_some_and(|text| !text.is_empty());
        }
    }
    false
}

/// `HH:MM:SS,mmm --> HH:MM:SS,mmm` (`.` for `,` too, as the `srt` library
/// accepts), with optional position text after the end time.
fn is_timing(line: &str) -> bool {
    let Some((start, end)) = line.split_once("-->") else {
        return false;
    };
    let end = end.split_whitespace().next().unwrap_or("");
    is_timestamp(start.trim()) && is_timestamp(end)
}

fn is_timestamp(text: &str) -> bool {
    let Some((clock, millis)) = text.split_once([',', '.']) else {
        return false;
    };
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let parts: Vec<&str> = clock.split(':').collect();
    parts.len() == 3 && parts.iter().all(|part| digits(part)) && digits(millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CUE: &str = "1\n00:00:00,000 --> 00:00:01,000\nBonjour\n";

    fn refusal(request: &DubRequest) -> Option<(&'static str, String)> {
        match check(request) {
            Ok(()) => None,
            Err(Error::InvalidInput { field, reason }) => Some((field, reason)),
            Err(other) => panic!("{other:?}"),
        }
    }

    fn field_of(request: &DubRequest) -> Option<&'static str> {
        refusal(request).map(|(field, _)| field)
    }

    fn request(url: &str, source: u32, targets: &[u32]) -> DubRequest {
        DubRequest::new(
            url,
            Language::from_id(source),
            targets.iter().copied().map(Language::from_id),
        )
    }

    #[test]
    fn accepts_a_plain_request_and_names_the_bad_field() {
        assert_eq!(field_of(&request("https://youtu.be/x", 1, &[2, 76])), None);
        assert_eq!(field_of(&request("", 1, &[2])), Some("video_url"));
        assert_eq!(field_of(&request("video.mp4", 1, &[2])), Some("video_url"));
        assert_eq!(
            field_of(&request("file:///etc/passwd", 1, &[2])),
            Some("video_url")
        );
        assert_eq!(
            field_of(&request("https://a.b/v.mp4", 0, &[2])),
            Some("source_language")
        );
        assert_eq!(
            field_of(&request("https://a.b/v.mp4", 1, &[2, 0])),
            Some("target_languages")
        );
        let single_zero =
            request("https://a.b/v.mp4", 1, &[]).target_language(Language::from_id(0));
        assert_eq!(field_of(&single_zero), Some("target_languages"));
        let auto = DubRequest::new("https://a.b/v.mp4", SourceLanguage::Auto, [Language::FR_FR]);
        assert_eq!(field_of(&auto), None);
        let plain = || request("https://a.b/v.mp4", 1, &[2]);
        assert_eq!(field_of(&plain().folder_id(1)), None);
        let (field, reason) = refusal(&plain().folder_id(0)).unwrap();
        assert_eq!(
            (field, reason.as_str()),
            ("folder_id", "folder ids start at 1, got 0")
        );
        assert_eq!(field_of(&plain().folder_id(i64::MIN)), Some("folder_id"));
    }

    #[test]
    fn a_dub_needs_a_target_and_each_target_once() {
        let (field, reason) = refusal(&request("https://a.b/v.mp4", 1, &[])).unwrap();
        assert_eq!(field, "target_languages");
        assert!(reason.contains("at least one"), "{reason}");
        let single = request("https://a.b/v.mp4", 1, &[]).target_language(Language::FR_FR);
        assert_eq!(field_of(&single), None);
        let (field, reason) = refusal(&request("https://a.b/v.mp4", 1, &[76, 54, 76])).unwrap();
        assert_eq!(field, "target_languages");
        assert!(reason.contains("fr-fr is given twice"), "{reason}");
        // The same language by tag and by constant is the same target.
        let mixed = DubRequest::new(
            "https://a.b/v.mp4",
            Language::EN_US,
            [Language::FR_FR, "FR-fr".parse().unwrap()],
        );
        assert_eq!(field_of(&mixed), Some("target_languages"));
    }

    #[test]
    fn a_target_equal_to_the_source_is_refused() {
        let (field, reason) = refusal(&request("https://a.b/v.mp4", 76, &[54, 76])).unwrap();
        assert_eq!(field, "target_languages");
        assert!(reason.contains("fr-fr is also the source"), "{reason}");
        let by_tag = DubRequest::new("https://a.b/v.mp4", Language::FR_FR, [])
            .target_language("FR-fr".parse().unwrap());
        assert_eq!(field_of(&by_tag), Some("target_languages"));
        // A neighbouring variant is another language; a detected source
        // cannot be compared before the server detects it.
        assert_eq!(field_of(&request("https://a.b/v.mp4", 1, &[3])), None);
        let auto = DubRequest::new("https://a.b/v.mp4", SourceLanguage::Auto, [Language::EN_US]);
        assert_eq!(field_of(&auto), None);
    }

    #[test]
    fn transcripts_need_a_cue_and_belong_to_a_target_once() {
        let base = request("https://a.b/v.mp4", 1, &[76]);
        for no_cue in [
            "  \n",
            "1\nx",
            "Bonjour",
            "1\n00:00:00 --> 00:00:01\nx",
            "1\n00:00:00,000 --> 00:00:01,000\n",
        ] {
            let (field, reason) = refusal(&base.clone().source_transcript_srt(no_cue)).unwrap();
            assert_eq!(field, "source_transcript", "{no_cue:?}");
            assert!(reason.contains("no SRT cue"), "{reason}");
        }
        assert_eq!(field_of(&base.clone().source_transcript_srt(CUE)), None);
        let dotted = "00:00:00.000 --> 00:00:01.000 X1:0\nSalut";
        assert_eq!(field_of(&base.clone().source_transcript_srt(dotted)), None);
        let (field, reason) =
            refusal(&base.clone().target_transcript_srt(Language::ES_ES, CUE)).unwrap();
        assert_eq!(field, "target_transcripts");
        assert!(reason.contains("es-es is not a target"), "{reason}");
        assert_eq!(
            field_of(&base.clone().target_transcript_srt(Language::FR_FR, CUE)),
            None
        );
        let twice = base
            .clone()
            .target_transcript_srt(Language::FR_FR, CUE)
            .target_transcript_srt("fr-FR".parse().unwrap(), CUE);
        let (field, reason) = refusal(&twice).unwrap();
        assert_eq!(field, "target_transcripts");
        assert!(
            reason.contains("fr-fr transcript is given twice"),
            "{reason}"
        );
    }

    #[test]
    fn transcripts_keep_to_the_size_limits() {
        let base = request("https://a.b/v.mp4", 1, &[76]);
        let just = format!("{CUE}{}", "x".repeat(MAX_TRANSCRIPT_BYTES - CUE.len()));
        assert_eq!(
            field_of(&base.clone().source_transcript_srt(just.clone())),
            None
        );
        let over = format!("{just}x");
        let (field, reason) =
            refusal(&base.clone().target_transcript_srt(Language::FR_FR, over)).unwrap();
        assert_eq!(field, "target_transcripts");
        assert!(
            reason.contains("fr-fr transcript is 2097153 bytes"),
            "{reason}"
        );

        // Six scripts of 2 MiB: each is allowed, together they are 12 MiB.
        let six: Vec<Language> = Language::KNOWN.iter().take(6).map(|(l, _)| *l).collect();
        let mut big = DubRequest::new("https://a.b/v.mp4", SourceLanguage::Auto, six.clone());
        for language in &six[..5] {
            big = big.target_transcript_srt(*language, just.clone());
        }
        assert_eq!(field_of(&big), None, "10 MiB is allowed");
        let (field, reason) = refusal(&big.target_transcript_srt(six[5], just)).unwrap();
        assert_eq!(field, "target_transcripts");
        assert!(
            reason.contains("at most 10485760 (10 MiB) in all"),
            "{reason}"
        );
    }

    #[test]
    fn at_most_a_hundred_target_transcripts() {
        let targets: Vec<Language> = Language::KNOWN.iter().take(101).map(|(l, _)| *l).collect();
        let with = |count: usize| {
            targets[..count].iter().fold(
                DubRequest::new("https://a.b/v.mp4", SourceLanguage::Auto, targets.clone()),
                |request, language| request.target_transcript_srt(*language, CUE),
            )
        };
        assert_eq!(field_of(&with(100)), None);
        let (field, reason) = refusal(&with(101)).unwrap();
        assert_eq!(field, "target_transcripts");
        assert!(reason.contains("101 target transcripts"), "{reason}");
    }
}
