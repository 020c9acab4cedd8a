//! The contract CAMB.AI's current SDK (camb-sdk 1.6.6) speaks, end to end
//! against the simulator: languages as ids, tags or `auto`; results spelled
//! `audio_url` / `video_url`; FastAPI's 422s naming the field; the Discord
//! and Twitter status routes; and what the client refuses before sending.

use std::time::Duration;

use camb_api_ext::{
    Backoff, Camb, DubRequest, Error, Integration, Language, PollPolicy, RetryPolicy,
    SourceLanguage, TaskId, TranscriptFileFormat,
};
use camb_simulator::{Outcome, Route, Simulator, TaskScript, UrlSpelling};
use camb_tests::clients::http_client;
use serde_json::{Value, json};

/// A client for `sim` that polls quickly.
fn camb(sim: &Simulator) -> Camb {
    let fast = Backoff::new(Duration::from_millis(1), Duration::from_millis(5));
    Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .retry_policy(RetryPolicy::default().with_backoff(fast))
        .poll_policy(PollPolicy::default().with_backoff(fast))
        .build()
        .expect("a client for the simulator")
}

/// The JSON body of the one request of `route` the simulator received.
fn sent_body(sim: &Simulator, route: Route) -> Value {
    let received: Vec<_> = sim
        .received()
        .into_iter()
        .filter(|request| request.route == route)
        .collect();
    assert_eq!(received.len(), 1, "{received:?}");
    serde_json::from_str(&received[0].body).expect("a JSON body")
}

/// Sends a request to the simulator and returns status and JSON body.
async fn call(request: reqwest::RequestBuilder) -> (u16, Value) {
    let response = request.send().await.expect("the simulator answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("a JSON body"))
}

#[tokio::test]
async fn a_dub_from_a_detected_source_into_two_tagged_languages_runs_end_to_end() {
    let sim = Simulator::builder().start().await;
    let camb = camb(&sim);
    let request = DubRequest::new(
        "https://example.com/talk.mp4",
        SourceLanguage::Auto,
        ["fr-fr".parse().unwrap(), "sw-ug".parse().unwrap()],
    );
    let outputs = camb.dub(&request).await.expect("the dub finishes");

    // What went on the wire: `auto`, a known tag as its id, a tag this
    // version does not know as text, and the SDK's default mode.
    assert_eq!(
        sent_body(&sim, Route::Create),
        json!({
            "video_url": "https://example.com/talk.mp4",
            "source_language": "auto",
            "target_languages": [76, "sw-ug"],
            "transcription_mode": "fast",
        })
    );
    assert_eq!(outputs.len(), 2);
    let french = outputs.get(Language::FR_FR).expect("the French dub");
    let newer = outputs
        .get("sw-ug".parse().unwrap())
        .expect("the dub in the tag the client does not know");
    for output in [french, newer] {
        assert!(
            output
                .video_url
                .as_deref()
                .is_some_and(|url| url.ends_with(".mp4"))
        );
        assert!(
            output
                .audio_url
                .as_deref()
                .is_some_and(|url| url.ends_with(".mp3"))
        );
        assert_eq!(output.transcript.len(), 2);
    }

    // Transcripts by tag: the path segment carries the tag as text.
    let srt = camb
        .transcript(outputs.run_id(), newer.language, TranscriptFileFormat::Srt)
        .await
        .expect("the transcript");
    assert!(srt.contains("[sw-ug] Hello"), "{srt}");
    let last = sim.received().pop().expect("the transcript request");
    assert!(
        last.target.starts_with("/transcript/1000/sw-ug?"),
        "{}",
        last.target
    );
}

#[tokio::test]
async fn the_simulator_treats_ids_tags_in_any_case_and_auto_alike() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();
    let (status, created) = call(http.post(format!("{base}/dub")).json(&json!({
        "video_url": "https://example.com/a.mp4",
        "source_language": "AUTO",
        "target_languages": ["FR-fr", 54, "76"],
        "target_language": "es-ES",
    })))
    .await;
    assert_eq!(status, 200, "{created}");
    let camb = camb(&sim);
    let task_id = TaskId::new(created["task_id"].as_str().unwrap()).unwrap();
    let run_id = camb.wait_for_dub(&task_id).await.expect("a run");
    // `FR-fr` and `"76"` are one language, `54` and `es-ES` another.
    let (status, result) = call(http.get(format!("{base}/dub-result/{run_id}"))).await;
    assert_eq!(status, 200);
    let mut keys: Vec<&String> = result.as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["54", "76"]);
    for language in ["76", "fr-fr", "FR-FR"] {
        let (status, _) = call(http.get(format!(
            "{base}/transcript/{run_id}/{language}?format_type=txt"
        )))
        .await;
        assert_eq!(status, 200, "{language}");
    }
}

