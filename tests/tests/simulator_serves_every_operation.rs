//! The simulator simulates every operation of
//! `spec/generated/openapi-3.1.json`, from the spec alone where no
//! hand-written route serves it:
//!
//! - every task family the spec declares (`x-camb-task` on its create) runs
//!   create -> status until `SUCCESS` -> result and batch result over HTTP,
//!   each answer valid under the operation's documented schema;
//! - every operation, given a request valid under its schemas (bodies
//!   generated from them, ids the simulator handed out), answers a status
//!   the spec documents with a body valid under that status's schema.

use std::collections::BTreeMap;

use camb_simulator::Simulator;
use camb_tests::clients::http_client;
use camb_tests::schema_strategy::{Generator, validator};
use camb_tests::spec::document;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::{Value, json};

/// One operation of the spec.
struct Operation {
    method: String,
    path: String,
    spec: Value,
}

impl Operation {
    fn key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn operations() -> Vec<Operation> {
    let mut found = Vec::new();
    for (path, item) in document()["paths"].as_object().expect("paths") {
        for (method, spec) in item.as_object().expect("a path item") {
            if spec.get("responses").is_none() {
                continue;
            }
            found.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                spec: spec.clone(),
            });
        }
    }
    found
}

fn operation(key: &str) -> Operation {
    operations()
        .into_iter()
        .find(|operation| operation.key() == key)
        .unwrap_or_else(|| panic!("the spec has no operation {key}"))
}

/// `schema` with its `$ref` followed.
fn resolve(schema: &Value) -> &Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => document()
            .pointer(reference.trim_start_matches('#'))
            .map_or(schema, resolve),
        None => schema,
    }
}

/// A value valid under `schema` (the first the deterministic runner draws).
fn valid(schema: &Value) -> Value {
    let strategy = Generator::new(document())
        .strategy(schema)
        .unwrap_or_else(|e| panic!("cannot generate from {schema}: {e}"));
    let mut runner = TestRunner::deterministic();
    strategy.new_tree(&mut runner).expect("a value").current().0
}

/// The ids the simulator handed out, by field name (`task_id`, `run_id`).
#[derive(Default)]
struct Ids(BTreeMap<String, Vec<String>>);

impl Ids {
    fn note(&mut self, answer: &Value) {
        let objects: Vec<&Value> = match answer {
            Value::Array(items) => items.iter().collect(),
            Value::Object(map) => std::iter::once(answer).chain(map.values()).collect(),
            _ => Vec::new(),
        };
        for object in objects.into_iter().filter_map(Value::as_object) {
            for (name, value) in object {
                let id = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    _ => continue,
                };
                if name.ends_with("_id") && !self.0.get(name).is_some_and(|ids| ids.contains(&id)) {
                    self.0.entry(name.clone()).or_default().push(id);
                }
            }
        }
    }

    /// The latest id handed out as `name` that `schema` allows, else the
    /// latest of any name it allows.
    fn get(&self, name: &str, schema: &Value) -> Option<String> {
        let validator = validator(document(), schema).expect("the schema compiles");
        let fits = |id: &&String| {
            validator.is_valid(&Value::String((*id).clone()))
                || id
                    .parse::<i64>()
                    .is_ok_and(|n| validator.is_valid(&json!(n)))
        };
        let named = self.0.get(name).into_iter().flatten().rev().find(fits);
        let any = || self.0.values().flatten().rev().find(fits);
        named.or_else(any).cloned()
    }
}

/// The answer to a request: status, content type, body (JSON or `Null`).
struct Answer {
    status: u16,
    content_type: String,
    body: Value,
}

