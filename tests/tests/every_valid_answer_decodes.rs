//! Every answer the spec allows decodes through `Camb`: for every documented
//! JSON response of every operation of `spec/generated/openapi-3.1.json`,
//! bodies generated from its JSON Schema (`camb_tests::schema_strategy`) are
//! served by a local server and fetched through the `Camb` method that covers
//! the operation. None may end in `Error::Decode`:
//!
//! - a 2xx body gives `Ok`, or `Error::UnusableResponse` exactly when the
//!   operation's entry below says the body lacks what the call needs;
//! - a 422 body gives `Error::Validation` with every listed problem;
//! - any other documented status gives a typed error, never `Decode`.
//!
//! A failure prints the operation, the status and the shrunk body.
//!
//! The bodies are random but never by chance: each documented response has
//! its own generator seeded from its operation and status
//! ([`seed_for`]), so every run checks the same bodies, adding an operation
//! changes no other operation's bodies, and a floor that a schema's bodies
//! miss (no body usable) fails on the commit that changed the schema, every
//! time. `ANSWER_SEED=N` mixes another number into every seed, to explore
//! other bodies in a local run.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use camb_api_ext::{
    Camb, DictionaryId, DubRequest, Error, Gender, Integration, Language, NewDictionary, NewVoice,
    OutputFormat, Resend, RunId, Search, Speech, TaskId, TermId, TermTranslation,
    TranscriptDataType, TranscriptFileFormat, TranscriptionRequest, VoiceId,
};
use camb_tests::clients::{API_KEY, camb_client};
use camb_tests::schema_strategy::{Generator, Json};
use camb_tests::spec::{self, Response};
use futures_util::TryStreamExt;
use httpmock::{HttpMockResponse, MockServer};
use proptest::prop_assert;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use serde_json::Value;

/// Generated bodies per documented response: enough to meet every branch of
/// today's schemas, few enough to keep the suite fast. `PROPTEST_CASES=N`
/// asks for more in a local run.
const CASES: u32 = 64;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(CASES)
}

/// What a call gave, its success value dropped.
type Answer = Result<(), Error>;

/// A call in flight.
type Call<'a> = Pin<Box<dyn Future<Output = Answer> + Send + 'a>>;

/// How `Camb` covers one operation of the spec.
struct Covered {
    /// Calls the operation through `Camb`.
    call: for<'a> fn(&'a Camb) -> Call<'a>,
    /// Whether a 2xx body the schema allows still lacks what the call needs,
    /// so that the call must fail with `Error::UnusableResponse`.
    unusable: fn(&Value) -> bool,
}

