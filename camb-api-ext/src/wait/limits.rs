//! [`WaitLimits`]: how hard many waits together may press on the API.

use std::{
    num::NonZeroUsize,
    sync::{Mutex, PoisonError},
    time::Duration,
};

use tokio::{
    sync::{Semaphore, SemaphorePermit},
    time::Instant,
};

/// Limits shared by all the waits of one [`Camb::wait_for_dubs`] call.
///
/// Every task is watched from the start, each on its own poll schedule; the
/// limits apply to the requests they make, retries included:
///
/// - at most `max_in_flight` status requests at once;
/// - request starts at least `min_interval` apart (a steady rate, no bursts).
///
/// When the tasks together want more than that, their polls queue in order
/// of arrival, so every task keeps being polled, only less often.
///
/// The default: 4 requests in flight, 5 requests per second, which suits a
/// few dozen tasks. Polling every task at its policy's own pace needs about
/// `tasks ÷ max poll delay` requests per second (10,000 tasks at the default
/// 30 s cap: ~330/s); below that, polls spread out and the time to notice a
/// finished task grows (BENCHMARKS.md, bench 3: a mean of 10 minutes for
/// 10,000 tasks at 5/s, 15 s at 1,000/s).
///
/// ```
/// use std::num::NonZeroUsize;
/// use camb_api_ext::WaitLimits;
///
/// let gentle = WaitLimits::default()
///     .with_max_in_flight(NonZeroUsize::new(2).unwrap())
///     .with_requests_per_second(1.0);
/// # let _ = gentle;
/// ```
///
/// [`Camb::wait_for_dubs`]: crate::Camb::wait_for_dubs
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaitLimits {
    max_in_flight: NonZeroUsize,
    min_interval: Duration,
}

impl Default for WaitLimits {
    fn default() -> Self {
        WaitLimits {
            max_in_flight: NonZeroUsize::new(4).unwrap_or(NonZeroUsize::MIN),
            min_interval: Duration::from_millis(200),
        }
    }
}

impl WaitLimits {
    /// At most this many requests at once.
    pub fn with_max_in_flight(mut self, max: NonZeroUsize) -> Self {
        self.max_in_flight = max;
        self
    }

    /// Request starts at least this far apart (zero: no rate limit).
    pub fn with_min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    /// At most this many request starts per second, evenly spaced; zero,
    /// negative or non-finite rates mean no rate limit. A rate too small
    /// for a `Duration` (below about one request in 584 billion years)
    /// spaces requests as far apart as one can.
    pub fn with_requests_per_second(self, rate: f64) -> Self {
        let interval = if rate.is_finite() && rate > 0.0 {
            Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::MAX)
        } else {
            Duration::ZERO
        };
        self.with_min_interval(interval)
    }

    /// The most requests at once.
    pub fn max_in_flight(&self) -> NonZeroUsize {
        self.max_in_flight
    }

    /// The least time between two request starts.
    pub fn min_interval(&self) -> Duration {
        self.min_interval
    }
}

/// Admits requests under a [`WaitLimits`].
#[derive(Debug)]
pub(crate) struct RequestGate {
    in_flight: Semaphore,
    min_interval: Duration,
    /// The earliest start not yet handed out.
    next_start: Mutex<Option<Instant>>,
}

impl RequestGate {
    pub(crate) fn new(limits: WaitLimits) -> Self {
        RequestGate {
            in_flight: Semaphore::new(limits.max_in_flight.get()),
            min_interval: limits.min_interval,
            next_start: Mutex::new(None),
        }
    }

    /// Waits for a free slot, then for this request's start time; the
    /// request may run while the permit lives.
    ///
    /// The slot comes first so that requests queued behind a full slot
    /// cannot start in a burst when slots free up.
    pub(crate) async fn enter(&self) -> Option<SemaphorePermit<'_>> {
        // The semaphore is never closed, so this is always `Some`.
        let permit = self.in_flight.acquire().await.ok()?;
        let start = {
            let mut next = self
                .next_start
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            let start = next.map_or_else(Instant::now, |at| at.max(Instant::now()));
            *next = Some(later(start, self.min_interval));
            start
        };
        tokio::time::sleep_until(start).await;
        Some(permit)
    }
}

/// `base + offset`, or about 30 years from `base` (tokio's own "never") when
/// that does not fit in an instant.
pub(crate) fn later(base: Instant, offset: Duration) -> Instant {
    const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);
    // Instants count from boot, so `base + 30 years` always fits.
    base.checked_add(offset.min(FAR_FUTURE)).unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_map_to_intervals_and_absurd_ones_stay_limits() {
        let interval = |rate: f64| {
            WaitLimits::default()
                .with_requests_per_second(rate)
                .min_interval()
        };
        assert_eq!(interval(5.0), Duration::from_millis(200));
        assert_eq!(interval(1e-300), Duration::MAX);
        for no_limit in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(interval(no_limit), Duration::ZERO, "{no_limit}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_longest_interval_admits_one_request_and_never_overflows() {
        let gate = RequestGate::new(WaitLimits::default().with_min_interval(Duration::MAX));
        let started = Instant::now();
        let first = gate.enter().await;
        assert!(first.is_some());
        assert_eq!(Instant::now(), started);
        drop(first);
        // The second start is decades away: it has not come after a year.
        let second = tokio::time::timeout(Duration::from_secs(365 * 24 * 3600), gate.enter()).await;
        assert!(second.is_err());
    }
}
