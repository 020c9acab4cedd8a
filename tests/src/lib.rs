//! Shared helpers for the contract tests under `tests/tests/`: the spec's
//! operations and schemas, clients pointed at local servers, and the registry
//! that ties every documented response of every operation to a contract test.

#![deny(missing_docs)]

pub mod clients;
pub mod coverage;
pub mod schema_strategy;
pub mod spec;

#[doc(hidden)]
pub use inventory;

/// The README's Rust examples, run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
