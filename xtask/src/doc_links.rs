//! `cargo xtask doc-links`: every type a public signature of camb-api-ext
//! names is a link in its docs.
//!
//! A type that rustdoc cannot link is dead text to a reader: they cannot
//! learn its fields or methods without reading generated source under
//! `target/` (issue 22 found `DubbedRunInfo`, `StringMap`, `LanguageInput` and
//! `TaskIdResponse` so in the mock helpers). Rustdoc leaves a type unlinked
//! when no documented public path reaches it (a type of a private module, a
//! re-export missing) or when it belongs to a crate not documented with it.
//!
//! The check reads the HTML that `cargo doc --workspace --no-deps
//! --all-features` writes (rustdoc's JSON output is nightly-only): in every
//! page of camb-api-ext, the text of each signature (method and impl
//! headers, public fields, variants, and the declarations of functions,
//! type aliases and constants) outside `<a>` links. A name there that can be
//! a type (it starts upper-case and has a lower-case letter) and is neither
//! a generic parameter the signature declares, an associated type binding
//! (`Item = ..`), `Self`, nor the name being declared is a failure, unless
//! [`OTHER_CRATES`] lists it: a type of a crate that `--no-deps` does not
//! document (docs.rs and a plain `cargo doc` link those). Impls that rustdoc
//! adds (blanket and auto-trait impls of other crates' traits) are skipped.
//!
//! The types an example names need no such check: examples are doc tests,
//! which compile only if every type they name has a public path, so a page.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
    process::{Command, ExitCode},
};

use anyhow::{Context, Result, bail};
use scraper::{ElementRef, Html, Node, Selector};

/// The crate whose docs are checked.
pub const CRATE: &str = "camb_api_ext";

/// Types of other crates that camb-api-ext's public signatures name, which
/// `cargo doc --no-deps` cannot link (a reader's `cargo doc` and docs.rs do):
/// each with the crate it comes from. A name added here is a public
/// dependency of camb-api-ext's API; one that is a type of this workspace
/// belongs in the docs instead.
pub const OTHER_CRATES: &[(&str, &str)] = &[
    // The raw calls' answer and error (`Camb::send`, `Camb::error_of`, the
    // typed calls of every task family, `camb_api::Task`), which camb-api
    // re-exports from progenitor's runtime. Also the name of `reqwest::Error`
    // and `serde_json::Error` in `Error`'s `source` fields: this crate's own
    // `Error` is defined here, so it always links.
    ("ResponseValue", "progenitor-client"),
    ("ByteStream", "progenitor-client"),
    ("Error", "progenitor-client, reqwest, serde_json"),
    // `CambBuilder::reqwest_client`, `CambBuilder::http_client`, the
    // statuses and headers of `Error` and `SpeechMetadata`.
    ("Client", "reqwest"),
    ("ClientBuilder", "reqwest"),
    ("StatusCode", "reqwest (http)"),
    ("HeaderMap", "reqwest (http)"),
    // `tls_config` (feature `rustls-ring`).
    ("ClientConfig", "rustls"),
    // The streams of waits, speech and `dub_all`, and speech's audio chunks.
    ("Stream", "futures-core"),
    ("FusedStream", "futures-core"),
    ("Bytes", "bytes"),
    // The `mock` feature: httpmock's server, mocks and request/answer builders.
    ("MockServer", "httpmock"),
    ("Mock", "httpmock"),
    ("When", "httpmock"),
    ("Then", "httpmock"),
];

/// One name left unlinked in a signature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unlinked {
    /// The page, relative to the doc directory.
    pub page: String,
    /// The unlinked name.
    pub name: String,
    /// The signature it is in, as text.
    pub signature: String,
}

/// Builds camb-api's docs, then camb-api-ext's afresh, and checks
/// [`CRATE`]'s pages; exit 1 listing each unlinked name.
///
/// The order matters: rustdoc links another crate's items only if that
/// crate's docs are in the output directory when it starts, and `cargo doc
/// --workspace --no-deps` documents the members side by side, in no set
/// order. So camb-api goes first, and camb-api-ext is documented again
/// (`cargo rustdoc` with a cfg of its own, which changes its fingerprint)
/// rather than trusting docs a racing build may have left.
pub fn run() -> Result<ExitCode> {
    cargo_run(&["doc", "-p", "camb-api", "--no-deps", "--all-features"])?;
    cargo_run(&[
        "rustdoc",
        "-p",
        "camb-api-ext",
        "--all-features",
        "--",
        "--cfg",
        "camb_doc_links",
    ])?;
    let doc = target_dir()?.join("doc");
    let unlinked = check(&doc)?;
    if unlinked.is_empty() {
        println!("every type named in a signature of {CRATE} links");
        return Ok(ExitCode::SUCCESS);
    }
    let mut by_name: BTreeMap<&str, Vec<&Unlinked>> = BTreeMap::new();
    for found in &unlinked {
        by_name.entry(&found.name).or_default().push(found);
    }
    eprintln!(
        "error: {} name(s) in signatures of {CRATE} link nowhere (make the type reachable \
         from {CRATE}'s docs, or, for another crate's type, list it in OTHER_CRATES of \
         xtask/src/doc_links.rs):",
        by_name.len()
    );
    for (name, found) in by_name {
        eprintln!("  {name}: {} place(s), e.g.", found.len());
        for place in found.iter().take(3) {
            eprintln!("    {}: {}", place.page, place.signature);
        }
    }
    Ok(ExitCode::from(1))
}

