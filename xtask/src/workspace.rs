//! Where the spec files live under a workspace root, and reading and writing them.

use std::{
    fs, io,
    path::{Path, PathBuf},
};

use anyhow::{Context, Result};
use serde::Serialize;

/// The spec/ files of one workspace (the real one, or a test's temporary copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    /// The workspace whose top directory is `root` (the one holding spec/).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The top directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// spec/upstream: the pages as received, and sources.json.
    pub fn upstream_dir(&self) -> PathBuf {
        self.root.join("spec/upstream")
    }

    /// spec/upstream/sources.json.
    pub fn sources_file(&self) -> PathBuf {
        self.upstream_dir().join("sources.json")
    }

    /// spec/overlay: our merge patches.
    pub fn overlay_dir(&self) -> PathBuf {
        self.root.join("spec/overlay")
    }

    /// spec/generated/openapi-3.1.json: merged and patched, not converted.
    pub fn openapi_31_file(&self) -> PathBuf {
        self.root.join("spec/generated/openapi-3.1.json")
    }

    /// spec/generated/openapi.json: the 3.0.3 document camb-api/build.rs reads.
    pub fn openapi_30_file(&self) -> PathBuf {
        self.root.join("spec/generated/openapi.json")
    }

    /// `path` relative to the root, for messages.
    pub fn show(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }
}

/// Pretty JSON with a trailing newline: the format of every file written here.
pub fn pretty_json<T: Serialize>(value: &T) -> Result<String> {
    let mut text = serde_json::to_string_pretty(value).context("serializing JSON")?;
    text.push('\n');
    Ok(text)
}

/// A file's text, or `None` when there is no such file.
pub fn read_optional(path: &Path) -> Result<Option<String>> {
    match fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(error) => Err(error).with_context(|| format!("reading {}", path.display())),
    }
}

/// Writes `text` unless the file already holds exactly that (an untouched
/// file keeps its mtime, so cargo does not rebuild camb-api for nothing).
/// Returns whether it wrote.
pub fn write_if_changed(path: &Path, text: &str) -> Result<bool> {
    if read_optional(path)?.as_deref() == Some(text) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    }
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))?;
    Ok(true)
}
