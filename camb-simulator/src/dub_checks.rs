//! What `POST /dub` does with a request its schema lets through: the
//! uploaded transcripts' rules, which the service checks with a `422` as
//! its schema's own (camb-sdk 1.6.6's README, "Use your own SRT transcript
//! or translation"), and what it accepts (`200` and a task id, as FastAPI
//! answers any body its model takes) but cannot dub, whose task then ends
//! `ERROR` with a reason. The crate docs' table ("What `POST /dub` refuses,
//! and what it fails") lists every case with its source; what the schema
//! refuses is refused by [`check`](crate::check) before this.

use camb_api::ExceptionReason;
use camb_api_ext::{Language, SourceLanguage};
use serde_json::Value;

use crate::Outcome;
use crate::state::language_key;
use crate::validate::{Problems, whole_number};

/// The largest script, in bytes of UTF-8 (the README: "2 MiB UTF-8 per
/// script").
const MAX_SCRIPT_BYTES: usize = 2 << 20;

/// The largest total of a request's scripts ("10 MiB combined").
const MAX_SCRIPTS_BYTES: usize = 10 << 20;

/// The most target scripts ("at most 100 target scripts").
const MAX_TARGET_SCRIPTS: usize = 100;

/// The problems of a dub's uploaded transcripts, by the rules camb-sdk
/// 1.6.6's README gives for the server: each script parses as SRT with at
/// least one cue; at most 2 MiB each, 10 MiB together, 100 target scripts;
/// each target script's language once, and among the requested targets.
/// "Server validation failures raise `UnprocessableEntityError` with status
/// 422 and the API's field details": a `value_error` at the field (the
/// wording is the simulator's).
pub(crate) fn transcript_problems(body: &Value) -> Problems {
    let mut problems = Problems::default();
    let mut problem = |loc: &[Value], message: String, input: &Value| {
        problems.push(
            "value_error",
            loc,
            &format!("Value error, {message}"),
            input,
        );
    };
    let mut total = 0;
    let source = Some(&body["source_transcript"]).filter(|value| value.is_object());
    if let Some(content) = source.and_then(|source| source["content"].as_str()) {
        let loc = ["body".into(), "source_transcript".into(), "content".into()];
        if let Some(message) = script_problem(content) {
            problem(&loc, message, &Value::Null);
        }
        total += content.len();
    }
    let requested: Vec<String> = body["target_languages"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(Some(&body["target_language"]).filter(|value| !value.is_null()))
        .map(language_key)
        .collect();
    let scripts = body["target_transcripts"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    let mut seen = Vec::new();
    for (index, script) in scripts.iter().enumerate() {
        let at = |field: &str| -> Vec<Value> {
            vec![
                "body".into(),
                "target_transcripts".into(),
                index.into(),
                field.into(),
            ]
        };
        if let Some(content) = script["content"].as_str() {
            if let Some(message) = script_problem(content) {
                problem(&at("content"), message, &Value::Null);
            }
            total += content.len();
        }
        let language = &script["language"];
        let key = language_key(language);
        if !requested.contains(&key) {
            let message = format!("{language} is not among the requested target languages");
            problem(&at("language"), message, language);
        } else if seen.contains(&key) {
            let message = format!("{language} has a target transcript already");
            problem(&at("language"), message, language);
        }
        seen.push(key);
    }
    let loc = ["body".into(), "target_transcripts".into()];
    if scripts.len() > MAX_TARGET_SCRIPTS {
        let message = format!(
            "{} target transcripts; at most {MAX_TARGET_SCRIPTS} are taken",
            scripts.len()
        );
        problem(&loc, message, &Value::Null);
    }
    if total > MAX_SCRIPTS_BYTES {
        let message =
            format!("the transcripts are {total} bytes together; at most 10 MiB are taken");
        problem(&loc, message, &Value::Null);
    }
    problems
}

/// Why one SRT script is refused, if it is: no cue (a timing line such as
/// `00:00:01,000 --> 00:00:02,000` followed by text), or more than 2 MiB.
fn script_problem(script: &str) -> Option<String> {
    if script.len() > MAX_SCRIPT_BYTES {
        return Some(format!(
            "the script is {} bytes; at most 2 MiB are taken",
            script.len()
        ));
    }
    let mut lines = script.lines().map(str::trim);
    while let Some(line) = lines.next() {
        if is_timing(line) && lines.next().is_some_and(|text| !text.is_empty()) {
            return None;
        }
    }
    Some("the script holds no SRT cue".into())
}

/// `HH:MM:SS,mmm --> HH:MM:SS,mmm` (`.` for `,` too, as the `srt` library
/// reads it), maybe with position text after the end.
fn is_timing(line: &str) -> bool {
    let stamp = |text: &str| {
        let Some((clock, millis)) = text.split_once([',', '.']) else {
            return false;
        };
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        let parts: Vec<&str> = clock.split(':').collect();
        parts.len() == 3 && parts.iter().all(|part| digits(part)) && digits(millis)
    };
    line.split_once("-->").is_some_and(|(start, end)| {
        stamp(start.trim()) && stamp(end.split_whitespace().next().unwrap_or(""))
    })
}

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
    fn uploaded_transcripts_follow_the_readmes_rules() {
        const CUE: &str = "1\n00:00:00,000 --> 00:00:01.500 X1:0\nSalut\n";
        let locs = |extra: Value| -> Vec<Value> {
            let mut body = json!({"video_url": "https://example.com/a.mp4", "source_language": 1,
                                  "target_languages": [76, "es-ES"]});
            body.as_object_mut()
                .unwrap()
                .extend(extra.as_object().unwrap().clone());
            transcript_problems(&body)
                .into_detail()
                .into_iter()
                .map(|problem| problem["loc"].clone())
                .collect()
        };
        let fine = json!({
            "source_transcript": {"content": CUE},
            "target_transcripts": [{"language": "fr-fr", "content": CUE}, {"language": 54, "content": CUE}],
        });
        assert_eq!(locs(fine), Vec::<Value>::new());
        for no_cue in [
            "",
            "1\n00:00:00,000 --> 00:00:01,000\n\n",
            "00:00 --> 00:01\nHi",
            "just text",
        ] {
            assert_eq!(
                locs(json!({"source_transcript": {"content": no_cue}})),
                [json!(["body", "source_transcript", "content"])],
                "{no_cue:?}"
            );
        }
        assert_eq!(
            locs(json!({"target_transcripts": [
                {"language": 76, "content": CUE},
                {"language": "FR-fr", "content": CUE},
                {"language": "de-de", "content": "x".repeat(MAX_SCRIPT_BYTES)},
            ]})),
            [
                json!(["body", "target_transcripts", 1, "language"]),
                json!(["body", "target_transcripts", 2, "content"]),
                json!(["body", "target_transcripts", 2, "language"]),
            ]
        );
        let many: Vec<Value> = (0..=MAX_TARGET_SCRIPTS)
            .map(|_| json!({"language": 76, "content": CUE}))
            .collect();
        assert_eq!(
            locs(json!({"target_transcripts": many})).last(),
            Some(&json!(["body", "target_transcripts"]))
        );
        let big = format!("{CUE}{}", "x".repeat(MAX_SCRIPT_BYTES - CUE.len()));
        let six: Vec<Value> = (0..6)
            .map(|_| json!({"language": 76, "content": big}))
            .collect();
        let found = locs(json!({"target_transcripts": six}));
        assert_eq!(
            found.last(),
            Some(&json!(["body", "target_transcripts"])),
            "{found:?}"
        );
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
