//! The simulated account's voices: a few stock ones, and every voice cloned
//! with `POST /create-custom-voice`, which is then listed and speaks.

use camb_api::types as api;
use serde_json::{Map, Value};

use crate::http::Form;
use crate::reply::Reply;
use crate::validate::{self, Field, Kind, Problems};

/// How `GET /list-voices` wraps its list: CAMB.AI has been seen answering
/// all three (camb-api-facts.md, Source 8.1: livekit's Camb plugin, older
/// and newer versions, and voxparity).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum VoiceListShape {
    /// A bare JSON list of voices (the shape CAMB.AI's SDK types).
    #[default]
    List,
    /// `{"payload": [...]}`.
    Payload,
    /// `{"voices": [...]}`.
    Voices,
}

/// One voice, as `GET /list-voices` answers it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Voice {
    pub(crate) id: i64,
    pub(crate) name: String,
    /// 0 not known, 1 male, 2 female, 9 not applicable (ISO/IEC 5218, as
    /// CAMB.AI's docs use it).
    pub(crate) gender: i64,
    pub(crate) age: Option<i64>,
    /// A language id (`Languages`), when known.
    pub(crate) language: Option<i64>,
    pub(crate) description: Option<String>,
    pub(crate) published: bool,
}

impl Voice {
    /// The voice as the spec's `Voice` (built, never spelled out field by
    /// field, so a field the spec adds cannot break this).
    fn to_api(&self) -> Result<api::Voice, Reply> {
        api::Voice::builder()
            .id(self.id)
            .voice_name(self.name.clone())
            .gender(Some(self.gender))
            .age(self.age)
            .language(self.language)
            .description(self.description.clone())
            .is_published(Some(self.published))
            .try_into()
            .map_err(cannot_build)
    }
}

/// The `500` for an answer the generated types refuse (a bug here).
fn cannot_build(error: impl std::fmt::Display) -> Reply {
    Reply::detail(500, &format!("Simulator cannot build its answer: {error}"))
}

/// The id of the first voice a simulator clones; stock voices are below it.
pub(crate) const FIRST_CUSTOM_VOICE_ID: i64 = 900_001;

/// The voices every simulator starts with (ids, names, genders, ages and
/// language ids: en-us 1, fr-fr 76).
pub(crate) fn stock() -> Vec<Voice> {
    let voice = |id, name: &str, gender, age, language| Voice {
        id,
        name: name.to_owned(),
        gender,
        age: Some(age),
        language: Some(language),
        description: Some(format!("Simulated stock voice {name}")),
        published: true,
    };
    vec![
        voice(20_303, "Ava", 2, 30, 1),
        voice(20_304, "Leo", 1, 42, 1),
        voice(20_305, "Chloé", 2, 27, 76),
        voice(20_306, "Sam", 9, 35, 1),
    ]
}

/// The form of `POST /create-custom-voice`, in the SDK's order
/// (camb-sdk 1.6.6 camb/voice_cloning/raw_client.py).
const CREATE_FORM: &[Field] = &[
    Field::required("voice_name", Kind::Str),
    Field::required("gender", Kind::Int),
    Field::optional("description", Kind::Str),
    Field::optional("publish_voice_to_market_place", Kind::Bool),
    Field::optional("age", Kind::Int),
    Field::optional("language", Kind::Int),
    Field::optional("enhance_audio", Kind::Bool),
    Field::required("file", Kind::File),
];

/// Every voice the simulated account can use.
#[derive(Debug)]
pub(crate) struct Voices {
    voices: Vec<Voice>,
    next_id: i64,
    shape: VoiceListShape,
}

impl Voices {
    /// The stock voices, listed in `shape`.
    pub(crate) fn new(shape: VoiceListShape) -> Voices {
        Voices {
            voices: stock(),
            next_id: FIRST_CUSTOM_VOICE_ID,
            shape,
        }
    }

    /// The voice `id`, if the account can use it.
    pub(crate) fn get(&self, id: i64) -> Option<&Voice> {
        self.voices.iter().find(|voice| voice.id == id)
    }

    /// Every voice, stock ones first, then clones in the order made.
    pub(crate) fn all(&self) -> &[Voice] {
        &self.voices
    }

    /// `GET /list-voices`.
    pub(crate) fn list(&self, run_id: Option<&str>) -> Reply {
        let mut problems = Problems::default();
        validate::int_query(&mut problems, run_id, "run_id");
        if !problems.is_empty() {
            return Reply::validation(problems);
        }
        let voices = match self.voices.iter().map(Voice::to_api).collect() {
            Ok(voices) => voices,
            Err(reply) => return reply,
        };
        let list = match self.shape {
            VoiceListShape::List => Ok(api::VoiceList::Array(voices)),
            VoiceListShape::Payload => api::VoicePayload::builder()
                .payload(voices)
                .try_into()
                .map(api::VoiceList::VoicePayload),
            VoiceListShape::Voices => api::VoiceVoices::builder()
                .voices(voices)
                .try_into()
                .map(api::VoiceList::VoiceVoices),
        };
        match list {
            Ok(list) => Reply::typed(200, &list),
            Err(error) => cannot_build(error),
        }
    }

