//! The spec the simulator serves, read at run time from
//! `spec/generated/openapi-3.1.json` (compiled in): every operation with its
//! parameters, body, answers and task-family declaration (`x-camb-task`),
//! so that an operation added to the spec is simulated without code.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use serde_json::Value;

/// The spec the simulator is built with.
const SPEC: &str = include_str!("../../spec/generated/openapi-3.1.json");

/// The spec, parsed once.
pub(crate) fn spec() -> &'static Spec {
    static SPEC_DOC: LazyLock<Spec> = LazyLock::new(|| {
        // The file is the workspace's own, checked by `cargo xtask regen`.
        let document = serde_json::from_str(SPEC).unwrap_or(Value::Null);
        Spec::new(document)
    });
    &SPEC_DOC
}

/// An OpenAPI 3.1 document and its operations.
#[derive(Debug)]
pub(crate) struct Spec {
    pub(crate) document: Value,
    pub(crate) operations: Vec<Operation>,
    /// The request schema of each operation, compiled when first used.
    pub(crate) schemas: crate::check::Schemas,
}

/// Where a parameter is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Location {
    Path,
    Query,
}

/// One parameter of an operation.
#[derive(Clone, Debug)]
pub(crate) struct Parameter {
    pub(crate) name: String,
    pub(crate) location: Location,
    pub(crate) required: bool,
    pub(crate) schema: Value,
}

/// How a request body is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BodyKind {
    Json,
    /// `multipart/form-data` or `application/x-www-form-urlencoded`.
    Form,
}

/// The body an operation takes.
#[derive(Clone, Debug)]
pub(crate) struct Body {
    pub(crate) kind: BodyKind,
    pub(crate) required: bool,
    pub(crate) schema: Value,
}

/// An operation's successful answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Answer {
    pub(crate) status: u16,
    /// The schema of its JSON body, if it has one.
    pub(crate) json: Option<Value>,
    /// Its other media type (audio, text), if it has one.
    pub(crate) media: Option<String>,
}

/// A task family, as `x-camb-task` on its create operation declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TaskFamily {
    pub(crate) name: String,
    /// `METHOD /path` of the status operation.
    pub(crate) status: String,
    /// `METHOD /path` of the result by run id.
    pub(crate) result: Option<String>,
    /// `METHOD /path` of the batch result.
    pub(crate) results: Option<String>,
}

/// One operation of the spec.
#[derive(Clone, Debug)]
pub(crate) struct Operation {
    pub(crate) method: String,
    pub(crate) template: String,
    segments: Vec<Segment>,
    pub(crate) parameters: Vec<Parameter>,
    pub(crate) body: Option<Body>,
    pub(crate) answer: Answer,
    /// The family this operation creates tasks of.
    pub(crate) task: Option<TaskFamily>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter(String),
}

/// What a request path matched.
#[derive(Debug)]
pub(crate) enum Matched<'a> {
    /// An operation, with its path parameters (percent-decoded).
    Operation(&'a Operation, Vec<(String, String)>),
    /// A path of the spec, but not with this method: the methods it has.
    WrongMethod(String),
    NotFound,
}

impl Operation {
    /// `METHOD /path`, how `x-camb-task` names operations.
    pub(crate) fn key(&self) -> String {
        format!("{} {}", self.method, self.template)
    }

    /// The path parameters of `path` if it matches this template.
    fn matches(&self, path: &str) -> Option<Vec<(String, String)>> {
        let raw: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
        if raw.len() != self.segments.len() {
            return None;
        }
        let mut found = Vec::new();
        for (segment, raw) in self.segments.iter().zip(raw) {
            let decoded = percent_decode_str(raw).decode_utf8().ok()?;
            match segment {
                Segment::Literal(literal) if *literal == decoded => {}
                Segment::Literal(_) => return None,
                Segment::Parameter(_) if decoded.is_empty() => return None,
                Segment::Parameter(name) => found.push((name.clone(), decoded.into_owned())),
            }
        }
        Some(found)
    }

