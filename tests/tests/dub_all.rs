//! `Camb::dub_all` against the simulator: 1,000 inputs under shared limits,
//! every outcome exactly once, nothing created or fetched twice, and a
//! resume after a crash that creates nothing again.

use std::{
    collections::{BTreeMap, BTreeSet},
    num::NonZeroUsize,
    time::Duration,
};

use camb_api_ext::{
    Camb, DubEvent, DubJob, DubRequest, Error, ExceptionReason, Language, RunId, TaskId, WaitLimits,
};
use camb_simulator::{Fault, Outcome, Route, Simulator, TaskScript};
use futures_util::StreamExt;

const INPUTS: usize = 1_000;
const MAX_IN_FLIGHT: usize = 8;
const MIN_INTERVAL: Duration = Duration::from_millis(20);

fn limits() -> WaitLimits {
    WaitLimits::default()
        .with_max_in_flight(NonZeroUsize::new(MAX_IN_FLIGHT).unwrap())
        .with_min_interval(MIN_INTERVAL)
}

/// Input `i`: every 10th fails, every 25th runs out of credits, the rest
/// dub into one or two languages.
fn request(i: usize) -> DubRequest {
    let targets = if i.is_multiple_of(2) {
        vec![Language::FR_FR]
    } else {
        vec![Language::FR_FR, Language::ES_ES]
    };
    DubRequest::new(
        format!("https://example.com/{i}.mp4"),
        Language::EN_US,
        targets,
    )
}

fn simulator() -> camb_simulator::SimulatorBuilder {
    let mut builder = Simulator::builder();
    for i in 0..INPUTS {
        let url = format!("https://example.com/{i}.mp4");
        let script = if i % 10 == 3 {
            TaskScript::new(Outcome::error(ExceptionReason::SourceNotFound, "gone"))
        } else if i % 25 == 7 {
            TaskScript::new(Outcome::PaymentRequired)
        } else {
            TaskScript::default().pending_polls((i % 4) as u32)
        };
        builder = builder.script_for_video_url(url, script);
    }
    // Every request is held a moment (real time), so that requests a client
    // has in flight together are held together and counted.
    let held = |n| Fault::Latency(Duration::from_millis(1)).repeated(n);
    builder
        .faults(Route::Create, held(INPUTS))
        .faults(Route::Status, held(4 * INPUTS))
        .faults(Route::Results, held(INPUTS))
}

/// Everything a run of `dub_all` yielded, per key.
#[derive(Default)]
struct Seen {
    created: BTreeMap<usize, (TaskId, DubRequest)>,
    /// Tasks given back as `DubJob::Created`.
    resumed: BTreeMap<usize, TaskId>,
    finished: BTreeMap<usize, Result<camb_api_ext::DubOutputs, Error>>,
    progress: usize,
}

impl Seen {
    fn record(&mut self, event: DubEvent<usize>) {
        match event {
            DubEvent::Created {
                key,
                task_id,
                request,
            } => {
                assert!(
                    !self.finished.contains_key(&key),
                    "{key} created after it finished"
                );
                let before = self.created.insert(key, (task_id, request));
                assert!(before.is_none(), "{key} created twice");
            }
            DubEvent::Progress { key, update } => {
                assert!(
                    !self.finished.contains_key(&key),
                    "{key}: progress after the end"
                );
                let task_id = self.created.get(&key).map(|c| &c.0);
                assert_eq!(Some(&update.task_id), task_id.or(self.resumed.get(&key)));
                self.progress += 1;
            }
            DubEvent::Finished {
                key,
                request,
                task_id,
                run_id,
                outcome,
            } => {
                assert_eq!(
                    request,
                    self::request(key),
                    "{key}: another input's request"
                );
                if let Ok(outputs) = &outcome {
                    assert_eq!(Some(outputs.run_id()), run_id);
                }
                assert!(task_id.is_some(), "{key}: every create succeeds here");
                let before = self.finished.insert(key, outcome);
                assert!(before.is_none(), "{key} finished twice");
            }
            other => panic!("an event this test does not know: {other:?}"),
        }
    }
}

/// The run ids each `POST /dubbing-results` asked for.
fn batches(sim: &Simulator) -> Vec<Vec<i64>> {
    sim.received()
        .into_iter()
        .filter(|request| request.route == Route::Results)
        .map(|request| {
            let body: serde_json::Value = serde_json::from_str(&request.body).unwrap();
            serde_json::from_value(body["run_ids"].clone()).unwrap()
        })
        .collect()
}

