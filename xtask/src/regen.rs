//! The `regen` command: rebuild spec/generated from the vendored inputs,
//! optionally after refreshing upstream pages (`--from`), or only check that
//! spec/generated is up to date (`--check`).

use std::{collections::BTreeSet, fmt, fs, path::PathBuf, time::SystemTime};

use anyhow::{Context, Result, bail};
use serde_json::Value;
use similar::TextDiff;

use crate::{
    compile::Compiler,
    convert::to_openapi_30,
    drift::{self, Drift},
    fetch::FetchedPage,
    merge::{NamedDoc, apply_merge_patch, merge_pages},
    naming::{self, Renamed},
    page::{parse_page, parse_yaml},
    sources::{Source, Sources},
    summary::Summary,
    validate,
    workspace::{Workspace, pretty_json, read_optional, write_if_changed},
};

/// One input file's name and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputFile {
    /// The file name (in spec/upstream or spec/overlay).
    pub name: String,
    /// Its text.
    pub text: String,
}

/// Everything generation reads, in memory.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// spec/upstream/sources.json.
    pub sources: Sources,
    /// The upstream pages, in sources.json order.
    pub pages: Vec<InputFile>,
    /// spec/overlay/*.yaml, by name.
    pub overlays: Vec<InputFile>,
}

impl Inputs {
    /// Reads the inputs of `workspace`. Every page sources.json lists must
    /// exist, and every file in spec/upstream must be listed.
    pub fn load(workspace: &Workspace) -> Result<Self> {
        let sources_file = workspace.sources_file();
        let sources = fs::read_to_string(&sources_file)
            .map_err(anyhow::Error::from)
            .and_then(|text| Sources::parse(&text))
            .with_context(|| format!("reading {}", workspace.show(&sources_file)))?;
        let listed: BTreeSet<&str> = sources.0.iter().map(|s| s.file.as_str()).collect();
        for name in file_names(&workspace.upstream_dir())? {
            if name != "sources.json" && !listed.contains(name.as_str()) {
                bail!(
                    "spec/upstream/{name} is not listed in spec/upstream/sources.json: \
                     vendor it with `cargo xtask regen --from <its URL>` or delete it"
                );
            }
        }
        let mut pages = Vec::new();
        for source in &sources.0 {
            let path = workspace.upstream_dir().join(&source.file);
            let text = fs::read_to_string(&path).with_context(|| {
                format!("reading {} (listed in sources.json)", workspace.show(&path))
            })?;
            pages.push(InputFile {
                name: source.file.clone(),
                text,
            });
        }
        let mut overlays = Vec::new();
        for name in file_names(&workspace.overlay_dir())? {
            if name.ends_with(".yaml") {
                let path = workspace.overlay_dir().join(&name);
                let text = fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", workspace.show(&path)))?;
                overlays.push(InputFile { name, text });
            }
        }
        Ok(Self {
            sources,
            pages,
            overlays,
        })
    }

    /// Adds (or replaces) an upstream page, recording where it came from.
    pub fn add_page(&mut self, page: FetchedPage, taken: &str) {
        self.sources.record(Source {
            file: page.file_name.clone(),
            url: page.origin,
            taken: taken.to_owned(),
        });
        let file = InputFile {
            name: page.file_name,
            text: page.text,
        };
        match self.pages.iter_mut().find(|known| known.name == file.name) {
            Some(known) => *known = file,
            None => self.pages.push(file),
        }
    }
}

/// The sorted names of the files in `dir`.
fn file_names(dir: &std::path::Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let entries = fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))?;
    for entry in entries {
        let entry = entry.with_context(|| format!("listing {}", dir.display()))?;
        if entry.file_type()?.is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

/// What generation produces from the inputs.
#[derive(Clone, Debug)]
pub struct Outputs {
    /// spec/generated/openapi-3.1.json's text.
    pub openapi_31: String,
    /// spec/generated/openapi.json's text.
    pub openapi_30: String,
    /// The 3.0.3 document itself.
    pub spec_30: Value,
    /// What progenitor generated from it (proof that it can).
    pub code: camb_codegen::Code,
    /// Where the overlays override upstream or change nothing.
    pub drift: OverlayDrift,
    /// The inline schemas renamed so that no two share a Rust name.
    pub renamed: Renamed,
}

/// The operations with a `multipart/form-data` body, which progenitor does
/// not generate: each is sent by camb-api's multipart code, or left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MultipartOperations(pub Vec<camb_codegen::MultipartOperation>);

impl fmt::Display for MultipartOperations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "\nMultipart operations, not generated by progenitor (spec/README.md, \"Multipart bodies\"):"
        )?;
        for operation in &self.0 {
            writeln!(f, "  {operation}")?;
        }
        Ok(())
    }
}

