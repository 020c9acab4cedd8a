//! Proves that camb-api compiles with a candidate spec before regen writes
//! it: a scratch copy of camb-api (its real sources and build script, which
//! generates with the shared `camb-codegen` configuration) gets the candidate
//! as `spec/generated/openapi.json` and is `cargo check`ed with every feature.
//!
//! All checks share one target dir, `target/regen-check` of this workspace,
//! so dependencies build once and a check rebuilds only camb-api. Each
//! candidate gets its own scratch workspace, named after a hash of the spec,
//! whose camb-api directory carries the hash too: cargo tells path packages
//! apart by their path within the workspace, and two candidates sharing
//! camb-api's artifacts could pass one spec on the other's generated code.
//! Checking the same spec again finds everything fresh.

use std::{
    collections::BTreeMap,
    ffi::OsString,
    fmt, fs,
    hash::{DefaultHasher, Hash, Hasher},
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicU64, Ordering},
};

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::{
    HTTP_METHODS, convert::operation_names::name_key, pointer::Pointer, workspace::read_optional,
};

/// The crate that is copied and checked.
const CRATE: &str = "camb-api";

/// The features checked: every one, so that every generated line is compiled.
const FEATURES: &str = "httpmock,schemars";

/// Runs `cargo check` on camb-api with a candidate spec.
#[derive(Clone, Debug)]
pub struct Compiler {
    /// The workspace whose camb-api (and Cargo.lock, and dependency versions)
    /// is checked.
    root: PathBuf,
    cargo: OsString,
}

impl Compiler {
    /// The compiler of the workspace at `root` (the one holding camb-api).
    /// Runs the `cargo` that runs this program (`$CARGO`), else the one on `PATH`.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            cargo: std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()),
        }
    }

    /// Where the checks build: `target/regen-check` of the workspace.
    pub fn target_dir(&self) -> PathBuf {
        self.root.join("target/regen-check")
    }

    /// Checks that camb-api compiles when generated from `spec_text`
    /// (the 3.0.3 document `spec`, as it would be written).
    pub fn check(&self, spec_text: &str, spec: &Value) -> Result<()> {
        let scratch = self.prepare(spec_text)?;
        let output = Command::new(&self.cargo)
            .arg("check")
            .arg("--manifest-path")
            .arg(scratch.join("Cargo.toml"))
            .args(["-p", CRATE, "--features", FEATURES, "--message-format=json"])
            .env("CARGO_TARGET_DIR", self.target_dir())
            .output()
            .with_context(|| format!("running {}", self.cargo.to_string_lossy()))?;
        if output.status.success() {
            return Ok(());
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        let origins = Origins::of(spec);
        let mut errors: Vec<CompileError> = Vec::new();
        let messages = stdout
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok());
        for error in messages.filter_map(|message| CompileError::from_message(&message, &origins)) {
            // rustc repeats an error for each use of a generated line.
            if !errors.contains(&error) {
                errors.push(error);
            }
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "{}",
            NotCompiling {
                errors,
                stderr: stderr.trim().to_owned(),
                scratch,
            }
        )
    }

    /// Writes the scratch workspace for `spec_text` and returns its directory.
    fn prepare(&self, spec_text: &str) -> Result<PathBuf> {
        let mut hasher = DefaultHasher::new();
        spec_text.hash(&mut hasher);
        let hash = format!("{:016x}", hasher.finish());
        let scratch = self.target_dir().join("scratch").join(&hash);
        let crate_dir = format!("{CRATE}-{hash}");
        let manifest = fs::read_to_string(self.root.join("Cargo.toml"))
            .context("reading the workspace's Cargo.toml")?;
        write_if_changed(
            &scratch.join("Cargo.toml"),
            &scratch_manifest(&manifest, &self.root, &crate_dir)?,
        )?;
        // The same dependency versions as the workspace builds with.
        if let Some(lock) = read_optional(&self.root.join("Cargo.lock"))? {
            write_if_changed(&scratch.join("Cargo.lock"), &lock)?;
        }
        copy_tree(&self.root.join(CRATE), &scratch.join(crate_dir))?;
        write_if_changed(&scratch.join("spec/generated/openapi.json"), spec_text)?;
        Ok(scratch)
    }
}

