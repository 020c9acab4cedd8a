//! What `POST /dub` does with a request its schema lets through but the
//! service cannot dub: it accepts it (`200` and a task id, as FastAPI
//! answers any body its model takes) and the task then ends `ERROR` with a
//! reason. The crate docs' table ("What `POST /dub` refuses, and what it
//! fails") lists every case with its source; what the schema refuses is
//! refused by [`check`](crate::check) before this.

use camb_api::ExceptionReason;
use camb_api_ext::{Language, SourceLanguage};
use serde_json::Value;

use crate::Outcome;
use crate::validate::whole_number;

/// How a dub the service accepted ends when it cannot be done: `None` when
/// it can (its script then decides).
///
/// No public source says what CAMB.AI answers for these; the schema takes
/// each (any string for `video_url` and a language, both target fields
/// optional), so FastAPI accepts them and a refusal can only come later,
/// as a failed task.
pub(crate) fn failure(body: &Value) -> Option<Outcome> {
    let video_url = body["video_url"].as_str().unwrap_or_default();
    if video_url.trim().is_empty() {
        return Some(Outcome::error(
            ExceptionReason::SourceNotFound,
            "video_url is empty: there is no source to dub",
        ));
    }
    let cannot = |message: String| Some(Outcome::error(ExceptionReason::ProcessingError, message));
    if let Some(problem) = no_language(&body["source_language"], Side::Source) {
        return cannot(format!("source_language: {problem}"));
    }
    let listed = body["target_languages"].as_array().into_iter().flatten();
    let single = Some(&body["target_language"]).filter(|value| !value.is_null());
    let targets: Vec<&Value> = listed.chain(single).collect();
    if targets.is_empty() {
        return cannot(
            "no target language: target_languages is empty and target_language is not set".into(),
        );
    }
    targets
        .into_iter()
        .find_map(|target| no_language(target, Side::Target))
        .and_then(|problem| cannot(format!("target language: {problem}")))
}

/// Which side of a dub a language is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Source,
    Target,
}

/// Why `value` (an `int | str` the schema took) names no language the
/// service could dub from (or into): `None` when it names one. An id or a
/// well-formed locale tag the simulator does not list is a language (the
/// list grows, and a client must be able to ask for a newer one); text that
/// is neither (`french`, `en`, empty) is not, nor is `auto` as a target
/// (camb-sdk 1.6.6's README: "use a concrete target language").
fn no_language(value: &Value, side: Side) -> Option<String> {
    match value {
        Value::String(text) => {
            let text = text.trim();
            if text.eq_ignore_ascii_case(SourceLanguage::AUTO) {
                return (side == Side::Target).then(|| {
                    "`auto` detects a source language; a target must be a concrete language".into()
                });
            }
            text.parse::<Language>().err().map(|_| {
                format!("`{text}` is neither a language id nor a locale tag such as `fr-fr`")
            })
        }
        other => match whole_number(other).map(u32::try_from) {
            Some(Ok(_)) => None,
            _ => Some(format!("{other} is no language id")),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reason(body: Value) -> Option<(String, String)> {
        match failure(&body)? {
            Outcome::Error { reason, message } => Some((
                reason.as_str().to_owned(),
                serde_json::to_value(message).ok()?.as_str()?.to_owned(),
            )),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_the_schema_takes_but_no_dub_can_do_fails_with_a_reason() {
        let dub = |extra: Value| {
            let mut body = json!({"video_url": "https://example.com/a.mp4", "source_language": 1, "target_languages": [76]});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            reason(body)
        };
        assert_eq!(dub(json!({})), None);
        let (why, message) = dub(json!({"video_url": " "})).unwrap();
        assert_eq!(why, "SOURCE_NOT_FOUND", "{message}");
        for no_target in [
            json!({"target_languages": []}),
            json!({"target_languages": null}),
            json!({"target_languages": [], "target_language": null}),
        ] {
            let (why, message) = dub(no_target).unwrap();
            assert_eq!(why, "PROCESSING_ERROR");
            assert!(message.contains("no target language"), "{message}");
        }
        for (field, value, expected) in [
            ("target_languages", json!(["french"]), "`french` is neither"),
            ("target_languages", json!([76, ""]), "`` is neither"),
            ("target_languages", json!(["AUTO"]), "a target must be"),
            ("target_language", json!(-1), "-1 is no language id"),
            ("source_language", json!("en"), "source_language: `en`"),
        ] {
            let (why, message) = dub(json!({ field: value })).unwrap();
            assert_eq!(why, "PROCESSING_ERROR");
            assert!(message.contains(expected), "{field}: {message}");
        }
        // Ids and tags the simulator does not list may be newer languages;
        // `auto` detects the source; a target equal to the source is dubbed.
        for fine in [
            json!({"target_languages": ["sw-ug", 152, "76", true]}),
            json!({"source_language": "auto", "target_language": "FR-fr", "target_languages": null}),
            json!({"source_language": 76, "target_languages": [76]}),
        ] {
            assert_eq!(dub(fine.clone()), None, "{fine}");
        }
    }
}
