//! The one delay schedule behind both retries and polling: exponential growth
//! from backon, plus a jitter that never leaves the floor..cap range.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBackoff, ExponentialBuilder};

use crate::Error;

/// How delays grow: from `initial`, times `factor` each step, up to `max`;
/// each then moved at random by up to `±jitter` of itself and clamped back
/// into `initial..=max`.
///
/// backon's own jitter adds up to 100% of the delay, which could double a
/// delay past its cap; this one is symmetric and bounded.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Growth {
    pub(crate) initial: Duration,
    pub(crate) max: Duration,
    pub(crate) factor: f32,
    pub(crate) jitter: f32,
    /// Fixes the random jitter, for tests and benchmarks.
    pub(crate) seed: Option<u64>,
}

impl Growth {
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
    pub(crate) fn delays(&self) -> Delays {
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

/// An endless series of delays (see [`PollPolicy::delays`]): exponential
/// growth with bounded jitter, every value within the policy's
/// `initial..=max`.
///
/// [`PollPolicy::delays`]: crate::PollPolicy::delays
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
        let jittered = base.mul_f64(1.0 + swing);
        Some(jittered.clamp(self.floor, self.cap))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn growth(initial_ms: u64, max_ms: u64, factor: f32, jitter: f32) -> Growth {
        Growth {
            initial: Duration::from_millis(initial_ms),
            max: Duration::from_millis(max_ms),
            factor,
            jitter,
            seed: Some(7),
        }
    }

    #[test]
    fn without_jitter_grows_by_the_factor_up_to_the_cap() {
        let delays: Vec<u64> = growth(1000, 5000, 2.0, 0.0)
            .delays()
            .take(5)
            .map(|d| d.as_millis() as u64)
            .collect();
        assert_eq!(delays, [1000, 2000, 4000, 5000, 5000]);
    }

    #[test]
    fn the_same_seed_gives_the_same_jitter() {
        let a: Vec<Duration> = growth(1000, 60_000, 1.5, 0.2).delays().take(20).collect();
        let b: Vec<Duration> = growth(1000, 60_000, 1.5, 0.2).delays().take(20).collect();
        assert_eq!(a, b);
        let flat: Vec<Duration> = growth(1000, 60_000, 1.5, 0.0).delays().take(20).collect();
        assert_ne!(a, flat, "jitter moved nothing");
    }

    #[test]
    fn rejects_settings_that_make_no_schedule() {
        assert!(growth(1000, 2000, 1.5, 0.1).check("poll_policy").is_ok());
        for bad in [
            growth(0, 2000, 1.5, 0.1),
            growth(3000, 2000, 1.5, 0.1),
            growth(1000, 2000, 0.5, 0.1),
            growth(1000, 2000, f32::NAN, 0.1),
            growth(1000, 2000, 1.5, 1.0),
            growth(1000, 2000, 1.5, -0.1),
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
