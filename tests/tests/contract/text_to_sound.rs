//! Contract tests of text to sound (`POST /text-to-sound`, its status, the
//! result in both forms, the batch results), through the raw client and
//! `Camb::call_raw` (`task_families`).

use camb_api::TextToAudioType;
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTextToAudioThen, GetTextToAudioResultThen, GetTextToAudioStatusThen,
    GetTextToSoundResultsThen,
};
use camb_api::types::{
    CreateTextToAudioRequestPayload, GetTtaOut, OrchestratorPipelineCallResult, OutputType,
    RunIDsRequestPayload, TextToAudioResult,
};
use camb_api_ext::tasks::TextToSound;
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};

use crate::expect::{RUN_ID, TASK_ID, authenticated, no_query};
use crate::task_families::{FILE_URL, WAV, read_all, succeeded, task_id_param};

/// A `POST /text-to-sound` body with every field set.
fn sound_body() -> CreateTextToAudioRequestPayload {
    serde_json::from_value(serde_json::json!({
        "prompt": "Rain on a tin roof, distant thunder",
        "duration": 8.5,
        "audio_type": "sound",
        "project_name": "Storm",
        "project_description": "Ambience",
        "folder_id": 3,
    }))
    .expect("a valid text-to-sound body")
}

#[test]
fn the_audio_type_is_the_open_enum() {
    assert_eq!(sound_body().audio_type, Some(TextToAudioType::Sound));
}

/// `POST /text-to-sound` with exactly [`sound_body`], no query, no
/// `traceparent`.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTextToAudioThen) -> CreateTextToAudioThen,
) -> Mock<'a> {
    server.create_text_to_audio(|when, then| {
        let when = when.body(&sound_body()).traceparent(None).into_inner();
        authenticated(when)
            .header("content-type", "application/json")
            .is_true(no_query);
        respond(then);
    })
}

fn created() -> OrchestratorPipelineCallResult {
    OrchestratorPipelineCallResult {
        task_id: Some(TASK_ID.into()),
    }
}

family_contract! {
    create create: "create_text_to_audio", CreateTextToAudioThen, TextToSound,
    |client| client.create_text_to_audio().body(sound_body()).send(),
    |call| call.body(sound_body()), created();
    errors 422, 401;
}

/// `GET /text-to-sound/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToAudioStatusThen) -> GetTextToAudioStatusThen,
) -> Mock<'a> {
    server.get_text_to_audio_status(|when, then| {
        let when = when.task_id(&task_id_param()).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    status "get_text_to_audio_status", status, GetTextToAudioStatusThen, TextToSound, succeeded(),
    |client| client.get_text_to_audio_status().task_id(task_id_param()).send(),
}

/// `GET /text-to-sound-result/{RUN_ID}`, no query: the default form, WAV.
fn audio_result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToAudioResultThen) -> GetTextToAudioResultThen,
) -> Mock<'a> {
    server.get_text_to_audio_result(|when, then| {
        let when = when.run_id(RUN_ID).output_type(None).into_inner();
        authenticated(when)
            .is_true(no_query)
            .header_not("accept", "application/json");
        respond(then);
    })
}

/// WAV bytes, as the audio form is served.
fn wav(then: GetTextToAudioResultThen) -> GetTextToAudioResultThen {
    GetTextToAudioResultThen::new(
        then.into_inner()
            .status(200)
            .header("content-type", "audio/wav")
            .body(WAV),
    )
}

family_contract! {
    ok "get_text_to_audio_result", audio_result, |then| wav(then), Idempotent,
    |client| client.get_text_to_audio_result().run_id(RUN_ID).send(),
    raw_text_to_sound_result_streams_the_audio, camb_text_to_sound_result_streams_the_audio,
    |audio| { assert_eq!(read_all(audio).await, WAV); },
}

/// `GET /text-to-sound-result/{RUN_ID}?output_type=file_url`: the JSON form.
fn file_url_result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToAudioResultThen) -> GetTextToAudioResultThen,
) -> Mock<'a> {
    server.get_text_to_audio_result(|when, then| {
        let when = when
            .run_id(RUN_ID)
            .output_type(OutputType::FileUrl)
            .into_inner();
        authenticated(when).is_true(|request| request.query_params().len() == 1);
        respond(then);
    })
}

family_contract! {
    ok "get_text_to_audio_result", file_url_result,
    |then| then.ok(&GetTtaOut { file_url: Some(FILE_URL.into()), output_url: None }), Idempotent,
    |client| client.get_text_to_audio_result().run_id(RUN_ID).output_type(OutputType::FileUrl).send(),
    raw_text_to_sound_result_file_url_is_json_in_the_byte_stream,
    camb_text_to_sound_result_file_url_is_json_in_the_byte_stream,
    |body| {
        let file: GetTtaOut = serde_json::from_slice(&read_all(body).await).expect("the JSON form");
        assert_eq!(file.file_url.as_deref(), Some(FILE_URL));
    },
}

family_contract! {
    errors "get_text_to_audio_result", audio_result, GetTextToAudioResultThen, Idempotent,
    |client| client.get_text_to_audio_result().run_id(RUN_ID).send();
    422 => raw_text_to_sound_result_422 camb_text_to_sound_result_422,
    401 => raw_text_to_sound_result_401 camb_text_to_sound_result_401,
    404 => raw_text_to_sound_result_404 camb_text_to_sound_result_404,
}

fn run_ids() -> RunIDsRequestPayload {
    RunIDsRequestPayload {
        run_ids: vec![RUN_ID],
    }
}

/// `POST /text-to-sound-results` with [`run_ids`], no query, no
/// `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToSoundResultsThen) -> GetTextToSoundResultsThen,
) -> Mock<'a> {
    server.get_text_to_sound_results(|when, then| {
        let when = when.body(&run_ids()).traceparent(None).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

fn batch() -> std::collections::HashMap<String, TextToAudioResult> {
    [(
        RUN_ID.to_string(),
        TextToAudioResult {
            output_url: FILE_URL.into(),
        },
    )]
    .into_iter()
    .collect()
}

family_contract! {
    ok "get_text_to_sound_results", results, |then| then.ok(&batch()), Idempotent,
    |client| client.get_text_to_sound_results().body(run_ids()).send(),
    raw_text_to_sound_results_decode_a_url_per_run, camb_text_to_sound_results_decode_a_url_per_run,
    |answer| { assert_eq!(answer[&RUN_ID.to_string()].output_url, FILE_URL); },
}

family_contract! {
    errors "get_text_to_sound_results", results, GetTextToSoundResultsThen, Idempotent,
    |client| client.get_text_to_sound_results().body(run_ids()).send();
    422 => raw_text_to_sound_results_422 camb_text_to_sound_results_422,
    401 => raw_text_to_sound_results_401 camb_text_to_sound_results_401,
}