/// Sends `operation` with its path parameters filled in (`ids` first, else
/// a value valid under the parameter's schema), its required query
/// parameters, and `body` (as JSON, or as a form with file parts).
async fn send(
    http: &reqwest::Client,
    base: &str,
    operation: &Operation,
    ids: &Ids,
    body: Option<&Value>,
) -> Answer {
    let mut path = operation.path.clone();
    let mut query = Vec::new();
    for parameter in operation.spec["parameters"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = parameter["name"].as_str().expect("a name");
        let text = |value: Value| match value {
            Value::String(text) => text,
            other => other.to_string(),
        };
        match parameter["in"].as_str() {
            Some("path") => {
                let value = ids
                    .get(name, &parameter["schema"])
                    .unwrap_or_else(|| text(valid(&parameter["schema"])));
                let encoded = percent_encoding::utf8_percent_encode(
                    &value,
                    percent_encoding::NON_ALPHANUMERIC,
                );
                path = path.replace(&format!("{{{name}}}"), &encoded.to_string());
            }
            Some("query") if parameter["required"] == true => {
                query.push((name.to_owned(), text(valid(&parameter["schema"]))));
            }
            _ => {}
        }
    }
    let method: reqwest::Method = operation.method.parse().expect("a method");
    let mut request = http.request(method, format!("{base}{path}")).query(&query);
    let content = &operation.spec["requestBody"]["content"];
    if let Some(body) = body {
        if content.get("multipart/form-data").is_some() {
            let mut form = reqwest::multipart::Form::new();
            for (name, value) in body.as_object().into_iter().flatten() {
                let items = match value {
                    Value::Array(items) => items.clone(),
                    other => vec![other.clone()],
                };
                for item in items {
                    let schema = &content["multipart/form-data"]["schema"];
                    let property = &resolve(schema)["properties"][name];
                    if property.to_string().contains("octet-stream")
                        || property.to_string().contains("binary")
                    {
                        let part = reqwest::multipart::Part::bytes(b"RIFF....".to_vec())
                            .file_name("upload.wav");
                        form = form.part(name.clone(), part);
                    } else if !item.is_null() {
                        let text = match item {
                            Value::String(text) => text,
                            other => other.to_string(),
                        };
                        form = form.text(name.clone(), text);
                    }
                }
            }
            request = request.multipart(form);
        } else {
            request = request.json(body);
        }
    }
    let response = request.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = response.bytes().await.expect("a body");
    let body = if content_type.contains("json") {
        serde_json::from_slice(&bytes).expect("JSON as announced")
    } else {
        assert!(
            !bytes.is_empty(),
            "{}: an empty {content_type} body",
            operation.key()
        );
        Value::Null
    };
    Answer {
        status,
        content_type,
        body,
    }
}

/// Asserts that `answer` is documented for `operation`, its body valid.
fn assert_documented(operation: &Operation, answer: &Answer) {
    let key = operation.key();
    let response = operation.spec["responses"]
        .get(answer.status.to_string())
        .unwrap_or_else(|| {
            panic!(
                "{key} answered {} (undocumented): {}",
                answer.status, answer.body
            )
        });
    let content = &response["content"];
    if answer.content_type.contains("json") {
        let schema = &content["application/json"]["schema"];
        assert!(
            !schema.is_null(),
            "{key} {}: JSON is not documented",
            answer.status
        );
        let validator = validator(document(), schema).expect("the schema compiles");
        let errors: Vec<String> = validator
            .iter_errors(&answer.body)
            .map(|error| format!("{} at {}", error, error.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{key} {}: {errors:?} in {}",
            answer.status,
            answer.body
        );
    } else {
        let media = answer.content_type.split(';').next().unwrap_or_default();
        assert!(
            content.get(media).is_some(),
            "{key} {}: {media} is not documented",
            answer.status
        );
    }
}

/// A body valid under the operation's request schema, if it takes one (a
/// form's file fields as text, sent as files by [`send`]).
fn valid_body(operation: &Operation) -> Option<Value> {
    let content = operation.spec["requestBody"]["content"].as_object()?;
    let schema = content.values().next()?.get("schema")?;
    let mut body = valid(&required_only(&without_files(schema)));
    // A rule the schema cannot state: a transcription names its medium by
    // exactly one of `media_url` and `media_file`, both optional.
    let properties = &resolve(schema)["properties"];
    if properties.get("media_url").is_some() && properties.get("media_file").is_some() {
        body["media_url"] = json!("https://example.com/talk.mp4");
    }
    // Another: a dub needs a source to fetch and languages to dub from and
    // into, or its task fails (camb-simulator's crate docs, "What `POST /dub`
    // refuses, and what it fails").
    if properties.get("video_url").is_some() && properties.get("target_languages").is_some() {
        body["video_url"] = json!("https://example.com/talk.mp4");
        body["source_language"] = json!(1);
        body["target_languages"] = json!([76]);
    }
    Some(body)
}

/// An object `schema` with its required properties only: an optional field
/// may name state the simulator does not hold (a dub's dictionaries).
fn required_only(schema: &Value) -> Value {
    let mut schema = resolve(schema).clone();
    let required: Vec<Value> = schema["required"].as_array().cloned().unwrap_or_default();
    if let Some(properties) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|name, _| required.iter().any(|r| r == name.as_str()));
    }
    schema
}

