//! Dubs started from CAMB.AI's Discord and Twitter (X) integrations: their
//! status ([`Camb::integration_status`]) and the wait for them
//! ([`Camb::wait_for_integration_dub`]), on the same wait engine as dubs
//! created through the API. Their results are fetched like any other run's.

use std::fmt;

use super::status::{DubStatus, NeedsRunId, StatusAcceptor};
use super::wait::DubWait;
use crate::{
    Camb, Error, TaskId, TaskKind,
    wait::{Polled, TaskFamily, Wait, poll_with_retries, wait_span},
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

/// Dubs started from one integration: its status route, done at `SUCCESS`
/// with a run id, like dubs created here.
#[derive(Clone, Copy)]
struct IntegrationDubs<'a> {
    camb: &'a Camb,
    integration: Integration,
}

impl TaskFamily for IntegrationDubs<'_> {
    type Answer = DubStatus;
    type Acceptor = StatusAcceptor<NeedsRunId>;

    async fn poll_once(&self, task_id: &TaskId) -> Result<Polled<DubStatus>, Error> {
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
        DubStatus::polled(response, &camb.key)
    }

    fn acceptor(&self, task_id: &TaskId) -> Self::Acceptor {
        StatusAcceptor::new(TaskKind::Dub, task_id)
    }

    fn span(&self, task_id: &TaskId) -> tracing::Span {
        wait_span!(
            "wait_for_integration_dub",
            task_id,
            integration = %self.integration,
            run_id = tracing::field::Empty
        )
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
        let family = IntegrationDubs {
            camb: self,
            integration,
        };
        poll_with_retries(&family, &self.retry, None, None, task_id)
            .await
            .map(|polled| polled.answer)
    }

    /// Waits until a dub started from `integration` ends, and gives its run
    /// id: the same engine, policies, settings (`.on_update(..)`,
    /// `.deadline(..)`, ...) and errors as [`Camb::wait_for_dub`].
    pub fn wait_for_integration_dub(
        &self,
        integration: Integration,
        task_id: &TaskId,
    ) -> DubWait<'_> {
        let family = IntegrationDubs {
            camb: self,
            integration,
        };
        Wait::new(family, task_id.clone(), self.policies())
    }
}
