//! Bench 3: many tasks at once.
//!
//! `Camb::wait_for_dubs` over 10,000 simulated tasks with run times spread
//! uniformly over 10 s..2 h (85% end in `SUCCESS`, 5% each in `ERROR`,
//! `TIMEOUT` and `PAYMENT_REQUIRED`), on tokio's paused clock, through real
//! HTTP to a local server that holds every answer back 100 ms (a simulated
//! network and server time). The server counts total requests, the most in
//! flight at once, the most request starts in any one second and the
//! shortest gap between two starts. The process reports its CPU time and
//! peak RSS (client, server and runtime together: one process).
//!
//! Each set of `WaitLimits` runs in a fresh child process (this binary with
//! `--limits NAME`), so that peak RSS and CPU time belong to that run alone.
//!
//! `cargo bench -p camb-bench --bench many_waits`

use std::{collections::BTreeMap, num::NonZeroUsize, process::Command, sync::Arc, time::Duration};

use camb_api_ext::{Error, RunId, WaitLimits};
use camb_bench::{
    clients::paused_clock_camb,
    measure::{ProcessUsage, Summary, human, proc_status_bytes},
    server::LocalServer,
    tasks::{Ending, SimulatedTasks, TaskPlan},
};
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::time::Instant;

const TASKS: usize = 10_000;
const SHORTEST: Duration = Duration::from_secs(10);
const LONGEST: Duration = Duration::from_secs(2 * 60 * 60);
const LATENCY: Duration = Duration::from_millis(100);

/// The limits compared, by name.
fn limits(name: &str) -> Option<WaitLimits> {
    let in_flight = |n| NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN);
    match name {
        "default" => Some(WaitLimits::default()),
        "16-in-flight" => Some(
            WaitLimits::default()
                .with_max_in_flight(in_flight(16))
                .with_requests_per_second(200.0),
        ),
        "roomy" => Some(
            WaitLimits::default()
                .with_max_in_flight(in_flight(64))
                .with_requests_per_second(1000.0),
        ),
        _ => None,
    }
}

const LIMITS: [&str; 3] = ["default", "16-in-flight", "roomy"];

/// The tasks: seeded, so every run waits for the same ones.
fn plans() -> Vec<TaskPlan> {
    let mut rng = fastrand::Rng::with_seed(10_000);
    let span = (LONGEST - SHORTEST).as_secs_f64();
    (0..TASKS)
        .map(|_| {
            let runs_for = SHORTEST + Duration::from_secs_f64(span * rng.f64());
            let ending = match rng.u32(0..100) {
                0..85 => Ending::Success,
                85..90 => Ending::Error,
                90..95 => Ending::Timeout,
                _ => Ending::PaymentRequired,
            };
            TaskPlan { runs_for, ending }
        })
        .collect()
}

