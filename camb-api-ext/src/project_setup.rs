//! Project setup's wait, the one family whose status is not a status: `GET
//! /project-setup/{task_id}` answers the list of runs the task has made
//! (`[{run_id, project_details}]`, camb-sdk 1.6.6
//! `camb/project_setup/raw_client.py`), empty until the project is ready.
//! So it gets its own acceptor on the one wait engine; creating and
//! fetching use the generic calls ([`Camb::create_task`],
//! [`Camb::task_result`] with [`tasks::ProjectSetup`]).
//!
//! [`tasks::ProjectSetup`]: crate::tasks::ProjectSetup

use std::time::Duration;

use camb_api::{Task, tasks::ProjectSetup, types::GetCreateProjectSetupResponse};
use tracing::Span;

use crate::{
    Camb, Error, RunId, TaskId, TaskKind,
    wait::{Acceptor, Polled, TaskFamily, Verdict, Wait, wait_span},
};

/// What one poll of a project setup answers: the runs made so far.
pub type ProjectSetupRuns = Vec<GetCreateProjectSetupResponse>;

/// A wait for a project setup ([`Camb::wait_for_project_setup`]), settable
/// like every other wait.
pub type ProjectSetupWait<'a> = Wait<'a, RunId, ProjectSetupRuns>;

impl Camb {
    /// Waits until project setup `task_id` has made its run, and gives the
    /// run id (the first listed): the engine, policies and settings of every
    /// wait (`.on_update(..)` sees each answer, `.deadline(..)`, ...). The
    /// status says nothing of failure, so a setup that fails is waited for
    /// until the deadline ([`Error::DeadlineExceeded`]). Runs in a
    /// `wait_for_task` span with `family = "project_setup"`.
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb, task_id: camb_api_ext::TaskId) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::tasks::ProjectSetup;
    ///
    /// let run_id = camb.wait_for_project_setup(&task_id).await?;
    /// let project = camb.task_result::<ProjectSetup>(run_id).await?;
    /// # Ok(()) }
    /// ```
    pub fn wait_for_project_setup(&self, task_id: &TaskId) -> ProjectSetupWait<'_> {
        Wait::new(RunsListed { camb: self }, task_id.clone(), self.policies())
    }
}

/// Project setups, to the wait engine.
struct RunsListed<'a> {
    camb: &'a Camb,
}

impl TaskFamily for RunsListed<'_> {
    type Answer = ProjectSetupRuns;
    type Acceptor = FirstRun;

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<ProjectSetupRuns>, Error> {
        let response = self
            .camb
            .send(ProjectSetup::status(
                &self.camb.raw,
                task_id.as_str().to_owned(),
            ))
            .await?;
        Ok(Polled {
            retry_after: crate::retry::server_hint(response.headers()),
            answer: response.into_inner(),
        })
    }

    fn acceptor(&self, task_id: &TaskId) -> FirstRun {
        FirstRun {
            task_id: task_id.clone(),
        }
    }

    fn span(&self, task_id: &TaskId) -> Span {
        wait_span!(
            "wait_for_task",
            task_id,
            family = ProjectSetup::NAME,
            run_id = tracing::field::Empty
        )
    }
}

/// Done at the first answer that lists a run; an empty list waits.
#[derive(Debug)]
struct FirstRun {
    task_id: TaskId,
}

impl Acceptor for FirstRun {
    type Answer = ProjectSetupRuns;
    type Output = RunId;

    fn accept(&mut self, runs: &ProjectSetupRuns, span: &Span) -> Verdict<RunId> {
        match runs.first() {
            Some(run) => {
                span.record("run_id", run.run_id);
                Verdict::Done(RunId(run.run_id))
            }
            None => Verdict::Waiting,
        }
    }

    fn deadline_exceeded(&self, elapsed: Duration, polls: u32, last_error: Option<Error>) -> Error {
        Error::DeadlineExceeded {
            kind: TaskKind::of_family(ProjectSetup::NAME),
            task_id: self.task_id.clone(),
            elapsed,
            polls,
            last_status: None,
            last_error: last_error.map(Box::new),
        }
    }
}
