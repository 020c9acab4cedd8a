//! Contract tests of the live streams (`POST /stream`, its probe, and
//! `/stream/{stream_id}` read, changed and ended) and of the deprecated
//! `/v1/stream...` routes, through the raw generated client and through
//! `Camb::call_raw` (streams are no task family: `task_families`).

use camb_api::builder::GetProbeStreamV1;
use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{
    CreateStreamThen, CreateStreamV1Then, DestroyStreamThen, GetProbeStreamThen,
    GetProbeStreamV1Then, GetStreamResultThen, GetStreamResultV1Then, PatchStreamDataThen,
    StopStreamV1Then,
};
use camb_api::types::{
    CreateStreamOut, CreateStreamRequestPayload, GetProbeStreamIn, GetProbeStreamOut,
    PatchStreamRequestPayload,
};
use camb_api::{DemixingOption, TranscribingOption};
use camb_tests::contract_test;
use httpmock::{Mock, MockServer};
use serde_json::{Map, Value, json};

use crate::expect;
use crate::task_families::{json_request, query_is};

const STREAM_ID: i64 = 314;

/// A stream with a pipeline model this client does not know (an open enum
/// sends it as it is), a schedule, and two targets.
fn create_body() -> CreateStreamRequestPayload {
    serde_json::from_value(json!({
        "name": "Keynote",
        "voices": [20299],
        "dictionaries": [],
        "config": {
            "pipeline": {"demixing": "best_model", "transcribing": "whisper_next"},
            "mixing": {"original_audio_gain": 0.1, "fade_time": 0.5},
        },
        "source_stream": {"language": 1, "url": "srt://in.example:9000", "latency": 200},
        "target_streams": [
            {"languages": [76], "url": "srt://out.example:9001", "type": 1, "pids": [256, null]},
            {"languages": [54, 31], "url": "rtmp://out.example/live", "type": 2},
        ],
        "start_time": "2026-12-07T10:00:00Z",
        "timezone": "Europe/London",
    }))
    .expect("a valid body")
}

fn created() -> CreateStreamOut {
    serde_json::from_value(json!({
        "stream_id": STREAM_ID,
        "stream_url_for_languages": [{"languages": [76], "url": "https://play.example/fr.m3u8"}],
        "task_id": "stream-task-1",
    }))
    .expect("a valid answer")
}

fn assert_created(answer: &CreateStreamOut) {
    assert_eq!(answer.stream_id, STREAM_ID);
    assert_eq!(answer.task_id, "stream-task-1");
    let [url] = answer.stream_url_for_languages.as_slice() else {
        panic!("one URL: {answer:?}");
    };
    assert_eq!(
        (url.languages.as_slice(), url.url.as_str()),
        (&[76][..], "https://play.example/fr.m3u8")
    );
}

#[test]
fn the_create_body_keeps_known_and_unknown_pipeline_models_and_nullable_pids() {
    let body = create_body();
    let pipeline = body.config.pipeline.expect("a pipeline");
    assert_eq!(pipeline.demixing, Some(DemixingOption::BestModel));
    assert_eq!(
        pipeline.transcribing,
        Some(TranscribingOption::from("whisper_next"))
    );
    assert_eq!(body.target_streams[0].pids, Some(vec![Some(256), None]));
    assert_eq!(
        body.start_time.map(|time| time.to_rfc3339()).as_deref(),
        Some("2026-12-07T10:00:00+00:00")
    );
    let sent = serde_json::to_value(create_body()).expect("serializes");
    assert_eq!(sent["config"]["pipeline"]["transcribing"], "whisper_next");
}

