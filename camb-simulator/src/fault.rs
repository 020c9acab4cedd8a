//! Faults the simulator injects in place of a normal answer.

use std::time::Duration;

/// One injected fault: the answer to one request, in place of the normal one.
///
/// Faults sit in queues (per route on the [`SimulatorBuilder`], per task in
/// a [`TaskScript`]); each request takes at most one fault from the front of
/// the queue that governs it. A faulted request has no other effect: a create
/// request answered with a fault creates no task, and a status request
/// answered with one does not count as a `PENDING` poll.
///
/// [`SimulatorBuilder`]: crate::SimulatorBuilder
/// [`TaskScript`]: crate::TaskScript
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer normally, but only after this delay (counted in real time on the
    /// simulator's own thread). This is the one fault that still answers.
    Latency(Duration),
    /// `429 Too Many Requests`, with the given retry hint.
    RateLimited(RetryAfter),
    /// An error status with a JSON `{"detail": ...}` body, e.g. `503`; meant for
    /// 4xx and 5xx codes (a burst of 5xx is this fault repeated). A number
    /// outside `100..=999` is no HTTP status; the simulator answers it with `500`.
    Status(u16),
    /// The connection fails before any usable response arrives: the
    /// simulator reads the request, then closes the connection without a
    /// word. Hyper-based clients such as reqwest report it as a request error
    /// with no HTTP status, after which the connection is discarded.
    DropConnection,
    /// `200 OK` with a truncated JSON body.
    MalformedJson,
    /// A status request answers `200 OK` with this status value (one the client
    /// may not know, e.g. `CANCELLED`) and `run_id: null`, once; the task then
    /// goes on as scripted. Create and result requests have no status field and
    /// are answered normally (the fault is used up).
    UnknownStatus(String),
}

impl Fault {
    /// The same fault `times` times in a row, e.g. a burst of `503`s.
    pub fn repeated(self, times: usize) -> impl Iterator<Item = Fault> {
        std::iter::repeat_n(self, times)
    }

    /// The delay of a [`Fault::Latency`].
    pub(crate) fn latency(&self) -> Option<Duration> {
        match self {
            Fault::Latency(delay) => Some(*delay),
            _ => None,
        }
    }
}

/// The retry hint a [`Fault::RateLimited`] answer carries.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RetryAfter {
    /// `Retry-After: <seconds>`.
    Seconds(u64),
    /// `retry-after-ms: <milliseconds>` (the header CAMB.AI's SDKs read first).
    Millis(u64),
    /// `Retry-After` with this exact value, e.g. an HTTP date or garbage.
    Raw(String),
    /// No hint at all.
    Absent,
}

impl RetryAfter {
    /// The header this hint is sent as, if any.
    pub(crate) fn header(&self) -> Option<(&'static str, String)> {
        match self {
            RetryAfter::Seconds(seconds) => Some(("retry-after", seconds.to_string())),
            RetryAfter::Millis(millis) => Some(("retry-after-ms", millis.to_string())),
            RetryAfter::Raw(value) => Some(("retry-after", value.clone())),
            RetryAfter::Absent => None,
        }
    }
}
