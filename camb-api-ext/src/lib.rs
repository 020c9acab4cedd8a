//! The CAMB.AI dubbing client people use: a key from the environment, typed
//! errors, retries with backoff, and waiting for dubs.
//!
//! ```
//! # use httpmock::prelude::*;
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = MockServer::start_async().await;
//! # server.mock(|when, then| {
//! #     when.method(POST).path("/dub").header("x-api-key", "your-api-key");
//! #     then.status(200).json_body(serde_json::json!({"task_id": "task-1"}));
//! # });
//! # server.mock(|when, then| {
//! #     when.method(GET).path("/dub/task-1");
//! #     then.status(200).json_body(serde_json::json!({"status": "SUCCESS", "run_id": 7}));
//! # });
//! # server.mock(|when, then| {
//! #     when.method(GET).path("/dub-result/7");
//! #     then.status(200).json_body(serde_json::json!({
//! #         "76": {"audio_url": "https://cdn.example/7-fr.mp3", "video_url": "https://cdn.example/7-fr.mp4",
//! #                "transcript": [{"start": 0.0, "end": 1.2, "text": "Bonjour", "speaker": "A"}]},
//! #         "54": {"audio_url": "https://cdn.example/7-es.mp3", "video_url": "https://cdn.example/7-es.mp4",
//! #                "transcript": [{"start": 0.0, "end": 1.2, "text": "Hola", "speaker": "A"}]}
//! #     }));
//! # });
//! # let base_url = server.base_url();
//! use camb_api_ext::{Camb, DubRequest, Language};
//!
//! // In production: `Camb::from_env()?`, which reads CAMB_API_KEY.
//! let camb = Camb::builder()
//!     .api_key("your-api-key")
//!     .base_url(base_url)
//!     .build()?;
//!
//! // English into French and Spanish; setters add the other options.
//! let request = DubRequest::new(
//!     "https://example.com/talk.mp4",
//!     Language::EN_US,
//!     [Language::FR_FR, Language::ES_ES],
//! )
//! .project_name("Talk");
//! // Create, wait (polling with backoff), fetch every language's output.
//! let outputs = camb.dub(&request).await?;
//! for output in &outputs {
//!     println!("{output}"); // fr-fr: video https://…, audio https://…
//! }
//! let french = outputs.get(Language::FR_FR).expect("a French dub");
//! assert_eq!(french.video_url.as_deref(), Some("https://cdn.example/7-fr.mp4"));
//! assert_eq!(french.transcript[0].text, "Bonjour");
//! # Ok(())
//! # }
//! ```
//!
//! # What it does
//!
//! - [`Camb`]: the client. [`Camb::from_env`] reads `CAMB_API_KEY` and
//!   `CAMB_BASE_URL`; [`CambBuilder`] sets the rest. To try it without an
//!   account, point it at the simulated CAMB.AI server of the
//!   `camb-simulator` crate: in process for tests, or as a program
//!   (`cargo run -p camb-simulator -- --port 8080` prints its base URL and
//!   key). The key travels as
//!   `x-api-key`, never shows in `Debug` output or errors, and is refused
//!   over plain `http://` except to a loopback address. It goes to the base
//!   URL's origin only: a redirect elsewhere is refused
//!   ([`Error::Redirected`]), and a loopback or plain-`http://` base URL is
//!   never reached through a proxy.
//! - Hostile servers: response bodies are capped at
//!   [`camb_api::MAX_BODY_BYTES`] ([`Error::BodyTooLarge`]); server hints
//!   (`Retry-After` and the like) are capped at [`MAX_SERVER_HINT`] and never
//!   make a policy go faster than its own smallest delay; a wait's deadline
//!   also ends a request still in flight.
//! - [`DubRequest`]: what to dub, with a setter for every option of the
//!   API; [`Language`]: language ids with names (`Language::FR_FR`, or
//!   `"fr-fr".parse()`), open to ids this version does not know.
//! - Typed calls: [`Camb::create_dub`], [`Camb::status`], [`Camb::result`]
//!   and [`Camb::results`] ([`DubOutputs`]: one [`DubOutput`] per language,
//!   whichever shape the server answers in), [`Camb::transcript`] (SRT, VTT
//!   or text), [`Camb::export`] (the dub in another audio or video format),
//!   [`Camb::source_languages`] / [`Camb::target_languages`];
//!   [`Camb::raw`] for the generated client ([`camb_api`]), and
//!   [`Camb::call_raw`] to send one of its calls with this crate's retries
//!   ([`Resend`] says which failures may be resent) and [`Error`].
//! - Where a request's ids come from: the account's dictionaries
//!   ([`Camb::create_dictionary`] from a term file, [`Camb::dictionaries`],
//!   [`Camb::dictionary`],
//!   [`Camb::dictionary_details`], their terms with
//!   [`Camb::add_dictionary_term`], [`Camb::update_dictionary_term`] and
//!   [`Camb::delete_dictionary_term`], [`Camb::delete_dictionary`]) for
//!   [`DubRequest::chosen_dictionaries`], and its folders ([`Camb::folders`],
//!   [`Camb::create_folder`]) for [`DubRequest::folder_id`].
//! - [`Error`]: one enum, one variant per outcome a caller acts on.
//! - [`RetryPolicy`]: transient failures (connection errors, 408, 429, 5xx)
//!   are retried with jittered exponential backoff, honouring the server's
//!   `Retry-After`.
//! - Waiting: [`Camb::wait_for_dub`] (a [`Wait`]: `.await` it, or set
//!   `.on_update(..)`, `.on_failed_poll(..)` (a [`FailedPoll`]: each failed
//!   poll, its error and the next try), `.deadline(..)`, `.poll_policy(..)` (a
//!   [`PollPolicy`]) or `.error_policy(..)` (a [`WaitErrorPolicy`]; a server
//!   never reached ends a wait after 2 minutes with [`Error::Unreachable`]) first,
//!   or turn it into a stream of [`StatusUpdate`]s with `.watch()`),
//!   [`Camb::watch_dub`], [`Camb::wait_for_export`] (the same [`Wait`]),
//!   [`Camb::wait_for_dubs`] (many tasks under shared [`WaitLimits`]),
//!   [`Camb::dub`] and [`Camb::export`] (whole flows: a [`Flow`] with the
//!   same settings). Waits spawn nothing: dropping one stops it. [`TaskId`],
//!   [`RunId`], [`DubRequest`] and [`DubOutputs`] serialize with serde, so
//!   an application can store them and resume a wait after a restart. Every
//!   task error names the task and its [`TaskKind`].
//! - Every task family of the spec (transcription, TTS, translation, ...:
//!   a marker type each in [`tasks`], generated from the spec's
//!   `x-camb-task`): [`Camb::create_task`], [`Camb::task_status`],
//!   [`Camb::wait_for_task`] (a [`Wait`] like every other),
//!   [`Camb::wait_for_tasks`], [`Camb::task_result`],
//!   [`Camb::task_results`] and [`Camb::run_task`] (the whole flow), e.g.
//!   `camb.wait_for_task::<tasks::Transcription>(&task_id)`; a file result
//!   (TTS audio, a sound) saved to disk as it streams with
//!   [`Camb::save_task_result`]. Two families differ in one step: a
//!   story's create may answer the story itself ([`Camb::start_task`],
//!   [`Started`]), and a project setup's status is a list of runs
//!   ([`Camb::wait_for_project_setup`]).
//! - Logs (`tracing`): each wait runs in a span named after its family
//!   (`wait_for_dub`, `wait_for_export`, `wait_for_integration_dub`, the
//!   last with its `integration`; `wait_for_task` for the spec's other
//!   families, with their `family`), with the
//!   `task_id`, the number of `polls` (recorded once, when the wait ends)
//!   and, where the task makes one, the `run_id`. A wait logs a few events at INFO or above however long it
//!   lasts (the first failed poll, the end, the deadline); each poll logs
//!   at DEBUG.
//! - Many videos: [`Camb::dub_all`] creates, waits for and fetches (in
//!   batches) every input under one [`WaitLimits`], yielding a
//!   [`DubEvent`] per step of each: the new task (store it to resume after
//!   a crash, as a [`DubJob`]), progress, and each input's outcome. Errors
//!   are cheap to clone ([`Error`] is `Clone`), for collecting one per input.
//! - Testing code that uses `Camb`: the simulated CAMB.AI server of the
//!   `camb-simulator` crate (state, scripted tasks, injected faults) hands
//!   out a client ready for it and for tokio's paused clock
//!   (`Simulator::camb`); see "Time" below. For contract tests against
//!   httpmock, the `mock` feature adds the module `mock`: the typed mock
//!   helpers of every operation, each documented with the `Camb` method it
//!   stands for, scripted status sequences, and httpmock itself;
//!   [`DubRequest::to_body`] gives the exact body a create sends.
//!   [`reqwest`] is re-exported for [`CambBuilder::http_client`].
//!
//! # Speech
//!
//! Text to speech, streamed as a voice agent needs it (`cargo run --example
//! speak -- "Hello"` writes a WAV, against the simulator when no key is set):
//!
//! - [`Camb::speak`] hands on a [`SpeechStream`]: a `Stream` of audio
//!   chunks ([`bytes::Bytes`]), each as soon as the server sends it, never
//!   the whole answer buffered. Its [`AudioFormat`] is known before the
//!   first chunk: a WAV's rate and layout from its `fmt ` chunk (found by
//!   walking the RIFF chunks however the bytes are split; a placeholder
//!   data length is fine), raw PCM's from the request (it carries none).
//!   Samples come without the WAV header and in whole frames. JSON or HTML
//!   where audio was expected is [`Error::NotAudio`]; a refused key, a
//!   voice the key may not use ([`Error::VoiceNotAvailable`]), the API's
//!   422 (with the locales a model speaks), 429 and 5xx are typed errors
//!   before the first chunk, retried while no audio was handed on; the
//!   first byte has its own time limit ([`Speech::first_byte_timeout`],
//!   [`Error::FirstByteTimeout`]). The answer's headers stay readable
//!   ([`SpeechMetadata`]: content type, `X-Credits-Required`, request id).
//!   Dropping the stream closes the connection; [`SpeechStream::save`]
//!   writes a WAV with the true rate (also for raw PCM).
//! - [`Speech`]: the text (checked: 3 to 3,000 characters), a locale
//!   ([`Language`]), a voice ([`VoiceId`]), and a setter for every option:
//!   model ([`SpeechModel`], open to new ones), format ([`SpeechFormat`]),
//!   sample rate, `user_instructions` (refused for a model that ignores
//!   them), voice settings, inference options.
//! - [`Camb::speak_text`]: a text still being written (an LLM's tokens) is
//!   split into sentences ([`Sentences`]) and spoken in order as
//!   [`SpeechEvent`]s, the next sentence requested while the current one
//!   streams; [`SpokenText::time_to_first_audio`] measures the wait.
//! - [`Camb::voices`] lists the voices ([`Voice`]: id, name, [`Gender`],
//!   age, language), whichever of its three shapes the list comes in;
//!   [`Camb::create_voice`] clones one from a recording ([`NewVoice`], the
//!   file streamed from disk), its id usable at once.
//!
//! ```no_run
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! use camb_api_ext::{Camb, Language, Speech, SpeechEvent};
//! use futures_util::StreamExt;
//!
//! let camb = Camb::from_env()?;
//! let voice = camb.voices().await?.first().ok_or("no voices")?.id();
//!
//! // One utterance, chunk by chunk.
//! let mut audio = camb.speak(&Speech::new("Hello there!", Language::EN_US, voice)).await?;
//! println!("{} after {:?}", audio.format(), audio.time_to_first_byte());
//! while let Some(samples) = audio.next().await {
//!     let samples = samples?; // play them
//!     # let _ = samples;
//! }
//!
//! // An LLM's answer, spoken while it is written.
//! let tokens = futures_util::stream::iter(["Sure. ", "It is sunny", " today. Anything else?"]);
//! let mut spoken = camb.speak_text(tokens, &Speech::new("", Language::EN_US, voice));
//! while let Some(event) = spoken.next().await {
//!     if let SpeechEvent::Audio(samples) = event? {
//!         # let _ = samples; // play them
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # Time
//!
//! All waiting (poll delays, retry backoff, deadlines) uses tokio's clock, so
//! tests can run hours of polling in milliseconds with
//! `#[tokio::test(start_paused = true)]`. On a paused clock, tokio fires the
//! next pending timer whenever the runtime would wait for a socket, and
//! reqwest's timers are tokio timers too: against a real socket (the
//! simulator, httpmock) such a test needs a client without them, which
//! [`CambBuilder::for_paused_clock`] makes (no request timeout, no cut of a
//! request in flight at a wait's deadline, no idle timer on the connection
//! pool), and the simulator's ready client uses:
//!
//! ```
//! use camb_api_ext::{DubRequest, Language};
//! use camb_simulator::{Simulator, TaskScript};
//!
//! // In a test: #[tokio::test(start_paused = true)]
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), camb_api_ext::Error> {
//! let sim = Simulator::builder()
//!     .default_script(TaskScript::default().pending_polls(50)) // hours of polling
//!     .start()
//!     .await;
//! let request = DubRequest::new("https://example.com/a.mp4", Language::EN_US, [Language::FR_FR]);
//! let outputs = sim.camb()?.dub(&request).await?;
//! assert!(outputs.get(Language::FR_FR).is_some());
//! # Ok(()) }
//! ```

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod api_key;
mod batch_results;
mod client;
mod dictionaries;
mod dub;
mod duration_text;
mod error;
mod families;
mod folders;
mod ids;
mod language;
#[cfg(feature = "mock")]
pub mod mock;
mod project_setup;
mod result_file;
mod retry;
mod search;
mod speech;
#[cfg(feature = "rustls-ring")]
mod tls;
mod transcription;
mod wait;

pub use api_key::ApiKey;
pub use batch_results::RESULTS_PER_REQUEST;
pub use client::{Camb, CambBuilder, DEFAULT_BASE_URL};
pub use dictionaries::{Dictionary, DictionaryTerm, NewDictionary, TermTranslation};
pub use dub::{
    DubAll, DubEvent, DubJob, DubOutput, DubOutputs, DubRequest, DubResultUrls, DubStatus, DubWait,
    Export, ExportWait, Integration, OutputFormat, StatusUpdate,
};
pub use error::Error;
pub use families::{PolledTask, Started, TaskWait, file_part};
pub use folders::Folder;
pub use ids::{DictionaryId, RunId, TaskId, TaskKind, TermId, VoiceId};
pub use language::{Language, LanguageInfo, SourceLanguage};
pub use project_setup::{ProjectSetupRuns, ProjectSetupWait};
pub use result_file::SavedFile;
pub use retry::{Backoff, Delays, MAX_SERVER_HINT, Resend, RetryPolicy};
pub use search::Search;
pub use speech::{
    AudioFormat, Gender, NewVoice, PcmFormat, RateSource, SampleFormat, SavedAudio, Sentences,
    Speech, SpeechEvent, SpeechMetadata, SpeechStream, SpokenText, TEXT_CHARS, Voice,
};
#[cfg(feature = "rustls-ring")]
pub use tls::tls_config;
pub use transcription::TranscriptionRequest;
/// A wait for one transcription task (a [`TaskWait`]).
pub type TranscriptionWait<'a> = TaskWait<'a>;
pub use wait::{
    FailedPoll, Flow, PollPolicy, PollSchedule, Progress, Wait, WaitErrorPolicy, WaitLimits,
};

/// The chunk type of speech streams.
pub use bytes;
/// The generated client underneath, for what this crate does not wrap.
pub use camb_api;
/// The task families of the spec, one marker type each, for the generic
/// calls ([`Camb::create_task`], [`Camb::wait_for_task`], ...).
pub use camb_api::tasks;
/// The generated client's types (`camb_api::types`), documented here with
/// their fields: the bodies of [`Camb::call_raw`] calls and of
/// [`DubRequest::to_body`], and what the `mock` helpers match and answer.
#[doc(inline)]
pub use camb_api::types;
pub use camb_api::types::{DubResult, Transcript, TranscriptionMode, ValidationError};
pub use camb_api::types::{StreamTtsInferenceOptions, StreamTtsVoiceSettings};
pub use camb_api::{
    ExceptionReason, OutputFormat as SpeechFormat, SpeechModel, TaskStatus, TranscriptDataType,
    TranscriptFileFormat,
};
pub use camb_api::{Task, TaskResult, TaskResults, TaskState};
/// The HTTP client underneath, for [`CambBuilder::http_client`] and
/// [`CambBuilder::reqwest_client`] without a dependency of one's own.
pub use reqwest;
