//! What every response of the generated client goes through: the size cap
//! on bodies, and the refusal of answers from another origin.
//!
//! progenitor's generated code reads a whole body with `Response::bytes()`,
//! with no limit. Its `ClientHooks::exec` hook hands over each response
//! before that read. A declared `Content-Length` within [`MAX_BODY_BYTES`]
//! is already a limit the transport enforces, so such a body (the usual
//! JSON answer) is left as it is; any other body is wrapped in
//! [`http_body_util::Limited`], so reading past the cap fails with a body
//! error instead of filling memory, and a declared length over the cap
//! fails at the first chunk, without reading the rest.
//!
//! A response from another origin than the request's means the reqwest
//! client followed a redirect by itself (reqwest's default policy does, to
//! any origin, with every header but `Authorization` and cookies). That
//! cannot be undone, but its answer is not trusted: see [`LeftOrigin`].

use std::borrow::Cow;

use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};

use crate::{Auth, Client};

/// The largest response body the client reads whole: 16 MiB. CAMB.AI's
/// answers are small JSON documents (a long transcript is well under
/// 1 MiB). A success answer handed over as a `ByteStream`
/// ([`STREAMED_ANSWERS`](crate::STREAMED_ANSWERS): audio of any length) is
/// not capped: the caller streams it.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

// An impl for `Client` takes precedence over the generated default impl for
// `&Client` (progenitor's `HooksMode::Optional`).
impl ClientHooks<Auth> for Client {
    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<reqwest::Response> {
        let sent_to = Origin::of(request.url(), self.baseurl());
        let response = self.client().execute(request).await?;
        if !sent_to.is_origin_of(response.url()) {
            return Ok(refused(response));
        }
        // Audio of any length, streamed by the caller: never read whole.
        if response.status().is_success() && crate::STREAMED_ANSWERS.contains(&info.operation_id) {
            return Ok(response);
        }
        Ok(capped(response, MAX_BODY_BYTES))
    }
}

/// The origin (scheme, host, port) of a request's URL, kept to compare
/// with the URL its response came from. Cheaper than [`reqwest::Url::origin`],
/// which allocates its scheme and host on every call: the host is borrowed
/// from the client's base URL, which every request URL starts from, and only
/// copied when the base URL spells it otherwise. reqwest sends only `http`
/// and `https` URLs, whose origins are these three parts.
struct Origin<'a> {
    scheme: Cow<'a, str>,
    host: Option<Cow<'a, str>>,
    port: Option<u16>,
}

impl<'a> Origin<'a> {
    fn of(url: &reqwest::Url, base_url: &'a str) -> Self {
        let scheme = match url.scheme() {
            "http" => Cow::Borrowed("http"),
            "https" => Cow::Borrowed("https"),
            other => Cow::Owned(other.to_owned()),
        };
        // A base URL spelled as parsed has its host right after `scheme://`.
        let base_host = base_url
            .strip_prefix(url.scheme())
            .and_then(|rest| rest.strip_prefix("://"));
        let host = url.host_str().map(|host| {
            match base_host.and_then(|base_host| base_host.get(..host.len())) {
                Some(same) if same == host => Cow::Borrowed(same),
                _ => Cow::Owned(host.to_owned()),
            }
        });
        Origin {
            scheme,
            host,
            port: url.port_or_known_default(),
        }
    }

