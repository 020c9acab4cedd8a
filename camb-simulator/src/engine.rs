//! The operations the simulator answers from the spec alone: one task
//! engine for every family `x-camb-task` declares, and a schema-driven
//! answer (see [`instance`](crate::instance)) for every other operation.
//!
//! For each request: the spec names its operation (`404`/`405` when none),
//! the key is checked (`401`), the request is validated against the
//! operation's schemas (`422`, see [`check`](crate::check)), then:
//!
//! - a family's **create** starts a task scripted by the simulator's
//!   [`TaskScript`](crate::TaskScript)s (a script for a URL matches any
//!   text field of the body) and answers its id in the create's answer
//!   schema;
//! - its **status** answers `PENDING` until the script says the task is done,
//!   then the script's outcome; a status answered as a list (project setup)
//!   is empty until the run exists, then lists it;
//! - its **result** (by run id, `404` for a run it did not finish) and its
//!   **batch result** (the finished runs among the body's ids) are built
//!   from their answer schemas, with the run's id filled in;
//! - any other operation answers a valid instance of its answer schema (a
//!   few bytes for a binary answer). A path parameter named `*_id` must name
//!   an id the simulator handed out before (in any answer), else `404`.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::Outcome;
use crate::check::{self, Checked, RawRequest};
use crate::instance::instance;
use crate::openapi::{Matched, Operation, Spec, TaskFamily};
use crate::reply::Reply;
use crate::state::{Scripts, Task};

/// Run ids of the engine's families start here (dubs and transcriptions
/// count from 1000), so that no two runs share an id.
const FIRST_RUN_ID: i64 = 500_000;

/// The engine's state: its tasks, runs and the ids it handed out.
#[derive(Debug)]
pub(crate) struct Engine {
    spec: &'static Spec,
    tasks: HashMap<String, FamilyTask>,
    /// Run id to task id, for runs that finished.
    runs: HashMap<i64, String>,
    runs_made: i64,
    /// Every id an answer carried, by field name (`stream_id`, `run_id`).
    issued: HashMap<String, HashSet<String>>,
}

/// A task of a family.
#[derive(Debug)]
pub(crate) struct FamilyTask {
    /// The family's name (`x-camb-task.name`).
    family: String,
    pub(crate) task: Task,
}

/// What an operation is to its family.
enum Role<'a> {
    Create(&'a TaskFamily),
    Status,
    Result,
    Results,
    Plain,
}

impl Engine {
    /// An engine for the operations of `spec`.
    pub(crate) fn new(spec: &'static Spec) -> Engine {
        Engine {
            spec,
            tasks: HashMap::new(),
            runs: HashMap::new(),
            runs_made: 0,
            issued: HashMap::new(),
        }
    }

    /// Answers a request for an operation of the spec; `None` when the spec
    /// has no such path.
    pub(crate) fn respond(
        &mut self,
        scripts: &mut Scripts,
        method: &str,
        path: &str,
        authorized: bool,
        raw: RawRequest,
    ) -> Option<Reply> {
        let spec = self.spec;
        let (operation, parameters) = match spec.find(method, path) {
            Matched::NotFound => return None,
            Matched::WrongMethod(allow) => return Some(Reply::method_not_allowed(&allow)),
            Matched::Operation(operation, parameters) => (operation, parameters),
        };
        if !authorized {
            return Some(Reply::detail(401, "Invalid API key"));
        }
        let raw = RawRequest {
            path: parameters,
            ..raw
        };
        let checked = match check::check(spec, &spec.schemas, operation, raw) {
            Ok(checked) => checked,
            Err(problems) => return Some(Reply::validation(problems)),
        };
        Some(match self.role(operation) {
            Role::Create(family) => self.create(scripts, operation, family, &checked),
            Role::Status => self.status(operation, &checked),
            Role::Result => self.result(operation, &checked),
            Role::Results => self.results(operation, &checked),
            Role::Plain => {
                let reply = self.plain(operation, &checked);
                // A deleted resource is gone: its id names nothing from now on.
                if operation.method == "DELETE" && reply.status() < 300 {
                    let last = checked
                        .path
                        .iter()
                        .rev()
                        .find(|(name, _)| name.ends_with("_id"));
                    if let Some((_, value)) = last {
                        let id = id_text(value);
                        for ids in self.issued.values_mut() {
                            ids.remove(&id);
                        }
                    }
                }
                reply
            }
        })
    }

