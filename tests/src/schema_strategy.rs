//! Proptest strategies that generate JSON values valid under a JSON Schema
//! 2020-12 schema (the dialect of OpenAPI 3.1), with `$ref`s resolved
//! against the document the schema lives in.
//!
//! No maintained crate does this for proptest (generators exist for Python's
//! Hypothesis; the Rust ones draw from `rand` and cannot shrink), so this is
//! a small hand-written one. Values shrink like any proptest value: optional
//! properties towards absent, arrays towards their minimum length, numbers
//! towards zero or their lower bound.
//!
//! Supported: `$ref` (local JSON pointers), `type` (a name or an array of
//! names, `null` included), `anyOf`, `oneOf` (values valid under exactly one
//! branch), `allOf` (merged), `enum`, `const`, `properties`/`required`
//! (optional properties sometimes absent), `additionalProperties` (a schema,
//! `true` or absent: a few extra properties; `false`: none), `items`,
//! `prefixItems`, `minItems`/`maxItems`, `uniqueItems`, strings with
//! `minLength`/`maxLength`/`pattern`, numbers and integers with
//! `minimum`/`maximum`/`exclusiveMinimum`/`exclusiveMaximum`, and boolean
//! schemas. Annotations (`title`, `description`, `format`, `examples`, ...)
//! constrain nothing and are ignored, except `format: date-time`: such
//! strings are RFC 3339 date-times, which FastAPI (pydantic) validates and
//! the generated client reads as dates (and the validator checks). Any other keyword is an error that
//! names it and where it is: never a generator that silently produces values
//! the schema rejects.
//!
//! ```
//! use camb_tests::schema_strategy::Generator;
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//! use serde_json::json;
//!
//! let document = json!({"components": {"schemas": {"Id": {"type": "integer", "minimum": 1}}}});
//! let schema = json!({"type": "object", "required": ["id"],
//!                     "properties": {"id": {"$ref": "#/components/schemas/Id"}}});
//! let strategy = Generator::new(&document).strategy(&schema)?;
//! let mut runner = TestRunner::deterministic();
//! let value = strategy.new_tree(&mut runner).unwrap().current();
//! assert!(value.0["id"].as_i64().unwrap() >= 1);
//! # Ok::<(), camb_tests::schema_strategy::SchemaError>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use jsonschema::Validator;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Map, Number, Value, json};

/// A generated JSON value. Its `Debug` output is the JSON text, so proptest's
/// report of a (shrunk) failing case shows the body as it went on the wire.
#[derive(Clone, PartialEq)]
pub struct Json(pub Value);

impl fmt::Debug for Json {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A schema the generator cannot turn into a strategy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaError {
    /// Where in the document: a JSON pointer, or the `$ref` path followed.
    pub at: String,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.reason)
    }
}

impl std::error::Error for SchemaError {}

/// How big generated values may get.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Nesting below which optional properties, extra properties and array
    /// items beyond the minimum are no longer generated (bounds recursion).
    pub depth: u32,
    /// Array items generated beyond `minItems`, at most.
    pub extra_items: usize,
    /// Properties generated beyond the schema's own, at most.
    pub extra_properties: usize,
    /// String length when the schema sets no `maxLength`.
    pub string_length: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            depth: 10,
            extra_items: 3,
            extra_properties: 2,
            string_length: 12,
        }
    }
}

/// Keywords that only annotate: they constrain no value.
const ANNOTATIONS: &[&str] = &[
    "title",
    "description",
    "default",
    "examples",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "format",
    "$schema",
    "$comment",
    "discriminator",
    "xml",
    "externalDocs",
];

/// Keywords the generator understands.
const HANDLED: &[&str] = &[
    "$ref",
    "type",
    "anyOf",
    "oneOf",
    "allOf",
    "enum",
    "const",
    "properties",
    "required",
    "additionalProperties",
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

/// Makes strategies for the schemas of one document.
#[derive(Clone, Debug)]
pub struct Generator<'a> {
    document: &'a Value,
    limits: Limits,
}

/// A boxed strategy of raw values, the building block.
type Values = BoxedStrategy<Value>;

impl<'a> Generator<'a> {
    /// A generator for schemas of `document` (where `$ref`s resolve), with
    /// the default [`Limits`].
    pub fn new(document: &'a Value) -> Self {
        Generator {
            document,
            limits: Limits::default(),
        }
    }