/// The dispatch table: the `Camb` method for each operation of the spec.
/// An operation without an entry fails the test.
fn covering(operation_id: &str) -> Option<Covered> {
    let covered = match operation_id {
        "end_to_end_dubbing_dub_post" => Covered {
            call: create_dub,
            // A task id no status URL can carry (empty, `..`, `a/b`, ...).
            unusable: |body| {
                body["task_id"]
                    .as_str()
                    .is_none_or(|id| TaskId::new(id).is_err())
            },
        },
        "get_dub_status_dub__task_id__get" => Covered {
            call: status,
            // Without `status` the answer says nothing.
            unusable: |body| body.get("status").is_none(),
        },
        "get_dubbed_run_info_dub_result__run_id__get" => Covered {
            call: result,
            unusable: holds_no_dub_output,
        },
        "get_dubbing_runs_results_dubbing_results_post" => Covered {
            call: results,
            unusable: |_| false,
        },
        "get_dubbed_run_transcript_transcript__run_id___language__get" => Covered {
            call: transcript,
            // Several strings, none under a name known to hold the text, or none.
            unusable: |body| !one_string_or_known(body, &["transcript", "data", "content", "text"]),
        },
        "get_dubbed_output_in_alt_format_dub_alt_format__run_id___language__post" => Covered {
            call: start_export,
            // A `task_id` that is no string (null) says nothing: the other
            // fields decide, as for a file.
            unusable: |body| match body.get("task_id") {
                Some(Value::String(task_id)) => TaskId::new(task_id).is_err(),
                _ => {
                    let mut fields = body.as_object().cloned().unwrap_or_default();
                    fields.remove("task_id");
                    if !fields.values().all(Value::is_string) {
                        return true;
                    }
                    let links = fields
                        .values()
                        .filter_map(Value::as_str)
                        .filter(|v| v.starts_with("https://") || v.starts_with("http://"))
                        .count();
                    let rest = Value::Object(fields);
                    links != 1 && !one_string_or_known(&rest, &["url", "file_url", "output_url"])
                }
            },
        },
        "get_dubbed_output_in_alt_format_status_dub_alt_format__task_id__get" => Covered {
            call: export_status,
            unusable: |body| body.get("status").is_none(),
        },
        "poll_discord_dub_task_discord_dub__task_id__get" => Covered {
            call: |camb| integration_status(camb, Integration::Discord),
            unusable: |body| body.get("status").is_none(),
        },
        "poll_twitter_dub_task_twitter_dub__task_id__get" => Covered {
            call: |camb| integration_status(camb, Integration::Twitter),
            unusable: |body| body.get("status").is_none(),
        },
        "get_source_languages_source_languages_get" => Covered {
            call: source_languages,
            unusable: has_an_impossible_language_id,
        },
        "get_target_languages_target_languages_get" => Covered {
            call: target_languages,
            unusable: has_an_impossible_language_id,
        },
        "create_transcription_transcribe_post" => Covered {
            call: transcribe,
            unusable: |body| {
                body["task_id"]
                    .as_str()
                    .is_none_or(|id| TaskId::new(id).is_err())
            },
        },
        "get_transcription_task_status_transcribe__task_id__get" => Covered {
            call: transcription_status,
            unusable: |body| body.get("status").is_none(),
        },
        "get_transcription_result_transcription_result__run_id__get" => Covered {
            call: transcription,
            // The text form (`TranscriptExportResult`) holds no segments.
            unusable: |body| !body["transcript"].is_array(),
        },
        "get_transcription_results_transcription_results_post" => Covered {
            call: transcriptions,
            unusable: |_| false,
        },
        "get_dictionaries_dictionaries_get" => Covered {
            call: dictionaries,
            unusable: |body| {
                body.as_array()
                    .is_some_and(|items| items.iter().any(has_an_impossible_term_language))
            },
        },
        "get_dictionary_info_dictionaries__dictionary_id__get" => Covered {
            call: dictionary,
            unusable: has_an_impossible_term_language,
        },
        "get_dictionary_details_dictionaries__dictionary_id__full_details_get" => Covered {
            call: dictionary_details,
            unusable: has_an_impossible_term_language,
        },
        // Answers typed `Any`: every one is usable as it is.
        "create_dictionary_from_file_dictionaries_create_from_file_post" => Covered {
            call: create_dictionary,
            unusable: |_| false,
        },
        "add_term_to_dictionary_dictionaries__dictionary_id__add_term_post" => Covered {
            call: add_dictionary_term,
            unusable: |_| false,
        },
        "update_term_translation_in_dictionary_using_term_id_dictionaries_term__dictionary_id___term_id__put" => {
            Covered {
                call: update_dictionary_term,
                unusable: |_| false,
            }
        }
        "delete_dictionary_term_dictionaries_term__dictionary_id___term_id__delete" => Covered {
            call: delete_dictionary_term,
            unusable: |_| false,
        },
        "delete_dictionary_dictionaries__dictionary_id__delete" => Covered {
            call: delete_dictionary,
            unusable: |_| false,
        },
        "list_folders_folders_get" => Covered {
            call: folders,
            unusable: |_| false,
        },
        "create_folder_folders_create_post" => Covered {
            call: create_folder,
            unusable: |_| false,
        },
        // Its one JSON answer of status 200 would be audio; its documented
        // JSON answers are errors.
        "create_stream_tts_tts_stream_post" => Covered {
            call: speak,
            unusable: |_| false,
        },
        "list_voices_list_voices_get" => Covered {
            call: voices,
            unusable: |_| false,
        },
        "create_custom_voice_create_custom_voice_post" => Covered {
            call: create_voice,
            // A negative id names no voice.
            unusable: |body| body["voice_id"].as_i64().is_none_or(|id| id < 0),
        },
        // Operations no typed `Camb` method wraps yet, sent through
        // `Camb::call_raw`: every body the schema allows decodes.
        "create_tts_tts_post" => raw(create_tts),
        "get_tts_result_tts__task_id__get" => raw(tts_status),
        "get_tts_result_discord_discord_tts__task_id__get" => raw(discord_tts_status),
        // The JSON form (`output_type=file_url`), read from the byte stream.
        "get_tts_run_info_tts_result__run_id__get" => raw(tts_result_file_url),
        "get_tts_results_tts_results_post" => raw(tts_results),
        "create_translated_tts_translated_tts_post" => raw(create_translated_tts),
        "get_translated_tts_task_status_translated_tts__task_id__get" => raw(translated_tts_status),
        "create_translation_translate_post" => raw(create_translation),
        "get_translation_task_status_translate__task_id__get" => raw(translation_status),
        "get_translation_result_translation_result__run_id__get" => raw(translation_result),
        "get_translation_results_translation_results_post" => raw(translation_results),
        "translation_stream_translation_stream_post" => raw(translation_stream),
        "create_text_to_voice_text_to_voice_post" => raw(create_text_to_voice),
        "get_text_to_voice_status_text_to_voice__task_id__get" => raw(text_to_voice_status),
        "get_text_to_voice_result_text_to_voice_result__run_id__get" => raw(text_to_voice_result),
        "create_text_to_audio_text_to_sound_post" => raw(create_text_to_sound),
        "get_text_to_audio_status_text_to_sound__task_id__get" => raw(text_to_sound_status),
        // The JSON form (`output_type=file_url`), read from the byte stream.
        "get_text_to_audio_result_text_to_sound_result__run_id__get" => {
            raw(text_to_sound_result_file_url)
        }
        "get_text_to_sound_results_text_to_sound_results_post" => raw(text_to_sound_results),
        // The operations `Camb` has no method for yet, each one raw call
        // through `Camb::call_raw` (the client's retries and typed errors):
        // every body the schema allows decodes into the generated type.
        id => {
            return raw_call(id).map(|call| Covered {
                call,
                unusable: |_| false,
            });
        }
    };
    Some(covered)
}

