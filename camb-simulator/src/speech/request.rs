//! The rules of `POST /tts-stream`'s body, as the API applies them
//! (camb-api-facts.md, Source 8.2): FastAPI-shaped `422`s for a text of
//! fewer than 3 or more than 3,000 characters, a locale outside the allowed
//! list (the `detail` lists it), and badly typed fields; then the sample
//! rate the simulator answers with.

use camb_api::OutputFormat;
use serde_json::{Value, json};

use super::audio::{Container, Pcm, Timing};
use crate::validate::{self, Field, Kind, Problems};

/// The shortest and longest text the API speaks, in characters.
pub(crate) const TEXT_CHARS: std::ops::RangeInclusive<usize> = 3..=3000;

/// The locales `/tts-stream` takes (camb-sdk 1.6.6
/// camb/text_to_speech/types/create_stream_tts_request_payload_language.py),
/// lower-case BCP-47 tags, in the SDK's order.
pub(crate) const LOCALES: &[&str] = &[
    "ar-kw", "de-ch", "ko-kr", "th-th", "ml-in", "pt-pt", "kn-in", "fi-fi", "es-mx", "fr-ca",
    "cs-cz", "pt-br", "hi-in", "ar-sy", "es-us", "bn-bd", "ja-jp", "mr-in", "ar-ma", "es-es",
    "en-us", "zh-cn", "el-gr", "pl-pl", "ar-om", "fr-ch", "en-uk", "en-au", "ar-jo", "ar-ae",
    "tr-tr", "ar-ly", "ru-ru", "en-in", "ar-ye", "ar-eg", "fr-be", "ta-in", "zh-tw", "vi-vn",
    "bn-in", "ar-sa", "de-at", "pa-in", "it-it", "nl-nl", "ar-bh", "fr-fr", "ar-qa", "uk-ua",
    "ar-tn", "de-de", "ar-xa", "ar-lb", "zh-hk", "ro-ro", "as-in", "ar-iq", "nl-be", "te-in",
    "id-id", "ar-dz",
];

const OUTPUT_CONFIGURATION: &[Field] = &[
    // Checked against the spec's `OutputFormat` below.
    Field::optional("format", Kind::Str),
    Field::optional("apply_enhancement", Kind::Bool),
    Field::optional("sample_rate", Kind::Int),
];

const VOICE_SETTINGS: &[Field] = &[
    Field::optional("enhance_reference_audio_quality", Kind::Bool),
    Field::optional("maintain_source_accent", Kind::Bool),
    Field::optional("apply_ref_loudness_norm", Kind::Bool),
];

/// The body, in the SDK's field order (Pydantic reports in that order).
const BODY: &[Field] = &[
    Field::required("text", Kind::Str),
    Field::required("language", Kind::Literal(LOCALES)),
    Field::required("voice_id", Kind::Int),
    Field::optional("speech_model", Kind::Str),
    Field::optional("user_instructions", Kind::Str),
    Field::optional("enhance_named_entities_pronunciation", Kind::Bool),
    Field::optional("output_configuration", Kind::Model(OUTPUT_CONFIGURATION)),
    Field::optional("voice_settings", Kind::Model(VOICE_SETTINGS)),
    Field::optional(
        "inference_options",
        Kind::ModelOrDict("StreamTtsInferenceOptions"),
    ),
];

/// The sample rates the simulator answers with, and why: the sources
/// disagree (camb-api-facts.md, Source 8.2), so it follows the vendor's own
/// word and lets a test play the other observations.
///
/// - a rate the request asks for (`output_configuration.sample_rate`) is
///   honoured, as abogen observed (it got the 24 kHz it asked for);
/// - otherwise by model, as CAMB.AI's Python SDK README (and pipecat,
///   livekit and jargo after it) says: 48 kHz for the `pro` models
///   (`mars-pro`, `mars-8.1-pro-beta`), 22.05 kHz for every other
///   (`mars-flash`, `mars-instruct`, `mars-8.1-flash-beta`, no model, a model
///   from the future);
/// - [`SimulatorBuilder::speech_sample_rate`](crate::SimulatorBuilder::speech_sample_rate)
///   forces one rate whatever was asked, as flowcat observed (48 kHz
///   always): a client that trusts the request instead of the WAV header
///   then fails its test, as it would in production.
pub(crate) fn model_rate(speech_model: Option<&str>) -> u32 {
    match speech_model {
        Some(model) if model.split(['-', '.']).any(|part| part == "pro") => 48_000,
        _ => 22_050,
    }
}

