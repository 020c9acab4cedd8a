//! Contract tests: for every operation of the spec and every response it
//! documents, what each client sends (method, path, `x-api-key`, query,
//! body) and how it decodes the answer, against typed httpmock mocks
//! generated from the same spec (`camb_api::mock::MockServerExt`), through
//! the raw generated client (`raw`) and the client people use (`camb`).
//!
//! `every_documented_response_has_a_contract_test` compares the spec with the
//! tests registered by `contract_test!`, so a new operation or response in the
//! spec fails the suite until it has a test, for every client.

#[macro_use]
mod answers;
#[macro_use]
mod task_families;
mod audio_separation;
mod camb;
mod dictionaries;
mod expect;
mod folders;
mod project_setup;
mod raw;
mod speech;
mod story;
mod streams;
mod subtitles;
mod text_to_sound;
mod text_to_voice;
mod transcription;
mod translated_story;
mod translation;
mod tts;

use std::collections::BTreeSet;

use camb_tests::coverage::{self, ClientKind};
use camb_tests::spec;

/// The validation details of an [`Error::Validation`](camb_api_ext::Error::Validation),
/// for the modules that check what `Camb` makes of a 422.
fn validation_detail<T: std::fmt::Debug>(
    result: Result<T, camb_api_ext::Error>,
) -> camb_api::types::HttpValidationError {
    match result {
        Err(camb_api_ext::Error::Validation { detail }) => {
            camb_api::types::HttpValidationError { detail }
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

/// The clients every documented response must be covered for.
const CLIENTS: &[ClientKind] = &[ClientKind::Raw, ClientKind::Camb];

#[test]
fn every_documented_response_has_a_contract_test() {
    let required: BTreeSet<(ClientKind, String, u16)> = spec::operations()
        .into_iter()
        .flat_map(|operation| {
            let id = operation.id.clone();
            operation.statuses.into_iter().flat_map(move |status| {
                CLIENTS.iter().map({
                    let id = id.clone();
                    move |client| (*client, id.clone(), status)
                })
            })
        })
        .collect();
    let covered: BTreeSet<(ClientKind, String, u16)> = coverage::registry()
        .map(|test| (test.client, test.operation_id.to_owned(), test.status))
        .collect();

    let missing: Vec<_> = required.difference(&covered).collect();
    let stale: Vec<_> = coverage::registry()
        .filter(|test| {
            !required.contains(&(test.client, test.operation_id.to_owned(), test.status))
        })
        .map(|test| test.test)
        .collect();
    assert!(
        missing.is_empty(),
        "documented responses without a contract test (client, operationId, status): {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "contract tests for responses the spec does not document: {stale:?}"
    );
}

#[test]
fn the_spec_lists_operations_with_documented_responses() {
    // Guards the coverage check itself: if reading the spec silently found
    // nothing, any registry would pass it.
    let operations = spec::operations();
    assert!(!operations.is_empty(), "no operations read from the spec");
    for operation in operations {
        assert!(
            operation.statuses.contains(&200),
            "{} documents no 200: {:?}",
            operation.id,
            operation.statuses
        );
    }
}
