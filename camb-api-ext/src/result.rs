//! Reading a [`DubResult`] whichever way the server spelled it.

use camb_api::types::DubResult;

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
