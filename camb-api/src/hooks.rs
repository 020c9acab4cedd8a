//! What every response of the generated client goes through: the size cap
//! on bodies, and the refusal of answers from another origin.
//!
//! progenitor's generated code reads a whole body with `Response::bytes()`,
//! with no limit. Its `ClientHooks::exec` hook hands over each response
//! before that read; there the body is wrapped in
//! [`http_body_util::Limited`], so reading past [`MAX_BODY_BYTES`] fails
//! with a body error instead of filling memory. A declared `Content-Length`
//! over the cap fails at the first chunk, without reading the rest.
//!
//! A response from another origin than the request's means the reqwest
//! client followed a redirect by itself (reqwest's default policy does, to
//! any origin, with every header but `Authorization` and cookies). That
//! cannot be undone, but its answer is not trusted: see [`LeftOrigin`].

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::{Auth, Client};

/// The largest response body the client reads: 16 MiB. CAMB.AI's answers
/// are small JSON documents (a long transcript is well under 1 MiB).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

// An impl for `Client` takes precedence over the generated default impl for
// `&Client` (progenitor's `HooksMode::Optional`).
impl ClientHooks<Auth> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let origin = request.url().origin();
        let response = self.client().execute(request).await?;
        if response.url().origin() != origin {
            return Ok(refused(response));
        }
        Ok(capped(response, MAX_BODY_BYTES))
    }
}

/// The reqwest client followed a redirect to another origin than the
/// request's: the answer is not the API's. Its body is never read: reading
/// it fails with this error, and the response carries it in its extensions
/// (for statuses the generated code hands over unread).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOrigin {
    /// Where the redirects ended.
    pub url: reqwest::Url,
}

impl std::fmt::Display for LeftOrigin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the HTTP client followed a redirect to another origin ({})",
            self.url.origin().ascii_serialization()
        )
    }
}

impl std::error::Error for LeftOrigin {}

/// `response` with its body replaced by a [`LeftOrigin`] error, which its
/// extensions carry too.
fn refused(response: reqwest::Response) -> reqwest::Response {
    let left = LeftOrigin {
        url: response.url().clone(),
    };
    let failure = left.clone();
    let mut response = http::Response::from(response).map(move |_| {
        reqwest::Body::wrap_stream(futures_util::stream::once(async move {
            Err::<Vec<u8>, _>(failure)
        }))
    });
    response.extensions_mut().insert(left);
    reqwest::Response::from(response)
}

/// `response` with a body that fails once more than `limit` bytes arrive,
/// or at once when its declared length is over `limit`.
///
/// A successful answer declared empty (`Content-Length: 0`) reads as JSON
/// `null`: CAMB.AI's SDK reads an empty body of its answers typed `Any` as
/// none (camb-sdk 1.6.6: `camb/dictionaries/raw_client.py`), and `null` is
/// what their generated type, `serde_json::Value`, decodes it to. A typed
/// answer fails to decode from `null` as it did from nothing.
fn capped(response: reqwest::Response, limit: usize) -> reqwest::Response {
    let declared_too_large = response
        .content_length()
        .is_some_and(|length| length > limit as u64);
    let limit = if declared_too_large { 0 } else { limit };
    let empty_success = response.status().is_success() && response.content_length() == Some(0);
    let url = response.url().clone();
    let mut response = http::Response::from(response).map(|body| {
        if empty_success {
            reqwest::Body::from("null")
        } else {
            reqwest::Body::wrap(http_body_util::Limited::new(body, limit))
        }
    });
    if empty_success {
        response.headers_mut().remove(http::header::CONTENT_LENGTH);
    }
    // The conversion drops the URL that reqwest's errors name; put it back.
    if let Ok(marker) = http::Response::builder().url_of(url).body(()) {
        response
            .extensions_mut()
            .extend(marker.into_parts().0.extensions);
    }
    reqwest::Response::from(response)
}

/// Whether `error`, or an error in its source chain, is a body cut at
/// [`MAX_BODY_BYTES`].
pub fn is_body_too_large(error: &(dyn std::error::Error + 'static)) -> bool {
    find_in_chain::<http_body_util::LengthLimitError>(error).is_some()
}

/// The [`LeftOrigin`] in `error`'s source chain, if any.
pub fn left_origin<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a LeftOrigin> {
    find_in_chain(error)
}

/// The first error of type `E` in `error`'s source chain.
fn find_in_chain<'a, E: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a E> {
    let mut next = Some(error);
    while let Some(error) = next {
        if let Some(found) = error.downcast_ref::<E>() {
            return Some(found);
        }
        next = error.source();
    }
    None
}

/// [`reqwest::ResponseBuilderExt::url`] under a name that does not clash
/// with `http`'s builder methods.
trait UrlOf {
    fn url_of(self, url: reqwest::Url) -> Self;
}

impl UrlOf for http::response::Builder {
    fn url_of(self, url: reqwest::Url) -> Self {
        reqwest::ResponseBuilderExt::url(self, url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_body_within_the_cap_reads_whole_and_keeps_its_url() {
        let url: reqwest::Url = "http://127.0.0.1:9/dub/t".parse().unwrap();
        let original = reqwest::Response::from(
            reqwest::ResponseBuilderExt::url(http::Response::builder(), url.clone())
                .body("hello")
                .unwrap(),
        );
        let capped = capped(original, 5);
        assert_eq!(capped.url(), &url);
        assert_eq!(capped.bytes().await.unwrap(), "hello");
    }

    #[tokio::test]
    async fn a_body_past_the_cap_fails_with_a_recognisable_error() {
        let original = reqwest::Response::from(http::Response::new("hello!"));
        let err = capped(original, 5).bytes().await.unwrap_err();
        assert!(is_body_too_large(&err), "{err:?}");
        let other = std::io::Error::other("not a cap");
        assert!(!is_body_too_large(&other));
    }

    #[tokio::test]
    async fn an_empty_success_reads_as_null_and_an_empty_error_stays_empty() {
        let empty = |status: u16| {
            reqwest::Response::from(
                http::Response::builder()
                    .status(status)
                    .header(http::header::CONTENT_LENGTH, "0")
                    .body("")
                    .unwrap(),
            )
        };
        let read = capped(empty(200), 5).bytes().await.unwrap();
        assert_eq!(read, "null");
        let value: serde_json::Value = serde_json::from_slice(&read).unwrap();
        assert_eq!(value, serde_json::Value::Null);
        assert_eq!(capped(empty(422), 5).bytes().await.unwrap(), "");
    }

    #[tokio::test]
    async fn an_answer_from_another_origin_is_never_read() {
        let url: reqwest::Url = "https://elsewhere.example/x?k=1".parse().unwrap();
        let original = reqwest::Response::from(
            reqwest::ResponseBuilderExt::url(http::Response::builder(), url.clone())
                .body("their answer")
                .unwrap(),
        );
        let refused = refused(original);
        let marker = refused.extensions().get::<LeftOrigin>().cloned();
        assert_eq!(marker.map(|left| left.url), Some(url.clone()));
        let err = refused.bytes().await.unwrap_err();
        assert_eq!(left_origin(&err).map(|left| &left.url), Some(&url));
        assert!(!is_body_too_large(&err));
    }
}
