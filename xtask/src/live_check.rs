//! `cargo xtask live-check`: asks a CAMB.AI server (the real one, given a
//! key) the read-only questions of the dubbing API and validates every
//! answer against `spec/generated/openapi-3.1.json`, so that a maintainer
//! learns where the spec (our overlay, or the upstream pages) is wrong.
//!
//! Each mismatch is printed with the JSON pointer of the offending value in
//! the body and the pointer of the schema keyword it breaks in the spec file.
//! An operation or a status the spec does not document is a finding too.
//! Never run in CI: it needs a key and talks to the network.

use std::fmt;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use crate::pointer::Pointer;

// `DEFAULT_BASE_URL` and `ApiKey` mirror camb-api-ext's on purpose; xtask
// does not depend on camb-api-ext because:
// - camb-api-ext builds camb-api, whose build script generates the client from
//   the committed spec: with a broken spec, `cargo xtask regen` (the command
//   that repairs it) would no longer compile;
// - camb-api-ext's `ApiKey` never hands its text out (not even to its own
//   users), and live-check sends it with ureq, not through a `Camb`;
// - it would add reqwest and a TLS stack to xtask's build, which ureq covers.
// `tests::the_defaults_match_the_client` ties the base URL to the client's.

/// Where the API lives unless `CAMB_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://client.camb.ai/apis";

/// How long one request may take, all told.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Where the spec lists the transcript formats: each is asked for, one
/// request each (the spec is the one list of them).
const TRANSCRIPT_FORMATS: &str = "/components/schemas/TranscriptFileFormat/enum";

/// How much of an unexpected body is printed.
const EXCERPT_CHARS: usize = 160;

const USAGE: &str = "\
usage: CAMB_API_KEY=... cargo xtask live-check [--task-id ID] [--run-id N] [--language N]

  Calls only read-only endpoints of the API at CAMB_BASE_URL (default
  https://client.camb.ai/apis) and validates every answer against
  spec/generated/openapi-3.1.json; prints each mismatch with its JSON pointer.

  (always)       GET /source-languages, GET /target-languages
  --task-id ID   GET /dub/{task_id}
  --run-id N     GET /dub-result/{run_id}
  --language N   with --run-id: GET /transcript/{run_id}/{language} as srt, vtt, txt

  Exit codes: 0 every answer matches the spec, 1 findings, 2 error.";

/// The API key: sent as `x-api-key`, never printed.
pub struct ApiKey(String);

impl ApiKey {
    /// A key; surrounding whitespace is dropped, an empty key refused.
    pub fn new(key: &str) -> Result<Self> {
        let key = key.trim();
        if key.is_empty() {
            bail!("CAMB_API_KEY is empty");
        }
        Ok(ApiKey(key.to_owned()))
    }

    /// `text` with every occurrence of the key replaced.
    fn redact(&self, text: &str) -> String {
        text.replace(&self.0, "<api key>")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiKey(<redacted>)")
    }
}

/// What to ask: the ids given on the command line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The API's base URL, without a trailing `/`.
    pub base_url: String,
    /// A dubbing task to ask the status of.
    pub task_id: Option<String>,
    /// A finished run to ask the result (and transcripts) of.
    pub run_id: Option<u64>,
    /// The language id of the transcripts to fetch (needs `run_id`).
    pub language: Option<u32>,
}

impl Options {
    /// Parses the arguments after `live-check`; `None` asks for the usage.
    pub fn parse(args: &[String], base_url: Option<String>) -> Result<Option<Self>> {
        let mut options = Options {
            base_url: base_url
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned())
                .trim_end_matches('/')
                .to_owned(),
            ..Options::default()
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| {
                args.next()
                    .with_context(|| format!("{name} needs a value"))
                    .cloned()
            };
            match arg.as_str() {
                "--task-id" => options.task_id = Some(path_segment(&value("--task-id")?)?),
                "--run-id" => {
                    options.run_id = Some(value("--run-id")?.parse().context("--run-id")?);
                }
                "--language" => {
                    options.language = Some(value("--language")?.parse().context("--language")?);
                }
                "--help" | "-h" => return Ok(None),
                other => bail!("unknown option {other:?}"),
            }
        }
        if options.language.is_some() && options.run_id.is_none() {
            bail!("--language needs --run-id: transcripts belong to a run");
        }
        Ok(Some(options))
    }
}