    /// How many literal segments the template has (the most specific
    /// template wins: `/stream/probe` over `/stream/{stream_id}`).
    fn literals(&self) -> usize {
        self.segments
            .iter()
            .filter(|segment| matches!(segment, Segment::Literal(_)))
            .count()
    }
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

impl Spec {
    /// Reads every operation of `document`.
    pub(crate) fn new(document: Value) -> Spec {
        let mut operations = Vec::new();
        let paths = document["paths"].as_object().cloned().unwrap_or_default();
        for (template, item) in &paths {
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                operations.push(Operation::read(
                    &document, template, method, item, operation,
                ));
            }
        }
        Spec {
            document,
            operations,
            schemas: crate::check::Schemas::default(),
        }
    }

    /// The operation named `METHOD /path`.
    #[cfg(test)]
    pub(crate) fn operation(&self, key: &str) -> Option<&Operation> {
        self.operations
            .iter()
            .find(|operation| operation.key() == key)
    }

    /// The operation a request is for. As axum's router (and FastAPI's,
    /// for literal segments) does: the most specific path template that
    /// matches wins (`/stream/probe` over `/stream/{stream_id}`), then the
    /// method is looked for among its operations.
    pub(crate) fn find(&self, method: &str, path: &str) -> Matched<'_> {
        let matching: Vec<(&Operation, Vec<(String, String)>)> = self
            .operations
            .iter()
            .filter_map(|operation| Some((operation, operation.matches(path)?)))
            .collect();
        let Some(most) = matching
            .iter()
            .map(|(operation, _)| operation.literals())
            .max()
        else {
            return Matched::NotFound;
        };
        let mut methods = Vec::new();
        for (operation, parameters) in matching {
            if operation.literals() != most {
                continue;
            }
            if operation.method == method {
                return Matched::Operation(operation, parameters);
            }
            methods.push(operation.method.clone());
        }
        methods.sort();
        methods.dedup();
        Matched::WrongMethod(methods.join(", "))
    }

    /// The families declared by `x-camb-task`, with their create operation.
    pub(crate) fn families(&self) -> impl Iterator<Item = (&Operation, &TaskFamily)> {
        self.operations
            .iter()
            .filter_map(|operation| Some((operation, operation.task.as_ref()?)))
    }

    /// `schema` with a top-level `$ref` followed (repeatedly).
    pub(crate) fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..16 {
            match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => match reference
                    .strip_prefix('#')
                    .and_then(|pointer| self.document.pointer(pointer))
                {
                    Some(target) => schema = target,
                    None => return schema,
                },
                None => return schema,
            }
        }
        schema
    }
}

impl Operation {
    fn read(
        document: &Value,
        template: &str,
        method: &str,
        item: &Value,
        operation: &Value,
    ) -> Operation {
        let segments = template
            .trim_start_matches('/')
            .split('/')
            .map(
                |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) => Segment::Parameter(name.to_owned()),
                    None => Segment::Literal(segment.to_owned()),
                },
            )
            .collect();
        let resolve = |value: &Value| -> Value {
            match value
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| document.pointer(reference.trim_start_matches('#')))
            {
                Some(target) => target.clone(),
                None => value.clone(),
            }
        };
        // Path-item parameters apply unless the operation names its own.
        let mut by_key: BTreeMap<(String, String), Value> = BTreeMap::new();
        let shared = item["parameters"].as_array().into_iter().flatten();
        let own = operation["parameters"].as_array().into_iter().flatten();
        let mut order = Vec::new();
        for parameter in shared.chain(own).map(resolve) {
            let key = (
                parameter["in"].as_str().unwrap_or_default().to_owned(),
                parameter["name"].as_str().unwrap_or_default().to_owned(),
            );
            if !by_key.contains_key(&key) {
                order.push(key.clone());
            }
            by_key.insert(key, parameter);
        }
        let parameters = order
            .into_iter()
            .filter_map(|key| {
                let parameter = by_key.remove(&key)?;
                let location = match key.0.as_str() {
                    "path" => Location::Path,
                    "query" => Location::Query,
                    // Headers and cookies: the simulator reads only `x-api-key`.
                    _ => return None,
                };
                Some(Parameter {
                    name: key.1,
                    location,
                    required: location == Location::Path
                        || parameter["required"].as_bool().unwrap_or(false),
                    schema: parameter
                        .get("schema")
                        .cloned()
                        .unwrap_or(Value::Bool(true)),
                })
            })
            .collect();
        let request_body = resolve(&operation["requestBody"]);
        let body = request_body["content"].as_object().and_then(|content| {
            let (kind, media) = if let Some(media) = content.get("application/json") {
                (BodyKind::Json, media)
            } else if let Some(media) = content
                .get("multipart/form-data")
                .or_else(|| content.get("application/x-www-form-urlencoded"))
            {
                (BodyKind::Form, media)
            } else {
                return None;
            };
            Some(Body {
                kind,
                required: request_body["required"].as_bool().unwrap_or(false),
                schema: media.get("schema").cloned().unwrap_or(Value::Bool(true)),
            })
        });
        let answer = operation["responses"]
            .as_object()
            .and_then(|responses| {
                responses
                    .iter()
                    .filter_map(|(code, response)| Some((code.parse::<u16>().ok()?, response)))
                    .filter(|(code, _)| (200..300).contains(code))
                    .min_by_key(|(code, _)| *code)
            })
            .map(|(status, response)| {
                let response = resolve(response);
                let content = response["content"].as_object().cloned().unwrap_or_default();
                Answer {
                    status,
                    json: content
                        .get("application/json")
                        .map(|media| media.get("schema").cloned().unwrap_or(Value::Bool(true))),
                    media: content
                        .keys()
                        .find(|media| *media != "application/json")
                        .cloned(),
                }
            })
            .unwrap_or(Answer {
                status: 200,
                ..Answer::default()
            });
        let task = operation.get("x-camb-task").and_then(|task| {
            let text = |name: &str| task.get(name).and_then(Value::as_str).map(normalize_key);
            Some(TaskFamily {
                name: text("name")?,
                status: text("status")?,
                result: text("result"),
                results: text("results"),
            })
        });
        Operation {
            method: method.to_uppercase(),
            template: template.to_owned(),
            segments,
            parameters,
            body,
            answer,
            task,
        }
    }
}

