//! The generic calls of every task family of the spec (`camb_api_ext::tasks`),
//! over real HTTP on a paused clock, through the transcription family: create,
//! status, wait (with what `x-task-states` says each status means), result,
//! batch results and the whole flow, none of them written for transcription.

mod common;

use camb_api_ext::{
    Error, RunId, Task, TaskKind, TaskState, TaskStatus, file_part,
    tasks::{AudioSeparation, Dub, Transcription},
};
use common::{KEY, camb, counting, json, status, task};
use httpmock::prelude::*;
use serde_json::json as body;

#[tokio::test(start_paused = true)]
async fn create_wait_and_fetch_a_task_of_a_family_by_its_marker() {
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/transcribe")
                .header("x-api-key", KEY)
                .body_includes("name=\"language\"\r\n\r\n76\r\n");
            then.status(200).json_body(body!({"task_id": "t1"}));
        })
        .await;
    let poll = server
        .mock_async(|when, then| {
            when.method(GET).path("/transcribe/t1");
            then.respond_with(counting(|n| match n {
                1 => status("PENDING", None),
                _ => status("SUCCESS", Some(5)),
            }));
        })
        .await;
    let segment = body!({"start": 0.0, "end": 1.0, "text": "Hi", "speaker": "A"});
    let segments = body!({"transcript": [segment]});
    let result = server
        .mock_async(|when, then| {
            when.method(GET).path("/transcription-result/5");
            then.status(200).json_body(segments.clone());
        })
        .await;
    let camb = camb(&server);

    let task_id = camb
        .create_task::<Transcription, _>(|call| async move {
            Ok(call.body_map(|form| {
                form.language(76)
                    .media_url("https://example.com/a.mp4".to_owned())
            }))
        })
        .await
        .unwrap();
    assert_eq!(task_id.as_str(), "t1");
    let run_id = camb.wait_for_task::<Transcription>(&task_id).await.unwrap();
    assert_eq!(run_id, RunId(5));
    let answer = camb.task_result::<Transcription>(run_id).await.unwrap();
    assert!(format!("{answer:?}").contains("Hi"), "{answer:?}");
    poll.assert_calls_async(2).await;

    // The whole flow, configured like any wait.
    let mut seen = Vec::new();
    let answer = camb
        .run_task::<Transcription, _>(
            |call| async move { Ok(call.body_map(|form| form.language(76))) },
        )
        .on_update(|update| seen.push(update.status.status.clone()))
        .await
        .unwrap();
    assert!(format!("{answer:?}").contains("Hi"), "{answer:?}");
    assert_eq!(seen, [TaskStatus::Success]);
    result.assert_calls_async(2).await;
    create.assert_calls_async(2).await;
}

#[tokio::test(start_paused = true)]
async fn a_failure_status_names_the_family_and_the_task() {
    let server = MockServer::start_async().await;
    for (id, answer) in [
        (
            "t-error",
            body!({"status": "ERROR", "message": "bad media"}),
        ),
        ("t-timeout", body!({"status": "TIMEOUT"})),
        ("t-credits", body!({"status": "PAYMENT_REQUIRED"})),
    ] {
        server
            .mock_async(|when, then| {
                when.method(GET).path(format!("/transcribe/{id}"));
                then.status(200).json_body(answer);
            })
            .await;
    }
    let camb = camb(&server);
    let kind = TaskKind::Family(Transcription::NAME);
    match camb.wait_for_task::<Transcription>(&task("t-error")).await {
        Err(Error::TaskFailed {
            kind: k, message, ..
        }) => {
            assert_eq!(k, kind);
            assert_eq!(message.as_deref(), Some("bad media"));
        }
        other => panic!("{other:?}"),
    }
    let err = camb
        .wait_for_task::<Transcription>(&task("t-timeout"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::TaskTimedOut { kind: k, .. } if k == kind),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with("transcription task t-timeout"),
        "{err}"
    );
    let err = camb
        .wait_for_task::<Transcription>(&task("t-credits"))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::PaymentRequired { kind: Some(k), .. } if k == kind),
        "{err:?}"
    );
    // Dubs keep their own kind.
    assert_eq!(
        TaskKind::Family("audio_separation").to_string(),
        "audio separation task"
    );
    assert_eq!(Dub::NAME, "dub");
}

#[tokio::test(start_paused = true)]
async fn status_and_batch_results_are_generic_too() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/transcribe/t1");
            then.status(200).json_body(body!({"status": "TRANSCODING"}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/transcription-results")
                .json_body(body!({"run_ids": [1, 2]}));
            then.status(200)
                .json_body(body!({"1": {"transcript": []}, "9": {"transcript": []}}));
        })
        .await;
    let camb = camb(&server);
    let status = camb
        .task_status::<Transcription>(&task("t1"))
        .await
        .unwrap();
    assert_eq!(status.status, TaskStatus::Unknown("TRANSCODING".into()));
    let results = camb
        .task_results::<Transcription>([RunId(1), RunId(2), RunId(1)])
        .await
        .unwrap();
    assert_eq!(results.len(), 2);
    assert!(results[0].1.is_ok());
    assert!(matches!(
        results[1].1,
        Err(Error::ResultMissing { run_id: RunId(2) })
    ));
}

#[test]
fn what_each_status_means_comes_from_the_spec() {
    let state = |value: &str| camb_api_ext::camb_api::task::state_of(value);
    assert_eq!(state("SUCCESS"), Some(TaskState::Done));
    assert_eq!(state("PENDING"), Some(TaskState::Waiting));
    for failed in ["ERROR", "TIMEOUT", "PAYMENT_REQUIRED"] {
        assert_eq!(state(failed), Some(TaskState::Failed), "{failed}");
    }
    assert_eq!(state("TRANSCODING"), None);
}

