//! [`DubStatus`]: one answer of the status endpoint, checked and typed.

use camb_api::{
    ExceptionReason, TaskStatus,
    types::{OrchestratorPipelineResult, OrchestratorPipelineResultMessage},
};

use crate::{ApiKey, Error, RunId, TaskId};

/// The state of a dubbing task, as one call of [`Camb::status`] saw it.
///
/// [`Camb::status`]: crate::Camb::status
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

/// What a status means for someone waiting on it.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// Done: fetch the result of this run.
    Succeeded(RunId),
    /// `SUCCESS`, but without the run id the result is fetched with.
    SucceededWithoutRunId,
    /// Done, failed: the error to report.
    Failed(Error),
    /// Not done (including statuses this client does not know).
    Running,
}

impl DubStatus {
    /// Checks a decoded response: `status` must be present. `SUCCESS`
    /// without a `run_id` is a valid answer (the published schema and the
    /// official SDK both allow it) and is returned as it came; waits deal
    /// with it.
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

    /// What this status means for a wait on `task_id`. `SUCCESS` without a
    /// run id is its own outcome: a dub wait asks again (the next answer may
    /// carry it), an export wait is done.
    pub(crate) fn outcome(&self, task_id: &TaskId) -> Outcome {
        match (&self.status, self.run_id) {
            (TaskStatus::Success, Some(run_id)) => Outcome::Succeeded(run_id),
            (TaskStatus::Success, None) => Outcome::SucceededWithoutRunId,
            (TaskStatus::Error, _) => Outcome::Failed(Error::TaskFailed {
                task_id: task_id.clone(),
                exception_reason: self.exception_reason.clone(),
                message: self.message.clone(),
            }),
            (TaskStatus::Timeout, _) => Outcome::Failed(Error::TaskTimedOut {
                task_id: task_id.clone(),
                message: self.message.clone(),
            }),
            (TaskStatus::PaymentRequired, _) => Outcome::Failed(Error::PaymentRequired {
                task_id: Some(task_id.clone()),
                message: self.message.clone(),
            }),
            _ => Outcome::Running,
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

    #[test]
    fn maps_every_terminal_status_to_its_outcome() {
        let id: TaskId = "t1".parse().unwrap();
        let outcome = |json: &str| decode(json).unwrap().outcome(&id);
        assert!(matches!(
            outcome(r#"{"status":"SUCCESS","run_id":42}"#),
            Outcome::Succeeded(RunId(42))
        ));
        assert!(matches!(
            outcome(r#"{"status":"PENDING"}"#),
            Outcome::Running
        ));
        assert!(matches!(
            outcome(r#"{"status":"TRANSCODING"}"#),
            Outcome::Running
        ));
        match outcome(
            r#"{"status":"ERROR","exception_reason":"SOURCE_NOT_FOUND","message":{"why":"gone"}}"#,
        ) {
            Outcome::Failed(Error::TaskFailed {
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
            outcome(r#"{"status":"TIMEOUT"}"#),
            Outcome::Failed(Error::TaskTimedOut { .. })
        ));
        assert!(matches!(
            outcome(r#"{"status":"PAYMENT_REQUIRED","message":"top up"}"#),
            Outcome::Failed(Error::PaymentRequired {
                task_id: Some(_),
                ..
            })
        ));
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
        let id: TaskId = "t1".parse().unwrap();
        for json in [
            r#"{"status":"SUCCESS","run_id":null}"#,
            r#"{"status":"SUCCESS"}"#,
        ] {
            let status = decode(json).unwrap();
            assert_eq!(status.status, TaskStatus::Success, "{json}");
            assert_eq!(status.run_id, None, "{json}");
            assert!(
                matches!(status.outcome(&id), Outcome::SucceededWithoutRunId),
                "{json}"
            );
        }
    }
}