/// One request: the operation (method and path template) and the concrete
/// path and query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Probe {
    /// The HTTP method, lower case as in the spec.
    pub method: &'static str,
    /// The spec's path template, e.g. `/dub/{task_id}`.
    pub template: &'static str,
    /// The path sent, ids filled in.
    pub path: String,
    /// The query sent, if any.
    pub query: Option<(&'static str, String)>,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.to_uppercase(), self.template)?;
        match &self.query {
            Some((name, value)) => write!(f, "?{name}={value}"),
            None => Ok(()),
        }
    }
}

/// The requests `options` call for, in order; the transcript formats come
/// from `spec`.
pub fn probes(spec: &Value, options: &Options) -> Vec<Probe> {
    let get = |template, path: String, query| Probe {
        method: "get",
        template,
        path,
        query,
    };
    let mut probes = vec![
        get("/source-languages", "/source-languages".into(), None),
        get("/target-languages", "/target-languages".into(), None),
    ];
    if let Some(task_id) = &options.task_id {
        probes.push(get("/dub/{task_id}", format!("/dub/{task_id}"), None));
    }
    if let Some(run_id) = options.run_id {
        probes.push(get(
            "/dub-result/{run_id}",
            format!("/dub-result/{run_id}"),
            None,
        ));
        if let Some(language) = options.language {
            let formats = spec
                .pointer(TRANSCRIPT_FORMATS)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            for format in formats {
                probes.push(get(
                    "/transcript/{run_id}/{language}",
                    format!("/transcript/{run_id}/{language}"),
                    Some(("format_type", format.to_owned())),
                ));
            }
        }
    }
    probes
}

/// What the server answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// One place where a body breaks its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// JSON pointer to the value in the body (empty: the whole body).
    pub instance_path: String,
    /// JSON pointer to the schema keyword in the spec file.
    pub schema_path: String,
    /// What is wrong, in the validator's words.
    pub message: String,
}

/// The verdict on one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The body is valid under the documented schema.
    Matches,
    /// The body breaks the documented schema.
    Mismatches(Vec<Mismatch>),
    /// The spec has no such operation.
    NotInSpec,
    /// The spec documents other statuses for this operation.
    UndocumentedStatus {
        /// The statuses it documents.
        documented: Vec<String>,
        /// The start of the body.
        excerpt: String,
    },
    /// The spec documents a JSON body, the server sent something else.
    NotJson {
        /// Why it did not parse.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The spec documents no JSON schema for this answer, so the body was
    /// not validated.
    NotValidated {
        /// The media types the spec documents, if any.
        media_types: Vec<String>,
    },
    /// The answer could not be checked: the request failed (connection,
    /// TLS, timeout) or the spec's schema does not compile.
    Failed(String),
}

impl Verdict {
    /// Whether this says the spec and the server disagree.
    pub fn is_finding(&self) -> bool {
        matches!(
            self,
            Verdict::Mismatches(_)
                | Verdict::NotInSpec
                | Verdict::UndocumentedStatus { .. }
                | Verdict::NotJson { .. }
        )
    }
}

/// Judges `answer` to `probe` against the OpenAPI 3.1 document `spec`.
pub fn judge(spec: &Value, probe: &Probe, answer: &Answer) -> Verdict {
    let operation = Pointer::root()
        .push("paths")
        .push(probe.template)
        .push(probe.method);
    let Some(documented) = spec
        .pointer(operation.as_str())
        .and_then(|operation| operation.get("responses"))
        .and_then(Value::as_object)
    else {
        return Verdict::NotInSpec;
    };
    let status = answer.status.to_string();
    let range = format!("{}XX", &status[..1]);
    let Some(response_key) = [status.as_str(), &range, "default"]
        .into_iter()
        .find(|key| documented.contains_key(*key))
    else {
        return Verdict::UndocumentedStatus {
            documented: documented.keys().cloned().collect(),
            excerpt: excerpt(&answer.body),
        };
    };
    let mut response = operation.push("responses").push(response_key);
    // A Reference Object stands for the response it names.
    if let Some(target) = spec
        .pointer(response.as_str())
        .and_then(|documented| documented.get("$ref"))
        .and_then(Value::as_str)
        .and_then(Pointer::from_local_ref)
    {
        response = target;
    }
    let content = spec
        .pointer(response.push("content").as_str())
        .and_then(Value::as_object);
    let schema = response
        .push("content")
        .push("application/json")
        .push("schema");
    if spec.pointer(schema.as_str()).is_none() {
        return Verdict::NotValidated {
            media_types: content
                .map(|c| c.keys().cloned().collect())
                .unwrap_or_default(),
        };
    }
    let body: Value = match serde_json::from_slice(&answer.body) {
        Ok(body) => body,
        Err(e) => {
            return Verdict::NotJson {
                reason: e.to_string(),
                excerpt: excerpt(&answer.body),
            };
        }
    };
    match mismatches(spec, &schema, &body) {
        Ok(found) if found.is_empty() => Verdict::Matches,
        Ok(found) => Verdict::Mismatches(found),
        Err(e) => Verdict::Failed(format!("the spec's schema does not compile: {e:#}")),
    }
}

