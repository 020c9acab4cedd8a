//! Shared pieces of the benchmarks of `camb-api-ext` (see BENCHMARKS.md at
//! the repository root for the results and the commands).
//!
//! - [`server`]: a minimal keep-alive HTTP/1.1 server on 127.0.0.1;
//! - [`tasks`]: simulated dubbing tasks on tokio's clock, served by it, with
//!   what the server saw (polls, detection lag, in-flight, rate);
//! - [`streaming`]: a streaming server (chunked audio, paced, each send
//!   logged) on its own thread, for bench 4;
//! - [`clients`]: the clients compared (a plain reqwest baseline, `Camb`);
//! - [`loops`]: the polling loops of the upstream docs and SDK examples;
//! - [`measure`]: summaries, CPU time, peak memory, allocation counts.
//!
//! ```
//! use std::{sync::Arc, time::Duration};
//! use camb_bench::{clients, server::LocalServer, tasks::{Ending, SimulatedTasks, TaskPlan}};
//!
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() {
//! let tasks = Arc::new(SimulatedTasks::new());
//! let server = LocalServer::start(tasks.clone()).await.unwrap();
//! let id = tasks.add(TaskPlan { runs_for: Duration::from_secs(60), ending: Ending::Success });
//!
//! let camb = clients::paused_clock_camb(&server.base_url());
//! let run_id = camb.wait_for_dub(&id.parse().unwrap()).await.unwrap();
//! assert_eq!(run_id.get(), 0);
//! let seen = tasks.report(&id).unwrap();
//! assert!(seen.lag.unwrap() <= Duration::from_secs(30));
//! # }
//! ```

#![deny(missing_docs)]

pub mod clients;
pub mod loops;
pub mod measure;
pub mod server;
pub mod streaming;
pub mod tasks;
