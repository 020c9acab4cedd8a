//! The operation table: which operation a request is for (the router of
//! [`crate::http`] matched it against the spec's path templates), and the
//! [`Target`] each simulated operation turns its request into.
//!
//! To simulate one more operation: add its `"METHOD /template"` (exactly as
//! the spec writes it) and a function from [`Request`] to [`Target`] to
//! [`OPERATIONS`], and answer the new target in
//! [`State::respond`](crate::state::State::respond). An operation of the
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
    /// Anything else (answered `404` or `405`).
    Other,
}

/// What a request asks for, with its path parameters decoded.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Target {
    Create {
        /// The raw `run_id` query value, if any (validated later, like FastAPI).
        run_id: Option<String>,
    },
    Status {
        task_id: String,
        /// The raw `run_id` query value, if any (validated later, like FastAPI).
        run_id: Option<String>,
    },
    Result {
        /// The raw path segment (validated later, like FastAPI).
        run_id: String,
    },
    Results {
        run_id: Option<String>,
    },
    Transcript {
        run_id: String,
        language: String,
        format_type: Option<String>,
        data_type: Option<String>,
    },
    AltFormat {
        run_id: String,
        language: String,
    },
    AltFormatStatus {
        task_id: String,
        run_id: Option<String>,
    },
    Languages {
        run_id: Option<String>,
    },
    IntegrationStatus {
        integration: Integration,
        task_id: String,
        run_id: Option<String>,
    },
    Transcription(TranscriptionCall),
    Dictionary(DictionaryCall),
    Folder(FolderCall),
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
/// spec writes it, with how its request becomes a [`Target`]. Path and query
/// values are kept raw here and validated when answered, like FastAPI.
pub(crate) const OPERATIONS: &[(&str, MakeTarget)] = &[
    ("POST /dub", |r| Target::Create {
        run_id: r.query_value("run_id"),
    }),
    ("GET /dub/{task_id}", |r| Target::Status {
        task_id: r.param("task_id"),
        run_id: r.query_value("run_id"),
    }),
    ("GET /discord/dub/{task_id}", |r| {
        integration_status(r, Integration::Discord)
    }),
    ("GET /twitter/dub/{task_id}", |r| {
        integration_status(r, Integration::Twitter)
    }),
    ("GET /dub-result/{run_id}", |r| Target::Result {
        run_id: r.param("run_id"),
    }),
    ("POST /dubbing-results", |r| Target::Results {
        run_id: r.query_value("run_id"),
    }),
    ("GET /source-languages", languages),
    ("GET /target-languages", languages),
    ("GET /transcript/{run_id}/{language}", |r| {
        Target::Transcript {
            run_id: r.param("run_id"),
            language: r.param("language"),
            format_type: r.query_value("format_type"),
            data_type: r.query_value("data_type"),
        }
    }),
    ("POST /dub-alt-format/{run_id}/{language}", |r| {
        Target::AltFormat {
            run_id: r.param("run_id"),
            language: r.param("language"),
        }
    }),
    ("GET /dub-alt-format/{task_id}", |r| {
        Target::AltFormatStatus {
            task_id: r.param("task_id"),
            run_id: r.query_value("run_id"),
        }
    }),
    ("POST /transcribe", |_| {
        Target::Transcription(TranscriptionCall::Create)
    }),
    ("GET /transcribe/{task_id}", |r| {
        Target::Transcription(TranscriptionCall::Status {
            task_id: r.param("task_id"),
        })
    }),
    ("GET /transcription-result/{run_id}", |r| {
        Target::Transcription(TranscriptionCall::Result {
            run_id: r.param("run_id"),
            format_type: r.query_value("format_type"),
            data_type: r.query_value("data_type"),
        })
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
    ("GET /dictionaries/{dictionary_id}", |r| {
        Target::Dictionary(DictionaryCall::Info {
            dictionary_id: r.param("dictionary_id"),
        })
    }),
    ("DELETE /dictionaries/{dictionary_id}", |r| {
        Target::Dictionary(DictionaryCall::Delete {
            dictionary_id: r.param("dictionary_id"),
        })
    }),
    ("GET /dictionaries/{dictionary_id}/full-details", |r| {
        Target::Dictionary(DictionaryCall::Details {
            dictionary_id: r.param("dictionary_id"),
            limit: r.query_value("limit"),
            search_term: r.query_value("search_term"),
        })
    }),
    ("POST /dictionaries/{dictionary_id}/add-term", |r| {
        Target::Dictionary(DictionaryCall::AddTerm {
            dictionary_id: r.param("dictionary_id"),
        })
    }),
    ("PUT /dictionaries/term/{dictionary_id}/{term_id}", |r| {
        Target::Dictionary(DictionaryCall::UpdateTerm {
            dictionary_id: r.param("dictionary_id"),
            term_id: r.param("term_id"),
        })
    }),
    ("DELETE /dictionaries/term/{dictionary_id}/{term_id}", |r| {
        Target::Dictionary(DictionaryCall::DeleteTerm {
            dictionary_id: r.param("dictionary_id"),
            term_id: r.param("term_id"),
        })
    }),
    ("GET /folders", |r| {
        Target::Folder(FolderCall::List {
            limit: r.query_value("limit"),
            search_query: r.query_value("search_query"),
            run_id: r.query_value("run_id"),
        })
    }),
    ("POST /folders/create", |r| {
        Target::Folder(FolderCall::Create {
            run_id: r.query_value("run_id"),
        })
    }),
];

fn integration_status(request: &Request, integration: Integration) -> Target {
    Target::IntegrationStatus {
        integration,
        task_id: request.param("task_id"),
        run_id: request.query_value("run_id"),
    }
}

fn languages(request: &Request) -> Target {
    Target::Languages {
        run_id: request.query_value("run_id"),
    }
}

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
            Target::Create { .. } => Route::Create,
            Target::Status { .. } => Route::Status,
            Target::Result { .. } => Route::Result,
            Target::Results { .. } => Route::Results,
            Target::Transcript { .. } => Route::Transcript,
            Target::AltFormat { .. } => Route::AltFormat,
            Target::AltFormatStatus { .. } => Route::AltFormatStatus,
            Target::Languages { .. } => Route::Languages,
            Target::IntegrationStatus { .. } => Route::IntegrationStatus,
            Target::Transcription(call) => match call {
                TranscriptionCall::Create => Route::Transcribe,
                TranscriptionCall::Status { .. } => Route::TranscriptionStatus,
                TranscriptionCall::Result { .. } => Route::TranscriptionResult,
                TranscriptionCall::Results => Route::TranscriptionResults,
            },
            Target::Dictionary(_) => Route::Dictionaries,
            Target::Folder(_) => Route::Folders,
            Target::NotSimulated { .. } | Target::MethodNotAllowed { .. } | Target::NotFound => {
                Route::Other
            }
        }
    }
}
