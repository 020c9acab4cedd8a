//! Contract tests of text to voice (`POST /text-to-voice`, its status, its
//! previews), through the raw client and `Camb`'s family calls
//! (`task_families`).

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateTextToVoiceThen, GetTextToVoiceResultThen, GetTextToVoiceStatusThen,
};
use camb_api::types::{
    CreateTextToVoiceRequestPayload, GetTextToVoiceResultOut, OrchestratorPipelineCallResult,
};
use camb_api_ext::tasks::TextToVoice;
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};

use crate::expect::{RUN_ID, TASK_ID, authenticated, no_query};
use crate::task_families::{succeeded, task_id_param};

/// A `POST /text-to-voice` body with every field set.
fn voice_body() -> CreateTextToVoiceRequestPayload {
    serde_json::from_value(serde_json::json!({
        "text": "Welcome to our application. I'll be your guide.",
        "voice_description": "A warm and friendly middle-aged woman with a slight British accent \
            who speaks clearly and articulately, with a soothing tone that conveys expertise.",
        "project_name": "Guide",
        "project_description": "The onboarding voice",
        "folder_id": 3,
    }))
    .expect("a valid text-to-voice body")
}

/// `POST /text-to-voice` with exactly [`voice_body`], no query, no
/// `traceparent`.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateTextToVoiceThen) -> CreateTextToVoiceThen,
) -> Mock<'a> {
    server.create_text_to_voice(|when, then| {
        let when = when.body(&voice_body()).traceparent(None).into_inner();
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
    create create: "create_text_to_voice", CreateTextToVoiceThen, TextToVoice,
    |client| client.create_text_to_voice().body(voice_body()).send(),
    |call| call.body(voice_body()), created();
    errors 422, 401;
}

/// `GET /text-to-voice/{TASK_ID}`, no query, no `traceparent`.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToVoiceStatusThen) -> GetTextToVoiceStatusThen,
) -> Mock<'a> {
    server.get_text_to_voice_status(|when, then| {
        let when = when
            .task_id(&task_id_param())
            .traceparent(None)
            .into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

family_contract! {
    status "get_text_to_voice_status", status, GetTextToVoiceStatusThen, TextToVoice, succeeded(),
    |client| client.get_text_to_voice_status().task_id(task_id_param()).send(),
}

/// `GET /text-to-voice-result/{RUN_ID}`, no query.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetTextToVoiceResultThen) -> GetTextToVoiceResultThen,
) -> Mock<'a> {
    server.get_text_to_voice_result(|when, then| {
        let when = when.run_id(RUN_ID).into_inner();
        authenticated(when).is_true(no_query);
        respond(then);
    })
}

const PREVIEWS: [&str; 2] = [
    "https://cdn.example.com/voices/1/preview-1.wav",
    "https://cdn.example.com/voices/1/preview-2.wav",
];

family_contract! {
    result result: "get_text_to_voice_result", GetTextToVoiceResultThen, TextToVoice,
    |client| client.get_text_to_voice_result().run_id(RUN_ID).send(),
    |call| call, GetTextToVoiceResultOut { previews: PREVIEWS.map(String::from).to_vec() },
    raw_decodes_the_previews camb_decodes_the_previews,
    |answer| { assert_eq!(answer.previews, PREVIEWS); },
}