    fn is_origin_of(&self, url: &reqwest::Url) -> bool {
        // Serialized hosts are canonical (lowercase, punycode, one IP
        // notation), so equal strings are equal hosts.
        url.scheme() == self.scheme
            && url.host_str() == self.host.as_deref()
            && url.port_or_known_default() == self.port
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
/// A body of a declared length within `limit` is left as it is, unwrapped
/// (no conversion, no allocation): hyper reads an HTTP/1.1 body of a known
/// length up to that length and no further, and h2 resets an HTTP/2 stream
/// that sends more data than its `content-length`. reqwest reports no
/// length for what it decompresses, so those bodies are capped too.
///
/// A successful answer declared empty (`Content-Length: 0`) reads as JSON
/// `null`: CAMB.AI's SDK reads an empty body of its answers typed `Any` as
/// none (camb-sdk 1.6.6: `camb/dictionaries/raw_client.py`), and `null` is
/// what their generated type, `serde_json::Value`, decodes it to. A typed
/// answer fails to decode from `null` as it did from nothing.
fn capped(response: reqwest::Response, limit: usize) -> reqwest::Response {
    let length = response.content_length();
    let empty_success = response.status().is_success() && length == Some(0);
    let limit = match length {
        Some(length) if length > limit as u64 => 0,
        Some(_) if !empty_success => return response,
        _ => limit,
    };
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

    fn at(url: &reqwest::Url, body: reqwest::Body) -> reqwest::Response {
        reqwest::Response::from(
            reqwest::ResponseBuilderExt::url(http::Response::builder(), url.clone())
                .body(body)
                .unwrap(),
        )
    }

    /// A body of no declared length, in two chunks.
    fn streamed(first: &'static str, second: &'static str) -> reqwest::Body {
        reqwest::Body::wrap_stream(futures_util::stream::iter([
            Ok::<_, std::io::Error>(first),
            Ok(second),
        ]))
    }

    #[tokio::test]
    async fn a_body_within_the_cap_reads_whole_and_keeps_its_url() {
        let url: reqwest::Url = "http://127.0.0.1:9/dub/t".parse().unwrap();
        for body in [reqwest::Body::from("hello"), streamed("hel", "lo")] {
            let capped = capped(at(&url, body), 5);
            assert_eq!(capped.url(), &url);
            assert_eq!(capped.bytes().await.unwrap(), "hello");
        }
    }

    #[tokio::test]
    async fn a_body_past_the_cap_fails_with_a_recognisable_error() {
        let url: reqwest::Url = "http://127.0.0.1:9/dub/t".parse().unwrap();
        // Declared too long, and of no declared length.
        for body in [reqwest::Body::from("hello!"), streamed("hel", "lo!")] {
            let err = capped(at(&url, body), 5).bytes().await.unwrap_err();
            assert!(is_body_too_large(&err), "{err:?}");
        }
        let other = std::io::Error::other("not a cap");
        assert!(!is_body_too_large(&other));
    }

    /// What leaving a body of a declared length unwrapped rests on: the
    /// transport reads such a body up to its length and no further.
    #[tokio::test]
    async fn a_declared_length_within_the_cap_is_all_that_is_read() {
        use std::io::{Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/dub/t", listener.local_addr().unwrap());
        let server = std::thread::spawn(move || {
            let (mut connection, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0; 1];
            while !head.ends_with(b"\r\n\r\n") && connection.read(&mut byte).unwrap() == 1 {
                head.push(byte[0]);
            }
            // 5 bytes declared, then a megabyte more: the client stops
            // reading, and the write fails once it hangs up.
            let _ = connection.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello");
            let _ = connection.write_all(&vec![b'x'; 1 << 20]);
        });
        let response = reqwest::Client::new().get(&url).send().await.unwrap();
        assert_eq!(response.content_length(), Some(5));
        assert_eq!(capped(response, 5).bytes().await.unwrap(), "hello");
        server.join().unwrap();
    }

    #[test]
    fn the_origin_check_agrees_with_the_url_crate() {
        let sent = [
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080/dub/t"),
            (
                "https://client.camb.ai/apis",
                "https://client.camb.ai/apis/dub/t",
            ),
            // A base URL spelled otherwise than its parsed form.
            (
                "HTTPS://Client.CAMB.ai:443/apis",
                "https://client.camb.ai/apis/dub/t",
            ),
            ("http://[::1]:9", "http://[::1]:9/dub/t"),
        ];
        let answered = [
            "http://127.0.0.1:8080/elsewhere?x=1",
            "http://127.0.0.1:8081/dub/t",
            "https://127.0.0.1:8080/dub/t",
            "http://127.0.0.2:8080/dub/t",
            "https://client.camb.ai:443/other",
            "http://client.camb.ai/apis/dub/t",
            "https://client.camb.ai.example/apis/dub/t",
            "https://camb.ai/apis/dub/t",
            "http://[::1]:9/x",
            "http://[::2]:9/x",
        ];
        for (base, request) in sent {
            let request: reqwest::Url = request.parse().unwrap();
            let origin = Origin::of(&request, base);
            for response in answered {
                let response: reqwest::Url = response.parse().unwrap();
                assert_eq!(
                    origin.is_origin_of(&response),
                    request.origin() == response.origin(),
                    "{request} -> {response}"
                );
            }
        }
    }

    #[test]
    fn the_origin_borrows_from_a_base_url_spelled_as_parsed() {
        let request: reqwest::Url = "https://client.camb.ai/apis/dub/t".parse().unwrap();
        let borrowed = Origin::of(&request, "https://client.camb.ai/apis");
        assert!(matches!(borrowed.scheme, Cow::Borrowed("https")));
        assert!(matches!(
            borrowed.host,
            Some(Cow::Borrowed("client.camb.ai"))
        ));
        let copied = Origin::of(&request, "HTTPS://Client.CAMB.ai/apis");
        assert!(matches!(copied.host, Some(Cow::Owned(_))));
        assert!(copied.is_origin_of(&request));
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
