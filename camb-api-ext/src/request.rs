//! Checks of a create request, so that obvious mistakes fail before any
//! request is sent (and before any credit is spent).

use camb_api::types::EndToEndDubbingRequest;

use crate::Error;

/// Rejects a request the API could not act on: a `video_url` that is not an
/// absolute http(s) URL, or language ids and audio tracks below their range.
pub(crate) fn check(request: &EndToEndDubbingRequest) -> Result<(), Error> {
    let invalid = |field, reason: String| Err(Error::InvalidInput { field, reason });
    match reqwest::Url::parse(request.video_url.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => {}
        Ok(url) => {
            return invalid(
                "video_url",
                format!("must be an http(s) link, not `{}:`", url.scheme()),
            );
        }
        Err(e) => return invalid("video_url", format!("is not a URL: {e}")),
    }
    if request.source_language < 1 {
        return invalid(
            "source_language",
            format!("language ids start at 1, got {}", request.source_language),
        );
    }
    if let Some(bad) = request.target_languages.iter().find(|id| **id < 1) {
        return invalid(
            "target_languages",
            format!("language ids start at 1, got {bad}"),
        );
    }
    let tracks = request.selected_audio_tracks.iter().flatten();
    if let Some(bad) = tracks.into_iter().find(|track| **track < 0) {
        return invalid(
            "selected_audio_tracks",
            format!("track numbers cannot be negative, got {bad}"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(url: &str, source: i64, targets: Vec<i64>) -> EndToEndDubbingRequest {
        EndToEndDubbingRequest {
            video_url: url.into(),
            source_language: source,
            target_languages: targets,
            selected_audio_tracks: None,
            add_output_as_an_audio_track: None,
        }
    }

    fn field_of(request: &EndToEndDubbingRequest) -> Option<&'static str> {
        match check(request) {
            Ok(()) => None,
            Err(Error::InvalidInput { field, .. }) => Some(field),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn accepts_a_plain_request_and_names_the_bad_field() {
        assert_eq!(
            field_of(&request("https://youtu.be/x", 1, vec![2, 76])),
            None
        );
        assert_eq!(field_of(&request("", 1, vec![2])), Some("video_url"));
        assert_eq!(
            field_of(&request("video.mp4", 1, vec![2])),
            Some("video_url")
        );
        assert_eq!(
            field_of(&request("file:///etc/passwd", 1, vec![2])),
            Some("video_url")
        );
        assert_eq!(
            field_of(&request("https://a.b/v.mp4", 0, vec![2])),
            Some("source_language")
        );
        assert_eq!(
            field_of(&request("https://a.b/v.mp4", 1, vec![2, -3])),
            Some("target_languages")
        );
        let mut tracks = request("https://a.b/v.mp4", 1, vec![2]);
        tracks.selected_audio_tracks = Some(vec![0, -1]);
        assert_eq!(field_of(&tracks), Some("selected_audio_tracks"));
    }
}
