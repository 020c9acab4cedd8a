//! A scratch copy of camb-api-ext and the workspace crates it builds on,
//! with a candidate spec, for tests that build against a spec no one
//! committed (fixture_corpus, spec_growth).

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    path::{Path, PathBuf},
    process::Command,
};

use xtask::regen::this_workspace;

/// A scratch workspace holding copies of camb-api-ext and of the workspace
/// crates it builds on (camb-api, camb-simulator, ...), with a candidate
/// spec (both generated files: the simulator routes the 3.1 one's
/// operations), built in regen's shared `target/regen-check` so that dependencies
/// build once across runs.
pub struct Scratch {
    root: PathBuf,
    target: PathBuf,
}

impl Scratch {
    /// The scratch workspace `name` under `target/regen-check`, its crates
    /// synced from the real ones and its spec `spec_30` (`openapi.json`)
    /// and `spec_31` (`openapi-3.1.json`).
    pub fn prepare(name: &str, spec_30: &str, spec_31: &str) -> Self {
        let real = this_workspace().root().to_path_buf();
        let target = real.join("target/regen-check");
        let root = target.join(name);
        let manifest: toml_edit::DocumentMut = fs::read_to_string(real.join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        let copied = crates_built_by(&real, &manifest, "camb-api-ext");
        assert!(copied.contains("camb-api"), "{copied:?}");
        write_if_changed(
            &root.join("Cargo.toml"),
            &scratch_manifest(manifest, &real, &copied),
        );
        write_if_changed(
            &root.join("Cargo.lock"),
            &fs::read_to_string(real.join("Cargo.lock")).unwrap(),
        );
        for dir in &copied {
            sync_tree(&real.join(dir), &root.join(dir));
        }
        // Tests of the copied crates read it (the README's simulator section).
        write_if_changed(
            &root.join("README.md"),
            &fs::read_to_string(real.join("README.md")).unwrap(),
        );
        write_if_changed(&root.join("spec/generated/openapi.json"), spec_30);
        write_if_changed(&root.join("spec/generated/openapi-3.1.json"), spec_31);
        Self { root, target }
    }

    /// A file of the scratch workspace, written (if it changed).
    pub fn write(&self, relative: &str, text: &str) {
        write_if_changed(&self.root.join(relative), text);
    }

    /// Runs `cargo ARGS` in the scratch workspace; fails the test, with
    /// cargo's output, on failure.
    pub fn cargo(&self, args: &[&str]) {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args(args)
            .arg("--manifest-path")
            .arg(self.root.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", &self.target)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "cargo {} failed against the scratch spec's client (scratch workspace {}):\n{}\n{}",
            args.join(" "),
            self.root.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
        );
    }
}

/// The workspace's path dependencies: name -> directory.
fn path_dependencies(manifest: &toml_edit::DocumentMut) -> BTreeMap<String, String> {
    manifest["workspace"]["dependencies"]
        .as_table_like()
        .unwrap()
        .iter()
        .filter_map(|(name, dependency)| {
            let path = dependency.as_table_like()?.get("path")?.as_str()?;
            Some((name.to_owned(), path.to_owned()))
        })
        .collect()
}

/// The directories of `start` and of every workspace crate it depends on,
/// directly or not, in any kind of dependency.
fn crates_built_by(
    real: &Path,
    manifest: &toml_edit::DocumentMut,
    start: &str,
) -> BTreeSet<String> {
    let paths = path_dependencies(manifest);
    let mut found = BTreeSet::new();
    let mut queue = vec![paths[start].clone()];
    while let Some(dir) = queue.pop() {
        if !found.insert(dir.clone()) {
            continue;
        }
        let text = fs::read_to_string(real.join(&dir).join("Cargo.toml")).unwrap();
        let member: toml_edit::DocumentMut = text.parse().unwrap();
        for kind in ["dependencies", "dev-dependencies", "build-dependencies"] {
            let Some(table) = member.get(kind).and_then(|t| t.as_table_like()) else {
                continue;
            };
            queue.extend(
                table
                    .iter()
                    .filter_map(|(name, _)| paths.get(name).cloned()),
            );
        }
    }
    found
}

/// The workspace manifest with the copied crates as its only members and
/// every other path dependency pointing back into the real workspace.
fn scratch_manifest(
    mut manifest: toml_edit::DocumentMut,
    real: &Path,
    copied: &BTreeSet<String>,
) -> String {
    let workspace = manifest["workspace"].as_table_like_mut().unwrap();
    let members = toml_edit::Array::from_iter(copied.iter().map(String::as_str));
    workspace.insert("members", toml_edit::value(members));
    workspace.remove("default-members");
    workspace.remove("exclude");
    let dependencies = workspace
        .get_mut("dependencies")
        .and_then(|d| d.as_table_like_mut())
        .unwrap();
    for (_, dependency) in dependencies.iter_mut() {
        let Some(dependency) = dependency.as_table_like_mut() else {
            continue;
        };
        let Some(path) = dependency.get("path").and_then(|p| p.as_str()) else {
            continue;
        };
        if !copied.contains(path) {
            let path = real.join(path).display().to_string();
            dependency.insert("path", toml_edit::value(path));
        }
    }
    manifest.to_string()
}
/// Makes `to` a copy of `from`, rewriting only the files that differ (cargo
/// rebuilds on a newer mtime, so an unchanged copy stays fresh) and removing
/// what `from` no longer has (a moved module would otherwise be found twice).
fn sync_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    let mut names = BTreeSet::new();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        names.insert(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            sync_tree(&source, &target);
        } else {
            write_if_changed(&target, &fs::read_to_string(&source).unwrap());
        }
    }
    for entry in fs::read_dir(to).unwrap() {
        let entry = entry.unwrap();
        if !names.contains(&entry.file_name()) {
            let path = entry.path();
            if entry.file_type().unwrap().is_dir() {
                fs::remove_dir_all(path).unwrap();
            } else {
                fs::remove_file(path).unwrap();
            }
        }
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}
