//! Bench 1: the cost of one status call.
//!
//! `Camb::status` against the least a Rust program can do (one reqwest `GET`
//! plus a `serde_json` decode of the same body), on a minimal keep-alive
//! HTTP/1.1 server in the same single-threaded runtime, one kept-alive
//! connection per client. Between the two, three steps split the difference:
//! decoding into the generated type, the generated (progenitor) call, and
//! `Camb::status` without its default 30 s request timeout.
//!
//! The variants run interleaved, in a rotating order, for many rounds; the
//! table gives the median and spread of calls per second, each variant's
//! per-round ratio to the baseline, and allocations per call.
//!
//! `cargo bench -p camb-bench --bench status_call`
//!
//! For profilers: `... --bench status_call -- --only camb --calls 20000`
//! makes just that many calls of one variant (`baseline`, `generated-type`,
//! `generated`, `camb-no-timeout`, `camb`) and prints nothing else, e.g. to
//! compare instruction counts under `valgrind --tool=callgrind`.
//! `... -- --allocations` prints only the allocations per call of every
//! variant (a few seconds, where the whole table takes minutes).

use std::{hint::black_box, sync::Arc, time::Instant};

use camb_api_ext::{Camb, TaskId, camb_api::types::OrchestratorPipelineResult};
use camb_bench::{
    clients::{MinimalStatus, baseline_http_client, default_camb, paused_clock_camb},
    measure::{CountingAlloc, Summary},
    server::{FixedResponse, LocalServer},
};
use serde::de::DeserializeOwned;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc::new();

/// What the server answers: a task still running.
const BODY: &str = r#"{"status":"PENDING","run_id":null}"#;
const ROUNDS: usize = 40;
const CALLS_PER_ROUND: usize = 3_000;
const WARMUP_CALLS: usize = 3_000;
const COUNTED_CALLS: u64 = 1_000;

/// The ways to make one status call, from the least to all of `Camb::status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    Baseline,
    BaselineGeneratedType,
    Generated,
    CambNoTimeout,
    Camb,
}

impl Variant {
    const ALL: [Variant; 5] = [
        Variant::Baseline,
        Variant::BaselineGeneratedType,
        Variant::Generated,
        Variant::CambNoTimeout,
        Variant::Camb,
    ];

    /// The name `--only` takes.
    fn key(self) -> &'static str {
        match self {
            Variant::Baseline => "baseline",
            Variant::BaselineGeneratedType => "generated-type",
            Variant::Generated => "generated",
            Variant::CambNoTimeout => "camb-no-timeout",
            Variant::Camb => "camb",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Variant::Baseline => "baseline: reqwest GET + serde_json (minimal struct)",
            Variant::BaselineGeneratedType => "baseline, decoded into the generated type",
            Variant::Generated => "generated client (progenitor), no timeout",
            Variant::CambNoTimeout => "`Camb::status`, `timeout(None)`",
            Variant::Camb => "`Camb::status`, defaults (30 s timeout)",
        }
    }
}

struct Clients {
    http: reqwest::Client,
    url: String,
    camb_no_timeout: Camb,
    camb: Camb,
    task: TaskId,
}

impl Clients {
    /// The least a program does: `GET`, read the body, decode it as `T`.
    async fn baseline<T: DeserializeOwned>(&self) -> T {
        let response = self.http.get(&self.url).send().await.expect("GET");
        let body = response.bytes().await.expect("body");
        serde_json::from_slice(&body).expect("decodes")
    }

    async fn call(&self, variant: Variant) {
        match variant {
            Variant::Baseline => {
                black_box(self.baseline::<MinimalStatus>().await);
            }
            Variant::BaselineGeneratedType => {
                black_box(self.baseline::<OrchestratorPipelineResult>().await);
            }
            Variant::Generated => {
                let status = self
                    .camb_no_timeout
                    .raw()
                    .get_dub_status()
                    .task_id(self.task.as_str().to_owned())
                    .send()
                    .await
                    .expect("status");
                black_box(status);
            }
            Variant::CambNoTimeout => {
                black_box(
                    self.camb_no_timeout
                        .status(&self.task)
                        .await
                        .expect("status"),
                );
            }
            Variant::Camb => {
                black_box(self.camb.status(&self.task).await.expect("status"));
            }
        }
    }

    /// Calls per second over `calls` calls.
    async fn rate(&self, variant: Variant, calls: usize) -> f64 {
        let started = Instant::now();
        for _ in 0..calls {
            self.call(variant).await;
        }
        calls as f64 / started.elapsed().as_secs_f64()
    }
}

