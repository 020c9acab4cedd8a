//! [`DubStatus`]: one answer of a task status endpoint, checked and typed,
//! and what it means for a wait ([`StatusAcceptor`]). Dub, export and
//! transcription tasks all answer this shape.

use std::{fmt, time::Duration};

use tracing::Span;

use camb_api::{
    ExceptionReason, ResponseValue, TaskState, TaskStatus,
    types::{OrchestratorPipelineResult, OrchestratorPipelineResultMessage},
};

use crate::{
    ApiKey, Error, RunId, TaskId, TaskKind,
    wait::{Acceptor, Polled, Verdict},
};

/// The state of a task, as one status request saw it ([`Camb::status`],
/// [`Camb::export_status`], every poll of a wait).
///
/// [`Camb::status`]: crate::Camb::status
/// [`Camb::export_status`]: crate::Camb::export_status
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DubStatus {
    /// The state. A value this client does not know is
    /// [`TaskStatus::Unknown`]; waits treat it as still running.
    pub status: TaskStatus,
    /// Set once the task succeeded.
    pub run_id: Option<RunId>,
    /// Why the task failed, when it did.
    pub exception_reason: Option<ExceptionReason>,
    /// The server's explanation; a JSON object is given as JSON text.
    pub message: Option<String>,
}

impl fmt::Display for DubStatus {
    /// `PENDING`, or `SUCCESS, run 7`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.status.as_str())?;
        match self.run_id {
            Some(run_id) => write!(f, ", run {run_id}"),
            None => Ok(()),
        }
    }
}

/// Where a status leaves a task. [`phase`] is the one place that decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Not done yet.
    Running,
    /// Done, with a result.
    Succeeded,
    /// Done, failed (`ERROR`, `TIMEOUT`, `PAYMENT_REQUIRED`).
    Failed,
}

/// Where `status` leaves a task, as the spec's `x-task-states` says; `None`
/// for a status it does not list (a wait keeps going on it).
pub(crate) fn phase(status: &TaskStatus) -> Option<Phase> {
    camb_api::task::state_of(status.as_str()).map(|state| match state {
        TaskState::Waiting => Phase::Running,
        TaskState::Done => Phase::Succeeded,
        TaskState::Failed => Phase::Failed,
    })
}

impl DubStatus {
    /// Checks a decoded response: `status` must be present. `SUCCESS`
    /// without a `run_id` is a valid answer (the published schema and the
    /// official SDK both allow it) and is returned as it came; acceptors
    /// deal with it.
    pub(crate) fn from_response(
        raw: OrchestratorPipelineResult,
        key: &ApiKey,
    ) -> Result<Self, Error> {
        let Some(status) = raw.status.clone() else {
            return Err(Error::unusable("the response has no `status`", &raw, key));
        };
        Ok(DubStatus {
            status,
            run_id: raw.run_id.map(RunId),
            exception_reason: raw.exception_reason,
            // The message ends up in errors (TaskFailed, PaymentRequired):
            // scrubbed of the key like every other server text.
            message: raw.message.map(|message| match message {
                OrchestratorPipelineResultMessage::String(text) => key.redact(&text),
                OrchestratorPipelineResultMessage::Object(object) => {
                    key.redact(&serde_json::Value::Object(object).to_string())
                }
            }),
        })
    }

    /// Reads one answer of a status endpoint, with its `Retry-After`.
    pub(crate) fn polled(
        response: ResponseValue<OrchestratorPipelineResult>,
        key: &ApiKey,
    ) -> Result<Polled<DubStatus>, Error> {
        let retry_after = crate::retry::server_hint(response.headers());
        let answer = DubStatus::from_response(response.into_inner(), key)?;
        Ok(Polled {
            answer,
            retry_after,
        })
    }

    /// The error a failure status means for `kind` task `task_id`:
    /// `TIMEOUT` and `PAYMENT_REQUIRED` have their own, any other failure
    /// (`ERROR`) is [`Error::TaskFailed`].
    fn failure(&self, kind: TaskKind, task_id: &TaskId) -> Error {
        let task_id = task_id.clone();
        let message = self.message.clone();
        match self.status {
            TaskStatus::Timeout => Error::TaskTimedOut {
                kind,
                task_id,
                message,
            },
            TaskStatus::PaymentRequired => Error::PaymentRequired {
                kind: Some(kind),
                task_id: Some(task_id),
                message,
            },
            _ => Error::TaskFailed {
                kind,
                task_id,
                exception_reason: self.exception_reason.clone(),
                message,
            },
        }
    }
}

