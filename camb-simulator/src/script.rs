//! What a simulated task does: how long it stays `PENDING`, how it ends, and
//! which faults its status requests meet on the way.

use std::time::Duration;

use camb_api::ExceptionReason;
use camb_api::types::OrchestratorPipelineResultMessage;

use crate::Fault;

/// The script of one simulated dubbing task.
///
/// A task answers `PENDING` to its status requests until it has answered
/// `PENDING` [`pending_polls`](Self::pending_polls) times **and**
/// [`pending_for`](Self::pending_for) has passed since it was created; from
/// then on it reports its [`Outcome`].
///
/// Counting polls makes a task's progress independent of any clock, so tests
/// on tokio's paused clock (where the simulator's thread still runs in real
/// time) stay deterministic; `pending_for` adds real time for demos.
///
/// The default: `SUCCESS` after two `PENDING` answers, no wall-clock wait, no
/// faults.
#[derive(Clone, Debug)]
pub struct TaskScript {
    pub(crate) pending_polls: u32,
    pub(crate) pending_for: Duration,
    pub(crate) outcome: Outcome,
    pub(crate) faults: Vec<Fault>,
    pub(crate) result_as_map: bool,
}

impl Default for TaskScript {
    fn default() -> Self {
        TaskScript::new(Outcome::success())
    }
}

impl TaskScript {
    /// A task that ends with `outcome` after two `PENDING` answers.
    pub fn new(outcome: Outcome) -> Self {
        TaskScript {
            pending_polls: 2,
            pending_for: Duration::ZERO,
            outcome,
            faults: Vec::new(),
            result_as_map: false,
        }
    }

    /// How many status requests are answered `PENDING` before the outcome.
    pub fn pending_polls(mut self, polls: u32) -> Self {
        self.pending_polls = polls;
        self
    }

    /// How long (real time, from creation) the task stays `PENDING` at least.
    pub fn pending_for(mut self, duration: Duration) -> Self {
        self.pending_for = duration;
        self
    }

    /// Whether the result of a dub into one language is a per-language map
    /// (like a dub into several languages always is) instead of a single
    /// result; the API sends either.
    pub fn result_as_map(mut self, as_map: bool) -> Self {
        self.result_as_map = as_map;
        self
    }

    /// Faults for this task's status requests, taken one per request in order
    /// (after any faults queued for the status route as a whole).
    pub fn faults(mut self, faults: impl IntoIterator<Item = Fault>) -> Self {
        self.faults.extend(faults);
        self
    }
}

/// How a simulated task ends.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// `SUCCESS` with a `run_id`; the result can be fetched from
    /// `GET /dub-result/{run_id}`, its URLs spelled as given.
    Success(UrlSpelling),
    /// `ERROR` with an `exception_reason` and a `message`.
    Error {
        /// Why the task failed.
        reason: ExceptionReason,
        /// The human-readable explanation (a string or a JSON object).
        message: OrchestratorPipelineResultMessage,
    },
    /// `TIMEOUT`: the input took longer than the server allows.
    Timeout,
    /// `PAYMENT_REQUIRED`: the account has no credits left.
    PaymentRequired,
    /// `SUCCESS` with `run_id: null`, as the schema allows: the task
    /// reports it from then on, and no result can be fetched.
    SuccessWithoutRunId,
    /// A status value this client may not know (e.g. `CANCELLED`), reported
    /// from then on, with `run_id: null`.
    UnknownStatus(String),
}

impl Outcome {
    /// `SUCCESS`, with result URLs spelled as on CAMB.AI's docs page.
    pub fn success() -> Self {
        Outcome::Success(UrlSpelling::Output)
    }

    /// `ERROR` with this reason and a plain-text message.
    pub fn error(reason: ExceptionReason, message: impl Into<String>) -> Self {
        Outcome::Error {
            reason,
            message: OrchestratorPipelineResultMessage::String(message.into()),
        }
    }
}

/// How the result of a successful run names its URLs (the docs page and the
/// official SDKs disagree; the live API may send either).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UrlSpelling {
    /// `output_video_url` and `output_audio_url`, as on the docs page.
    Output,
    /// `video_url` and `audio_url`, as in the official SDKs.
    Plain,
}
