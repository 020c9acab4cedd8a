//! Generates the client (and, with the `httpmock` feature, typed mocks) from
//! the normalized spec, with the configuration `cargo xtask regen` checks
//! (`camb-codegen`). Only that file is an input: editing anything else in
//! the crate never re-runs generation.

use std::{env, fs, path::PathBuf};

const SPEC: &str = "../spec/generated/openapi.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {SPEC}: {e}"));
    let code = camb_codegen::generate(&spec, camb_codegen::Features::of_build_script())
        .unwrap_or_else(|e| panic!("generating from {SPEC}: {e}"));

    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    write(&out_dir.join("client.rs"), &code.client);
    write(&out_dir.join("open_enums.rs"), &code.open_enums);
    write(&out_dir.join("languages.rs"), &code.languages);
    write(&out_dir.join("tasks.rs"), &code.tasks);
    if let Some(mock) = &code.mock {
        write(&out_dir.join("mock.rs"), mock);
    }
}

fn write(path: &PathBuf, text: &str) {
    fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
