//! A simulated CAMB.AI server for tests and demos: the dubbing flow with
//! state, scripted outcomes and injected faults, in process on a loopback
//! port ([`SimulatorBuilder::start`]) or as a server anyone can run
//! ([`SimulatorBuilder::serve`], the `camb-simulator` binary:
//! `cargo run -p camb-simulator -- --port 8080`). Both modes are one axum
//! router over the operations of `spec/generated/openapi-3.1.json`.
//!
//! - `POST /dub` creates a task and answers `{"task_id": ...}`;
//! - `GET /dub/{task_id}` answers `PENDING` until the task's script says it is
//!   done (see [`TaskScript`]), then its [`Outcome`]: `SUCCESS` with a
//!   `run_id`, `ERROR` with a reason and message, `TIMEOUT`,
//!   `PAYMENT_REQUIRED`, or a status value from the future;
//! - `GET /dub-result/{run_id}` answers the finished run's result: one
//!   result for a dub into one language (or, with
//!   [`TaskScript::result_as_map`], a map like the next case), a map keyed by
//!   language id for a dub into several;
//! - `POST /dubbing-results` answers the finished runs among `run_ids`;
//! - `GET /transcript/{run_id}/{language}` answers `{"transcript": ...}` as
//!   SRT, VTT or plain text (`format_type`), or `{"file_url": ...}` for
//!   `data_type=file`;
//! - `POST /dub-alt-format/{run_id}/{language}` answers an audio format with
//!   the file (`{"file_url": ...}`) at once, and a video format (`mp4`,
//!   `mov`, `mkv`, `mxf`) with a `task_id` whose status
//!   (`GET /dub-alt-format/{task_id}`) is `PENDING` once, then `SUCCESS`;
//!   asking again then answers with the file;
//! - `GET /source-languages` and `GET /target-languages` list every language
//!   this version names;
//! - `POST /transcribe` (a form: a `media_url` or an uploaded `media_file`,
//!   a `language` id, tag or `auto`) creates a transcription task, scripted
//!   like a dub (its `media_url` or file name picks a
//!   [`script_for_video_url`](SimulatorBuilder::script_for_video_url));
//!   `GET /transcribe/{task_id}` is its status, and
//!   `GET /transcription-result/{run_id}` (as text with `format_type`) and
//!   `POST /transcription-results` its run's segments.
//! - `/dictionaries...`: dictionaries made from a term file
//!   (`POST /dictionaries/create-from-file`, a CSV form upload: a first row
//!   of languages, then a term per row), listed, read with their terms,
//!   filled, emptied and deleted; `POST /dub` answers `404` for a
//!   `chosen_dictionaries` id that names none (never made, or deleted);
//! - `GET /folders` and `POST /folders/create`: folders, each with its
//!   `folder_id` among the extra fields CAMB.AI's SDK allows.
//! - speech (see "Speech" below): `POST /tts-stream` streams the audio of a
//!   text, `GET /list-voices` lists the account's voices and
//!   `POST /create-custom-voice` clones one, which is then listed and speaks.
//!
//! Like the real API it wants the `x-api-key` header (`401` otherwise),
//! answers unknown ids with `404` and malformed parameters or bodies with a
//! FastAPI-style `422`: every request but speech's is checked against its
//! operation's JSON Schemas in the spec, as FastAPI checks it (every problem
//! of the path, the query and the body at once, in Pydantic's words). Every body it sends on purpose follows the schemas of
//! `spec/generated/openapi-3.1.json` (checked by the workspace's tests); the
//! faults [`Fault::MalformedJson`] and [`Fault::UnknownStatus`] exist to break
//! that rule.
//!
//! # What `POST /dub` refuses, and what it fails
//!
//! A request the service would refuse is refused the same way; one it
//! would accept and then fail is accepted (`200`, a `task_id`) and its
//! task ends `ERROR` with a reason (after its script's `PENDING` answers
//! and faults, whatever outcome the script names). Where no public source
//! says what CAMB.AI does, the simulator takes the reading closest to the
//! spec's schema (`EndToEndDubbingRequest` in
//! `spec/generated/openapi-3.1.json`): FastAPI refuses by construction what
//! the schema refuses, and accepts what it allows, so a refusal of an
//! allowed value can only come later, as a failed task.
//!
//! | request | answer | source |
//! |---|---|---|
//! | no body, a body that is no JSON or no object, `video_url` or `source_language` missing (so `{"video_url": "", "target_languages": []}`), a field of the wrong type (`"video_url": 7`, `"target_languages": "fr-fr"`, a `null` in `target_languages`), `transcription_mode` neither `fast` nor `slow` | `422`, every problem in FastAPI's `detail` | the schema, checked as FastAPI checks a body (<https://fastapi.tiangolo.com/tutorial/body/>, "If the data is invalid, it will return a nice and clear error") |
//! | uploaded transcripts: a script without an SRT cue, over 2 MiB (10 MiB together), more than 100 target scripts, a target script's language twice or not among the targets | `422`, a `value_error` at the field | camb-sdk 1.6.6 README, "Use your own SRT transcript or translation": the server's rules, and "server validation failures raise `UnprocessableEntityError` with status 422 and the API's field details"; the wording is the simulator's |
//! | a `chosen_dictionaries` id that names no dictionary | `404` `{"detail": "Dictionary 7 not found"}` | the spec's documented `404` (FastAPI's `HTTPException`, <https://fastapi.tiangolo.com/tutorial/handling-errors/>); the wording is the simulator's |
//! | `"video_url": ""` (or blank) | `ERROR`, `SOURCE_NOT_FOUND` | none public: the schema takes any string; the reason is the simulator's pick among camb-sdk 1.6.6's `camb/types/exception_reasons.py` |
//! | no target: `target_languages` empty, `null` or absent, and no `target_language` | `ERROR`, `PROCESSING_ERROR` | none public: the schema makes both fields optional |
//! | a language that is neither an id nor a locale tag (`["french"]`, `"en"`, `""`, a negative id), as source or target | `ERROR`, `PROCESSING_ERROR` | none public: the schema's `LanguageInput` is any integer or string; camb-sdk 1.6.6 (`camb/types/language_input.py`, README) says "numeric ID, locale tag, or `auto`" |
//! | `auto` as a target | `ERROR`, `PROCESSING_ERROR` | camb-sdk 1.6.6 README: "use a concrete target language"; it does not say how the service refuses one |
//! | an id or well-formed tag the simulator does not list (`"sw-ug"`, `152`), a target equal to the source | dubbed | none public; the language list grows (camb-sdk 1.6.6 types languages as `int \| str`), and nothing says the service fails a dub into its source |
//!
//! The `message` of a failed task names the field and the value, in the
//! simulator's words (no source gives CAMB.AI's). camb-api-ext's
//! `DubRequest` refuses most of these before sending anything.
//!
//! Time: a task's progress is counted in status requests (default: two
//! `PENDING` answers), optionally plus real time ([`TaskScript::pending_for`]).
//! The in-process simulator answers on its own thread and tokio runtime,
//! whose clock is real time even when a test pauses tokio's clock, so poll
//! counts are what keep such tests deterministic.
//!
//! # Speech
//!
//! `POST /tts-stream` answers a real stream: the status and headers
//! (`content-type` `audio/wav`, or `application/octet-stream` for raw PCM, `x-request-id`,
//! `x-credits-required`: one credit per character), then the audio in
//! chunks, paced by [`SpeechPace`] (a wait before the first byte, a chunk
//! size, a gap between chunks; the same in process and in the binary).
//! The audio is a soft tone per letter and silence for spaces and
//! punctuation, 70 ms a character (divided by
//! `voice_settings.speaking_rate`), or `output_configuration.duration`
//! seconds; each voice has its own pitch. `output_configuration.format`
//! `wav` (and no format: the API's default is MP3, which the simulator does
//! not encode) is a 16-bit mono WAV whose header `hound` writes, with
//! placeholder sizes (`0xFFFFFFFF`, as a server streaming an unknown length
//! writes them) or true ones ([`WavLength`]); `pcm_s16le`, `pcm_s16be`,
//! `pcm_s32le`, `pcm_s32be`, `pcm_f32le` and `pcm_f32be` are the raw mono
//! samples. `flac`, `adts` and `mp3` are answered with a `422` naming the
//! formats the simulator streams.
//!
//! **Sample rates.** The sources disagree (camb-api-facts.md, Source 8.2),
//! so the simulator follows the vendor's own word and lets a test play the
//! other observations:
//!
//! | request | rate | why |
//! |---|---:|---|
//! | `output_configuration.sample_rate` given (8,000 to 48,000) | that rate | abogen got the 24 kHz it asked for |
//! | model `mars-pro`, `mars-8.1-pro-beta` (any `pro` model) | 48,000 Hz | CAMB.AI's Python SDK README; pipecat, livekit and jargo |
//! | `mars-flash`, `mars-instruct`, `mars-8.1-flash-beta`, no model, an unknown model | 22,050 Hz | the same sources |
//! | any, with [`SimulatorBuilder::speech_sample_rate`] (`--sample-rate`) | that rate | flowcat found 48 kHz whatever was asked: a client must read the WAV's `fmt ` chunk |
//!
//! Errors, as the API documents them: `401` without the key; `422` in
//! FastAPI's shape for a text of fewer than 3 or more than 3,000 characters
//! (`string_too_short`, `string_too_long`), a locale outside the list of
//! camb-sdk 1.6.6 (`literal_error`, whose `msg` and `ctx.expected` list the
//! allowed ones; a bare `en` and upper case are refused), or any badly
//! typed field (all problems at once); `403` for a `voice_id` the account
//! cannot use (neither a stock voice nor one it cloned). [`Simulator::speech_streams`]
//! counts the streams started, sent whole and abandoned by their client.
//!
//! Voices: four stock voices (ids 20303 to 20306), then each voice cloned
//! by `POST /create-custom-voice` (a form with `voice_name`, `gender` and a
//! non-empty `file`; ids from 900001), listed by `GET /list-voices` in the
//! shape [`VoiceListShape`] says (a bare list, `{"payload": [...]}` or
//! `{"voices": [...]}`: CAMB.AI has been seen answering each).
//!
//! [`TaskScript`]: crate::TaskScript
//! [`TaskScript::pending_for`]: crate::TaskScript::pending_for
//! [`TaskScript::result_as_map`]: crate::TaskScript::result_as_map
//! [`Outcome`]: crate::Outcome
//! [`Fault::MalformedJson`]: crate::Fault::MalformedJson
//! [`Fault::UnknownStatus`]: crate::Fault::UnknownStatus
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//!
//! use camb_simulator::{Fault, Outcome, Route, Simulator, TaskScript};
//! use camb_api_ext::{Backoff, Camb, DubRequest, Error, ExceptionReason, Language, PollPolicy, RetryPolicy};
//!
//! let broken = "https://example.com/broken.mp4";
//! let sim = Simulator::builder()
//!     .script_for_video_url(
//!         broken,
//!         TaskScript::new(Outcome::error(ExceptionReason::SourceNotFound, "no such video"))
//!             .faults(Fault::Status(503).repeated(2)),
//!     )
//!     .start()
//!     .await;
//!
//! let fast = Backoff::new(Duration::from_millis(5), Duration::from_millis(20));
//! let camb = Camb::builder()
//!     .api_key(sim.api_key())
//!     .base_url(sim.base_url())
//!     .retry_policy(RetryPolicy::default().with_backoff(fast))
//!     .poll_policy(PollPolicy::default().with_backoff(fast))
//!     .build()?;
//! let request = |video_url: &str| {
//!     DubRequest::new(video_url, Language::EN_US, [Language::FR_FR, Language::ES_ES])
//! };
//!
//! // The default script: two PENDING answers, then SUCCESS and a result.
//! let outputs = camb.dub(&request("https://example.com/talk.mp4")).await?;
//! assert_eq!(outputs.len(), 2);
//! assert!(outputs.get(Language::FR_FR).and_then(|fr| fr.video_url.as_ref()).is_some());
//!
//! // The scripted failure, behind a burst of 503s that the client retries.
//! let task_id = camb.create_dub(&request(broken)).await?;
//! let failed = camb.wait_for_dub(&task_id).await;
//! assert!(matches!(failed, Err(Error::TaskFailed { .. })));
//! assert_eq!(sim.faults_left(), 0);
//! assert_eq!(sim.requests(Route::Create), 2);
//! # Ok(())
//! # }
//! ```