    /// The same generator with other limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// A strategy for values valid under `schema`.
    pub fn strategy(&self, schema: &Value) -> Result<BoxedStrategy<Json>, SchemaError> {
        Ok(self
            .values(schema, "#", self.limits.depth)?
            .prop_map(Json)
            .boxed())
    }

    /// A validator for `schema` whose `$ref`s resolve against the document.
    pub fn validator(&self, schema: &Value) -> Result<Validator, SchemaError> {
        validator(self.document, schema)
    }

    fn values(&self, schema: &Value, at: &str, depth: u32) -> Result<Values, SchemaError> {
        let object = match schema {
            Value::Bool(true) => return Ok(any_json(depth)),
            Value::Bool(false) => return Err(error(at, "the schema `false` allows no value")),
            Value::Object(object) => object,
            other => return Err(error(at, format!("not a schema: {other}"))),
        };
        if let Some(keyword) = object
            .keys()
            .find(|k| !HANDLED.contains(&k.as_str()) && !is_annotation(k))
        {
            return Err(error(at, format!("unsupported keyword `{keyword}`")));
        }
        if let Some(reference) = object.get("$ref") {
            let target = self.resolve(reference, at)?;
            let at = format!("{at} -> {}", reference.as_str().unwrap_or_default());
            if depth == 0 {
                return Err(error(&at, "recursion deeper than the depth limit"));
            }
            let rest = without(object, &["$ref"]);
            return if constrains(&rest) {
                self.values(&json!({"allOf": [target, rest]}), &at, depth - 1)
            } else {
                self.values(target, &at, depth - 1)
            };
        }
        if let Some(all_of) = object.get("allOf") {
            let mut merged = without(object, &["allOf"]);
            for (i, branch) in as_array(all_of, at, "allOf")?.iter().enumerate() {
                let branch = self.resolved(branch, &format!("{at}/allOf/{i}"))?;
                merged = merge(merged, branch, at)?;
            }
            return self.values(&Value::Object(merged), at, depth);
        }
        match (object.get("anyOf"), object.get("oneOf")) {
            (Some(_), Some(_)) => Err(error(at, "`anyOf` together with `oneOf`")),
            (Some(branches), None) => self.union(object, branches, "anyOf", at, depth),
            (None, Some(branches)) => self.union(object, branches, "oneOf", at, depth),
            (None, None) => self.leaf(object, at, depth),
        }
    }