fn speak(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let speech = Speech::new("Hello there!", Language::EN_US, VoiceId(1));
        camb.speak(&speech).await.map(drop)
    })
}

fn voices(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.voices().await.map(drop) })
}

fn create_voice(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let voice = NewVoice::from_bytes("Narrator", Gender::Female, "n.wav", b"RIFF".to_vec());
        camb.create_voice(&voice).await.map(drop)
    })
}

/// The raw call of each operation `Camb` has no method for yet.
fn raw_call(operation_id: &str) -> Option<for<'a> fn(&'a Camb) -> Call<'a>> {
    let call: for<'a> fn(&'a Camb) -> Call<'a> = match operation_id {
        "create_audio_separation_audio_separation_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                let media = camb_api::multipart::FilePart::bytes(b"RIFF".as_slice(), "mix.wav");
                raw.create_audio_separation().media_file(media).send()
            })
        },
        "get_audio_separation_status_audio_separation__task_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_audio_separation_status()
                    .task_id(TASK.to_owned())
                    .send()
            })
        },
        "get_audio_separation_run_info_audio_separation_result__run_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_audio_separation_run_info().run_id(7).send()
            })
        },
        "get_audio_separation_runs_results_audio_separation_results_post" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_audio_separation_runs_results()
                    .body(run_ids())
                    .send()
            })
        },
        "create_story_story_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                let document = camb_api::multipart::FilePart::bytes(b"Once".as_slice(), "fox.txt");
                raw.create_story()
                    .body_map(|form| form.source_language(1))
                    .file(document)
                    .send()
            })
        },
        "setup_story_story_setup_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                let document = camb_api::multipart::FilePart::bytes(b"Once".as_slice(), "fox.txt");
                raw.setup_story()
                    .body_map(|form| form.source_language(1))
                    .file(document)
                    .send()
            })
        },
        "get_story_status_story__task_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_story_status().task_id(TASK.to_owned()).send()
            })
        },
        "get_story_run_info_story_result__run_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_story_run_info().run_id(7).send()
            })
        },
        "get_stories_runs_results_stories_results_post" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_stories_runs_results().body(run_ids()).send()
            })
        },
        "create_translation_for_existing_story_translated_story__task_id__post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                raw.create_translation_for_existing_story()
                    .task_id(7)
                    .body_map(|body| body.target_language(76))
                    .send()
            })
        },
        "get_translated_story_status_translated_story__task_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_translated_story_status()
                    .task_id(TASK.to_owned())
                    .send()
            })
        },
        "get_translated_story_run_info_translated_story_result__run_id___target_language__get" => {
            |camb| {
                through_raw(camb, Resend::Idempotent, |raw| {
                    raw.get_translated_story_run_info()
                        .run_id(7)
                        .target_language(76)
                        .send()
                })
            }
        }
        "create_subtitle_sub_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                raw.create_subtitle()
                    .body_map(|body| {
                        body.media_url("https://example.com/talk.mp4")
                            .source_language(camb_api::types::LanguageInput::Integer(1))
                            .target_languages(vec![camb_api::types::LanguageInput::Integer(76)])
                    })
                    .send()
            })
        },
        "get_subtitle_task_status_sub__task_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_subtitle_task_status()
                    .task_id(TASK.to_owned())
                    .send()
            })
        },
        "get_subtitle_result_sub_result__run_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_subtitle_result().run_id(7).send()
            })
        },
        "get_subtitle_result_for_language_sub_result__run_id___language__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_subtitle_result_for_language()
                    .run_id(7)
                    .language(camb_api::types::LanguageInput::Integer(76))
                    .send()
            })
        },
        "get_subtitle_results_sub_results_post" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_subtitle_results().body(run_ids()).send()
            })
        },
        "create_project_project_setup_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                raw.create_project()
                    .body_map(|body| {
                        body.media_url("https://example.com/talk.mp4")
                            .source_language(camb_api::types::LanguageInput::Integer(1))
                            .target_languages(vec![camb_api::types::LanguageInput::Integer(76)])
                    })
                    .send()
            })
        },
        "create_project_setup_task_status_project_setup__task_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.create_project_setup_task_status()
                    .task_id(TASK.to_owned())
                    .send()
            })
        },
        "get_project_setup_result_project_setup_result__run_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_project_setup_result().run_id(7).send()
            })
        },
        "get_project_setup_runs_results_project_setup_results_post" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_project_setup_runs_results().body(run_ids()).send()
            })
        },
        "create_stream_stream_post" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                raw.create_stream().body(stream()).send()
            })
        },
        "create_stream_v1" => |camb| {
            through_raw(camb, Resend::OnlyIfUnprocessed, |raw| {
                raw.create_stream_v1().body(stream()).send()
            })
        },
        "get_probe_stream_stream_probe_post" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_probe_stream()
                    .body_map(|body| body.url("srt://in.example:9000"))
                    .send()
            })
        },
        "get_probe_stream_v1" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_probe_stream_v1()
                    .body_map(|body| body.url("srt://in.example:9000"))
                    .send()
            })
        },
        "get_stream_result_stream__stream_id__get" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_stream_result().stream_id(3).send()
            })
        },
        "patch_stream_data_stream__stream_id__patch" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.patch_stream_data()
                    .stream_id(3)
                    .body_map(|body| body.target_languages(Some(vec![76])))
                    .send()
            })
        },
        "destroy_stream_stream__stream_id__delete" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.destroy_stream().stream_id(3).send()
            })
        },
        "get_stream_result_v1" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.get_stream_result_v1().stream_id(3).send()
            })
        },
        "stop_stream_v1" => |camb| {
            through_raw(camb, Resend::Idempotent, |raw| {
                raw.stop_stream_v1().stream_id(3).send()
            })
        },
        _ => return None,
    };
    Some(call)
}