/// `POST /stream` with exactly [`create_body`], no query.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateStreamThen) -> CreateStreamThen,
) -> Mock<'a> {
    server.create_stream(|when, then| {
        let when = when.body(&create_body()).into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    create: "create_stream", CreateStreamThen, OnlyIfUnprocessed,
    |client| client.create_stream().body(create_body()).send();
    ok |then| then.ok(&created())
        => raw_create_sends_the_stream_and_decodes_its_urls camb_create_sends_the_stream_and_decodes_its_urls,
        |answer| { assert_created(&answer); };
    errors 422, 401;
}

/// `POST /v1/stream` with exactly [`create_body`], no query.
fn create_v1<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateStreamV1Then) -> CreateStreamV1Then,
) -> Mock<'a> {
    server.create_stream_v1(|when, then| {
        let when = when.body(&create_body()).into_inner();
        json_request(when).path("/v1/stream").is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    create_v1: "create_stream_v1", CreateStreamV1Then, OnlyIfUnprocessed,
    |client| client.create_stream_v1().body(create_body()).send();
    ok |then| then.ok(&created())
        => raw_create_v1_sends_the_stream_to_the_deprecated_route
           camb_create_v1_sends_the_stream_to_the_deprecated_route,
        |answer| { assert_created(&answer); };
    errors 422, 401;
}

fn probe_body() -> GetProbeStreamIn {
    serde_json::from_value(json!({"url": "srt://in.example:9000", "passphrase": "s3cret"}))
        .expect("a valid body")
}

fn probed() -> GetProbeStreamOut {
    serde_json::from_value(json!({
        "video_streams": [{"index": 0, "codec_name": "h264", "codec_long_name": "H.264", "width": 1920, "height": 1080}],
        "audio_streams": [{"index": 1, "codec_name": "aac", "codec_long_name": "AAC", "sample_fmt": "fltp",
                           "sample_rate": 48000, "channels": 2, "tags": {"language": "eng"}}],
        "data_streams": [{"index": 2}],
    }))
    .expect("a valid answer")
}

fn assert_probed(answer: &GetProbeStreamOut) {
    assert_eq!(answer.video_streams[0].width, Some(1920));
    let audio = &answer.audio_streams[0];
    assert_eq!((audio.sample_rate, audio.channels), (48000, 2));
    assert_eq!(
        audio.tags.as_ref().map(|tags| tags["language"].clone()),
        Some(json!("eng"))
    );
    assert_eq!(answer.data_streams[0].index, 2);
    assert_eq!(answer.data_streams[0].codec_name, None);
}

/// `POST /stream/probe` with [`probe_body`], no query.
fn probe<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetProbeStreamThen) -> GetProbeStreamThen,
) -> Mock<'a> {
    server.get_probe_stream(|when, then| {
        let when = when.body(&probe_body()).run_id(None).into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    probe: "get_probe_stream", GetProbeStreamThen, Idempotent,
    |client| client.get_probe_stream().body(probe_body()).send();
    ok |then| then.ok(&probed())
        => raw_probe_sends_the_source_and_decodes_its_tracks camb_probe_sends_the_source_and_decodes_its_tracks,
        |answer| { assert_probed(&answer); };
    errors 422, 401;
}

/// `POST /v1/stream/probe?run_id=5` with [`probe_body`] and `traceparent`.
fn probe_v1<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetProbeStreamV1Then) -> GetProbeStreamV1Then,
) -> Mock<'a> {
    server.get_probe_stream_v1(|when, then| {
        let when = when
            .body(&probe_body())
            .run_id(5)
            .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
            .into_inner();
        json_request(when).is_true(query_is(&[("run_id", "5")]));
        respond(then);
    })
}

/// The deprecated probe with [`probe_body`], `?run_id=5` and `traceparent`.
fn probe_v1_call(client: &camb_api::Client) -> GetProbeStreamV1<'_> {
    client
        .get_probe_stream_v1()
        .body(probe_body())
        .run_id(5)
        .traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01".to_owned())
}

family_contract! {
    probe_v1: "get_probe_stream_v1", GetProbeStreamV1Then, Idempotent,
    |client| probe_v1_call(client).send();
    ok |then| then.ok(&probed())
        => raw_probe_v1_sends_the_query_and_trace_header camb_probe_v1_sends_the_query_and_trace_header,
        |answer| { assert_probed(&answer); };
    errors 422, 401;
}

/// What the stream routes answer: typed `Dict[str, Any]`.
fn stream_answer() -> Map<String, Value> {
    json!({"stream_id": STREAM_ID, "status": "RUNNING", "targets": [{"language": 76}]})
        .as_object()
        .cloned()
        .expect("an object")
}

