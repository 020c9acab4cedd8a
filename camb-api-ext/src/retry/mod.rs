//! Retries of a single request ([`RetryPolicy`]), their delays
//! ([`Backoff`]) and the server's "wait this long" hints
//! ([`server_hint`]). Every call of the client, polls included, goes through
//! [`run`].

use std::{future::Future, time::Duration};

use backon::{Retryable, TokioSleeper};
use tokio::time::Instant;

mod backoff;
mod server_hint;

pub use backoff::{Backoff, Delays};
pub use server_hint::MAX_SERVER_HINT;
pub(crate) use server_hint::server_hint;

use crate::Error;

/// How a single request is retried after a transient failure: connect
/// errors, timeouts, 408, 429 and 5xx. 401, 403, 404 and 422 are never
/// retried.
///
/// Delays follow a [`Backoff`] (exponential, jittered, within
/// `initial..=max`). A server
/// hint (`retry-after-ms`, then `Retry-After` in seconds or as an HTTP date,
/// then `X-RateLimit-Reset`) replaces the computed delay, but is never shorter
/// than the backoff's `initial` delay (so `Retry-After: 0` cannot cause a
/// burst of requests); a hint longer than `max` ends the retries at once,
/// returning the error with the hint in [`Error::retry_after`], since
/// retrying sooner would only be refused again. Hints are read as at most
/// one day ([`MAX_SERVER_HINT`]).
///
/// Creating a dub is not idempotent: it is only resent when the server surely
/// did not act on it (connect failure, 408, 429).
///
/// The default: up to 4 retries, from 1 s doubling to at most 30 s with ±10%
/// jitter, sleeping at most 2 minutes in all.
///
/// ```
/// use std::time::Duration;
/// use camb_api_ext::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_retries(8)
///     .with_budget(Some(Duration::from_secs(600)));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct RetryPolicy {
    backoff: Backoff,
    max_retries: usize,
    budget: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            backoff: Backoff::new(Duration::from_secs(1), Duration::from_secs(30)),
            max_retries: 4,
            budget: Some(Duration::from_secs(120)),
        }
    }
}

impl RetryPolicy {
    /// No retries: every failure is returned as it happens.
    pub fn none() -> Self {
        RetryPolicy::default().with_max_retries(0)
    }

    /// At most this many retries after the first attempt.
    pub fn with_max_retries(mut self, retries: usize) -> Self {
        self.max_retries = retries;
        self
    }

    /// At most this much time asleep between attempts, in all; `None` for no
    /// limit other than the retry count.
    pub fn with_budget(mut self, budget: Option<Duration>) -> Self {
        self.budget = budget;
        self
    }

    /// How the delays between attempts grow.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Fails when the settings make no sensible schedule.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.backoff.check("retry_policy")
    }
}

/// Whether a request may be sent again after a failure: what a typed call
/// knows of its operation, and what [`Camb::call_raw`](crate::Camb::call_raw)
/// is told.
///
/// ```
/// use camb_api_ext::Resend;
///
/// // A read: any transient failure may be retried.
/// let read = Resend::Idempotent;
/// // A create: retried only when the server surely did not act on it.
/// let create = Resend::OnlyIfUnprocessed;
/// # let _ = (read, create);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Resend {
    /// The request may arrive twice without harm (reads, `PUT`, `DELETE`):
    /// it is resent after any transient failure ([`Error::is_retryable`]:
    /// connection trouble, timeouts, 408, 429, 5xx).
    Idempotent,
    /// A second copy could act twice (creating a dub, spending credits): it
    /// is resent only when the server surely did not act on the first (a
    /// connection that never opened, 408, 429). A timeout or a 5xx may come
    /// after the server started the work, so it is returned, not resent.
    OnlyIfUnprocessed,
}

/// Runs `attempt` until it succeeds, fails for good, or `policy` says stop.
///
/// No sleep ends after `not_after` (a wait's deadline): the last error is
/// returned instead.
pub(crate) async fn run<T, F, Fut>(
    policy: &RetryPolicy,
    resend: Resend,
    not_after: Option<Instant>,
    attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut slept = Duration::ZERO;
    let cap = policy.backoff.max();
    let floor = policy.backoff.initial();
    attempt
        .retry(policy.backoff.delays().take(policy.max_retries))
        .sleep(TokioSleeper)
        .when(|err| match resend {
            Resend::Idempotent => err.is_retryable(),
            Resend::OnlyIfUnprocessed => err.is_safe_to_resend(),
        })
        .adjust(|err, computed| {
            let computed = computed?;
            let delay = match err.retry_after() {
                Some(hint) if hint > cap => return None,
                Some(hint) => hint.max(floor),
                None => computed,
            };
            let wakes = Instant::now().checked_add(delay);
            if policy
                .budget
                .is_some_and(|budget| slept.saturating_add(delay) > budget)
                || not_after.is_some_and(|limit| wakes.is_none_or(|wakes| wakes > limit))
            {
                return None;
            }
            slept = slept.saturating_add(delay);
            Some(delay)
        })
        .notify(|err, delay| tracing::debug!(error = %err, ?delay, "retrying the request"))
        .await
}