/// The task id of the raw status calls.
const TASK: &str = "task-1";

fn run_ids() -> camb_api::types::RunIDsRequestPayload {
    camb_api::types::RunIDsRequestPayload {
        run_ids: vec![7, 8],
    }
}

/// The smallest stream the create calls accept.
fn stream() -> camb_api::types::CreateStreamRequestPayload {
    serde_json::from_value(serde_json::json!({
        "voices": [20299],
        "dictionaries": [],
        "config": {},
        "source_stream": {"language": 1, "url": "srt://in.example:9000"},
        "target_streams": [{"languages": [76], "url": "srt://out.example:9001", "type": 1}],
    }))
    .expect("a valid stream")
}

/// An operation covered by [`Camb::call_raw`]: no body it decodes is unusable.
fn raw(call: for<'a> fn(&'a Camb) -> Call<'a>) -> Covered {
    Covered {
        call,
        unusable: |_| false,
    }
}

/// What a generated call answers (every operation has the one error body).
type RawAnswer<T> =
    Result<camb_api::ResponseValue<T>, camb_api::Error<camb_api::types::HttpValidationError>>;

/// One generated call, made by `call` on `camb.raw()`, sent through
/// [`Camb::call_raw`] (resent as `resend` says), its success value dropped.
fn through_raw<'a, T, R>(
    camb: &'a Camb,
    resend: Resend,
    call: impl Fn(&'a camb_api::Client) -> R + Send + Sync + 'a,
) -> Call<'a>
where
    T: Send + 'a,
    R: Future<Output = RawAnswer<T>> + Send + 'a,
{
    Box::pin(async move { camb.call_raw(resend, || call(camb.raw())).await.map(drop) })
}

