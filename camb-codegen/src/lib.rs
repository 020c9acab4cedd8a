//! The one progenitor configuration of `camb-api`: `camb-api/build.rs`
//! generates the client with it, and `cargo xtask regen` proves with it that
//! a new spec generates (and compiles) before writing anything. Changing a
//! setting here changes both at once.
//!
//! ```
//! let spec: openapiv3::OpenAPI = serde_json::from_str(r#"{
//!     "openapi": "3.0.3",
//!     "info": {"title": "t", "version": "1"},
//!     "paths": {"/thing": {"get": {
//!         "operationId": "get_thing",
//!         "responses": {"200": {"description": "ok"}}
//!     }}}
//! }"#)?;
//! let code = camb_codegen::generate(&spec, camb_codegen::Features::ALL)?;
//! assert!(code.client.contains("pub fn get_thing"));
//! assert!(code.mock.is_some_and(|mock| mock.contains("fn get_thing")));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]

use std::fmt;

use openapiv3::{
    OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type,
};
use proc_macro2::{Group, Ident, TokenStream, TokenTree};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle, TypeImpl};

mod mock_docs;
mod union_names;

pub use mock_docs::CAMB_METHODS;

/// The hand-written types that replace generated ones (in `camb-api/src`):
/// open enums, so that a value the server adds later decodes to
/// `Unknown(..)` instead of failing the whole response.
pub const REPLACED_TYPES: [(&str, &str); 2] = [
    ("TaskStatus", "crate::TaskStatus"),
    ("ExceptionReason", "crate::ExceptionReason"),
];

/// The derive that the `schemars` feature of camb-api adds to every
/// generated type (schemars 0.8: the version typify's generated impls use).
pub const SCHEMARS_DERIVE: &str = "schemars::JsonSchema";

/// Which optional parts of camb-api to generate: its cargo features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Features {
    /// Feature `httpmock`: typed httpmock helpers (the `mock` module).
    pub httpmock: bool,
    /// Feature `schemars`: every generated type implements
    /// `schemars::JsonSchema`.
    pub schemars: bool,
}

impl Features {
    /// Every feature on: the superset that `cargo xtask regen` checks.
    pub const ALL: Self = Self {
        httpmock: true,
        schemars: true,
    };

    /// The features of the crate whose build script is running
    /// (`CARGO_FEATURE_*`).
    pub fn of_build_script() -> Self {
        let on = |name: &str| std::env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
        Self {
            httpmock: on("HTTPMOCK"),
            schemars: on("SCHEMARS"),
        }
    }
}

/// progenitor's settings for camb-api.
pub fn settings(features: Features) -> GenerationSettings {
    let mut settings = GenerationSettings::default();
    settings
        // Builder style: a new optional parameter upstream (as `run_id` was)
        // adds a builder method instead of breaking every call site.
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // progenitor ignores securitySchemes: the client carries an `Auth` and
        // this hook puts `x-api-key` on every request.
        .with_inner_type(quote::quote!(crate::Auth))
        .with_pre_hook(quote::quote!(crate::Auth::authorize));
    for (name, replacement) in REPLACED_TYPES {
        settings.with_replacement(
            name,
            replacement,
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    if features.schemars {
        settings.with_derive(SCHEMARS_DERIVE);
    }
    settings
}

/// The generated Rust source, formatted.
#[derive(Clone, Debug)]
pub struct Code {
    /// The client and its types (`client.rs`).
    pub client: String,
    /// The typed httpmock helpers (`mock.rs`), when [`Features::httpmock`] is on.
    pub mock: Option<String>,
}

/// Why progenitor could not generate the code.
#[derive(Debug)]
pub enum Error {
    /// progenitor rejected the spec.
    Progenitor {
        /// What was being generated: `the client` or `the httpmock helpers`.
        what: &'static str,
        /// progenitor's error.
        source: progenitor::Error,
    },
    /// progenitor produced tokens that do not parse as a Rust file.
    Unparsable(syn::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Progenitor { what, source } => {
                write!(f, "progenitor cannot generate {what}: {source}")
            }
            Self::Unparsable(error) => write!(f, "progenitor produced invalid Rust: {error}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Progenitor { source, .. } => Some(source),
            Self::Unparsable(error) => Some(error),
        }
    }
}

/// Generates camb-api's code from `spec` with [`settings`].
///
/// progenitor panics on some inputs (e.g. a `type: 'null'` schema); callers
/// that must not panic catch the unwind.
pub fn generate(spec: &OpenAPI, features: Features) -> Result<Code, Error> {
    let mut generator = Generator::new(&settings(features));
    let client = generator
        .generate_tokens(spec)
        .map_err(|source| Error::Progenitor {
            what: "the client",
            source,
        })?;
    let mock = if features.httpmock {
        let tokens = generator
            .httpmock(&without_array_query_parameters(spec), "crate")
            .map_err(|source| Error::Progenitor {
                what: "the httpmock helpers",
                source,
            })?;
        let mut file = parse(tokens)?;
        mock_docs::document(&mut file, spec);
        Some(prettyplease::unparse(&file))
    } else {
        None
    };
    let mut client = parse(client)?;
    union_names::rename(&mut client, &union_names::member_names(spec));
    Ok(Code {
        client: prettyplease::unparse(&client),
        mock,
    })
}

fn parse(tokens: TokenStream) -> Result<syn::File, Error> {
    syn::parse2(raw_gen(tokens)).map_err(Error::Unparsable)
}

/// typify's `JsonSchema` impls (integer enums) name a parameter and a
/// schemars module `gen`, a reserved keyword since edition 2024, camb-api's:
/// every `gen` identifier is written `r#gen`.
fn raw_gen(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Ident(ident) if ident == "gen" => {
                TokenTree::Ident(Ident::new_raw("gen", ident.span()))
            }
            TokenTree::Group(group) => {
                let mut raw = Group::new(group.delimiter(), raw_gen(group.stream()));
                raw.set_span(group.span());
                TokenTree::Group(raw)
            }
            other => other,
        })
        .collect()
}

