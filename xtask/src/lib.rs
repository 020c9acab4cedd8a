//! `cargo xtask regen`: builds spec/generated from CAMB.AI's vendored docs
//! pages (spec/upstream) and our overlay (spec/overlay).
//!
//! Pipeline: [`page`] pulls the OpenAPI 3.1 document out of each page,
//! [`merge`] deep-merges the pages and applies the overlays as JSON Merge
//! Patches, [`convert`] turns 3.1 into 3.0.3, [`validate`] proves progenitor
//! accepts the result, [`compile`] proves camb-api compiles with it,
//! [`summary`] says what changed. [`regen`] holds the
//! commands; see spec/README.md for the rules.
//!
//! `cargo xtask live-check` ([`live_check`]) validates the live service's
//! answers against the generated spec; `cargo xtask test` ([`crates_alone`])
//! tests every crate alone with all its features.
//!
//! ```no_run
//! let workspace = xtask::regen::this_workspace();
//! let report = xtask::regen::regen(&workspace)?;
//! print!("{report}");
//! # Ok::<(), anyhow::Error>(())
//! ```

#![deny(missing_docs)]

pub mod compile;
pub mod convert;
pub mod crates_alone;
pub mod doc_links;
pub mod drift;
pub mod fetch;
pub mod live_check;
pub mod merge;
pub mod naming;
pub mod page;
pub mod pointer;
pub mod regen;
pub mod sources;
pub mod summary;
pub mod validate;
pub mod workspace;

/// The fields of an OpenAPI Path Item that hold operations.
pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];