/// Calls through [`through_raw`], each `|client| call` making one
/// generated call on `client`, resent as `Resend::$resend` says.
macro_rules! raw_calls {
    ($( $name:ident: $resend:ident, |$client:ident| $call:expr; )+) => {
        $(
            fn $name(camb: &Camb) -> Call<'_> {
                through_raw(camb, Resend::$resend, |$client| $call)
            }
        )+
    };
}

fn locale(tag: &str) -> camb_api::types::LanguageInput {
    camb_api::types::LanguageInput::String(tag.into())
}

raw_calls! {
    create_tts: OnlyIfUnprocessed, |client| client
        .create_tts()
        .body_map(|body| body.text("Hello.").voice_id(147_320).language(1))
        .send();
    tts_status: Idempotent, |client| client.get_tts_result().task_id("tts-1".to_owned()).send();
    discord_tts_status: Idempotent, |client| client
        .get_tts_result_discord()
        .task_id("tts-1".to_owned())
        .send();
    tts_results: Idempotent, |client| client.get_tts_results().body(run_ids()).send();
    create_translated_tts: OnlyIfUnprocessed, |client| client
        .create_translated_tts()
        .body_map(|body| {
            body.text("Hello.")
                .voice_id(147_320)
                .source_language(locale("en-us"))
                .target_language(locale("fr-fr"))
        })
        .send();
    translated_tts_status: Idempotent, |client| client
        .get_translated_tts_task_status()
        .task_id("translated-tts-1".to_owned())
        .send();
    create_translation: OnlyIfUnprocessed, |client| client
        .create_translation()
        .body_map(|body| {
            body.texts(vec!["Hello.".to_owned()])
                .source_language(locale("auto"))
                .target_language(locale("fr-fr"))
        })
        .send();
    translation_status: Idempotent, |client| client
        .get_translation_task_status()
        .task_id("translation-1".to_owned())
        .send();
    translation_result: Idempotent, |client| client.get_translation_result().run_id(7).send();
    translation_results: Idempotent, |client| client.get_translation_results().body(run_ids()).send();
    translation_stream: OnlyIfUnprocessed, |client| client
        .translation_stream()
        .body_map(|body| {
            body.text("Hello.")
                .source_language(locale("en-us"))
                .target_language(locale("fr-fr"))
        })
        .send();
    create_text_to_voice: OnlyIfUnprocessed, |client| client
        .create_text_to_voice()
        .body_map(|body| body.text("Hello.").voice_description("A calm, low voice."))
        .send();
    text_to_voice_status: Idempotent, |client| client
        .get_text_to_voice_status()
        .task_id("voice-1".to_owned())
        .send();
    text_to_voice_result: Idempotent, |client| client.get_text_to_voice_result().run_id(7).send();
    create_text_to_sound: OnlyIfUnprocessed, |client| client
        .create_text_to_audio()
        .body_map(|body| body.prompt("Rain."))
        .send();
    text_to_sound_status: Idempotent, |client| client
        .get_text_to_audio_status()
        .task_id("sound-1".to_owned())
        .send();
    text_to_sound_results: Idempotent, |client| client.get_text_to_sound_results().body(run_ids()).send();
}

/// An answer that may be audio or JSON (spec/README.md, "One answer, two
/// media types"), asked for as JSON (`output_type=file_url`): the bytes
/// `Camb::call_raw` returns, decoded by `decode` into the JSON form's type.
async fn file_url_form(
    answer: Result<camb_api::ByteStream, Error>,
    decode: fn(&[u8]) -> serde_json::Result<()>,
) -> Answer {
    let bytes: Vec<u8> = answer?
        .into_inner()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .map_err(|e| Error::Decode {
            status: None,
            reason: e.to_string(),
            excerpt: String::new(),
        })?;
    decode(&bytes).map_err(|e| Error::Decode {
        status: None,
        reason: e.to_string(),
        excerpt: String::from_utf8_lossy(&bytes).into_owned(),
    })
}