/// Every [`Drift`] of the overlays, in overlay and then spec order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OverlayDrift(pub Vec<Drift>);

impl fmt::Display for OverlayDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "\nOverlay drift: what each overlay entry does to upstream \
             (spec/README.md, \"Overlay drift\", says what to do with each kind):"
        )?;
        for drift in &self.0 {
            writeln!(f, "  {drift}")?;
        }
        Ok(())
    }
}

/// Merges the pages, applies the overlays, converts to 3.0.3, runs
/// progenitor on the result and proves that camb-api compiles with it.
pub fn generate(inputs: &Inputs) -> Result<Outputs> {
    let mut pages = Vec::new();
    for page in &inputs.pages {
        let name = format!("spec/upstream/{}", page.name);
        let doc = parse_page(&page.name, &page.text).with_context(|| format!("in {name}"))?;
        pages.push(NamedDoc { name, doc });
    }
    let mut spec = merge_pages(&pages)?;
    let mut drift = Vec::new();
    for overlay in &inputs.overlays {
        let name = format!("spec/overlay/{}", overlay.name);
        let patch = parse_yaml(&overlay.text).with_context(|| format!("in {name}"))?;
        // A patch that is not an object would replace the whole spec (RFC 7396).
        if !patch.is_object() {
            bail!("{name} must be a YAML mapping: a merge patch of the spec's top-level object");
        }
        drift.extend(drift::find(&name, &spec, &patch));
        apply_merge_patch(&mut spec, &patch);
    }
    let drift = OverlayDrift(drift);
    // The drift report matters most when the spec fails: it may say why.
    generate_merged(spec, drift.clone()).map_err(|error| {
        anyhow::Error::new(FailedWithDrift {
            message: format!("{error:#}"),
            drift,
        })
    })
}

/// Converts, generates and compiles the merged spec.
fn generate_merged(mut spec: Value, drift: OverlayDrift) -> Result<Outputs> {
    // Sorted keys keep the output stable whatever order the inputs use.
    spec.sort_all_objects();
    let mut spec_30 = to_openapi_30(&spec)?;
    let renamed = naming::disambiguate(&mut spec_30)?;
    spec_30.sort_all_objects();
    let code = validate::generate_located(&spec, &spec_30)?;
    let openapi_30 = pretty_json(&spec_30)?;
    Compiler::new(this_workspace().root()).check(&openapi_30, &spec_30)?;
    Ok(Outputs {
        openapi_31: pretty_json(&spec)?,
        openapi_30,
        spec_30,
        code,
        drift,
        renamed,
    })
}

/// A failed generation, with the overlay drift of the inputs that failed.
#[derive(Debug)]
struct FailedWithDrift {
    message: String,
    drift: OverlayDrift,
}

impl fmt::Display for FailedWithDrift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let message = self.message.trim_end();
        match self.drift.0.is_empty() {
            true => f.write_str(message),
            false => write!(f, "{message}\n{}", self.drift),
        }
    }
}

impl std::error::Error for FailedWithDrift {}

/// What a regeneration did.
#[derive(Debug)]
pub struct Report {
    /// The files it wrote (relative paths); unchanged files are not rewritten.
    pub written: Vec<String>,
    /// The API changes versus the previous spec/generated/openapi.json.
    pub summary: Summary,
    /// What progenitor generated from the new spec.
    pub code: camb_codegen::Code,
    /// Where the overlays override upstream or change nothing.
    pub drift: OverlayDrift,
    /// The inline schemas renamed so that no two share a Rust name.
    pub renamed: Renamed,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.written {
            writeln!(f, "wrote {file}")?;
        }
        let multipart = MultipartOperations(self.code.multipart.clone());
        write!(
            f,
            "{}{}{multipart}{}",
            self.summary, self.renamed, self.drift
        )
    }
}

/// `cargo xtask regen`: rebuilds spec/generated from the vendored files.
pub fn regen(workspace: &Workspace) -> Result<Report> {
    let outputs = generate(&Inputs::load(workspace)?)?;
    write_generated(workspace, outputs, Vec::new())
}

