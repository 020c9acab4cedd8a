//! Open string enums, generated from the spec's enum schemas: a value the
//! server adds later decodes to `Unknown(String)` instead of failing the
//! whole response (the enums typify generates reject unknown strings).
//!
//! Which schemas are open is a fact of the spec: the component schemas
//! marked [`OPEN_ENUM`] (`x-open-enum: true`). The known values are the
//! schema's `enum` list, or the lists of the open enums an `anyOf` schema
//! joins, so they are written once, in the spec. The generated code invokes camb-api's `open_enum!` macro,
//! which writes the impls (serde, `Display`, `FromStr`, `KNOWN`, `as_str`,
//! `is_unknown`, optional `schemars::JsonSchema`).

use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Error;

/// The schema extension that makes a component schema an open enum: a
/// string enum (`enum: [...]`), or an `anyOf` of open enums (their values
/// together). Each replaces the type typify would generate (`crate::<name>`
/// in camb-api). Marking a string enum schema of the spec is all it takes to
/// make it open.
pub const OPEN_ENUM: &str = "x-open-enum";

/// The names of the component schemas of `spec` marked [`OPEN_ENUM`], in
/// spec order.
pub fn open_enum_names(spec: &OpenAPI) -> Vec<String> {
    let Some(components) = &spec.components else {
        return Vec::new();
    };
    components
        .schemas
        .iter()
        .filter_map(|(name, schema)| match schema {
            ReferenceOr::Item(schema) if is_marked_open(schema) => Some(name.clone()),
            _ => None,
        })
        .collect()
}

fn is_marked_open(schema: &Schema) -> bool {
    schema
        .schema_data
        .extensions
        .get(OPEN_ENUM)
        .and_then(|mark| mark.as_bool())
        == Some(true)
}

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
    /// The open enum of the component schema `name` of `spec`: a string
    /// enum, or an `anyOf` of [`OPEN_ENUM`]-marked string enums (the values
    /// of each, in order).
    pub fn of(spec: &OpenAPI, name: &str) -> Result<Self, Error> {
        let problem = |problem: String| Error::OpenEnum {
            name: name.to_owned(),
            problem,
        };
        let schema = component(spec, name).map_err(problem)?;
        let wire_values: Vec<String> = match &schema.schema_kind {
            SchemaKind::AnyOf { any_of } => {
                let mut joined = Vec::new();
                for member in any_of {
                    let ReferenceOr::Reference { reference } = member else {
                        return Err(problem("joins a member that is not a `$ref`".into()));
                    };
                    let member = reference.rsplit('/').next().unwrap_or_default();
                    let member_schema = component(spec, member).map_err(problem)?;
                    if !is_marked_open(member_schema) {
                        return Err(problem(format!(
                            "joins {member}, which is not marked `{OPEN_ENUM}: true`"
                        )));
                    }
                    joined.extend(
                        string_values(member_schema)
                            .map_err(|why| problem(format!("joins {member}, which {why}")))?,
                    );
                }
                joined
            }
            _ => string_values(schema).map_err(problem)?,
        };
        let mut values: Vec<(String, String)> = Vec::new();
        for value in wire_values {
            let variant = variant_name(&value);
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
            values.push((value, variant));
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

/// The component schema `name` of `spec`, inline.
fn component<'a>(spec: &'a OpenAPI, name: &str) -> Result<&'a Schema, String> {
    let schema = spec
        .components
        .as_ref()
        .and_then(|components| components.schemas.get(name));
    match schema {
        None => Err(format!("names the schema {name}, which the spec lacks")),
        Some(ReferenceOr::Reference { reference }) => Err(format!(
            "is or joins a reference ({reference}), not a string enum"
        )),
        Some(ReferenceOr::Item(schema)) => Ok(schema),
    }
}

/// The `enum` values of a `type: string` schema.
fn string_values(schema: &Schema) -> Result<Vec<String>, String> {
    let SchemaKind::Type(Type::String(string)) = &schema.schema_kind else {
        return Err("is not a `type: string` schema".into());
    };
    if string.enumeration.is_empty() {
        return Err("has no `enum` values".into());
    }
    string
        .enumeration
        .iter()
        .map(|value| {
            value
                .clone()
                .ok_or_else(|| "lists `null` among its values".to_owned())
        })
        .collect()
}

/// The open enums of `spec` ([`open_enum_names`]), as `open_enum!`
/// invocations.
pub(crate) fn generate(spec: &OpenAPI) -> Result<TokenStream, Error> {
    let mut tokens = TokenStream::new();
    for name in open_enum_names(spec) {
        tokens.extend(OpenEnum::of(spec, &name)?.tokens());
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
    fn the_spec_marks_which_schemas_are_open_and_a_bad_one_is_an_error() {
        let spec = spec(serde_json::json!({
            "Closed": {"type": "string", "enum": ["A"]},
            "Count": {"type": "integer", "enum": [1], "x-open-enum": true},
            "Clash": {"type": "string", "enum": ["A_B", "a-b"], "x-open-enum": true},
            "Open": {"type": "string", "enum": ["unknown"], "x-open-enum": true},
            "Undocumented": {"type": "string", "enum": ["A", "B"], "x-enum-descriptions": ["a"], "x-open-enum": true}
        }));
        // `Closed` is not marked; the rest are, in spec (here: sorted) order.
        assert_eq!(
            open_enum_names(&spec),
            ["Clash", "Count", "Open", "Undocumented"]
        );
        let problem = |name| OpenEnum::of(&spec, name).unwrap_err().to_string();
        assert!(problem("Absent").contains("the spec lacks"));
        assert!(problem("Count").contains("not a `type: string`"));
        assert!(problem("Clash").contains("both become the variant `AB`"));
        assert!(problem("Open").contains("`Unknown`"));
        assert!(problem("Undocumented").contains("not a list of 2 strings"));
        assert!(generate(&spec).is_err());
    }

    #[test]
    fn an_any_of_of_open_enums_joins_their_values() {
        let spec = spec(serde_json::json!({
            "Audio": {"type": "string", "enum": ["wav", "mp3"], "x-open-enum": true},
            "Video": {"type": "string", "enum": ["mp4"], "x-open-enum": true},
            "Closed": {"type": "string", "enum": ["mkv"]},
            "Media": {"anyOf": [
                {"$ref": "#/components/schemas/Audio"}, {"$ref": "#/components/schemas/Video"}
            ], "x-open-enum": true},
            "Mixed": {"anyOf": [
                {"$ref": "#/components/schemas/Audio"}, {"$ref": "#/components/schemas/Closed"}
            ], "x-open-enum": true},
            "Twice": {"anyOf": [
                {"$ref": "#/components/schemas/Audio"}, {"$ref": "#/components/schemas/Audio"}
            ], "x-open-enum": true}
        }));
        let media = OpenEnum::of(&spec, "Media").unwrap();
        let wire: Vec<_> = media.values.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(wire, ["wav", "mp3", "mp4"]);
        let problem = |name| OpenEnum::of(&spec, name).unwrap_err().to_string();
        assert!(problem("Mixed").contains("joins Closed, which is not marked"));
        assert!(problem("Twice").contains("both become the variant `Wav`"));
    }
}
