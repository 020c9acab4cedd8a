//! Dubs started from CAMB.AI's Discord and Twitter (X) integrations: their
//! status ([`Camb::integration_status`]) and the wait for them
//! ([`Camb::wait_for_integration_dub`]), on the same wait engine as dubs
//! created through the API. Their results are fetched like any other run's.

use std::fmt;

use crate::{
    Camb, DubStatus, Error, RunId, StatusUpdate, TaskId,
    wait::{Polled, StatusSource, Watch, poll_status, with_run_id},
};

/// Where a dub was started, when not through `POST /dub`: each has its own
/// status route (camb-sdk 1.6.6: `camb/dub/raw_client.py`,
/// `poll_discord_dub_task`, `poll_twitter_dub_task`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Integration {
    /// CAMB.AI's Discord bot (`GET /discord/dub/{task_id}`).
    Discord,
    /// CAMB.AI's Twitter (X) bot (`GET /twitter/dub/{task_id}`).
    Twitter,
}

impl fmt::Display for Integration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Integration::Discord => "discord",
            Integration::Twitter => "twitter",
        })
    }
}

/// The status route of one integration, as a status source of the engine.
struct IntegrationTasks<'a> {
    camb: &'a Camb,
    integration: Integration,
}

impl StatusSource for IntegrationTasks<'_> {
    async fn status_once(&self, task_id: &TaskId) -> Result<Polled, Error> {
        let camb = self.camb;
        let task_id = task_id.as_str().to_owned();
        let response = match self.integration {
            Integration::Discord => {
                camb.send(camb.raw.poll_discord_dub_task().task_id(task_id).send())
                    .await?
            }
            Integration::Twitter => {
                camb.send(camb.raw.poll_twitter_dub_task().task_id(task_id).send())
                    .await?
            }
        };
        Polled::from_response(response, &camb.key)
    }

    fn span(&self, task_id: &TaskId) -> tracing::Span {
        tracing::info_span!(
            "wait_for_integration_dub",
            integration = %self.integration,
            task_id = %task_id,
            attempts = 0u32,
            run_id = tracing::field::Empty,
        )
    }

    fn cuts_requests_at_deadline(&self) -> bool {
        self.camb.cut_requests_at_deadline
    }
}

impl Camb {
    /// The current status of a dub started from `integration`, one request
    /// (plus retries), like [`Camb::status`] for dubs created here.
    pub async fn integration_status(
        &self,
        integration: Integration,
        task_id: &TaskId,
    ) -> Result<DubStatus, Error> {
        let source = IntegrationTasks {
            camb: self,
            integration,
        };
        poll_status(&source, &self.retry, None, None, task_id)
            .await
            .map(|polled| polled.status)
    }

    /// Waits until a dub started from `integration` ends and returns its run
    /// id, with the client's [`PollPolicy`](crate::PollPolicy) and
    /// [`WaitErrorPolicy`](crate::WaitErrorPolicy): the same engine and
    /// errors as [`Camb::wait_for_dub`]; `on_update` sees every status.
    pub async fn wait_for_integration_dub(
        &self,
        integration: Integration,
        task_id: &TaskId,
        on_update: impl FnMut(&StatusUpdate),
    ) -> Result<RunId, Error> {
        let source = IntegrationTasks {
            camb: self,
            integration,
        };
        let watch = Watch::new(
            source,
            &self.retry,
            None,
            task_id.clone(),
            &self.poll,
            self.wait_errors,
        )?;
        let run_id = watch.finish(on_update).await?;
        with_run_id(task_id, run_id)
    }
}
