//! Contract tests of the audio separation family (`POST /audio-separation`,
//! its status, its result and batch results) through the raw generated
//! client, whose create is the multipart builder, and through `Camb`'s
//! family calls (`task_families`).

use camb_api::builder::CreateAudioSeparation;
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateAudioSeparationThen, GetAudioSeparationRunInfoThen, GetAudioSeparationRunsResultsThen,
    GetAudioSeparationStatusThen,
};
use camb_api::multipart::FilePart;
use camb_api::types::{
    BodyCreateAudioSeparationAudioSeparationPost, GetAudioSeparationResultOut,
    OrchestratorPipelineCallResult, RunIDsRequestPayload, TaskIdParam,
};
use camb_api_ext::tasks::AudioSeparation;
use camb_tests::clients::{API_KEY, raw_client};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};

use crate::expect::{self, RUN_ID, TASK_ID};
use crate::task_families::{json_request, query_is, text_part};

const TRACEPARENT: &str = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

/// The form's text fields as the generated client types them.
fn form() -> BodyCreateAudioSeparationAudioSeparationPost {
    serde_json::from_value(serde_json::json!({
        "project_name": "Mix",
        "project_description": "Live set",
        "folder_id": 3,
    }))
    .expect("a valid form")
}

/// `POST /audio-separation?run_id=5` with `traceparent`: a multipart form
/// with [`form`]'s fields and `mix.wav` as the `media_file` part.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateAudioSeparationThen) -> CreateAudioSeparationThen,
) -> Mock<'a> {
    server.create_audio_separation(|when, then| {
        let when = when.run_id(5).traceparent(TRACEPARENT).into_inner();
        expect::authenticated(when)
            .header_matches("content-type", "^multipart/form-data; boundary=")
            .body_includes(text_part("project_name", "Mix"))
            .body_includes(text_part("project_description", "Live set"))
            .body_includes(text_part("folder_id", "3"))
            .body_includes(
                "name=\"media_file\"; filename=\"mix.wav\"\r\nContent-Type: audio/wav\r\n\r\nRIFF-mix\r\n",
            )
            .is_true(query_is(&[("run_id", "5")]));
        respond(then);
    })
}

/// The create call with [`form`], `mix.wav`, `?run_id=5` and `traceparent`
/// set: the raw client's and `Camb::create_task`'s.
fn create_call(call: CreateAudioSeparation<'_>) -> CreateAudioSeparation<'_> {
    let media = FilePart::bytes(b"RIFF-mix".as_slice(), "mix.wav")
        .content_type("audio/wav")
        .expect("a media type");
    call.body(form())
        .media_file(media)
        .run_id(5)
        .traceparent(TRACEPARENT)
}

/// `GET /audio-separation/{TASK_ID}`, no query.
fn status<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetAudioSeparationStatusThen) -> GetAudioSeparationStatusThen,
) -> Mock<'a> {
    server.get_audio_separation_status(|when, then| {
        let when = when.task_id(&TaskIdParam(TASK_ID.into())).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

/// `GET /audio-separation-result/{RUN_ID}`.
fn result<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetAudioSeparationRunInfoThen) -> GetAudioSeparationRunInfoThen,
) -> Mock<'a> {
    server.get_audio_separation_run_info(|when, then| {
        let when = when.run_id(RUN_ID).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

/// `POST /audio-separation-results` with `{"run_ids": [RUN_ID]}`, no query,
/// no `traceparent`.
fn results<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetAudioSeparationRunsResultsThen) -> GetAudioSeparationRunsResultsThen,
) -> Mock<'a> {
    server.get_audio_separation_runs_results(|when, then| {
        let when = when
            .body(&RunIDsRequestPayload {
                run_ids: vec![RUN_ID],
            })
            .traceparent(None)
            .into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

fn stems() -> GetAudioSeparationResultOut {
    serde_json::from_value(serde_json::json!({
        "foreground_audio_url": "https://storage.example/fg.flac",
        "background_audio_url": "https://storage.example/bg.flac",
    }))
    .expect("a valid result")
}

fn assert_stems(result: &GetAudioSeparationResultOut) {
    assert_eq!(
        result.foreground_audio_url,
        "https://storage.example/fg.flac"
    );
    assert_eq!(
        result.background_audio_url,
        "https://storage.example/bg.flac"
    );
}

family_contract! {
    create create: "create_audio_separation", CreateAudioSeparationThen, AudioSeparation,
    |client| create_call(client.create_audio_separation()).send(),
    |call| create_call(call), OrchestratorPipelineCallResult { task_id: Some(TASK_ID.into()) };
    errors 422, 401;
}

#[tokio::test]
async fn raw_create_without_a_file_is_still_a_form() {
    let server = MockServer::start_async().await;
    let mock = server.create_audio_separation(|when, then| {
        expect::authenticated(when.into_inner())
            .header_matches("content-type", "^multipart/form-data; boundary=")
            .body_includes(text_part("project_name", "Mix"))
            .body_excludes("filename=");
        then.ok(&OrchestratorPipelineCallResult {
            task_id: Some(TASK_ID.into()),
        });
    });

    let answer = raw_client(&server.base_url(), API_KEY)
        .create_audio_separation()
        .body_map(|form| form.project_name(Some("Mix".to_owned())))
        .send()
        .await
        .expect("create succeeds");

    assert_eq!(answer.into_inner().task_id.as_deref(), Some(TASK_ID));
    mock.assert_async().await;
}

family_contract! {
    status "get_audio_separation_status", status, GetAudioSeparationStatusThen, AudioSeparation,
    expect::succeeded_status(),
    |client| client.get_audio_separation_status().task_id(TASK_ID.to_owned()).send(),
}

family_contract! {
    result result: "get_audio_separation_run_info", GetAudioSeparationRunInfoThen, AudioSeparation,
    |client| client.get_audio_separation_run_info().run_id(RUN_ID).send(),
    |call| call, stems(), raw_result_decodes_both_stems camb_result_decodes_both_stems,
    |answer| { assert_stems(&answer); },
}

family_contract! {
    results results: "get_audio_separation_runs_results", GetAudioSeparationRunsResultsThen, AudioSeparation,
    |client| client.get_audio_separation_runs_results().body(RunIDsRequestPayload { run_ids: vec![RUN_ID] }).send(),
    stems(), |result| { assert_stems(&result); },
}
