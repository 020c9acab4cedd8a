//! JSON Pointers (RFC 6901), built up while walking a document, so that every
//! error can say exactly where it happened.

use std::fmt;

/// The location of a value inside a JSON document, e.g.
/// `/paths/~1dub~1{task_id}/get/parameters/0/schema`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The whole document.
    pub fn root() -> Self {
        Self::default()
    }

    /// The pointer to child `token` (an object key or an array index) of this location.
    pub fn push(&self, token: impl fmt::Display) -> Self {
        let token = token.to_string().replace('~', "~0").replace('/', "~1");
        Self(format!("{}/{token}", self.0))
    }

    /// The location a local reference (`#/components/...`) names; `None`
    /// for a reference into another document.
    pub fn from_local_ref(reference: &str) -> Option<Self> {
        let pointer = reference.strip_prefix('#')?;
        (pointer.is_empty() || pointer.starts_with('/')).then(|| Self(pointer.to_owned()))
    }

    /// The RFC 6901 text, as `serde_json::Value::pointer` expects it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("(document root)")
        } else {
            f.write_str(&self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_slash_and_tilde_so_serde_json_finds_the_value() {
        let doc = json!({"paths": {"/dub/{id}": {"a~b": 1}}});
        let pointer = Pointer::root().push("paths").push("/dub/{id}").push("a~b");
        assert_eq!(pointer.as_str(), "/paths/~1dub~1{id}/a~0b");
        assert_eq!(doc.pointer(pointer.as_str()), Some(&json!(1)));
    }

    #[test]
    fn root_displays_as_words_not_as_an_empty_string() {
        assert_eq!(Pointer::root().to_string(), "(document root)");
        assert_eq!(Pointer::root().push(0).to_string(), "/0");
    }
}
