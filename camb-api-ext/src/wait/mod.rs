//! The wait engine, which knows no service: it polls a task through a
//! [`TaskFamily`] (one status request, an [`Acceptor`] that says what each
//! answer means, a `tracing` span), on the schedule of a [`PollPolicy`],
//! under a [`WaitErrorPolicy`] and, for many waits at once, [`WaitLimits`].
//! It stops at the deadline after one final poll right on it, cutting a
//! request still in flight there; it reports each answer as a [`Progress`].
//! Every wait is a [`Wait`], every flow around one (create, wait, fetch) a
//! [`Flow`]: the same hook, deadline and policies on each.
//!
//! A wait runs in the caller's own future: nothing is spawned, so dropping
//! the future (or the stream) stops it at once.
//!
//! # Adding a task family
//!
//! A family is an adapter of a few dozen lines next to its endpoints (see
//! `dub/wait.rs` and `dub/export.rs`):
//!
//! 1. a `Copy` type holding `&Camb`, implementing [`TaskFamily`]:
//!    `poll_once` sends the status request once (the engine adds retries)
//!    and reads it into a [`Polled`]; `acceptor` makes the [`Acceptor`] of
//!    one wait; `span` names the wait's span with [`wait_span!`];
//! 2. its acceptor: for tasks answering `OrchestratorPipelineResult` (a
//!    [`DubStatus`](crate::DubStatus)), a `StatusAcceptor` with the
//!    family's [`TaskKind`](crate::TaskKind) and what success needs
//!    (`NeedsRunId` or `AnySuccess`) is all: it maps every status and names
//!    the task and its family in every error;
//! 3. a `Camb` method returning `Wait::new(family, task_id, camb.policies())`
//!    (and `Flow::new` for a create-wait-fetch flow).

mod acceptor;
mod builder;
mod errors;
mod family;
mod limits;
mod poll;
mod update;
mod watch;

pub(crate) use acceptor::{Acceptor, Verdict};
pub use builder::{Flow, Wait};
pub use errors::WaitErrorPolicy;
pub(crate) use family::{Polled, TaskFamily, wait_span};
pub(crate) use limits::RequestGate;
pub use limits::WaitLimits;
pub use poll::{PollPolicy, PollSchedule};
pub use update::Progress;
pub(crate) use watch::{Policies, Watch, poll_with_retries, wait_many};

#[cfg(test)]
mod tests;