    /// The task a status request names, if it is one of a family's (its
    /// faults apply to the request).
    pub(crate) fn status_task_mut(&mut self, method: &str, path: &str) -> Option<&mut Task> {
        let Matched::Operation(operation, parameters) = self.spec.find(method, path) else {
            return None;
        };
        let Role::Status = self.role(operation) else {
            return None;
        };
        let task_id = parameters.first().map(|(_, value)| value.clone())?;
        let key = operation.key();
        let spec = self.spec;
        self.tasks
            .get_mut(&task_id)
            .filter(|task| reports_at(spec, &task.family, &key))
            .map(|task| &mut task.task)
    }

    /// Every task, for counting their faults.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values().map(|task| &task.task)
    }

    /// The task with this id.
    pub(crate) fn task(&self, task_id: &str) -> Option<&Task> {
        self.tasks.get(task_id).map(|task| &task.task)
    }

    fn role(&self, operation: &'static Operation) -> Role<'static> {
        if let Some(family) = &operation.task {
            return Role::Create(family);
        }
        let key = operation.key();
        for (_, family) in self.spec.families() {
            if family.status == key {
                return Role::Status;
            }
            if family.result.as_deref() == Some(key.as_str()) {
                return Role::Result;
            }
            if family.results.as_deref() == Some(key.as_str()) {
                return Role::Results;
            }
        }
        Role::Plain
    }

    fn create(
        &mut self,
        scripts: &mut Scripts,
        operation: &Operation,
        family: &TaskFamily,
        checked: &Checked,
    ) -> Reply {
        if let Some(reply) = self.unknown_ids(checked) {
            return reply;
        }
        // A script given for a URL (or file name) picks the task it names.
        let texts: Vec<&str> = match &checked.body {
            Value::Object(fields) => fields.values().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let key = texts
            .iter()
            .copied()
            .chain(checked.files.iter().map(|(_, name)| name.as_str()))
            .find(|text| scripts.by_video_url.contains_key(*text))
            .unwrap_or_default();
        let script = scripts.take(key);
        let run_id = matches!(script.outcome, Outcome::Success(_)).then(|| {
            self.runs_made += 1;
            FIRST_RUN_ID + self.runs_made
        });
        let task_id = format!(
            "sim-{}-{}",
            family.name.replace('_', "-"),
            self.tasks.len() + 1
        );
        self.tasks.insert(
            task_id.clone(),
            FamilyTask {
                family: family.name.clone(),
                task: Task::new(script, run_id, Vec::new()),
            },
        );
        // An answer that may also be the work itself (a story) is given as
        // the task: the branch of the union that has a `task_id`.
        let mut answer = match &operation.answer.json {
            Some(schema) => instance(self.spec, branch_with(self.spec, schema, "task_id")),
            None => json!({}),
        };
        set_field(&mut answer, "task_id", json!(task_id));
        self.json(operation, answer)
    }

    fn status(&mut self, operation: &Operation, checked: &Checked) -> Reply {
        let task_id = first_path_value(operation, checked);
        let Some(found) = self
            .tasks
            .get_mut(&task_id)
            .filter(|task| reports_at(self.spec, &task.family, &operation.key()))
        else {
            return Reply::detail(404, "Task not found");
        };
        let task = &mut found.task;
        task.status_requests += 1;
        let schema = operation.answer.json.clone().unwrap_or(Value::Bool(true));
        let is_list = self
            .spec
            .resolve(&schema)
            .get("type")
            .and_then(Value::as_str)
            == Some("array");
        let reply = task.answer_status();
        let finished = task.finished;
        let run_id = task.run_id.filter(|_| finished);
        if let Some(run_id) = run_id {
            self.runs.insert(run_id, task_id.clone());
            self.issue("run_id", &run_id.to_string());
        }
        if !is_list {
            return reply;
        }
        // A status answered as a list: the runs made so far.
        let items = match run_id {
            Some(run_id) => {
                let mut list = instance(self.spec, &schema);
                if let Value::Array(items) = &mut list {
                    items.truncate(1);
                    for item in items.iter_mut() {
                        set_field(item, "run_id", json!(run_id));
                    }
                }
                list
            }
            None => json!([]),
        };
        Reply::json(operation.answer.status, &items)
    }

    fn result(&mut self, operation: &Operation, checked: &Checked) -> Reply {
        let Some(run_id) = self.finished_run(operation, &path_value(operation, checked, "run_id"))
        else {
            return Reply::detail(404, "Run not found");
        };
        if let Some(media) = binary_answer(operation, checked) {
            return Reply::bytes(operation.answer.status, media, media_bytes(media));
        }
        let mut answer = self.answer_value(operation);
        set_field(&mut answer, "run_id", json!(run_id));
        self.json(operation, answer)
    }

    fn results(&mut self, operation: &Operation, checked: &Checked) -> Reply {
        // Like the API: runs it has no result for are left out.
        let asked: Vec<String> = match &checked.body {
            Value::Object(fields) => fields
                .values()
                .filter_map(Value::as_array)
                .flatten()
                .map(id_text)
                .collect(),
            _ => Vec::new(),
        };
        let found: Vec<i64> = asked
            .iter()
            .filter_map(|run_id| self.finished_run(operation, run_id))
            .collect();
        let schema = operation.answer.json.clone().unwrap_or(Value::Bool(true));
        let resolved = self.spec.resolve(&schema).clone();
        let answer = if let Some(item) = resolved.get("items") {
            Value::Array(
                found
                    .iter()
                    .map(|run_id| {
                        let mut value = instance(self.spec, item);
                        set_field(&mut value, "run_id", json!(run_id));
                        value
                    })
                    .collect(),
            )
        } else {
            let item = resolved
                .get("additionalProperties")
                .cloned()
                .unwrap_or(Value::Bool(true));
            let mut map = Map::new();
            for run_id in found {
                let mut value = instance(self.spec, &item);
                set_field(&mut value, "run_id", json!(run_id));
                map.insert(run_id.to_string(), value);
            }
            Value::Object(map)
        };
        Reply::json(operation.answer.status, &answer)
    }

    fn plain(&mut self, operation: &Operation, checked: &Checked) -> Reply {
        if let Some(reply) = self.unknown_ids(checked) {
            return reply;
        }
        if let Some(media) = binary_answer(operation, checked) {
            return Reply::bytes(operation.answer.status, media, media_bytes(media));
        }
        let answer = self.answer_value(operation);
        self.json(operation, answer)
    }

    /// `404` when a path parameter named `*_id` names no id handed out
    /// (under any `*_id` name: a translated story's create names its story's
    /// run `task_id`, to share its status route's template).
    fn unknown_ids(&self, checked: &Checked) -> Option<Reply> {
        checked
            .path
            .iter()
            .filter(|(name, _)| name.ends_with("_id"))
            .find(|(_, value)| {
                let id = id_text(value);
                !self.issued.values().any(|ids| ids.contains(&id))
            })
            .map(|(name, _)| {
                Reply::detail(404, &format!("No such {}", name.trim_end_matches("_id")))
            })
    }

    /// A finished run, by its id as text, of a family whose result (or
    /// batch result) `operation` is: families may share one (`/tts-result`
    /// serves TTS and translated TTS).
    fn finished_run(&self, operation: &Operation, run_id: &str) -> Option<i64> {
        let run_id: i64 = run_id.parse().ok()?;
        let task_id = self.runs.get(&run_id)?;
        let task = self.tasks.get(task_id)?;
        let key = operation.key();
        let serves = self.spec.families().any(|(_, family)| {
            family.name == task.family
                && (family.result.as_deref() == Some(key.as_str())
                    || family.results.as_deref() == Some(key.as_str()))
        });
        (serves && task.task.finished).then_some(run_id)
    }

    /// A valid instance of the operation's JSON answer (`{}` without one).
    fn answer_value(&self, operation: &Operation) -> Value {
        match &operation.answer.json {
            Some(schema) => instance(self.spec, schema),
            None => json!({}),
        }
    }

    /// The JSON answer, after noting the ids it hands out.
    fn json(&mut self, operation: &Operation, answer: Value) -> Reply {
        if let Value::Object(fields) = &answer {
            for (name, value) in fields {
                if name.ends_with("_id") && (value.is_string() || value.is_number()) {
                    self.issue(name, &id_text(value));
                }
            }
        }
        Reply::json(operation.answer.status, &answer)
    }

    fn issue(&mut self, name: &str, id: &str) {
        self.issued
            .entry(name.to_owned())
            .or_default()
            .insert(id.to_owned());
    }
}

/// The media type to answer in, when not JSON: an operation whose answer
/// is only bytes answers bytes; one that answers either (`/tts-result`:
/// the audio, or JSON with its URL) answers JSON when the request asks for
/// JSON (`Accept: application/json` without the media type) or names a
/// query value about a URL (`output_type=file_url`).
fn binary_answer<'a>(operation: &'a Operation, checked: &Checked) -> Option<&'a str> {
    let media = operation.answer.media.as_deref()?;
    if operation.answer.json.is_none() {
        return Some(media);
    }
    let accept = checked.accept.as_deref().unwrap_or_default();
    let asks_json = accept.contains("application/json") && !accept.contains(media);
    let asks_url = checked
        .query
        .values()
        .any(|value| value.as_str().is_some_and(|text| text.contains("url")));
    (!asks_json && !asks_url).then_some(media)
}

