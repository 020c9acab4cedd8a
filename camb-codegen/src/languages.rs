//! The table of known languages, generated from the spec's `Languages`
//! schema: its `enum` (the ids) and `x-enum-varnames` (the name of each id,
//! openapi-generator's convention), so that ids, names and locale tags are
//! written once, in the spec.
//!
//! The generated code is a `macro_rules!` macro, `known_languages!`, that
//! hands the table to a macro of the caller's: camb-api-ext's `languages!`
//! turns each line into a `Language` constant and an entry of
//! `Language::KNOWN`. A macro rather than a `const` slice, so that each id
//! stays a named constant.

use std::fmt::Write as _;

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};

use crate::Error;

/// The component schema that lists the language ids.
pub const LANGUAGES: &str = "Languages";

/// The schema extension that names each id.
const VALUE_NAMES: &str = "x-enum-varnames";

/// A language the spec names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnownLanguage {
    /// The name of the id (`EN_US`), from `x-enum-varnames`.
    pub name: String,
    /// The id (`1`).
    pub id: u32,
    /// The locale tag (`en-us`): the name in lower case, `-` for `_`.
    pub tag: String,
}

impl KnownLanguage {
    /// The languages `spec`'s [`LANGUAGES`] schema names, in spec order. A
    /// spec without that schema, or whose schema names no ids, knows no
    /// languages (so that camb-api compiles with any spec).
    pub fn all_of(spec: &OpenAPI) -> Result<Vec<Self>, Error> {
        let problem = |problem: String| Error::Languages { problem };
        let schema = spec
            .components
            .as_ref()
            .and_then(|components| components.schemas.get(LANGUAGES));
        let schema = match schema {
            None => return Ok(Vec::new()),
            Some(ReferenceOr::Reference { reference }) => {
                return Err(problem(format!(
                    "is a reference ({reference}), not an integer enum"
                )));
            }
            Some(ReferenceOr::Item(schema)) => schema,
        };
        let SchemaKind::Type(Type::Integer(integer)) = &schema.schema_kind else {
            return Err(problem("is not a `type: integer` schema".into()));
        };
        let Some(names) = schema.schema_data.extensions.get(VALUE_NAMES) else {
            return Ok(Vec::new());
        };
        let names: Option<Vec<&str>> = names
            .as_array()
            .and_then(|names| names.iter().map(|name| name.as_str()).collect());
        let names = match names {
            Some(names) if names.len() == integer.enumeration.len() => names,
            _ => {
                return Err(problem(format!(
                    "has an `{VALUE_NAMES}` that is not a list of {} strings, one per id",
                    integer.enumeration.len()
                )));
            }
        };
        let mut languages: Vec<Self> = Vec::with_capacity(names.len());
        for (id, name) in integer.enumeration.iter().zip(names) {
            let id = match id {
                Some(id) => u32::try_from(*id)
                    .map_err(|_| problem(format!("lists {id}, which is no language id")))?,
                None => return Err(problem("lists `null` among its ids".into())),
            };
            let well_formed = name.starts_with(|c: char| c.is_ascii_uppercase())
                && name
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
            if !well_formed {
                return Err(problem(format!(
                    "names id {id} {name:?}, which is not an upper-case tag like `EN_US`"
                )));
            }
            if let Some(other) = languages.iter().find(|l| l.id == id || l.name == name) {
                return Err(problem(format!(
                    "lists {} = {} and {name} = {id}: ids and names must be unique",
                    other.name, other.id
                )));
            }
            languages.push(Self {
                name: name.to_owned(),
                id,
                tag: name.to_ascii_lowercase().replace('_', "-"),
            });
        }
        Ok(languages)
    }
}

/// The `known_languages!` macro, as Rust source.
pub(crate) fn generate(spec: &OpenAPI) -> Result<String, Error> {
    let mut lines = String::new();
    for KnownLanguage { name, id, tag } in KnownLanguage::all_of(spec)? {
        // `writeln!` into a `String` cannot fail.
        let _ = writeln!(lines, "            {name} = {id}, {tag:?};");
    }
    Ok(format!(
        r#"/// Hands the languages the spec names (schema `{LANGUAGES}`: its ids
/// and their `{VALUE_NAMES}`) to the macro `$define`, one
/// `NAME = id, "tag";` line each, in spec order.
#[macro_export]
macro_rules! known_languages {{
    ($define:ident) => {{
        $define! {{
{lines}        }}
    }};
}}
"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(languages: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Languages": languages}}
        }))
        .unwrap()
    }

    #[test]
    fn names_ids_and_tags_come_from_the_schema() {
        let spec = spec(serde_json::json!({
            "type": "integer", "enum": [1, 140],
            "x-enum-varnames": ["EN_US", "ZH_CN_HENAN"]
        }));
        let tags: Vec<_> = KnownLanguage::all_of(&spec)
            .unwrap()
            .into_iter()
            .map(|l| (l.name, l.id, l.tag))
            .collect();
        assert_eq!(
            tags,
            [
                ("EN_US".to_owned(), 1, "en-us".to_owned()),
                ("ZH_CN_HENAN".to_owned(), 140, "zh-cn-henan".to_owned())
            ]
        );
        let code = generate(&spec).unwrap();
        assert!(code.contains("EN_US = 1, \"en-us\";"), "{code}");
        assert!(
            code.contains("ZH_CN_HENAN = 140, \"zh-cn-henan\";"),
            "{code}"
        );
        syn::parse_file(&code).unwrap();
    }

    #[test]
    fn no_schema_knows_no_languages_and_a_bad_one_is_an_error() {
        let none = spec(serde_json::json!({"type": "integer", "enum": [1]}));
        assert!(KnownLanguage::all_of(&none).unwrap().is_empty());
        syn::parse_file(&generate(&none).unwrap()).unwrap();
        let problem = |languages| {
            KnownLanguage::all_of(&spec(languages))
                .unwrap_err()
                .to_string()
        };
        assert!(
            problem(serde_json::json!({"type": "string", "enum": ["a"]}))
                .contains("not a `type: integer`")
        );
        assert!(
            problem(
                serde_json::json!({"type": "integer", "enum": [1, 2], "x-enum-varnames": ["EN_US"]})
            )
            .contains("not a list of 2 strings")
        );
        assert!(
            problem(
                serde_json::json!({"type": "integer", "enum": [1], "x-enum-varnames": ["en-us"]})
            )
            .contains("\"en-us\"")
        );
        assert!(
            problem(serde_json::json!({"type": "integer", "enum": [1, 2], "x-enum-varnames": ["EN_US", "EN_US"]}))
                .contains("unique")
        );
        assert!(
            problem(
                serde_json::json!({"type": "integer", "enum": [-1], "x-enum-varnames": ["EN_US"]})
            )
            .contains("no language id")
        );
    }
}
