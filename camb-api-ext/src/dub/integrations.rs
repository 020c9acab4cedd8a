//! Dubs started from CAMB.AI's Discord and Twitter (X) integrations: their
//! status ([`Camb::integration_status`]) and the wait for them
//! ([`Camb::wait_for_integration_dub`]), on the same wait engine as dubs
//! created through the API. Their results are fetched like any other run's.

use std::fmt;

use super::{
    status::{DubStatus, NeedsRunId},
    status_family::{StatusFamily, StatusTasks},
    wait::DubWait,
};
use crate::{
    Camb, Error, TaskId, TaskKind,
    wait::{Wait, wait_span},
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

/// Dubs started from `integration`: its status route, done at `SUCCESS`
/// with a run id, like dubs created here.
fn integration_dubs(camb: &Camb, integration: Integration) -> impl StatusTasks<NeedsRunId> + '_ {
    StatusFamily::new(
        camb,
        TaskKind::Dub,
        move |task_id| async move {
            match integration {
                Integration::Discord => {
                    camb.send(camb.raw.poll_discord_dub_task().task_id(task_id).send())
                        .await
                }
                Integration::Twitter => {
                    camb.send(camb.raw.poll_twitter_dub_task().task_id(task_id).send())
                        .await
                }
            }
        },
        move |task_id| {
            wait_span!(
                "wait_for_integration_dub",
                task_id,
                integration = %integration,
                run_id = tracing::field::Empty
            )
        },
    )
}

impl Camb {
    /// The current status of a dub started from `integration`, one request
    /// (plus retries), like [`Camb::status`] for dubs created here.
    pub async fn integration_status(
        &self,
        integration: Integration,
        task_id: &TaskId,
    ) -> Result<DubStatus, Error> {
        integration_dubs(self, integration).status(task_id).await
    }

    /// Waits until a dub started from `integration` ends, and gives its run
    /// id: the same engine, policies, settings (`.on_update(..)`,
    /// `.deadline(..)`, ...) and errors as [`Camb::wait_for_dub`].
    pub fn wait_for_integration_dub(
        &self,
        integration: Integration,
        task_id: &TaskId,
    ) -> DubWait<'_> {
        Wait::new(
            integration_dubs(self, integration),
            task_id.clone(),
            self.policies(),
        )
    }
}
