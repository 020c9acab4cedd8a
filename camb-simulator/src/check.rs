//! Request validation against the spec's own JSON Schemas (the `jsonschema`
//! crate), reported as FastAPI reports it: `422` with every problem of the
//! path, the query and the body at once, each with the `type`, `loc`, `msg`
//! and `input` (and `ctx`) Pydantic v2 writes.
//!
//! One schema per operation holds it all: an object with `path`, `query`
//! and `body` (the spec's schemas, `$ref`s resolved against its
//! components), so an error's instance path is FastAPI's `loc`. Before it
//! is validated, the request is read the way Pydantic's lax mode reads it
//! (`"7"` and `true` are integers where the schema wants one, `"yes"` and
//! `1` booleans, `2.0` an integer); what still fails is a problem.

use std::cmp::Ordering;
use std::sync::OnceLock;

use jsonschema::Validator;
use jsonschema::error::ValidationErrorKind;
use serde_json::{Map, Value, json};

use crate::openapi::{BodyKind, Location, Operation, Spec};
use crate::validate::{Problems, error_offset, one_of, whole_number};

/// A request's parts as the transport received them.
#[derive(Debug, Default)]
pub(crate) struct RawRequest {
    /// The path parameters, decoded, in the template's order.
    pub(crate) path: Vec<(String, String)>,
    /// The query pairs, decoded, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: RawBody,
    /// The `Accept` header.
    pub(crate) accept: Option<String>,
}

/// A request body as received.
#[derive(Debug, Default)]
pub(crate) enum RawBody {
    /// No body (or an empty one).
    #[default]
    Empty,
    /// Bytes that should be JSON.
    Json(Vec<u8>),
    /// The parts of a form, in order.
    Form(Vec<FormPart>),
}

/// One part of a form.
#[derive(Debug, Clone)]
pub(crate) struct FormPart {
    pub(crate) name: String,
    /// The file name, for a file part.
    pub(crate) file_name: Option<String>,
    /// The text of a text part (a file's bytes are not kept).
    pub(crate) text: String,
}

/// A request that passed: its values as Pydantic read them.
#[derive(Debug, Default)]
pub(crate) struct Checked {
    pub(crate) path: Map<String, Value>,
    pub(crate) query: Map<String, Value>,
    /// The JSON body, or a form's text fields (`Null` without a body).
    pub(crate) body: Value,
    /// The form's files: field and file name.
    pub(crate) files: Vec<(String, String)>,
    /// The `Accept` header.
    pub(crate) accept: Option<String>,
}

impl Checked {
    /// A path parameter as sent (an id, a language).
    pub(crate) fn path_text(&self, name: &str) -> String {
        match self.path.get(name) {
            Some(Value::String(text)) => text.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }

    /// An integer path parameter, when it fits an `i64` (a valid integer
    /// past it names nothing the simulator has).
    pub(crate) fn path_int(&self, name: &str) -> Option<i64> {
        self.path.get(name).and_then(Value::as_i64)
    }

    /// A query value, if sent.
    pub(crate) fn query(&self, name: &str) -> Option<&Value> {
        self.query.get(name).filter(|value| !value.is_null())
    }

    /// A query value that is text, if sent.
    pub(crate) fn query_text(&self, name: &str) -> Option<&str> {
        self.query(name).and_then(Value::as_str)
    }
}

/// The compiled schema of an operation's request.
pub(crate) struct RequestSchema {
    root: Value,
    validator: Option<Validator>,
}

impl std::fmt::Debug for RequestSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestSchema").finish_non_exhaustive()
    }
}

/// The request schema of each operation, compiled when first used.
#[derive(Debug, Default)]
pub(crate) struct Schemas(OnceLock<Vec<RequestSchema>>);

impl Schemas {
    fn of<'a>(&'a self, spec: &Spec, operation: &Operation) -> Option<&'a RequestSchema> {
        let all = self.0.get_or_init(|| {
            spec.operations
                .iter()
                .map(|operation| RequestSchema::new(spec, operation))
                .collect()
        });
        let index = spec
            .operations
            .iter()
            .position(|candidate| std::ptr::eq(candidate, operation))?;
        all.get(index)
    }
}