#[tokio::test]
async fn results_are_spelled_as_the_sdk_reads_them_unless_scripted_otherwise() {
    let sim = Simulator::builder()
        .script_for_video_url(
            "https://example.com/docs.mp4",
            TaskScript::new(Outcome::Success(UrlSpelling::Output)),
        )
        .start()
        .await;
    let camb = camb(&sim);
    let http = http_client(&sim.api_key());
    for (video_url, audio, video) in [
        ("https://example.com/sdk.mp4", "audio_url", "video_url"),
        (
            "https://example.com/docs.mp4",
            "output_audio_url",
            "output_video_url",
        ),
    ] {
        let request = DubRequest::new(video_url, Language::EN_US, [Language::FR_FR]);
        let task_id = camb.create_dub(&request).await.unwrap();
        let run_id = camb.wait_for_dub(&task_id).await.unwrap();
        let (_, result) = call(http.get(format!("{}/dub-result/{run_id}", sim.base_url()))).await;
        let fields = result.as_object().unwrap();
        assert!(
            fields.contains_key(audio) && fields.contains_key(video),
            "{result}"
        );
        assert!(fields["transcript"].is_array(), "{result}");
        let other = if audio == "audio_url" {
            "output_audio_url"
        } else {
            "audio_url"
        };
        assert!(!fields.contains_key(other), "{result}");
    }
}

