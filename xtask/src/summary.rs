//! What changed between two OpenAPI 3.0 documents, in the terms that matter
//! to the generated client: operations, parameters, schemas, fields and enum
//! values.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

use crate::HTTP_METHODS;

/// Whether something appeared, disappeared or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sign {
    /// New in the new document.
    Added,
    /// Gone from the new document.
    Removed,
    /// In both, different.
    Changed,
}

/// One line of a [`Summary`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Added, removed or changed.
    pub sign: Sign,
    /// What, e.g. `operation POST /dub (end_to_end_dubbing)`.
    pub what: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.sign {
            Sign::Added => '+',
            Sign::Removed => '-',
            Sign::Changed => '~',
        };
        write!(f, "{sign} {}", self.what)
    }
}

/// The API-level differences between two OpenAPI 3.0 documents.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Operations first, then schemas, each in name order.
    pub changes: Vec<Change>,
    /// The documents differ in ways no [`Change`] tracks (descriptions, titles...).
    pub other_differences: bool,
}

impl Summary {
    /// Compares `old` with `new` (either may be `Value::Null`: no document).
    pub fn between(old: &Value, new: &Value) -> Self {
        let mut summary = Self::default();
        summary.compare_operations(old, new);
        summary.compare_schemas(old, new);
        summary.other_differences = summary.changes.is_empty() && old != new;
        summary
    }

    fn push(&mut self, sign: Sign, what: String) {
        self.changes.push(Change { sign, what });
    }

    fn compare_operations(&mut self, old_doc: &Value, new_doc: &Value) {
        let (old, new) = (operations(old_doc), operations(new_doc));
        for (key, operation) in &new {
            match old.get(key) {
                None => self.push(Sign::Added, format!("operation {}", operation.name)),
                Some(old_operation) => {
                    if old_operation.name != operation.name {
                        let change =
                            format!("operation {} -> {}", old_operation.name, operation.name);
                        self.push(Sign::Changed, change);
                    }
                    let label = format!("{} {}", key.1, key.0);
                    let old_parameters = parameters(old_doc, old_operation);
                    let new_parameters = parameters(new_doc, operation);
                    self.compare_shapes("parameter", &label, " ", &old_parameters, &new_parameters);
                }
            }
        }
        for (key, operation) in &old {
            if !new.contains_key(key) {
                self.push(Sign::Removed, format!("operation {}", operation.name));
            }
        }
    }

    fn compare_schemas(&mut self, old_doc: &Value, new_doc: &Value) {
        let (old, new) = (schemas(old_doc), schemas(new_doc));
        for (name, schema) in &new {
            // A new schema is compared with an empty one, so that its fields
            // and enum values are listed too.
            let old_schema = match old.get(name) {
                Some(old_schema) => old_schema,
                None => {
                    self.push(Sign::Added, format!("schema {name}"));
                    &Value::Null
                }
            };
            self.compare_enum_values(name, old_schema, schema);
            self.compare_value_names(name, old_schema, schema);
            let (old_fields, new_fields) = (fields(old_schema), fields(schema));
            self.compare_shapes("field", name, ".", &old_fields, &new_fields);
            for (field, (_, field_schema)) in &new_fields {
                let old_field_schema = old_fields.get(field).map_or(&Value::Null, |(_, s)| *s);
                let label = format!("{name}.{field}");
                self.compare_enum_values(&label, old_field_schema, field_schema);
            }
        }
        for name in old.keys() {
            if !new.contains_key(name) {
                self.push(Sign::Removed, format!("schema {name}"));
            }
        }
    }

    /// Compares fields (or parameters) of `owner` by name; `owner` and the
    /// name are written joined by `separator`.
    fn compare_shapes(
        &mut self,
        kind: &str,
        owner: &str,
        separator: &str,
        old: &BTreeMap<String, (Shape, &Value)>,
        new: &BTreeMap<String, (Shape, &Value)>,
    ) {
        for (name, (shape, _)) in new {
            match old.get(name) {
                None => self.push(
                    Sign::Added,
                    format!("{kind} {owner}{separator}{name}: {shape}"),
                ),
                Some((old_shape, _)) if old_shape != shape => self.push(
                    Sign::Changed,
                    format!(
                        "{kind} {owner}{separator}{name}: {}",
                        old_shape.differences(shape)
                    ),
                ),
                Some(_) => {}
            }
        }
        for name in old.keys() {
            if !new.contains_key(name) {
                self.push(Sign::Removed, format!("{kind} {owner}{separator}{name}"));
            }
        }
    }