/// The violations of `body` against the schema at `schema` in `spec`.
///
/// The validator's root is the whole spec, so `$ref`s resolve as in the
/// spec and every schema path is a pointer into the spec file.
pub fn mismatches(spec: &Value, schema: &Pointer, body: &Value) -> Result<Vec<Mismatch>> {
    let mut root = spec.clone();
    let Some(object) = root.as_object_mut() else {
        bail!("the spec is not a JSON object");
    };
    object.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    object.insert(
        "$ref".into(),
        json!(format!("#{}", fragment(schema.as_str()))),
    );
    let validator = jsonschema::draft202012::new(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut found = Vec::new();
    for error in validator.iter_errors(body) {
        collect(&error, "", &mut found);
    }
    Ok(found)
}

/// `error`, and for an `anyOf`/`oneOf` that no branch accepts, why each
/// branch refused (the cause is usually deeper than the `anyOf`).
fn collect(error: &jsonschema::ValidationError<'_>, within: &str, into: &mut Vec<Mismatch>) {
    into.push(Mismatch {
        instance_path: error.instance_path().to_string(),
        schema_path: format!("#{}", error.schema_path()),
        message: format!("{within}{error}"),
    });
    let (keyword, branches) = match error.kind() {
        jsonschema::error::ValidationErrorKind::AnyOf { context } => ("anyOf", context),
        jsonschema::error::ValidationErrorKind::OneOfNotValid { context } => ("oneOf", context),
        _ => return,
    };
    for (i, errors) in branches.iter().enumerate() {
        for error in errors {
            collect(error, &format!("{within}({keyword} branch {i}) "), into);
        }
    }
}

/// Every probe and its verdict.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// In the order asked.
    pub checks: Vec<(Probe, Option<u16>, Verdict)>,
}

impl Report {
    /// The probes whose verdict is a finding.
    pub fn findings(&self) -> impl Iterator<Item = &(Probe, Option<u16>, Verdict)> {
        self.checks
            .iter()
            .filter(|(_, _, verdict)| verdict.is_finding())
    }