impl RequestSchema {
    fn new(spec: &Spec, operation: &Operation) -> RequestSchema {
        let section = |location: Location| {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for parameter in operation
                .parameters
                .iter()
                .filter(|p| p.location == location)
            {
                properties.insert(parameter.name.clone(), parameter.schema.clone());
                if parameter.required {
                    required.push(Value::String(parameter.name.clone()));
                }
            }
            json!({"type": "object", "properties": properties, "required": required})
        };
        let mut required = vec![json!("path"), json!("query")];
        let mut properties = Map::new();
        properties.insert("path".into(), section(Location::Path));
        properties.insert("query".into(), section(Location::Query));
        if let Some(body) = &operation.body {
            properties.insert("body".into(), body.schema.clone());
            if body.required {
                required.push(json!("body"));
            }
        }
        let mut root = Map::new();
        root.insert(
            "$schema".into(),
            "https://json-schema.org/draft/2020-12/schema".into(),
        );
        if let Some(components) = spec.document.get("components") {
            root.insert("components".into(), components.clone());
        }
        root.insert("type".into(), "object".into());
        root.insert("properties".into(), Value::Object(properties));
        root.insert("required".into(), Value::Array(required));
        let root = Value::Object(root);
        // A schema the crate cannot compile checks nothing (the spec's own
        // tests compile every schema of it).
        // Formats are checked, as Pydantic checks `datetime`, `date`, `UUID`
        // and URL fields.
        let validator = jsonschema::draft202012::options()
            .should_validate_formats(true)
            .build(&root)
            .ok();
        RequestSchema { root, validator }
    }
}