    /// One line per schema (or field) whose enum values changed: values
    /// added and removed, numbers in numeric order, runs compressed.
    fn compare_enum_values(&mut self, owner: &str, old: &Value, new: &Value) {
        let (old, new) = (enum_values(old), enum_values(new));
        let added: Vec<&EnumValue> = new.difference(&old).collect();
        let removed: Vec<&EnumValue> = old.difference(&new).collect();
        let sign = match (added.is_empty(), removed.is_empty()) {
            (true, true) => return,
            (false, true) => Sign::Added,
            (true, false) => Sign::Removed,
            (false, false) => Sign::Changed,
        };
        let parts: Vec<String> = [('+', &added), ('-', &removed)]
            .into_iter()
            .filter(|(_, values)| !values.is_empty())
            .map(|(sign, values)| {
                let noun = if values.len() == 1 { "value" } else { "values" };
                format!("{sign}{} {noun} ({})", values.len(), compress(values))
            })
            .collect();
        self.push(sign, format!("enum {owner}: {}", parts.join(", ")));
    }

    /// One line per schema whose value names (`x-enum-varnames`, the names
    /// generated code gives the values) changed: values renamed, newly
    /// named and no longer named.
    fn compare_value_names(&mut self, owner: &str, old: &Value, new: &Value) {
        let (old, new) = (value_names(old), value_names(new));
        let renamed: Vec<String> = new
            .iter()
            .filter_map(|(value, name)| {
                let old_name = old.get(value).filter(|old_name| *old_name != name)?;
                Some(format!("{value} {old_name} -> {name}"))
            })
            .collect();
        let named: Vec<&EnumValue> = new.keys().filter(|v| !old.contains_key(v)).collect();
        let unnamed: Vec<&EnumValue> = old.keys().filter(|v| !new.contains_key(v)).collect();
        let sign = match (renamed.is_empty(), named.is_empty(), unnamed.is_empty()) {
            (true, true, true) => return,
            (true, false, true) => Sign::Added,
            (true, true, false) => Sign::Removed,
            _ => Sign::Changed,
        };
        let mut parts = Vec::new();
        if !renamed.is_empty() {
            parts.push(format!(
                "{} renamed ({})",
                renamed.len(),
                renamed.join(", ")
            ));
        }
        for (sign, values, what) in [('+', &named, "named"), ('-', &unnamed, "unnamed")] {
            if !values.is_empty() {
                parts.push(format!(
                    "{sign}{} {what} ({})",
                    values.len(),
                    compress(values)
                ));
            }
        }
        self.push(
            sign,
            format!("enum {owner} {VALUE_NAMES}: {}", parts.join(", ")),
        );
    }
}

/// The schema extension that names enum values (openapi-generator's
/// convention; camb-codegen makes the `Language` constants of it).
const VALUE_NAMES: &str = "x-enum-varnames";

/// Each enum value of `schema` with its `x-enum-varnames` name (a list
/// parallel to `enum`), where it has one.
fn value_names(schema: &Value) -> BTreeMap<EnumValue, String> {
    let values = schema.get("enum").and_then(Value::as_array);
    let names = schema.get(VALUE_NAMES).and_then(Value::as_array);
    values
        .into_iter()
        .flatten()
        .zip(names.into_iter().flatten())
        .filter_map(|(value, name)| Some((enum_value(value), name.as_str()?.to_owned())))
        .collect()
}

/// An enum value: integers sort numerically, before everything else.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum EnumValue {
    Integer(i64),
    Other(String),
}

impl fmt::Display for EnumValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Integer(value) => write!(f, "{value}"),
            Self::Other(value) => f.write_str(value),
        }
    }
}

/// Sorted values, with runs of three or more consecutive integers written
/// as ranges: `1–136, 139, 140, A, B`.
fn compress(values: &[&EnumValue]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut index = 0;
    while index < values.len() {
        let mut end = index;
        while let (EnumValue::Integer(last), Some(EnumValue::Integer(next))) =
            (values[end], values.get(end + 1).copied())
        {
            if last.checked_add(1) != Some(*next) {
                break;
            }
            end += 1;
        }
        if end - index >= 2 {
            parts.push(format!("{}–{}", values[index], values[end]));
        } else {
            parts.extend(values[index..=end].iter().map(ToString::to_string));
        }
        index = end + 1;
    }
    parts.join(", ")
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.other_differences {
            return writeln!(
                f,
                "No API changes (only descriptions or other details changed)"
            );
        }
        if self.changes.is_empty() {
            return writeln!(f, "No changes");
        }
        for change in &self.changes {
            writeln!(f, "{change}")?;
        }
        Ok(())
    }
}

