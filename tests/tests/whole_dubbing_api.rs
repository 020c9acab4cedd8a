//! The whole dubbing API as the service really answers: the four
//! things a new user hit first, then every call end to end against the
//! simulator.

use std::time::Duration;

use camb_api_ext::{
    Backoff, Camb, DubRequest, Error, Language, OutputFormat, PollPolicy, RESULTS_PER_REQUEST,
    RetryPolicy, RunId, TaskId, TaskKind, TaskStatus, TranscriptFileFormat, TranscriptionMode,
};
use camb_simulator::{Outcome, Route, Simulator, TaskScript};
use camb_tests::clients::{API_KEY, camb_client};
use httpmock::prelude::*;
use serde_json::{Value, json};

fn json_answer(then: httpmock::Then, body: &Value) {
    then.status(200)
        .header("content-type", "application/json")
        .body(body.to_string());
}

fn line(text: &str) -> Value {
    json!([{ "start": 0.0, "end": 1.5, "text": text, "speaker": "SPEAKER_0" }])
}

/// A client for `base_url` that polls every few milliseconds.
fn fast_client(base_url: &str) -> Camb {
    fast_client_with_key(base_url, API_KEY)
}

fn fast_client_with_key(base_url: &str, api_key: &str) -> Camb {
    let fast = Backoff::new(Duration::from_millis(2), Duration::from_millis(10));
    Camb::builder()
        .api_key(api_key)
        .base_url(base_url)
        .retry_policy(RetryPolicy::default().with_backoff(fast))
        .poll_policy(PollPolicy::default().with_backoff(fast))
        .build()
        .expect("a client for a loopback server")
}

// 1. A dub into two languages answers with a map keyed by language; both
// dubs come back, none is lost.
#[tokio::test]
async fn a_two_language_dub_returns_both_languages() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.method(POST).path("/dub");
        json_answer(then, &json!({ "task_id": "t-2" }));
    });
    server.mock(|when, then| {
        when.method(GET).path("/dub/t-2");
        json_answer(then, &json!({ "status": "SUCCESS", "run_id": 31 }));
    });
    server.mock(|when, then| {
        when.method(GET).path("/dub-result/31");
        json_answer(
            then,
            &json!({
                "76": { "audio_url": "https://cdn/fr.mp3", "video_url": "https://cdn/fr.mp4", "transcript": line("Bonjour") },
                "54": { "audio_url": "https://cdn/es.mp3", "video_url": "https://cdn/es.mp4", "transcript": line("Hola") },
            }),
        );
    });
    let camb = fast_client(&server.base_url());
    let request = DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR, Language::ES_ES],
    );

    let outputs = camb.dub(&request).await.expect("the dub succeeds");

    assert_eq!(outputs.run_id(), RunId(31));
    assert_eq!(outputs.len(), 2);
    let french = outputs.get(Language::FR_FR).expect("a French dub");
    assert_eq!(french.video_url.as_deref(), Some("https://cdn/fr.mp4"));
    assert_eq!(french.audio_url.as_deref(), Some("https://cdn/fr.mp3"));
    assert_eq!(french.transcript[0].text, "Bonjour");
    let spanish = outputs.get(Language::ES_ES).expect("a Spanish dub");
    assert_eq!(spanish.video_url.as_deref(), Some("https://cdn/es.mp4"));
    assert_eq!(spanish.transcript[0].text, "Hola");
}