/// The workspace manifest with camb-api (in `crate_dir`) as its only member
/// and every other path dependency pointing back into the real workspace.
fn scratch_manifest(manifest: &str, root: &Path, crate_dir: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = manifest
        .parse()
        .context("parsing the workspace's Cargo.toml")?;
    let Some(workspace) = doc.get_mut("workspace").and_then(|w| w.as_table_like_mut()) else {
        bail!("the workspace's Cargo.toml has no [workspace] table");
    };
    let mut members = toml_edit::Array::new();
    members.push(crate_dir);
    workspace.insert("members", toml_edit::value(members));
    workspace.remove("default-members");
    workspace.remove("exclude");
    if let Some(dependencies) = workspace
        .get_mut("dependencies")
        .and_then(|d| d.as_table_like_mut())
    {
        for (name, dependency) in dependencies.iter_mut() {
            let Some(dependency) = dependency.as_table_like_mut() else {
                continue;
            };
            let Some(path) = dependency.get("path").and_then(|p| p.as_str()) else {
                continue;
            };
            let path = if name.get() == CRATE {
                crate_dir.to_owned()
            } else {
                root.join(path).display().to_string()
            };
            dependency.insert("path", toml_edit::value(path));
        }
    }
    Ok(doc.to_string())
}

/// Copies the files under `from` to `to`, rewriting only those that differ
/// (cargo rebuilds on a newer mtime).
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    let entries = fs::read_dir(from).with_context(|| format!("listing {}", from.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", from.display()))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        if entry.file_type()?.is_dir() {
            copy_tree(&source, &target)?;
        } else {
            let text = fs::read_to_string(&source)
                .with_context(|| format!("reading {}", source.display()))?;
            write_if_changed(&target, &text)?;
        }
    }
    Ok(())
}

/// Writes `text` unless the file holds it already, through a temporary file
/// and a rename: checks of the same spec running at once (tests) share the
/// scratch directory and must never read a half-written file.
fn write_if_changed(path: &Path, text: &str) -> Result<()> {
    static UNIQUE: AtomicU64 = AtomicU64::new(0);
    if read_optional(path)?.as_deref() == Some(text) {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
    let unique = UNIQUE.fetch_add(1, Ordering::Relaxed);
    let temporary = parent.join(format!(".tmp-{}-{unique}", std::process::id()));
    fs::write(&temporary, text).with_context(|| format!("writing {}", temporary.display()))?;
    fs::rename(&temporary, path).with_context(|| format!("writing {}", path.display()))
}

/// camb-api did not compile with the candidate spec.
#[derive(Debug)]
struct NotCompiling {
    errors: Vec<CompileError>,
    stderr: String,
    scratch: PathBuf,
}

impl fmt::Display for NotCompiling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "camb-api does not compile with the new spec \
             (cargo check -p {CRATE} --features {FEATURES}); nothing was written"
        )?;
        for error in &self.errors {
            writeln!(f, "  {error}")?;
        }
        if self.errors.is_empty() {
            writeln!(f, "{}", self.stderr)?;
        }
        write!(f, "  (the scratch crate: {})", self.scratch.display())
    }
}

/// One rustc error, and what in the spec the erring generated code came from.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CompileError {
    /// rustc's headline, e.g. `error[E0599]: no method named ...`.
    headline: String,
    /// `client.rs:120` (generated) or `src/lib.rs:3`.
    location: String,
    /// The operation or schema whose generated code fails, if known.
    origin: Option<Origin>,
}

