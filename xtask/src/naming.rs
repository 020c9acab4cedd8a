//! Rust type names: no two different schemas may get one.
//!
//! typify (progenitor's type generator) names a component schema after its
//! key, and an inline schema after its `title`, else after where it sits:
//! `{parent}_{property}` for a property, `{parent}Item` for array items,
//! `{parent}Value` for map values, `{operationId}-{parameter}`,
//! `{operationId}-body` and `{operationId}-response` for the schemas of an
//! operation, each put in PascalCase with `heck` (typify-impl 0.8:
//! `util::get_type_name`, `structs.rs`, progenitor-impl 0.15 `method.rs`).
//! When a second schema comes to a name already taken, typify reuses the
//! first type without comparing the two: FastAPI titles every field, so two
//! `format` fields with different inline enums (both titled `Format`)
//! would become one Rust enum, the second typed as the first.
//!
//! [`disambiguate`] derives those names for every schema that becomes a named
//! Rust type and, where two different schemas would share one, gives each
//! inline one the name of its place (`OutputConfigurationFormat`,
//! `TranscriptInputFormat`) by setting its `title`. Component names are never
//! changed: the hand-written code uses them.

use std::{collections::BTreeMap, fmt};

use anyhow::{Result, bail};
use heck::ToPascalCase;
use serde_json::Value;

use crate::{HTTP_METHODS, pointer::Pointer};

/// One inline schema given a new title, so a new Rust name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rename {
    /// Where the schema is, in the converted document.
    pub pointer: Pointer,
    /// The Rust name it would have had.
    pub from: String,
    /// The Rust name it has now.
    pub to: String,
}

/// Every [`Rename`] of one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Renamed(pub Vec<Rename>);

impl fmt::Display for Renamed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return Ok(());
        }
        writeln!(
            f,
            "\nRenamed in spec/generated/openapi.json, so that no two different schemas share a Rust type:"
        )?;
        for rename in &self.0 {
            writeln!(f, "  {}: {} -> {}", rename.pointer, rename.from, rename.to)?;
        }
        Ok(())
    }
}

/// Gives every inline schema that would share its Rust name with a different
/// schema the name of its place (its `title` is set to it), until no two
/// different schemas share a name. A clash that renaming cannot resolve (two
/// components, or a schema already named after its place) is an error
/// naming both.
pub fn disambiguate(spec: &mut Value) -> Result<Renamed> {
    let mut renamed = Vec::new();
    // Each round renames at least one schema; a new name can meet another
    // schema's only a few times over.
    for _ in 0..8 {
        let clashes = clashes(&named_schemas(spec));
        if clashes.is_empty() {
            return Ok(Renamed(renamed));
        }
        let mut progress = false;
        for clash in &clashes {
            for schema in clash.to_rename() {
                let Some(place_name) = &schema.place_name else {
                    continue;
                };
                if *place_name == schema.name {
                    continue;
                }
                if let Some(Value::Object(object)) = spec.pointer_mut(schema.pointer.as_str()) {
                    object.insert("title".into(), Value::String(place_name.clone()));
                    renamed.push(Rename {
                        pointer: schema.pointer.clone(),
                        from: schema.name.clone(),
                        to: place_name.clone(),
                    });
                    progress = true;
                }
            }
        }
        if !progress {
            break;
        }
    }
    let clashes = clashes(&named_schemas(spec));
    match clashes.first() {
        None => Ok(Renamed(renamed)),
        Some(clash) => {
            let places: Vec<String> = clash
                .schemas
                .iter()
                .map(|s| s.pointer.to_string())
                .collect();
            bail!(
                "the schemas at {} would all be the Rust type {} but differ; \
                 give one of them another title in the overlay",
                places.join(" and "),
                clash.name
            )
        }
    }
}