#![cfg_attr(docsrs, feature(doc_cfg))]

mod check;
mod dictionaries;
mod dub_checks;
mod engine;
mod fault;
mod folders;
mod http;
mod instance;
mod integrations;
mod openapi;
mod reply;
mod route;
mod script;
mod server;
mod speech;
mod state;
mod transcription;
mod validate;

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use camb_api_ext::{Camb, CambBuilder};

pub use fault::{Fault, RetryAfter};
pub use integrations::Integration;
pub use route::Route;
pub use script::{Outcome, TaskScript, UrlSpelling};
pub use speech::{SpeechPace, SpeechStreams, VoiceListShape, WavLength};

use http::{Answer, Request};
use reply::Reply;
use state::{Delayed, Scripts, State};

/// The API key a simulator expects unless told otherwise.
pub const DEFAULT_API_KEY: &str = "simulator-api-key";

/// A running simulated CAMB.AI server; it stops when dropped.
///
/// Start one with [`Simulator::builder`]. Point a client at
/// [`base_url`](Self::base_url) with [`api_key`](Self::api_key).
pub struct Simulator {
    server: http::Running,
    state: Arc<Mutex<State>>,
}

/// A request the simulator received, as it arrived.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceivedRequest {
    /// The route it was counted under.
    pub route: Route,
    /// The HTTP method.
    pub method: String,
    /// The request target exactly as received: path and query, still
    /// percent-encoded (what a client really put on the wire).
    pub target: String,
    /// The body (as text; bytes that are not UTF-8 become `U+FFFD`).
    pub body: String,
}