    /// 0 when the server and the spec agree, 1 on findings, 2 when a
    /// request failed.
    pub fn exit_code(&self) -> u8 {
        if self.findings().next().is_some() {
            1
        } else if self
            .checks
            .iter()
            .any(|(_, _, verdict)| matches!(verdict, Verdict::Failed(_)))
        {
            2
        } else {
            0
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (probe, status, verdict) in &self.checks {
            let status = status.map(|s| format!(" -> {s}")).unwrap_or_default();
            write!(f, "{probe}{status}: ")?;
            match verdict {
                Verdict::Matches => writeln!(f, "matches the spec")?,
                Verdict::Mismatches(found) => {
                    writeln!(f, "{} mismatch(es) with the spec", found.len())?;
                    for mismatch in found {
                        let at = match mismatch.instance_path.as_str() {
                            "" => "(whole body)",
                            path => path,
                        };
                        writeln!(f, "    at {at}: {}", mismatch.message)?;
                        writeln!(f, "      schema: {}", mismatch.schema_path)?;
                    }
                }
                Verdict::NotInSpec => writeln!(f, "operation not in the spec")?,
                Verdict::UndocumentedStatus {
                    documented,
                    excerpt,
                } => writeln!(
                    f,
                    "status not documented (the spec documents {}); body: {excerpt}",
                    documented.join(", ")
                )?,
                Verdict::NotJson { reason, excerpt } => {
                    writeln!(
                        f,
                        "the spec documents JSON, the body is not ({reason}): {excerpt}"
                    )?;
                }
                Verdict::NotValidated { media_types } => writeln!(
                    f,
                    "not validated: the spec documents no JSON schema here (media types: {})",
                    if media_types.is_empty() {
                        "none".to_owned()
                    } else {
                        media_types.join(", ")
                    }
                )?,
                Verdict::Failed(reason) => writeln!(f, "not checked: {reason}")?,
            }
        }
        let count =
            |wanted: fn(&Verdict) -> bool| self.checks.iter().filter(|(_, _, v)| wanted(v)).count();
        writeln!(
            f,
            "{} request(s): {} match the spec, {} disagree with it, {} not checked",
            self.checks.len(),
            count(|v| matches!(v, Verdict::Matches | Verdict::NotValidated { .. })),
            count(Verdict::is_finding),
            count(|v| matches!(v, Verdict::Failed(_))),
        )
    }
}

/// Asks every probe of `options` and judges the answers against `spec`.
pub fn run(spec: &Value, options: &Options, key: &ApiKey) -> Report {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        // The key must not follow a redirect to another host.
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let mut report = Report::default();
    for probe in probes(spec, options) {
        let (status, verdict) = match ask(&agent, options, key, &probe) {
            Ok(answer) => (Some(answer.status), judge(spec, &probe, &answer)),
            Err(e) => (None, Verdict::Failed(key.redact(&format!("{e:#}")))),
        };
        let verdict = redact(verdict, key);
        report.checks.push((probe, status, verdict));
    }
    report
}

fn ask(agent: &ureq::Agent, options: &Options, key: &ApiKey, probe: &Probe) -> Result<Answer> {
    let url = format!("{}{}", options.base_url, probe.path);
    let mut request = agent.get(&url).header("x-api-key", &key.0);
    if let Some((name, value)) = &probe.query {
        request = request.query(name, value);
    }
    let mut response = request.call().with_context(|| format!("GET {url}"))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_vec()
        .with_context(|| format!("reading the body of GET {url}"))?;
    Ok(Answer { status, body })
}

/// The verdict with the key scrubbed from every text copied from the server.
fn redact(verdict: Verdict, key: &ApiKey) -> Verdict {
    match verdict {
        Verdict::Mismatches(found) => Verdict::Mismatches(
            found
                .into_iter()
                .map(|m| Mismatch {
                    message: key.redact(&m.message),
                    ..m
                })
                .collect(),
        ),
        Verdict::UndocumentedStatus {
            documented,
            excerpt,
        } => Verdict::UndocumentedStatus {
            documented,
            excerpt: key.redact(&excerpt),
        },
        Verdict::NotJson { reason, excerpt } => Verdict::NotJson {
            reason,
            excerpt: key.redact(&excerpt),
        },
        other => other,
    }
}

/// `cargo xtask live-check ARGS`: reads `CAMB_API_KEY`, `CAMB_BASE_URL` and
/// the spec, runs the probes and prints the report.
pub fn command(args: &[String], spec_file: &std::path::Path) -> ExitCode {
    let setup = || -> Result<Option<(Options, ApiKey, Value)>> {
        let Some(options) = Options::parse(args, std::env::var("CAMB_BASE_URL").ok())? else {
            return Ok(None);
        };
        let key = std::env::var("CAMB_API_KEY").context("CAMB_API_KEY is not set")?;
        let key = ApiKey::new(&key)?;
        let text = std::fs::read_to_string(spec_file)
            .with_context(|| format!("reading {}", spec_file.display()))?;
        let spec = serde_json::from_str(&text)
            .with_context(|| format!("{} is not JSON", spec_file.display()))?;
        Ok(Some((options, key, spec)))
    };
    match setup() {
        Ok(Some((options, key, spec))) => {
            println!(
                "live-check of {} against {}",
                options.base_url,
                spec_file.display()
            );
            let report = run(&spec, &options, &key);
            print!("{report}");
            ExitCode::from(report.exit_code())
        }
        Ok(None) => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}\n\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// A task id as one path segment: unreserved characters kept, the rest
/// percent-encoded; `.` and `..` refused (they would address another path).
fn path_segment(id: &str) -> Result<String> {
    if id.is_empty() || id == "." || id == ".." {
        bail!("{id:?} is not a task id");
    }
    Ok(id
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect())
}

/// A JSON pointer as a URI fragment: characters a fragment may not hold
/// (the `{` `}` of path templates) percent-encoded.
fn fragment(pointer: &str) -> String {
    pointer
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => char::from(b).to_string(),
            b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' => {
                char::from(b).to_string()
            }
            b'*' | b'+' | b',' | b';' | b'=' | b':' | b'@' => char::from(b).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut short: String = text.trim().chars().take(EXCERPT_CHARS).collect();
    if text.trim().chars().nth(EXCERPT_CHARS).is_some() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests;
