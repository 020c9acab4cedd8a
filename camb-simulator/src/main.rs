//! `camb-simulator`: the simulated CAMB.AI server as a program, for trying
//! any client (curl, CAMB.AI's own SDKs, this workspace's) against a local
//! CAMB.AI.
//!
//! ```text
//! cargo run -p camb-simulator -- --port 8080 [--api-key KEY] [--latency MS]
//! ```
//!
//! It listens on 127.0.0.1 only (`--port 0`: any free port), prints the base
//! URL and then the API key as its first two lines on stdout, logs each
//! request on one line to stderr (method, path and query, status) and serves until
//! Ctrl-C. Without `--api-key` the key is
//! [`DEFAULT_API_KEY`](camb_simulator::DEFAULT_API_KEY), `simulator-api-key`.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use camb_simulator::{DEFAULT_API_KEY, Simulator};

const USAGE: &str = "usage: camb-simulator [--port PORT] [--api-key KEY] [--latency MS]

Serves a simulated CAMB.AI dubbing API on 127.0.0.1 until Ctrl-C.
Prints the base URL and the API key as its first two lines on stdout.

  --port PORT     the port to listen on (default 8080; 0: any free port)
  --api-key KEY   the key to accept in x-api-key (default: simulator-api-key)
  --latency MS    wait this many milliseconds before each answer (default 0)";

/// What the command line asks for.
struct Options {
    port: u16,
    api_key: String,
    latency: Duration,
}

fn parse_args() -> Result<Options, lexopt::Error> {
    use lexopt::prelude::*;
    let mut options = Options {
        port: 8080,
        api_key: DEFAULT_API_KEY.to_owned(),
        latency: Duration::ZERO,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("port") => options.port = parser.value()?.parse()?,
            Long("api-key") => options.api_key = parser.value()?.string()?,
            Long("latency") => {
                options.latency = Duration::from_millis(parser.value()?.parse()?);
            }
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("camb-simulator: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("camb-simulator: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let base_url = match listener.local_addr() {
        Ok(bound) => format!("http://{bound}"),
        Err(error) => {
            eprintln!("camb-simulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The two lines scripts read, flushed before the first request can arrive.
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{base_url}\n{}", options.api_key)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    let shutdown = async {
        // An error here means no Ctrl-C handler could be installed: serve
        // until killed instead.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let served = Simulator::builder()
        .api_key(options.api_key)
        .serve(listener, options.latency, shutdown)
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("camb-simulator: {error}");
            ExitCode::FAILURE
        }
    }
}
