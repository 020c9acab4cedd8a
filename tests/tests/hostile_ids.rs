//! Task ids that could change the meaning of a URL either fail before any
//! request is sent or reach the server percent-encoded in one path segment.
//! The assertions are on what the simulator received (the request target
//! exactly as it came off the socket).

use camb_api_ext::{Error, TaskId};
use camb_simulator::{ReceivedRequest, Route, Simulator};
use camb_tests::clients::{camb_client, raw_client};
use percent_encoding::percent_decode_str;

/// Ids a URL could misread: separators, query and fragment marks, escapes,
/// spaces, non-ASCII, dot segments, control characters, nothing at all.
const HOSTILE: &[&str] = &[
    "a/b",
    "a/../b",
    "back\\slash",
    "a?run_id=1",
    "a#fragment",
    "100%",
    "%2e%2e",
    "a%2Fb",
    "a b",
    "ünïcødé-タスク",
    "tab\there",
    "line\nbreak",
    ".",
    "..",
    "",
];

/// The one status request `sim` received, and the task id its path names.
fn only_status_request(sim: &Simulator) -> (ReceivedRequest, Option<String>) {
    let received = sim.received();
    let [request] = received.as_slice() else {
        panic!("expected one request, got {received:?}");
    };
    let path = request.target.split('?').next().unwrap_or_default();
    let id = path
        .strip_prefix("/dub/")
        .filter(|segment| !segment.contains('/'))
        .and_then(|segment| percent_decode_str(segment).decode_utf8().ok())
        .map(|id| id.into_owned());
    (request.clone(), id)
}

#[tokio::test]
async fn camb_rejects_or_encodes_every_hostile_id() {
    for &id in HOSTILE {
        let sim = Simulator::builder().start().await;
        let camb = camb_client(&sim.base_url(), &sim.api_key());

        match TaskId::new(id) {
            Err(Error::InvalidInput { field, .. }) => {
                assert_eq!(field, "task_id");
                assert!(sim.received().is_empty(), "{id:?}: rejected, yet sent");
            }
            Err(other) => panic!("{id:?}: unexpected error {other:?}"),
            Ok(task_id) => {
                // Unknown to the simulator: a 404, not retried.
                let status = camb.status(&task_id).await;
                assert!(
                    matches!(status, Err(Error::NotFound { .. })),
                    "{id:?}: {status:?}"
                );
                let (request, received_id) = only_status_request(&sim);
                assert_eq!(request.route, Route::Status, "{id:?}: {request:?}");
                assert_eq!(
                    received_id.as_deref(),
                    Some(id),
                    "{id:?} arrived as {}",
                    request.target
                );
                assert!(!request.target.contains('#'), "{id:?}: {}", request.target);
            }
        }
    }
}

#[test]
fn camb_rejects_dot_segments_separators_whitespace_empty_and_absurd_ids() {
    let absurd = "x".repeat(TaskId::MAX_LEN + 1);
    for id in [
        ".",
        "..",
        "",
        "a/b",
        "a/../b",
        "back\\slash",
        "a b",
        "tab\there",
        "line\nbreak",
        &absurd,
    ] {
        assert!(
            matches!(
                TaskId::new(id),
                Err(Error::InvalidInput {
                    field: "task_id",
                    ..
                })
            ),
            "{id:?} was accepted"
        );
    }
}

/// A fresh simulator, after the raw client asked it for the status of `id`.
async fn sent_by_raw_client(id: &str) -> Simulator {
    let sim = Simulator::builder().start().await;
    let raw = raw_client(&sim.base_url(), &sim.api_key());
    // The answer does not matter here, only what arrived.
    let _ = raw.get_dub_status().task_id(id.to_owned()).send().await;
    sim
}

#[tokio::test]
async fn the_raw_client_encodes_hostile_ids_into_one_segment() {
    for &id in HOSTILE
        .iter()
        .filter(|id| !matches!(**id, "." | ".." | "" | "back\\slash"))
    {
        let sim = sent_by_raw_client(id).await;

        let (request, received_id) = only_status_request(&sim);
        assert_eq!(
            received_id.as_deref(),
            Some(id),
            "{id:?} arrived as {}",
            request.target
        );
        assert_eq!(
            request.target.matches('?').count(),
            0,
            "{id:?}: {}",
            request.target
        );
    }
}

#[tokio::test]
async fn the_raw_client_sends_dot_segments_backslashes_and_empty_ids_elsewhere() {
    // Known behaviour of progenitor's generated client, documented here:
    // `.` and `\` are not percent-encoded, so the URL parser folds dot
    // segments and reads `\` as `/` (as browsers do for http URLs), and the
    // request goes to another path; an empty id leaves an empty segment.
    // `Camb` rejects all of them before sending (tests above).
    for (id, arrived_at) in [
        (".", "/dub/"),
        ("..", "/"),
        ("", "/dub/"),
        ("back\\slash", "/dub/back/slash"),
    ] {
        let sim = sent_by_raw_client(id).await;

        let received = sim.received();
        assert_eq!(received.len(), 1, "{id:?}: {received:?}");
        assert_eq!(received[0].target, arrived_at, "{id:?}");
        assert_eq!(
            received[0].route,
            Route::Other,
            "{id:?} reached no task route"
        );
    }
}

#[tokio::test]
async fn negative_run_ids_fail_before_any_request() {
    use camb_api_ext::{DubRequest, Language, OutputFormat, RunId, TranscriptFileFormat};

    let sim = Simulator::builder().start().await;
    let camb = camb_client(&sim.base_url(), &sim.api_key());
    let negative = RunId(-1);
    let field_of = |result: Result<(), Error>| match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field_of(camb.result(negative, [Language::FR_FR]).await.map(drop)),
        "run_id"
    );
    assert_eq!(
        field_of(
            camb.results([(RunId(1), [Language::FR_FR]), (negative, [Language::FR_FR])])
                .await
                .map(drop)
        ),
        "run_id"
    );
    assert_eq!(
        field_of(
            camb.transcript(negative, Language::FR_FR, TranscriptFileFormat::Srt)
                .await
                .map(drop)
        ),
        "run_id"
    );
    assert_eq!(
        field_of(
            camb.export(negative, Language::FR_FR, &OutputFormat::Wav)
                .await
                .map(drop)
        ),
        "run_id"
    );
    let create = DubRequest::new(
        "https://example.com/talk.mp4",
        Language::EN_US,
        [Language::FR_FR],
    )
    .run_id(negative);
    assert_eq!(field_of(camb.create_dub(&create).await.map(drop)), "run_id");
    assert!(sim.received().is_empty(), "{:?}", sim.received());
}
