//! Bench 2: how well it waits.
//!
//! On tokio's paused clock, simulated tasks run for about 10 s, 1 min,
//! 5 min, 30 min and 2 h (each length is 200 tasks with run times spread
//! uniformly over ±10% of it, so that no loop is lucky with a round number).
//! Three waiters poll them through real HTTP on a local server:
//!
//! - ours: `Camb::wait_for_dub` with the default `PollPolicy` (one jitter
//!   seed per task);
//! - the loop on the upstream docs page (15 s sleeps while `PENDING`);
//! - the official SDK example's loop (a fixed 5 s).
//!
//! The server counts the requests per task and the detection lag: the first
//! poll that saw the end, minus the moment the task ended. A second table
//! shows what each waiter does when a task ends in each final state, or
//! never ends; a loop that has not returned after 24 simulated hours is
//! stopped and reported as never returning.
//!
//! `cargo bench -p camb-bench --bench waiting`

use std::{fmt::Write as _, sync::Arc, time::Duration};

use camb_api_ext::{Camb, Error, PollPolicy, RunId};
use camb_bench::{
    clients::{baseline_http_client, paused_clock_camb},
    loops::{LoopEnd, docs_page_loop, sdk_example_loop},
    measure::{Summary, human},
    server::LocalServer,
    tasks::{Ending, SimulatedTasks, TaskPlan},
};
use futures_util::future::join_all;
use tokio::time::Instant;

/// The task lengths of the issue.
const LENGTHS: [Duration; 5] = [
    Duration::from_secs(10),
    Duration::from_secs(60),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 60 * 60),
];
/// Tasks per length.
const SAMPLES: usize = 200;
/// Tasks per final state (run times spread like the others).
const ENDING_SAMPLES: usize = 10;
/// The length of the tasks in the final-state table.
const ENDING_AFTER: Duration = Duration::from_secs(5 * 60);
/// A loop still polling after this long never returns.
const CAP: Duration = Duration::from_secs(24 * 60 * 60);
/// "Never ends": longer than the cap and than our default deadline.
const NEVER: Duration = Duration::from_secs(48 * 60 * 60);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Waiter {
    Ours,
    DocsPage,
    SdkExample,
}

impl Waiter {
    const ALL: [Waiter; 3] = [Waiter::Ours, Waiter::DocsPage, Waiter::SdkExample];

    fn name(self) -> &'static str {
        match self {
            Waiter::Ours => "ours: `wait_for_dub`, default `PollPolicy`",
            Waiter::DocsPage => "docs page loop (15 s)",
            Waiter::SdkExample => "SDK example loop (fixed 5 s)",
        }
    }
}

/// What one wait did, as the server and the caller saw it.
#[derive(Debug)]
struct Sample {
    run_time: Duration,
    /// Requests before the cap.
    polls: usize,
    /// Server side: first poll that saw the end, minus the end.
    lag: Option<Duration>,
    /// How the waiter ended; `None`: still polling at the cap.
    ended: Option<String>,
    /// For ours: whether the server saw exactly the polls the policy makes.
    on_schedule: Option<bool>,
}

struct Bench {
    tasks: Arc<SimulatedTasks>,
    base_url: String,
    camb: Camb,
    http: reqwest::Client,
}

/// The default policy with its jitter fixed by `seed`.
fn seeded_default(seed: u64) -> PollPolicy {
    let default = PollPolicy::default();
    let backoff = default.backoff().with_jitter_seed(seed);
    default.with_backoff(backoff)
}

impl Bench {
    async fn run(&self, waiter: Waiter, plan: TaskPlan, seed: u64) -> Sample {
        let id = self.tasks.add(plan);
        let url = format!("{}/dub/{id}", self.base_url);
        let task_id = id.parse().expect("a valid task id");
        let policy = seeded_default(seed);
        let started = Instant::now();
        let wait = async {
            match waiter {
                Waiter::Ours => {
                    describe_ours(self.camb.wait(&task_id).poll_policy(policy.clone()).await)
                }
                Waiter::DocsPage => describe_loop(docs_page_loop(&self.http, &url).await),
                Waiter::SdkExample => describe_loop(sdk_example_loop(&self.http, &url).await),
            }
        };
        let ended = tokio::time::timeout(CAP, wait).await.ok();
        let waited = started.elapsed();
        let report = self.tasks.report(&id).expect("the task exists");
        let polls: Vec<Duration> = report
            .poll_times
            .into_iter()
            .filter(|at| *at < CAP)
            .collect();
        let on_schedule = (waiter == Waiter::Ours).then(|| {
            let expected = expected_polls(&policy, plan.runs_for);
            if std::env::var_os("DEBUG_SCHEDULE").is_some() && expected != polls {
                eprintln!("expected {expected:?}\n     got {polls:?}");
            }
            expected == polls && polls.last() == Some(&waited)
        });
        Sample {
            run_time: plan.runs_for,
            polls: polls.len(),
            lag: report.lag,
            ended,
            on_schedule,
        }
    }

