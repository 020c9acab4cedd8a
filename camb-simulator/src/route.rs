//! The operation table: which operation a request is for (the router of
//! [`crate::http`] matched it against the spec's path templates), and the
//! [`Target`] each simulated operation turns its request into.
//!
//! To simulate one more operation: add its `"METHOD /template"` (exactly as
//! the spec writes it) and a function from [`Request`] to [`Target`] to
//! [`OPERATIONS`], and answer the new target in
//! [`State::respond`](crate::state::State::respond), which hands it the
//! request as the spec's check read it (`422` before, when it fails). An operation of the
//! spec with no entry here is routed all the same ([`Target::NotSimulated`])
//! and answered by the spec-driven engine (`engine.rs`: validation against
//! the spec's schemas, task families from `x-camb-task`).

use crate::Integration;
use crate::dictionaries::DictionaryCall;
use crate::folders::FolderCall;
use crate::http::{Matched, Operation, Request};
use crate::transcription::TranscriptionCall;

/// The routes the simulator tells apart, for counting requests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Route {
    /// `POST /dub`: create a dubbing task.
    Create,
    /// `GET /dub/{task_id}`: a task's status.
    Status,
    /// `GET /dub-result/{run_id}`: a finished run's result.
    Result,
    /// `POST /dubbing-results`: many runs' results.
    Results,
    /// `GET /transcript/{run_id}/{language}`: a run's transcript file.
    Transcript,
    /// `POST /dub-alt-format/{run_id}/{language}`: a dub in another format.
    AltFormat,
    /// `GET /dub-alt-format/{task_id}`: an alt-format task's status.
    AltFormatStatus,
    /// `GET /source-languages` and `GET /target-languages`.
    Languages,
    /// `GET /discord/dub/{task_id}` and `GET /twitter/dub/{task_id}`: the
    /// status of a dub started from an integration.
    IntegrationStatus,
    /// `POST /transcribe`: create a transcription task.
    Transcribe,
    /// `GET /transcribe/{task_id}`: a transcription task's status.
    TranscriptionStatus,
    /// `GET /transcription-result/{run_id}`: a transcription run's segments.
    TranscriptionResult,
    /// `POST /transcription-results`: many transcription runs' segments.
    TranscriptionResults,
    /// The dictionary calls: `/dictionaries` and the paths under it.
    Dictionaries,
    /// The folder calls: `GET /folders` and `POST /folders/create`.
    Folders,
    /// `POST /tts-stream`: speech, streamed.
    Speech,
    /// `GET /list-voices` and `POST /create-custom-voice`.
    Voices,
    /// Anything else (answered `404` or `405`).
    Other,
}

/// What a request asks for. Its path, query and body are read from the
/// request once they pass the spec's check ([`crate::check`]).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Create,
    Status,
    Result,
    Results,
    Transcript,
    AltFormat,
    AltFormatStatus,
    Languages,
    IntegrationStatus(Integration),
    Transcription(TranscriptionCall),
    Dictionary(DictionaryCall),
    Folder(FolderCall),
    /// `POST /tts-stream`.
    Speak,
    /// `GET /list-voices`.
    ListVoices {
        run_id: Option<String>,
    },
    /// `POST /create-custom-voice`.
    CreateCustomVoice {
        run_id: Option<String>,
    },
    /// An operation of the spec with no entry in [`OPERATIONS`] (the
    /// spec-driven engine answers it).
    NotSimulated {
        /// `METHOD /template`.
        operation: String,
    },
    /// A known path with the wrong method.
    MethodNotAllowed {
        allow: String,
    },
    NotFound,
}

/// Builds the target of one operation's request.
type MakeTarget = fn(&Request) -> Target;

