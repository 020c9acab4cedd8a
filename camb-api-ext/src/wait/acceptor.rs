//! [`Acceptor`]: what one answer of a status poll means for a wait.

use tracing::Span;

use crate::Error;

/// What an [`Acceptor`] makes of one answer.
#[derive(Debug)]
pub(crate) enum Verdict<T> {
    /// Not over yet: poll again on schedule.
    Waiting,
    /// Over, with this result.
    Done(T),
    /// Over, with this error.
    Failed(Error),
}

/// Classifies the answers of one wait, in the order they come. There is one
/// per wait, so it may count answers or remember the last one.
pub(crate) trait Acceptor: Send {
    /// One answer of the family's status request.
    type Answer;
    /// What a finished wait returns.
    type Output;

    /// What `answer` means; `span` is the wait's, for the fields the
    /// family records itself.
    fn accept(&mut self, answer: &Self::Answer, span: &Span) -> Verdict<Self::Output>;

    /// The error of a wait that reached its deadline after `polls` polls
    /// and `elapsed`; `last_error` is set when the last poll failed.
    fn deadline_exceeded(
        &self,
        elapsed: std::time::Duration,
        polls: u32,
        last_error: Option<Error>,
    ) -> Error;
}
