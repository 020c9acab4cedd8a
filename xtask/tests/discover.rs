//! `--discover INDEX` and `--refresh`, on local files and an httpmock server.

mod common;

use common::{read, temp_workspace, write};
use httpmock::prelude::*;
use xtask::{
    fetch::fetch,
    regen::{discover, refresh_all},
};

/// CAMB.AI's `llms.txt` format: markdown links, one a line, among others.
const INDEX: &str = "\
# CAMB.AI

## Docs

- [Quickstart](https://docs.camb.ai/quickstart.md): Start here.
- [Get End to End Dubbing Task Status](https://docs.camb.ai/api-reference/endpoint/get-end-to-end-dubbing-status.md): Retrieves the status.
- [End to End Dubbing](https://docs.camb.ai/api-reference/endpoint/end-to-end-dubbing.md): Dubs a video.
- [Get Dubbed Run Info](https://docs.camb.ai/api-reference/endpoint/get-dubbed-run-info.md): Where a run's files are.
";

#[test]
fn discover_lists_the_api_reference_pages_not_vendored_yet() {
    let (_dir, workspace) = temp_workspace();
    let found = discover(&workspace, INDEX).unwrap();
    assert_eq!(found.listed, 3);
    let files: Vec<&str> = found.missing.iter().map(|p| p.file.as_str()).collect();
    assert_eq!(files, ["end-to-end-dubbing.md", "get-dubbed-run-info.md"]);
    assert_eq!(
        found.to_string(),
        "2 of the 3 API reference pages of the index are not vendored yet:\n  \
         end-to-end-dubbing.md  End to End Dubbing  https://docs.camb.ai/api-reference/endpoint/end-to-end-dubbing.md\n  \
         get-dubbed-run-info.md  Get Dubbed Run Info  https://docs.camb.ai/api-reference/endpoint/get-dubbed-run-info.md\n\
         Vendor one with `cargo xtask regen --from URL` (repeatable), then read the drift report.\n"
    );
}

#[test]
fn discover_reads_the_index_over_http_too() {
    let server = MockServer::start();
    let index = server.mock(|when, then| {
        when.method(GET).path("/llms.txt");
        then.status(200).body(INDEX);
    });
    let (_dir, workspace) = temp_workspace();
    let text = fetch(&server.url("/llms.txt")).unwrap().text;
    index.assert();
    assert_eq!(discover(&workspace, &text).unwrap().missing.len(), 2);
    assert!(discover(&workspace, "# nothing here\n").is_err());
}

#[test]
fn refresh_fetches_every_recorded_page_again_and_rebuilds() {
    let (dir, workspace) = temp_workspace();
    let page = read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md");
    // Upstream changed a title since the page was taken.
    let changed = page.replace("      title: Run ID\n", "      title: Run Identifier\n");
    assert_ne!(changed, page);
    let server = MockServer::start();
    let served = server.mock(|when, then| {
        when.method(GET)
            .path("/api-reference/endpoint/get-end-to-end-dubbing-status.md");
        then.status(200).body(&changed);
    });
    let url = server.url("/api-reference/endpoint/get-end-to-end-dubbing-status.md");
    let sources = read(&dir, "spec/upstream/sources.json").replace(
        "https://docs.camb.ai/api-reference/endpoint/get-end-to-end-dubbing-status.md",
        &url,
    );
    write(&dir, "spec/upstream/sources.json", &sources);
    let report = refresh_all(&workspace, fetch, "2026-12-01").unwrap();
    served.assert();
    assert_eq!(
        read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md"),
        changed
    );
    let sources = read(&dir, "spec/upstream/sources.json");
    assert!(sources.contains("\"taken\": \"2026-12-01\""), "{sources}");
    assert!(
        read(&dir, "spec/generated/openapi.json").contains("\"title\": \"Run Identifier\""),
        "{report}"
    );
}

#[test]
fn refresh_reads_pages_recorded_as_local_paths() {
    let (dir, workspace) = temp_workspace();
    let local = dir.path().join("status-copy.md");
    let page = read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md");
    std::fs::write(&local, &page).unwrap();
    let sources = read(&dir, "spec/upstream/sources.json").replace(
        "https://docs.camb.ai/api-reference/endpoint/get-end-to-end-dubbing-status.md",
        local.to_str().unwrap(),
    );
    write(&dir, "spec/upstream/sources.json", &sources);
    refresh_all(&workspace, fetch, "2026-12-01").unwrap();
    // Kept under its recorded name, not the local file's.
    assert!(!dir.path().join("spec/upstream/status-copy.md").exists());
    assert_eq!(
        read(&dir, "spec/upstream/get-end-to-end-dubbing-status.md"),
        page
    );
    // A page that cannot be fetched fails the whole refresh, naming it.
    std::fs::remove_file(&local).unwrap();
    let error = format!(
        "{:#}",
        refresh_all(&workspace, fetch, "2026-12-02").unwrap_err()
    );
    assert!(
        error.contains("refreshing spec/upstream/get-end-to-end-dubbing-status.md"),
        "{error}"
    );
}