/// What a run does, from the command line.
enum Mode {
    /// The whole table: interleaved rounds, then allocations.
    Table,
    /// `--only VARIANT [--calls N]`: one variant, for a profiler.
    Only { variant: Variant, calls: usize },
    /// `--allocations`: only the allocations per call.
    Allocations,
}

fn parse_args() -> Mode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        let at = args.iter().position(|arg| arg == flag)?;
        args.get(at + 1).cloned()
    };
    if args.iter().any(|arg| arg == "--allocations") {
        return Mode::Allocations;
    }
    let Some(only) = value("--only") else {
        return Mode::Table;
    };
    let variant = Variant::ALL
        .into_iter()
        .find(|v| v.key() == only)
        .unwrap_or_else(|| panic!("--only takes one of {:?}", Variant::ALL.map(Variant::key)));
    let calls = value("--calls").map_or(10_000, |n| n.parse().expect("--calls takes a number"));
    Mode::Only { variant, calls }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(run(parse_args()));
}

async fn run(mode: Mode) {
    let server = LocalServer::start(Arc::new(FixedResponse::json(BODY)))
        .await
        .expect("a local server");
    let base = server.base_url();
    let clients = Clients {
        http: baseline_http_client(),
        url: format!("{base}/dub/task-1"),
        // The paused-clock client is the default one minus the two timers.
        camb_no_timeout: paused_clock_camb(&base),
        camb: default_camb(&base),
        task: "task-1".parse().expect("a valid task id"),
    };

    if let Mode::Only { variant, calls } = mode {
        clients.rate(variant, calls).await;
        return;
    }
    for variant in Variant::ALL {
        clients.rate(variant, WARMUP_CALLS).await;
    }
    if let Mode::Allocations = mode {
        println!("| client | allocs/call | bytes allocated/call |");
        println!("|---|---:|---:|");
        for (variant, (count, bytes)) in Variant::ALL.iter().zip(allocations(&clients).await) {
            println!("| {} | {count:.1} | {bytes:.0} |", variant.name());
        }
        return;
    }
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); Variant::ALL.len()];
    let started = Instant::now();
    for round in 0..ROUNDS {
        for i in 0..Variant::ALL.len() {
            let index = (i + round) % Variant::ALL.len();
            let rate = clients.rate(Variant::ALL[index], CALLS_PER_ROUND).await;
            rates[index].push(rate);
        }
    }
    let measured_for = started.elapsed();
    let allocations = allocations(&clients).await;

    print_table(&rates, &allocations);
    println!();
    println!(
        "{ROUNDS} rounds x {CALLS_PER_ROUND} calls per variant, interleaved in rotating order, \
         {:.0} s in all; body `{BODY}`.",
        measured_for.as_secs_f64()
    );
    println!(
        "Server: {} connections for 3 reqwest clients (one kept alive each), {} requests.",
        server.connections(),
        server.requests()
    );
}

/// Allocations and bytes allocated per call, for each variant in order.
async fn allocations(clients: &Clients) -> Vec<(f64, f64)> {
    let mut allocations = Vec::new();
    for variant in Variant::ALL {
        ALLOC.start();
        for _ in 0..COUNTED_CALLS {
            clients.call(variant).await;
        }
        let (count, bytes) = ALLOC.stop();
        allocations.push((
            count as f64 / COUNTED_CALLS as f64,
            bytes as f64 / COUNTED_CALLS as f64,
        ));
    }
    allocations
}

fn print_table(rates: &[Vec<f64>], allocations: &[(f64, f64)]) {
    let baseline = &rates[0];
    println!(
        "| client | calls/s (median) | p25 – p75 | min – max | µs/call | vs baseline: calls/s ratio, median (p25 – p75) | allocs/call | bytes allocated/call |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (i, variant) in Variant::ALL.iter().enumerate() {
        let s = Summary::of(&rates[i]).expect("samples");
        let ratios: Vec<f64> = rates[i].iter().zip(baseline).map(|(r, b)| r / b).collect();
        let ratio = Summary::of(&ratios).expect("samples");
        let (count, bytes) = allocations[i];
        println!(
            "| {} | {:.0} | {:.0} – {:.0} | {:.0} – {:.0} | {:.1} | {:.3} ({:.3} – {:.3}) | {count:.1} | {bytes:.0} |",
            variant.name(),
            s.median,
            s.p25,
            s.p75,
            s.min,
            s.max,
            1e6 / s.median,
            ratio.median,
            ratio.p25,
            ratio.p75,
        );
    }
}
