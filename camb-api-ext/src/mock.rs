//! Contract tests of code that uses [`Camb`](crate::Camb), against an
//! httpmock server: the typed helpers generated from the spec (one per
//! operation, each documented with the `Camb` method it stands for; search
//! the docs for the method's name),
//! [`DubRequest::to_body`](crate::DubRequest::to_body) for the exact body a
//! create sends, and [`status_sequence`] for a task that answers `PENDING` a
//! few times before it ends. The bodies the helpers match and answer with
//! (`then.ok(&..)`: [`DubbedRunInfo`](crate::types::DubbedRunInfo),
//! [`StringMap`](crate::types::StringMap),
//! [`LanguageInput`](crate::types::LanguageInput),
//! [`TaskIdResponse`](crate::types::TaskIdResponse), ...) are documented with
//! their fields in [`types`](crate::types).
//!
//! For tests of whole flows, the `camb-simulator` crate's simulator is the
//! easier tool: state, scripted tasks and faults, and a ready client.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use camb_api_ext::mock::{MockServerExt, httpmock::MockServer, status_sequence};
//! use camb_api_ext::types::TaskIdResponse;
//! use camb_api_ext::{Camb, DubRequest, Language, RunId, TaskId};
//!
//! let server = MockServer::start_async().await;
//! let request = DubRequest::new("https://example.com/a.mp4", Language::EN_US, [Language::FR_FR]);
//! let create = server.end_to_end_dubbing(|when, then| {
//!     when.body(&request.to_body().unwrap());
//!     then.ok(&TaskIdResponse { task_id: Some("t-1".into()), ..Default::default() });
//! });
//! let task_id: TaskId = "t-1".parse()?;
//! let status = status_sequence(&server, &task_id, 2, RunId(7));
//!
//! // A test on tokio's paused clock (`#[tokio::test(start_paused = true)]`).
//! let camb = Camb::builder()
//!     .api_key("k")
//!     .base_url(server.base_url())
//!     .for_paused_clock()
//!     .build()?;
//! assert_eq!(camb.create_dub(&request).await?, task_id);
//! assert_eq!(camb.wait_for_dub(&task_id).await?, RunId(7));
//! create.assert();
//! status.assert_calls(3);
//! # Ok(()) }
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use httpmock::{HttpMockResponse, Method, Mock, MockServer};

pub use camb_api::mock::*;
pub use httpmock;

use crate::{RunId, TaskId};

/// Answers the status of `task_id` (`GET /dub/{task_id}`, what
/// [`Camb::status`](crate::Camb::status) and every wait ask) with `PENDING`
/// `pending` times, then `SUCCESS` with `run_id` from then on.
///
/// For other sequences (failures, unknown statuses, `SUCCESS` without a run
/// id) see [`status_answers`].
pub fn status_sequence<'a>(
    server: &'a MockServer,
    task_id: &TaskId,
    pending: usize,
    run_id: RunId,
) -> Mock<'a> {
    let running = serde_json::json!({"status": "PENDING", "run_id": null});
    let done = serde_json::json!({"status": "SUCCESS", "run_id": run_id.get()});
    status_answers(
        server,
        task_id,
        std::iter::repeat_n(running, pending).chain([done]),
    )
}

/// Answers the status of `task_id` with each of `answers` in turn (the JSON
/// body of a `200` answer), and with the last one from then on; an empty
/// list answers `404`.
///
/// ```
/// # use camb_api_ext::mock::{httpmock::MockServer, status_answers};
/// # let server = MockServer::start();
/// # let task_id: camb_api_ext::TaskId = "t-1".parse().unwrap();
/// let status = status_answers(&server, &task_id, [
///     serde_json::json!({"status": "PENDING"}),
///     serde_json::json!({"status": "ERROR", "exception_reason": "SOURCE_NOT_FOUND", "message": "gone"}),
/// ]);
/// # let _ = status;
/// ```
pub fn status_answers<'a>(
    server: &'a MockServer,
    task_id: &TaskId,
    answers: impl IntoIterator<Item = serde_json::Value>,
) -> Mock<'a> {
    let answers: Vec<Vec<u8>> = answers
        .into_iter()
        .map(|answer| answer.to_string().into_bytes())
        .collect();
    let served = AtomicUsize::new(0);
    let path = format!("/dub/{}", task_id.as_str());
    server.mock(move |when, then| {
        when.method(Method::GET).path(path);
        then.respond_with(move |_| {
            let next = served.fetch_add(1, Ordering::Relaxed);
            match answers.get(next).or(answers.last()) {
                Some(body) => HttpMockResponse::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .build(),
                None => HttpMockResponse::builder().status(404).build(),
            }
        });
    })
}
