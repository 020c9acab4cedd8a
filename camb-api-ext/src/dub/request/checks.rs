//! Checks of a create request, so that obvious mistakes fail before any
//! request is sent (and before any credit is spent).

#[cfg(test)]
use crate::Language;
use crate::{DubRequest, Error};

/// The largest transcript accepted, in bytes. The server validates "parsing
/// and size limits" without publishing them; this bound only stops a wrong
/// file (a video passed as a transcript) from being uploaded as JSON.
pub(crate) const MAX_TRANSCRIPT_BYTES: usize = 10 * 1024 * 1024;

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
/// absolute http(s) URL, no target language or one given twice, language
/// id 0, an empty or oversized transcript, or a target transcript for a
/// language that is not a target.
pub(crate) fn check(request: &DubRequest) -> Result<(), Error> {
    let invalid = |field, reason: String| Err(Error::InvalidInput { field, reason });
    http_link("video_url", request.video_url())?;
    if request.source_language().id() < 1 {
        return invalid("source_language", "language ids start at 1, got 0".into());
    }
    let targets = request.all_target_languages();
    if targets.is_empty() {
        return invalid(
            "target_languages",
            "no target language: give at least one language to dub into".into(),
        );
    }
    if targets.iter().any(|language| language.id() < 1) {
        return invalid("target_languages", "language ids start at 1, got 0".into());
    }
    let listed = request.target_languages();
    for (i, language) in listed.iter().enumerate() {
        if let Some(first) = listed[..i].iter().position(|l| l == language) {
            return invalid(
                "target_languages",
                format!("{language} is given twice (at positions {first} and {i})"),
            );
        }
    }
    for (language, srt) in request.transcripts() {
        let field = match language {
            None => "source_transcript",
            Some(_) => "target_transcripts",
        };
        if srt.trim().is_empty() {
            return invalid(field, "the SRT text is empty".into());
        }
        if srt.len() > MAX_TRANSCRIPT_BYTES {
            return invalid(
                field,
                format!(
                    "is {} bytes; at most {MAX_TRANSCRIPT_BYTES} are accepted",
                    srt.len()
                ),
            );
        }
        if let Some(language) = language.filter(|l| !targets.contains(l)) {
            return invalid(
                field,
                format!("{language} is not a target language of this dub"),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(request: &DubRequest) -> Option<&'static str> {
        match check(request) {
            Ok(()) => None,
            Err(Error::InvalidInput { field, .. }) => Some(field),
            Err(other) => panic!("{other:?}"),
        }
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
        let single = request("https://a.b/v.mp4", 1, &[]).target_language(Language::FR_FR);
        assert_eq!(field_of(&single), None);
    }

    #[test]
    fn refuses_no_target_and_a_target_given_twice() {
        let reason_of = |request: &DubRequest| match check(request) {
            Err(Error::InvalidInput { field, reason }) => (field, reason),
            other => panic!("{other:?}"),
        };
        let (field, reason) = reason_of(&request("https://a.b/v.mp4", 1, &[]));
        assert_eq!(field, "target_languages");
        assert!(reason.contains("no target language"), "{reason}");
        let (field, reason) = reason_of(&request("https://a.b/v.mp4", 1, &[76, 54, 76]));
        assert_eq!(field, "target_languages");
        assert!(
            reason.contains("given twice (at positions 0 and 2)"),
            "{reason}"
        );
        assert!(reason.contains(&Language::FR_FR.to_string()), "{reason}");
    }

    #[test]
    fn transcripts_must_hold_text_and_belong_to_a_target() {
        let base = request("https://a.b/v.mp4", 1, &[76]);
        assert_eq!(
            field_of(&base.clone().source_transcript_srt("  \n")),
            Some("source_transcript")
        );
        assert_eq!(
            field_of(&base.clone().target_transcript_srt(Language::ES_ES, "1\nx")),
            Some("target_transcripts")
        );
        assert_eq!(
            field_of(&base.clone().target_transcript_srt(Language::FR_FR, "1\nx")),
            None
        );
        let huge = "x".repeat(MAX_TRANSCRIPT_BYTES + 1);
        assert_eq!(
            field_of(&base.source_transcript_srt(huge)),
            Some("source_transcript")
        );
    }
}
