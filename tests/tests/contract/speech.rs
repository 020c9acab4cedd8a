//! Contract tests of the speech operations (`POST /tts-stream`,
//! `GET /list-voices`, `POST /create-custom-voice`), through the raw
//! generated client and `Camb`: what each sends, and how each reads every
//! documented answer.

use camb_api::mock::MockServerExt;
use camb_api::mock::operations::{CreateCustomVoiceThen, CreateStreamTtsThen, ListVoicesThen};
use camb_api::multipart::FilePart;
use camb_api::types::{
    BodyCreateCustomVoiceCreateCustomVoicePost, CreateStreamTtsRequestPayload, HttpValidationError,
};
use camb_api_ext::{AudioFormat, Error, Gender, Language, NewVoice, RateSource, Speech, VoiceId};
use camb_tests::clients::{API_KEY, camb_client, raw_client};
use camb_tests::contract_test;
use futures_util::StreamExt;
use httpmock::{Mock, MockServer};
use serde_json::{Value, json};

use crate::expect::{self, authenticated, no_query};

const VOICE_ID: i64 = 147_320;
const NEW_VOICE_ID: i64 = 9_001;
const RECORDING: &[u8] = b"RIFF-a-recording";

/// What `Camb` says, and the body it must send for it.
fn speech() -> Speech {
    Speech::new("Hello there!", Language::EN_US, VoiceId(VOICE_ID))
}

fn speech_body() -> Value {
    json!({
        "text": "Hello there!",
        "language": "en-us",
        "voice_id": VOICE_ID,
        "output_configuration": {"format": "wav"},
    })
}

fn raw_payload() -> CreateStreamTtsRequestPayload {
    serde_json::from_value(speech_body()).expect("a valid payload")
}

/// A WAV of four 16-bit samples at 24 kHz (its data length a placeholder,
/// as a streamed WAV has).
fn wav() -> Vec<u8> {
    let mut out = b"RIFF\xff\xff\xff\xffWAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00".to_vec();
    out.extend_from_slice(&24_000u32.to_le_bytes());
    out.extend_from_slice(&48_000u32.to_le_bytes());
    out.extend_from_slice(b"\x02\x00\x10\x00data\xff\xff\xff\xff");
    out.extend_from_slice(&[1, 0, 2, 0, 3, 0, 4, 0]);
    out
}

/// `POST /tts-stream` with the speech's JSON body, no query.
fn stream<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateStreamTtsThen) -> CreateStreamTtsThen,
) -> Mock<'a> {
    server.create_stream_tts(|when, then| {
        authenticated(when.into_inner())
            .header("content-type", "application/json")
            .json_body(speech_body())
            .is_true(no_query);
        respond(then);
    })
}

/// `GET /list-voices`, no query.
fn list<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(ListVoicesThen) -> ListVoicesThen,
) -> Mock<'a> {
    server.list_voices(|when, then| {
        authenticated(when.into_inner()).is_true(no_query);
        respond(then);
    })
}

fn part(name: &str, value: &str) -> String {
    format!("name=\"{name}\"\r\n\r\n{value}\r\n")
}

/// `POST /create-custom-voice`: the form's fields and the recording.
fn create<'a>(
    server: &'a MockServer,
    respond: impl FnOnce(CreateCustomVoiceThen) -> CreateCustomVoiceThen,
) -> Mock<'a> {
    server.create_custom_voice(|when, then| {
        authenticated(when.into_inner())
            .header_matches("content-type", "^multipart/form-data; boundary=")
            .body_includes(part("voice_name", "Narrator"))
            .body_includes(part("gender", "2"))
            .body_includes(part("age", "35"))
            .body_includes(part("language", "1"))
            .body_includes("name=\"file\"; filename=\"narrator.wav\"\r\n")
            .body_includes("\r\n\r\nRIFF-a-recording\r\n--")
            .is_true(no_query);
        respond(then);
    })
}

fn new_voice() -> NewVoice {
    NewVoice::from_bytes("Narrator", Gender::Female, "narrator.wav", RECORDING)
        .age(35)
        .language(Language::EN_US)
}

fn raw_voice_fields() -> BodyCreateCustomVoiceCreateCustomVoicePost {
    serde_json::from_value(json!({"voice_name": "Narrator", "gender": 2, "age": 35, "language": 1}))
        .expect("valid fields")
}

fn unprocessable<T: std::fmt::Debug>(
    result: Result<T, camb_api::Error<HttpValidationError>>,
) -> HttpValidationError {
    match result {
        Err(camb_api::Error::ErrorResponse(response)) => {
            assert_eq!(response.status(), 422);
            response.into_inner()
        }
        other => panic!("expected a 422 error response, got {other:?}"),
    }
}