fn tts_result_file_url(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let answer = camb
            .call_raw(Resend::Idempotent, || {
                camb.raw()
                    .get_tts_run_info()
                    .run_id(7)
                    .output_type(camb_api::types::OutputType::FileUrl)
                    .send()
            })
            .await;
        file_url_form(answer, |bytes| {
            serde_json::from_slice::<camb_api::types::GetTtsResultOutFileUrl>(bytes).map(drop)
        })
        .await
    })
}

fn text_to_sound_result_file_url(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let answer = camb
            .call_raw(Resend::Idempotent, || {
                camb.raw()
                    .get_text_to_audio_result()
                    .run_id(7)
                    .output_type(camb_api::types::OutputType::FileUrl)
                    .send()
            })
            .await;
        file_url_form(answer, |bytes| {
            serde_json::from_slice::<camb_api::types::GetTtaOut>(bytes).map(drop)
        })
        .await
    })
}

fn create_dub(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let request = DubRequest::new(
            "https://example.com/talk.mp4",
            Language::EN_US,
            [Language::FR_FR],
        );
        camb.create_dub(&request).await.map(drop)
    })
}

fn results(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.results([(RunId(7), [Language::FR_FR]), (RunId(8), [Language::FR_FR])])
            .await
            .map(drop)
    })
}

fn transcript(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.transcript(RunId(7), Language::FR_FR, TranscriptFileFormat::Srt)
            .await
            .map(drop)
    })
}

fn start_export(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.start_export(RunId(7), Language::FR_FR, &OutputFormat::Wav)
            .await
            .map(drop)
    })
}

fn export_status(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let task_id = TaskId::new("export-1").expect("a valid task id");
        camb.export_status(&task_id).await.map(drop)
    })
}

fn integration_status(camb: &Camb, integration: Integration) -> Call<'_> {
    Box::pin(async move {
        let task_id = TaskId::new("bot-task-1").expect("a valid task id");
        camb.integration_status(integration, &task_id)
            .await
            .map(drop)
    })
}

fn source_languages(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.source_languages().await.map(drop) })
}

fn target_languages(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.target_languages().await.map(drop) })
}

fn dictionaries(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.dictionaries().await.map(drop) })
}

fn dictionary(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.dictionary(DictionaryId(3)).await.map(drop) })
}

fn dictionary_details(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.dictionary_details(DictionaryId(3), &Search::all().limit(5))
            .await
            .map(drop)
    })
}

fn create_dictionary(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let terms = NewDictionary::from_bytes("Brands", "brands.csv", "en-us\nCAMB\n");
        camb.create_dictionary(&terms).await.map(drop)
    })
}

fn term() -> [TermTranslation; 1] {
    [TermTranslation::new(Language::FR_FR, "doublage")]
}

fn add_dictionary_term(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.add_dictionary_term(DictionaryId(3), &term())
            .await
            .map(drop)
    })
}

fn update_dictionary_term(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.update_dictionary_term(DictionaryId(3), TermId(4), &term())
            .await
            .map(drop)
    })
}

fn delete_dictionary_term(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.delete_dictionary_term(DictionaryId(3), TermId(4))
            .await
            .map(drop)
    })
}

fn delete_dictionary(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.delete_dictionary(DictionaryId(3)).await.map(drop) })
}

fn folders(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.folders(&Search::all()).await.map(drop) })
}

fn create_folder(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.create_folder("Talks").await.map(drop) })
}

/// A dictionary naming a language id no `Language` can be (negative, too
/// big), in its `languages` or in a term.
fn has_an_impossible_term_language(dictionary: &Value) -> bool {
    let impossible = |id: &Value| id.as_i64().is_none_or(|id| u32::try_from(id).is_err());
    let listed = dictionary["languages"]
        .as_array()
        .is_some_and(|ids| ids.iter().any(impossible));
    let in_terms = dictionary["dictionary_terms"]
        .as_array()
        .is_some_and(|terms| {
            terms.iter().any(|term| {
                term["term_translations"]
                    .as_array()
                    .is_some_and(|texts| texts.iter().any(|text| impossible(&text["language"])))
            })
        });
    listed || in_terms
}