/// Checks a request against its operation's schemas.
pub(crate) fn check(
    spec: &Spec,
    schemas: &Schemas,
    operation: &Operation,
    raw: RawRequest,
) -> Result<Checked, Problems> {
    let Some(schema) = schemas.of(spec, operation) else {
        return Err(Problems::default());
    };
    let mut problems = Problems::default();
    let mut instance = Map::new();
    let mut checked = Checked {
        accept: raw.accept,
        ..Checked::default()
    };
    let mut path = Map::new();
    for (name, value) in raw.path {
        path.insert(name, Value::String(value));
    }
    instance.insert("path".into(), Value::Object(path));
    let mut query = Map::new();
    for (name, value) in raw.query {
        let wants_list = operation
            .parameters
            .iter()
            .find(|p| p.location == Location::Query && p.name == name)
            .is_some_and(|p| is_array(spec, &p.schema));
        if wants_list {
            let list = query
                .entry(name)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = list {
                items.push(Value::String(value));
            }
        } else if operation
            .parameters
            .iter()
            .any(|p| p.location == Location::Query && p.name == name)
        {
            // Starlette reads the last of repeated values.
            query.insert(name, Value::String(value));
        }
    }
    instance.insert("query".into(), Value::Object(query));
    let form = matches!(
        operation.body.as_ref().map(|body| body.kind),
        Some(BodyKind::Form)
    );
    match (raw.body, &operation.body) {
        (_, None) => {}
        (RawBody::Empty, Some(_)) => {}
        (RawBody::Json(bytes), Some(body)) if body.kind == BodyKind::Json => {
            if bytes.iter().all(u8::is_ascii_whitespace) {
                // FastAPI reads an empty body as none.
            } else {
                match serde_json::from_slice::<Value>(&bytes) {
                    Ok(value) => {
                        instance.insert("body".into(), value);
                    }
                    Err(error) => {
                        problems.push_with_ctx(
                            "json_invalid",
                            &["body".into(), error_offset(&bytes, &error).into()],
                            "JSON decode error",
                            &json!({}),
                            json!({ "error": "Expecting value" }),
                        );
                        return Err(problems);
                    }
                }
            }
        }
        // A multipart body without one readable part is no form.
        (RawBody::Form(parts), Some(body)) if body.kind == BodyKind::Form && !parts.is_empty() => {
            let (fields, files) = read_form(spec, &body.schema, parts, &mut problems);
            // FastAPI answers a form without any field like one not sent.
            if !fields.is_empty() || !files.is_empty() || body.required {
                instance.insert("body".into(), Value::Object(fields));
            }
            checked.files = files;
        }
        // A JSON body where a form is wanted, or the other way round: the
        // body is missing as far as FastAPI is concerned.
        (_, Some(_)) => {}
    }
    let mut instance = Value::Object(instance);
    lax(spec, &schema.root, &mut instance, 0);
    if let Some(validator) = &schema.validator {
        let mut found: Vec<Problem> = Vec::new();
        for error in validator.iter_errors(&instance) {
            describe(&schema.root, &error, form, &mut found, None);
        }
        found.sort_by(|a, b| a.order(b, operation));
        for problem in found {
            problems.push_value(problem.value);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if let Value::Object(mut parts) = instance {
        checked.path = take_object(&mut parts, "path");
        checked.query = take_object(&mut parts, "query");
        checked.body = parts.remove("body").unwrap_or(Value::Null);
    }
    Ok(checked)
}

fn take_object(parts: &mut Map<String, Value>, name: &str) -> Map<String, Value> {
    match parts.remove(name) {
        Some(Value::Object(object)) => object,
        _ => Map::new(),
    }
}

/// A form's fields as a JSON object for its schema: text parts as strings
/// (an empty one is not sent, as in FastAPI), repeated parts as a list
/// where the schema wants one, file parts as their file name.
fn read_form(
    spec: &Spec,
    schema: &Value,
    parts: Vec<FormPart>,
    problems: &mut Problems,
) -> (Map<String, Value>, Vec<(String, String)>) {
    let schema = spec.resolve(schema);
    let properties = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut fields = Map::new();
    let mut files = Vec::new();
    for part in parts {
        let Some(property) = properties.get(&part.name) else {
            continue;
        };
        let value = match &part.file_name {
            Some(file_name) => {
                files.push((part.name.clone(), file_name.clone()));
                Value::String(file_name.clone())
            }
            None if part.text.is_empty() => continue,
            None => {
                // A schema cannot tell a file from text (both are strings):
                // FastAPI refuses text where it wants an `UploadFile`.
                if is_file(spec, property) {
                    problems.push(
                        "value_error",
                        &["body".into(), part.name.clone().into()],
                        "Value error, Expected UploadFile, received: <class 'str'>",
                        &Value::String(part.text.clone()),
                    );
                    continue;
                }
                Value::String(part.text)
            }
        };
        if is_array(spec, property) {
            let list = fields
                .entry(part.name)
                .or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = list {
                items.push(value);
            }
        } else {
            fields.insert(part.name, value);
        }
    }
    (fields, files)
}

/// The schemas a value may follow: `$ref`s followed, `X | None` unwrapped.
fn branches<'a>(spec: &'a Spec, schema: &'a Value) -> Vec<&'a Value> {
    let schema = spec.resolve(schema);
    match schema.get("anyOf").or_else(|| schema.get("oneOf")) {
        Some(Value::Array(options)) => options
            .iter()
            .flat_map(|option| branches(spec, option))
            .collect(),
        _ => vec![schema],
    }
}

fn types(spec: &Spec, schema: &Value) -> Vec<String> {
    branches(spec, schema)
        .into_iter()
        .flat_map(|branch| match branch.get("type") {
            Some(Value::String(kind)) => vec![kind.clone()],
            Some(Value::Array(kinds)) => kinds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        })
        .collect()
}

fn is_array(spec: &Spec, schema: &Value) -> bool {
    types(spec, schema).iter().any(|kind| kind == "array")
}

/// Whether a form field is an upload (`UploadFile`: a string of bytes),
/// or a list of them.
fn is_file(spec: &Spec, schema: &Value) -> bool {
    branches(spec, schema).into_iter().any(|branch| {
        let item = if branch.get("type").and_then(Value::as_str) == Some("array") {
            spec.resolve(&branch["items"])
        } else {
            branch
        };
        item.get("format").and_then(Value::as_str) == Some("binary")
            || item
                .get("contentMediaType")
                .and_then(Value::as_str)
                .is_some_and(|media| {
                    !media.starts_with("text/") && !media.contains("json") && !media.contains("xml")
                })
    })
}

/// Reads `value` as Pydantic's lax mode does, where `schema` wants it:
/// text (a path, query or form value; or JSON) as an integer, number or
/// boolean, a boolean as an integer, 0 and 1 as booleans, a whole float as
/// an integer. A value the schema takes as it is stays.
fn lax(spec: &Spec, schema: &Value, value: &mut Value, depth: usize) {
    // The request schema's `$ref`s point into the spec's components, which
    // `spec` resolves; the root's own properties are plain.
    if depth > 32 {
        return;
    }
    let options = branches(spec, schema);
    match value {
        Value::Object(object) => {
            for option in &options {
                let Some(properties) = option.get("properties").and_then(Value::as_object) else {
                    if let Some(extra) =
                        option.get("additionalProperties").filter(|s| s.is_object())
                    {
                        for field in object.values_mut() {
                            lax(spec, extra, field, depth + 1);
                        }
                        return;
                    }
                    continue;
                };
                for (name, field) in object.iter_mut() {
                    if let Some(property) = properties.get(name) {
                        lax(spec, property, field, depth + 1);
                    }
                }
                return;
            }
        }
        Value::Array(items) => {
            if let Some(item) = options
                .iter()
                .find_map(|option| option.get("items").filter(|items| !items.is_boolean()))
            {
                for value in items.iter_mut() {
                    lax(spec, item, value, depth + 1);
                }
            }
        }
        _ => {
            let kinds = types(spec, schema);
            if kinds.is_empty() {
                // An enum, a constant or any value: taken as it is.
                return;
            }
            let takes = |kind: &str| kinds.iter().any(|k| k == kind);
            let read = match &*value {
                Value::String(text) if !takes("string") => {
                    if takes("integer") {
                        as_integer(value)
                    } else if takes("number") {
                        text.trim()
                            .parse::<f64>()
                            .ok()
                            .filter(|number| number.is_finite())
                            .map(|number| json!(number))
                    } else if takes("boolean") {
                        as_bool(value).map(Value::Bool)
                    } else {
                        None
                    }
                }
                Value::Bool(_) if !takes("boolean") && takes("integer") => as_integer(value),
                Value::Number(number)
                    if number.is_f64() && takes("integer") && !takes("number") =>
                {
                    as_integer(value)
                }
                Value::Number(_) if !takes("integer") && !takes("number") && takes("boolean") => {
                    as_bool(value).map(Value::Bool)
                }
                _ => None,
            };
            if let Some(read) = read {
                *value = read;
            }
        }
    }
}

/// An integer as Pydantic's lax mode reads one from a JSON value.
fn as_integer(value: &Value) -> Option<Value> {
    match value {
        Value::Bool(flag) => Some(json!(i64::from(*flag))),
        Value::Number(number) if number.is_f64() => {
            let float = number.as_f64()?;
            (float.fract() == 0.0 && float.abs() < 9.2e18).then(|| json!(float as i64))
        }
        Value::Number(_) => Some(value.clone()),
        Value::String(text) => match whole_number(value) {
            Some(integer) => Some(json!(integer)),
            // An integer past `i64` stays exact as a JSON number if it fits
            // `u64`; larger ones are kept as a whole float.
            None if crate::validate::is_int_text(text) => {
                let digits: String = text.trim().chars().filter(|c| *c != '_').collect();
                let digits = digits.split('.').next().unwrap_or_default().to_owned();
                digits
                    .parse::<u64>()
                    .map(|n| json!(n))
                    .ok()
                    .or_else(|| digits.parse::<f64>().ok().map(|f| json!(f)))
            }
            None => None,
        },
        _ => None,
    }
}

/// A boolean as Pydantic's lax mode reads one.
fn as_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(flag) => Some(*flag),
        Value::Number(number) => match number.as_f64() {
            Some(0.0) => Some(false),
            Some(1.0) => Some(true),
            _ => None,
        },
        Value::String(text) => {
            let text = text.to_ascii_lowercase();
            match text.as_str() {
                "0" | "off" | "f" | "false" | "n" | "no" => Some(false),
                "1" | "on" | "t" | "true" | "y" | "yes" => Some(true),
                _ => None,
            }
        }
        _ => None,
    }
}

