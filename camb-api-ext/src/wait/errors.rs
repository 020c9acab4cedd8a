//! [`WaitErrorPolicy`]: which failed polls end a wait.

use std::time::Duration;

use crate::Error;

/// Which errors of a status poll end a wait.
///
/// An error that cannot heal (401, 403, 404, 422, an undecodable or
/// unusable response) always ends it. A transient one (connection trouble,
/// 408, 429, 5xx, after the per-request retries of the
/// [`RetryPolicy`](crate::RetryPolicy)) keeps it going until the deadline,
/// by default; the next poll follows the normal schedule or the server's
/// `Retry-After`. Each such failed poll reaches the wait's
/// `on_failed_poll` hook ([`FailedPoll`](crate::FailedPoll)).
///
/// One exception, by default: a server that has never answered this client
/// (connection refused, no such host, no network: a wrong `CAMB_BASE_URL`
/// or a machine offline) ends the wait after
/// [`unreachable_limit`](Self::unreachable_limit) (2 minutes) with
/// [`Error::Unreachable`], naming the base URL, instead of polling in
/// silence until the deadline. A server that answered before (any earlier
/// call or poll of the client, whatever its status) and then fails is
/// retried as any transient failure.
///
/// ```
/// use std::time::Duration;
/// use camb_api_ext::WaitErrorPolicy;
///
/// // Give up after three failed polls in a row.
/// let policy = WaitErrorPolicy::default().with_max_failures_in_a_row(Some(3));
/// // Wait up to ten minutes for a server that was never reached.
/// let patient = WaitErrorPolicy::default().with_unreachable_limit(Some(Duration::from_secs(600)));
/// # let _ = (policy, patient);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitErrorPolicy {
    max_failures_in_a_row: Option<u32>,
    unreachable_limit: Option<Duration>,
}

impl Default for WaitErrorPolicy {
    fn default() -> Self {
        WaitErrorPolicy {
            max_failures_in_a_row: None,
            unreachable_limit: Some(Duration::from_secs(120)),
        }
    }
}

impl WaitErrorPolicy {
    /// End the wait once this many polls in a row have failed with transient
    /// errors; `None` (the default) keeps going until the deadline, `Some(1)`
    /// ends it at the first failed poll.
    pub fn with_max_failures_in_a_row(mut self, max: Option<u32>) -> Self {
        self.max_failures_in_a_row = max;
        self
    }

    /// How long a wait goes on while the API has never answered the client
    /// and each poll fails to connect: `Some(2 minutes)` by default; `None`
    /// polls until the deadline. The last poll happens right at the limit.
    pub fn with_unreachable_limit(mut self, limit: Option<Duration>) -> Self {
        self.unreachable_limit = limit;
        self
    }

    /// See [`WaitErrorPolicy::with_unreachable_limit`].
    pub fn unreachable_limit(&self) -> Option<Duration> {
        self.unreachable_limit
    }

    /// Whether a wait goes on after `error`, the `failures_in_a_row`-th
    /// failed poll in a row.
    pub fn keeps_waiting(&self, error: &Error, failures_in_a_row: u32) -> bool {
        error.is_retryable()
            && self
                .max_failures_in_a_row
                .is_none_or(|max| failures_in_a_row < max)
    }
}
