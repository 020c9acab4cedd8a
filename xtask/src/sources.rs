//! spec/upstream/sources.json: which vendored page came from where, and when.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::workspace::pretty_json;

/// One vendored upstream page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Its file name in spec/upstream.
    pub file: String,
    /// Where it was taken from (a URL, or the local path it was copied from).
    pub url: String,
    /// The day it was taken, `YYYY-MM-DD` (UTC).
    pub taken: String,
}

/// The list of vendored pages, in merge order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources(pub Vec<Source>);

impl Sources {
    /// Parses sources.json and checks every file name.
    pub fn parse(text: &str) -> Result<Self> {
        let sources: Vec<Source> = serde_json::from_str(text)
            .context("expected a JSON array of {\"file\", \"url\", \"taken\"} objects")?;
        for (index, source) in sources.iter().enumerate() {
            check_file_name(&source.file)?;
            if sources[..index]
                .iter()
                .any(|earlier| earlier.file == source.file)
            {
                bail!("{} is listed twice", source.file);
            }
        }
        Ok(Self(sources))
    }

    /// sources.json text: pretty JSON and a trailing newline.
    pub fn to_json(&self) -> Result<String> {
        pretty_json(&self.0)
    }

    /// Records that `file` was taken from `url` on `taken`, replacing an
    /// earlier record of the same file; a new file goes last.
    pub fn record(&mut self, source: Source) {
        match self.0.iter_mut().find(|known| known.file == source.file) {
            Some(known) => *known = source,
            None => self.0.push(source),
        }
    }
}

/// A file name that is safe to write inside spec/upstream: one plain path
/// component of letters, digits, `.`, `-` and `_`, not hidden, not
/// sources.json itself.
pub fn check_file_name(name: &str) -> Result<()> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if name.is_empty() || name.len() > 100 || !plain || name.starts_with('.') {
        bail!(
            "{name:?} is not usable as an upstream file name \
             (1-100 characters of letters, digits, '.', '-', '_', not starting with '.')"
        );
    }
    if name == "sources.json" {
        bail!("an upstream page cannot be called sources.json");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(file: &str, url: &str) -> Source {
        Source {
            file: file.into(),
            url: url.into(),
            taken: "2026-01-02".into(),
        }
    }

    #[test]
    fn round_trips_and_records() {
        let mut sources =
            Sources::parse(r#"[{"file": "a.md", "url": "https://x/a.md", "taken": "2025-01-01"}]"#)
                .unwrap();
        sources.record(source("b.md", "https://x/b.md"));
        sources.record(source("a.md", "https://y/a.md"));
        assert_eq!(
            sources,
            Sources(vec![
                source("a.md", "https://y/a.md"),
                source("b.md", "https://x/b.md")
            ])
        );
        let text = sources.to_json().unwrap();
        assert_eq!(Sources::parse(&text).unwrap(), sources);
        assert!(text.ends_with("}\n]\n"), "{text}");
    }

    #[test]
    fn file_names_that_could_escape_the_directory_are_rejected() {
        for bad in [
            "",
            ".",
            "..",
            "../x.md",
            "a/b.md",
            ".hidden.md",
            "a\nb.md",
            "sources.json",
        ] {
            assert!(check_file_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_file_name(&"a".repeat(101)).is_err());
        assert!(check_file_name("get-end-to-end-dubbing-status.md").is_ok());
    }

    #[test]
    fn bad_sources_json_is_an_error() {
        assert!(Sources::parse("{}").is_err());
        assert!(Sources::parse(r#"[{"file": "../x", "url": "u", "taken": "t"}]"#).is_err());
        assert!(Sources::parse(r#"[{"file": "a.md", "url": "u"}]"#).is_err());
        let twice = r#"[{"file": "a.md", "url": "u", "taken": "t"}, {"file": "a.md", "url": "v", "taken": "t"}]"#;
        assert_eq!(
            Sources::parse(twice).unwrap_err().to_string(),
            "a.md is listed twice"
        );
    }
}