/// A schema that becomes a named Rust type.
#[derive(Clone, Debug)]
struct NamedSchema {
    /// The name typify gives it.
    name: String,
    /// The name of its place (`{parent}_{property}`...), if it has a place:
    /// what it is renamed to.
    place_name: Option<String>,
    pointer: Pointer,
    /// A component schema (never renamed).
    component: bool,
    /// The schema without what does not change its Rust type.
    fingerprint: Value,
}

/// Schemas of one name that are not all the same.
struct Clash {
    name: String,
    schemas: Vec<NamedSchema>,
}

impl Clash {
    /// The inline schemas that must yield the name: those that differ from
    /// the component of that name, or all of them when there is none.
    fn to_rename(&self) -> impl Iterator<Item = &NamedSchema> {
        let owner = self.schemas.iter().find(|s| s.component);
        self.schemas.iter().filter(move |schema| {
            !schema.component && owner.is_none_or(|owner| owner.fingerprint != schema.fingerprint)
        })
    }
}

fn clashes(schemas: &[NamedSchema]) -> Vec<Clash> {
    let mut by_name: BTreeMap<&str, Vec<&NamedSchema>> = BTreeMap::new();
    for schema in schemas {
        by_name.entry(&schema.name).or_default().push(schema);
    }
    by_name
        .into_iter()
        .filter(|(_, group)| {
            group
                .iter()
                .any(|schema| schema.fingerprint != group[0].fingerprint)
        })
        .map(|(name, group)| Clash {
            name: name.to_owned(),
            schemas: group.into_iter().cloned().collect(),
        })
        .collect()
}

/// typify's rendering of a name: PascalCase (heck, as typify uses it), with
/// characters that cannot be in an identifier taken as word breaks.
pub fn rust_name(name: &str) -> String {
    let words: String = name
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    words.to_pascal_case()
}

/// Every schema of the (3.0.3) document that becomes a named Rust type.
fn named_schemas(spec: &Value) -> Vec<NamedSchema> {
    let mut found = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (key, schema) in schemas.into_iter().flatten() {
        let pointer = Pointer::root().push("components").push("schemas").push(key);
        let name = rust_name(key);
        if becomes_named_type(schema) {
            found.push(NamedSchema {
                name: name.clone(),
                place_name: None,
                pointer: pointer.clone(),
                component: true,
                fingerprint: fingerprint(schema),
            });
        }
        visit_children(schema, &name, &pointer, &mut found);
    }
    let paths = spec.get("paths").and_then(Value::as_object);
    for (path, item) in paths.into_iter().flatten() {
        for method in HTTP_METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let at = Pointer::root().push("paths").push(path).push(method);
            visit_operation(operation, id, &at, &mut found);
        }
    }
    found
}

fn visit_operation(operation: &Value, id: &str, at: &Pointer, found: &mut Vec<NamedSchema>) {
    let parameters = operation.get("parameters").and_then(Value::as_array);
    for (index, parameter) in parameters.into_iter().flatten().enumerate() {
        let (Some(name), Some(schema)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("schema"),
        ) else {
            continue;
        };
        let pointer = at.push("parameters").push(index).push("schema");
        visit(
            schema,
            Some(rust_name(&format!("{id}-{name}"))),
            &pointer,
            found,
        );
    }
    let bodies = operation
        .pointer("/requestBody/content")
        .and_then(Value::as_object);
    for (media_type, content) in bodies.into_iter().flatten() {
        if let Some(schema) = content.get("schema") {
            let pointer = at
                .push("requestBody")
                .push("content")
                .push(media_type)
                .push("schema");
            visit(
                schema,
                Some(rust_name(&format!("{id}-body"))),
                &pointer,
                found,
            );
        }
    }
    let responses = operation.get("responses").and_then(Value::as_object);
    for (status, response) in responses.into_iter().flatten() {
        let contents = response.get("content").and_then(Value::as_object);
        for (media_type, content) in contents.into_iter().flatten() {
            if let Some(schema) = content.get("schema") {
                let pointer = at
                    .push("responses")
                    .push(status)
                    .push("content")
                    .push(media_type)
                    .push("schema");
                visit(
                    schema,
                    Some(rust_name(&format!("{id}-response"))),
                    &pointer,
                    found,
                );
            }
        }
    }
}

