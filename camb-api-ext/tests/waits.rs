//! Waiting for dubs over real HTTP on a paused clock: every final status,
//! unknown statuses, the deadline, a dropped wait, many waits, the full flow.

mod common;

use std::{
    collections::HashSet,
    future::IntoFuture,
    sync::{Arc, Mutex},
    time::Duration,
};

use camb_api_ext::{
    Error, ExceptionReason, PollPolicy, RunId, StatusUpdate, TaskId, TaskKind, TaskStatus,
    WaitLimits,
};
use common::{KEY, builder, camb, counting, json, status, task};
use futures_util::StreamExt;
use httpmock::prelude::*;
use serde_json::json as body;
use tokio::{sync::Notify, time::Instant};

/// Serves `GET /dub/t1`: `PENDING` once, then `last`.
async fn pending_then(server: &MockServer, last: serde_json::Value) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1").header("x-api-key", KEY);
            then.respond_with(counting(move |n| match n {
                1 => status("PENDING", None),
                _ => json(200, last.clone()),
            }));
        })
        .await
}

/// Serves `GET /dub/t1`: always `answer` with `code`.
async fn always_t1(
    server: &MockServer,
    code: u16,
    answer: serde_json::Value,
) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1").header("x-api-key", KEY);
            then.status(code).json_body(answer);
        })
        .await
}

/// Waits for task `t1` with the default policies.
async fn wait_t1(server: &MockServer) -> Result<RunId, Error> {
    camb(server).wait_for_dub(&task("t1")).await
}

#[tokio::test(start_paused = true)]
async fn success_gives_the_run_id() {
    let server = MockServer::start_async().await;
    let mock = pending_then(&server, body!({"status": "SUCCESS", "run_id": 31})).await;
    assert_eq!(wait_t1(&server).await.unwrap(), RunId(31));
    assert_eq!(mock.calls_async().await, 2);
}

#[tokio::test(start_paused = true)]
async fn error_gives_task_failed_with_reason_and_message() {
    let server = MockServer::start_async().await;
    let error = body!({"status": "ERROR", "run_id": null,
        "exception_reason": "SOURCE_NOT_FOUND", "message": {"code": 7, "text": "gone"}});
    pending_then(&server, error).await;
    match wait_t1(&server).await {
        Err(Error::TaskFailed {
            kind,
            task_id,
            exception_reason,
            message,
        }) => {
            assert_eq!(kind, TaskKind::Dub);
            assert_eq!(task_id.as_str(), "t1");
            assert_eq!(exception_reason, Some(ExceptionReason::SourceNotFound));
            assert_eq!(message.as_deref(), Some(r#"{"code":7,"text":"gone"}"#));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn an_unknown_exception_reason_is_kept() {
    let server = MockServer::start_async().await;
    let error = body!({"status": "ERROR", "exception_reason": "COSMIC_RAYS", "message": "zap"});
    pending_then(&server, error).await;
    let err = wait_t1(&server).await.unwrap_err();
    assert!(
        matches!(err, Error::TaskFailed { exception_reason: Some(ExceptionReason::Unknown(ref r)), .. } if r == "COSMIC_RAYS")
    );
    assert_eq!(err.to_string(), "dubbing task t1 failed (COSMIC_RAYS): zap");
}

#[tokio::test(start_paused = true)]
async fn timeout_gives_the_server_timeout_error() {
    let server = MockServer::start_async().await;
    pending_then(&server, body!({"status": "TIMEOUT", "message": "too long"})).await;
    let err = wait_t1(&server).await.unwrap_err();
    assert!(
        matches!(err, Error::TaskTimedOut { ref message, .. } if message.as_deref() == Some("too long"))
    );
    assert!(!err.is_retryable());
}

#[tokio::test(start_paused = true)]
async fn payment_required_gives_the_payment_error() {
    let server = MockServer::start_async().await;
    pending_then(&server, body!({"status": "PAYMENT_REQUIRED"})).await;
    let err = wait_t1(&server).await.unwrap_err();
    assert!(
        matches!(err, Error::PaymentRequired { task_id: Some(ref id), kind: Some(TaskKind::Dub), .. } if id.as_str() == "t1")
    );
    assert!(
        err.to_string()
            .starts_with("payment required for dubbing task t1: "),
        "{err}"
    );
    assert_eq!(err.status_code(), None);
}

#[tokio::test(start_paused = true)]
async fn an_unknown_status_then_success_is_seen_in_the_stream() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 => status("PENDING", None),
                2 => status("QUEUED_FOR_GPU", None),
                _ => status("SUCCESS", Some(8)),
            }));
        })
        .await;
    let steady =
        PollPolicy::default().with_backoff(PollPolicy::default().backoff().with_jitter(0.0));
    let client = builder(&server).poll_policy(steady).build().unwrap();
    let updates: Vec<StatusUpdate> = client
        .watch_dub(&task("t1"))
        .map(|update| update.unwrap())
        .collect()
        .await;
    let statuses: Vec<TaskStatus> = updates.iter().map(|u| u.status.status.clone()).collect();
    assert_eq!(
        statuses,
        [
            TaskStatus::Pending,
            TaskStatus::Unknown("QUEUED_FOR_GPU".into()),
            TaskStatus::Success
        ]
    );
    assert_eq!(updates[2].status.run_id, Some(RunId(8)));
    // Polls at 0, 2 and 2 + 3 s.
    assert_eq!(
        updates[1].to_string(),
        "task t1: QUEUED_FOR_GPU (poll 2, 2.0 s elapsed, next poll in 3.0 s)"
    );
    assert_eq!(
        updates[2].to_string(),
        "task t1: SUCCESS, run 8 (poll 3, 5.0 s elapsed)"
    );
}

