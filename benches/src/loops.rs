//! The polling loops people copy today, translated line by line to compare
//! against [`Camb::wait_for_dub`]: the one on CAMB.AI's status docs page and
//! the one in the official SDK examples.
//!
//! [`Camb::wait_for_dub`]: camb_api_ext::Camb::wait_for_dub

use std::time::Duration;

use crate::clients::baseline_status;

/// How a loop ended (if it ends: the caller caps it with a timeout).
#[derive(Debug, PartialEq, Eq)]
pub enum LoopEnd {
    /// It returned after seeing this status.
    Returned(String),
    /// A request failed, which ends both loops.
    Failed(String),
}

/// The loop of the docs page (`get-end-to-end-dubbing-status`): polls, sleeps
/// 15 s while `PENDING`, returns on `SUCCESS` or `ERROR`, and on any other
/// status sleeps 30 s and polls again. So on `TIMEOUT` or
/// `PAYMENT_REQUIRED` it never returns.
pub async fn docs_page_loop(http: &reqwest::Client, url: &str) -> LoopEnd {
    const TERMINAL: [&str; 2] = ["SUCCESS", "ERROR"];
    loop {
        let status = match baseline_status(http, url).await {
            Ok(answer) => answer.status,
            Err(err) => return LoopEnd::Failed(err.to_string()),
        };
        if status == "PENDING" {
            tokio::time::sleep(Duration::from_secs(15)).await;
            continue;
        }
        if TERMINAL.contains(&status.as_str()) {
            return LoopEnd::Returned(status);
        }
        tokio::time::sleep(Duration::from_secs(30)).await;
    }
}

/// The loop of the official Python SDK's dubbing example: polls every 5 s
/// and returns only on `SUCCESS`. On `ERROR`, `TIMEOUT` or
/// `PAYMENT_REQUIRED` it never returns.
pub async fn sdk_example_loop(http: &reqwest::Client, url: &str) -> LoopEnd {
    loop {
        match baseline_status(http, url).await {
            Ok(answer) if answer.status == "SUCCESS" => return LoopEnd::Returned(answer.status),
            Ok(_) => tokio::time::sleep(Duration::from_secs(5)).await,
            Err(err) => return LoopEnd::Failed(err.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::{
        clients::baseline_http_client,
        server::LocalServer,
        tasks::{Ending, SimulatedTasks, TaskPlan},
    };

    /// Runs `each` on a task that ends in `ending` after 40 s, stopped just
    /// before an hour; returns how it ended (`None`: still polling) and the polls.
    async fn run<F, Fut>(ending: Ending, each: F) -> (Option<LoopEnd>, Vec<u64>)
    where
        F: FnOnce(reqwest::Client, String) -> Fut,
        Fut: std::future::Future<Output = LoopEnd>,
    {
        let tasks = Arc::new(SimulatedTasks::new().logging_polls());
        let server = LocalServer::start(tasks.clone()).await.unwrap();
        let id = tasks.add(TaskPlan {
            runs_for: Duration::from_secs(40),
            ending,
        });
        let url = format!("{}/dub/{id}", server.base_url());
        let end =
            tokio::time::timeout(Duration::from_secs(3599), each(baseline_http_client(), url))
                .await
                .ok();
        let report = tasks.report(&id).unwrap();
        let secs = report.poll_times.iter().map(Duration::as_secs).collect();
        (end, secs)
    }

    #[tokio::test(start_paused = true)]
    async fn the_docs_loop_sleeps_15_s_and_stops_only_on_success_or_error() {
        let (end, polls) = run(
            Ending::Error,
            |h, u| async move { docs_page_loop(&h, &u).await },
        )
        .await;
        assert_eq!(end, Some(LoopEnd::Returned("ERROR".into())));
        assert_eq!(polls, [0, 15, 30, 45]);
        let (end, polls) = run(Ending::Timeout, |h, u| async move {
            docs_page_loop(&h, &u).await
        })
        .await;
        assert_eq!(end, None);
        assert_eq!(&polls[..6], [0, 15, 30, 45, 75, 105]);
    }

    #[tokio::test(start_paused = true)]
    async fn the_sdk_loop_polls_every_5_s_and_stops_only_on_success() {
        let (end, polls) = run(Ending::Success, |h, u| async move {
            sdk_example_loop(&h, &u).await
        })
        .await;
        assert_eq!(end, Some(LoopEnd::Returned("SUCCESS".into())));
        assert_eq!(polls, [0, 5, 10, 15, 20, 25, 30, 35, 40]);
        let (end, polls) = run(Ending::Error, |h, u| async move {
            sdk_example_loop(&h, &u).await
        })
        .await;
        assert_eq!(end, None);
        assert_eq!(polls.len(), 720);
    }
}