#[tokio::test]
async fn every_validation_failure_is_a_fastapi_422_naming_the_field() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let base = sim.base_url();
    let int_parsing = "Input should be a valid integer, unable to parse string as an integer";

    let (status, body) = call(http.post(format!("{base}/dub")).json(&json!({
        "source_language": 1,
        "target_languages": [76, null, "auto"],
        "transcription_mode": "medium",
    })))
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([
            {"type": "missing", "loc": ["body", "video_url"], "msg": "Field required",
             "input": {"source_language": 1, "target_languages": [76, null, "auto"], "transcription_mode": "medium"}},
            {"type": "int_type", "loc": ["body", "target_languages", 1, "int"],
             "msg": "Input should be a valid integer", "input": null},
            {"type": "string_type", "loc": ["body", "target_languages", 1, "str"],
             "msg": "Input should be a valid string", "input": null},
            // `enum`: the spec names the values as a component,
            // `TranscriptionMode`, which is how FastAPI writes a Python
            // `Enum` (camb-sdk 1.6.6 types the field as an inline `Literal`,
            // which FastAPI would report as a `literal_error`).
            {"type": "enum", "loc": ["body", "transcription_mode"],
             "msg": "Input should be 'fast' or 'slow'", "input": "medium",
             "ctx": {"expected": "'fast' or 'slow'"}},
        ])
    );

    // A well-typed body with `auto` as a target: the schema takes any
    // string, so it is accepted, and the task fails saying why (the table
    // in camb-simulator's crate docs).
    let (status, body) = call(http.post(format!("{base}/dub")).json(&json!({
        "video_url": "https://example.com/a.mp4", "source_language": 1, "target_languages": [76, "auto"],
    })))
    .await;
    assert_eq!(status, 200, "{body}");
    let task_id = TaskId::new(body["task_id"].as_str().expect("a task id")).expect("a task id");
    match camb(&sim).wait_for_dub(&task_id).await {
        Err(Error::TaskFailed {
            exception_reason,
            message,
            ..
        }) => {
            assert_eq!(
                exception_reason.as_ref().map(|reason| reason.as_str()),
                Some("PROCESSING_ERROR")
            );
            assert!(
                message.as_deref().is_some_and(|m| m.contains("`auto`")),
                "{message:?}"
            );
        }
        other => panic!("{other:?}"),
    }

    // Queries and paths alike.
    for (path, loc, input) in [
        (
            "/dub/t-1?run_id=-1.58e-114",
            json!(["query", "run_id"]),
            "-1.58e-114",
        ),
        ("/dub/t-1?run_id=abc", json!(["query", "run_id"]), "abc"),
        ("/dub-result/1e3", json!(["path", "run_id"]), "1e3"),
        ("/transcript/x/76", json!(["path", "run_id"]), "x"),
        ("/source-languages?run_id=", json!(["query", "run_id"]), ""),
    ] {
        let (status, body) = call(http.get(format!("{base}{path}"))).await;
        assert_eq!(status, 422, "{path}");
        assert_eq!(
            body["detail"],
            json!([{"type": "int_parsing", "loc": loc, "msg": int_parsing, "input": input}]),
            "{path}"
        );
    }
    let (status, body) = call(http.get(format!("{base}/transcript/x/76?format_type=doc"))).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["path", "run_id"]));
    assert_eq!(body["detail"][1]["type"], "enum");
    assert_eq!(body["detail"][1]["loc"], json!(["query", "format_type"]));
    assert_eq!(
        body["detail"][1]["msg"],
        "Input should be 'srt', 'vtt' or 'txt'"
    );

    // Integers of any size are integers, as in Pydantic: no 422.
    let (status, _) = call(http.post(format!("{base}/dub")).json(&json!({
        "video_url": "https://example.com/a.mp4", "source_language": 1,
        "target_languages": [76], "selected_audio_tracks": [18446744073709551615u64],
    })))
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(http.get(format!("{base}/dub-result/{}", "9".repeat(36)))).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn dubs_from_discord_and_twitter_are_waited_for_on_their_own_routes() {
    let sim = Simulator::builder()
        .integration_task(
            camb_simulator::Integration::Discord,
            "discord-1",
            [Language::DE_DE],
            TaskScript::default(),
        )
        .integration_task(
            camb_simulator::Integration::Twitter,
            "twitter-1",
            [Language::FR_FR],
            TaskScript::new(Outcome::error(
                camb_api::ExceptionReason::SourceNotFound,
                "gone",
            )),
        )
        .start()
        .await;
    let camb = camb(&sim);
    let discord = TaskId::new("discord-1").unwrap();
    let mut updates = 0;
    let run_id = camb
        .wait_for_integration_dub(Integration::Discord, &discord)
        .on_update(|_| updates += 1)
        .await
        .expect("the Discord dub's run");
    assert_eq!(updates, 3, "two PENDING, then SUCCESS");
    assert_eq!(sim.requests(Route::IntegrationStatus), 3);
    let outputs = camb.result(run_id, [Language::DE_DE]).await.unwrap();
    assert_eq!(outputs.len(), 1);

    let twitter = TaskId::new("twitter-1").unwrap();
    let failed = camb
        .wait_for_integration_dub(Integration::Twitter, &twitter)
        .await;
    assert!(
        matches!(failed, Err(Error::TaskFailed { .. })),
        "{failed:?}"
    );
    // Each task is known only to its own route.
    let wrong = camb
        .integration_status(Integration::Twitter, &discord)
        .await;
    assert!(matches!(wrong, Err(Error::NotFound { .. })), "{wrong:?}");
    assert!(matches!(
        camb.status(&discord).await,
        Err(Error::NotFound { .. })
    ));
}

