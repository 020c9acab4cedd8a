//! Open string enums, generated from the spec's enum schemas: a value the
//! server adds later decodes to `Unknown(String)` instead of failing the
//! whole response (the enums typify generates reject unknown strings).
//!
//! The known values are the schema's `enum` list, so they are written once,
//! in the spec. The generated code invokes camb-api's `open_enum!` macro,
//! which writes the impls (serde, `Display`, `FromStr`, `KNOWN`, `as_str`,
//! `is_unknown`, optional `schemars::JsonSchema`).

use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Error;

/// The component schemas generated as open enums. Each replaces the type
/// typify would generate (`crate::<name>` in camb-api). Adding a string enum
/// schema of the spec here is all it takes to make it open.
pub const OPEN_ENUMS: [&str; 2] = ["TaskStatus", "ExceptionReason"];

/// The schema extension that documents each value.
const VALUE_DESCRIPTIONS: &str = "x-enum-descriptions";

/// One open enum: its name, description and known values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenEnum {
    /// The schema's (and the Rust type's) name.
    pub name: String,
    /// The schema's `description`, if any.
    pub description: Option<String>,
    /// The known values, in spec order, with their Rust variant names.
    pub values: Vec<(String, String)>,
    /// What each value means, from the schema's `x-enum-descriptions` (a
    /// list parallel to `enum`, the convention of openapi-generator), if it
    /// has one.
    pub value_descriptions: Vec<String>,
}

impl OpenEnum {
    /// The open enum of the component schema `name` of `spec`. A schema the
    /// spec lacks gives an enum with no known values (every value is
    /// `Unknown`), so that camb-api compiles with any spec.
    pub fn of(spec: &OpenAPI, name: &str) -> Result<Self, Error> {
        let problem = |problem: String| Error::OpenEnum {
            name: name.to_owned(),
            problem,
        };
        let schema = spec
            .components
            .as_ref()
            .and_then(|components| components.schemas.get(name));
        let schema = match schema {
            None => {
                return Ok(Self {
                    name: name.to_owned(),
                    description: None,
                    values: Vec::new(),
                    value_descriptions: Vec::new(),
                });
            }
            Some(ReferenceOr::Reference { reference }) => {
                return Err(problem(format!(
                    "is a reference ({reference}), not a string enum"
                )));
            }
            Some(ReferenceOr::Item(schema)) => schema,
        };
        let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
            return Err(problem("is not a `type: string` schema".into()));
        };
        if string.enumeration.is_empty() {
            return Err(problem("has no `enum` values".into()));
        }
        let mut values: Vec<(String, String)> = Vec::new();
        for value in &string.enumeration {
            let Some(value) = value else {
                return Err(problem("lists `null` among its values".into()));
            };
            let variant = variant_name(value);
            if variant == "Unknown" {
                return Err(problem(format!(
                    "value {value:?} would be the variant `Unknown`, which holds unknown values"
                )));
            }
            if let Some((other, _)) = values.iter().find(|(_, known)| *known == variant) {
                return Err(problem(format!(
                    "values {other:?} and {value:?} both become the variant `{variant}`"
                )));
            }
            values.push((value.clone(), variant));
        }
        let value_descriptions = match schema.schema_data.extensions.get(VALUE_DESCRIPTIONS) {
            None => Vec::new(),
            Some(descriptions) => {
                let descriptions: Option<Vec<String>> = descriptions
                    .as_array()
                    .and_then(|list| list.iter().map(|d| d.as_str().map(str::to_owned)).collect());
                match descriptions {
                    Some(descriptions) if descriptions.len() == values.len() => descriptions,
                    _ => {
                        return Err(problem(format!(
                            "has an `{VALUE_DESCRIPTIONS}` that is not a list of {} strings, \
                             one per value",
                            values.len()
                        )));
                    }
                }
            }
        };
        Ok(Self {
            name: name.to_owned(),
            description: schema.schema_data.description.clone(),
            values,
            value_descriptions,
        })
    }

    /// The `open_enum!` invocation that defines the enum.
    fn tokens(&self) -> TokenStream {
        let name = format_ident!("{}", self.name);
        let mut doc = format!(
            "`{}`: an open enum of the values the spec lists for schema `{}`; \
             a value it does not list decodes to `Unknown`.",
            self.name, self.name
        );
        if let Some(description) = &self.description {
            doc = format!("{description}\n\n{doc}");
        }
        let variants = self
            .values
            .iter()
            .enumerate()
            .map(|(index, (value, variant))| {
                let variant = format_ident!("{variant}");
                let doc = match self.value_descriptions.get(index) {
                    Some(description) => format!("`{value}`: {description}"),
                    None => format!("`{value}`."),
                };
                quote! { #[doc = #doc] #variant = #value, }
            });
        quote! {
            open_enum! {
                #[doc = #doc]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
    }
}

/// typify's variant naming: `PAYMENT_REQUIRED` -> `PaymentRequired`,
/// `srt` -> `Srt`, `16k` -> `X16k`.
fn variant_name(value: &str) -> String {
    crate::typify_name(value)
}

/// The open enums of [`OPEN_ENUMS`] in `spec`, as `open_enum!` invocations.
pub(crate) fn generate(spec: &OpenAPI) -> Result<TokenStream, Error> {
    let mut tokens = TokenStream::new();
    for name in OPEN_ENUMS {
        tokens.extend(OpenEnum::of(spec, name)?.tokens());
    }
    Ok(tokens)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemas: serde_json::Value) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": schemas}
        }))
        .unwrap()
    }

    #[test]
    fn values_and_variants_come_from_the_schema() {
        let spec = spec(serde_json::json!({"TaskStatus": {
            "type": "string", "description": "A state.",
            "enum": ["SUCCESS", "PAYMENT_REQUIRED", "16k", "srt"],
            "x-enum-descriptions": ["Done.", "No credits.", "A rate.", "Subtitles."]
        }}));
        let open = OpenEnum::of(&spec, "TaskStatus").unwrap();
        assert_eq!(open.description.as_deref(), Some("A state."));
        let variants: Vec<_> = open.values.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(variants, ["Success", "PaymentRequired", "X16k", "Srt"]);
        let code = open.tokens().to_string();
        assert!(
            code.contains("PaymentRequired = \"PAYMENT_REQUIRED\""),
            "{code}"
        );
        assert!(
            code.contains("\"`PAYMENT_REQUIRED`: No credits.\""),
            "{code}"
        );
    }

    #[test]
    fn a_missing_schema_has_no_known_values_and_a_bad_one_is_an_error() {
        let spec = spec(serde_json::json!({
            "Count": {"type": "integer", "enum": [1]},
            "Clash": {"type": "string", "enum": ["A_B", "a-b"]},
            "Open": {"type": "string", "enum": ["unknown"]},
            "Undocumented": {"type": "string", "enum": ["A", "B"], "x-enum-descriptions": ["a"]}
        }));
        assert!(OpenEnum::of(&spec, "Absent").unwrap().values.is_empty());
        let problem = |name| OpenEnum::of(&spec, name).unwrap_err().to_string();
        assert!(problem("Count").contains("not a `type: string`"));
        assert!(problem("Clash").contains("both become the variant `AB`"));
        assert!(problem("Open").contains("`Unknown`"));
        assert!(problem("Undocumented").contains("not a list of 2 strings"));
    }
}
