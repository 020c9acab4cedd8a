//! Dubs started from CAMB.AI's Discord and Twitter integrations: their own
//! status routes (`GET /discord/dub/{task_id}`, `GET /twitter/dub/{task_id}`,
//! camb-sdk 1.6.6: `camb/dub/raw_client.py`, `poll_discord_dub_task` and
//! `poll_twitter_dub_task`), answering like `GET /dub/{task_id}`.
//!
//! Such tasks are not created through the API, so a test sets them up with
//! [`SimulatorBuilder::integration_task`]; each is known only to its own
//! route, and its run's result is served like any other.

use crate::{SimulatorBuilder, TaskScript};

/// Where a dub was started, when not through `POST /dub`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Integration {
    /// CAMB.AI's Discord bot: status at `GET /discord/dub/{task_id}`.
    Discord,
    /// CAMB.AI's Twitter (X) bot: status at `GET /twitter/dub/{task_id}`.
    Twitter,
}

impl SimulatorBuilder {
    /// A dub started from `integration` before the simulator starts: task
    /// `task_id`, dubbing into the languages `targets` (ids or tags, as the
    /// create call takes them), following `script` from the start.
    pub fn integration_task(
        mut self,
        integration: Integration,
        task_id: impl Into<String>,
        targets: impl IntoIterator<Item = camb_api_ext::Language>,
        script: TaskScript,
    ) -> Self {
        let targets = targets
            .into_iter()
            .map(|language| crate::state::language_key(&serde_json::json!(language)))
            .collect();
        self.scripts
            .integration_tasks
            .push((integration, task_id.into(), targets, script));
        self
    }
}