    /// `anyOf`/`oneOf`: one of the branches, each with the sibling keywords.
    fn union(
        &self,
        object: &Map<String, Value>,
        branches: &Value,
        keyword: &str,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        let rest = without(object, &[keyword]);
        let branches = as_array(branches, at, keyword)?;
        let mut strategies = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let at = format!("{at}/{keyword}/{i}");
            let branch = if constrains(&rest) {
                json!({"allOf": [Value::Object(rest.clone()), branch]})
            } else {
                branch.clone()
            };
            strategies.push(self.values(&branch, &at, depth)?);
        }
        if strategies.is_empty() {
            return Err(error(at, format!("`{keyword}` with no branch")));
        }
        let union = proptest::strategy::Union::new(strategies).boxed();
        if keyword == "anyOf" {
            return Ok(union);
        }
        // oneOf: a value that more than one branch accepts is invalid.
        let validators = branches
            .iter()
            .map(|branch| self.validator(branch).map(Arc::new))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(union
            .prop_filter("valid under more than one oneOf branch", move |value| {
                validators.iter().filter(|v| v.is_valid(value)).count() == 1
            })
            .boxed())
    }

    /// A schema without `$ref` or composition keywords.
    fn leaf(
        &self,
        object: &Map<String, Value>,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        if let Some(value) = object.get("const") {
            return Ok(Just(value.clone()).boxed());
        }
        if let Some(values) = object.get("enum") {
            let values = as_array(values, at, "enum")?.clone();
            if values.is_empty() {
                return Err(error(at, "an empty `enum` allows no value"));
            }
            return Ok(select(values).boxed());
        }
        let types = match object.get("type") {
            None => return self.untyped(object, at, depth),
            Some(Value::String(name)) => vec![name.as_str()],
            Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
            Some(other) => return Err(error(at, format!("`type` is {other}"))),
        };
        let strategies = types
            .into_iter()
            .map(|name| self.typed(name, object, at, depth))
            .collect::<Result<Vec<_>, _>>()?;
        if strategies.is_empty() {
            return Err(error(at, "`type` names no type"));
        }
        Ok(proptest::strategy::Union::new(strategies).boxed())
    }

    /// No `type`: inferred from the keywords, or any value when none constrains.
    fn untyped(
        &self,
        object: &Map<String, Value>,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        let has = |keys: &[&str]| keys.iter().any(|k| object.contains_key(*k));
        if has(&["properties", "required", "additionalProperties"]) {
            self.typed("object", object, at, depth)
        } else if has(&[
            "items",
            "prefixItems",
            "minItems",
            "maxItems",
            "uniqueItems",
        ]) {
            self.typed("array", object, at, depth)
        } else if constrains(object) {
            Err(error(at, "keywords that need a `type` without one"))
        } else {
            Ok(any_json(depth))
        }
    }

    fn typed(
        &self,
        name: &str,
        object: &Map<String, Value>,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        match name {
            "null" => Ok(Just(Value::Null).boxed()),
            "boolean" => Ok(any::<bool>().prop_map(Value::Bool).boxed()),
            "integer" => integers(object, at),
            "number" => numbers(object, at),
            "string" => strings(object, at, self.limits.string_length),
            "array" => self.array(object, at, depth),
            "object" => self.object(object, at, depth),
            other => Err(error(at, format!("unknown type {other:?}"))),
        }
    }

    fn array(
        &self,
        object: &Map<String, Value>,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        let prefix = match object.get("prefixItems") {
            Some(items) => as_array(items, at, "prefixItems")?
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    self.values(
                        item,
                        &format!("{at}/prefixItems/{i}"),
                        depth.saturating_sub(1),
                    )
                })
                .collect::<Result<Vec<_>, _>>()?,
            None => Vec::new(),
        };
        let min = usize_keyword(object, "minItems", at)?.unwrap_or(0);
        let max = usize_keyword(object, "maxItems", at)?;
        if max.is_some_and(|max| max < prefix.len()) {
            return Err(error(at, "more `prefixItems` than `maxItems`"));
        }
        let rest_min = min.saturating_sub(prefix.len());
        let budget = if depth == 0 {
            0
        } else {
            self.limits.extra_items
        };
        let rest_max = (rest_min + budget).min(max.map_or(usize::MAX, |max| max - prefix.len()));
        let rest = match object.get("items") {
            Some(Value::Bool(false)) | None if rest_max == 0 => Just(Vec::new()).boxed(),
            Some(Value::Bool(false)) if rest_min == 0 => Just(Vec::new()).boxed(),
            Some(Value::Bool(false)) => return Err(error(at, "`items: false` below `minItems`")),
            items => {
                let items = match items {
                    Some(items) => {
                        self.values(items, &format!("{at}/items"), depth.saturating_sub(1))?
                    }
                    None => any_json(depth.saturating_sub(1)),
                };
                proptest::collection::vec(items, rest_min..=rest_max).boxed()
            }
        };
        let strategy = (prefix, rest).prop_map(|(mut prefix, rest)| {
            prefix.extend(rest);
            Value::Array(prefix)
        });
        if object.get("uniqueItems") == Some(&Value::Bool(true)) {
            return Ok(strategy
                .prop_filter("items not unique", |value| {
                    let items = value.as_array().map(Vec::as_slice).unwrap_or_default();
                    items
                        .iter()
                        .enumerate()
                        .all(|(i, a)| items[..i].iter().all(|b| a != b))
                })
                .boxed());
        }
        Ok(strategy.boxed())
    }

    fn object(
        &self,
        object: &Map<String, Value>,
        at: &str,
        depth: u32,
    ) -> Result<Values, SchemaError> {
        let empty = Map::new();
        let properties = match object.get("properties") {
            Some(Value::Object(properties)) => properties,
            Some(other) => return Err(error(at, format!("`properties` is {other}"))),
            None => &empty,
        };
        let required: BTreeSet<&str> = match object.get("required") {
            Some(names) => as_array(names, at, "required")?
                .iter()
                .filter_map(Value::as_str)
                .collect(),
            None => BTreeSet::new(),
        };
        let additional = object
            .get("additionalProperties")
            .unwrap_or(&Value::Bool(true));
        let inner = depth.saturating_sub(1);
        let mut fields: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, schema) in properties {
            let is_required = required.contains(name.as_str());
            if depth == 0 && !is_required {
                continue;
            }
            let values = self.values(schema, &format!("{at}/properties/{name}"), inner)?;
            let name = name.clone();
            let field = values.prop_map(move |value| (name.clone(), value));
            fields.push(if is_required {
                field.prop_map(Some).boxed()
            } else {
                proptest::option::of(field).boxed()
            });
        }
        for name in required
            .iter()
            .filter(|name| !properties.contains_key(**name))
        {
            let values = match additional {
                Value::Bool(false) => {
                    return Err(error(at, format!("`{name}` is required but not allowed")));
                }
                Value::Bool(true) => any_json(inner),
                schema => self.values(schema, &format!("{at}/additionalProperties"), inner)?,
            };
            let name = (*name).to_owned();
            fields.push(
                values
                    .prop_map(move |value| Some((name.clone(), value)))
                    .boxed(),
            );
        }
        let extras = match additional {
            Value::Bool(false) => Just(Vec::new()).boxed(),
            _ if depth == 0 => Just(Vec::new()).boxed(),
            schema => {
                let values = match schema {
                    Value::Bool(true) => any_json(inner),
                    schema => self.values(schema, &format!("{at}/additionalProperties"), inner)?,
                };
                let known: BTreeSet<String> = properties
                    .keys()
                    .cloned()
                    .chain(required.iter().map(|name| (*name).to_owned()))
                    .collect();
                let name = "[a-z][a-z_]{0,7}"
                    .prop_filter("a declared property", move |name: &String| {
                        !known.contains(name)
                    });
                proptest::collection::vec((name, values), 0..=self.limits.extra_properties).boxed()
            }
        };
        Ok((fields, extras)
            .prop_map(|(fields, extras)| {
                let mut map = Map::new();
                // Extras first: a declared property is never overwritten.
                map.extend(extras);
                map.extend(fields.into_iter().flatten());
                Value::Object(map)
            })
            .boxed())
    }

    /// The schema a `$ref` points to.
    fn resolve(&self, reference: &Value, at: &str) -> Result<&'a Value, SchemaError> {
        let reference = reference
            .as_str()
            .ok_or_else(|| error(at, "`$ref` is not a string"))?;
        let pointer = reference
            .strip_prefix('#')
            .ok_or_else(|| error(at, format!("only local `$ref`s resolve: {reference}")))?;
        self.document
            .pointer(pointer)
            .ok_or_else(|| error(at, format!("`$ref` {reference} points nowhere")))
    }

    /// `schema` as an object, following a bare `$ref` (for merging).
    fn resolved(&self, schema: &Value, at: &str) -> Result<Map<String, Value>, SchemaError> {
        match schema {
            Value::Bool(true) => Ok(Map::new()),
            Value::Object(object) => match object.get("$ref") {
                Some(reference) => {
                    let target = self.resolved(self.resolve(reference, at)?, at)?;
                    merge(target, without(object, &["$ref"]), at)
                }
                None => Ok(object.clone()),
            },
            other => Err(error(at, format!("cannot merge the schema {other}"))),
        }
    }
}

