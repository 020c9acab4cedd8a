//! [`Backoff`]: the one delay schedule behind both retries and polling,
//! exponential growth from backon plus a jitter that never leaves the
//! floor..cap range.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};

use crate::Error;

/// How delays grow: from `initial`, times `factor` each step, up to `max`;
/// each then moved at random by up to `±jitter` of itself and clamped back
/// into `initial..=max`. Used by both [`PollPolicy`] and [`RetryPolicy`].
///
/// backon's own jitter adds up to 100% of a delay, which could double it past
/// its cap; this one is symmetric and bounded.
///
/// ```
/// use std::time::Duration;
/// use camb_api_ext::Backoff;
///
/// let backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(8))
///     .with_factor(2.0)
///     .with_jitter(0.0);
/// let secs: Vec<u64> = backoff.delays().take(5).map(|d| d.as_secs()).collect();
/// assert_eq!(secs, [1, 2, 4, 8, 8]);
/// ```
///
/// [`PollPolicy`]: crate::PollPolicy
/// [`RetryPolicy`]: crate::RetryPolicy
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    factor: f32,
    jitter: f32,
    seed: Option<u64>,
}

impl Backoff {
    /// Delays from `initial` up to `max`, doubling, with ±10% jitter.
    pub fn new(initial: Duration, max: Duration) -> Self {
        Backoff {
            initial,
            max,
            factor: 2.0,
            jitter: 0.1,
            seed: None,
        }
    }

    /// How much each delay grows over the one before (at least 1; 1 keeps
    /// a fixed interval).
    pub fn with_factor(mut self, factor: f32) -> Self {
        self.factor = factor;
        self
    }

    /// How far each delay is moved at random, as a fraction in `0..1`, so
    /// that clients started together do not act in lockstep.
    pub fn with_jitter(mut self, jitter: f32) -> Self {
        self.jitter = jitter;
        self
    }

    /// Fixes the random jitter so that every schedule is the same, for tests
    /// and benchmarks. Not for many waits at once: they would poll in step.
    pub fn with_jitter_seed(mut self, seed: u64) -> Self {
        self.seed = Some(seed);
        self
    }

    /// The first delay, and the floor of every delay.
    pub fn initial(&self) -> Duration {
        self.initial
    }

    /// The cap on every delay.
    pub fn max(&self) -> Duration {
        self.max
    }

    /// Fails when the settings cannot make a sensible schedule; `policy`
    /// names the policy in the error.
    pub(crate) fn check(&self, policy: &'static str) -> Result<(), Error> {
        let problem = if self.initial.is_zero() {
            Some("the initial delay must be above zero".to_owned())
        } else if self.max < self.initial {
            Some(format!(
                "the maximum delay ({:?}) is below the initial delay ({:?})",
                self.max, self.initial
            ))
        } else if !(self.factor.is_finite() && self.factor >= 1.0) {
            Some(format!(
                "the growth factor must be at least 1, not {}",
                self.factor
            ))
        } else if !(0.0..1.0).contains(&self.jitter) {
            Some(format!("the jitter must be in 0..1, not {}", self.jitter))
        } else {
            None
        };
        match problem {
            None => Ok(()),
            Some(reason) => Err(Error::InvalidInput {
                field: policy,
                reason,
            }),
        }
    }

    /// A fresh, endless schedule.
    pub fn delays(&self) -> Delays {
        let base = ExponentialBuilder::new()
            .with_min_delay(self.initial)
            .with_max_delay(self.max)
            .with_factor(self.factor)
            .without_max_times()
            .build();
        let rng = match self.seed {
            Some(seed) => fastrand::Rng::with_seed(seed),
            None => fastrand::Rng::new(),
        };
        Delays {
            base,
            rng,
            floor: self.initial,
            cap: self.max,
            jitter: self.jitter,
        }
    }
}

/// An endless series of delays from a [`Backoff`]: exponential growth with
/// bounded jitter, every value within `initial..=max`.
#[derive(Debug)]
pub struct Delays {
    base: ExponentialBackoff,
    rng: fastrand::Rng,
    floor: Duration,
    cap: Duration,
    jitter: f32,
}

impl Iterator for Delays {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let base = self.base.next()?;
        let swing = f64::from(self.jitter) * (2.0 * self.rng.f64() - 1.0);
        // Checked: a cap near `Duration::MAX` must not overflow.
        let jittered =
            Duration::try_from_secs_f64(base.as_secs_f64() * (1.0 + swing)).unwrap_or(self.cap);
        Some(jittered.clamp(self.floor, self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn backoff(initial_ms: u64, max_ms: u64, factor: f32, jitter: f32) -> Backoff {
        Backoff::new(
            Duration::from_millis(initial_ms),
            Duration::from_millis(max_ms),
        )
        .with_factor(factor)
        .with_jitter(jitter)
        .with_jitter_seed(7)
    }

    #[test]
    fn without_jitter_grows_by_the_factor_up_to_the_cap() {
        let delays: Vec<u64> = backoff(1000, 5000, 2.0, 0.0)
            .delays()
            .take(5)
            .map(|d| d.as_millis() as u64)
            .collect();
        assert_eq!(delays, [1000, 2000, 4000, 5000, 5000]);
    }

    #[test]
    fn the_same_seed_gives_the_same_jitter() {
        let a: Vec<Duration> = backoff(1000, 60_000, 1.5, 0.2).delays().take(20).collect();
        let b: Vec<Duration> = backoff(1000, 60_000, 1.5, 0.2).delays().take(20).collect();
        assert_eq!(a, b);
        let flat: Vec<Duration> = backoff(1000, 60_000, 1.5, 0.0).delays().take(20).collect();
        assert_ne!(a, flat, "jitter moved nothing");
    }

    #[test]
    fn a_cap_near_duration_max_neither_overflows_nor_passes_the_cap() {
        let huge = Backoff::new(Duration::from_secs(1), Duration::MAX)
            .with_factor(f32::MAX)
            .with_jitter(0.9)
            .with_jitter_seed(3);
        for delay in huge.delays().take(50) {
            assert!(delay >= Duration::from_secs(1));
        }
        assert!(huge.delays().nth(3).unwrap() > Duration::from_secs(1 << 60));
    }

    #[test]
    fn rejects_settings_that_make_no_schedule() {
        assert!(backoff(1000, 2000, 1.5, 0.1).check("poll_policy").is_ok());
        for bad in [
            backoff(0, 2000, 1.5, 0.1),
            backoff(3000, 2000, 1.5, 0.1),
            backoff(1000, 2000, 0.5, 0.1),
            backoff(1000, 2000, f32::NAN, 0.1),
            backoff(1000, 2000, 1.5, 1.0),
            backoff(1000, 2000, 1.5, -0.1),
        ] {
            let err = bad.check("poll_policy").unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::InvalidInput {
                        field: "poll_policy",
                        ..
                    }
                ),
                "{bad:?}"
            );
        }
    }
}