impl Simulator {
    /// A builder with the defaults: key [`DEFAULT_API_KEY`], every task
    /// scripted by [`TaskScript::default`], no faults.
    pub fn builder() -> SimulatorBuilder {
        SimulatorBuilder::default()
    }

    /// The server's base URL (`http://127.0.0.1:<port>`, no trailing `/`).
    pub fn base_url(&self) -> String {
        self.server.base_url().to_owned()
    }

    /// The API key the simulator accepts.
    pub fn api_key(&self) -> String {
        self.state().api_key().to_owned()
    }

    /// A client for this simulator: its base URL and key, set up for tests
    /// on tokio's paused clock ([`CambBuilder::for_paused_clock`]), so the
    /// obvious test just works:
    ///
    /// ```
    /// use camb_api_ext::{DubRequest, Language};
    /// use camb_simulator::Simulator;
    ///
    /// // #[tokio::test(start_paused = true)]
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// async fn dubs_into_french() -> Result<(), camb_api_ext::Error> {
    ///     let sim = Simulator::builder().start().await;
    ///     let request = DubRequest::new("https://example.com/a.mp4", Language::EN_US, [Language::FR_FR]);
    ///     let outputs = sim.camb()?.dub(&request).await?;
    ///     assert!(outputs.get(Language::FR_FR).is_some());
    ///     Ok(())
    /// }
    /// # fn main() -> Result<(), camb_api_ext::Error> { dubs_into_french() }
    /// ```
    ///
    /// Fails only if the simulator was given a key no HTTP header can carry.
    pub fn camb(&self) -> Result<Camb, camb_api_ext::Error> {
        self.camb_builder().build()
    }