/// One problem, with what orders it as FastAPI does.
struct Problem {
    value: Value,
    /// The `loc` for ordering: union branches by their index.
    key: Vec<KeyPart>,
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum KeyPart {
    Branch(usize),
    Index(u64),
    /// A field: its rank (see [`required_rank`]), then its name.
    Name(usize, String),
}

/// Where Pydantic puts a field's problems among its model's: in the
/// model's field order. The spec is written with sorted keys, so its
/// `properties` have lost that order; its `required` list keeps it (FastAPI
/// writes it in field order). So the required fields come first, in that
/// order, then the others by name: FastAPI's order for a model that
/// declares its required fields first, as models usually do.
fn required_rank(object: Option<&Value>, name: &str) -> usize {
    object
        .and_then(|object| object.get("required"))
        .and_then(Value::as_array)
        .and_then(|required| required.iter().position(|field| field == name))
        .unwrap_or(usize::MAX)
}

/// The fields a schema path goes through (`.../properties/<name>/...`),
/// each with its [`required_rank`] in the object that names it.
fn field_ranks(root: &Value, schema_path: &[String]) -> Vec<(String, usize)> {
    let mut ranks = Vec::new();
    let mut at = 0;
    while at + 1 < schema_path.len() {
        if schema_path[at] == "properties" {
            let name = &schema_path[at + 1];
            let object = schema_at(root, &schema_path[..at]);
            ranks.push((name.clone(), required_rank(object, name)));
            at += 2;
        } else {
            at += 1;
        }
    }
    ranks
}

impl Problem {
    /// Path first, then query (each in the operation's parameter order),
    /// then body (by `loc`).
    fn order(&self, other: &Problem, operation: &Operation) -> Ordering {
        let rank = |problem: &Problem| {
            let section = match problem.key.first() {
                Some(KeyPart::Name(_, name)) if name == "path" => 0,
                Some(KeyPart::Name(_, name)) if name == "query" => 1,
                _ => 2,
            };
            let parameter = match problem.key.get(1) {
                Some(KeyPart::Name(_, name)) if section < 2 => operation
                    .parameters
                    .iter()
                    .position(|p| &p.name == name)
                    .unwrap_or(usize::MAX),
                _ => 0,
            };
            (section, parameter)
        };
        rank(self)
            .cmp(&rank(other))
            .then_with(|| self.key.cmp(&other.key))
    }
}

/// The tokens of a JSON pointer, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|token| token.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The schema at a keyword path of `root` (a `$ref` token is followed).
fn schema_at<'a>(root: &'a Value, path: &[String]) -> Option<&'a Value> {
    let mut node = root;
    for token in path {
        node = if token == "$ref" {
            let reference = node.get("$ref")?.as_str()?;
            root.pointer(reference.strip_prefix('#')?)?
        } else {
            match node {
                Value::Object(object) => object.get(token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            }
        };
    }
    Some(node)
}

