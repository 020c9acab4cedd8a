//! OpenAPI 3.1 -> 3.0.3, on plain JSON values, for progenitor (which reads 3.0
//! only).
//!
//! `document` walks the OpenAPI object tree to find every Schema Object;
//! `schema` rewrites each one, one small rule per 3.1 construct. Whatever
//! has no 3.0 equivalent is a [`ConvertError`] naming its JSON pointer, never
//! a silent drop.

mod document;
pub mod operation_names;
mod schema;

use std::fmt;

use serde_json::Value;

use crate::pointer::Pointer;

/// A construct the converter cannot express in OpenAPI 3.0, and where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertError {
    /// Where the construct is, in the merged 3.1 document.
    pub pointer: Pointer,
    /// What is wrong with it.
    pub problem: String,
}

impl ConvertError {
    fn new(pointer: &Pointer, problem: impl Into<String>) -> Self {
        Self {
            pointer: pointer.clone(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot convert to OpenAPI 3.0 at {}: {}",
            self.pointer, self.problem
        )
    }
}

impl std::error::Error for ConvertError {}

/// The result of one conversion step.
type Step = Result<(), ConvertError>;

/// Converts an OpenAPI 3.1 document to OpenAPI 3.0.3, with short operation
/// names ([`operation_names`]).
pub fn to_openapi_30(spec: &Value) -> Result<Value, ConvertError> {
    if let Some((pointer, reference)) = schema::unmarked_open_enum(spec) {
        return Err(ConvertError::new(
            &pointer,
            format!(
                "an open enum (`anyOf: [$ref, {{type: string}}]`) of {reference}, which is not \
                 marked `{}: true`: mark it, so that the client accepts what the spec does",
                camb_codegen::OPEN_ENUM
            ),
        ));
    }
    let mut converted = spec.clone();
    document::convert(&mut converted)?;
    operation_names::shorten(&mut converted)?;
    Ok(converted)
}