    /// [`Simulator::camb`] before it is built, to change its policies
    /// (retries, polling, errors) first.
    pub fn camb_builder(&self) -> CambBuilder {
        Camb::builder()
            .api_key(self.api_key())
            .base_url(self.base_url())
            .for_paused_clock()
    }

    /// How many requests for `route` were answered, whatever the answer.
    ///
    /// Requests are recorded when answered: one held back by a
    /// [`Fault::Latency`] shows up once its delay is over.
    pub fn requests(&self, route: Route) -> usize {
        self.state().requests(route)
    }

    /// Every request answered so far, in order (see [`requests`](Self::requests)).
    pub fn received(&self) -> Vec<ReceivedRequest> {
        self.state().received().to_vec()
    }

    /// The ids of the tasks created so far, in order.
    pub fn task_ids(&self) -> Vec<String> {
        self.state().task_ids().to_vec()
    }

    /// How many status requests naming this task were answered (0 for an
    /// unknown id).
    pub fn status_requests(&self, task_id: &str) -> usize {
        self.state().status_requests(task_id)
    }

    /// The most requests held back by a [`Fault::Latency`] at one moment.
    /// With a latency queued for every request, that is the most requests
    /// a client had in flight at once (others are answered the moment they
    /// arrive, and are not counted).
    pub fn most_requests_held(&self) -> usize {
        self.state().most_held()
    }