/// Maps one validation error to Pydantic's problems. `tag`: a union
/// branch's name to insert into `loc` after the union's own place.
fn describe(
    root: &Value,
    error: &jsonschema::ValidationError<'_>,
    form: bool,
    found: &mut Vec<Problem>,
    tag: Option<(usize, String, usize)>,
) {
    let instance = error.instance().clone().into_owned();
    let schema_path = tokens(error.schema_path().as_str());
    let ranks = field_ranks(root, &schema_path);
    let mut next_rank = 0;
    let mut loc: Vec<Value> = Vec::new();
    let mut key: Vec<KeyPart> = Vec::new();
    for (position, token) in tokens(error.instance_path().as_str())
        .into_iter()
        .enumerate()
    {
        if let Some((at, name, index)) = &tag
            && position == *at
        {
            loc.push(Value::String(name.clone()));
            key.push(KeyPart::Branch(*index));
        }
        match token.parse::<u64>() {
            Ok(index) if position > 1 || position == 1 && loc.first() == Some(&json!("body")) => {
                loc.push(json!(index));
                key.push(KeyPart::Index(index));
            }
            _ => {
                // The field's rank where the schema path names it (a key of
                // a map is named by none: last).
                let found = ranks[next_rank.min(ranks.len())..]
                    .iter()
                    .position(|(name, _)| *name == token);
                let rank = found.map_or(usize::MAX, |offset| {
                    next_rank += offset + 1;
                    ranks[next_rank - 1].1
                });
                key.push(KeyPart::Name(rank, token.clone()));
                loc.push(Value::String(token));
            }
        }
    }
    if let Some((at, name, index)) = &tag
        && loc.len() == *at
    {
        loc.push(Value::String(name.clone()));
        key.push(KeyPart::Branch(*index));
    }
    let keyword_parent = schema_at(root, &schema_path[..schema_path.len().saturating_sub(1)]);
    let mut push = |kind: &str,
                    loc: Vec<Value>,
                    key: Vec<KeyPart>,
                    msg: String,
                    input: &Value,
                    ctx: Option<Value>| {
        let mut problem = json!({"type": kind, "loc": loc, "msg": msg, "input": input});
        if let Some(ctx) = ctx {
            problem["ctx"] = ctx;
        }
        found.push(Problem {
            value: problem,
            key,
        });
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_owned();
            // FastAPI reports a missing parameter, body or form field with
            // no input; a missing field of a JSON object with the object.
            let top = loc.is_empty() || (loc.len() == 1 && (loc[0] != json!("body") || form));
            let input = if top { Value::Null } else { instance.clone() };
            let mut loc = loc;
            loc.push(Value::String(name.clone()));
            key.push(KeyPart::Name(
                required_rank(keyword_parent, &name),
                name.clone(),
            ));
            push("missing", loc, key, "Field required".into(), &input, None);
        }
        // A `Literal` (a `const` or an `enum` with its `type`) fails as one
        // `literal_error` or `enum` in Pydantic, not also as a wrong type.
        ValidationErrorKind::Type { .. }
            if keyword_parent.is_some_and(|schema| {
                schema.get("const").is_some() || schema.get("enum").is_some()
            }) => {}
        ValidationErrorKind::Type { .. } => {
            let wanted = keyword_parent
                .and_then(|schema| schema.get("type"))
                .map(|kind| match kind {
                    Value::Array(kinds) => kinds
                        .iter()
                        .filter_map(Value::as_str)
                        .find(|kind| *kind != "null")
                        .unwrap_or("null")
                        .to_owned(),
                    other => other.as_str().unwrap_or_default().to_owned(),
                })
                .unwrap_or_default();
            let is_model = keyword_parent.is_some_and(|schema| schema.get("properties").is_some());
            let (kind, msg) = type_problem(&wanted, &instance, is_model);
            push(kind, loc, key, msg.into(), &instance, None);
        }
        ValidationErrorKind::Enum { options } => {
            let values: Vec<Value> = options.as_array().cloned().unwrap_or_default();
            let expected = expected_list(&values);
            // A component enum is a Python `Enum`; an inline one a `Literal`.
            // (The schema path does not always show the `$ref` it went
            // through: the enum's schema is looked for among the components.)
            let python_enum = keyword_parent.is_some_and(|schema| {
                root.pointer("/components/schemas")
                    .and_then(Value::as_object)
                    .is_some_and(|components| components.values().any(|c| c == schema))
            });
            let kind = if python_enum { "enum" } else { "literal_error" };
            push(
                kind,
                loc,
                key,
                format!("Input should be {expected}"),
                &instance,
                Some(json!({"expected": expected})),
            );
        }
        ValidationErrorKind::Constant { expected_value } => {
            let expected = expected_list(std::slice::from_ref(expected_value.as_ref()));
            push(
                "literal_error",
                loc,
                key,
                format!("Input should be {expected}"),
                &instance,
                Some(json!({"expected": expected})),
            );
        }
        ValidationErrorKind::Minimum { limit } => push(
            "greater_than_equal",
            loc,
            key,
            format!("Input should be greater than or equal to {limit}"),
            &instance,
            Some(json!({"ge": limit})),
        ),
        ValidationErrorKind::ExclusiveMinimum { limit } => push(
            "greater_than",
            loc,
            key,
            format!("Input should be greater than {limit}"),
            &instance,
            Some(json!({"gt": limit})),
        ),
        ValidationErrorKind::Maximum { limit } => push(
            "less_than_equal",
            loc,
            key,
            format!("Input should be less than or equal to {limit}"),
            &instance,
            Some(json!({"le": limit})),
        ),
        ValidationErrorKind::ExclusiveMaximum { limit } => push(
            "less_than",
            loc,
            key,
            format!("Input should be less than {limit}"),
            &instance,
            Some(json!({"lt": limit})),
        ),
        ValidationErrorKind::MinLength { limit } => push(
            "string_too_short",
            loc,
            key,
            format!(
                "String should have at least {limit} character{}",
                plural(*limit)
            ),
            &instance,
            Some(json!({"min_length": limit})),
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            "string_too_long",
            loc,
            key,
            format!(
                "String should have at most {limit} character{}",
                plural(*limit)
            ),
            &instance,
            Some(json!({"max_length": limit})),
        ),
        ValidationErrorKind::MinItems { limit } => {
            let actual = instance.as_array().map_or(0, Vec::len);
            push(
                "too_short",
                loc,
                key,
                format!(
                    "List should have at least {limit} item{} after validation, not {actual}",
                    plural(*limit)
                ),
                &instance,
                Some(json!({"field_type": "List", "min_length": limit, "actual_length": actual})),
            );
        }
        ValidationErrorKind::MaxItems { limit } => {
            let actual = instance.as_array().map_or(0, Vec::len);
            push(
                "too_long",
                loc,
                key,
                format!(
                    "List should have at most {limit} item{} after validation, not {actual}",
                    plural(*limit)
                ),
                &instance,
                Some(json!({"field_type": "List", "max_length": limit, "actual_length": actual})),
            );
        }
        ValidationErrorKind::Pattern { pattern } => push(
            "string_pattern_mismatch",
            loc,
            key,
            format!("String should match pattern '{pattern}'"),
            &instance,
            Some(json!({"pattern": pattern})),
        ),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                let mut loc = loc.clone();
                loc.push(Value::String(name.clone()));
                let mut key = key.clone();
                key.push(KeyPart::Name(usize::MAX, name.clone()));
                let input = instance.get(name).cloned().unwrap_or(Value::Null);
                push(
                    "extra_forbidden",
                    loc,
                    key,
                    "Extra inputs are not permitted".into(),
                    &input,
                    None,
                );
            }
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            let options: Vec<Value> = schema_at(root, &schema_path)
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            let is_null = |option: &Value| {
                let resolved = match option.get("$ref").and_then(Value::as_str) {
                    Some(reference) => root
                        .pointer(reference.trim_start_matches('#'))
                        .unwrap_or(option),
                    None => option,
                };
                resolved.get("type").and_then(Value::as_str) == Some("null")
            };
            let real: Vec<usize> = (0..options.len())
                .filter(|index| !is_null(&options[*index]))
                .collect();
            for index in &real {
                let Some(errors) = context.get(*index) else {
                    continue;
                };
                // `X | None` is no union for Pydantic: no branch in `loc`.
                let tag =
                    (real.len() > 1).then(|| (loc.len(), branch_tag(&options[*index]), *index));
                for inner in errors {
                    describe(root, inner, form, found, tag.clone());
                }
            }
        }
        ValidationErrorKind::Format { format } => {
            let (kind, msg) = match format.as_str() {
                "date-time" => ("datetime_parsing", "Input should be a valid datetime"),
                "date" => ("date_parsing", "Input should be a valid date"),
                "time" => ("time_parsing", "Input should be in a valid time format"),
                "uuid" => ("uuid_parsing", "Input should be a valid UUID"),
                "uri" | "url" => ("url_parsing", "Input should be a valid URL"),
                _ => ("value_error", "Value error, not a valid value"),
            };
            push(kind, loc, key, msg.into(), &instance, None);
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            push(
                "union_tag_invalid",
                loc,
                key,
                "Input matches more than one member of the union".into(),
                &instance,
                None,
            );
        }
        _ => push(
            "value_error",
            loc,
            key,
            format!("Value error, {error}"),
            &instance,
            None,
        ),
    }
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// Pydantic's name of a union branch in `loc` (`int`, `str`, a model's name).
fn branch_tag(option: &Value) -> String {
    if let Some(reference) = option.get("$ref").and_then(Value::as_str) {
        return reference.rsplit('/').next().unwrap_or_default().to_owned();
    }
    match option.get("type").and_then(Value::as_str) {
        Some("integer") => "int".into(),
        Some("string") => "str".into(),
        Some("number") => "float".into(),
        Some("boolean") => "bool".into(),
        Some("array") => format!(
            "list[{}]",
            branch_tag(option.get("items").unwrap_or(&Value::Null))
        ),
        Some("object") if option.get("properties").is_none() => "dict[str,any]".into(),
        Some(other) => other.into(),
        None if option.get("enum").is_some() => {
            let values: Vec<String> = option["enum"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.to_string().replace('"', "'"))
                .collect();
            format!("literal[{}]", values.join(","))
        }
        None => "any".into(),
    }
}

