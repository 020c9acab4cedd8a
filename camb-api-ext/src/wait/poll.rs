//! [`PollPolicy`]: how long to wait between status polls, and when to give up.

use std::time::Duration;

use crate::{
    Error,
    retry::{Backoff, Delays},
};

/// How long a wait sleeps between status polls, and its overall deadline.
///
/// The first poll is immediate (a task being resumed may be done already).
/// Then the delays follow a [`Backoff`]: growing from `initial` by `factor`
/// up to `max`, each moved at random by up to `±jitter` and kept within
/// `initial..=max`. A delay that
/// would pass the deadline is cut short so that one final poll happens right
/// at the deadline; if the task is still running then, the wait fails with
/// [`Error::DeadlineExceeded`]. A `Retry-After` header on a status response
/// replaces the computed delay, but is never shorter than `initial` (a
/// server sending `Retry-After: 0` cannot make a wait poll in a loop) and
/// never moves a poll past the deadline.
///
/// A request still in flight at the deadline is cut there (the final poll,
/// made right at the deadline, gets 10 s), so a wait ends on time even on a
/// connection that went silent; see
/// [`CambBuilder::cut_requests_at_deadline`](crate::CambBuilder::cut_requests_at_deadline).
/// A deadline too large to add to the current time (`Duration::MAX`) is no
/// deadline.
///
/// The default suits jobs of seconds to hours: first delay 2 s, growing by
/// 1.5 to at most 30 s, ±15% jitter, deadline 6 hours. The gap between
/// polls, and so how long a finished job may go unnoticed, is about 10 s at
/// most in the first half-minute, 23 s in the first minute and 30 s after
/// that; an hour-long job costs about 130 status requests (a fixed 5 s loop
/// costs 720).
/// The server ends over-long jobs itself with `TIMEOUT`; the deadline only
/// guards against a task that never reaches a final state.
///
/// ```
/// use std::time::Duration;
/// use camb_api_ext::PollPolicy;
///
/// use camb_api_ext::Backoff;
///
/// let policy = PollPolicy::default()
///     .with_backoff(Backoff::new(Duration::from_secs(1), Duration::from_secs(10)))
///     .with_deadline(Some(Duration::from_secs(600)));
/// let first: Vec<Duration> = policy.delays().take(3).collect();
/// assert!(first.iter().all(|d| *d >= Duration::from_secs(1) && *d <= Duration::from_secs(10)));
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct PollPolicy {
    backoff: Backoff,
    deadline: Option<Duration>,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy {
            backoff: Backoff::new(Duration::from_secs(2), Duration::from_secs(30))
                .with_factor(1.5)
                .with_jitter(0.15),
            deadline: Some(Duration::from_secs(6 * 60 * 60)),
        }
    }
}

impl PollPolicy {
    /// How the delays between polls grow.
    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// How long a wait may last in all; `None` waits for as long as it takes.
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// How the delays between polls grow.
    pub fn backoff(&self) -> &Backoff {
        &self.backoff
    }

    /// The overall deadline, if any.
    pub fn deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// The delays between polls, endless, before any deadline cut.
    pub fn delays(&self) -> Delays {
        self.backoff.delays()
    }

    /// When the polls of a wait happen, as offsets from its start, assuming
    /// instant responses and a task that never finishes: `0`, then one per
    /// delay, the last one exactly at the deadline. Endless without a
    /// deadline.
    ///
    /// Useful to compare policies: the number of offsets up to a job's
    /// length is the requests it costs, the gap after it the detection lag.
    ///
    /// ```
    /// use std::time::Duration;
    /// use camb_api_ext::PollPolicy;
    ///
    /// use camb_api_ext::Backoff;
    ///
    /// let every_5s = Backoff::new(Duration::from_secs(5), Duration::from_secs(5)).with_jitter(0.0);
    /// let policy = PollPolicy::default()
    ///     .with_backoff(every_5s)
    ///     .with_deadline(Some(Duration::from_secs(12)));
    /// let at: Vec<u64> = policy.schedule().map(|d| d.as_secs()).collect();
    /// assert_eq!(at, [0, 5, 10, 12]);
    /// ```
    pub fn schedule(&self) -> PollSchedule {
        PollSchedule {
            delays: self.delays(),
            deadline: self.deadline,
            next: Some(Duration::ZERO),
        }
    }

