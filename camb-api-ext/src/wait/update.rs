//! [`Progress`]: what one poll of a wait saw.

use std::{fmt, time::Duration};

use crate::{Error, TaskId, duration_text::DurationText};

/// What one poll of a wait saw: the argument of every wait's `on_update`
/// hook and the item of [`Wait::watch`](crate::Wait::watch). `S` is what
/// the family's status request answers; dubs, exports and their kin answer
/// a [`DubStatus`](crate::DubStatus), hence
/// [`StatusUpdate`](crate::StatusUpdate).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress<S> {
    /// The task being waited for.
    pub task_id: TaskId,
    /// What the server answered. A status this client does not know keeps
    /// the wait going and shows up here as received.
    pub status: S,
    /// How many polls the wait has made so far, this one included (failed
    /// polls count too).
    pub polls: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// When the next poll happens; `None` after the last one.
    pub next_poll_in: Option<Duration>,
}

impl<S: fmt::Display> fmt::Display for Progress<S> {
    /// `task t1: PENDING (poll 3, 12.0 s elapsed, next poll in 4.5 s)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task {}: {} (poll {}, {} elapsed",
            self.task_id,
            self.status,
            self.polls,
            DurationText(self.elapsed)
        )?;
        match self.next_poll_in {
            Some(next) => write!(f, ", next poll in {})", DurationText(next)),
            None => f.write_str(")"),
        }
    }
}

/// A status poll that failed (after the per-request retries of the
/// [`RetryPolicy`](crate::RetryPolicy)) without ending the wait: the
/// argument of every wait's `on_failed_poll` hook. The wait goes on; the
/// next try is `next_poll_in` from now.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct FailedPoll {
    /// The task being waited for.
    pub task_id: TaskId,
    /// Why the poll failed.
    pub error: Error,
    /// How many polls the wait has made so far, this one included.
    pub polls: u32,
    /// How many polls in a row have failed, this one included.
    pub failures_in_a_row: u32,
    /// Time since the wait began.
    pub elapsed: Duration,
    /// When the next poll happens.
    pub next_poll_in: Duration,
}

impl fmt::Display for FailedPoll {
    /// `task t1: poll 3 failed (could not connect to the CAMB.AI API:
    /// ...); next try in 4.5 s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "task {}: poll {} failed ({}",
            self.task_id, self.polls, self.error
        )?;
        let mut source = std::error::Error::source(&self.error);
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        write!(f, "); next try in {}", DurationText(self.next_poll_in))?;
        if self.failures_in_a_row > 1 {
            write!(f, " ({} failures in a row)", self.failures_in_a_row)?;
        }
        Ok(())
    }
}
