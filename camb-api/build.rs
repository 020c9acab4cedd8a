//! Generates the client (and, with the `httpmock` feature, typed mocks) from
//! the normalized spec. Only that file is an input: editing anything else in
//! the crate never re-runs generation.

use std::{env, fs, path::PathBuf};

use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};

const SPEC: &str = "../spec/generated/openapi.json";

fn main() {
    println!("cargo:rerun-if-changed={SPEC}");
    println!("cargo:rerun-if-changed=build.rs");

    let text = fs::read_to_string(SPEC).unwrap_or_else(|e| panic!("reading {SPEC}: {e}"));
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {SPEC}: {e}"));

    let mut settings = GenerationSettings::default();
    settings
        // Builder style: a new optional parameter upstream (as `run_id` was)
        // adds a builder method instead of breaking every call site.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // progenitor ignores securitySchemes: the client carries an `Auth` and
        // this hook puts `x-api-key` on every request.
        .with_inner_type(quote::quote!(crate::Auth))
        .with_pre_hook(quote::quote!(crate::Auth::authorize))
        // Open enums: a value the server adds later decodes to `Unknown(..)`
        // instead of failing the whole response.
        .with_replacement(
            "TaskStatus",
            "crate::TaskStatus",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        )
        .with_replacement(
            "ExceptionReason",
            "crate::ExceptionReason",
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );

    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    let mut generator = Generator::new(&settings);
    let tokens = generator
        .generate_tokens(&spec)
        .unwrap_or_else(|e| panic!("generating the client from {SPEC}: {e}"));
    write_pretty(&out_dir.join("client.rs"), tokens);

    if env::var_os("CARGO_FEATURE_HTTPMOCK").is_some() {
        let tokens = generator
            .httpmock(&spec, "crate")
            .unwrap_or_else(|e| panic!("generating httpmock helpers from {SPEC}: {e}"));
        write_pretty(&out_dir.join("mock.rs"), tokens);
    }
}

fn write_pretty(path: &PathBuf, tokens: proc_macro2::TokenStream) {
    let file: syn::File = syn::parse2(tokens).expect("progenitor emits valid Rust");
    fs::write(path, prettyplease::unparse(&file))
        .unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}