/// `schema` with every string of bytes (`contentMediaType`) a plain string.
fn without_files(schema: &Value) -> Value {
    match resolve(schema) {
        Value::Object(object) if object.contains_key("contentMediaType") => {
            json!({"type": "string"})
        }
        Value::Object(object) => Value::Object(
            object
                .iter()
                .map(|(key, value)| {
                    let value = match key.as_str() {
                        "properties" => Value::Object(
                            value
                                .as_object()
                                .into_iter()
                                .flatten()
                                .map(|(name, property)| (name.clone(), without_files(property)))
                                .collect(),
                        ),
                        "items" | "additionalProperties" => without_files(value),
                        "anyOf" | "oneOf" | "allOf" => Value::Array(
                            value
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(without_files)
                                .collect(),
                        ),
                        _ => value.clone(),
                    };
                    (key.clone(), value)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The families of the spec: create operation and its `x-camb-task`.
fn families() -> Vec<(Operation, Value)> {
    let mut families: Vec<(Operation, Value)> = operations()
        .into_iter()
        .filter_map(|operation| {
            let task = operation.spec.get("x-camb-task")?.clone();
            Some((operation, task))
        })
        .collect();
    // Creates that name a run (a translated story of a story) go last.
    // Dubbing and transcription, served by the simulator's own routes (whose
    // ids the engine does not know), go first, so the latest task such a
    // create names is one the engine handed out.
    families.sort_by_key(|(operation, _)| {
        let own_routes = ["/dub", "/transcribe"].contains(&operation.path.as_str());
        (operation.path.contains('{'), !own_routes)
    });
    families
}

/// Runs one family's task to its result; answers its run id.
async fn run_family(
    http: &reqwest::Client,
    base: &str,
    ids: &mut Ids,
    create: &Operation,
    task: &Value,
) -> Value {
    let name = task["name"].as_str().expect("a family name");
    let answer = send(http, base, create, ids, valid_body(create).as_ref()).await;
    assert_eq!(answer.status, 200, "{name}: create: {}", answer.body);
    assert_documented(create, &answer);
    let task_id = answer.body["task_id"].clone();
    assert!(task_id.is_string(), "{name}: {}", answer.body);
    ids.note(&answer.body);

    let status = operation(task["status"].as_str().expect("a status operation"));
    let mut run_id = Value::Null;
    for _ in 0..10 {
        let answer = send(http, base, &status, ids, None).await;
        assert_eq!(answer.status, 200, "{name}: status: {}", answer.body);
        assert_documented(&status, &answer);
        let finished = match &answer.body {
            Value::Array(runs) => runs.first().map(|run| &run["run_id"]),
            other if other["status"] == "SUCCESS" => Some(&other["run_id"]),
            other => {
                assert_eq!(other["status"], "PENDING", "{name}");
                None
            }
        };
        if let Some(found) = finished {
            run_id = found.clone();
            ids.note(&answer.body);
            break;
        }
    }
    assert!(run_id.is_number(), "{name}: no run after 10 polls");

    if let Some(result) = task["result"].as_str() {
        let result = operation(result);
        let answer = send(http, base, &result, ids, None).await;
        assert_eq!(answer.status, 200, "{name}: result: {}", answer.body);
        assert_documented(&result, &answer);
    }
    if let Some(results) = task["results"].as_str() {
        let results = operation(results);
        let answer = send(
            http,
            base,
            &results,
            ids,
            Some(&json!({"run_ids": [run_id, 1]})),
        )
        .await;
        assert_eq!(answer.status, 200, "{name}: results: {}", answer.body);
        assert_documented(&results, &answer);
        let found = match &answer.body {
            Value::Array(items) => items.len(),
            Value::Object(map) => map.len(),
            _ => 0,
        };
        assert_eq!(found, 1, "{name}: results: {}", answer.body);
    }
    run_id
}

/// Runs every family of the spec against the simulator at `base`.
async fn run_every_family(base: &str, api_key: &str) -> Vec<String> {
    let http = http_client(api_key);
    let mut ids = Ids::default();
    let mut names = Vec::new();
    for (create, task) in &families() {
        run_family(&http, base, &mut ids, create, task).await;
        names.extend(task["name"].as_str().map(str::to_owned));
    }
    names
}

#[tokio::test]
async fn every_task_family_of_the_spec_runs_create_wait_result() {
    let sim = Simulator::builder().start().await;
    let names = run_every_family(&sim.base_url(), &sim.api_key()).await;
    println!("families run: {names:?}");
}

// The standalone server (`SimulatorBuilder::serve`, what the binary runs).
#[tokio::test]
async fn every_task_family_runs_against_the_standalone_server() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server =
        tokio::spawn(
            Simulator::builder().serve(listener, std::time::Duration::ZERO, async {
                let _ = stopped.await;
            }),
        );
    let names = run_every_family(&base, camb_simulator::DEFAULT_API_KEY).await;
    assert_eq!(names.len(), families().len());
    let _ = stop.send(());
    server
        .await
        .expect("the server task ends")
        .expect("the server ends cleanly");
}

#[tokio::test]
async fn every_operation_answers_a_documented_status_with_a_valid_body() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();
    let mut ids = Ids::default();
    for (create, task) in &families() {
        run_family(&http, &base, &mut ids, create, task).await;
    }
    // Operations without path parameters first: they hand out ids.
    let mut all = operations();
    all.sort_by_key(|operation| operation.path.contains('{'));
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    for operation in &all {
        let answer = send(
            &http,
            &base,
            operation,
            &ids,
            valid_body(operation).as_ref(),
        )
        .await;
        assert_documented(operation, &answer);
        ids.note(&answer.body);
        *statuses.entry(answer.status).or_default() += 1;
    }
    // Which statuses came back (hand-written routes keep their own rules:
    // a generated body may name a dictionary no one made).
    println!("{} operations: {statuses:?}", all.len());
}