/// What the summary tracks about a field or a parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Shape {
    type_name: String,
    nullable: bool,
    required: bool,
}

impl Shape {
    fn of(schema: &Value, required: bool) -> Self {
        Self {
            type_name: type_name(schema),
            nullable: schema.get("nullable") == Some(&Value::Bool(true)),
            required,
        }
    }

    fn differences(&self, new: &Self) -> String {
        let yes_no = |flag: bool| if flag { "yes" } else { "no" };
        let mut parts = Vec::new();
        if self.type_name != new.type_name {
            parts.push(format!("type {} -> {}", self.type_name, new.type_name));
        }
        if self.nullable != new.nullable {
            let (old, new) = (yes_no(self.nullable), yes_no(new.nullable));
            parts.push(format!("nullable {old} -> {new}"));
        }
        if self.required != new.required {
            let (old, new) = (yes_no(self.required), yes_no(new.required));
            parts.push(format!("required {old} -> {new}"));
        }
        parts.join(", ")
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.type_name)?;
        if self.nullable {
            f.write_str(", nullable")?;
        }
        f.write_str(if self.required {
            ", required"
        } else {
            ", optional"
        })
    }
}

/// A short name for a schema's type: `integer`, `string (uri)`, `DubResult`,
/// `array of TranscriptSegment`, `map of DubResult`, `anyOf(string, object)`.
fn type_name(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or(reference).to_owned();
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        match schema
            .get(combinator)
            .and_then(Value::as_array)
            .map(Vec::as_slice)
        {
            Some([only]) if combinator == "allOf" => return type_name(only),
            Some(branches) => {
                let names: Vec<String> = branches.iter().map(type_name).collect();
                return format!("{combinator}({})", names.join(", "));
            }
            None => {}
        }
    }
    let format = schema.get("format").and_then(Value::as_str);
    match (schema.get("type").and_then(Value::as_str), format) {
        (Some("object"), _)
            if schema
                .get("additionalProperties")
                .is_some_and(Value::is_object) =>
        {
            let values = schema
                .get("additionalProperties")
                .map_or_else(|| "any".into(), type_name);
            format!("map of {values}")
        }
        (Some("array"), _) => {
            let items = schema.get("items").map_or_else(|| "any".into(), type_name);
            format!("array of {items}")
        }
        (Some(name), Some(format)) => format!("{name} ({format})"),
        (Some(name), None) => name.to_owned(),
        (None, _) => "any".to_owned(),
    }
}

/// One operation of a document.
struct Operation<'a> {
    /// `POST /dub (end_to_end_dubbing)`.
    name: String,
    /// Its path item, whose parameters apply to it too.
    path_item: &'a Value,
    operation: &'a Value,
}

/// Operations by (path, method).
fn operations(doc: &Value) -> BTreeMap<(String, String), Operation<'_>> {
    let mut found = BTreeMap::new();
    for (path, path_item) in entries(doc.get("paths")) {
        for method in HTTP_METHODS {
            if let Some(operation) = path_item.get(method) {
                let id = operation.get("operationId").and_then(Value::as_str);
                let method = method.to_uppercase();
                let name = format!("{method} {path} ({})", id.unwrap_or("no operationId"));
                let found_operation = Operation {
                    name,
                    path_item,
                    operation,
                };
                found.insert((path.clone(), method), found_operation);
            }
        }
    }
    found
}

/// An operation's parameters (its path item's, then its own, which win) by
/// location and name, e.g. `query run_id`.
fn parameters<'a>(
    doc: &'a Value,
    operation: &Operation<'a>,
) -> BTreeMap<String, (Shape, &'a Value)> {
    let mut found = BTreeMap::new();
    let lists = [operation.path_item, operation.operation]
        .map(|owner| owner.get("parameters").and_then(Value::as_array));
    for parameter in lists.into_iter().flatten().flatten() {
        let parameter = resolve(doc, parameter);
        let (Some(name), Some(location)) = (
            parameter.get("name").and_then(Value::as_str),
            parameter.get("in").and_then(Value::as_str),
        ) else {
            continue;
        };
        let schema = parameter.get("schema").unwrap_or(&Value::Null);
        let required = parameter.get("required") == Some(&Value::Bool(true));
        found.insert(
            format!("{location} {name}"),
            (Shape::of(schema, required), schema),
        );
    }
    found
}