/// An object of strings from which one value can be picked: exactly one
/// field, or a field under one of the `known` names.
fn one_string_or_known(body: &Value, known: &[&str]) -> bool {
    body.as_object().is_some_and(|fields| {
        fields.len() == 1 || known.iter().any(|name| fields.contains_key(*name))
    })
}

/// A result body in which neither shape finds an output it can name: not a
/// non-empty map of results, and no known field of a single result set; or
/// a map with a key that is no language id or locale tag.
fn holds_no_dub_output(body: &Value) -> bool {
    const KNOWN: [&str; 6] = [
        "run_id",
        "output_video_url",
        "video_url",
        "output_audio_url",
        "audio_url",
        "transcript",
    ];
    let Some(fields) = body.as_object() else {
        return true;
    };
    let a_map = !fields.is_empty() && fields.values().all(Value::is_object);
    if a_map {
        return fields.keys().any(|key| key.parse::<Language>().is_err());
    }
    KNOWN
        .iter()
        .all(|name| fields.get(*name).is_none_or(Value::is_null))
}

/// A language list holding an id no `Language` can be (negative, too big).
fn has_an_impossible_language_id(body: &Value) -> bool {
    body.as_array().is_some_and(|items| {
        items.iter().any(|item| {
            item["id"]
                .as_i64()
                .is_none_or(|id| u32::try_from(id).is_err())
        })
    })
}

fn transcribe(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let request =
            TranscriptionRequest::from_url("https://example.com/talk.mp4", Language::EN_US);
        camb.transcribe(&request).await.map(drop)
    })
}

fn transcription_status(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let task_id = TaskId::new("transcription-1").expect("a valid task id");
        camb.transcription_status(&task_id).await.map(drop)
    })
}

fn transcription(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.transcription(RunId(7)).await.map(drop) })
}

/// The second `Camb` method of an operation whose answer has two forms,
/// each read by its own method: every body is fetched through both.
fn also_covering(operation_id: &str) -> Option<Covered> {
    match operation_id {
        // The text form; `transcription` reads the segments.
        "get_transcription_result_transcription_result__run_id__get" => Some(Covered {
            call: transcription_text,
            unusable: |body| !body["transcript"].is_string(),
        }),
        _ => None,
    }
}

fn transcription_text(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        camb.transcription_text(
            RunId(7),
            TranscriptFileFormat::Vtt,
            TranscriptDataType::RawData,
        )
        .await
        .map(drop)
    })
}

fn transcriptions(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.transcriptions([RunId(7), RunId(8)]).await.map(drop) })
}

fn status(camb: &Camb) -> Call<'_> {
    Box::pin(async move {
        let task_id = TaskId::new("task-1").expect("a valid task id");
        camb.status(&task_id).await.map(drop)
    })
}

fn result(camb: &Camb) -> Call<'_> {
    Box::pin(async move { camb.result(RunId(7), [Language::FR_FR]).await.map(drop) })
}

