//! Transcription end to end against the simulator: from a link or an
//! uploaded file, waited for on tokio's paused clock, read as segments and
//! in a batch or as one text; a scripted failure; the simulator's bodies
//! against the spec's schemas; its checks of the form.

use camb_api::ExceptionReason;
use camb_api_ext::{
    Camb, Error, Language, RunId, SourceLanguage, TaskId, TranscriptDataType, TranscriptFileFormat,
    TranscriptionRequest,
};
use camb_simulator::{Outcome, Route, Simulator, TaskScript};
use camb_tests::clients::http_client;
use camb_tests::spec::Schemas;
use serde_json::{Value, json};

const TALK: &str = "https://example.com/talk.mp4";

fn assert_valid(schema: &str, body: &Value) {
    let violations = Schemas::get().violations(schema, body);
    assert!(
        violations.is_empty(),
        "{body} is not a valid {schema}: {violations:?}"
    );
}

/// Transcribes [`TALK`] in `language` and waits for it: the task and its run.
async fn transcribed(camb: &Camb, language: impl Into<SourceLanguage>) -> (TaskId, RunId) {
    let task_id = camb
        .transcribe(&TranscriptionRequest::from_url(TALK, language))
        .await
        .expect("the task starts");
    let run_id = camb
        .wait_for_transcription(&task_id)
        .await
        .expect("the task succeeds");
    (task_id, run_id)
}

#[tokio::test(start_paused = true)]
async fn a_link_is_transcribed_waited_for_and_read_as_segments_and_in_a_batch() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().expect("a client for the simulator");

    let (task_id, run_id) = transcribed(&camb, SourceLanguage::Auto).await;
    // Two PENDING answers (the default script), then SUCCESS.
    assert_eq!(sim.status_requests(task_id.as_str()), 3);

    let segments = camb.transcription(run_id).await.expect("the segments");
    assert_eq!(segments.len(), 2);
    assert!(
        segments.iter().all(|s| s.text.starts_with("[en-us] ")),
        "{segments:?}"
    );
    assert!(
        segments.windows(2).all(|w| w[0].end <= w[1].start),
        "{segments:?}"
    );

    let batch = camb
        .transcriptions([run_id, RunId(1)])
        .await
        .expect("a batch");
    assert_eq!(batch.len(), 2);
    assert_eq!(batch[0].1.as_ref().expect("the run's segments").len(), 2);
    assert!(matches!(batch[1].1, Err(Error::ResultMissing { .. })));
    assert_eq!(sim.requests(Route::Transcribe), 1);
    assert_eq!(sim.requests(Route::TranscriptionResults), 1);
}