/// What a family's success needs: dubs and transcriptions a run id
/// ([`NeedsRunId`]), exports nothing ([`AnySuccess`]).
pub(crate) trait OnSuccess: Send {
    /// What a finished wait returns.
    type Output;

    /// What `SUCCESS` with `run_id` means for `kind` task `task_id`,
    /// waited for in `span`.
    fn on_success(
        &mut self,
        kind: TaskKind,
        task_id: &TaskId,
        run_id: Option<RunId>,
        span: &Span,
    ) -> Verdict<Self::Output>;
}

/// How many `SUCCESS` answers without a `run_id` a wait accepts before it
/// gives up with [`Error::SucceededWithoutRunId`]: the server may fill the
/// run id in a moment later, but not never.
pub(crate) const MAX_SUCCESS_WITHOUT_RUN_ID: u32 = 3;

/// Success is `SUCCESS` with a run id (the result is fetched with it);
/// without one the wait asks again, up to [`MAX_SUCCESS_WITHOUT_RUN_ID`]
/// times in all.
#[derive(Debug, Default)]
pub(crate) struct NeedsRunId {
    without_run_id: u32,
}

impl OnSuccess for NeedsRunId {
    type Output = RunId;

    fn on_success(
        &mut self,
        kind: TaskKind,
        task_id: &TaskId,
        run_id: Option<RunId>,
        span: &Span,
    ) -> Verdict<RunId> {
        if let Some(run_id) = run_id {
            span.record("run_id", run_id.get());
            return Verdict::Done(run_id);
        }
        self.without_run_id += 1;
        if self.without_run_id >= MAX_SUCCESS_WITHOUT_RUN_ID {
            return Verdict::Failed(Error::SucceededWithoutRunId {
                kind,
                task_id: task_id.clone(),
                polls: self.without_run_id,
            });
        }
        tracing::warn!("SUCCESS without a run_id; asking again");
        Verdict::Waiting
    }
}

/// Success is `SUCCESS`, with or without a run id.
#[derive(Debug, Default)]
pub(crate) struct AnySuccess;

impl OnSuccess for AnySuccess {
    type Output = ();

    fn on_success(&mut self, _: TaskKind, _: &TaskId, _: Option<RunId>, _: &Span) -> Verdict<()> {
        Verdict::Done(())
    }
}

/// The acceptor of every family whose status endpoint answers a
/// [`DubStatus`]: failures become errors naming the task and its kind,
/// success is what `S` says, anything else (unknown statuses too) waits.
#[derive(Debug)]
pub(crate) struct StatusAcceptor<S> {
    kind: TaskKind,
    task_id: TaskId,
    on_success: S,
    last_status: Option<TaskStatus>,
}

impl<S: Default> StatusAcceptor<S> {
    /// The acceptor of a wait on `kind` task `task_id`.
    pub(crate) fn new(kind: TaskKind, task_id: &TaskId) -> Self {
        StatusAcceptor {
            kind,
            task_id: task_id.clone(),
            on_success: S::default(),
            last_status: None,
        }
    }
}

impl<S: OnSuccess> Acceptor for StatusAcceptor<S> {
    type Answer = DubStatus;
    type Output = S::Output;

    fn accept(&mut self, answer: &DubStatus, span: &Span) -> Verdict<S::Output> {
        let known = phase(&answer.status);
        if known.is_none() && self.last_status.as_ref() != Some(&answer.status) {
            tracing::warn!(status = %answer.status, "unknown task status; still waiting");
        }
        self.last_status = Some(answer.status.clone());
        match known {
            Some(Phase::Succeeded) => {
                self.on_success
                    .on_success(self.kind, &self.task_id, answer.run_id, span)
            }
            Some(Phase::Failed) => Verdict::Failed(answer.failure(self.kind, &self.task_id)),
            Some(Phase::Running) | None => Verdict::Waiting,
        }
    }