/// Every unlinked name in the signatures of [`CRATE`]'s pages under `doc`.
pub fn check(doc: &Path) -> Result<Vec<Unlinked>> {
    let root = doc.join(CRATE);
    if !root.join("index.html").is_file() {
        bail!(
            "no docs of {CRATE} in {} (run cargo doc --workspace --no-deps --all-features)",
            doc.display()
        );
    }
    let mut unlinked = Vec::new();
    for page in pages(&root)? {
        let html = std::fs::read_to_string(&page)
            .with_context(|| format!("reading {}", page.display()))?;
        let name = page
            .strip_prefix(doc)
            .unwrap_or(&page)
            .to_string_lossy()
            .into_owned();
        unlinked.extend(unlinked_in_page(&name, &html));
    }
    unlinked.sort();
    unlinked.dedup();
    Ok(unlinked)
}

/// The HTML pages under `dir`, in a stable order.
fn pages(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The unlinked names in the signatures of one rustdoc page named `page`.
pub fn unlinked_in_page(page: &str, html: &str) -> Vec<Unlinked> {
    let document = Html::parse_document(html);
    let mut found = Vec::new();
    let file = page.rsplit('/').next().unwrap_or(page);
    let declares = ["fn.", "type.", "constant.", "static."]
        .iter()
        .any(|prefix| file.starts_with(prefix));
    let mut signatures: Vec<(ElementRef, Skip)> = Vec::new();
    for element in document.select(&selector(
        "h3.code-header, h4.code-header, .structfield > code, .sub-variant-field > .section-header > code",
    )) {
        if added_by_rustdoc(element) {
            continue;
        }
        let in_variant = element
            .parent()
            .and_then(ElementRef::wrap)
            .is_some_and(|parent| parent.value().has_class("variant", CASE));
        signatures.push((element, if in_variant { Skip::FirstName } else { Skip::None }));
    }
    if declares && let Some(decl) = document.select(&selector("pre.item-decl > code")).next() {
        signatures.push((decl, Skip::Declared));
    }
    for (element, skip) in signatures {
        let text = unlinked_text(element);
        for name in unlinked_names(&text, skip) {
            found.push(Unlinked {
                page: page.to_owned(),
                name,
                signature: text.split_whitespace().collect::<Vec<_>>().join(" "),
            });
        }
    }
    found
}

const CASE: scraper::CaseSensitivity = scraper::CaseSensitivity::CaseSensitive;

fn selector(css: &str) -> Selector {
    // The selectors are constants of this file; a typo fails every test.
    Selector::parse(css).unwrap_or_else(|err| panic!("bad selector {css:?}: {err}"))
}

/// Whether `element` is in the blanket or auto-trait impls rustdoc adds to
/// every type (other crates' traits, generic in what they name).
fn added_by_rustdoc(element: ElementRef) -> bool {
    element.ancestors().any(|node| {
        node.value()
            .as_element()
            .and_then(|e| e.id())
            .is_some_and(|id| {
                id == "blanket-implementations-list" || id == "synthetic-implementations-list"
            })
    })
}

/// The text of `element` with every link's text left out (a space in its
/// place, as between any two pieces of text).
fn unlinked_text(element: ElementRef) -> String {
    let mut text = String::new();
    let mut todo: Vec<_> = element.children().collect();
    todo.reverse();
    while let Some(node) = todo.pop() {
        match node.value() {
            Node::Text(piece) => {
                text.push_str(piece);
                text.push(' ');
            }
            Node::Element(inner) if inner.name() == "a" => text.push(' '),
            Node::Element(_) => {
                text.push(' ');
                todo.extend(node.children().rev());
            }
            _ => {}
        }
    }
    text
}

/// What a signature's text declares rather than names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Skip {
    None,
    /// A variant's header starts with the variant's name.
    FirstName,
    /// A declaration names the item it declares after its keyword.
    Declared,
}