    /// Fails when the settings make no sensible schedule.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.backoff.check("poll_policy")
    }
}

/// When to poll next, as an offset from the start of the wait: `delay` after
/// `elapsed`, but no later than the deadline; `None` once the deadline has
/// been reached (the last poll happened at or after it).
pub(crate) fn next_poll(
    elapsed: Duration,
    delay: Duration,
    deadline: Option<Duration>,
) -> Option<Duration> {
    let wanted = elapsed.saturating_add(delay);
    match deadline {
        None => Some(wanted),
        Some(deadline) if elapsed >= deadline => None,
        Some(deadline) => Some(wanted.min(deadline)),
    }
}

/// The poll offsets of a [`PollPolicy`]; see [`PollPolicy::schedule`].
#[derive(Debug)]
pub struct PollSchedule {
    delays: Delays,
    deadline: Option<Duration>,
    next: Option<Duration>,
}

impl Iterator for PollSchedule {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let now = self.next?;
        self.next = self
            .delays
            .next()
            .and_then(|delay| next_poll(now, delay, self.deadline));
        Some(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_default_is_valid_and_polls_a_long_job_sparingly() {
        let policy = PollPolicy::default();
        policy.check().unwrap();
        let hour = Duration::from_secs(3600);
        let polls_in_an_hour = policy.schedule().take_while(|at| *at <= hour).count();
        assert!(
            (100..=160).contains(&polls_in_an_hour),
            "{polls_in_an_hour}"
        );
        let last = policy.schedule().last().unwrap();
        assert_eq!(Some(last), policy.deadline());
    }

    #[test]
    fn next_poll_is_cut_at_the_deadline_then_stops() {
        let s = Duration::from_secs;
        assert_eq!(next_poll(s(10), s(5), Some(s(60))), Some(s(15)));
        assert_eq!(next_poll(s(58), s(5), Some(s(60))), Some(s(60)));
        assert_eq!(next_poll(s(60), s(5), Some(s(60))), None);
        assert_eq!(next_poll(s(61), s(5), Some(s(60))), None);
        assert_eq!(next_poll(s(61), s(5), None), Some(s(66)));
    }

    fn policies() -> impl Strategy<Value = PollPolicy> {
        // Deadlines of up to 10,000 initial delays keep every schedule finite
        // within the 20,000 offsets the test takes.
        (1u64..5_000)
            .prop_flat_map(|initial| {
                (
                    Just(initial),
                    0u64..120_000,
                    1.0f32..4.0,
                    0.0f32..0.99,
                    prop::option::of(0..initial * 10_000),
                    any::<u64>(),
                )
            })
            .prop_map(|(initial, extra, factor, jitter, deadline, seed)| {
                let backoff = Backoff::new(
                    Duration::from_millis(initial),
                    Duration::from_millis(initial + extra),
                )
                .with_factor(factor)
                .with_jitter(jitter)
                .with_jitter_seed(seed);
                PollPolicy::default()
                    .with_backoff(backoff)
                    .with_deadline(deadline.map(Duration::from_millis))
            })
    }

    proptest! {
        #[test]
        fn delays_stay_between_floor_and_cap(policy in policies()) {
            prop_assert!(policy.check().is_ok());
            for delay in policy.delays().take(200) {
                prop_assert!(delay >= policy.backoff().initial(), "{delay:?} below the floor");
                prop_assert!(delay <= policy.backoff().max(), "{delay:?} above the cap");
            }
        }

        #[test]
        fn the_schedule_never_passes_the_deadline_and_ends_on_it(policy in policies()) {
            let offsets: Vec<Duration> = policy.schedule().take(20_000).collect();
            prop_assert_eq!(offsets[0], Duration::ZERO);
            for pair in offsets.windows(2) {
                let gap = pair[1] - pair[0];
                prop_assert!(gap <= policy.backoff().max(), "gap {gap:?} above the cap");
                let last = Some(pair[1]) == policy.deadline();
                prop_assert!(last || gap >= policy.backoff().initial(), "gap {gap:?} below the floor");
            }
            if let Some(deadline) = policy.deadline() {
                prop_assert!(offsets.iter().all(|at| *at <= deadline));
                prop_assert_eq!(offsets.last().copied(), Some(deadline));
                prop_assert_eq!(offsets.iter().filter(|at| **at == deadline).count(), 1);
            }
        }
    }
}