/// `spec` without its array-typed query parameters, for the httpmock
/// helpers only: progenitor 0.15.1 writes their matcher as
/// `query_param(name, value.to_string())` on a `Vec`, which does not compile.
/// Tests match such a parameter through `into_inner()` (plain httpmock).
fn without_array_query_parameters(spec: &OpenAPI) -> OpenAPI {
    let mut spec = spec.clone();
    let components = spec.components.clone();
    let is_array = |schema: &ReferenceOr<Schema>| {
        let schema = match schema {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/schemas/")
                .and_then(|name| components.as_ref()?.schemas.get(name))
                .and_then(ReferenceOr::as_item),
        };
        schema.is_some_and(|schema| matches!(schema.schema_kind, SchemaKind::Type(Type::Array(_))))
    };
    let keep = |parameter: &ReferenceOr<Parameter>| match parameter {
        ReferenceOr::Item(Parameter::Query { parameter_data, .. }) => !matches!(
            &parameter_data.format,
            ParameterSchemaOrContent::Schema(schema) if is_array(schema)
        ),
        _ => true,
    };
    for item in spec.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
            item.parameters.retain(keep);
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.options,
                &mut item.head,
                &mut item.patch,
                &mut item.trace,
            ];
            for operation in operations.into_iter().flatten() {
                operation.parameters.retain(keep);
            }
        }
    }
    spec
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Thing": {
                "type": "object",
                "properties": {"n": {"type": "integer"}}
            }}}
        }))
        .unwrap()
    }

    #[test]
    fn the_schemars_feature_adds_the_derive_and_only_then() {
        let on = Features {
            httpmock: false,
            schemars: true,
        };
        let with = generate(&spec(), on).unwrap();
        assert!(
            with.client.contains("schemars::JsonSchema"),
            "{}",
            with.client
        );
        assert!(with.mock.is_none());
        let off = Features {
            schemars: false,
            ..on
        };
        let without = generate(&spec(), off).unwrap();
        assert!(!without.client.contains("schemars"), "{}", without.client);
    }

    #[test]
    fn an_integer_enum_schema_impl_uses_a_raw_gen() {
        let spec: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Language": {"type": "integer", "enum": [1, 76]}}}
        }))
        .unwrap();
        let code = generate(&spec, Features::ALL).unwrap();
        assert!(
            code.client
                .contains("r#gen: &mut ::schemars::r#gen::SchemaGenerator"),
            "{}",
            code.client
        );
        assert!(!code.client.contains(" gen:"), "{}", code.client);
    }

    #[test]
    fn array_query_parameters_have_no_mock_matcher_but_stay_in_the_client() {
        let spec: OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {"/things": {"get": {
                "operationId": "list_things",
                "parameters": [
                    {"name": "include", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}}
                ],
                "responses": {"200": {"description": "ok"}}
            }}}
        }))
        .unwrap();
        let code = generate(&spec, Features::ALL).unwrap();
        assert!(code.client.contains("pub fn include"), "{}", code.client);
        let mock = code.mock.unwrap();
        assert!(!mock.contains("fn include"), "{mock}");
        assert!(mock.contains("fn limit"), "{mock}");
    }
}