    fn deadline_exceeded(&self, elapsed: Duration, polls: u32, last_error: Option<Error>) -> Error {
        Error::DeadlineExceeded {
            kind: self.kind,
            task_id: self.task_id.clone(),
            elapsed,
            polls,
            last_status: self.last_status.clone(),
            last_error: last_error.map(Box::new),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(json: &str) -> Result<DubStatus, Error> {
        let key = ApiKey::new("k").unwrap();
        DubStatus::from_response(serde_json::from_str(json).unwrap(), &key)
    }

    fn verdict<S: OnSuccess + Default>(kind: TaskKind, json: &str) -> Verdict<S::Output> {
        let id: TaskId = "t1".parse().unwrap();
        StatusAcceptor::<S>::new(kind, &id).accept(&decode(json).unwrap(), &Span::none())
    }

    #[test]
    fn maps_every_terminal_status_to_its_verdict() {
        let dub = |json| verdict::<NeedsRunId>(TaskKind::Dub, json);
        assert!(matches!(
            dub(r#"{"status":"SUCCESS","run_id":42}"#),
            Verdict::Done(RunId(42))
        ));
        assert!(matches!(dub(r#"{"status":"PENDING"}"#), Verdict::Waiting));
        assert!(matches!(
            dub(r#"{"status":"TRANSCODING"}"#),
            Verdict::Waiting
        ));
        match dub(
            r#"{"status":"ERROR","exception_reason":"SOURCE_NOT_FOUND","message":{"why":"gone"}}"#,
        ) {
            Verdict::Failed(Error::TaskFailed {
                kind: TaskKind::Dub,
                exception_reason,
                message,
                ..
            }) => {
                assert_eq!(exception_reason, Some(ExceptionReason::SourceNotFound));
                assert_eq!(message.as_deref(), Some(r#"{"why":"gone"}"#));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            dub(r#"{"status":"TIMEOUT"}"#),
            Verdict::Failed(Error::TaskTimedOut { .. })
        ));
        assert!(matches!(
            dub(r#"{"status":"PAYMENT_REQUIRED","message":"top up"}"#),
            Verdict::Failed(Error::PaymentRequired {
                kind: Some(TaskKind::Dub),
                task_id: Some(_),
                ..
            })
        ));
    }

    #[test]
    fn an_export_succeeds_without_a_run_id_and_its_failures_say_export() {
        let export = |json| verdict::<AnySuccess>(TaskKind::Export, json);
        assert!(matches!(
            export(r#"{"status":"SUCCESS"}"#),
            Verdict::Done(())
        ));
        let Verdict::Failed(err) = export(r#"{"status":"ERROR"}"#) else {
            panic!("an ERROR export must fail");
        };
        let text = err.to_string();
        assert!(text.starts_with("export task t1 failed"), "{text}");
        assert!(!text.contains("dubbing"), "{text}");
    }

    #[test]
    fn rejects_a_response_without_a_status() {
        match decode(r#"{"run_id":1}"#) {
            Err(Error::UnusableResponse { reason, excerpt }) => {
                assert!(reason.contains("has no `status`"), "{reason}");
                assert_eq!(excerpt, r#"{"run_id":1}"#);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn success_without_a_run_id_is_a_status_not_an_error() {
        for json in [
            r#"{"status":"SUCCESS","run_id":null}"#,
            r#"{"status":"SUCCESS"}"#,
        ] {
            let status = decode(json).unwrap();
            assert_eq!(status.status, TaskStatus::Success, "{json}");
            assert_eq!(status.run_id, None, "{json}");
            assert!(
                matches!(verdict::<NeedsRunId>(TaskKind::Dub, json), Verdict::Waiting),
                "{json}"
            );
        }
    }

    /// The values of one enum schema of the spec the client is built from.
    fn spec_enum(schema: &str) -> Vec<String> {
        let spec: serde_json::Value =
            serde_json::from_str(include_str!("../../../spec/generated/openapi.json")).unwrap();
        let values = spec["components"]["schemas"][schema]["enum"]
            .as_array()
            .unwrap_or_else(|| panic!("the spec has no `{schema}` enum"));
        values
            .iter()
            .map(|value| value.as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_status_of_the_spec_has_a_phase() {
        let statuses = spec_enum("TaskStatus");
        assert!(statuses.len() >= 5, "{statuses:?}");
        for status in statuses {
            assert!(
                phase(&TaskStatus::from(status.as_str())).is_some(),
                "the spec's task status {status} has no `x-task-states` entry"
            );
        }
    }

    #[test]
    fn every_exception_reason_of_the_spec_has_advice() {
        let reasons = spec_enum("ExceptionReason");
        assert!(reasons.len() >= 20, "{reasons:?}");
        for reason in reasons {
            assert!(
                crate::error::advice(&ExceptionReason::from(reason.as_str())).is_some(),
                "the spec's exception reason {reason} has no advice in error.rs `advice`"
            );
        }
        assert_eq!(
            crate::error::advice(&ExceptionReason::from("COSMIC_RAYS")),
            None
        );
        let err = Error::TaskFailed {
            kind: TaskKind::Dub,
            task_id: "t1".parse().unwrap(),
            exception_reason: Some(ExceptionReason::SourceTooLong),
            message: None,
        };
        assert_eq!(
            err.to_string(),
            "dubbing task t1 failed (SOURCE_TOO_LONG: split the source into shorter parts)"
        );
    }
}