/// The branch of a union schema whose object has property `name` (else
/// the schema itself).
fn branch_with<'a>(spec: &'a Spec, schema: &'a Value, name: &str) -> &'a Value {
    let resolved = spec.resolve(schema);
    let branches = resolved
        .get("anyOf")
        .or_else(|| resolved.get("oneOf"))
        .and_then(Value::as_array);
    branches
        .into_iter()
        .flatten()
        .find(|branch| spec.resolve(branch)["properties"].get(name).is_some())
        .unwrap_or(schema)
}

/// Whether tasks of `family` report their status at the operation `key`
/// (families may share one: `/story` and `/story-setup` at `/story/{task_id}`).
fn reports_at(spec: &Spec, family: &str, key: &str) -> bool {
    spec.families()
        .any(|(_, declared)| declared.name == family && declared.status == key)
}

/// An id as text (a number without quotes).
fn id_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The value of a path parameter (the first one when `name` is not there).
fn path_value(operation: &Operation, checked: &Checked, name: &str) -> String {
    checked
        .path
        .get(name)
        .map(id_text)
        .unwrap_or_else(|| first_path_value(operation, checked))
}

/// The first path parameter of the template.
fn first_path_value(operation: &Operation, checked: &Checked) -> String {
    operation
        .parameters
        .iter()
        .find(|parameter| parameter.location == crate::openapi::Location::Path)
        .and_then(|parameter| checked.path.get(&parameter.name))
        .map(id_text)
        .unwrap_or_default()
}