/// A validator for `schema`, its `$ref`s resolved against `document`.
pub fn validator(document: &Value, schema: &Value) -> Result<Validator, SchemaError> {
    let mut root = Map::new();
    root.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    if let Some(components) = document.get("components") {
        root.insert("components".into(), components.clone());
    }
    root.insert("allOf".into(), json!([schema]));
    // Formats are checked too: the generated client reads `date-time`
    // strings as dates (formats it does not know pass, as they always did).
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .map_err(|e| error("#", format!("the schema does not compile: {e}")))
}

fn error(at: &str, reason: impl Into<String>) -> SchemaError {
    SchemaError {
        at: at.to_owned(),
        reason: reason.into(),
    }
}

fn is_annotation(keyword: &str) -> bool {
    ANNOTATIONS.contains(&keyword) || keyword.starts_with("x-")
}

/// Whether a schema object has any keyword that constrains values.
fn constrains(object: &Map<String, Value>) -> bool {
    object.keys().any(|k| !is_annotation(k))
}

fn without(object: &Map<String, Value>, keys: &[&str]) -> Map<String, Value> {
    object
        .iter()
        .filter(|(k, _)| !keys.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn as_array<'v>(value: &'v Value, at: &str, keyword: &str) -> Result<&'v Vec<Value>, SchemaError> {
    value
        .as_array()
        .ok_or_else(|| error(at, format!("`{keyword}` is not an array")))
}