#[tokio::test(start_paused = true)]
async fn an_hour_of_polling_ends_with_one_final_poll_at_the_deadline() {
    let server = MockServer::start_async().await;
    let mock = always_t1(&server, 200, body!({"status": "PENDING"})).await;
    let hour = Duration::from_secs(3600);
    let seeded = PollPolicy::default().backoff().with_jitter_seed(42);
    let policy = PollPolicy::default()
        .with_backoff(seeded)
        .with_deadline(Some(hour));
    let mut seen: Vec<Duration> = Vec::new();
    let started = Instant::now();
    let err = camb(&server)
        .wait(&task("t1"))
        .poll_policy(policy.clone())
        .on_update(|update| seen.push(update.elapsed))
        .await
        .unwrap_err();

    let Error::DeadlineExceeded {
        elapsed,
        polls,
        last_status,
        ..
    } = err
    else {
        panic!("{err:?}");
    };
    assert_eq!(elapsed, hour);
    assert_eq!(started.elapsed(), hour);
    assert_eq!(last_status, Some(TaskStatus::Pending));
    assert_eq!(polls as usize, mock.calls_async().await);
    // The same polls as the policy's schedule, but for the paused clock's
    // millisecond rounding: the last gap is cut to land on the deadline.
    let schedule: Vec<Duration> = policy.schedule().collect();
    assert_eq!(polls as usize, schedule.len());
    assert_eq!(
        seen.len() + 1,
        schedule.len(),
        "the final poll ends the wait instead of an update"
    );
    assert!((100..160).contains(&polls), "{polls} polls in an hour");
}

#[tokio::test(start_paused = true)]
async fn a_dropped_wait_sends_no_more_requests() {
    let server = MockServer::start_async().await;
    let mock = always_t1(&server, 200, body!({"status": "PENDING"})).await;
    let client = camb(&server);
    let polls = Arc::new(Mutex::new(0));
    let third_update = Arc::new(Notify::new());
    let (counted, notify) = (polls.clone(), third_update.clone());
    let wait = client
        .wait(&task("t1"))
        .on_update(move |_| {
            let mut polls = counted.lock().unwrap();
            *polls += 1;
            if *polls == 3 {
                notify.notify_one();
            }
        })
        .into_future();
    // Not a timer: on a paused clock a pending timer fires while the wait
    // waits on its socket.
    tokio::select! {
        _ = wait => panic!("a task that stays PENDING cannot finish"),
        _ = third_update.notified() => {}
    }
    assert_eq!(mock.calls_async().await, 3);
    assert_eq!(*polls.lock().unwrap(), 3);
    tokio::time::sleep(Duration::from_secs(7200)).await;
    assert_eq!(mock.calls_async().await, 3);
}

#[tokio::test(start_paused = true)]
async fn unauthorized_ends_a_wait_with_a_single_request() {
    let server = MockServer::start_async().await;
    let mock = always_t1(&server, 401, body!({"detail": "bad key"})).await;
    let err = wait_t1(&server).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }));
    assert_eq!(mock.calls_async().await, 1);
}

#[tokio::test(start_paused = true)]
async fn a_wait_rides_out_a_burst_of_5xx() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path("/dub/t1");
            then.respond_with(counting(|n| match n {
                1 => status("PENDING", None),
                // More than one request's retries: the wait itself goes on.
                2..=8 => json(503, body!({"detail": "busy"})),
                _ => status("SUCCESS", Some(2)),
            }));
        })
        .await;
    assert_eq!(wait_t1(&server).await.unwrap(), RunId(2));
    assert_eq!(mock.calls_async().await, 9);
}