/// `cargo xtask regen --from ...`: vendors each page (replacing one of the same
/// name), records it in sources.json with date `taken`, then regenerates.
/// Nothing is written unless every page fetches and the result generates.
pub fn refresh(
    workspace: &Workspace,
    pages: impl IntoIterator<Item = FetchedPage>,
    taken: &str,
) -> Result<Report> {
    let mut inputs = Inputs::load(workspace)?;
    let mut new_names = BTreeSet::new();
    for page in pages {
        if !new_names.insert(page.file_name.clone()) {
            bail!(
                "two pages would both be vendored as spec/upstream/{}",
                page.file_name
            );
        }
        inputs.add_page(page, taken);
    }
    let mut written = Vec::new();
    let outputs = generate(&inputs)?;
    for page in inputs.pages.iter().filter(|p| new_names.contains(&p.name)) {
        let path = workspace.upstream_dir().join(&page.name);
        if write_if_changed(&path, &page.text)? {
            written.push(workspace.show(&path));
        }
    }
    let sources_file = workspace.sources_file();
    if write_if_changed(&sources_file, &inputs.sources.to_json()?)? {
        written.push(workspace.show(&sources_file));
    }
    write_generated(workspace, outputs, written)
}

/// `cargo xtask regen --refresh`: fetches again every page recorded in
/// sources.json, from the URL (or path) it was taken from, keeping its file
/// name, then rebuilds like `--from`.
pub fn refresh_all(
    workspace: &Workspace,
    fetch: impl Fn(&str) -> Result<FetchedPage>,
    taken: &str,
) -> Result<Report> {
    let inputs = Inputs::load(workspace)?;
    let mut pages = Vec::new();
    for source in &inputs.sources.0 {
        let page = fetch(&source.url)
            .with_context(|| format!("refreshing spec/upstream/{}", source.file))?;
        pages.push(FetchedPage {
            file_name: source.file.clone(),
            ..page
        });
    }
    refresh(workspace, pages, taken)
}

/// One API reference page of CAMB.AI's `llms.txt` index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexedPage {
    /// The link text.
    pub title: String,
    /// The page's URL.
    pub url: String,
    /// The file name it is vendored under (the URL's last segment).
    pub file: String,
}

/// What `--discover` found: the API reference pages of the index that are
/// not vendored yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Discovery {
    /// How many API reference pages the index lists.
    pub listed: usize,
    /// Those not in spec/upstream/sources.json, in index order.
    pub missing: Vec<IndexedPage>,
}

impl fmt::Display for Discovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.missing.is_empty() {
            return writeln!(
                f,
                "All {} API reference pages of the index are vendored",
                self.listed
            );
        }
        writeln!(
            f,
            "{} of the {} API reference pages of the index are not vendored yet:",
            self.missing.len(),
            self.listed
        )?;
        for page in &self.missing {
            writeln!(f, "  {}  {}  {}", page.file, page.title, page.url)?;
        }
        writeln!(
            f,
            "Vendor one with `cargo xtask regen --from URL` (repeatable), then read the drift report."
        )
    }
}

/// The API reference pages (`.../api-reference/...`) an `llms.txt` index
/// lists, one markdown link per line: `- [Title](URL): description`.
pub fn indexed_pages(index: &str) -> Vec<IndexedPage> {
    index
        .lines()
        .filter_map(|line| {
            let link = line.trim_start().strip_prefix("- [")?;
            let (title, rest) = link.split_once("](")?;
            let (url, _) = rest.split_once(')')?;
            if !url.contains("/api-reference/") {
                return None;
            }
            let file = url.rsplit('/').next()?.to_owned();
            crate::sources::check_file_name(&file).ok()?;
            Some(IndexedPage {
                title: title.to_owned(),
                url: url.to_owned(),
                file,
            })
        })
        .collect()
}

/// `cargo xtask regen --discover INDEX`: the index's API reference pages
/// that spec/upstream does not hold yet. Changes nothing.
pub fn discover(workspace: &Workspace, index: &str) -> Result<Discovery> {
    let inputs = Inputs::load(workspace)?;
    let vendored: BTreeSet<&str> = inputs.sources.0.iter().map(|s| s.file.as_str()).collect();
    let pages = indexed_pages(index);
    if pages.is_empty() {
        bail!(
            "the index lists no API reference pages (lines like `- [Title](https://docs.camb.ai/api-reference/endpoint/<name>.md): ...`)"
        );
    }
    let listed = pages.len();
    let missing = pages
        .into_iter()
        .filter(|page| !vendored.contains(page.file.as_str()))
        .collect();
    Ok(Discovery { listed, missing })
}