/// Sets `name` on an answer whose schema has that field (the instance has
/// it), or on an answer of any shape (`{}`); other answers stay as they are.
fn set_field(answer: &mut Value, name: &str, value: Value) {
    if let Value::Object(fields) = answer
        && (fields.is_empty() || fields.contains_key(name))
    {
        fields.insert(name.to_owned(), value);
    }
}

/// A few bytes of a binary answer: a short silent WAV for audio, text for
/// text.
pub(crate) fn media_bytes(media: &str) -> Vec<u8> {
    if media.starts_with("text/") {
        return b"Simulated text.\n".to_vec();
    }
    if !media.starts_with("audio/") {
        return b"simulated bytes".to_vec();
    }
    // 16-bit mono PCM at 8 kHz, 100 samples of silence.
    let samples = 100u32;
    let data = samples * 2;
    let mut wav = Vec::with_capacity(44 + data as usize);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes());
    wav.extend_from_slice(&8000u32.to_le_bytes());
    wav.extend_from_slice(&16000u32.to_le_bytes());
    wav.extend_from_slice(&2u16.to_le_bytes());
    wav.extend_from_slice(&16u16.to_le_bytes());
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data.to_le_bytes());
    wav.resize(44 + data as usize, 0);
    wav
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RawBody;
    use crate::{Outcome, TaskScript};
    use camb_api::ExceptionReason;

    /// A spec with one family that only the spec declares.
    fn scratch() -> &'static Spec {
        let ok =
            |schema: Value| json!({"200": {"content": {"application/json": {"schema": schema}}}});
        let reference = |name: &str| json!({"$ref": format!("#/components/schemas/{name}")});
        let document = json!({
            "openapi": "3.1.0",
            "paths": {
                "/echo": {"post": {
                    "x-camb-task": {"name": "echo", "status": "GET /echo/{task_id}",
                                     "result": "GET /echo-result/{run_id}", "results": "POST /echo-results"},
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference("EchoRequest")}}},
                    "responses": ok(reference("TaskIdResponse"))
                }},
                "/echo/{task_id}": {"get": {
                    "parameters": [{"name": "task_id", "in": "path", "required": true, "schema": {"type": "string"}}],
                    "responses": ok(reference("Status"))
                }},
                "/echo-result/{run_id}": {"get": {
                    "parameters": [{"name": "run_id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                    "responses": ok(reference("EchoResult"))
                }},
                "/echo-results": {"post": {
                    "requestBody": {"required": true, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["run_ids"],
                        "properties": {"run_ids": {"type": "array", "items": {"type": "integer"}}}}}}},
                    "responses": ok(json!({"type": "object", "additionalProperties": reference("EchoResult")}))
                }},
                "/echo-voices": {"get": {"responses": ok(json!({"type": "array", "items": reference("EchoResult")}))}}
            },
            "components": {"schemas": {
                "EchoRequest": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
                "TaskIdResponse": {"type": "object", "properties": {"task_id": {"type": "string"}}},
                "Status": {"type": "object", "properties": {"status": {"type": "string"}, "run_id": {"type": ["integer", "null"]}}},
                "EchoResult": {"type": "object", "required": ["text"], "properties": {
                    "text": {"type": "string"}, "audio_url": {"type": "string"}, "run_id": {"type": "integer"}}}
            }}
        });
        Box::leak(Box::new(Spec::new(document)))
    }

    fn call(
        engine: &mut Engine,
        scripts: &mut Scripts,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let raw = RawRequest {
            body: body.map_or(RawBody::Empty, |body| {
                RawBody::Json(body.to_string().into_bytes())
            }),
            ..RawRequest::default()
        };
        let reply = engine
            .respond(scripts, method, path, true, raw)
            .expect("an operation of the spec");
        let (status, _, body) = reply.into_parts();
        let body = body.full().unwrap_or_default();
        (status, serde_json::from_slice(body).unwrap_or(Value::Null))
    }

    #[test]
    fn a_family_declared_only_in_the_spec_runs_create_status_result() {
        let mut engine = Engine::new(scratch());
        let mut scripts = Scripts::default();
        let (status, created) = call(
            &mut engine,
            &mut scripts,
            "POST",
            "/echo",
            Some(json!({"text": "hi"})),
        );
        assert_eq!(status, 200, "{created}");
        let task_id = created["task_id"].as_str().expect("a task id").to_owned();
        for _ in 0..2 {
            let (_, status) = call(
                &mut engine,
                &mut scripts,
                "GET",
                &format!("/echo/{task_id}"),
                None,
            );
            assert_eq!(status["status"], "PENDING");
        }
        let (_, done) = call(
            &mut engine,
            &mut scripts,
            "GET",
            &format!("/echo/{task_id}"),
            None,
        );
        assert_eq!(done["status"], "SUCCESS");
        let run_id = done["run_id"].as_i64().expect("a run id");

        let (status, result) = call(
            &mut engine,
            &mut scripts,
            "GET",
            &format!("/echo-result/{run_id}"),
            None,
        );
        assert_eq!((status, result["run_id"].as_i64()), (200, Some(run_id)));
        assert!(result["text"].is_string());
        let (status, results) = call(
            &mut engine,
            &mut scripts,
            "POST",
            "/echo-results",
            Some(json!({"run_ids": [run_id, 1]})),
        );
        assert_eq!(status, 200);
        assert_eq!(results.as_object().map(|map| map.len()), Some(1));
        assert_eq!(results[run_id.to_string()]["run_id"], run_id);

        assert_eq!(
            call(&mut engine, &mut scripts, "GET", "/echo/nope", None).0,
            404
        );
        assert_eq!(
            call(&mut engine, &mut scripts, "GET", "/echo-result/7", None).0,
            404
        );
        let (status, problems) = call(
            &mut engine,
            &mut scripts,
            "POST",
            "/echo",
            Some(json!({"text": ""})),
        );
        assert_eq!(status, 422);
        assert_eq!(problems["detail"][0]["type"], "string_too_short");
        assert_eq!(
            call(&mut engine, &mut scripts, "GET", "/echo-voices", None).0,
            200
        );
        assert_eq!(
            call(&mut engine, &mut scripts, "DELETE", "/echo", None).0,
            405
        );
        let refused = engine.respond(
            &mut scripts,
            "GET",
            "/echo-voices",
            false,
            RawRequest::default(),
        );
        assert_eq!(refused.map(|reply| reply.into_parts().0), Some(401));
        assert!(
            engine
                .respond(&mut scripts, "GET", "/nothing", true, RawRequest::default())
                .is_none()
        );
    }

    #[test]
    fn a_scripted_failure_ends_a_family_task() {
        let mut engine = Engine::new(scratch());
        let mut scripts = Scripts::default();
        let failing = TaskScript::new(Outcome::error(ExceptionReason::SourceNotFound, "gone"))
            .pending_polls(0);
        scripts
            .by_video_url
            .insert("https://example.com/gone.wav".into(), failing);
        let (_, created) = call(
            &mut engine,
            &mut scripts,
            "POST",
            "/echo",
            Some(json!({"text": "https://example.com/gone.wav"})),
        );
        let task_id = created["task_id"].as_str().expect("a task id").to_owned();
        let (_, failed) = call(
            &mut engine,
            &mut scripts,
            "GET",
            &format!("/echo/{task_id}"),
            None,
        );
        assert_eq!(failed["status"], "ERROR");
        assert_eq!(failed["message"], "gone");
    }
}
