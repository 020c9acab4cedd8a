//! Retries of a single request ([`RetryPolicy`]) and the server's "wait this
//! long" hints. Every call of the client, polls included, goes through [`run`].

use std::{
    future::Future,
    time::{Duration, SystemTime},
};

use backon::{Retryable, TokioSleeper};
use reqwest::header::{HeaderMap, RETRY_AFTER};
use tokio::time::Instant;

use crate::{Backoff, Error};

/// How a single request is retried after a transient failure: connect
/// errors, timeouts, 408, 429 and 5xx. 401, 403, 404 and 422 are never
/// retried.
///
/// Delays follow a [`Backoff`] (exponential, jittered, within
/// `initial..=max`). A server
/// hint (`retry-after-ms`, then `Retry-After` in seconds or as an HTTP date,
/// then `X-RateLimit-Reset`) replaces the computed delay; a hint longer than
/// `max` ends the retries at once, returning the error with the hint in
/// [`Error::retry_after`], since retrying sooner would only be refused again.
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

/// Whether a request may be sent twice without harm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Resend {
    /// Reads: resend on any transient failure.
    Idempotent,
    /// Creating a dub: resend only when the server surely did not act.
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
                Some(hint) => hint,
                None => computed,
            };
            if policy.budget.is_some_and(|budget| slept + delay > budget)
                || not_after.is_some_and(|limit| Instant::now() + delay > limit)
            {
                return None;
            }
            slept += delay;
            Some(delay)
        })
        .notify(|err, delay| tracing::debug!(error = %err, ?delay, "retrying the request"))
        .await
}

/// How long the server asked us to wait: `retry-after-ms`, `Retry-After`
/// (seconds or an HTTP date), or `X-RateLimit-Reset`, in that order.
///
/// `X-RateLimit-Reset` is read as a Unix time when it is at least 10^9 (as
/// CAMB.AI's official SDKs read it) and as seconds from now otherwise. A time
/// in the past gives zero.
pub(crate) fn server_hint(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let seconds = |text: &str| {
        text.parse::<f64>()
            .ok()
            .and_then(|s| Duration::try_from_secs_f64(s).ok())
    };
    let millis = header("retry-after-ms").and_then(|t| t.parse::<f64>().ok());
    if let Some(hint) = millis.and_then(|ms| Duration::try_from_secs_f64(ms / 1000.0).ok()) {
        return Some(hint);
    }
    if let Some(text) = header(RETRY_AFTER.as_str()) {
        if let Some(hint) = seconds(text) {
            return Some(hint);
        }
        if let Ok(date) = httpdate::parse_http_date(text) {
            return Some(until(date));
        }
    }
    let reset = header("x-ratelimit-reset")?.parse::<f64>().ok()?;
    if reset >= 1e9 {
        let at = SystemTime::UNIX_EPOCH + Duration::try_from_secs_f64(reset).ok()?;
        Some(until(at))
    } else {
        Duration::try_from_secs_f64(reset).ok()
    }
}

/// Time from now until `at`, zero if `at` has passed.
fn until(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn near(hint: Option<Duration>, secs: u64) -> bool {
        let Some(hint) = hint else { return false };
        let want = Duration::from_secs(secs);
        hint <= want && hint + Duration::from_secs(2) >= want
    }

    #[test]
    fn reads_each_hint_form() {
        let in_30s = SystemTime::now() + Duration::from_secs(30);
        assert_eq!(
            server_hint(&headers(&[("retry-after-ms", "1500".into())])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            server_hint(&headers(&[("retry-after", "7".into())])),
            Some(Duration::from_secs(7))
        );
        assert!(near(
            server_hint(&headers(&[(
                "retry-after",
                httpdate::fmt_http_date(in_30s)
            )])),
            30
        ));
        let epoch = in_30s
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(near(
            server_hint(&headers(&[("x-ratelimit-reset", epoch.to_string())])),
            30
        ));
        assert_eq!(
            server_hint(&headers(&[("x-ratelimit-reset", "12".into())])),
            Some(Duration::from_secs(12))
        );
    }

    #[test]
    fn prefers_milliseconds_then_retry_after_and_ignores_junk() {
        let both = headers(&[
            ("retry-after-ms", "250".into()),
            ("retry-after", "9".into()),
            ("x-ratelimit-reset", "4".into()),
        ]);
        assert_eq!(server_hint(&both), Some(Duration::from_millis(250)));
        let junk = headers(&[
            ("retry-after", "soon".into()),
            ("retry-after-ms", "-5".into()),
        ]);
        assert_eq!(server_hint(&junk), None);
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT".into())]);
        assert_eq!(server_hint(&past), Some(Duration::ZERO));
        assert_eq!(server_hint(&HeaderMap::new()), None);
    }
}