/// The seed of one documented response's generator: its operation id and
/// status folded into ChaCha's 32 bytes (FNV-1a per lane, so that similar
/// ids still give unrelated seeds), plus `ANSWER_SEED` when set.
fn seed_for(operation_id: &str, status: u16) -> [u8; 32] {
    let salt: u64 = std::env::var("ANSWER_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let text = format!("{operation_id} {status}");
    let mut seed = [0u8; 32];
    for (lane, chunk) in seed.chunks_mut(8).enumerate() {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325 ^ salt ^ lane as u64;
        for byte in text.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        chunk.copy_from_slice(&hash.to_le_bytes());
    }
    seed
}

/// The answer the test server gives to every request.
type Served = Arc<Mutex<(u16, String)>>;

/// The checks of one documented response, and how many calls it made.
struct Checked {
    failure: Option<String>,
    calls: usize,
    usable: usize,
}

/// Runs the property for one documented response.
fn check(
    runtime: &tokio::runtime::Runtime,
    camb: &Camb,
    served: &Served,
    response: &Response,
) -> Checked {
    let failed = |failure: String| Checked {
        failure: Some(failure),
        calls: 0,
        usable: 0,
    };
    let what = format!("{} {}", response.operation_id, response.status);
    let Some(covered) = covering(&response.operation_id) else {
        return failed(format!(
            "no Camb method covers operation {}",
            response.operation_id
        ));
    };
    let covered: Vec<Covered> = std::iter::once(covered)
        .chain(also_covering(&response.operation_id))
        .collect();
    let generator = Generator::new(spec::document());
    let (strategy, validator) = match (
        generator.strategy(&response.schema),
        generator.validator(&response.schema),
    ) {
        (Ok(strategy), Ok(validator)) => (strategy, validator),
        (Err(e), _) | (_, Err(e)) => return failed(format!("{what}: {e}")),
    };
    let calls = AtomicUsize::new(0);
    let usable = AtomicUsize::new(0);
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: cases(),
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(
            RngAlgorithm::ChaCha,
            &seed_for(&response.operation_id, response.status),
        ),
    );
    let outcome = runner.run(&strategy, |Json(body)| {
        prop_assert!(
            validator.is_valid(&body),
            "the generator made a body its schema rejects"
        );
        *served.lock().unwrap_or_else(PoisonError::into_inner) =
            (response.status, body.to_string());
        for covered in &covered {
            let answer = runtime.block_on((covered.call)(camb));
            calls.fetch_add(1, Ordering::Relaxed);
            let expected = expectation(response.status, &body, covered.unusable);
            if matches!(answer, Ok(())) {
                usable.fetch_add(1, Ordering::Relaxed);
            }
            prop_assert!(
                expected.admits(&answer),
                "expected {expected:?}, got {answer:?}"
            );
        }
        Ok::<(), TestCaseError>(())
    });
    let failure = match outcome {
        Ok(()) => None,
        Err(TestError::Fail(reason, body)) => Some(format!(
            "{what}: {reason}\n    minimal failing body: {body:?}"
        )),
        Err(TestError::Abort(reason)) => Some(format!("{what}: aborted: {reason}")),
    };
    Checked {
        failure,
        calls: calls.into_inner(),
        usable: usable.into_inner(),
    }
}

/// What a call must give for a body served with a status.
#[derive(Debug)]
enum Expected {
    /// The decoded value.
    Ok,
    /// `Error::UnusableResponse`.
    Unusable,
    /// `Error::Validation` listing this many problems.
    Validation(usize),
    /// Any typed error but `Decode`.
    TypedError,
}

fn expectation(status: u16, body: &Value, unusable: fn(&Value) -> bool) -> Expected {
    match status {
        200..=299 if unusable(body) => Expected::Unusable,
        200..=299 => Expected::Ok,
        422 => Expected::Validation(body["detail"].as_array().map_or(0, Vec::len)),
        _ => Expected::TypedError,
    }
}

impl Expected {
    fn admits(&self, answer: &Answer) -> bool {
        match (self, answer) {
            (Expected::Ok, Ok(())) => true,
            (Expected::Unusable, Err(Error::UnusableResponse { .. })) => true,
            (Expected::Validation(problems), Err(Error::Validation { detail })) => {
                detail.len() == *problems
            }
            (Expected::TypedError, Err(error)) => !matches!(error, Error::Decode { .. }),
            _ => false,
        }
    }
}

#[test]
fn every_answer_the_spec_allows_decodes_through_camb() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let served: Served = Arc::new(Mutex::new((200, "{}".to_owned())));
    let server = runtime.block_on(MockServer::start_async());
    let answer = Arc::clone(&served);
    runtime.block_on(server.mock_async(|when, then| {
        when.any_request();
        then.respond_with(move |_| {
            let (status, body) = answer
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .clone();
            HttpMockResponse::builder()
                .status(status)
                .header("content-type", "application/json")
                .body(body)
                .build()
        });
    }));
    let camb = camb_client(&server.base_url(), API_KEY);

    let responses = spec::json_responses();
    assert!(!responses.is_empty(), "no JSON response read from the spec");
    let started = Instant::now();
    let mut failures = Vec::new();
    let mut calls = 0;
    for response in &responses {
        let checked = check(&runtime, &camb, &served, response);
        calls += checked.calls;
        match checked.failure {
            Some(failure) => failures.push(failure),
            // A schema of which no body is usable would make the check hollow.
            None if (200..300).contains(&response.status) && checked.usable == 0 => {
                failures.push(format!(
                    "{} {}: no generated body decoded to Ok in {} calls",
                    response.operation_id, response.status, checked.calls
                ));
            }
            None => {}
        }
    }
    println!(
        "{} documented responses, {calls} calls through Camb, in {:.1?}",
        responses.len(),
        started.elapsed()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