/// `METHOD /path` with the method upper-cased and single spaces.
fn normalize_key(key: &str) -> String {
    let mut words = key.split_whitespace();
    match (words.next(), words.next()) {
        (Some(method), Some(path)) => format!("{} {path}", method.to_uppercase()),
        _ => key.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A small spec with one task family, as a spec writer would add it.
    pub(crate) fn scratch() -> Spec {
        Spec::new(json!({
            "openapi": "3.1.0",
            "paths": {
                "/echo": {"post": {
                    "x-camb-task": {"name": "echo", "status": "get /echo/{task_id}",
                                     "result": "GET /echo-result/{run_id}", "results": "POST /echo-results"},
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/EchoRequest"}}}},
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaskIdResponse"}}}}}
                }},
                "/echo/{task_id}": {"get": {
                    "parameters": [{"name": "task_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}}
                }},
                "/echo/probe": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}
            },
            "components": {"schemas": {
                "EchoRequest": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
                "TaskIdResponse": {"type": "object", "properties": {"task_id": {"type": "string"}}},
                "Status": {"type": "object", "properties": {"status": {"type": "string"}}}
            }}
        }))
    }

    #[test]
    fn operations_paths_and_families_are_read_from_the_document() {
        let spec = scratch();
        assert_eq!(spec.operations.len(), 3);
        let (create, family) = spec.families().next().expect("a family");
        assert_eq!(create.key(), "POST /echo");
        assert_eq!(family.status, "GET /echo/{task_id}");
        assert!(spec.operation(&family.status).is_some());
        let body = create.body.as_ref().expect("a body");
        assert_eq!((body.kind, body.required), (BodyKind::Json, true));
        match spec.find("GET", "/echo/a%20b") {
            Matched::Operation(operation, parameters) => {
                assert_eq!(operation.template, "/echo/{task_id}");
                assert_eq!(parameters, [("task_id".to_owned(), "a b".to_owned())]);
            }
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(spec.find("GET", "/echo/probe"), Matched::Operation(op, _) if op.template == "/echo/probe")
        );
        assert!(
            matches!(spec.find("GET", "/echo"), Matched::WrongMethod(allow) if allow == "POST")
        );
        assert!(matches!(spec.find("GET", "/nothing"), Matched::NotFound));
        assert!(matches!(spec.find("GET", "/echo/"), Matched::NotFound));
    }

    #[test]
    fn the_workspace_spec_is_read() {
        let spec = spec();
        assert!(spec.operations.len() >= 25, "{}", spec.operations.len());
        assert!(spec.operation("POST /dub").is_some());
    }
}