// 2. `{"status":"SUCCESS"}` without a run id is valid: a status, not a
// Decode error; a wait asks a few more times, then says what happened.
#[tokio::test]
async fn success_without_a_run_id_is_a_status_and_a_wait_names_it() {
    let server = MockServer::start_async().await;
    let status = server.mock(|when, then| {
        when.method(GET).path("/dub/t-3");
        json_answer(then, &json!({ "status": "SUCCESS" }));
    });
    let camb = fast_client(&server.base_url());
    let task_id = TaskId::new("t-3").expect("a valid id");

    let seen = camb.status(&task_id).await.expect("a status, not an error");
    assert_eq!(seen.status, TaskStatus::Success);
    assert_eq!(seen.run_id, None);
    assert_eq!(status.calls_async().await, 1);

    match camb.wait_for_dub(&task_id).await {
        Err(Error::SucceededWithoutRunId {
            kind: TaskKind::Dub,
            task_id: id,
            polls,
        }) => {
            assert_eq!(id, task_id);
            assert_eq!(polls, 3);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(status.calls_async().await, 1 + 3);
}

// 3. Every field of the create body can be set, without naming the others.
#[tokio::test]
async fn the_whole_create_body_can_be_expressed() {
    let srt = "1\n00:00:00,000 --> 00:00:01,000\nHello\n";
    let server = MockServer::start_async().await;
    let create = server.mock(|when, then| {
        when.method(POST)
            .path("/dub")
            .query_param("run_id", "5")
            .json_body(json!({
                "video_url": "https://example.com/talk.mp4",
                "source_language": 1,
                "target_languages": [76, 54],
                "target_language": 76,
                "project_name": "Talk",
                "project_description": "Day 1",
                "folder_id": 9,
                "selected_audio_tracks": [1],
                "add_output_as_an_audio_track": true,
                "chosen_dictionaries": [4],
                "ai_optimization": true,
                "transcription_mode": "slow",
                "source_transcript": { "content": srt, "format": "srt" },
                "target_transcripts": [{ "language": 76, "content": srt, "format": "srt" }],
            }));
        json_answer(then, &json!({ "task_id": "t-4" }));
    });
    let request = DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR, Language::ES_ES],
    )
    .target_language(Language::FR_FR)
    .project_name("Talk")
    .project_description("Day 1")
    .folder_id(9)
    .selected_audio_tracks([1])
    .add_output_as_an_audio_track(true)
    .chosen_dictionaries([4])
    .ai_optimization(true)
    .transcription_mode(TranscriptionMode::Slow)
    .source_transcript_srt(srt)
    .target_transcript_srt(Language::FR_FR, srt)
    .run_id(RunId(5));

    let task_id = camb_client(&server.base_url(), API_KEY)
        .create_dub(&request)
        .await
        .expect("create succeeds");

    assert_eq!(task_id.as_str(), "t-4");
    create.assert_async().await;
}

// 4. Languages by name: locale tags in, the API's ids out.
#[tokio::test]
async fn languages_are_named_by_locale_tag() {
    let server = MockServer::start_async().await;
    let create = server.mock(|when, then| {
        when.method(POST).path("/dub").json_body(json!({
            "video_url": "https://example.com/talk.mp4",
            "source_language": 1,
            "target_languages": [76, 54, 152],
            "transcription_mode": "fast",
        }));
        json_answer(then, &json!({ "task_id": "t-5" }));
    });
    let tags = ["fr-fr", "ES-ES", "152"].map(|tag| tag.parse::<Language>().expect("a language"));
    let source: Language = "en-us".parse().expect("a language");
    let request = DubRequest::new("https://example.com/talk.mp4", source, tags);

    camb_client(&server.base_url(), API_KEY)
        .create_dub(&request)
        .await
        .expect("create succeeds");

    create.assert_async().await;
    assert_eq!(tags.map(|l| l.to_string()), ["fr-fr", "es-es", "152"]);
    assert!("french".parse::<Language>().is_err());
}

