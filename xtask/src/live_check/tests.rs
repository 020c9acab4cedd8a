use super::*;

use camb_simulator::Simulator;
use httpmock::prelude::*;

/// A small spec in the shape of ours: one language list, the status call.
fn spec() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {
            "/target-languages": {"get": {"responses": {"200": {"content": {"application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Language"}}
            }}}}}},
            "/dub/{task_id}": {"get": {"responses": {
                "200": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Status"}}}},
                "422": {"$ref": "#/components/responses/ValidationError"}
            }}},
            "/transcript/{run_id}/{language}": {"get": {"responses": {
                "200": {"content": {"text/plain": {}}}
            }}}
        },
        "components": {"responses": {"ValidationError": {"content": {"application/json": {
            "schema": {"type": "object", "properties": {"detail": {"type": "array"}}}
        }}}}, "schemas": {
            "Language": {"type": "object", "required": ["id", "language"],
                         "properties": {"id": {"type": "integer"}, "language": {"type": "string"}}},
            "Status": {"type": "object", "properties": {"run_id": {"type": ["integer", "null"]}}},
            "TranscriptFileFormat": {"type": "string", "enum": ["srt", "vtt", "txt"]}
        }}
    })
}

fn probe(template: &'static str, path: &str) -> Probe {
    Probe {
        method: "get",
        template,
        path: path.to_owned(),
        query: None,
    }
}

fn answer(status: u16, body: &str) -> Answer {
    Answer {
        status,
        body: body.as_bytes().to_vec(),
    }
}

/// Each mismatch's (instance path, schema path).
fn pointers(found: &[Mismatch]) -> Vec<(&str, &str)> {
    found
        .iter()
        .map(|m| (m.instance_path.as_str(), m.schema_path.as_str()))
        .collect()
}