/// Records `schema` (an inline schema whose place gives it `place_name`) if
/// it becomes a named type, then its children.
fn visit(schema: &Value, place_name: Option<String>, at: &Pointer, found: &mut Vec<NamedSchema>) {
    if schema.get("$ref").is_some() {
        return;
    }
    let title = schema.get("title").and_then(Value::as_str).map(rust_name);
    let Some(name) = title.or_else(|| place_name.clone()) else {
        return;
    };
    if becomes_named_type(schema) {
        found.push(NamedSchema {
            name: name.clone(),
            place_name,
            pointer: at.clone(),
            component: false,
            fingerprint: fingerprint(schema),
        });
    }
    visit_children(schema, &name, at, found);
}

fn visit_children(schema: &Value, name: &str, at: &Pointer, found: &mut Vec<NamedSchema>) {
    let properties = schema.get("properties").and_then(Value::as_object);
    for (property, child) in properties.into_iter().flatten() {
        let place = rust_name(&format!("{name}_{property}"));
        visit(
            child,
            Some(place),
            &at.push("properties").push(property),
            found,
        );
    }
    if let Some(items) = schema.get("items") {
        visit(items, Some(format!("{name}Item")), &at.push("items"), found);
    }
    if let Some(values) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        visit(
            values,
            Some(format!("{name}Value")),
            &at.push("additionalProperties"),
            found,
        );
    }
    for keyword in ["allOf", "anyOf", "oneOf"] {
        let Some(branches) = schema.get(keyword).and_then(Value::as_array) else {
            continue;
        };
        // A lone branch (`allOf: [X]`, the converter's nullable form) is the
        // schema itself; several are variants, named by their titles only.
        let place = (branches.len() == 1).then(|| name.to_owned());
        for (index, branch) in branches.iter().enumerate() {
            visit(branch, place.clone(), &at.push(keyword).push(index), found);
        }
    }
}