#[tokio::test(start_paused = true)]
async fn a_story_answered_at_once_is_the_story_not_a_task() {
    use camb_api_ext::{Started, camb_api::multipart::FilePart, tasks::Story};

    let server = MockServer::start_async().await;
    let details = body!({
        "story_title": "One", "created_at": "2026-12-07T12:00:00Z",
        "source_language": 1, "studio_url": "https://studio.example/s/7"
    });
    let create = server
        .mock_async(|when, then| {
            when.method(POST).path("/story").body_includes("Once upon");
            then.status(200)
                .json_body(body!({"run_id": 7, "story_details": details}));
        })
        .await;
    let camb = camb(&server);
    let started = camb
        .start_task::<Story, _>(|call| async {
            Ok(call
                .body_map(|form| form.source_language(1))
                .file(FilePart::bytes(b"Once upon a time.".as_slice(), "one.txt")))
        })
        .await
        .unwrap();
    match started {
        Started::Done(story) => {
            assert_eq!(story.run_id, 7);
            assert_eq!(story.story_details.studio_url, "https://studio.example/s/7");
        }
        Started::Task(task_id) => panic!("a task {task_id} from a story answer"),
    }
    // The generic create has no task to give: it says so, with the answer.
    match camb
        .create_task::<Story, _>(|call| async move {
            Ok(call
                .body_map(|form| form.source_language(1))
                .file(FilePart::bytes(b"Once upon a time.".as_slice(), "one.txt")))
        })
        .await
    {
        Err(Error::UnusableResponse { reason, excerpt }) => {
            assert!(reason.contains("task_id"), "{reason}");
            assert!(excerpt.contains("story_details"), "{excerpt}");
        }
        other => panic!("{other:?}"),
    }
    create.assert_calls_async(2).await;
}

#[tokio::test(start_paused = true)]
async fn a_project_setup_is_waited_for_until_its_status_lists_a_run() {
    let server = MockServer::start_async().await;
    let project = body!({
        "run_id": 9,
        "project_details": {
            "project_name": "p", "created_at": "2026-12-07T12:00:00Z",
            "source_language": 1, "target_languages": [76],
            "studio_url": "https://studio.example/p/9"
        }
    });
    let runs = project.clone();
    let poll = server
        .mock_async(|when, then| {
            when.method(GET).path("/project-setup/p1");
            then.respond_with(counting(move |n| match n {
                1 | 2 => common::json(200, body!([])),
                _ => common::json(200, body!([runs])),
            }));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/project-setup/never");
            then.status(200).json_body(body!([]));
        })
        .await;
    let camb = camb(&server);

    let mut seen = Vec::new();
    let run_id = camb
        .wait_for_project_setup(&task("p1"))
        .on_update(|update| seen.push(update.status.len()))
        .await
        .unwrap();
    assert_eq!(run_id, RunId(9));
    assert_eq!(seen, [0, 0, 1]);
    poll.assert_calls_async(3).await;

    // Its status never says failed: a setup that makes no run ends at the
    // deadline, named as a project setup.
    match camb
        .wait_for_project_setup(&task("never"))
        .deadline(std::time::Duration::from_secs(600))
        .await
    {
        Err(Error::DeadlineExceeded {
            kind: TaskKind::Family("project_setup"),
            polls,
            ..
        }) => assert!(polls > 3, "{polls}"),
        other => panic!("{other:?}"),
    }
}

/// The generic create of a multipart family with a file from disk (audio
/// separation's `media_file`): refused once with a 429 (the server did not
/// act), it is sent again with the file opened afresh, and the second
/// attempt carries the whole file, not what the first one left of it.
/// Real time: the file is read on tokio's blocking pool.
#[tokio::test]
async fn a_resent_create_sends_the_whole_file_again() {
    // A few hundred kilobytes (streamed in many chunks), one line each.
    let content: String = (0..20_000).map(|n| format!("sample {n:05}\n")).collect();
    let path = std::env::temp_dir().join(format!("camb-mix-{}.wav", std::process::id()));
    std::fs::write(&path, &content).unwrap();
    let server = MockServer::start_async().await;
    let create = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/audio-separation")
                .header("x-api-key", KEY)
                .body_includes("name=\"media_file\"")
                .body_includes(content.as_str());
            then.respond_with(counting(|n| match n {
                1 => httpmock::HttpMockResponse::builder()
                    .status(429)
                    .header("retry-after-ms", "10")
                    .build(),
                _ => json(200, body!({"task_id": "sep-1"})),
            }));
        })
        .await;
    let camb = camb(&server);

    let task_id = camb
        .create_task::<AudioSeparation, _>(|call| {
            let path = path.clone();
            async move { Ok(call.media_file(file_part(path).await?)) }
        })
        .await
        .unwrap();

    assert_eq!(task_id.as_str(), "sep-1");
    create.assert_calls_async(2).await;
    std::fs::remove_file(&path).unwrap();

    // A file that cannot be opened ends the create before any request.
    let missing = camb
        .create_task::<AudioSeparation, _>(|call| {
            let path = path.clone();
            async move { Ok(call.media_file(file_part(path).await?)) }
        })
        .await;
    assert!(
        matches!(&missing, Err(Error::ReadFile { path: gone, .. }) if *gone == path),
        "{missing:?}"
    );
    create.assert_calls_async(2).await;
}
