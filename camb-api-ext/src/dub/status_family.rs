//! [`StatusFamily`]: the wait engine's family for every task whose status
//! endpoint answers a [`DubStatus`] (dubs, integration dubs, exports,
//! transcriptions), written once, so that each of them names only what
//! differs: its status request, its [`TaskKind`], what its success needs
//! and its span.

use std::{future::Future, marker::PhantomData};

use camb_api::{ResponseValue, types::OrchestratorPipelineResult};
use tracing::Span;

use super::status::{DubStatus, OnSuccess, StatusAcceptor};
use crate::{
    Camb, Error, TaskId, TaskKind,
    wait::{Polled, TaskFamily, poll_with_retries},
};

/// A family of tasks answering [`DubStatus`]: `request` sends the status
/// request of one task id once, `span` makes a wait's span (with
/// [`wait_span!`](crate::wait::wait_span), so its name says the family), and
/// `S` says what success needs ([`NeedsRunId`](super::NeedsRunId) or
/// [`AnySuccess`](super::status::AnySuccess)).
pub(crate) struct StatusFamily<'a, S, Q, P> {
    camb: &'a Camb,
    kind: TaskKind,
    request: Q,
    span: P,
    success: PhantomData<fn() -> S>,
}

impl<'a, S, Q, R, P> StatusFamily<'a, S, Q, P>
where
    Q: Fn(String) -> R,
    R: Future<Output = Result<ResponseValue<OrchestratorPipelineResult>, Error>>,
    P: Fn(&TaskId) -> Span,
{
    /// The family of `kind` tasks of `camb`, asked about with `request`.
    pub(crate) fn new(camb: &'a Camb, kind: TaskKind, request: Q, span: P) -> Self {
        StatusFamily {
            camb,
            kind,
            request,
            span,
            success: PhantomData,
        }
    }
}

// By hand: a derive would ask `S` (a marker, never stored) to be `Copy` too.
impl<S, Q: Copy, P: Copy> Clone for StatusFamily<'_, S, Q, P> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S, Q: Copy, P: Copy> Copy for StatusFamily<'_, S, Q, P> {}

impl<S, Q, R, P> TaskFamily for StatusFamily<'_, S, Q, P>
where
    S: OnSuccess + Default,
    Q: Fn(String) -> R + Sync,
    R: Future<Output = Result<ResponseValue<OrchestratorPipelineResult>, Error>> + Send,
    P: Fn(&TaskId) -> Span + Sync,
{
    type Answer = DubStatus;
    type Acceptor = StatusAcceptor<S>;

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<DubStatus>, Error> {
        let response = (self.request)(task_id.as_str().to_owned()).await?;
        DubStatus::polled(response, &self.camb.key)
    }

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        StatusAcceptor::new(self.kind, task_id)
    }

    fn span(&self, task_id: &TaskId) -> Span {
        (self.span)(task_id)
    }
}

/// A [`StatusFamily`] whose success needs `S`, as its makers return it
/// (its closures have no names), with the one call a family's status
/// method needs.
pub(crate) trait StatusTasks<S>:
    TaskFamily<Answer = DubStatus, Acceptor = StatusAcceptor<S>> + Copy + Send
{
    /// The current status of `task_id`: one request, plus retries.
    fn status(self, task_id: &TaskId) -> impl Future<Output = Result<DubStatus, Error>> + Send;
}

impl<S, Q, R, P> StatusTasks<S> for StatusFamily<'_, S, Q, P>
where
    S: OnSuccess + Default,
    Q: Fn(String) -> R + Copy + Send + Sync,
    R: Future<Output = Result<ResponseValue<OrchestratorPipelineResult>, Error>> + Send,
    P: Fn(&TaskId) -> Span + Copy + Send + Sync,
{
    async fn status(self, task_id: &TaskId) -> Result<DubStatus, Error> {
        poll_with_retries(&self, &self.camb.retry, None, None, task_id)
            .await
            .map(|polled| polled.answer)
    }
}
