//! The simulator as a standalone HTTP server on a listener of the caller's
//! choosing (what the `camb-simulator` binary runs), so that any client, in
//! any language, can be tried against a local CAMB.AI. It is the same router
//! as the in-process [`Simulator`](crate::Simulator)'s (see [`crate::http`]).

use std::future::Future;
use std::io;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::{SimulatorBuilder, answer, http, route};

impl SimulatorBuilder {
    /// Serves the simulator on `listener` until `shutdown` completes, on the
    /// caller's tokio runtime: each answer waits `latency` (plus any
    /// [`Fault::Latency`](crate::Fault::Latency) its request meets), and each
    /// request is logged on one line to stderr: method, path and query, status.
    ///
    /// [`start`](Self::start) is the in-process server for tests; this one
    /// is for running the simulator as a program.
    pub async fn serve(
        self,
        listener: TcpListener,
        latency: Duration,
        shutdown: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let state = self.into_state();
        let router = http::router(route::operations(), answer(&state, latency, true));
        http::serve(listener, router, shutdown).await
    }
}