/// `components.schemas`, by name.
fn schemas(doc: &Value) -> BTreeMap<String, &Value> {
    let schemas = doc.get("components").and_then(|c| c.get("schemas"));
    entries(schemas)
        .map(|(name, schema)| (name.clone(), schema))
        .collect()
}

/// A schema's properties with their shapes.
fn fields(schema: &Value) -> BTreeMap<String, (Shape, &Value)> {
    let required: BTreeSet<&str> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    entries(schema.get("properties"))
        .map(|(name, field)| {
            let shape = Shape::of(field, required.contains(name.as_str()));
            (name.clone(), (shape, field))
        })
        .collect()
}

fn enum_values(schema: &Value) -> BTreeSet<EnumValue> {
    let values = schema.get("enum").and_then(Value::as_array);
    values.into_iter().flatten().map(enum_value).collect()
}

fn enum_value(value: &Value) -> EnumValue {
    match (value.as_i64(), value.as_str()) {
        (Some(integer), _) => EnumValue::Integer(integer),
        (None, Some(text)) => EnumValue::Other(text.to_owned()),
        (None, None) => EnumValue::Other(value.to_string()),
    }
}

/// Follows a local `$ref` (e.g. to `#/components/parameters/X`).
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| doc.pointer(pointer))
        .unwrap_or(value)
}

