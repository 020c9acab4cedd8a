//! The typed client and the generated one fit together: ids and languages
//! convert into the raw parameter types; every option of the transcript
//! call is reachable from the typed one; quiet mistakes (a target equal to
//! the source, a misspelt tag read strictly) fail before any request.

mod common;

use camb_api_ext::{
    DubRequest, Error, Language, Resend, RunId, SourceLanguage, TranscriptDataType,
    TranscriptFileFormat,
};
use camb_simulator::Simulator;
use common::{camb, json, task};
use httpmock::prelude::*;
use serde_json::json as body;

#[tokio::test(start_paused = true)]
async fn ids_and_languages_go_straight_into_raw_calls() {
    let server = MockServer::start_async().await;
    let transcript = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/transcript/7/76")
                .query_param("format_type", "vtt")
                .query_param("data_type", "file");
            then.respond_with(|_| json(200, body!({"file_url": "https://cdn/7/fr.vtt"})));
        })
        .await;
    let status = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t-1");
            then.respond_with(|_| json(200, body!({"status": "PENDING"})));
        })
        .await;
    let camb = camb(&server);
    let answer = camb
        .call_raw(Resend::Idempotent, || {
            camb.raw()
                .get_dubbed_run_transcript()
                .run_id(RunId(7))
                .language(Language::FR_FR)
                .format_type(TranscriptFileFormat::Vtt)
                .data_type(TranscriptDataType::File)
                .send()
        })
        .await
        .unwrap();
    assert_eq!(answer.0["file_url"], "https://cdn/7/fr.vtt");
    transcript.assert_async().await;

    // A task id: checked (`TaskId`, by value or reference) or a literal.
    let task_id = task("t-1");
    for call in [
        camb.raw().get_dub_status().task_id(&task_id),
        camb.raw().get_dub_status().task_id(task_id.clone()),
        camb.raw().get_dub_status().task_id("t-1"),
    ] {
        call.send().await.unwrap();
    }
    status.assert_calls_async(3).await;

    // The source of a raw create body, `auto` included.
    let body = DubRequest::new("https://a.b/v.mp4", SourceLanguage::Auto, [Language::FR_FR])
        .to_body()
        .unwrap();
    let auto = camb_api_ext::camb_api::types::LanguageInput::from(SourceLanguage::Auto);
    assert_eq!(body.source_language.to_string(), auto.to_string());
    assert_eq!(auto.to_string(), "auto");
}

#[tokio::test(start_paused = true)]
async fn the_transcript_comes_as_text_or_as_a_file_url() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().unwrap();
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let outputs = camb.dub(&request).await.unwrap();
    let run_id = outputs.run_id();

    let text = camb
        .transcript(run_id, Language::FR_FR, TranscriptFileFormat::Srt)
        .await
        .unwrap();
    assert!(text.contains("-->"), "{text}");
    let url = camb
        .transcript_as(
            run_id,
            Language::FR_FR,
            TranscriptFileFormat::Srt,
            TranscriptDataType::File,
        )
        .await
        .unwrap();
    assert!(url.starts_with("http") && url.ends_with(".srt"), "{url}");
}

#[tokio::test]
async fn a_target_equal_to_the_source_fails_before_any_request() {
    let server = MockServer::start_async().await;
    let camb = camb(&server);
    let request = DubRequest::new(
        "https://example.com/a.mp4",
        Language::FR_FR,
        [Language::ES_ES, Language::FR_FR],
    );
    match camb.create_dub(&request).await {
        Err(Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "target_languages");
            assert!(reason.contains("fr-fr is also the source"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_strict_reading_refuses_what_the_spec_does_not_list() {
    assert_eq!(Language::parse_known("es-ES").unwrap(), Language::ES_ES);
    for unknown in ["xx-yy", "fr-fx", "9999"] {
        match Language::parse_known(unknown) {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "language");
                assert!(reason.contains(unknown), "{reason}");
            }
            other => panic!("{unknown}: {other:?}"),
        }
        assert!(
            unknown.parse::<Language>().is_ok(),
            "the lenient reading keeps {unknown}"
        );
    }
    assert!(!"xx-yy".parse::<Language>().unwrap().is_known());
    assert!(Language::FR_FR.is_known());
}
