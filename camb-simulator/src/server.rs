//! The simulator as a standalone HTTP server on a listener of the caller's
//! choosing (what the `camb-simulator` binary runs), so that any client, in
//! any language, can be tried against a local CAMB.AI.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming as Body};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::route::Incoming;
use crate::state::{Delayed, State};
use crate::{SimulatorBuilder, lock};

impl SimulatorBuilder {
    /// Serves the simulator on `listener` until `shutdown` completes, on the
    /// caller's tokio runtime: each answer waits `latency` (plus any
    /// [`Fault::Latency`](crate::Fault::Latency) its request meets), and each
    /// request is logged on one line to stderr: method, path, status.
    ///
    /// [`start`](Self::start) is the in-process server for tests; this one
    /// is for running the simulator as a program.
    pub async fn serve(
        self,
        listener: TcpListener,
        latency: Duration,
        shutdown: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let state = Arc::new(Mutex::new(State::new(
            self.api_key,
            self.scripts,
            self.route_faults,
        )));
        tokio::pin!(shutdown);
        loop {
            let (stream, _) = tokio::select! {
                () = &mut shutdown => return Ok(()),
                accepted = listener.accept() => accepted?,
            };
            let state = Arc::clone(&state);
            tokio::spawn(async move {
                let service =
                    service_fn(move |request| answer(Arc::clone(&state), request, latency));
                if let Err(error) = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await
                {
                    eprintln!("connection error: {error}");
                }
            });
        }
    }
}

async fn answer(
    state: Arc<Mutex<State>>,
    request: Request<Body>,
    latency: Duration,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    // A body that fails mid-way is answered as the bytes that arrived.
    let body = body
        .collect()
        .await
        .map(|collected| collected.to_bytes())
        .unwrap_or_default();
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |target| target.as_str());
    let incoming = Incoming {
        method: parts.method.as_str(),
        target,
        api_key: parts
            .headers
            .get("x-api-key")
            .and_then(|value| value.to_str().ok()),
        content_type: parts
            .headers
            .get("content-type")
            .and_then(|value| value.to_str().ok()),
        accept: parts
            .headers
            .get("accept")
            .and_then(|value| value.to_str().ok()),
        body: &body,
    };
    let fault_latency = lock(&state).take_any_latency(&incoming);
    let delayed = if fault_latency.is_some() {
        Delayed::Yes
    } else {
        Delayed::No
    };
    tokio::time::sleep(latency.saturating_add(fault_latency.unwrap_or_default())).await;
    let reply = lock(&state).respond(&incoming, delayed);
    eprintln!("{} {} {}", parts.method, parts.uri.path(), reply.status());
    let (status, headers, body) = reply.into_parts();
    let mut response = Response::new(Full::new(Bytes::from(body)));
    // A status outside what HTTP allows is answered `500`, as httpmock does.
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    Ok(response)
}