impl CompileError {
    /// The error in one line of `cargo --message-format=json`, if it is one.
    fn from_message(message: &Value, origins: &Origins) -> Option<Self> {
        let diagnostic = message.get("message")?;
        if message.get("reason")?.as_str()? != "compiler-message"
            || diagnostic.get("level")?.as_str()? != "error"
        {
            return None;
        }
        let rendered = diagnostic.get("rendered")?.as_str()?;
        let headline = rendered.lines().next().unwrap_or(rendered).to_owned();
        let span = diagnostic
            .get("spans")?
            .as_array()?
            .iter()
            .find(|span| span.get("is_primary") == Some(&Value::Bool(true)));
        let Some(span) = span else {
            return Some(Self {
                headline,
                location: "(no location)".into(),
                origin: None,
            });
        };
        let file = span.get("file_name")?.as_str()?;
        let line = span.get("line_start")?.as_u64()?;
        let short_file = Path::new(file)
            .file_name()
            .map_or(file.into(), |name| name.to_string_lossy());
        let origin = fs::read_to_string(file)
            .ok()
            .and_then(|text| origins.enclosing(&text, line));
        Some(Self {
            headline,
            location: format!("{short_file}:{line}"),
            origin,
        })
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.origin {
            Some(origin) => write!(f, "{origin}: {} ({})", self.headline, self.location),
            None => write!(f, "{} ({})", self.headline, self.location),
        }
    }
}

/// An operation or a schema of the spec.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// `operation get_dub_status (GET /dub/{task_id})` or `schema DubResult`.
    pub what: String,
    /// Where it is in the spec (the same in the 3.1 and 3.0.3 documents).
    pub pointer: Pointer,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.what, self.pointer)
    }
}

/// The spec's operations and schemas by the name their generated items start
/// with, normalized (`GetDubStatus`, `get_dub_status` -> `getdubstatus`),
/// with the property names of each schema.
#[derive(Debug, Default)]
pub struct Origins(BTreeMap<String, (Origin, Vec<String>)>);

impl Origins {
    /// The operations (by operationId) and component schemas of `spec`.
    pub fn of(spec: &Value) -> Self {
        let mut origins = BTreeMap::new();
        let paths = spec.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            for method in HTTP_METHODS {
                let Some(id) = item
                    .get(method)
                    .and_then(|operation| operation.get("operationId"))
                    .and_then(Value::as_str)
                else {
                    continue;
                };
                let what = format!("operation {id} ({} {path})", method.to_uppercase());
                let pointer = Pointer::root().push("paths").push(path).push(method);
                origins.insert(name_key(id), (Origin { what, pointer }, Vec::new()));
            }
        }
        let schemas = spec
            .pointer("/components/schemas")
            .and_then(Value::as_object);
        for (name, schema) in schemas.into_iter().flatten() {
            let pointer = Pointer::root()
                .push("components")
                .push("schemas")
                .push(name);
            let what = format!("schema {name}");
            let properties = schema
                .get("properties")
                .and_then(Value::as_object)
                .map(|properties| properties.keys().cloned().collect())
                .unwrap_or_default();
            origins.insert(name_key(name), (Origin { what, pointer }, properties));
        }
        Self(origins)
    }

    /// The origin of the generated item around line `line` (1-based) of
    /// `source`: the nearest item header above it (`struct`, `enum`, `fn`,
    /// `impl`, `mod`...) naming an operation or a schema; an item named after
    /// several (`GetDubStatusResponse`) belongs to the longest. When the line
    /// declares a field of a schema's struct, the pointer goes to the property.
    pub fn enclosing(&self, source: &str, line: u64) -> Option<Origin> {
        let lines: Vec<&str> = source.lines().collect();
        let end = usize::try_from(line).ok()?.min(lines.len());
        let (origin, properties) = self.item_above(&lines[..end])?;
        let field = lines
            .get(end.checked_sub(1)?)
            .and_then(|line| field_name(line));
        match field.filter(|field| properties.iter().any(|p| p == field)) {
            Some(field) => Some(Origin {
                what: format!("{}.{field}", origin.what),
                pointer: origin.pointer.push("properties").push(field),
            }),
            None => Some(origin),
        }
    }

    fn item_above(&self, lines: &[&str]) -> Option<(Origin, Vec<String>)> {
        lines.iter().rev().find_map(|line| {
            let header = line.trim_start();
            let is_item = ["pub ", "struct ", "enum ", "fn ", "impl", "mod ", "type "]
                .iter()
                .any(|start| header.starts_with(start));
            if !is_item {
                return None;
            }
            header
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter_map(|word| self.named(word))
                .next()
        })
    }

    fn named(&self, word: &str) -> Option<(Origin, Vec<String>)> {
        let word = name_key(word);
        self.0
            .iter()
            .filter(|(key, _)| key.len() >= 3 && word.starts_with(key.as_str()))
            .max_by_key(|(key, _)| key.len())
            .map(|(_, origin)| origin.clone())
    }
}

