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
//! A family the spec declares (`x-camb-task`, see `spec/README.md`, "Task
//! families") needs no code: camb-codegen generates its marker type and the
//! generic calls of `families.rs` (`Camb::wait_for_task::<F>`, ...) wait for
//! it through `StatusFamily`. By hand, a family is an adapter next to its
//! endpoints: a [`TaskFamily`] (how to ask once about a task, the
//! [`Acceptor`] of one wait, the span a wait runs in, named with
//! [`wait_span!`]) and a `Camb` method returning
//! `Wait::new(family, task_id, camb.policies())` (and `Flow::new` for a
//! create-wait-fetch flow); one whose status endpoint answers a
//! [`DubStatus`](crate::DubStatus) is one `StatusFamily::new` call (see
//! `dub/export.rs`).

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
pub use update::{FailedPoll, Progress};
pub(crate) use watch::{Policies, Reach, Watch, poll_with_retries, wait_many};

#[cfg(test)]
mod tests;