    /// How many `POST /tts-stream` answers started streaming, were sent to
    /// their last byte, and were abandoned: dropped before their end
    /// because the client went away (it dropped its stream, which closes
    /// the connection).
    pub fn speech_streams(&self) -> SpeechStreams {
        self.state().speech().streams()
    }

    /// The ids of the voices the simulated account can use: the stock
    /// voices, then each voice cloned so far.
    pub fn voice_ids(&self) -> Vec<i64> {
        self.state().speech().voice_ids()
    }

    /// How many injected faults have not been used yet (in route queues and in
    /// the queues of created tasks); `0` proves a test met every fault it set
    /// up. A latency counts as used as soon as its request arrives.
    pub fn faults_left(&self) -> usize {
        self.state().faults_left()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }
}

impl fmt::Debug for Simulator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // No API key here, even a simulated one.
        f.debug_struct("Simulator")
            .field("base_url", &self.base_url())
            .field("tasks", &self.state().task_ids().len())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Simulator`]; [`start`](Self::start) runs it.
#[derive(Clone)]
pub struct SimulatorBuilder {
    api_key: String,
    scripts: Scripts,
    route_faults: BTreeMap<Route, VecDeque<Fault>>,
    speech: speech::SpeechOptions,
}

impl Default for SimulatorBuilder {
    /// The same as [`Simulator::builder`].
    fn default() -> Self {
        SimulatorBuilder {
            api_key: DEFAULT_API_KEY.to_owned(),
            scripts: Scripts::default(),
            route_faults: BTreeMap::new(),
            speech: speech::SpeechOptions::default(),
        }
    }
}

impl fmt::Debug for SimulatorBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimulatorBuilder")
            .field("scripts", &self.scripts)
            .field("route_faults", &self.route_faults)
            .field("speech", &self.speech)
            .finish_non_exhaustive()
    }
}

impl SimulatorBuilder {
    /// The API key to accept in `x-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> Self {
        self.api_key = api_key.into();
        self
    }

    /// The script of tasks that no other script claims.
    pub fn default_script(mut self, script: TaskScript) -> Self {
        self.scripts.default = script;
        self
    }

    /// The script of every task created for this `video_url` (this wins over
    /// [`script_next`](Self::script_next) and the default); a transcription
    /// task is matched by its `media_url`, or the name of its uploaded file.
    pub fn script_for_video_url(
        mut self,
        video_url: impl Into<String>,
        script: TaskScript,
    ) -> Self {
        self.scripts.by_video_url.insert(video_url.into(), script);
        self
    }

    /// Queues a script for the next created task whose `video_url` has no
    /// script of its own; queued scripts are used in order, then the default.
    pub fn script_next(mut self, script: TaskScript) -> Self {
        self.scripts.queue.push_back(script);
        self
    }

    /// Queues faults for the next requests of `route`, one per request, before
    /// anything else is checked (they model the network and load balancer).
    pub fn faults(mut self, route: Route, faults: impl IntoIterator<Item = Fault>) -> Self {
        self.route_faults.entry(route).or_default().extend(faults);
        self
    }

    /// How `POST /tts-stream` sends its audio: the wait before the first
    /// byte, the chunk size, the gap between chunks (default: all at once,
    /// 8 KiB chunks). The binary's `--first-byte-ms`, `--chunk-bytes` and
    /// `--chunk-every-ms`.
    pub fn speech_pace(mut self, pace: SpeechPace) -> Self {
        self.speech.pace = pace;
        self
    }

    /// Speaks at `hertz` whatever the request or its model ask for, as
    /// flowcat observed CAMB.AI do (48 kHz always): a client that takes the
    /// rate of a WAV from the request instead of its `fmt ` chunk then
    /// fails, as it would in production. Without it the rate is the one
    /// asked for in `output_configuration.sample_rate`, else 48 kHz for the
    /// `pro` models and 22.05 kHz for the others (see the crate docs,
    /// "Speech"). The binary's `--sample-rate`.
    pub fn speech_sample_rate(mut self, hertz: u32) -> Self {
        self.speech.forced_rate = Some(hertz);
        self
    }

    /// What a streamed WAV's header says its length is (default:
    /// [`WavLength::Placeholder`], `0xFFFFFFFF`). The binary's
    /// `--wav-length placeholder|exact`.
    pub fn wav_length(mut self, length: WavLength) -> Self {
        self.speech.wav_length = length;
        self
    }

    /// How `GET /list-voices` wraps its list (default: a bare list). The
    /// binary's `--voice-list list|payload|voices`.
    pub fn voice_list_shape(mut self, shape: VoiceListShape) -> Self {
        self.speech.list_shape = shape;
        self
    }

    /// Starts the server on a free loopback port, on a thread of its own
    /// (with its own tokio runtime, so it answers in real time whatever the
    /// caller's clock).
    ///
    /// # Panics
    ///
    /// If no loopback port or thread can be had (the machine is out of
    /// them); a test cannot go on without its server.
    pub async fn start(self) -> Simulator {
        let state = self.into_state();
        let router = http::router(route::operations(), answer(&state, Duration::ZERO, false));
        let server = http::spawn(router)
            .unwrap_or_else(|error| panic!("camb-simulator cannot start a server: {error}"));
        Simulator { server, state }
    }

    fn into_state(self) -> Arc<Mutex<State>> {
        Arc::new(Mutex::new(State::new(
            self.api_key,
            self.scripts,
            self.route_faults,
            self.speech,
        )))
    }
}

/// The simulator's answer to every request: its fault latency (plus
/// `latency`) waited for, then the state's reply; with `log`, one line per
/// request to stderr (method, path and query, status).
fn answer(state: &Arc<Mutex<State>>, latency: Duration, log: bool) -> Answer {
    let state = Arc::clone(state);
    Arc::new(move |request: Request| {
        let state = Arc::clone(&state);
        Box::pin(async move {
            let fault_latency = lock(&state).take_latency(&request);
            let delayed = if fault_latency.is_some() {
                Delayed::Yes
            } else {
                Delayed::No
            };
            let wait = latency.saturating_add(fault_latency.unwrap_or_default());
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            let reply: Reply = lock(&state).respond(&request, delayed);
            if log {
                // The query too: it holds options (`format_type`, `data_type`, `run_id`).
                eprintln!("{} {} {}", request.method, request.target, reply.status());
            }
            reply
        })
    })
}

/// Locks the state; a panic elsewhere while it was held leaves it usable.
fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_simulator_can_be_shared_across_threads_and_tasks() {
        fn shareable<T: Send + Sync + 'static>() {}
        shareable::<Simulator>();
        shareable::<SimulatorBuilder>();
    }
}