#[tokio::test]
async fn a_create_answer_without_task_id_is_unusable_not_undecodable() {
    let server = httpmock::MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method("POST").path("/dub");
            then.status(200)
                .json_body(json!({"task_id": null, "note": "queued"}));
        })
        .await;
    let camb = Camb::builder()
        .api_key("key")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    match camb.create_dub(&request).await {
        Err(Error::UnusableResponse { reason, .. }) => {
            assert!(reason.contains("without a task_id"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn what_the_server_would_refuse_is_refused_before_any_request() {
    let sim = Simulator::builder().start().await;
    let camb = camb(&sim);
    let cue = "1\n00:00:00,000 --> 00:00:01,000\nSalut\n";
    let url = "https://example.com/a.mp4";
    let refused = [
        (
            DubRequest::new(url, Language::EN_US, []),
            "target_languages",
            "at least one",
        ),
        (
            DubRequest::new(
                url,
                Language::EN_US,
                [Language::FR_FR, "fr-FR".parse().unwrap()],
            ),
            "target_languages",
            "fr-fr is given twice",
        ),
        (
            DubRequest::new(url, Language::EN_US, [Language::FR_FR])
                .source_transcript_srt("no cue"),
            "source_transcript",
            "no SRT cue",
        ),
        (
            DubRequest::new(url, Language::EN_US, [Language::FR_FR])
                .target_transcript_srt(Language::DE_DE, cue),
            "target_transcripts",
            "de-de is not a target",
        ),
        (
            DubRequest::new(url, Language::EN_US, [Language::FR_FR])
                .target_transcript_srt(Language::FR_FR, cue)
                .target_transcript_srt(Language::FR_FR, cue),
            "target_transcripts",
            "fr-fr transcript is given twice",
        ),
        (
            DubRequest::new(url, Language::EN_US, [Language::FR_FR])
                .target_transcript_srt(Language::FR_FR, format!("{cue}{}", "x".repeat(2 << 20))),
            "target_transcripts",
            "2 MiB",
        ),
    ];
    for (request, expected_field, expected_reason) in refused {
        match camb.create_dub(&request).await {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, expected_field, "{reason}");
                assert!(reason.contains(expected_reason), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert!(sim.received().is_empty(), "nothing was sent");
}

// The transcript rules of camb-sdk 1.6.6's README are checked twice: by
// `DubRequest` before sending, and by the simulator as the server does. The
// same requests, one through the client and one as raw JSON, must be
// refused for the same field by both.
#[tokio::test]
async fn the_client_and_the_simulator_refuse_the_same_transcripts() {
    let sim = Simulator::builder().start().await;
    let camb = camb(&sim);
    let http = http_client(&sim.api_key());
    let cue = "1\n00:00:00,000 --> 00:00:01,000\nSalut\n";
    let url = "https://example.com/a.mp4";
    let french = || DubRequest::new(url, Language::EN_US, [Language::FR_FR]);
    let wire = |transcripts: Value| {
        let mut body = json!({"video_url": url, "source_language": 1, "target_languages": [76]});
        body.as_object_mut()
            .expect("an object")
            .extend(transcripts.as_object().expect("an object").clone());
        body
    };
    let long = format!("{cue}{}", "x".repeat(2 << 20));
    let cases = [
        (
            french().source_transcript_srt("no cue"),
            wire(json!({"source_transcript": {"content": "no cue", "format": "srt"}})),
        ),
        (
            french().target_transcript_srt(Language::DE_DE, cue),
            wire(
                json!({"target_transcripts": [{"language": 31, "content": cue, "format": "srt"}]}),
            ),
        ),
        (
            french()
                .target_transcript_srt(Language::FR_FR, cue)
                .target_transcript_srt(Language::FR_FR, cue),
            wire(json!({"target_transcripts": [
                {"language": 76, "content": cue, "format": "srt"},
                {"language": 76, "content": cue, "format": "srt"},
            ]})),
        ),
        (
            french().target_transcript_srt(Language::FR_FR, long.clone()),
            wire(
                json!({"target_transcripts": [{"language": 76, "content": long, "format": "srt"}]}),
            ),
        ),
    ];
    for (request, body) in cases {
        let field = match camb.create_dub(&request).await {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("the client sends it: {other:?}"),
        };
        let (status, answer) = call(http.post(format!("{}/dub", sim.base_url())).json(&body)).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["detail"][0]["loc"][1], field, "{answer}");
    }
    // And a request both take is dubbed.
    let request = french()
        .source_transcript_srt(cue)
        .target_transcript_srt(Language::FR_FR, cue);
    camb.dub(&request).await.expect("dubbed");
}