/// `'a', 'b' or 'c'` (strings quoted, numbers not), as Pydantic lists them.
fn expected_list(values: &[Value]) -> String {
    let texts: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        })
        .collect();
    let all_strings = values.iter().all(Value::is_string);
    if all_strings {
        let borrowed: Vec<&str> = texts.iter().map(String::as_str).collect();
        return one_of(&borrowed);
    }
    match texts.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Pydantic's type and message for a value of the wrong JSON type.
fn type_problem(wanted: &str, value: &Value, is_model: bool) -> (&'static str, &'static str) {
    match wanted {
        "integer" => match value {
            Value::Number(number) if number.as_f64().is_some_and(|f| f.fract() != 0.0) => (
                "int_from_float",
                "Input should be a valid integer, got a number with a fractional part",
            ),
            Value::String(_) => (
                "int_parsing",
                "Input should be a valid integer, unable to parse string as an integer",
            ),
            _ => ("int_type", "Input should be a valid integer"),
        },
        "number" => match value {
            Value::String(_) => (
                "float_parsing",
                "Input should be a valid number, unable to parse string as a number",
            ),
            _ => ("float_type", "Input should be a valid number"),
        },
        "boolean" => match value {
            Value::String(_) | Value::Number(_) => (
                "bool_parsing",
                "Input should be a valid boolean, unable to interpret input",
            ),
            _ => ("bool_type", "Input should be a valid boolean"),
        },
        "string" => ("string_type", "Input should be a valid string"),
        "array" => ("list_type", "Input should be a valid list"),
        "object" if is_model => (
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        ),
        "object" => ("dict_type", "Input should be a valid dictionary"),
        "null" => ("none_required", "Input should be None"),
        _ => ("value_error", "Input is not valid"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openapi::{Matched, spec};

    /// The `detail` FastAPI would answer for this request, or `Null`.
    fn detail(method: &str, target: &str, body: RawBody) -> Value {
        let spec = spec();
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let Matched::Operation(operation, parameters) = spec.find(method, path) else {
            panic!("no operation {method} {path}");
        };
        let query = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                (name.to_owned(), value.to_owned())
            })
            .collect();
        let raw = RawRequest {
            path: parameters,
            query,
            body,
            accept: None,
        };
        match check(spec, &spec.schemas, operation, raw) {
            Ok(_) => Value::Null,
            Err(problems) => Value::Array(problems.into_detail()),
        }
    }

    fn json_body(value: Value) -> RawBody {
        RawBody::Json(value.to_string().into_bytes())
    }

    const INT_PARSING: &str =
        "Input should be a valid integer, unable to parse string as an integer";

    #[test]
    fn path_query_and_body_problems_come_at_once_in_fastapi_order() {
        let term = json!({"translations": [{"language": "fr", "translation": 7}]});
        assert_eq!(
            detail("PUT", "/dictionaries/term/1/y?run_id=z", json_body(term)),
            json!([
                {"type": "int_parsing", "loc": ["path", "term_id"], "msg": INT_PARSING, "input": "y"},
                {"type": "int_parsing", "loc": ["query", "run_id"], "msg": INT_PARSING, "input": "z"},
                // The model's order (`required` keeps it; camb-sdk 1.6.6
                // `camb/types/term_translation_input.py` declares the same).
                {"type": "string_type", "loc": ["body", "translations", 0, "translation"],
                 "msg": "Input should be a valid string", "input": 7},
                {"type": "int_parsing", "loc": ["body", "translations", 0, "language"], "msg": INT_PARSING, "input": "fr"},
            ])
        );
        assert_eq!(
            detail(
                "GET",
                "/dictionaries/x/full-details?limit=ten&run_id=1.5",
                RawBody::Empty
            ),
            json!([
                {"type": "int_parsing", "loc": ["path", "dictionary_id"], "msg": INT_PARSING, "input": "x"},
                {"type": "int_parsing", "loc": ["query", "limit"], "msg": INT_PARSING, "input": "ten"},
                {"type": "int_parsing", "loc": ["query", "run_id"], "msg": INT_PARSING, "input": "1.5"},
            ])
        );
        assert_eq!(
            detail(
                "GET",
                "/dictionaries/7/full-details?limit=1_0&run_id=1.0",
                RawBody::Empty
            ),
            Value::Null
        );
    }

    #[test]
    fn bodies_read_as_pydantic_reads_them() {
        let dub = |extra: Value| {
            let mut body = json!({"video_url": "https://example.com/a.mp4", "source_language": 1, "target_languages": [76]});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            detail("POST", "/dub", json_body(body))
        };
        assert_eq!(
            dub(json!({"ai_optimization": 0, "folder_id": true, "source_language": "7"})),
            Value::Null
        );
        let found = dub(
            json!({"ai_optimization": 2, "target_languages": [1, null, 1.5], "transcription_mode": "medium"}),
        );
        assert_eq!(found[0]["type"], "bool_parsing");
        assert_eq!(
            detail("POST", "/dub", RawBody::Empty),
            json!([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}])
        );
        assert_eq!(
            detail("POST", "/dub", RawBody::Json(br#"{"video_url": "#.to_vec())),
            json!([{"type": "json_invalid", "loc": ["body", 14], "msg": "JSON decode error",
                    "input": {}, "ctx": {"error": "Expecting value"}}])
        );
        assert_eq!(
            detail(
                "POST",
                "/dubbing-results",
                json_body(json!({"run_ids": [1, 2.5]}))
            ),
            json!([{"type": "int_from_float", "loc": ["body", "run_ids", 1],
                    "msg": "Input should be a valid integer, got a number with a fractional part", "input": 2.5}])
        );
        assert_eq!(
            detail(
                "POST",
                "/dubbing-results",
                json_body(json!({"run_ids": [18446744073709551615u64, false]}))
            ),
            Value::Null
        );
        assert_eq!(
            detail(
                "POST",
                "/folders/create?run_id=",
                json_body(json!({"name": "Talks"}))
            ),
            json!([
                {"type": "int_parsing", "loc": ["query", "run_id"], "msg": INT_PARSING, "input": ""},
                {"type": "missing", "loc": ["body", "folder_name"], "msg": "Field required", "input": {"name": "Talks"}},
            ])
        );
    }

    #[test]
    fn forms_read_text_parts_and_files() {
        let part = |name: &str, file_name: Option<&str>, text: &str| FormPart {
            name: name.into(),
            file_name: file_name.map(Into::into),
            text: text.into(),
        };
        assert_eq!(
            detail(
                "POST",
                "/transcribe",
                RawBody::Form(vec![
                    part("language", None, "76"),
                    part("media_url", None, "https://a")
                ])
            ),
            Value::Null
        );
        let found = detail(
            "POST",
            "/transcribe",
            RawBody::Form(vec![
                part("folder_id", None, "x"),
                part("transcription_mode", None, "medium"),
                part("run_audio_cleaning", None, "maybe"),
            ]),
        );
        let problems: Vec<(Value, Value)> = found
            .as_array()
            .unwrap()
            .iter()
            .map(|problem| (problem["loc"].clone(), problem["type"].clone()))
            .collect();
        assert_eq!(
            problems,
            // The required field first, then the others by name (the
            // spec keeps no other order of a model's fields).
            [
                (json!(["body", "language"]), json!("missing")),
                (json!(["body", "folder_id"]), json!("int_parsing")),
                (json!(["body", "run_audio_cleaning"]), json!("bool_parsing")),
                (
                    json!(["body", "transcription_mode"]),
                    json!("literal_error")
                ),
            ]
        );
        assert_eq!(
            detail(
                "POST",
                "/dictionaries/create-from-file",
                RawBody::Form(vec![
                    part("dictionary_name", None, ""),
                    part("dictionary_file", Some("t.csv"), "")
                ])
            ),
            json!([{"type": "missing", "loc": ["body", "dictionary_name"], "msg": "Field required", "input": null}])
        );
    }
}
