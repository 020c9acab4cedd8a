//! The API key on every request.
//!
//! progenitor ignores the spec's `securitySchemes`, so the generated client
//! carries an [`Auth`] (its "inner type") and a pre-request hook puts the
//! `x-api-key` header on each request. Any `reqwest::Client` works, including
//! one shared with the rest of an application.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};

/// The header CAMB.AI reads the API key from (`APIKeyHeader` in the spec).
pub const API_KEY_HEADER: HeaderName = HeaderName::from_static("x-api-key");

/// The credentials the generated [`Client`](crate::Client) adds to each
/// request. Its `Debug` output never shows the key.
///
/// ```
/// let auth = camb_api::Auth::api_key("sk-123").unwrap();
/// assert_eq!(format!("{auth:?}"), "Auth { api_key: Some(<redacted>) }");
/// ```
#[derive(Clone, Default)]
pub struct Auth {
    api_key: Option<HeaderValue>,
}

impl Auth {
    /// No credentials: requests go out without `x-api-key`.
    pub fn none() -> Self {
        Auth::default()
    }

    /// Sends `key` as `x-api-key`, marked sensitive so that reqwest and hyper
    /// leave it out of their debug output too.
    pub fn api_key(key: &str) -> Result<Self, InvalidApiKey> {
        let mut value = HeaderValue::from_str(key).map_err(|_| InvalidApiKey)?;
        value.set_sensitive(true);
        Ok(Auth {
            api_key: Some(value),
        })
    }

    /// The pre-request hook of the generated client.
    pub(crate) fn authorize(&self, request: &mut reqwest::Request) {
        if let Some(key) = &self.api_key {
            request.headers_mut().insert(API_KEY_HEADER, key.clone());
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = self.api_key.as_ref().map(|_| Redacted);
        f.debug_struct("Auth").field("api_key", &key).finish()
    }
}

struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The key cannot be sent in an HTTP header (it holds a control character or
/// a byte outside visible ASCII). The message does not repeat the key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidApiKey;

impl fmt::Display for InvalidApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the API key is not a valid HTTP header value")
    }
}

impl std::error::Error for InvalidApiKey {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hook_sets_the_header_and_debug_hides_it() {
        let auth = Auth::api_key("sk-secret").unwrap();
        assert!(!format!("{auth:?}").contains("sk-secret"));
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/dub/x".parse().unwrap(),
        );
        auth.authorize(&mut request);
        let sent = request.headers().get(API_KEY_HEADER).unwrap();
        assert_eq!(sent.to_str().unwrap(), "sk-secret");
        assert!(sent.is_sensitive());
        assert!(!format!("{:?}", request.headers()).contains("sk-secret"));
    }

    #[test]
    fn no_auth_sends_no_header_and_bad_keys_are_refused() {
        let mut request = reqwest::Request::new(
            reqwest::Method::GET,
            "http://127.0.0.1/dub/x".parse().unwrap(),
        );
        Auth::none().authorize(&mut request);
        assert!(request.headers().get(API_KEY_HEADER).is_none());
        assert_eq!(Auth::api_key("line\nbreak").unwrap_err(), InvalidApiKey);
        assert!(!InvalidApiKey.to_string().contains("line"));
    }
}