#[tokio::test(start_paused = true)]
async fn a_local_file_is_uploaded_and_its_language_heard() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().expect("a client for the simulator");
    let dir = std::env::temp_dir().join(format!("camb-e2e-transcribe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("interview.wav");
    std::fs::write(&path, b"RIFF-simulated-audio").expect("a media file");

    let request = TranscriptionRequest::from_file(&path, Language::FR_FR).run_audio_cleaning(false);
    let task_id = camb.transcribe(&request).await;
    std::fs::remove_dir_all(&dir).expect("the temporary directory goes");
    let run_id = camb
        .wait_for_transcription(&task_id.expect("the upload starts a task"))
        .await
        .expect("the task succeeds");

    let segments = camb.transcription(run_id).await.expect("the segments");
    assert!(
        segments.iter().all(|s| s.text.starts_with("[fr-fr] ")),
        "{segments:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_scripted_failure_ends_the_wait_with_its_reason() {
    let broken = "https://example.com/broken.mp4";
    let sim = Simulator::builder()
        .script_for_video_url(
            broken,
            TaskScript::new(Outcome::error(
                ExceptionReason::SourceNotFound,
                "no such media",
            )),
        )
        .start()
        .await;
    let camb = sim.camb().expect("a client for the simulator");

    let task_id = camb
        .transcribe(&TranscriptionRequest::from_url(broken, Language::EN_US))
        .await
        .expect("the task starts");
    match camb.wait_for_transcription(&task_id).await {
        Err(Error::TaskFailed {
            exception_reason,
            message,
            ..
        }) => {
            assert_eq!(exception_reason, Some(ExceptionReason::SourceNotFound));
            assert_eq!(message.as_deref(), Some("no such media"));
        }
        other => panic!("{other:?}"),
    }
    // A dub's status route does not know a transcription task.
    let status = camb.status(&task_id).await;
    assert!(matches!(status, Err(Error::NotFound { .. })), "{status:?}");
}

#[tokio::test(start_paused = true)]
async fn a_finished_run_is_read_as_one_text_in_each_format_or_as_a_file() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().expect("a client for the simulator");
    let (_, run_id) = transcribed(&camb, Language::FR_FR).await;
    let said: Vec<String> = camb
        .transcription(run_id)
        .await
        .expect("the segments")
        .into_iter()
        .map(|segment| segment.text)
        .collect();
    assert!(!said.is_empty());
    let text = |format: TranscriptFileFormat, data_type: TranscriptDataType| {
        camb.transcription_text(run_id, format, data_type)
    };

    let srt = text(TranscriptFileFormat::Srt, TranscriptDataType::RawData)
        .await
        .expect("SRT");
    assert!(srt.starts_with("1\n00:00:00,000 --> "), "{srt}");
    let vtt = text(TranscriptFileFormat::Vtt, TranscriptDataType::RawData)
        .await
        .expect("VTT");
    assert!(vtt.starts_with("WEBVTT\n\n00:00:00.000 --> "), "{vtt}");
    for line in &said {
        assert!(
            srt.contains(line.as_str()) && vtt.contains(line.as_str()),
            "{line}"
        );
    }
    let txt = text(TranscriptFileFormat::Txt, TranscriptDataType::RawData)
        .await
        .expect("plain text");
    assert_eq!(txt.lines().collect::<Vec<_>>(), said);
    let file = text(TranscriptFileFormat::Vtt, TranscriptDataType::File)
        .await
        .expect("a file");
    assert!(
        file.starts_with("https://") && file.ends_with(".vtt"),
        "{file}"
    );
    // A format this client does not know goes out as given; the simulator
    // refuses it as FastAPI refuses a value outside its enum.
    let refused = text(
        TranscriptFileFormat::from("docx"),
        TranscriptDataType::RawData,
    )
    .await;
    match refused {
        Err(Error::Validation { detail }) => {
            assert_eq!(detail.len(), 1, "{detail:?}");
            assert_eq!(detail[0].type_, "enum", "{detail:?}");
        }
        other => panic!("expected a 422 for an unknown format, got {other:?}"),
    }
    assert_eq!(sim.requests(Route::TranscriptionResult), 6);
}

#[tokio::test]
async fn every_body_of_the_transcription_flow_follows_the_spec() {
    let sim = Simulator::builder().start().await;
    let http = http_client(&sim.api_key());
    let url = |path: &str| format!("{}{path}", sim.base_url());
    let form = |boundary: &str, fields: &[(&str, &str)]| {
        let mut body = String::new();
        for (name, text) in fields {
            body.push_str(&format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{text}\r\n"
            ));
        }
        body.push_str(&format!("--{boundary}--\r\n"));
        body
    };
    let get_json = |path: String| {
        let request = http.get(url(&path));
        async move {
            let answer = request.send().await.expect("an answer");
            answer.json::<Value>().await.expect("JSON")
        }
    };
    let post_form = |fields: &[(&str, &str)]| {
        http.post(url("/transcribe"))
            .header("content-type", "multipart/form-data; boundary=b0undary")
            .body(form("b0undary", fields))
            .send()
    };

    let created = post_form(&[("language", "en-us"), ("media_url", TALK)])
        .await
        .expect("an answer");
    assert_eq!(created.status(), 200);
    let created: Value = created.json().await.expect("JSON");
    assert_valid("OrchestratorPipelineCallResult", &created);
    let task_id = created["task_id"].as_str().expect("a task id").to_owned();

    let mut run_id = Value::Null;
    for _ in 0..3 {
        let status = get_json(format!("/transcribe/{task_id}")).await;
        assert_valid("OrchestratorPipelineResult", &status);
        run_id = status["run_id"].clone();
    }
    let run_id = run_id.as_i64().expect("a run id after SUCCESS");

    let result = get_json(format!("/transcription-result/{run_id}")).await;
    assert_valid("TranscriptionResult", &result);
    for format in ["srt", "vtt", "txt"] {
        let text = get_json(format!(
            "/transcription-result/{run_id}?format_type={format}"
        ))
        .await;
        assert_valid("TranscriptExportResult", &text);
    }
    let batch: Value = http
        .post(url("/transcription-results"))
        .json(&json!({ "run_ids": [run_id, 1] }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    let runs = batch.as_object().expect("a map");
    assert_eq!(runs.len(), 1, "{batch}");
    assert_valid("TranscriptionResult", &runs[&run_id.to_string()]);

    // The form's checks, FastAPI-style: each a 422 naming its field (any
    // language text is a `LanguageInput`, as for a dub).
    for (fields, field) in [
        (&[("media_url", TALK)][..], "language"),
        (&[("language", "auto")][..], "media_url"),
        (
            &[
                ("language", "auto"),
                ("media_url", TALK),
                ("transcription_mode", "turbo"),
            ][..],
            "transcription_mode",
        ),
        (
            &[
                ("language", "auto"),
                ("media_url", TALK),
                ("folder_id", "x"),
            ][..],
            "folder_id",
        ),
    ] {
        let answer = post_form(fields).await.expect("an answer");
        assert_eq!(answer.status(), 422, "{fields:?}");
        let body: Value = answer.json().await.expect("JSON");
        assert_valid("HTTPValidationError", &body);
        assert_eq!(body["detail"][0]["loc"][1], field, "{fields:?}: {body}");
    }
    let not_a_form = http
        .post(url("/transcribe"))
        .json(&json!({"language": 1}))
        .send()
        .await
        .expect("an answer");
    assert_eq!(not_a_form.status(), 422);
    assert_eq!(sim.task_ids().len(), 0, "transcriptions are not dubs");
}