/// The names in `text` that could be types but are not linked.
fn unlinked_names(text: &str, skip: Skip) -> BTreeSet<String> {
    let mut tokens = tokens(text);
    // A constant's value is an expression, not a signature: `= None`.
    if tokens.contains(&Token::Name("const".to_owned()))
        && let Some(value) = tokens.iter().position(|token| *token == Token::Punct('='))
    {
        tokens.truncate(value);
    }
    let generics = declared_generics(&tokens);
    let mut names = BTreeSet::new();
    let mut skipped = skip == Skip::None;
    for (at, token) in tokens.iter().enumerate() {
        let Token::Name(name) = token else { continue };
        if !skipped {
            let declared = match skip {
                Skip::FirstName => true,
                Skip::Declared => {
                    at > 0
                        && matches!(&tokens[at - 1], Token::Name(k) if ["fn", "type", "const", "static"].contains(&k.as_str()))
                }
                Skip::None => false,
            };
            if declared {
                skipped = true;
                continue;
            }
        }
        let binding = matches!(tokens.get(at + 1), Some(Token::Punct('=')));
        let associated = at >= 2
            && matches!(tokens[at - 1], Token::Punct(':'))
            && matches!(tokens[at - 2], Token::Punct(':'));
        if could_be_a_type(name)
            && name != "Self"
            && !generics.contains(name.as_str())
            && !binding
            && !associated
            && !OTHER_CRATES.iter().any(|(other, _)| other == name)
        {
            names.insert(name.clone());
        }
    }
    names
}

/// Upper-case first, and a lower-case letter somewhere: `DubOutput`, not
/// `T`, `MAX_BODY_BYTES` or `fn`.
fn could_be_a_type(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Name(String),
    Lifetime,
    Punct(char),
}

fn tokens(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || c == '_' || c == '\'' {
            let mut name = String::new();
            if c != '\'' {
                name.push(c);
            }
            while let Some(&next) = chars.peek() {
                if next.is_alphanumeric() || next == '_' {
                    name.push(next);
                    chars.next();
                } else {
                    break;
                }
            }
            tokens.push(if c == '\'' {
                Token::Lifetime
            } else {
                Token::Name(name)
            });
        } else if !c.is_whitespace() {
            tokens.push(Token::Punct(c));
        }
    }
    tokens
}

/// The generic parameters declared by `impl<..>` and `fn name<..>` (the
/// name may be a link, so missing from the text): every name at the top
/// level of the list that starts a parameter (after `<` or `,`).
fn declared_generics(tokens: &[Token]) -> BTreeSet<&str> {
    let mut generics = BTreeSet::new();
    for (at, token) in tokens.iter().enumerate() {
        let opens = match token {
            Token::Name(keyword) if keyword == "impl" => at + 1,
            Token::Name(keyword) if keyword == "fn" => match tokens.get(at + 1) {
                Some(Token::Name(_)) => at + 2,
                _ => at + 1,
            },
            _ => continue,
        };
        if tokens.get(opens) != Some(&Token::Punct('<')) {
            continue;
        }
        let mut depth = 0;
        let mut starts_parameter = false;
        for token in &tokens[opens..] {
            match token {
                Token::Punct('<') => {
                    depth += 1;
                    starts_parameter = depth == 1;
                }
                Token::Punct('>') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Token::Punct(',') if depth == 1 => starts_parameter = true,
                Token::Name(keyword) if depth == 1 && starts_parameter && keyword == "const" => {}
                Token::Name(name) if depth == 1 && starts_parameter => {
                    generics.insert(name.as_str());
                    starts_parameter = false;
                }
                _ if depth == 1 => starts_parameter = false,
                _ => {}
            }
        }
    }
    generics
}

fn cargo_run(args: &[&str]) -> Result<()> {
    let status = Command::new(cargo())
        .args(args)
        .status()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !status.success() {
        bail!("cargo {} failed", args.join(" "));
    }
    Ok(())
}

/// The target directory cargo uses (`CARGO_TARGET_DIR` or the workspace's).
fn target_dir() -> Result<PathBuf> {
    let output = Command::new(cargo())
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .context("running cargo metadata")?;
    if !output.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).context("reading cargo metadata's answer")?;
    metadata["target_directory"]
        .as_str()
        .map(PathBuf::from)
        .context("cargo metadata names no target directory")
}

/// The cargo that runs xtask (`cargo xtask` sets `CARGO`), else the one on
/// the path.
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}