    async fn run_many<F>(&self, waiter: Waiter, plans: &[TaskPlan], seed_of: F) -> Vec<Sample>
    where
        F: Fn(usize) -> u64,
    {
        let runs = plans
            .iter()
            .enumerate()
            .map(|(i, plan)| self.run(waiter, *plan, seed_of(i)));
        join_all(runs).await
    }
}

/// When a wait under `policy` should poll a task that ends after
/// `runs_for`, instant answers assumed: the first poll at once, each next
/// one a delay of the policy later (cut at the deadline), until one sees the
/// end or the deadline has been polled. Each sleep ends on tokio's next 1 ms
/// timer tick, so offsets are rounded up to the millisecond.
fn expected_polls(policy: &PollPolicy, runs_for: Duration) -> Vec<Duration> {
    let tick = |at: Duration| Duration::from_millis(at.as_nanos().div_ceil(1_000_000) as u64);
    let mut at = Duration::ZERO;
    let mut polls = vec![at];
    for delay in policy.delays() {
        if at >= runs_for || policy.deadline().is_some_and(|deadline| at >= deadline) {
            break;
        }
        let wanted = at + delay;
        at = tick(
            policy
                .deadline()
                .map_or(wanted, |deadline| wanted.min(deadline)),
        );
        polls.push(at);
    }
    polls
}

fn describe_ours(outcome: Result<RunId, Error>) -> String {
    match outcome {
        Ok(_) => "`Ok(run_id)`".to_owned(),
        Err(err) => {
            let debug = format!("{err:?}");
            let variant = debug.split([' ', '{', '(']).next().unwrap_or("?");
            format!("`Err({variant})`")
        }
    }
}

fn describe_loop(end: LoopEnd) -> String {
    match end {
        LoopEnd::Returned(status) => format!("returns on `{status}`"),
        LoopEnd::Failed(err) => format!("fails: {err}"),
    }
}

/// `count` run times within ±10% of `length`, the same for every waiter.
fn run_times(length: Duration, count: usize) -> Vec<Duration> {
    let mut rng = fastrand::Rng::with_seed(length.as_secs());
    (0..count)
        .map(|_| length.mul_f64(0.9 + 0.2 * rng.f64()))
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()
        .expect("a tokio runtime");
    let real = std::time::Instant::now();
    let (lengths, endings) = runtime.block_on(run());
    println!("{lengths}");
    println!("{endings}");
    println!(
        "Simulated on tokio's paused clock in {:.1} s of real time.",
        real.elapsed().as_secs_f64()
    );
}

async fn run() -> (String, String) {
    let tasks = Arc::new(SimulatedTasks::new().logging_polls());
    let server = LocalServer::start(tasks.clone())
        .await
        .expect("a local server");
    let bench = Bench {
        tasks,
        base_url: server.base_url(),
        camb: paused_clock_camb(&server.base_url()),
        http: baseline_http_client(),
    };
    (lengths_table(&bench).await, endings_table(&bench).await)
}