/// Whether typify makes a named type (struct, enum, newtype) of `schema`,
/// rather than a built-in one (`String`, `Vec`, `HashMap`, `Option`...).
fn becomes_named_type(schema: &Value) -> bool {
    let has = |keyword: &str| schema.get(keyword).is_some();
    let branches = |keyword: &str| {
        schema
            .get(keyword)
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    let is_string = schema.get("type").and_then(Value::as_str) == Some("string");
    has("enum")
        || schema
            .get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
        || branches("anyOf") > 1
        || branches("oneOf") > 1
        || branches("allOf") > 1
        || (is_string && (has("pattern") || has("minLength") || has("maxLength")))
}

/// The schema without the keywords that do not change its Rust type (its
/// name, its docs, its example, and `nullable`, which typify wraps around
/// the named type as an `Option`).
fn fingerprint(schema: &Value) -> Value {
    let mut schema = schema.clone();
    if let Value::Object(object) = &mut schema {
        for keyword in ["title", "description", "example", "nullable"] {
            object.remove(keyword);
        }
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn format_enum(values: &[&str], default: Option<&str>) -> Value {
        let mut schema = json!({"type": "string", "enum": values, "title": "Format"});
        if let Some(default) = default {
            schema["default"] = json!(default);
        }
        schema
    }

    fn spec(output_default: Option<&str>, transcript_default: Option<&str>) -> Value {
        json!({"components": {"schemas": {
            "OutputConfiguration": {"type": "object", "properties": {
                "format": format_enum(&["wav", "flac", "mp3"], output_default)
            }},
            "TranscriptInput": {"type": "object", "properties": {
                "format": format_enum(&["srt"], transcript_default)
            }}
        }}})
    }

    #[test]
    fn typify_names_are_pascal_case_like_typify() {
        assert_eq!(rust_name("HTTPValidationError"), "HttpValidationError");
        assert_eq!(rust_name("Transcription Mode"), "TranscriptionMode");
        assert_eq!(rust_name("get_dub_status-task_id"), "GetDubStatusTaskId");
        assert_eq!(rust_name("Response Get X (v2)"), "ResponseGetXV2");
    }

    #[test]
    fn two_different_inline_enums_of_one_title_are_named_after_their_places() {
        let mut doc = spec(Some("wav"), Some("srt"));
        let renamed = disambiguate(&mut doc).unwrap();
        let properties =
            |schema: &str| format!("/components/schemas/{schema}/properties/format/title");
        assert_eq!(
            doc.pointer(&properties("OutputConfiguration")),
            Some(&json!("OutputConfigurationFormat"))
        );
        assert_eq!(
            doc.pointer(&properties("TranscriptInput")),
            Some(&json!("TranscriptInputFormat"))
        );
        assert_eq!(
            renamed.to_string(),
            "\nRenamed in spec/generated/openapi.json, so that no two different schemas share a Rust type:\n  \
             /components/schemas/OutputConfiguration/properties/format: Format -> OutputConfigurationFormat\n  \
             /components/schemas/TranscriptInput/properties/format: Format -> TranscriptInputFormat\n"
        );
    }

    #[test]
    fn equal_schemas_keep_their_shared_name() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"type": "object", "properties": {"format": format_enum(&["srt"], Some("srt"))}},
            "B": {"type": "object", "properties": {"format": format_enum(&["srt"], Some("srt"))}}
        }}});
        let before = doc.clone();
        assert_eq!(disambiguate(&mut doc).unwrap(), Renamed::default());
        assert_eq!(doc, before);
    }

    #[test]
    fn an_inline_schema_yields_a_components_name_unless_it_is_the_same() {
        let mode = |title: &str, values: &[&str]| json!({"type": "string", "enum": values, "title": title, "nullable": true});
        let mut doc = json!({"components": {"schemas": {
            "TranscriptionMode": {"type": "string", "enum": ["fast", "slow"]},
            "Same": {"type": "object", "properties": {"mode": mode("Transcription Mode", &["fast", "slow"])}},
            "Other": {"type": "object", "properties": {"mode": mode("Transcription Mode", &["fast", "exact"])}}
        }}});
        let renamed = disambiguate(&mut doc).unwrap();
        assert_eq!(
            renamed.0,
            [Rename {
                pointer: Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push("Other")
                    .push("properties")
                    .push("mode"),
                from: "TranscriptionMode".into(),
                to: "OtherMode".into(),
            }]
        );
        assert_eq!(
            doc.pointer("/components/schemas/Same/properties/mode/title"),
            Some(&json!("Transcription Mode"))
        );
    }

    #[test]
    fn operation_schemas_are_named_after_the_operation() {
        let mut doc = json!({"paths": {"/a": {"get": {
            "operationId": "get_a",
            "parameters": [{"name": "format", "in": "query", "schema": format_enum(&["x"], None)}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema":
                {"type": "object", "title": "Format", "properties": {"n": {"type": "integer"}}}
            }}}}
        }}}});
        let renamed = disambiguate(&mut doc).unwrap();
        let names: Vec<&str> = renamed.0.iter().map(|r| r.to.as_str()).collect();
        assert_eq!(names, ["GetAFormat", "GetAResponse"]);
    }

    #[test]
    fn two_components_of_one_rust_name_are_an_error() {
        let mut doc = json!({"components": {"schemas": {
            "Foo_Bar": {"type": "string", "enum": ["a"]},
            "FooBar": {"type": "string", "enum": ["b"]}
        }}});
        let error = disambiguate(&mut doc).unwrap_err().to_string();
        assert_eq!(
            error,
            "the schemas at /components/schemas/FooBar and /components/schemas/Foo_Bar \
             would all be the Rust type FooBar but differ; give one of them another title in the overlay"
        );
    }
}