fn usize_keyword(
    object: &Map<String, Value>,
    keyword: &str,
    at: &str,
) -> Result<Option<usize>, SchemaError> {
    number_keyword(object, keyword, at, |v| {
        v.as_u64().and_then(|n| usize::try_from(n).ok())
    })
}

fn f64_keyword(
    object: &Map<String, Value>,
    keyword: &str,
    at: &str,
) -> Result<Option<f64>, SchemaError> {
    number_keyword(object, keyword, at, Value::as_f64)
}

/// The value of a numeric keyword, if present; an error if it is not one.
fn number_keyword<T>(
    object: &Map<String, Value>,
    keyword: &str,
    at: &str,
    read: impl Fn(&Value) -> Option<T>,
) -> Result<Option<T>, SchemaError> {
    object
        .get(keyword)
        .map(|v| read(v).ok_or_else(|| error(at, format!("`{keyword}` is not a fitting number"))))
        .transpose()
}

/// Merges two schema objects as `allOf` of both (for the keywords handled).
fn merge(
    mut into: Map<String, Value>,
    from: Map<String, Value>,
    at: &str,
) -> Result<Map<String, Value>, SchemaError> {
    for (key, value) in from {
        let Some(existing) = into.get(&key).cloned() else {
            into.insert(key, value);
            continue;
        };
        let merged = match key.as_str() {
            _ if existing == value => existing,
            _ if is_annotation(&key) => existing,
            "properties" => {
                let (Value::Object(mut mine), Value::Object(theirs)) = (existing, value) else {
                    return Err(error(at, "`properties` is not an object"));
                };
                for (name, schema) in theirs {
                    let both = match mine.remove(&name) {
                        Some(own) => json!({"allOf": [own, schema]}),
                        None => schema,
                    };
                    mine.insert(name, both);
                }
                Value::Object(mine)
            }
            "required" => {
                let mut names: Vec<Value> = as_array(&existing, at, "required")?.clone();
                for name in as_array(&value, at, "required")? {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                Value::Array(names)
            }
            "type" => {
                let names = |v: &Value| -> BTreeSet<String> {
                    match v {
                        Value::String(s) => BTreeSet::from([s.clone()]),
                        Value::Array(a) => a
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_owned)
                            .collect(),
                        _ => BTreeSet::new(),
                    }
                };
                let (a, b) = (names(&existing), names(&value));
                let mut both: BTreeSet<String> = a.intersection(&b).cloned().collect();
                // An integer is a number.
                if (a.contains("integer") && b.contains("number"))
                    || (a.contains("number") && b.contains("integer"))
                {
                    both.insert("integer".into());
                }
                if both.is_empty() {
                    return Err(error(at, "`allOf` branches share no type"));
                }
                Value::Array(both.into_iter().map(Value::String).collect())
            }
            "enum" => {
                let theirs = as_array(&value, at, "enum")?;
                Value::Array(
                    as_array(&existing, at, "enum")?
                        .iter()
                        .filter(|v| theirs.contains(v))
                        .cloned()
                        .collect(),
                )
            }
            "minimum" | "exclusiveMinimum" | "minItems" | "minLength" => {
                bound(existing, value, f64::max)
            }
            "maximum" | "exclusiveMaximum" | "maxItems" | "maxLength" => {
                bound(existing, value, f64::min)
            }
            "items" | "additionalProperties" => match (existing, value) {
                (Value::Bool(false), _) | (_, Value::Bool(false)) => Value::Bool(false),
                (Value::Bool(true), other) | (other, Value::Bool(true)) => other,
                (a, b) => json!({"allOf": [a, b]}),
            },
            "uniqueItems" => {
                Value::Bool(existing == Value::Bool(true) || value == Value::Bool(true))
            }
            other => return Err(error(at, format!("cannot merge two different `{other}`"))),
        };
        into.insert(key, merged);
    }
    Ok(into)
}