#[tokio::test(start_paused = true)]
async fn many_waits_give_exactly_one_outcome_per_task() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path_includes("/dub/task-");
            then.respond_with(|request: &httpmock::HttpMockRequest| {
                let i: i64 = request
                    .uri()
                    .path()
                    .rsplit('-')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                match i % 3 {
                    0 => status("SUCCESS", Some(i)),
                    1 => status("ERROR", None),
                    _ => status("PAYMENT_REQUIRED", None),
                }
            });
        })
        .await;
    let client = camb(&server);
    let ids: Vec<TaskId> = (0..60).map(|i| task(&format!("task-{i}"))).collect();
    let outcomes: Vec<(TaskId, Result<RunId, Error>)> = client
        .wait_for_dubs(ids.clone(), WaitLimits::default())
        .collect()
        .await;
    assert_eq!(outcomes.len(), 60);
    let distinct: HashSet<&TaskId> = outcomes.iter().map(|(id, _)| id).collect();
    assert_eq!(distinct.len(), 60);
    for (id, outcome) in &outcomes {
        let i: i64 = id.as_str().rsplit('-').next().unwrap().parse().unwrap();
        match (i % 3, outcome) {
            (0, Ok(run_id)) => assert_eq!(*run_id, RunId(i)),
            (1, Err(Error::TaskFailed { task_id, .. })) => assert_eq!(task_id, id),
            (
                2,
                Err(Error::PaymentRequired {
                    task_id: Some(task_id),
                    ..
                }),
            ) => assert_eq!(task_id, id),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test(start_paused = true)]
async fn dub_creates_waits_and_fetches_the_result() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/dub").header("x-api-key", KEY);
            then.status(200).json_body(body!({"task_id": "t1"}));
        })
        .await;
    pending_then(&server, body!({"status": "SUCCESS", "run_id": 12})).await;
    let result = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/dub-result/12")
                .header("x-api-key", KEY);
            // The official SDKs' spelling of the URL fields.
            then.status(200).json_body(body!({
                "video_url": "https://cdn.example/12.mp4",
                "audio_url": "https://cdn.example/12.wav",
                "transcript": [{"start": 0.0, "end": 1.5, "text": "Hola", "speaker": "A"}]
            }));
        })
        .await;
    let spanish = camb_api_ext::Language::ES_ES;
    let request = camb_api_ext::DubRequest::new(
        "https://example.com/v.mp4",
        camb_api_ext::Language::EN_US,
        [spanish],
    );
    let client = builder(&server).user_agent("waits-test/1").build().unwrap();
    let mut seen = Vec::new();
    let dubbed = client
        .dub(&request)
        .deadline(Duration::from_secs(60))
        .on_update(|update| seen.push(update.status.status.clone()))
        .await
        .unwrap();
    assert_eq!(seen, [TaskStatus::Pending, TaskStatus::Success]);
    // A single result, labelled with the request's one target language.
    let output = dubbed.get(spanish).expect("the Spanish output");
    assert_eq!(dubbed.len(), 1);
    assert_eq!(
        output.video_url.as_deref(),
        Some("https://cdn.example/12.mp4")
    );
    assert_eq!(
        output.audio_url.as_deref(),
        Some("https://cdn.example/12.wav")
    );
    assert_eq!(output.transcript[0].text, "Hola");
    assert_eq!(
        (create.calls_async().await, result.calls_async().await),
        (1, 1)
    );
}

#[tokio::test(start_paused = true)]
async fn a_per_call_deadline_ends_the_wait_with_a_readable_message() {
    let server = MockServer::start_async().await;
    let mock = always_t1(&server, 200, body!({"status": "PENDING"})).await;
    let started = Instant::now();
    let err = camb(&server)
        .wait_for_dub(&task("t1"))
        .deadline(Duration::from_millis(2_500))
        .await
        .unwrap_err();
    assert_eq!(started.elapsed(), Duration::from_millis(2_500));
    // Polls at 0 and 2 s, then the final one right at the deadline.
    assert_eq!(mock.calls_async().await, 3);
    assert!(
        matches!(
            err,
            Error::DeadlineExceeded {
                kind: TaskKind::Dub,
                polls: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "gave up waiting for dubbing task t1 after 2.5 s and 3 polls (last status: PENDING)"
    );
}

#[tokio::test(start_paused = true)]
async fn a_deadline_set_after_a_poll_policy_wins() {
    let server = MockServer::start_async().await;
    always_t1(&server, 200, body!({"status": "PENDING"})).await;
    let long = PollPolicy::default().with_deadline(Some(Duration::from_secs(3600)));
    let started = Instant::now();
    let err = camb(&server)
        .wait_for_dub(&task("t1"))
        .deadline(Duration::from_secs(90))
        .poll_policy(long)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert_eq!(started.elapsed(), Duration::from_secs(90));
    assert!(err.to_string().contains("after 1 min 30 s and"), "{err}");
}