/// `GET /stream/{STREAM_ID}`, no query.
fn read<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetStreamResultThen) -> GetStreamResultThen,
) -> Mock<'a> {
    server.get_stream_result(|when, then| {
        let when = when.stream_id(STREAM_ID).run_id(None).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    read: "get_stream_result", GetStreamResultThen, Idempotent,
    |client| client.get_stream_result().stream_id(STREAM_ID).send();
    ok |then| then.ok(&stream_answer())
        => raw_read_keeps_every_field_of_the_stream camb_read_keeps_every_field_of_the_stream,
        |answer| { assert_eq!(answer, stream_answer()); };
    errors 422, 401, 404;
}

fn patch_body() -> PatchStreamRequestPayload {
    serde_json::from_value(json!({
        "end_time": "2026-12-07T12:00:00Z",
        "target_languages": [76, 54],
        "payload": {"note": "extended"},
    }))
    .expect("a valid body")
}

/// `PATCH /stream/{STREAM_ID}` with [`patch_body`], no query.
fn change<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(PatchStreamDataThen) -> PatchStreamDataThen,
) -> Mock<'a> {
    server.patch_stream_data(|when, then| {
        let when = when
            .stream_id(STREAM_ID)
            .run_id(None)
            .body(&patch_body())
            .into_inner();
        json_request(when).is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    change: "patch_stream_data", PatchStreamDataThen, Idempotent,
    |client| client.patch_stream_data().stream_id(STREAM_ID).body(patch_body()).send();
    ok |then| then.ok(&stream_answer())
        => raw_patch_sends_the_changes_and_keeps_the_answer camb_patch_sends_the_changes_and_keeps_the_answer,
        |answer| { assert_eq!(answer, stream_answer()); };
    errors 422, 401, 404;
}

/// `DELETE /stream/{STREAM_ID}`, no query.
fn destroy<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(DestroyStreamThen) -> DestroyStreamThen,
) -> Mock<'a> {
    server.destroy_stream(|when, then| {
        let when = when.stream_id(STREAM_ID).run_id(None).into_inner();
        expect::authenticated(when).is_true(query_is(&[]));
        respond(then);
    })
}

/// What ending a stream answers.
fn ended() -> Map<String, Value> {
    json!({"detail": "stream stopped"})
        .as_object()
        .cloned()
        .expect("an object")
}

family_contract! {
    destroy: "destroy_stream", DestroyStreamThen, Idempotent,
    |client| client.destroy_stream().stream_id(STREAM_ID).send();
    ok |then| then.ok(&ended())
        => raw_destroy_ends_the_stream_and_keeps_the_answer camb_destroy_ends_the_stream_and_keeps_the_answer,
        |answer| { assert_eq!(answer, ended()); };
    errors 422, 401, 404;
}

/// `GET /v1/stream/{STREAM_ID}?run_id=5`.
fn read_v1<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(GetStreamResultV1Then) -> GetStreamResultV1Then,
) -> Mock<'a> {
    server.get_stream_result_v1(|when, then| {
        let when = when.stream_id(STREAM_ID).run_id(5).into_inner();
        expect::authenticated(when)
            .path(format!("/v1/stream/{STREAM_ID}"))
            .is_true(query_is(&[("run_id", "5")]));
        respond(then);
    })
}

family_contract! {
    read_v1: "get_stream_result_v1", GetStreamResultV1Then, Idempotent,
    |client| client.get_stream_result_v1().stream_id(STREAM_ID).run_id(5).send();
    ok |then| then.ok(&stream_answer())
        => raw_read_v1_sends_the_run_id_to_the_deprecated_route camb_read_v1_sends_the_run_id_to_the_deprecated_route,
        |answer| { assert_eq!(answer, stream_answer()); };
    errors 422, 401, 404;
}

/// `GET /v1/stream/{STREAM_ID}/stop`, no query: a `GET` that ends it.
fn stop_v1<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(StopStreamV1Then) -> StopStreamV1Then,
) -> Mock<'a> {
    server.stop_stream_v1(|when, then| {
        let when = when.stream_id(STREAM_ID).run_id(None).into_inner();
        expect::authenticated(when)
            .path(format!("/v1/stream/{STREAM_ID}/stop"))
            .is_true(query_is(&[]));
        respond(then);
    })
}

family_contract! {
    stop_v1: "stop_stream_v1", StopStreamV1Then, Idempotent,
    |client| client.stop_stream_v1().stream_id(STREAM_ID).send();
    ok |then| then.ok(&stream_answer())
        => raw_stop_v1_ends_the_stream_with_a_get camb_stop_v1_ends_the_stream_with_a_get,
        |answer| { assert_eq!(answer, stream_answer()); };
    errors 422, 401, 404;
}