fn write_generated(
    workspace: &Workspace,
    outputs: Outputs,
    mut written: Vec<String>,
) -> Result<Report> {
    let summary = Summary::between(&previous_spec_30(workspace)?, &outputs.spec_30);
    for (path, text) in [
        (workspace.openapi_31_file(), &outputs.openapi_31),
        (workspace.openapi_30_file(), &outputs.openapi_30),
    ] {
        if write_if_changed(&path, text)? {
            written.push(workspace.show(&path));
        }
    }
    Ok(Report {
        written,
        summary,
        code: outputs.code,
        drift: outputs.drift,
        renamed: outputs.renamed,
    })
}

/// The current spec/generated/openapi.json (`Null` if missing or unreadable:
/// then everything counts as new).
fn previous_spec_30(workspace: &Workspace) -> Result<Value> {
    let text = read_optional(&workspace.openapi_30_file())?;
    Ok(text
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null))
}

/// The outcome of `--check`.
#[derive(Debug)]
pub enum CheckOutcome {
    /// spec/generated matches the vendored inputs.
    UpToDate,
    /// It does not: a unified diff of each stale file, and the API summary.
    Stale {
        /// Unified diffs, from the file on disk to what regen would write.
        diff: String,
        /// The API changes regen would make.
        summary: Summary,
    },
}

impl fmt::Display for CheckOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UpToDate => writeln!(f, "spec/generated is up to date"),
            Self::Stale { diff, summary } => {
                write!(f, "{diff}")?;
                writeln!(
                    f,
                    "\nspec/generated is out of date; `cargo xtask regen` would change:"
                )?;
                write!(f, "{summary}")
            }
        }
    }
}

/// What `--check` found: whether spec/generated is stale, and the overlay
/// drift (reported either way; it does not fail the check).
#[derive(Debug)]
pub struct CheckReport {
    /// Up to date or stale.
    pub outcome: CheckOutcome,
    /// Where the overlays override upstream or change nothing.
    pub drift: OverlayDrift,
    /// The inline schemas renamed so that no two share a Rust name.
    pub renamed: Renamed,
    /// The operations progenitor does not generate.
    pub multipart: MultipartOperations,
}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}{}{}",
            self.outcome, self.renamed, self.multipart, self.drift
        )
    }
}

/// `cargo xtask regen --check`: compares spec/generated with what regen
/// would write, changing nothing.
pub fn check(workspace: &Workspace) -> Result<CheckReport> {
    let outputs = generate(&Inputs::load(workspace)?)?;
    let mut diff = String::new();
    for (path, expected) in [
        (workspace.openapi_31_file(), &outputs.openapi_31),
        (workspace.openapi_30_file(), &outputs.openapi_30),
    ] {
        let actual = read_optional(&path)?.unwrap_or_default();
        if actual != *expected {
            let name = workspace.show(&path);
            let file_diff = TextDiff::from_lines(&actual, expected)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{name} (on disk)"),
                    &format!("{name} (regenerated)"),
                )
                .to_string();
            diff.push_str(&file_diff);
        }
    }
    let outcome = if diff.is_empty() {
        CheckOutcome::UpToDate
    } else {
        let summary = Summary::between(&previous_spec_30(workspace)?, &outputs.spec_30);
        CheckOutcome::Stale { diff, summary }
    };
    Ok(CheckReport {
        outcome,
        drift: outputs.drift,
        renamed: outputs.renamed,
        multipart: MultipartOperations(outputs.code.multipart),
    })
}

/// Today's date in UTC, `YYYY-MM-DD`, for sources.json.
pub fn today_utc() -> String {
    let timestamp = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    timestamp.chars().take(10).collect()
}

/// The workspace of this xtask: the parent of its manifest directory.
pub fn this_workspace() -> Workspace {
    // `cargo run` sets CARGO_MANIFEST_DIR at run time too. It wins over the
    // compile-time value, which is stale when a binary built in another
    // checkout sharing CARGO_TARGET_DIR is reused.
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    Workspace::new(manifest_dir.parent().unwrap_or(&manifest_dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_an_iso_date() {
        let today = today_utc();
        let shape: String = today
            .chars()
            .map(|c| if c.is_ascii_digit() { '9' } else { c })
            .collect();
        assert_eq!(shape, "9999-99-99", "{today}");
    }
}