/// `created_at` for a struct field line `pub created_at: T,` (`r#type` and
/// typify's `type_` give `type`).
fn field_name(line: &str) -> Option<&str> {
    let (name, _) = line.trim_start().strip_prefix("pub ")?.split_once(':')?;
    let name = name.trim();
    let name = name.strip_prefix("r#").unwrap_or(name);
    let name = name.strip_suffix('_').unwrap_or(name);
    name.chars()
        .all(|c| c.is_alphanumeric() || c == '_')
        .then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origins() -> Origins {
        Origins::of(&json!({
            "paths": {"/dub/{task_id}": {"get": {"operationId": "get_dub_status"}}},
            "components": {"schemas": {"DubResult": {"properties": {"created_at": {}}}, "Dub": {}}}
        }))
    }

    #[test]
    fn a_generated_item_leads_back_to_its_schema_or_operation() {
        let source = "\
pub mod types {
    pub struct DubResult {
        pub created_at: chrono::DateTime<chrono::Utc>,
    }
    impl ::std::convert::From<&DubResult> for DubResult {
        fn from(value: &DubResult) -> Self {
            value.clone()
        }
    }
}
impl<'a> GetDubStatus<'a> {
    pub fn task_id(mut self) -> Self {
        self.x = value.to_string();
    }
}
";
        let origins = origins();
        let at = |line| origins.enclosing(source, line).map(|o| o.to_string());
        assert_eq!(
            at(3).as_deref(),
            Some(
                "schema DubResult.created_at at /components/schemas/DubResult/properties/created_at"
            )
        );
        assert_eq!(
            at(7).as_deref(),
            Some("schema DubResult at /components/schemas/DubResult")
        );
        assert_eq!(
            at(13).as_deref(),
            Some("operation get_dub_status (GET /dub/{task_id}) at /paths/~1dub~1{task_id}/get")
        );
        assert_eq!(at(1), None);
    }

    #[test]
    fn a_scratch_manifest_has_camb_api_alone_and_absolute_paths() {
        let manifest = "\
[workspace]
members = [\"camb-api\", \"xtask\"]

[workspace.dependencies]
camb-api = { path = \"camb-api\", version = \"0.1.0\" }
camb-codegen = { path = \"camb-codegen\" }
serde = \"1\"

[profile.dev.package.\"*\"]
debug = false
";
        let scratch = scratch_manifest(manifest, Path::new("/w"), "camb-api-1f").unwrap();
        assert!(scratch.contains("members = [\"camb-api-1f\"]"), "{scratch}");
        assert!(
            scratch.contains("camb-api = { path = \"camb-api-1f\", version = \"0.1.0\" }"),
            "{scratch}"
        );
        assert!(
            scratch.contains("camb-codegen = { path = \"/w/camb-codegen\" }"),
            "{scratch}"
        );
        assert!(scratch.contains("debug = false"), "{scratch}");
    }

    #[test]
    fn a_json_error_message_becomes_a_located_error() {
        let message = json!({
            "reason": "compiler-message",
            "message": {
                "level": "error",
                "rendered": "error[E0599]: no method named `x`\n --> src/lib.rs:3:1\n",
                "spans": [{"is_primary": true, "file_name": "/nonexistent/src/lib.rs", "line_start": 3}]
            }
        });
        let error = CompileError::from_message(&message, &origins()).unwrap();
        assert_eq!(
            error.to_string(),
            "error[E0599]: no method named `x` (lib.rs:3)"
        );
        let warning = json!({"reason": "compiler-message", "message": {"level": "warning"}});
        assert_eq!(CompileError::from_message(&warning, &origins()), None);
    }
}
