//! A temporary copy of this workspace's spec/ directory, for tests that write.

// Each test crate uses its own subset of these helpers.
#![allow(dead_code)]

pub mod scratch;

use std::{fs, path::Path};

use tempfile::TempDir;
use xtask::workspace::Workspace;

/// A temp dir holding a copy of spec/{upstream,overlay,generated}.
pub fn temp_workspace() -> (TempDir, Workspace) {
    let dir = tempfile::tempdir().expect("temp dir");
    let real_spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    for part in ["upstream", "overlay", "generated"] {
        let to = dir.path().join("spec").join(part);
        fs::create_dir_all(&to).expect("create spec dir");
        for entry in fs::read_dir(real_spec.join(part)).expect("list spec dir") {
            let entry = entry.expect("dir entry");
            fs::copy(entry.path(), to.join(entry.file_name())).expect("copy spec file");
        }
    }
    let workspace = Workspace::new(dir.path());
    (dir, workspace)
}

/// A file of the temp workspace, as text.
pub fn read(dir: &TempDir, relative: &str) -> String {
    fs::read_to_string(dir.path().join(relative)).expect("read file")
}

/// Overwrites a file of the temp workspace.
pub fn write(dir: &TempDir, relative: &str, text: &str) {
    fs::write(dir.path().join(relative), text).expect("write file");
}

/// Removes all whitespace, so token text can be searched whatever its spacing.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect()
}