/// The rates the simulator encodes: what telephony to studio audio uses.
const RATES: std::ops::RangeInclusive<i64> = 8_000..=48_000;

/// The longest `output_configuration.duration` the simulator makes, in seconds.
const LONGEST_SECONDS: f64 = 600.0;

/// A valid `/tts-stream` request, as the simulator needs it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SpeechRequest {
    pub(crate) text: String,
    pub(crate) voice_id: i64,
    pub(crate) container: Container,
    /// The rate the request asked for or its model implies.
    pub(crate) rate: u32,
    pub(crate) timing: Timing,
    /// The locale, as sent (a known one).
    pub(crate) language: String,
}

/// Reads a `/tts-stream` body; the FastAPI `422` problems otherwise.
pub(crate) fn read(body: &[u8]) -> Result<SpeechRequest, Problems> {
    // The types first, then the API's own rules on every value of the
    // right type, all reported at once in field order, as Pydantic does.
    let typed = validate::body(Problems::default(), body, BODY);
    let value = match &typed {
        Ok(value) => value.clone(),
        Err(_) => serde_json::from_slice(body).unwrap_or(Value::Null),
    };
    let mut problems = Problems::default();
    let text = value["text"].as_str().unwrap_or_default();
    let characters = text.chars().count();
    let text_loc = ["body".into(), "text".into()];
    if !value["text"].is_string() {
        // A type problem already.
    } else if characters < *TEXT_CHARS.start() {
        problems.push_with_ctx(
            "string_too_short",
            &text_loc,
            &format!(
                "String should have at least {} characters",
                TEXT_CHARS.start()
            ),
            &value["text"],
            json!({ "min_length": TEXT_CHARS.start() }),
        );
    } else if characters > *TEXT_CHARS.end() {
        problems.push_with_ctx(
            "string_too_long",
            &text_loc,
            &format!("String should have at most {} characters", TEXT_CHARS.end()),
            &value["text"],
            json!({ "max_length": TEXT_CHARS.end() }),
        );
    }
    let output = &value["output_configuration"];
    let format_loc = [
        "body".into(),
        "output_configuration".into(),
        "format".into(),
    ];
    let format = output["format"].as_str().map(OutputFormat::from);
    if let Some(unknown) = format.as_ref().filter(|format| format.is_unknown()) {
        // The values of the spec's `OutputFormat`, as Pydantic lists a Literal's.
        let known: Vec<&str> = OutputFormat::KNOWN
            .iter()
            .map(OutputFormat::as_str)
            .collect();
        let expected = validate::one_of(&known);
        problems.push_with_ctx(
            "literal_error",
            &format_loc,
            &format!("Input should be {expected}"),
            &Value::String(unknown.to_string()),
            json!({ "expected": expected }),
        );
    }
    let container = match format.as_ref().map(OutputFormat::as_str) {
        None | Some("wav") => Some(Container::Wav),
        Some(name) => Pcm::ALL
            .iter()
            .find(|(pcm, _)| *pcm == name)
            .map(|(_, pcm)| Container::Raw(*pcm)),
    };
    if container.is_none() && format.as_ref().is_some_and(|format| !format.is_unknown()) {
        problems.push(
            "value_error",
            &[
                "body".into(),
                "output_configuration".into(),
                "format".into(),
            ],
            "Value error, The simulator streams only wav and the pcm_* formats",
            &output["format"],
        );
    }
    let rate = match validate::whole_number(&output["sample_rate"]) {
        None => model_rate(value["speech_model"].as_str()),
        Some(rate) if RATES.contains(&rate) => u32::try_from(rate).unwrap_or(22_050),
        Some(_) => {
            let loc = [
                "body".into(),
                "output_configuration".into(),
                "sample_rate".into(),
            ];
            let (kind, bound, msg) = if output["sample_rate"].as_f64() < Some(8_000.0) {
                ("greater_than_equal", "ge", "greater than or equal to")
            } else {
                ("less_than_equal", "le", "less than or equal to")
            };
            let limit = if bound == "ge" {
                RATES.start()
            } else {
                RATES.end()
            };
            problems.push_with_ctx(
                kind,
                &loc,
                &format!("Input should be {msg} {limit}"),
                &output["sample_rate"],
                json!({ bound: limit }),
            );
            0
        }
    };
    let timing = seconds(
        &mut problems,
        output,
        "duration",
        "output_configuration",
        LONGEST_SECONDS,
    )
    .map(Timing::Duration)
    .or_else(|| {
        seconds(
            &mut problems,
            &value["voice_settings"],
            "speaking_rate",
            "voice_settings",
            10.0,
        )
        .map(Timing::SpeakingRate)
    })
    .unwrap_or(Timing::SpeakingRate(1.0));
    let container = match typed {
        Err(mut typed) => {
            typed.append(problems);
            typed.order_by_field(BODY);
            return Err(typed);
        }
        Ok(_) => container,
    };
    match container {
        Some(container) if problems.is_empty() => Ok(SpeechRequest {
            text: text.to_owned(),
            voice_id: validate::whole_number(&value["voice_id"]).unwrap_or_default(),
            container,
            rate,
            timing,
            language: value["language"].as_str().unwrap_or_default().to_owned(),
        }),
        _ => Err(problems),
    }
}