/// Every operation the simulator answers, by `"METHOD /template"` as the
/// spec writes it, with how its request becomes a [`Target`].
pub(crate) const OPERATIONS: &[(&str, MakeTarget)] = &[
    ("POST /dub", |_| Target::Create),
    ("GET /dub/{task_id}", |_| Target::Status),
    ("GET /discord/dub/{task_id}", |_| {
        Target::IntegrationStatus(Integration::Discord)
    }),
    ("GET /twitter/dub/{task_id}", |_| {
        Target::IntegrationStatus(Integration::Twitter)
    }),
    ("GET /dub-result/{run_id}", |_| Target::Result),
    ("POST /dubbing-results", |_| Target::Results),
    ("GET /source-languages", |_| Target::Languages),
    ("GET /target-languages", |_| Target::Languages),
    ("GET /transcript/{run_id}/{language}", |_| {
        Target::Transcript
    }),
    ("POST /dub-alt-format/{run_id}/{language}", |_| {
        Target::AltFormat
    }),
    ("GET /dub-alt-format/{task_id}", |_| Target::AltFormatStatus),
    ("POST /transcribe", |_| {
        Target::Transcription(TranscriptionCall::Create)
    }),
    ("GET /transcribe/{task_id}", |_| {
        Target::Transcription(TranscriptionCall::Status)
    }),
    ("GET /transcription-result/{run_id}", |_| {
        Target::Transcription(TranscriptionCall::Result)
    }),
    ("POST /transcription-results", |_| {
        Target::Transcription(TranscriptionCall::Results)
    }),
    ("GET /dictionaries", |_| {
        Target::Dictionary(DictionaryCall::List)
    }),
    ("POST /dictionaries/create-from-file", |_| {
        Target::Dictionary(DictionaryCall::CreateFromFile)
    }),
    ("GET /dictionaries/{dictionary_id}", |_| {
        Target::Dictionary(DictionaryCall::Info)
    }),
    ("DELETE /dictionaries/{dictionary_id}", |_| {
        Target::Dictionary(DictionaryCall::Delete)
    }),
    ("GET /dictionaries/{dictionary_id}/full-details", |_| {
        Target::Dictionary(DictionaryCall::Details)
    }),
    ("POST /dictionaries/{dictionary_id}/add-term", |_| {
        Target::Dictionary(DictionaryCall::AddTerm)
    }),
    ("PUT /dictionaries/term/{dictionary_id}/{term_id}", |_| {
        Target::Dictionary(DictionaryCall::UpdateTerm)
    }),
    (
        "DELETE /dictionaries/term/{dictionary_id}/{term_id}",
        |_| Target::Dictionary(DictionaryCall::DeleteTerm),
    ),
    ("GET /folders", |_| Target::Folder(FolderCall::List)),
    ("POST /folders/create", |_| {
        Target::Folder(FolderCall::Create)
    }),
    ("POST /tts-stream", |_| Target::Speak),
    ("GET /list-voices", |r| Target::ListVoices {
        run_id: r.query_value("run_id"),
    }),
    ("POST /create-custom-voice", |r| Target::CreateCustomVoice {
        run_id: r.query_value("run_id"),
    }),
];

/// Every operation the router installs: the spec's, and any of the table
/// the spec lacks.
pub(crate) fn operations() -> Vec<Operation> {
    let mut operations = crate::http::spec_operations();
    for (key, _) in OPERATIONS {
        if let Some(operation) = Operation::parse(key)
            && !operations.contains(&operation)
        {
            operations.push(operation);
        }
    }
    operations
}

impl Target {
    /// The target of a request, by what the router matched.
    pub(crate) fn of(request: &Request) -> Target {
        match &request.matched {
            Matched::NotFound => Target::NotFound,
            Matched::MethodNotAllowed { allow } => Target::MethodNotAllowed {
                allow: allow.clone(),
            },
            Matched::Operation(operation) => OPERATIONS
                .iter()
                .find(|(key, _)| operation.is(key))
                .map_or_else(
                    || Target::NotSimulated {
                        operation: operation.to_string(),
                    },
                    |(_, make)| make(request),
                ),
        }
    }

    /// The route this target counts under.
    pub(crate) fn route(&self) -> Route {
        match self {
            Target::Create => Route::Create,
            Target::Status => Route::Status,
            Target::Result => Route::Result,
            Target::Results => Route::Results,
            Target::Transcript => Route::Transcript,
            Target::AltFormat => Route::AltFormat,
            Target::AltFormatStatus => Route::AltFormatStatus,
            Target::Languages => Route::Languages,
            Target::IntegrationStatus(_) => Route::IntegrationStatus,
            Target::Transcription(call) => match call {
                TranscriptionCall::Create => Route::Transcribe,
                TranscriptionCall::Status => Route::TranscriptionStatus,
                TranscriptionCall::Result => Route::TranscriptionResult,
                TranscriptionCall::Results => Route::TranscriptionResults,
            },
            Target::Dictionary(_) => Route::Dictionaries,
            Target::Folder(_) => Route::Folders,
            Target::Speak => Route::Speech,
            Target::ListVoices { .. } | Target::CreateCustomVoice { .. } => Route::Voices,
            Target::NotSimulated { .. } | Target::MethodNotAllowed { .. } | Target::NotFound => {
                Route::Other
            }
        }
    }
}