#[test]
fn a_body_off_the_schema_is_reported_with_both_pointers() {
    let verdict = judge(
        &spec(),
        &probe("/target-languages", "/target-languages"),
        &answer(200, r#"[{"id": 76, "language": "French"}, {"id": "54"}]"#),
    );
    let Verdict::Mismatches(found) = verdict else {
        panic!("{verdict:?}");
    };
    assert_eq!(
        pointers(&found),
        [
            ("/1", "#/components/schemas/Language/required"),
            ("/1/id", "#/components/schemas/Language/properties/id/type"),
        ],
        "{found:#?}"
    );
    assert!(found[1].message.contains("\"54\""), "{}", found[1].message);
}

#[test]
fn a_body_on_the_schema_matches() {
    let status = probe("/dub/{task_id}", "/dub/t1");
    assert_eq!(
        judge(
            &spec(),
            &status,
            &answer(200, r#"{"run_id": null, "extra": 1}"#)
        ),
        Verdict::Matches
    );
    assert_eq!(
        judge(&spec(), &status, &answer(422, r#"{"detail": []}"#)),
        Verdict::Matches
    );
    // The 422 is a Reference Object: its target's schema is the one applied.
    let Verdict::Mismatches(found) = judge(&spec(), &status, &answer(422, r#"{"detail": 5}"#))
    else {
        panic!("a 422 off its referenced schema must be reported");
    };
    assert_eq!(
        pointers(&found),
        [(
            "/detail",
            "#/components/responses/ValidationError/content/application~1json/schema/properties/detail/type"
        )]
    );
}

#[test]
fn what_the_spec_does_not_document_is_a_finding() {
    let spec = spec();
    let missing = judge(
        &spec,
        &probe("/source-languages", "/source-languages"),
        &answer(200, "[]"),
    );
    assert_eq!(missing, Verdict::NotInSpec);
    let status = probe("/dub/{task_id}", "/dub/t1");
    match judge(&spec, &status, &answer(404, r#"{"detail": "Not found"}"#)) {
        Verdict::UndocumentedStatus {
            documented,
            excerpt,
        } => {
            assert_eq!(documented, ["200", "422"]);
            assert_eq!(excerpt, r#"{"detail": "Not found"}"#);
        }
        other => panic!("{other:?}"),
    }
    let html = judge(&spec, &status, &answer(200, "<html>maintenance</html>"));
    assert!(matches!(html, Verdict::NotJson { .. }), "{html:?}");
    for verdict in [missing, html] {
        assert!(verdict.is_finding());
    }
    // A documented answer without a JSON schema is shown, not failed.
    let transcript = judge(
        &spec,
        &probe("/transcript/{run_id}/{language}", "/transcript/1/76"),
        &answer(200, "1\n00:00:00,000 --> 00:00:01,000\nBonjour\n"),
    );
    assert_eq!(
        transcript,
        Verdict::NotValidated {
            media_types: vec!["text/plain".into()]
        }
    );
    assert!(!transcript.is_finding());
}

#[test]
fn options_ask_only_for_what_was_given() {
    let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let options = Options::parse(&args(&[]), None).unwrap().unwrap();
    assert_eq!(options.base_url, DEFAULT_BASE_URL);
    let asked: Vec<String> = probes(&spec(), &options)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(asked, ["GET /source-languages", "GET /target-languages"]);

    let options = Options::parse(
        &args(&["--task-id", "a b/c", "--run-id", "7", "--language", "76"]),
        Some("http://127.0.0.1:9/".into()),
    )
    .unwrap()
    .unwrap();
    assert_eq!(options.base_url, "http://127.0.0.1:9");
    let probes = probes(&spec(), &options);
    assert_eq!(probes[2].path, "/dub/a%20b%2Fc");
    assert_eq!(probes[3].path, "/dub-result/7");
    let transcripts: Vec<String> = probes[4..].iter().map(ToString::to_string).collect();
    assert_eq!(
        transcripts,
        [
            "GET /transcript/{run_id}/{language}?format_type=srt",
            "GET /transcript/{run_id}/{language}?format_type=vtt",
            "GET /transcript/{run_id}/{language}?format_type=txt",
        ]
    );
    assert!(probes[4..].iter().all(|p| p.path == "/transcript/7/76"));

    // The formats are the workspace spec's, all of them, in its order.
    let spec = workspace_spec();
    let listed: Vec<&str> = spec
        .pointer(TRANSCRIPT_FORMATS)
        .and_then(Value::as_array)
        .expect("the spec lists the transcript formats")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let asked: Vec<String> = super::probes(&spec, &options)
        .into_iter()
        .filter_map(|probe| probe.query.map(|(_, format)| format))
        .collect();
    assert!(!asked.is_empty());
    assert_eq!(asked, listed);

    assert!(Options::parse(&args(&["--language", "76"]), None).is_err());
    assert!(Options::parse(&args(&["--task-id", ".."]), None).is_err());
    assert!(Options::parse(&args(&["--run-id", "x"]), None).is_err());
    assert!(Options::parse(&args(&["--help"]), None).unwrap().is_none());
}

/// The workspace's generated 3.1 spec.
fn workspace_spec() -> Value {
    let file = crate::regen::this_workspace().openapi_31_file();
    serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap()
}

#[test]
fn an_off_spec_server_is_reported_pointer_by_pointer_without_the_key() {
    const KEY: &str = "live-check-secret-key";
    let server = MockServer::start();
    let status = server.mock(|when, then| {
        when.method(GET)
            .path("/dub/task-1")
            .header("x-api-key", KEY);
        then.status(200)
            .json_body(json!({"status": "SUCCESS", "run_id": "abc", "message": KEY}));
    });
    let result = server.mock(|when, then| {
        when.method(GET)
            .path("/dub-result/7")
            .header("x-api-key", KEY);
        then.status(200)
            .json_body(json!({"run_id": 7, "transcript": [{"start": 0, "end": 1, "text": "hi"}]}));
    });
    let moved = server.mock(|when, then| {
        when.path_includes("languages");
        then.status(302)
            .header("location", "https://elsewhere.example/steal");
    });
    let options = Options {
        base_url: server.base_url(),
        task_id: Some("task-1".into()),
        run_id: Some(7),
        language: None,
    };

    let report = run(&workspace_spec(), &options, &ApiKey::new(KEY).unwrap());

    status.assert();
    result.assert();
    moved.assert_calls(2);
    let verdict = |template: &str| {
        report
            .checks
            .iter()
            .find(|(probe, _, _)| probe.template == template)
            .map(|(_, _, verdict)| verdict.clone())
            .unwrap()
    };
    match verdict("/dub/{task_id}") {
        Verdict::Mismatches(found) => {
            assert_eq!(found.len(), 1, "{found:#?}");
            assert_eq!(found[0].instance_path, "/run_id");
            assert_eq!(
                found[0].schema_path,
                "#/components/schemas/OrchestratorPipelineResult/properties/run_id/type"
            );
        }
        other => panic!("{other:?}"),
    }
    match verdict("/dub-result/{run_id}") {
        Verdict::Mismatches(found) => {
            // The answer is one result or a map of them (anyOf): neither
            // fits. The map refuses the non-object values; the one result
            // refuses its transcript, whose segment lacks `speaker`.
            assert_eq!(
                pointers(&found),
                [
                    ("", "#/components/schemas/DubbedRunInfo/anyOf"),
                    ("/run_id", "#/components/schemas/DubResult/type"),
                    ("/transcript", "#/components/schemas/DubResult/type"),
                    (
                        "/transcript",
                        "#/components/schemas/DubResult/properties/transcript/anyOf"
                    ),
                    ("/transcript/0", "#/components/schemas/Transcript/required"),
                    (
                        "/transcript",
                        "#/components/schemas/DubResult/properties/transcript/anyOf/1/type"
                    ),
                ],
                "{found:#?}"
            );
            let missing = &found[4];
            assert!(
                missing
                    .message
                    .starts_with("(anyOf branch 1) (anyOf branch 0) "),
                "{}",
                missing.message
            );
            assert!(missing.message.contains("speaker"), "{}", missing.message);
        }
        other => panic!("{other:?}"),
    }
    // The redirect was not followed: the 302 itself was judged.
    assert!(
        report
            .checks
            .iter()
            .filter(|(probe, _, _)| probe.template.ends_with("-languages"))
            .all(|(_, status, verdict)| *status == Some(302) && verdict.is_finding()),
        "{report}"
    );
    assert_eq!(report.exit_code(), 1);
    let printed = report.to_string();
    assert!(printed.contains("at /run_id: "), "{printed}");
    assert!(!printed.contains(KEY), "{printed}");
    assert!(!format!("{report:?}").contains(KEY));
}

#[test]
fn the_simulator_answers_on_spec() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sim = runtime.block_on(Simulator::builder().start());
    let key = ApiKey::new(&sim.api_key()).unwrap();
    // A finished dub to ask about: create it, poll until it succeeds.
    let agent = ureq::Agent::new_with_defaults();
    let read_json = |mut response: ureq::http::Response<ureq::Body>| -> Option<Value> {
        serde_json::from_str(&response.body_mut().read_to_string().ok()?).ok()
    };
    let create = json!({
        "video_url": "https://example.com/talk.mp4",
        "source_language": 1,
        "target_languages": [76]
    });
    let created = agent
        .post(format!("{}/dub", sim.base_url()))
        .header("x-api-key", &key.0)
        .header("content-type", "application/json")
        .send(create.to_string())
        .ok()
        .and_then(read_json)
        .expect("the simulator creates a task");
    let task_id = created["task_id"].as_str().unwrap().to_owned();
    let run_id = (0..10)
        .find_map(|_| {
            let status = agent
                .get(format!("{}/dub/{task_id}", sim.base_url()))
                .header("x-api-key", &key.0)
                .call()
                .ok()
                .and_then(read_json)?;
            status["run_id"].as_u64()
        })
        .expect("the simulated dub succeeds");
    let options = Options {
        base_url: sim.base_url(),
        task_id: Some(task_id),
        run_id: Some(run_id),
        language: Some(76),
    };
    let spec = workspace_spec();

    let report = run(&spec, &options, &key);

    // Every operation of the spec that the simulator serves matches it; an
    // operation the spec lacks is reported as such, and nothing else.
    for (probe, status, verdict) in &report.checks {
        let in_spec = spec
            .pointer(Pointer::root().push("paths").push(probe.template).as_str())
            .is_some();
        let expected = if in_spec {
            matches!(verdict, Verdict::Matches | Verdict::NotValidated { .. })
        } else {
            *verdict == Verdict::NotInSpec
        };
        assert!(expected, "{probe} -> {status:?}: {verdict:?}\n{report}");
    }
    for served in ["/dub/{task_id}", "/dub-result/{run_id}"] {
        assert!(
            report
                .checks
                .iter()
                .any(|(probe, status, verdict)| probe.template == served
                    && *status == Some(200)
                    && *verdict == Verdict::Matches),
            "{served}\n{report}"
        );
    }
}

#[test]
fn the_defaults_match_the_client() {
    // The copies of the note at the top of live_check.rs: same URL, and a key
    // the client refuses for being blank is refused here too.
    assert_eq!(DEFAULT_BASE_URL, camb_api_ext::DEFAULT_BASE_URL);
    for blank in ["", "  \n"] {
        assert!(ApiKey::new(blank).is_err());
        assert!(camb_api_ext::ApiKey::new(blank).is_err());
    }
    let key = ApiKey::new(" sk-123\n").unwrap();
    assert_eq!(key.0, "sk-123");
    assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
    assert_eq!(
        format!("{:?}", camb_api_ext::ApiKey::new(" sk-123\n").unwrap()),
        format!("{key:?}")
    );
}