/// An optional positive number field `name` of the object `parent` (at
/// most `most`), `None` when absent or wrong (a problem is then recorded).
fn seconds(
    problems: &mut Problems,
    object: &Value,
    name: &str,
    parent: &str,
    most: f64,
) -> Option<f64> {
    let value = object.get(name).filter(|value| !value.is_null())?;
    let loc = ["body".into(), parent.into(), name.into()];
    match value.as_f64() {
        None => {
            problems.push("float_type", &loc, "Input should be a valid number", value);
            None
        }
        Some(number) if number <= 0.0 => {
            problems.push_with_ctx(
                "greater_than",
                &loc,
                "Input should be greater than 0",
                value,
                json!({"gt": 0}),
            );
            None
        }
        Some(number) if number > most => {
            problems.push_with_ctx(
                "less_than_equal",
                &loc,
                &format!("Input should be less than or equal to {most}"),
                value,
                json!({ "le": most }),
            );
            None
        }
        Some(number) => Some(number),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(body: Value) -> Value {
        let problems = read(body.to_string().as_bytes()).expect_err("a 422");
        Value::Array(problems.into_detail())
    }

    fn ok(body: Value) -> SpeechRequest {
        read(body.to_string().as_bytes()).expect("a valid request")
    }

    #[test]
    fn a_plain_request_is_a_wav_at_the_models_rate() {
        let request = ok(json!({"text": "Hello there", "language": "en-us", "voice_id": 20303}));
        assert_eq!(request.container, Container::Wav);
        assert_eq!(request.rate, 22_050);
        assert_eq!(request.timing, Timing::SpeakingRate(1.0));
        assert_eq!(request.voice_id, 20303);
        let pro = ok(json!({"text": "Hello", "language": "fr-fr", "voice_id": 1,
            "speech_model": "mars-8.1-pro-beta",
            "output_configuration": {"format": "pcm_f32be", "duration": 1.5}}));
        assert_eq!(
            (pro.container, pro.rate),
            (Container::Raw(Pcm::F32Be), 48_000)
        );
        assert_eq!(pro.timing, Timing::Duration(1.5));
        let asked = ok(json!({"text": "Hello", "language": "en-us", "voice_id": 1,
            "speech_model": "mars-pro", "output_configuration": {"sample_rate": 24000},
            "voice_settings": {"speaking_rate": 1.25}}));
        assert_eq!(asked.rate, 24_000, "a rate asked for wins");
        assert_eq!(asked.timing, Timing::SpeakingRate(1.25));
    }

    #[test]
    fn the_models_rates_follow_the_vendors_readme() {
        assert_eq!(model_rate(Some("mars-pro")), 48_000);
        assert_eq!(model_rate(Some("mars-8.1-pro-beta")), 48_000);
        assert_eq!(model_rate(Some("mars-flash")), 22_050);
        assert_eq!(model_rate(Some("mars-instruct")), 22_050);
        assert_eq!(model_rate(Some("mars-8.1-flash-beta")), 22_050);
        assert_eq!(model_rate(Some("mars-proper-noun")), 22_050);
        assert_eq!(model_rate(None), 22_050);
    }

    #[test]
    fn a_short_or_long_text_is_a_pydantic_length_error() {
        assert_eq!(
            detail(json!({"text": "Hi", "language": "en-us", "voice_id": 1})),
            json!([{"type": "string_too_short", "loc": ["body", "text"],
                "msg": "String should have at least 3 characters", "input": "Hi",
                "ctx": {"min_length": 3}}])
        );
        let long = "é".repeat(3001);
        let problem = &detail(json!({"text": long, "language": "en-us", "voice_id": 1}))[0];
        assert_eq!(problem["type"], "string_too_long");
        assert_eq!(problem["ctx"], json!({"max_length": 3000}));
        // Characters, not bytes: 3,000 two-byte characters are allowed.
        ok(json!({"text": "é".repeat(3000), "language": "en-us", "voice_id": 1}));
    }

    #[test]
    fn an_unknown_locale_lists_the_allowed_ones() {
        for language in ["en", "EN-US", "xx-yy"] {
            let problems = detail(json!({"text": "Hello", "language": language, "voice_id": 1}));
            let problem = &problems[0];
            assert_eq!(problem["type"], "literal_error");
            assert_eq!(problem["loc"], json!(["body", "language"]));
            let expected = problem["ctx"]["expected"]
                .as_str()
                .expect("the allowed list");
            assert!(
                expected.contains("'en-us'") && expected.contains("'ar-dz'"),
                "{expected}"
            );
            assert!(
                problem["msg"]
                    .as_str()
                    .is_some_and(|msg| msg.contains("'pt-br'"))
            );
        }
    }

    #[test]
    fn every_problem_is_reported_at_once_in_field_order() {
        let problems = detail(json!({"language": "en-us", "voice_id": "twenty",
            "output_configuration": {"format": "ogg", "sample_rate": 100}}));
        let locs: Vec<&Value> = problems
            .as_array()
            .expect("a list")
            .iter()
            .map(|p| &p["loc"])
            .collect();
        assert_eq!(
            locs,
            [
                &json!(["body", "text"]),
                &json!(["body", "voice_id"]),
                &json!(["body", "output_configuration", "format"]),
                &json!(["body", "output_configuration", "sample_rate"]),
            ]
        );
        let rate = detail(json!({"text": "Hello", "language": "en-us", "voice_id": 1,
            "output_configuration": {"sample_rate": 100}}));
        assert_eq!(rate[0]["type"], "greater_than_equal");
        assert_eq!(problems[2]["type"], "literal_error");
        assert!(
            problems[2]["msg"]
                .as_str()
                .is_some_and(|msg| msg.contains("'pcm_f32be'"))
        );
        let mp3 = detail(json!({"text": "Hello", "language": "en-us", "voice_id": 1,
            "output_configuration": {"format": "mp3"}}));
        assert_eq!(mp3[0]["type"], "value_error");
        let slow = detail(json!({"text": "Hello", "language": "en-us", "voice_id": 1,
            "voice_settings": {"speaking_rate": 0}}));
        assert_eq!(
            slow[0]["loc"],
            json!(["body", "voice_settings", "speaking_rate"])
        );
    }
}
