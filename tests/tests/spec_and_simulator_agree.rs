//! What `scripts/schemathesis.sh` (Schemathesis fuzzing the simulator with
//! the spec) found and what was fixed, kept in Rust so CI (no Python) keeps
//! it: every answer the simulator gives is documented for its operation,
//! and every route checks its path, query and body as FastAPI does, each
//! problem with the `loc`, `msg` and `type` Pydantic writes.

use camb_simulator::Simulator;
use camb_tests::clients::{http_client, loopback_http};
use serde_json::{Value, json};

/// Sends a request and returns status and JSON body.
async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

/// The operations of the spec: method, path template, documented statuses.
fn operations() -> Vec<(String, String, Vec<String>)> {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/generated/openapi-3.1.json"
    ));
    let spec: Value = serde_json::from_str(text).expect("the spec is JSON");
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            let statuses = responses.keys().cloned().collect();
            found.push((method.to_uppercase(), path.clone(), statuses));
        }
    }
    assert!(found.len() >= 25, "{} operations", found.len());
    found
}

/// `path` with each `{parameter}` replaced: ids no simulated account has,
/// a known language.
fn unknown_ids(path: &str) -> String {
    let mut filled = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').expect("a closed parameter") + start;
        filled.push_str(&rest[..start]);
        filled.push_str(if &rest[start..=end] == "{language}" {
            "76"
        } else {
            "424242"
        });
        rest = &rest[end + 1..];
    }
    filled.push_str(rest);
    filled
}

/// A body each operation with a JSON body accepts, so that an unknown id
/// is what the answer is about.
fn valid_body(method: &str, path: &str) -> Option<Value> {
    match (method, path) {
        ("POST", "/dub") => Some(json!({"video_url": "https://example.com/a.mp4",
            "source_language": 1, "target_languages": [76], "chosen_dictionaries": [424242]})),
        (
            "POST",
            "/dubbing-results"
            | "/transcription-results"
            | "/audio-separation-results"
            | "/stories-results"
            | "/sub-results"
            | "/project-setup-results",
        ) => Some(json!({"run_ids": [424242]})),
        // The story's run id is in the path; the language in the body.
        ("POST", "/translated-story/{task_id}") => Some(json!({"target_language": 76})),
        // Every field of a stream's change is optional.
        ("PATCH", "/stream/{stream_id}") => Some(json!({})),
        ("POST", "/dub-alt-format/{run_id}/{language}") => Some(json!({"output_format": "wav"})),
        ("POST", "/dictionaries/{dictionary_id}/add-term")
        | ("PUT", "/dictionaries/term/{dictionary_id}/{term_id}") => {
            Some(json!({"translations": [{"language": 1, "translation": "CAMB"}]}))
        }
        ("POST", "/folders/create") => Some(json!({"folder_name": "Talks"})),
        _ => None,
    }
}

// Schemathesis found 401s and 404s of the transcription, dictionary and
// folder routes (and the 404 of `POST /dub` for an unknown dictionary) that
// the spec did not document.
#[tokio::test]
async fn every_operation_documents_its_401_and_its_404_for_unknown_ids() {
    let sim = Simulator::builder().start().await;
    let base = sim.base_url();
    let anonymous = loopback_http().build().expect("a client");
    let authorized = http_client(&sim.api_key());
    for (method, path, documented) in operations() {
        let url = format!("{base}{}", unknown_ids(&path));
        let verb: reqwest::Method = method.parse().expect("an HTTP method");
        let (status, _) = call(anonymous.request(verb.clone(), &url)).await;
        assert_eq!(status, 401, "{method} {path}");
        assert!(
            documented.contains(&"401".to_owned()),
            "{method} {path}: {documented:?}"
        );

        let mut request = authorized.request(verb, &url);
        if let Some(body) = valid_body(&method, &path) {
            request = request.json(&body);
        }
        let (status, body) = call(request).await;
        // Every id in a path is unknown, and so is the chosen dictionary.
        if path.contains('{') || path == "/dub" {
            assert_eq!(status, 404, "{method} {path}: {body}");
        }
        assert!(
            documented.contains(&status.to_string()),
            "{method} {path} answered {status}, documented {documented:?}: {body}"
        );
    }
}

// Schemathesis found `run_id=AAA` accepted by the dictionary and folder
// routes, and their older one-problem 422s.
#[tokio::test]
async fn dictionary_and_folder_routes_check_path_query_and_body_at_once() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();
    let int_parsing = "Input should be a valid integer, unable to parse string as an integer";
    let parsing = |loc: Value, input: &str| json!({"type": "int_parsing", "loc": loc, "msg": int_parsing, "input": input});

    for path in ["/dictionaries?run_id=AAA", "/folders?run_id=AAA"] {
        let (status, body) = call(http.get(format!("{base}{path}"))).await;
        assert_eq!(status, 422, "{path}");
        assert_eq!(
            body["detail"],
            json!([parsing(json!(["query", "run_id"]), "AAA")])
        );
    }
    let (status, body) = call(http.get(format!(
        "{base}/dictionaries/x/full-details?limit=ten&run_id=1.5"
    )))
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([
            parsing(json!(["path", "dictionary_id"]), "x"),
            parsing(json!(["query", "limit"]), "ten"),
            parsing(json!(["query", "run_id"]), "1.5"),
        ])
    );

    let term = json!({"translations": [{"language": "fr", "translation": 7}]});
    let (status, body) = call(
        http.put(format!("{base}/dictionaries/term/1/y?run_id=z"))
            .json(&term),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([
            parsing(json!(["path", "term_id"]), "y"),
            parsing(json!(["query", "run_id"]), "z"),
            {"type": "string_type", "loc": ["body", "translations", 0, "translation"],
             "msg": "Input should be a valid string", "input": 7},
            parsing(json!(["body", "translations", 0, "language"]), "fr"),
        ])
    );

    let (status, body) = call(
        http.post(format!("{base}/folders/create?run_id="))
            .json(&json!({"name": "Talks"})),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([
            parsing(json!(["query", "run_id"]), ""),
            {"type": "missing", "loc": ["body", "folder_name"], "msg": "Field required",
             "input": {"name": "Talks"}},
        ])
    );

    // A form's empty field counts as not sent, as in FastAPI.
    let form = multipart(&[
        ("dictionary_name", None, ""),
        ("dictionary_file", Some("t.csv"), "1,76\n"),
    ]);
    let (status, body) =
        call(form.apply(http.post(format!("{base}/dictionaries/create-from-file")))).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([{"type": "missing", "loc": ["body", "dictionary_name"], "msg": "Field required", "input": null}])
    );
}

