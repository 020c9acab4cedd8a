//! [`Progress`]: what one poll of a wait saw.

use std::{fmt, time::Duration};

use crate::{TaskId, duration_text::DurationText};

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