async fn lengths_table(bench: &Bench) -> String {
    let mut table = String::new();
    let mut on_schedule = (0, 0);
    let mut verdicts = Vec::new();
    table.push_str(
        "| task runs | waiter | requests per task: mean (min – max) | detection lag: mean | lag: max | max lag / run time |\n\
         |---|---|---:|---:|---:|---:|\n",
    );
    for length in LENGTHS {
        let plans: Vec<TaskPlan> = run_times(length, SAMPLES)
            .into_iter()
            .map(|runs_for| TaskPlan {
                runs_for,
                ending: Ending::Success,
            })
            .collect();
        let mut requests = Vec::new();
        let mut max_lag_fraction = Vec::new();
        for waiter in Waiter::ALL {
            let samples = bench.run_many(waiter, &plans, |i| i as u64).await;
            for sample in &samples {
                assert!(sample.ended.is_some(), "{waiter:?} did not end: {sample:?}");
                if let Some(ok) = sample.on_schedule {
                    on_schedule.0 += usize::from(ok);
                    on_schedule.1 += 1;
                }
            }
            let polls: Vec<f64> = samples.iter().map(|s| s.polls as f64).collect();
            let lags: Vec<f64> = samples
                .iter()
                .map(|s| s.lag.expect("a poll saw the end").as_secs_f64())
                .collect();
            let fractions: Vec<f64> = samples
                .iter()
                .zip(&lags)
                .map(|(s, lag)| lag / s.run_time.as_secs_f64())
                .collect();
            let polls = Summary::of(&polls).expect("samples");
            let lags = Summary::of(&lags).expect("samples");
            let fraction = Summary::of(&fractions).expect("samples");
            let _ = writeln!(
                table,
                "| {} | {} | {:.1} ({:.0} – {:.0}) | {} | {} | {:.0}% |",
                human(length),
                waiter.name(),
                polls.mean,
                polls.min,
                polls.max,
                human(Duration::from_secs_f64(lags.mean)),
                human(Duration::from_secs_f64(lags.max)),
                fraction.max * 100.0,
            );
            requests.push(polls);
            max_lag_fraction.push(fraction.max);
        }
        let (ours, sdk) = (requests[0], requests[2]);
        verdicts.push(format!(
            "{}: ours at most {:.0} requests vs the 5 s loop at least {:.0} ({}); ours' worst lag {:.0}% of the run time",
            human(length),
            ours.max,
            sdk.min,
            if ours.max < sdk.min { "fewer" } else { "NOT fewer" },
            max_lag_fraction[0] * 100.0
        ));
    }
    table.push('\n');
    for verdict in verdicts {
        let _ = writeln!(table, "- {verdict}");
    }
    let _ = writeln!(
        table,
        "\nCheck: the server saw our waits poll exactly when their `PollPolicy` says (its delays, each sleep ending on tokio's next 1 ms timer tick), and each wait returned at the poll that saw the end, in {} of {} runs.",
        on_schedule.0, on_schedule.1
    );
    table
}

async fn endings_table(bench: &Bench) -> String {
    let mut table = String::new();
    let _ = writeln!(
        table,
        "{} tasks per column that end after {} ± 10%, each waited for by each waiter. Requests: mean (min – max), counted up to the waiter's end or up to the {} cap.\n",
        ENDING_SAMPLES,
        human(ENDING_AFTER),
        human(CAP)
    );
    table.push_str("| waiter |");
    for ending in Ending::ALL {
        let _ = write!(table, " {} |", ending.as_str());
    }
    table.push_str(" never ends (`PENDING` past the cap) |\n|---|---|---|---|---|---|\n");
    for waiter in Waiter::ALL {
        let _ = write!(table, "| {} |", waiter.name());
        let cases = Ending::ALL
            .map(|ending| (ending, ENDING_AFTER))
            .into_iter()
            .chain([(Ending::Success, NEVER)]);
        for (ending, length) in cases {
            let plans: Vec<TaskPlan> = run_times(length, ENDING_SAMPLES)
                .into_iter()
                .map(|runs_for| TaskPlan { runs_for, ending })
                .collect();
            let samples = bench.run_many(waiter, &plans, |i| 1_000 + i as u64).await;
            let _ = write!(table, " {} |", describe_samples(&samples));
        }
        table.push('\n');
    }
    table
}

/// One cell: how the waits ended, their requests and lag.
fn describe_samples(samples: &[Sample]) -> String {
    let polls: Vec<f64> = samples.iter().map(|s| s.polls as f64).collect();
    let polls = Summary::of(&polls).expect("samples");
    let requests = if polls.min == polls.max {
        format!("{:.0}", polls.mean)
    } else {
        format!("{:.1} ({:.0} – {:.0})", polls.mean, polls.min, polls.max)
    };
    let first = &samples[0];
    let same_end = samples.iter().all(|s| s.ended == first.ended);
    let ended = match (&first.ended, same_end) {
        (Some(ended), true) => ended.clone(),
        (None, true) => format!("**never returns** (still polling at {})", human(CAP)),
        (_, false) => "mixed".to_owned(),
    };
    let lags: Vec<f64> = samples
        .iter()
        .filter_map(|s| s.lag.map(|lag| lag.as_secs_f64()))
        .collect();
    let lag = match Summary::of(&lags) {
        Some(lag) if first.ended.is_some() => format!(
            ", lag {} (max {})",
            human(Duration::from_secs_f64(lag.mean)),
            human(Duration::from_secs_f64(lag.max))
        ),
        _ => String::new(),
    };
    format!("{ended}; {requests} requests{lag}")
}