fn check_outcome(key: usize, outcome: &Result<camb_api_ext::DubOutputs, Error>) {
    match outcome {
        Err(Error::TaskFailed { .. }) if key % 10 == 3 => {}
        Err(Error::PaymentRequired {
            task_id: Some(_), ..
        }) if key % 25 == 7 && key % 10 != 3 => {}
        Ok(outputs) if key % 10 != 3 && key % 25 != 7 => {
            let expected: BTreeSet<Language> =
                request(key).all_target_languages().into_iter().collect();
            let got: BTreeSet<Language> = outputs.iter().map(|o| o.language).collect();
            assert_eq!(got, expected, "{key}");
        }
        other => panic!("{key}: {other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_thousand_dubs_under_shared_limits_each_outcome_once() {
    let sim = simulator().start().await;
    let camb = sim.camb().unwrap();
    let started = tokio::time::Instant::now();

    let mut seen = Seen::default();
    let mut events = camb.dub_all((0..INPUTS).map(|i| (i, request(i))), limits());
    while let Some(event) = events.next().await {
        seen.record(event);
    }
    let elapsed = started.elapsed();

    // Nothing lost: one outcome per input, the right one.
    assert_eq!(seen.finished.len(), INPUTS);
    for (key, outcome) in &seen.finished {
        check_outcome(*key, outcome);
    }
    assert!(seen.progress >= INPUTS, "{}", seen.progress);
    // Nothing created twice.
    assert_eq!(sim.requests(Route::Create), INPUTS);
    assert_eq!(seen.created.len(), INPUTS);
    // Every finished run fetched once, in batches, never one by one.
    let batches = batches(&sim);
    let fetched: Vec<i64> = batches.iter().flatten().copied().collect();
    let unique: BTreeSet<i64> = fetched.iter().copied().collect();
    assert_eq!(fetched.len(), unique.len(), "a run fetched twice");
    let succeeded = seen.finished.values().filter(|o| o.is_ok()).count();
    assert_eq!(unique.len(), succeeded);
    assert!(batches.len() < succeeded / 5, "{} batches", batches.len());
    assert!(
        batches
            .iter()
            .all(|b| b.len() <= camb_api_ext::RESULTS_PER_REQUEST)
    );
    assert_eq!(sim.requests(Route::Result), 0);
    // The limits held over creates, polls and fetches together.
    assert!(
        sim.most_requests_held() <= MAX_IN_FLIGHT,
        "{}",
        sim.most_requests_held()
    );
    assert!(sim.most_requests_held() > 1, "requests never overlapped");
    let requests = sim.received().len() as u32;
    assert!(
        elapsed >= MIN_INTERVAL * (requests - 1),
        "{requests} requests in {elapsed:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn after_a_crash_the_stored_tasks_are_resumed_not_created_again() {
    let sim = simulator().start().await;
    let camb = sim.camb().unwrap();
    let inputs = 200;

    // The first run stops (the process dies) after 60 tasks were stored.
    let mut stored: Vec<DubJob<usize>> = Vec::new();
    {
        let mut events = camb.dub_all((0..inputs).map(|i| (i, request(i))), limits());
        while let Some(event) = events.next().await {
            if let Some(job) = event.resume_job() {
                // What an application writes to its store, read back.
                let text = serde_json::to_string(&job).unwrap();
                stored.push(serde_json::from_str(&text).unwrap());
                if stored.len() == 60 {
                    break;
                }
            }
        }
    }
    // Creates still in flight at the crash reach the server all the same
    // (it counts a request once answered, after its real-time latency).
    std::thread::sleep(Duration::from_millis(200));
    let created_before = sim.requests(Route::Create);
    // Those, and those answered but not yet yielded, are the crash's loss:
    // at most what the limits let be in flight.
    assert!(created_before - 60 <= 2 * MAX_IN_FLIGHT, "{created_before}");
    let stored_keys: BTreeSet<usize> = stored
        .iter()
        .map(|job| match job {
            DubJob::Created { key, .. } => *key,
            other => panic!("{other:?}"),
        })
        .collect();

    // The restart: the stored tasks, and the inputs never stored as new.
    let jobs = stored.into_iter().chain(
        (0..inputs)
            .filter(|i| !stored_keys.contains(i))
            .map(|i| DubJob::from((i, request(i)))),
    );
    let mut seen = Seen::default();
    let jobs: Vec<DubJob<usize>> = jobs.collect();
    for job in &jobs {
        if let DubJob::Created { key, task_id, .. } = job {
            seen.resumed.insert(*key, task_id.clone());
        }
    }
    let mut events = camb.dub_all(jobs, limits());
    while let Some(event) = events.next().await {
        seen.record(event);
    }
    assert_eq!(seen.finished.len(), inputs);
    for (key, outcome) in &seen.finished {
        check_outcome(*key, outcome);
    }
    // No stored task was created again; only inputs never stored were.
    assert!(seen.created.keys().all(|key| !stored_keys.contains(key)));
    assert_eq!(seen.created.len(), inputs - stored_keys.len());
    assert_eq!(
        sim.requests(Route::Create),
        created_before + inputs - stored_keys.len()
    );
}

#[tokio::test(start_paused = true)]
async fn a_create_that_fails_is_that_inputs_outcome_and_errors_clone() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().unwrap();
    let bad = DubRequest::new(
        "ftp://example.com/a.mp4",
        Language::EN_US,
        [Language::FR_FR],
    );
    let good = request(0);
    let mut events = camb.dub_all([("bad", bad), ("good", good)], WaitLimits::default());
    let mut finished = BTreeMap::new();
    while let Some(event) = events.next().await {
        if let DubEvent::Finished {
            key,
            task_id,
            outcome,
            ..
        } = event
        {
            finished.insert(key, (task_id, outcome));
        }
    }
    let (task_id, outcome) = &finished["bad"];
    assert_eq!(task_id, &None);
    let err = outcome.as_ref().unwrap_err().clone();
    assert!(
        matches!(
            err,
            Error::InvalidInput {
                field: "video_url",
                ..
            }
        ),
        "{err}"
    );
    let (_, outcome) = &finished["good"];
    assert_eq!(
        outcome.as_ref().unwrap().run_id(),
        outcome.clone().unwrap().run_id()
    );
    assert!(outcome.as_ref().unwrap().get(Language::FR_FR).is_some());
    assert_eq!(sim.requests(Route::Create), 1);
    let _: fn(Camb) -> Camb = |camb| camb.clone();
    let _ = RunId(0);
}