/// Voices in each of the three shapes the answer has been seen in.
fn voice_lists() -> [Value; 3] {
    let voices = json!([
        {"id": VOICE_ID, "voice_name": "Ava", "gender": 2, "age": 30, "language": 1},
        {"id": 7, "voice_name": "Sam"},
    ]);
    [
        voices.clone(),
        json!({"payload": voices.clone()}),
        json!({"voices": voices}),
    ]
}

contract_test! {
    client = Raw, operation = "create_stream_tts", status = 200,
    async fn raw_stream_sends_the_body_and_streams_the_audio() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| {
            CreateStreamTtsThen::new(then.into_inner().status(200).header("content-type", "audio/wav").body(wav()))
        });
        let client = raw_client(&server.base_url(), API_KEY);

        let answer = client.create_stream_tts().body(raw_payload()).send().await.expect("audio");

        assert_eq!(answer.headers()["content-type"], "audio/wav");
        let bytes: Vec<u8> = answer
            .into_inner()
            .into_inner()
            .map(|chunk| chunk.expect("a chunk").to_vec())
            .concat()
            .await;
        assert_eq!(bytes, wav());
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_stream_tts", status = 200,
    async fn camb_speak_sends_the_body_and_hands_on_the_samples() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| {
            CreateStreamTtsThen::new(
                then.into_inner()
                    .status(200)
                    .header("content-type", "audio/wav")
                    .header("x-credits-required", "3")
                    .body(wav()),
            )
        });
        let camb = camb_client(&server.base_url(), API_KEY);

        let audio = camb.speak(&speech()).await.expect("audio");

        let AudioFormat::Pcm(pcm) = audio.format().clone() else { panic!("{audio:?}") };
        assert_eq!((pcm.sample_rate, pcm.channels, pcm.source), (24_000, 1, RateSource::WavHeader));
        assert_eq!(audio.metadata().credits_required(), Some("3"));
        let samples: Vec<u8> = audio.map(|chunk| chunk.expect("a chunk").to_vec()).concat().await;
        assert_eq!(samples, [1, 0, 2, 0, 3, 0, 4, 0]);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_stream_tts", status = 403,
    async fn raw_stream_403_is_an_unexpected_response() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| {
            CreateStreamTtsThen::new(then.into_inner().status(403).json_body(json!({"detail": "nope"})))
        });
        let client = raw_client(&server.base_url(), API_KEY);
        match client.create_stream_tts().body(raw_payload()).send().await.map(drop) {
            Err(camb_api::Error::UnexpectedResponse(response)) => assert_eq!(response.status(), 403),
            other => panic!("{other:?}"),
        }
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_stream_tts", status = 403,
    async fn camb_speak_403_is_a_voice_not_available() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| {
            CreateStreamTtsThen::new(then.into_inner().status(403).json_body(json!({"detail": "nope"})))
        });
        let camb = camb_client(&server.base_url(), API_KEY);
        match camb.speak(&speech()).await {
            Err(Error::VoiceNotAvailable { voice_id, message }) => {
                assert_eq!(voice_id, VoiceId(VOICE_ID));
                assert!(message.contains("nope"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_stream_tts", status = 422,
    async fn raw_stream_decodes_a_validation_error() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let client = raw_client(&server.base_url(), API_KEY);
        let result = client.create_stream_tts().body(raw_payload()).send().await.map(drop);
        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_stream_tts", status = 422,
    async fn camb_speak_turns_a_validation_error_into_error_validation() {
        let server = MockServer::start_async().await;
        let mock = stream(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let camb = camb_client(&server.base_url(), API_KEY);
        expect::assert_validation_error(&crate::validation_detail(camb.speak(&speech()).await));
        mock.assert_async().await;
    }
}

error_answer_tests! {
    "create_stream_tts", 401, stream, CreateStreamTtsThen,
    raw_stream_401_is_an_unexpected_response,
    |client| async { client.create_stream_tts().body(raw_payload()).send().await.map(drop) },
    camb_speak_401_is_a_typed_error, |camb| camb.speak(&speech()),
}

contract_test! {
    client = Raw, operation = "list_voices", status = 200,
    async fn raw_list_voices_decodes_every_shape() {
        for body in voice_lists() {
            let server = MockServer::start_async().await;
            let mock = list(&server, |then| ListVoicesThen::new(then.into_inner().status(200).json_body(body.clone())));
            let client = raw_client(&server.base_url(), API_KEY);
            let listed = client.list_voices().send().await.expect("voices").into_inner();
            assert_eq!(serde_json::to_value(&listed).unwrap(), body);
            mock.assert_async().await;
        }
    }
}

contract_test! {
    client = Camb, operation = "list_voices", status = 200,
    async fn camb_voices_reads_every_shape_with_what_a_picker_needs() {
        for body in voice_lists() {
            let server = MockServer::start_async().await;
            let mock = list(&server, |then| ListVoicesThen::new(then.into_inner().status(200).json_body(body.clone())));
            let camb = camb_client(&server.base_url(), API_KEY);
            let voices = camb.voices().await.expect("voices");
            let [ava, sam] = voices.as_slice() else { panic!("{voices:?}") };
            assert_eq!((ava.id(), ava.name(), ava.gender()), (VoiceId(VOICE_ID), "Ava", Gender::Female));
            assert_eq!((ava.age(), ava.language()), (Some(30), Some(Language::EN_US)));
            assert_eq!((sam.id(), sam.gender(), sam.language()), (VoiceId(7), Gender::NotKnown, None));
            mock.assert_async().await;
        }
    }
}

contract_test! {
    client = Raw, operation = "list_voices", status = 422,
    async fn raw_list_voices_decodes_a_validation_error() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let client = raw_client(&server.base_url(), API_KEY);
        expect::assert_validation_error(&unprocessable(client.list_voices().send().await));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "list_voices", status = 422,
    async fn camb_voices_turn_a_validation_error_into_error_validation() {
        let server = MockServer::start_async().await;
        let mock = list(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let camb = camb_client(&server.base_url(), API_KEY);
        expect::assert_validation_error(&crate::validation_detail(camb.voices().await));
        mock.assert_async().await;
    }
}

error_answer_tests! {
    "list_voices", 401, list, ListVoicesThen,
    raw_list_voices_401_is_an_unexpected_response, |client| client.list_voices().send(),
    camb_voices_401_is_a_typed_error, |camb| camb.voices(),
}

contract_test! {
    client = Raw, operation = "create_custom_voice", status = 200,
    async fn raw_create_voice_sends_the_form_with_the_recording() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.ok(&serde_json::from_value(json!({"voice_id": NEW_VOICE_ID})).unwrap()));
        let client = raw_client(&server.base_url(), API_KEY);
        let created = client
            .create_custom_voice()
            .body(raw_voice_fields())
            .file(FilePart::bytes(RECORDING, "narrator.wav"))
            .send()
            .await
            .expect("created")
            .into_inner();
        assert_eq!(created.voice_id, NEW_VOICE_ID);
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_custom_voice", status = 200,
    async fn camb_create_voice_sends_the_form_and_returns_the_new_id() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.ok(&serde_json::from_value(json!({"voice_id": NEW_VOICE_ID})).unwrap()));
        let camb = camb_client(&server.base_url(), API_KEY);
        assert_eq!(camb.create_voice(&new_voice()).await.expect("created"), VoiceId(NEW_VOICE_ID));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Raw, operation = "create_custom_voice", status = 422,
    async fn raw_create_voice_decodes_a_validation_error() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let client = raw_client(&server.base_url(), API_KEY);
        let result = client
            .create_custom_voice()
            .body(raw_voice_fields())
            .file(FilePart::bytes(RECORDING, "narrator.wav"))
            .send()
            .await;
        expect::assert_validation_error(&unprocessable(result));
        mock.assert_async().await;
    }
}

contract_test! {
    client = Camb, operation = "create_custom_voice", status = 422,
    async fn camb_create_voice_turns_a_validation_error_into_error_validation() {
        let server = MockServer::start_async().await;
        let mock = create(&server, |then| then.unprocessable_entity(&expect::validation_error()));
        let camb = camb_client(&server.base_url(), API_KEY);
        expect::assert_validation_error(&crate::validation_detail(camb.create_voice(&new_voice()).await));
        mock.assert_async().await;
    }
}

error_answer_tests! {
    "create_custom_voice", 401, create, CreateCustomVoiceThen,
    raw_create_voice_401_is_an_unexpected_response,
    |client| client.create_custom_voice().body(raw_voice_fields()).file(FilePart::bytes(RECORDING, "narrator.wav")).send(),
    camb_create_voice_401_is_a_typed_error, |camb| camb.create_voice(&new_voice()),
}

/// The text limits `Speech` checks before any request are the spec's.
#[test]
fn the_speech_text_limits_are_the_specs() {
    let spec = camb_tests::spec::document();
    let text =
        &spec["components"]["schemas"]["CreateStreamTtsRequestPayload"]["properties"]["text"];
    assert_eq!(text["minLength"], json!(*camb_api_ext::TEXT_CHARS.start()));
    assert_eq!(text["maxLength"], json!(*camb_api_ext::TEXT_CHARS.end()));
}
