//! [`TaskFamily`]: what the engine needs to wait for one kind of task.

use std::{future::Future, time::Duration};

use tracing::Span;

use super::Acceptor;
use crate::{Error, TaskId};

/// One kind of task to wait for: how to ask once about a task (the
/// operation), what each answer means (its [`Acceptor`]) and the `tracing`
/// span a wait runs in. The engine knows nothing else about it.
pub(crate) trait TaskFamily: Sync {
    /// One answer of the status request.
    type Answer: Send;
    /// Classifies the answers of one wait.
    type Acceptor: Acceptor<Answer = Self::Answer>;

    /// Asks once (no retries: the engine adds them) about `task_id`.
    fn poll_once(
        &self,
        task_id: &TaskId,
    ) -> impl Future<Output = Result<Polled<Self::Answer>, Error>> + Send;

    /// A fresh acceptor for a wait on `task_id`.
    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor;

    /// The span a wait on `task_id` runs in, made with [`wait_span!`]
    /// (its name says the family; the engine fills `polls` once, at the end).
    fn span(&self, task_id: &TaskId) -> Span;
}

impl<F: TaskFamily> TaskFamily for &F {
    type Answer = F::Answer;
    type Acceptor = F::Acceptor;

    fn poll_once(
        &self,
        task_id: &TaskId,
    ) -> impl Future<Output = Result<Polled<Self::Answer>, Error>> + Send {
        (**self).poll_once(task_id)
    }

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        (**self).acceptor(task_id)
    }

    fn span(&self, task_id: &TaskId) -> Span {
        (**self).span(task_id)
    }
}

/// An answer and the server's hint of when to ask again.
#[derive(Debug)]
pub(crate) struct Polled<A> {
    pub(crate) answer: A,
    pub(crate) retry_after: Option<Duration>,
}

/// The span of a wait: `wait_span!("wait_for_x", task_id)`, plus any fields
/// the family records itself (`wait_span!("wait_for_dub", task_id, run_id =
/// tracing::field::Empty)`). Every field is one fact, recorded once: the
/// task id here, `polls` by the engine when the wait ends.
macro_rules! wait_span {
    ($name:literal, $task_id:expr $(, $($fields:tt)+)?) => {
        tracing::info_span!(
            $name,
            task_id = %$task_id,
            polls = tracing::field::Empty
            $(, $($fields)+)?
        )
    };
}
pub(crate) use wait_span;