/// The tighter of two numeric bounds.
fn bound(a: Value, b: Value, pick: fn(f64, f64) -> f64) -> Value {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) if pick(x, y) == y => b,
        _ => a,
    }
}

fn integers(object: &Map<String, Value>, at: &str) -> Result<Values, SchemaError> {
    let mut low = i64::MIN;
    let mut high = i64::MAX;
    let clamp = |v: f64| v.clamp(i64::MIN as f64, i64::MAX as f64);
    if let Some(min) = f64_keyword(object, "minimum", at)? {
        low = low.max(clamp(min.ceil()) as i64);
    }
    if let Some(min) = f64_keyword(object, "exclusiveMinimum", at)? {
        low = low.max(clamp(min.floor()) as i64 + 1);
    }
    if let Some(max) = f64_keyword(object, "maximum", at)? {
        high = high.min(clamp(max.floor()) as i64);
    }
    if let Some(max) = f64_keyword(object, "exclusiveMaximum", at)? {
        high = high.min(clamp(max.ceil()) as i64 - 1);
    }
    if low > high {
        return Err(error(at, "no integer within the bounds"));
    }
    if low == i64::MIN && high == i64::MAX {
        // Shrinks towards 0, and reaches the extremes.
        return Ok(any::<i64>().prop_map(Value::from).boxed());
    }
    Ok((low..=high).prop_map(Value::from).boxed())
}

fn numbers(object: &Map<String, Value>, at: &str) -> Result<Values, SchemaError> {
    let low = f64_keyword(object, "minimum", at)?;
    let high = f64_keyword(object, "maximum", at)?;
    let above = f64_keyword(object, "exclusiveMinimum", at)?;
    let below = f64_keyword(object, "exclusiveMaximum", at)?;
    let start = [low, above].into_iter().flatten().fold(-1e12, f64::max);
    let end = [high, below].into_iter().flatten().fold(1e12, f64::min);
    if start > end {
        return Err(error(at, "no number within the bounds"));
    }
    let within = move |v: &f64| {
        low.is_none_or(|l| *v >= l)
            && high.is_none_or(|h| *v <= h)
            && above.is_none_or(|a| *v > a)
            && below.is_none_or(|b| *v < b)
    };
    // Whole numbers too: `1.0` and `1` are the same JSON number to a schema,
    // not always to a decoder.
    let (first, last) = (start.ceil() as i64, end.floor() as i64);
    let any = (start..=end).boxed();
    let numbers = if first <= last {
        prop_oneof![(first..=last).prop_map(|n| n as f64), any].boxed()
    } else {
        any
    };
    Ok(numbers
        .prop_filter("outside the bounds", within)
        .prop_filter_map("not a JSON number", |v| {
            Number::from_f64(v).map(Value::Number)
        })
        .boxed())
}

fn strings(
    object: &Map<String, Value>,
    at: &str,
    default_length: usize,
) -> Result<Values, SchemaError> {
    let min = usize_keyword(object, "minLength", at)?.unwrap_or(0);
    let max = usize_keyword(object, "maxLength", at)?.unwrap_or(min.max(default_length));
    if min > max {
        return Err(error(at, "`minLength` above `maxLength`"));
    }
    let Some(pattern) = object.get("pattern") else {
        if object.get("format").and_then(Value::as_str) == Some("date-time") {
            return Ok(date_times());
        }
        return Ok(proptest::collection::vec(any::<char>(), min..=max)
            .prop_map(|chars| Value::String(chars.into_iter().collect()))
            .boxed());
    };
    let pattern = pattern
        .as_str()
        .ok_or_else(|| error(at, "`pattern` is not a string"))?;
    // proptest generates whole matches and refuses anchors; a whole match of
    // the unanchored pattern matches the anchored one too.
    let unanchored = pattern.strip_prefix('^').unwrap_or(pattern);
    let unanchored = match unanchored.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => unanchored,
    };
    let matching = proptest::string::string_regex(unanchored)
        .map_err(|e| error(at, format!("`pattern` {pattern:?}: {e}")))?;
    Ok(matching
        .prop_filter("length outside minLength..maxLength", move |s| {
            (min..=max).contains(&s.chars().count())
        })
        .prop_map(Value::String)
        .boxed())
}

