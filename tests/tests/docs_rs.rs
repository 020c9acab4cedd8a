//! The published crates document every feature as docs.rs builds them:
//! all features on, `--cfg docsrs` for the feature badges, and the crate
//! docs' overview names the simulator and the mocks.

use std::path::Path;

/// The package metadata of the workspace (`cargo metadata`).
fn packages() -> Vec<serde_json::Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    metadata["packages"].as_array().unwrap().clone()
}

fn source(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

#[test]
fn every_published_crate_builds_its_docs_with_all_features_and_badges() {
    let packages = packages();
    for (name, lib) in [
        ("camb-api", "camb-api/src/lib.rs"),
        ("camb-api-ext", "camb-api-ext/src/lib.rs"),
        ("camb-simulator", "camb-simulator/src/lib.rs"),
    ] {
        let package = packages.iter().find(|p| p["name"] == name).unwrap();
        let docs_rs = &package["metadata"]["docs"]["rs"];
        assert_eq!(docs_rs["all-features"], true, "{name}: {docs_rs}");
        assert_eq!(
            docs_rs["rustdoc-args"],
            serde_json::json!(["--cfg", "docsrs"]),
            "{name}"
        );
        assert!(
            source(lib).contains("#![cfg_attr(docsrs, feature(doc_cfg))]"),
            "{lib} shows no feature badges"
        );
    }
}

#[test]
fn the_clients_overview_shows_the_simulator_and_the_mocks() {
    let lib = source("camb-api-ext/src/lib.rs");
    let overview: String = lib
        .lines()
        .take_while(|line| line.starts_with("//!") || line.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    for needle in [
        "Simulator::camb",
        "`mock` feature",
        "for_paused_clock",
        "Camb::dub_all",
    ] {
        assert!(overview.contains(needle), "the overview lacks {needle}");
    }
}