fn entries(map: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    map.and_then(Value::as_object)
        .into_iter()
        .flat_map(Map::iter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(paths: Value, schemas: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": schemas}})
    }

    fn lines(summary: &Summary) -> Vec<String> {
        summary.changes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn identical_documents_have_no_changes() {
        let doc = spec(
            json!({"/a": {"get": {"operationId": "a"}}}),
            json!({"S": {"type": "string"}}),
        );
        let summary = Summary::between(&doc, &doc);
        assert!(summary.changes.is_empty());
        assert_eq!(summary.to_string(), "No changes\n");
    }

    #[test]
    fn untracked_differences_are_not_reported_as_no_changes() {
        let old = spec(
            json!({}),
            json!({"S": {"type": "string", "description": "old"}}),
        );
        let new = spec(
            json!({}),
            json!({"S": {"type": "string", "description": "new"}}),
        );
        let summary = Summary::between(&old, &new);
        assert!(summary.changes.is_empty());
        assert_eq!(
            summary.to_string(),
            "No API changes (only descriptions or other details changed)\n"
        );
    }

    #[test]
    fn operations_added_removed_and_renamed() {
        let old = spec(
            json!({"/a": {"get": {"operationId": "get_a"}}, "/b": {"get": {"operationId": "get_b"}}}),
            json!({}),
        );
        let new = spec(
            json!({"/a": {"get": {"operationId": "read_a"}, "post": {"operationId": "post_a"}}}),
            json!({}),
        );
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            [
                "~ operation GET /a (get_a) -> GET /a (read_a)",
                "+ operation POST /a (post_a)",
                "- operation GET /b (get_b)",
            ]
        );
    }

    #[test]
    fn parameters_added_removed_and_changed() {
        let old = spec(
            json!({"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "get": {"operationId": "a", "parameters": [
                    {"name": "gone", "in": "query", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Limit"}
                ]}
            }}),
            json!({}),
        );
        let mut new = spec(
            json!({"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                "get": {"operationId": "a", "parameters": [
                    {"name": "run_id", "in": "query", "schema": {"type": "integer", "nullable": true}},
                    {"$ref": "#/components/parameters/Limit"}
                ]}
            }}),
            json!({}),
        );
        let limit = json!({"name": "limit", "in": "query", "schema": {"type": "integer"}});
        let mut old = old;
        old["components"]["parameters"] = json!({"Limit": limit});
        new["components"]["parameters"] = json!({"Limit": limit});
        new["components"]["parameters"]["Limit"]["required"] = json!(true);
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            [
                "~ parameter GET /a/{id} path id: type string -> integer",
                "~ parameter GET /a/{id} query limit: required no -> yes",
                "+ parameter GET /a/{id} query run_id: integer, nullable, optional",
                "- parameter GET /a/{id} query gone",
            ]
        );
    }

    #[test]
    fn schemas_fields_and_enum_values() {
        let old = spec(
            json!({}),
            json!({
                "Gone": {"type": "object"},
                "Status": {"type": "string", "enum": ["A", "B"]},
                "Result": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "old": {"type": "string"},
                        "kind": {"type": "string", "enum": ["x"]},
                        "same": {"$ref": "#/components/schemas/Status"}
                    }
                }
            }),
        );
        let new = spec(
            json!({}),
            json!({
                "New": {
                    "type": "object",
                    "required": ["n"],
                    "properties": {
                        "n": {"type": "integer"},
                        "progress": {"type": "integer", "nullable": true},
                        "mode": {"type": "string", "enum": ["m"]}
                    }
                },
                "Status": {"type": "string", "enum": ["A", "C"]},
                "Result": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "integer", "nullable": true},
                        "kind": {"type": "string", "enum": ["x", "y"]},
                        "same": {"allOf": [{"$ref": "#/components/schemas/Status"}], "description": "d"},
                        "message": {"anyOf": [{"type": "string"}, {"type": "object"}], "nullable": true},
                        "items": {"type": "array", "items": {"type": "string", "format": "uri"}},
                        "by_language": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Status"}}
                    }
                }
            }),
        );
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            [
                "+ schema New",
                "+ field New.mode: string, optional",
                "+ field New.n: integer, required",
                "+ field New.progress: integer, nullable, optional",
                "+ enum New.mode: +1 value (m)",
                "+ field Result.by_language: map of Status, optional",
                "~ field Result.id: type string -> integer, nullable no -> yes, required yes -> no",
                "+ field Result.items: array of string (uri), optional",
                "+ field Result.message: anyOf(string, object), nullable, optional",
                "- field Result.old",
                "+ enum Result.kind: +1 value (y)",
                "~ enum Status: +1 value (C), -1 value (B)",
                "- schema Gone",
            ]
        );
    }

    #[test]
    fn enum_changes_are_one_line_per_schema_numbers_sorted_and_runs_compressed() {
        let languages = |values: Vec<Value>| {
            spec(
                json!({}),
                json!({"Languages": {"type": "integer", "enum": values}}),
            )
        };
        let old = languages(vec![json!(137), json!(138), json!(200)]);
        let new_values = (1..=151)
            .filter(|n| *n != 137 && *n != 138)
            .map(Value::from);
        let new = languages(
            new_values
                .chain([json!(153), json!(155), json!(156)])
                .collect(),
        );
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            [
                "~ enum Languages: +152 values (1–136, 139–151, 153, 155, 156), -3 values (137, 138, 200)"
            ]
        );
        let old = spec(json!({}), json!({"S": {"enum": ["b", 2, "a", 10]}}));
        let new = spec(json!({}), json!({"S": {"enum": []}}));
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            ["- enum S: -4 values (2, 10, a, b)"]
        );
    }

    #[test]
    fn renamed_newly_named_and_unnamed_values_are_one_line_per_schema() {
        let languages = |values: Value, names: Value| {
            spec(
                json!({}),
                json!({"Languages": {"type": "integer", "enum": values, "x-enum-varnames": names}}),
            )
        };
        let old = languages(json!([1, 2, 3]), json!(["EN_US", "AF_ZA", "AM_ET"]));
        let new = languages(
            json!([1, 2, 4, 5, 6]),
            json!(["EN_US", "AF_NA", "AR_AE", "AR_BH", "AR_DZ"]),
        );
        assert_eq!(
            lines(&Summary::between(&old, &new)),
            [
                "~ enum Languages: +3 values (4–6), -1 value (3)",
                "~ enum Languages x-enum-varnames: 1 renamed (2 AF_ZA -> AF_NA), +3 named (4–6), -1 unnamed (3)"
            ]
        );
        let unnamed = languages(json!([1, 2, 3]), json!(null));
        assert_eq!(
            lines(&Summary::between(&unnamed, &old)),
            ["+ enum Languages x-enum-varnames: +3 named (1–3)"]
        );
    }

    #[test]
    fn everything_is_new_when_there_was_no_document() {
        let new = spec(
            json!({"/a": {"get": {"operationId": "a"}}}),
            json!({"S": {}}),
        );
        assert_eq!(
            lines(&Summary::between(&Value::Null, &new)),
            ["+ operation GET /a (a)", "+ schema S"]
        );
    }
}
