//! A corpus no one here wrote, for every endpoint: the 26 pages FastAPI
//! emits for `fastapi-fixture/camb_pages.py` (the dubbing surface as
//! camb-sdk 1.6.6 models it, plus a binary answer, in CAMB.AI's page format), vendored with
//! `--from` on top of today's spec and overlay in a scratch copy. regen must
//! accept them (its compile step proves the client compiles), the drift
//! report must mark the overlay entries they make redundant, and
//! camb-api-ext's tests must pass against the client generated from them.

mod common;

use std::{
    collections::BTreeSet,
    fs,
    path::{Path, PathBuf},
};

use common::{scratch::Scratch, temp_workspace};
use serde_json::Value;
use xtask::{
    HTTP_METHODS,
    drift::DriftKind,
    fetch::fetch,
    regen::{refresh, this_workspace},
};

/// The corpus, in file-name order.
fn pages() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fastapi-fixture/pages");
    let mut pages: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    pages.sort();
    pages
}

/// The `(METHOD, path)` of every operation in an OpenAPI document.
fn operations(spec: &Value) -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in HTTP_METHODS {
            if item.get(method).is_some() {
                found.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    found
}

/// The `(METHOD, path)` a page's fence names: ````yaml get /dub/{task_id}.
fn fenced_operation(page: &str) -> (String, String) {
    let fence = page
        .lines()
        .find_map(|line| line.strip_prefix("````yaml "))
        .expect("a ````yaml fence");
    let (method, path) = fence.split_once(' ').expect("method and path");
    (method.to_uppercase(), path.to_owned())
}

#[test]
fn every_endpoint_page_vendors_over_the_overlay_and_camb_api_ext_passes_against_it() {
    let pages = pages();
    assert_eq!(pages.len(), 26, "one page per endpoint");
    let (dir, workspace) = temp_workspace();

    // `cargo xtask regen --from PAGE...`: exit 0 means merged, converted,
    // generated and compiled (camb-api with every feature).
    let fetched = pages
        .iter()
        .map(|page| fetch(page.to_str().unwrap()).unwrap());
    let report = refresh(&workspace, fetched, "2026-12-01").unwrap_or_else(|e| panic!("{e:#}"));
    let printed = report.to_string();

    // Every page's operation made it into the merged spec, each page once.
    let spec_31: Value =
        serde_json::from_str(&fs::read_to_string(workspace.openapi_31_file()).unwrap()).unwrap();
    let merged = operations(&spec_31);
    for page in &pages {
        let operation = fenced_operation(&fs::read_to_string(page).unwrap());
        assert!(merged.contains(&operation), "{operation:?} lost");
    }
    let sources: Value =
        serde_json::from_str(&fs::read_to_string(workspace.sources_file()).unwrap()).unwrap();
    assert_eq!(
        sources.as_array().unwrap().len(),
        26,
        "the fixture's status page replaces the vendored one of the same name: {sources}"
    );

    // Every operation is in the client: progenitor generates a method for
    // each JSON one; the two of the corpus with a multipart/form-data body,
    // and those today's overlay already has (audio separation, stories),
    // are named in the report and sent by camb-api's multipart code.
    let spec_30: Value =
        serde_json::from_str(&fs::read_to_string(workspace.openapi_30_file()).unwrap()).unwrap();
    let multipart: BTreeSet<&str> = report
        .code
        .multipart
        .iter()
        .map(|operation| operation.operation_id.as_str())
        .collect();
    let today: openapiv3::OpenAPI = serde_json::from_str(
        &fs::read_to_string(this_workspace().root().join("spec/generated/openapi.json")).unwrap(),
    )
    .unwrap();
    let todays_uploads: Vec<String> = camb_codegen::multipart_operations(&today)
        .into_iter()
        .map(|operation| operation.operation_id)
        .collect();
    let mut expected_uploads: BTreeSet<&str> =
        BTreeSet::from(["create_dictionary_from_file", "create_transcription"]);
    expected_uploads.extend(todays_uploads.iter().map(String::as_str));
    assert_eq!(multipart, expected_uploads);
    for operation in &report.code.multipart {
        let id = &operation.operation_id;
        assert!(printed.contains(&format!("({id})")), "{printed}");
        assert!(
            matches!(operation.outcome, camb_codegen::Outcome::Sent { .. }),
            "{operation}"
        );
    }
    // Both uploads are sent by camb-api's multipart code, their files as
    // file parts and the rest of the form as text parts.
    for (id, expected_files, a_field) in [
        (
            "create_transcription",
            &["file", "media_file"][..],
            "language",
        ),
        (
            "create_dictionary_from_file",
            &["dictionary_file"][..],
            "dictionary_name",
        ),
    ] {
        let operation = report
            .code
            .multipart
            .iter()
            .find(|operation| operation.operation_id == id)
            .unwrap();
        let camb_codegen::Outcome::Sent { files, fields } = &operation.outcome else {
            panic!("{id} is not sent: {operation}");
        };
        assert_eq!(files, expected_files, "{id}");
        assert!(
            fields.iter().any(|field| field == a_field),
            "{id}: {fields:?}"
        );
    }
    for item in spec_30["paths"].as_object().unwrap().values() {
        for method in HTTP_METHODS {
            let Some(id) = item.get(method).map(|o| o["operationId"].as_str().unwrap()) else {
                continue;
            };
            if !multipart.contains(id) {
                let method = format!("pub fn {id}(");
                assert!(report.code.client.contains(&method), "no {method}");
            }
        }
    }

    // The overlay entries the pages now say themselves are marked redundant
    // (one entry covers an object that is redundant as a whole): each
    // dubbing operation's name, tags, security and validation error, and
    // the transcript enums, which the pages spell exactly as the overlay.
    let redundant: Vec<&str> = report
        .drift
        .0
        .iter()
        .filter(|drift| matches!(drift.kind, DriftKind::Redundant(_)))
        .map(|drift| drift.pointer.as_str())
        .collect();
    let is_redundant = |pointer: &str| {
        redundant
            .iter()
            .any(|entry| pointer == *entry || pointer.starts_with(&format!("{entry}/")))
    };
    let mut expected = Vec::new();
    for operation in [
        "/paths/~1dub/post",
        "/paths/~1dub-result~1{run_id}/get",
        "/paths/~1dubbing-results/post",
        "/paths/~1transcript~1{run_id}~1{language}/get",
        "/paths/~1dub-alt-format~1{run_id}~1{language}/post",
        "/paths/~1dub-alt-format~1{task_id}/get",
        "/paths/~1source-languages/get",
        "/paths/~1target-languages/get",
    ] {
        for field in ["operationId", "tags", "security", "responses/422"] {
            expected.push(format!("{operation}/{field}"));
        }
    }
    for schema in ["TranscriptFileFormat", "TranscriptDataType"] {
        expected.push(format!("/components/schemas/{schema}"));
    }
    for pointer in &expected {
        assert!(is_redundant(pointer), "{pointer} not redundant:\n{printed}");
    }

    // camb-api-ext's tests, against the client generated from the new spec.
    let scratch = Scratch::prepare(
        "camb-api-ext-scratch",
        &fs::read_to_string(workspace.openapi_30_file()).unwrap(),
        &fs::read_to_string(workspace.openapi_31_file()).unwrap(),
    );
    scratch.cargo(&["test", "-p", "camb-api-ext", "--lib"]);
    scratch.cargo(&["check", "-p", "camb-api-ext", "--all-targets"]);
    drop(dir);
}