/// Whether a wait's outcome is the one the task's ending calls for.
fn outcome_fits(ending: Ending, run_id_wanted: i64, outcome: &Result<RunId, Error>) -> bool {
    match (ending, outcome) {
        (Ending::Success, Ok(run_id)) => run_id.get() == run_id_wanted,
        (Ending::Error, Err(Error::TaskFailed { .. })) => true,
        (Ending::Timeout, Err(Error::TaskTimedOut { .. })) => true,
        (Ending::PaymentRequired, Err(Error::PaymentRequired { .. })) => true,
        _ => false,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.iter().position(|arg| arg == "--limits") {
        Some(at) => {
            let name = args.get(at + 1).map(String::as_str).unwrap_or("");
            let limits = limits(name).unwrap_or_else(|| panic!("--limits takes one of {LIMITS:?}"));
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .start_paused(true)
                .build()
                .expect("a tokio runtime");
            let result = runtime.block_on(run(name, limits));
            println!("{result}");
        }
        None => compare_all(),
    }
}

/// Runs each set of limits in a child process and prints the table.
fn compare_all() {
    let me = std::env::current_exe().expect("this binary's path");
    let mut results = Vec::new();
    for name in LIMITS {
        let output = Command::new(&me)
            .args(["--limits", name])
            .output()
            .expect("the child runs");
        assert!(
            output.status.success(),
            "--limits {name} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let result: Value = serde_json::from_slice(&output.stdout).expect("the child prints JSON");
        results.push(result);
    }
    print_table(&results);
}

async fn run(name: &str, limits: WaitLimits) -> Value {
    let tasks = Arc::new(SimulatedTasks::new().with_latency(LATENCY));
    let server = LocalServer::start(tasks.clone())
        .await
        .expect("a local server");
    let camb = paused_clock_camb(&server.base_url());
    let plans = plans();
    let ids: Vec<String> = plans.iter().map(|plan| tasks.add(*plan)).collect();
    let task_ids: Vec<_> = ids
        .iter()
        .map(|id| id.parse().expect("a valid task id"))
        .collect();
    let index: BTreeMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| (id.as_str(), i))
        .collect();

    // What one idle wait holds: its future, sized for its largest state.
    let one_wait = camb.wait(&task_ids[0]).into_future();
    let wait_future_bytes = std::mem::size_of_val(&*one_wait);
    drop(one_wait);

    let rss_before = proc_status_bytes("VmRSS");
    let usage_before = ProcessUsage::now().expect("getrusage");
    let real = std::time::Instant::now();
    let started = Instant::now();

    let mut outcomes = 0usize;
    let mut fitting = 0usize;
    let mut waits = std::pin::pin!(camb.wait_for_dubs(task_ids, limits));
    while let Some((task_id, outcome)) = waits.next().await {
        outcomes += 1;
        let Some(&i) = index.get(task_id.as_str()) else {
            continue;
        };
        let run_id = i64::try_from(i).unwrap_or(i64::MAX);
        fitting += usize::from(outcome_fits(plans[i].ending, run_id, &outcome));
    }

    let simulated = started.elapsed();
    let real = real.elapsed();
    let usage = ProcessUsage::now().expect("getrusage");
    let traffic = tasks.traffic();
    let reports = tasks.reports();
    let polls: Vec<f64> = reports.iter().map(|(_, r)| f64::from(r.polls)).collect();
    let lags: Vec<f64> = reports
        .iter()
        .filter_map(|(_, r)| r.lag.map(|lag| lag.as_secs_f64()))
        .collect();
    let polls = Summary::of(&polls).expect("tasks");
    let lags = Summary::of(&lags).expect("tasks");
    let cpu = usage.cpu() - usage_before.cpu();
    json!({
        "name": name,
        "max_in_flight_limit": limits.max_in_flight().get(),
        "min_interval_s": limits.min_interval().as_secs_f64(),
        "tasks": TASKS,
        "outcomes": outcomes,
        "fitting": fitting,
        "simulated_s": simulated.as_secs_f64(),
        "real_s": real.as_secs_f64(),
        "requests": traffic.requests,
        "polls_mean": polls.mean,
        "polls_max": polls.max,
        "lag_mean_s": lags.mean,
        "lag_max_s": lags.max,
        "max_in_flight": traffic.max_in_flight,
        "peak_per_s": traffic.peak_in_window,
        "min_gap_s": traffic.min_gap.map(|gap| gap.as_secs_f64()),
        "connections": server.connections(),
        "cpu_s": cpu.as_secs_f64(),
        "cpu_user_s": (usage.user - usage_before.user).as_secs_f64(),
        "rss_before": rss_before,
        "vm_hwm": proc_status_bytes("VmHWM"),
        "ru_maxrss": usage.max_rss,
        "wait_future_bytes": wait_future_bytes,
    })
}

/// A number from one run's results (NaN if missing).
fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

/// How a table cell is made from one run's results.
type Cell = Box<dyn Fn(&Value) -> String>;

fn print_table(results: &[Value]) {
    let mb = |bytes: f64| format!("{:.1} MB", bytes / 1e6);
    let secs = |s: f64| human(Duration::from_secs_f64(s));
    let rows: Vec<(&str, Cell)> = vec![
        (
            "limits: in flight, request starts per second",
            Box::new(|v| {
                format!(
                    "{}, {:.0}/s",
                    v["max_in_flight_limit"],
                    1.0 / num(v, "min_interval_s")
                )
            }),
        ),
        (
            "outcomes as the tasks ended (of 10,000)",
            Box::new(|v| format!("{} of {}", v["fitting"], v["outcomes"])),
        ),
        (
            "simulated time until the last outcome",
            Box::new(move |v| secs(num(v, "simulated_s"))),
        ),
        (
            "**peak RSS** (VmHWM, whole process)",
            Box::new(move |v| mb(num(v, "vm_hwm"))),
        ),
        (
            "RSS before the waits (server, runtime, task table)",
            Box::new(move |v| mb(num(v, "rss_before"))),
        ),
        (
            "size of one wait's future (`Camb::wait(..).into_future()`)",
            Box::new(|v| format!("{} bytes", v["wait_future_bytes"])),
        ),
        (
            "**CPU time** (user + system, whole process)",
            Box::new(|v| {
                format!(
                    "{:.1} s (user {:.1} s)",
                    num(v, "cpu_s"),
                    num(v, "cpu_user_s")
                )
            }),
        ),
        (
            "CPU per request (client + server)",
            Box::new(|v| format!("{:.0} µs", num(v, "cpu_s") / num(v, "requests") * 1e6)),
        ),
        (
            "**total requests**",
            Box::new(|v| format!("{}", v["requests"])),
        ),
        (
            "requests per task: mean (max)",
            Box::new(|v| format!("{:.1} ({:.0})", num(v, "polls_mean"), num(v, "polls_max"))),
        ),
        (
            "**most requests in flight** (limit)",
            Box::new(|v| format!("{} ({})", v["max_in_flight"], v["max_in_flight_limit"])),
        ),
        (
            "**peak request starts in any 1 s** (limit)",
            Box::new(|v| {
                format!(
                    "{} ({:.0})",
                    v["peak_per_s"],
                    (1.0 / num(v, "min_interval_s")).floor()
                )
            }),
        ),
        (
            "shortest gap between two starts (limit)",
            Box::new(move |v| {
                format!(
                    "{} ({})",
                    secs(num(v, "min_gap_s")),
                    secs(num(v, "min_interval_s"))
                )
            }),
        ),
        (
            "detection lag: mean (max)",
            Box::new(move |v| {
                format!(
                    "{} ({})",
                    secs(num(v, "lag_mean_s")),
                    secs(num(v, "lag_max_s"))
                )
            }),
        ),
        (
            "connections opened",
            Box::new(|v| format!("{}", v["connections"])),
        ),
        (
            "real time",
            Box::new(|v| format!("{:.1} s", num(v, "real_s"))),
        ),
    ];
    print!("| |");
    for v in results {
        print!(" `{}` |", v["name"].as_str().unwrap_or("?"));
    }
    println!();
    print!("|---|");
    for _ in results {
        print!("---:|");
    }
    println!();
    for (label, cell) in rows {
        print!("| {label} |");
        for v in results {
            print!(" {} |", cell(v));
        }
        println!();
    }
    println!(
        "\n{TASKS} tasks, run times uniform in {}..{}, every answer held back {} (tokio's paused clock).",
        human(SHORTEST),
        human(LONGEST),
        human(LATENCY)
    );
}
