//! [`WaitErrorPolicy`]: which failed polls end a wait.

use crate::Error;

/// Which errors of a status poll end a wait.
///
/// An error that cannot heal (401, 403, 404, 422, an undecodable or
/// unusable response) always ends it. A transient one (connection trouble,
/// 408, 429, 5xx, after the per-request retries of the
/// [`RetryPolicy`](crate::RetryPolicy)) keeps it going until the deadline,
/// by default; the next poll follows the normal schedule or the server's
/// `Retry-After`.
///
/// ```
/// use camb_api_ext::WaitErrorPolicy;
///
/// // Give up after three failed polls in a row.
/// let policy = WaitErrorPolicy::default().with_max_failures_in_a_row(Some(3));
/// # let _ = policy;
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WaitErrorPolicy {
    max_failures_in_a_row: Option<u32>,
}

impl WaitErrorPolicy {
    /// End the wait once this many polls in a row have failed with transient
    /// errors; `None` (the default) keeps going until the deadline, `Some(1)`
    /// ends it at the first failed poll.
    pub fn with_max_failures_in_a_row(mut self, max: Option<u32>) -> Self {
        self.max_failures_in_a_row = max;
        self
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