/// RFC 3339 date-times (`format: date-time`): with or without fractions of
/// a second, in UTC (`Z`) or at an offset.
fn date_times() -> Values {
    let offset = prop_oneof![
        Just("Z".to_owned()),
        (-12i32..=14, prop_oneof![Just(0u32), Just(30), Just(45)]).prop_map(|(hours, minutes)| {
            let sign = if hours < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{minutes:02}", hours.abs())
        }),
    ];
    (
        (1970u32..2100, 1u32..=12, 1u32..=28),
        (0u32..24, 0u32..60, 0u32..60),
        proptest::option::of(0u32..1_000_000),
        offset,
    )
        .prop_map(|((year, month, day), (hour, minute, second), micros, offset)| {
            let fraction = micros.map_or_else(String::new, |micros| format!(".{micros:06}"));
            Value::String(format!(
                "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{offset}"
            ))
        })
        .boxed()
}

/// Any JSON value, nested at most `depth` deep.
fn any_json(depth: u32) -> Values {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        "[ -~]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(depth.min(2), 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z]{1,6}", inner, 0..3)
                .prop_map(|map: BTreeMap<String, Value>| Value::Object(map.into_iter().collect())),
        ]
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};

    /// Draws `cases` values for `schema` and checks each against a validator.
    fn all_valid(document: &Value, schema: &Value, cases: u32) -> Vec<Value> {
        let generator = Generator::new(document);
        let strategy = generator.strategy(schema).expect("the schema is supported");
        let validator = generator.validator(schema).expect("the schema compiles");
        let mut runner = TestRunner::new(Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        });
        let mut seen = Vec::new();
        for _ in 0..cases {
            let Json(value) = strategy.new_tree(&mut runner).expect("a value").current();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| e.to_string())
                .collect();
            assert!(
                errors.is_empty(),
                "{value} is invalid under {schema}: {errors:?}"
            );
            seen.push(value);
        }
        seen
    }

    #[test]
    fn date_times_are_rfc_3339_and_other_strings_are_not_checked_as_dates() {
        let document = json!({});
        let schema = json!({"type": "string", "format": "date-time"});
        let seen = all_valid(&document, &schema, 64);
        assert!(
            seen.iter()
                .any(|v| v.as_str().is_some_and(|s| s.ends_with('Z')))
        );
        assert!(
            seen.iter()
                .any(|v| v.as_str().is_some_and(|s| s.contains('.')))
        );
        let validator = validator(&document, &schema).unwrap();
        assert!(!validator.is_valid(&json!("")));
        assert!(!validator.is_valid(&json!("2026-13-01T00:00:00Z")));
        assert!(validator.is_valid(&json!("2026-03-01T09:30:00+05:30")));
        let plain = validator_of_plain_string();
        assert!(plain.is_valid(&json!("")));
    }

    fn validator_of_plain_string() -> Validator {
        validator(&json!({}), &json!({"type": "string", "format": "binary"})).unwrap()
    }

    #[test]
    fn generates_every_branch_and_absent_optional_properties() {
        let document = json!({"components": {"schemas": {
            "Status": {"type": "string", "enum": ["A", "B"]},
            "Thing": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "minimum": 1, "exclusiveMaximum": 5},
                    "status": {"$ref": "#/components/schemas/Status"},
                    "run": {"type": ["integer", "null"]},
                    "message": {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "null"}]},
                }
            }
        }}});
        let values = all_valid(
            &document,
            &json!({"$ref": "#/components/schemas/Thing"}),
            200,
        );
        let ids: BTreeSet<i64> = values.iter().map(|v| v["id"].as_i64().unwrap()).collect();
        assert_eq!(ids, BTreeSet::from([1, 2, 3, 4]));
        assert!(values.iter().any(|v| v.get("status").is_none()));
        assert!(values.iter().any(|v| v["status"] == "B"));
        assert!(values.iter().any(|v| v.get("run") == Some(&Value::Null)));
        assert!(values.iter().any(|v| v["message"].is_object()));
        // No `additionalProperties: false`, so extra properties appear.
        assert!(values.iter().any(|v| v.as_object().unwrap().len() > 4));
    }

    #[test]
    fn honours_closed_objects_arrays_and_tuples() {
        let document = json!({});
        let schema = json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["pair", "list"],
            "properties": {
                "pair": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "boolean"}], "items": false},
                "list": {"type": "array", "items": {"type": "number", "minimum": 0.5, "maximum": 2}, "minItems": 1, "maxItems": 2, "uniqueItems": true},
                "map": {"type": "object", "additionalProperties": {"type": "integer", "const": 7}},
                "tag": {"type": "string", "pattern": "^[a-z]{2}-[a-z]{2}$"},
            }
        });
        let values = all_valid(&document, &schema, 200);
        assert!(values.iter().all(|v| v.as_object().unwrap().len() <= 4));
        assert!(
            values
                .iter()
                .any(|v| v["map"].as_object().is_some_and(|m| !m.is_empty()))
        );
    }

    #[test]
    fn numbers_stay_within_bounds_even_without_a_whole_number_inside() {
        let schema = json!({"type": "number", "exclusiveMinimum": 0.5, "maximum": 0.75});
        let values = all_valid(&json!({}), &schema, 50);
        assert!(values.iter().all(|v| v.as_f64().unwrap() > 0.5));
    }

    #[test]
    fn merges_all_of_and_keeps_one_of_exclusive() {
        let document = json!({"components": {"schemas": {
            "Base": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "minimum": 0}}}
        }}});
        let schema = json!({
            "allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"required": ["b"], "properties": {"a": {"maximum": 3}, "b": {"oneOf": [{"type": "integer"}, {"type": "number"}]}}}
            ]
        });
        let values = all_valid(&document, &schema, 100);
        assert!(
            values
                .iter()
                .all(|v| (0..=3).contains(&v["a"].as_i64().unwrap()))
        );
        // Only non-integral numbers are valid under exactly one branch.
        assert!(
            values
                .iter()
                .all(|v| v["b"].as_f64().unwrap().fract() != 0.0)
        );
    }

    #[test]
    fn generates_a_single_result_or_a_map_of_results() {
        // The shape of a result that is one object or a map keyed by language.
        let document = json!({"components": {"schemas": {
            "Result": {"type": "object", "properties": {
                "video_url": {"type": ["string", "null"]},
                "transcript": {"type": "array", "items": {"type": "object",
                    "required": ["text"], "properties": {"text": {"type": "string"}}}}
            }}
        }}});
        let schema = json!({"oneOf": [
            {"$ref": "#/components/schemas/Result"},
            {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Result"},
             "propertyNames": {"pattern": "^[0-9]+$"}}
        ]});
        let Err(err) = Generator::new(&document).strategy(&schema) else {
            panic!("propertyNames is not supported");
        };
        assert!(err.reason.contains("propertyNames"), "{err}");
        let map = json!({"type": "object",
                         "additionalProperties": {"$ref": "#/components/schemas/Result"}});
        let branches = json!([{"$ref": "#/components/schemas/Result"}, map]);
        let generator = Generator::new(&document);
        let is_map = generator.validator(&branches[1]).unwrap();
        let is_map = |v: &Value| v.as_object().is_some_and(|m| !m.is_empty()) && is_map.is_valid(v);

        let values = all_valid(&document, &json!({"anyOf": branches}), 100);
        assert!(values.iter().any(&is_map));
        assert!(values.iter().any(|v| !is_map(v)));
        // With oneOf, a map is also a valid single result (extra properties
        // are allowed), so under both branches: oneOf rules every map out.
        let values = all_valid(&document, &json!({"oneOf": branches}), 100);
        assert!(values.iter().all(|v| !is_map(v)));
    }

    #[test]
    fn refuses_keywords_it_does_not_understand_naming_where() {
        let document = json!({"components": {"schemas": {
            "Odd": {"type": "integer", "multipleOf": 3}
        }}});
        let schema = json!({"properties": {"n": {"$ref": "#/components/schemas/Odd"}}});
        let Err(err) = Generator::new(&document).strategy(&schema) else {
            panic!("multipleOf is not supported");
        };
        assert_eq!(err.at, "#/properties/n -> #/components/schemas/Odd");
        assert!(err.reason.contains("multipleOf"), "{err}");
        assert!(
            Generator::new(&document)
                .strategy(&json!({"$ref": "#/nowhere"}))
                .is_err()
        );
        assert!(Generator::new(&document).strategy(&json!(false)).is_err());
    }

    #[test]
    fn a_generated_value_prints_as_json() {
        assert_eq!(
            format!("{:?}", Json(json!({"status": "SUCCESS"}))),
            r#"{"status":"SUCCESS"}"#
        );
    }
}
