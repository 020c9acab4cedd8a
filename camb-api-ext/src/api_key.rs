//! The API key, kept out of every `Debug` output, log line and error.

use std::fmt;

use crate::Error;

/// A CAMB.AI API key.
///
/// It has no `Display`, its `Debug` prints `ApiKey(<redacted>)`, and it
/// becomes an `x-api-key` header marked sensitive, so that reqwest and hyper
/// leave it out of their own debug output too.
///
/// ```
/// use camb_api_ext::ApiKey;
///
/// let key = ApiKey::new("sk-123")?;
/// assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
/// # Ok::<(), camb_api_ext::Error>(())
/// ```
#[derive(Clone)]
pub struct ApiKey(String);

impl ApiKey {
    /// Wraps `key`, trimming surrounding whitespace (keys read from files
    /// often end in a newline).
    ///
    /// Fails with [`Error::InvalidInput`] when the key is empty or holds a
    /// character that cannot go in an HTTP header.
    pub fn new(key: impl Into<String>) -> Result<Self, Error> {
        let key = key.into();
        let key = key.trim();
        let invalid = |reason: &str| Error::InvalidInput {
            field: "api_key",
            reason: reason.to_owned(),
        };
        if key.is_empty() {
            return Err(invalid("is empty"));
        }
        if !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(invalid(
                "may only hold visible ASCII characters (it goes in an HTTP header)",
            ));
        }
        Ok(ApiKey(key.to_owned()))
    }

    /// What the generated client needs to put the key on each request (as a
    /// header marked sensitive).
    pub(crate) fn auth(&self) -> Result<camb_api::Auth, Error> {
        camb_api::Auth::api_key(&self.0).map_err(|e| Error::InvalidInput {
            field: "api_key",
            reason: e.to_string(),
        })
    }

    /// The `x-api-key` header value, marked sensitive (for requests sent
    /// without the generated client: the speech stream).
    pub(crate) fn header(&self) -> Result<reqwest::header::HeaderValue, Error> {
        let mut value =
            reqwest::header::HeaderValue::from_str(&self.0).map_err(|_| Error::InvalidInput {
                field: "api_key",
                reason: "is not a valid HTTP header value".into(),
            })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Replaces every occurrence of the key in `text`, for server text that is
    /// copied into errors (a server could echo the header back).
    pub(crate) fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "<redacted>")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_never_shows_the_key() {
        let key = ApiKey::new("  secret-key-1\n").unwrap();
        assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
        assert_eq!(format!("{key:#?}"), "ApiKey(<redacted>)");
        assert!(!format!("{:?}", key.auth().unwrap()).contains("secret-key-1"));
        assert_eq!(
            key.redact("echo: secret-key-1 and secret-key-1"),
            "echo: <redacted> and <redacted>"
        );
    }

    #[test]
    fn rejects_empty_and_unsendable_keys() {
        for bad in ["", "   ", "a b", "ключ", "a\u{0}b"] {
            let err = ApiKey::new(bad).unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::InvalidInput {
                        field: "api_key",
                        ..
                    }
                ),
                "{bad:?}"
            );
            assert!(!err.to_string().contains(bad.trim()) || bad.trim().is_empty());
        }
    }
}