/// The table of named languages is the spec's `Languages` enum: the same
/// ids, in the same order, each with the locale tag its `x-enum-varnames`
/// name spells (`EN_US` is `en-us`). A disagreement names the id and tags.
#[test]
fn the_language_table_is_the_spec_languages_enum() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../spec/generated/openapi.json"
    );
    let spec: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("the spec")).expect("JSON");
    let schema = &spec["components"]["schemas"]["Languages"];
    let ids = schema["enum"].as_array().expect("an enum of ids");
    let names = schema["x-enum-varnames"]
        .as_array()
        .expect("`x-enum-varnames`, a name per id");
    assert_eq!(ids.len(), names.len(), "one name per id");
    let in_spec: Vec<(u64, String)> = ids
        .iter()
        .zip(names)
        .map(|(id, name)| {
            let id = id.as_u64().expect("an integer id");
            let name = name.as_str().expect("a name");
            (id, name.to_ascii_lowercase().replace('_', "-"))
        })
        .collect();
    let in_table: Vec<(u64, String)> = Language::KNOWN
        .iter()
        .map(|(language, tag)| {
            let id = language.id().expect("a known language is an id");
            (u64::from(id), (*tag).to_owned())
        })
        .collect();
    let mut disagreements = Vec::new();
    for (id, tag) in &in_spec {
        match in_table.iter().find(|(known, _)| known == id) {
            None => disagreements.push(format!("id {id} ({tag}) is not in Language::KNOWN")),
            Some((_, known)) if known != tag => disagreements.push(format!(
                "id {id} is {tag} in the spec, {known} in Language::KNOWN"
            )),
            Some(_) => {}
        }
    }
    for (id, tag) in &in_table {
        if !in_spec.iter().any(|(named, _)| named == id) {
            disagreements.push(format!(
                "id {id} ({tag}) of Language::KNOWN is not in the spec"
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    assert_eq!(in_table, in_spec, "the same languages, in spec order");
    for (language, tag) in Language::KNOWN {
        assert_eq!(tag.parse::<Language>().ok(), Some(*language), "{tag}");
        assert_eq!(language.to_string(), *tag);
    }
}

async fn simulator(scripts: &[TaskScript]) -> (Simulator, Camb) {
    let mut builder = Simulator::builder();
    for script in scripts {
        builder = builder.script_next(script.clone());
    }
    let sim = builder.start().await;
    let camb = fast_client_with_key(&sim.base_url(), &sim.api_key());
    (sim, camb)
}

#[tokio::test]
async fn against_the_simulator_every_call_works_end_to_end() {
    let (sim, camb) = simulator(&[]).await;
    let request = DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR, Language::ES_ES],
    );

    let outputs = camb.dub(&request).await.expect("the dub succeeds");
    let languages: Vec<_> = outputs.iter().map(|output| output.language).collect();
    assert_eq!(languages, [Language::ES_ES, Language::FR_FR]);
    assert!(
        outputs
            .iter()
            .all(|o| o.video_url.is_some() && o.audio_url.is_some())
    );
    let run_id = outputs.run_id();

    let transcript = |format| camb.transcript(run_id, Language::FR_FR, format);
    let srt = transcript(TranscriptFileFormat::Srt).await.expect("SRT");
    assert!(srt.starts_with("1\n00:00:00,000 --> "), "{srt}");
    let vtt = transcript(TranscriptFileFormat::Vtt).await.expect("VTT");
    assert!(vtt.starts_with("WEBVTT"), "{vtt}");
    let txt = transcript(TranscriptFileFormat::Txt).await.expect("TXT");
    assert_eq!(
        txt.lines().next(),
        Some("[fr-fr] Hello from the simulator.")
    );

    let wav = camb
        .export(run_id, Language::FR_FR, &OutputFormat::Wav)
        .await;
    assert!(wav.expect("an audio export").ends_with("/76/dubbed.wav"));
    let mov = camb
        .export(run_id, Language::ES_ES, &OutputFormat::Mov)
        .await;
    assert!(mov.expect("a video export").ends_with("/54/dubbed.mov"));
    // The video went through a task: asked, polled to SUCCESS, asked again.
    assert_eq!(sim.requests(Route::AltFormat), 3);
    assert_eq!(sim.requests(Route::AltFormatStatus), 2);

    let sources = camb.source_languages().await.expect("the list");
    let targets = camb.target_languages().await.expect("the list");
    assert_eq!(sources.len(), Language::KNOWN.len());
    assert!(
        targets
            .iter()
            .any(|entry| entry.language == Language::FR_FR)
    );
}

#[tokio::test]
async fn a_single_language_result_in_either_form_names_its_language() {
    let (_sim, camb) = simulator(&[
        TaskScript::default(),
        TaskScript::default().result_as_map(true),
    ])
    .await;
    for _ in 0..2 {
        let request = DubRequest::new(
            "https://example.com/a.mp4",
            Language::EN_US,
            [Language::DE_DE],
        );
        let outputs = camb.dub(&request).await.expect("the dub succeeds");
        let [output] = Vec::from_iter(outputs).try_into().expect("one output");
        assert_eq!(output.language, Language::DE_DE);
        assert!(output.video_url.is_some());
    }
}

#[tokio::test]
async fn batch_results_are_chunked_and_account_for_every_id() {
    let (sim, camb) = simulator(&[]).await;
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let task_id = camb.create_dub(&request).await.expect("created");
    let run_id = camb.wait_for_dub(&task_id).await.expect("finished");

    // The real run among many that the server does not know, repeated once.
    let mut asked: Vec<RunId> = (0..RESULTS_PER_REQUEST as i64 * 2 + 10)
        .map(RunId)
        .collect();
    asked.push(run_id);
    asked.push(RunId(0));
    let results = camb
        .results(asked.iter().map(|&run_id| (run_id, [Language::FR_FR])))
        .await
        .expect("results");

    assert_eq!(results.len(), asked.len() - 1, "one entry per distinct id");
    assert_eq!(sim.requests(Route::Results), 3);
    for (id, outcome) in &results {
        match outcome {
            Ok(outputs) => {
                assert_eq!(*id, run_id);
                assert_eq!(outputs.len(), 1);
            }
            Err(Error::ResultMissing { run_id: missing }) => assert_eq!(missing, id),
            Err(other) => panic!("{other:?}"),
        }
    }
    assert_eq!(
        results
            .iter()
            .filter(|(_, outcome)| outcome.is_ok())
            .count(),
        1
    );
}

#[tokio::test]
async fn a_simulated_success_without_run_id_ends_the_wait_with_its_own_error() {
    let (sim, camb) = simulator(&[TaskScript::new(Outcome::SuccessWithoutRunId)]).await;
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let task_id = camb.create_dub(&request).await.expect("created");

    let result = camb.wait_for_dub(&task_id).await;

    assert!(
        matches!(result, Err(Error::SucceededWithoutRunId { polls: 3, .. })),
        "{result:?}"
    );
    assert_eq!(sim.status_requests(task_id.as_str()), 2 + 3);
}