// Schemathesis found `POST /transcription-results` answering a serde
// message for an integer past `i64`, `POST /transcribe` refusing a language
// id it did not know, and `format_type` checked apart from the path.
#[tokio::test]
async fn transcription_routes_check_like_fastapi_and_take_any_language() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();

    let results = format!("{base}/transcription-results");
    let (status, body) = call(
        http.post(&results)
            .json(&json!({"run_ids": [18446744073709551615u64, 1]})),
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({})),
        "integers of any size are integers"
    );
    let (status, body) = call(http.post(&results).json(&json!({"run_ids": [1, 2.5]}))).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([{"type": "int_from_float", "loc": ["body", "run_ids", 1],
                "msg": "Input should be a valid integer, got a number with a fractional part", "input": 2.5}])
    );

    for language in ["0", "xx-yy", "AUTO", "76"] {
        let form = multipart(&[
            ("language", None, language),
            ("media_url", None, "https://example.com/a.wav"),
        ]);
        let (status, body) = call(form.apply(http.post(format!("{base}/transcribe")))).await;
        assert_eq!(status, 200, "{language}: {body}");
    }
    let form = multipart(&[
        ("folder_id", None, "x"),
        ("transcription_mode", None, "medium"),
        ("run_audio_cleaning", None, "maybe"),
    ]);
    let (status, body) = call(form.apply(http.post(format!("{base}/transcribe")))).await;
    assert_eq!(status, 422);
    let problems: Vec<(Value, Value)> = body["detail"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|problem| (problem["loc"].clone(), problem["type"].clone()))
        .collect();
    // The required field first, then the others by name: the spec (written
    // with sorted keys) keeps the order of a model's required fields only.
    // FastAPI would list the form's fields in the endpoint's order, which
    // camb-sdk 1.6.6's `create_transcription` suggests is `transcription_mode`
    // before `run_audio_cleaning`.
    assert_eq!(
        problems,
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

    let (status, body) =
        call(http.get(format!("{base}/transcription-result/x?format_type=doc"))).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "run_id"]));
    assert_eq!(
        body["detail"][1],
        json!({"type": "enum", "loc": ["query", "format_type"], "msg": "Input should be 'srt', 'vtt' or 'txt'",
               "input": "doc", "ctx": {"expected": "'srt', 'vtt' or 'txt'"}})
    );
}

// Schemathesis found uploaded transcripts without `content`, or with a
// `null` format, accepted; and Pydantic's lax reading of booleans as
// integers (and 0/1 as booleans) is what its hooks tell it about.
#[tokio::test]
async fn uploaded_transcripts_need_their_fields_and_lax_values_are_read_as_pydantic_does() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();
    let create = |extra: Value| {
        let mut body = json!({"video_url": "https://example.com/a.mp4", "source_language": 1,
                              "target_languages": [76]});
        body.as_object_mut()
            .expect("an object")
            .extend(extra.as_object().expect("an object").clone());
        http.post(format!("{base}/dub")).json(&body)
    };
    let (status, body) = call(create(json!({
        "source_transcript": {"content": "1", "format": null},
        "target_transcripts": [{"language": 76}],
    })))
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([
            {"type": "literal_error", "loc": ["body", "source_transcript", "format"],
             "msg": "Input should be 'srt'", "input": null, "ctx": {"expected": "'srt'"}},
            {"type": "missing", "loc": ["body", "target_transcripts", 0, "content"],
             "msg": "Field required", "input": {"language": 76}},
        ])
    );

    let (status, body) = call(create(json!({"ai_optimization": 0, "folder_id": true}))).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        http.post(format!("{base}/dubbing-results"))
            .json(&json!({"run_ids": [false]})),
    )
    .await;
    assert_eq!((status, body), (200, json!({})));
    let (status, body) = call(create(json!({"ai_optimization": 2}))).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "bool_parsing");
}

/// A `multipart/form-data` body of text fields and files (a file name given).
struct Multipart(String);

const BOUNDARY: &str = "fuzz-boundary";

fn multipart(parts: &[(&str, Option<&str>, &str)]) -> Multipart {
    let mut body = String::new();
    for (name, file_name, content) in parts {
        let file = file_name.map_or_else(String::new, |file| format!("; filename=\"{file}\""));
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{content}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    Multipart(body)
}

impl Multipart {
    fn apply(self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        request
            .header(
                "content-type",
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(self.0)
    }
}