    /// `POST /create-custom-voice`: a form with the voice's details and the
    /// recording to clone (any non-empty file); answers `{"voice_id": id}`.
    pub(crate) fn create(&mut self, run_id: Option<&str>, form: Option<&Form>) -> Reply {
        let mut problems = Problems::default();
        validate::int_query(&mut problems, run_id, "run_id");
        let fields = match validate::form(problems, form, CREATE_FORM) {
            Ok(fields) => fields,
            Err(problems) => return Reply::validation(problems),
        };
        let recording = form.and_then(|form| form.file("file"));
        if recording.is_none_or(|(_, bytes)| bytes.is_empty()) {
            let mut problems = Problems::default();
            problems.push(
                "value_error",
                &["body".into(), "file".into()],
                "Value error, The recording is empty",
                &Value::Null,
            );
            return Reply::validation(problems);
        }
        let id = self.next_id;
        self.next_id += 1;
        self.voices.push(voice_from_form(id, &fields));
        let answer: Result<api::CreateCustomVoiceOut, _> =
            api::CreateCustomVoiceOut::builder().voice_id(id).try_into();
        match answer {
            Ok(answer) => Reply::typed(200, &answer),
            Err(error) => cannot_build(error),
        }
    }
}

/// The voice a valid form describes (its fields are as sent: text).
fn voice_from_form(id: i64, fields: &Map<String, Value>) -> Voice {
    let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
    let int = |name: &str| text(name).and_then(|value| value.trim().parse::<i64>().ok());
    let published = text("publish_voice_to_market_place").is_some_and(|value| {
        matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on" | "t" | "y"
        )
    });
    Voice {
        id,
        name: text("voice_name").unwrap_or_default(),
        gender: int("gender").unwrap_or(0),
        age: int("age"),
        language: int("language"),
        description: text("description"),
        published,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    async fn form(parts: &[(&str, Option<&str>, &str)]) -> Option<Form> {
        let mut body = Vec::new();
        for (name, file, content) in parts {
            let file = file.map_or(String::new(), |file| format!("; filename=\"{file}\""));
            body.extend_from_slice(
                format!("--B\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{content}\r\n")
                    .as_bytes(),
            );
        }
        body.extend_from_slice(b"--B--\r\n");
        Form::parse(body.into(), Some("multipart/form-data; boundary=B")).await
    }

    fn body(reply: Reply) -> (u16, Value) {
        let (status, _, body) = reply.into_parts();
        let crate::reply::ReplyBody::Full(body) = body else {
            panic!("a whole body")
        };
        (status, serde_json::from_slice(&body).expect("JSON"))
    }

    #[tokio::test]
    async fn a_cloned_voice_is_listed_after_the_stock_ones() {
        let mut voices = Voices::new(VoiceListShape::List);
        let made = form(&[
            ("voice_name", None, "Me"),
            ("gender", None, "1"),
            ("age", None, "40"),
            ("language", None, "76"),
            ("publish_voice_to_market_place", None, "false"),
            ("file", Some("me.wav"), "RIFF...."),
        ])
        .await;
        let (status, answer) = body(voices.create(None, made.as_ref()));
        assert_eq!(
            (status, answer),
            (200, json!({ "voice_id": FIRST_CUSTOM_VOICE_ID }))
        );
        let (status, list) = body(voices.list(None));
        assert_eq!(status, 200);
        let list = list.as_array().expect("a bare list");
        assert_eq!(list.len(), stock().len() + 1);
        assert_eq!(
            list.last(),
            Some(
                &json!({"id": FIRST_CUSTOM_VOICE_ID, "voice_name": "Me", "gender": 1, "age": 40,
                "language": 76, "is_published": false})
            )
        );
        assert!(voices.get(FIRST_CUSTOM_VOICE_ID).is_some());
        assert!(voices.get(FIRST_CUSTOM_VOICE_ID + 1).is_none());
    }

    #[test]
    fn the_list_comes_in_the_shape_asked_for() {
        let (_, payload) = body(Voices::new(VoiceListShape::Payload).list(None));
        assert_eq!(
            payload["payload"].as_array().map(Vec::len),
            Some(stock().len())
        );
        let (_, voices) = body(Voices::new(VoiceListShape::Voices).list(Some("3")));
        assert_eq!(voices["voices"][0]["voice_name"], "Ava");
        let (status, bad) = body(Voices::new(VoiceListShape::List).list(Some("x")));
        assert_eq!(status, 422);
        assert_eq!(bad["detail"][0]["loc"], json!(["query", "run_id"]));
    }

    #[tokio::test]
    async fn a_form_without_name_gender_or_file_is_a_fastapi_422() {
        let mut voices = Voices::new(VoiceListShape::List);
        let (status, answer) =
            body(voices.create(None, form(&[("gender", None, "male")]).await.as_ref()));
        assert_eq!(status, 422);
        let locs: Vec<&Value> = answer["detail"]
            .as_array()
            .expect("a detail list")
            .iter()
            .map(|problem| &problem["loc"])
            .collect();
        assert_eq!(
            locs,
            [
                &json!(["body", "voice_name"]),
                &json!(["body", "gender"]),
                &json!(["body", "file"])
            ]
        );
        let empty = form(&[
            ("voice_name", None, "Me"),
            ("gender", None, "2"),
            ("file", Some("me.wav"), ""),
        ]);
        let (status, answer) = body(voices.create(None, empty.await.as_ref()));
        assert_eq!(status, 422, "{answer}");
        assert_eq!(voices.all().len(), stock().len(), "nothing was made");
    }
}
