//! The answers the simulator sends, as status, headers and body: the reply
//! half of the seam between handlers and the HTTP layer (see
//! [`crate::http`]).

use std::fmt;

use camb_api::TaskStatus;
use camb_api::types::{OrchestratorPipelineResult, TaskIdResponse, builder};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{Fault, Route};

/// One HTTP answer.
#[derive(Debug)]
pub(crate) struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: ReplyBody,
}

/// What a [`Reply`] sends after its head.
pub(crate) enum ReplyBody {
    /// The whole body at once.
    Full(Vec<u8>),
    /// Chunks sent one by one as the stream yields them (with chunked
    /// transfer encoding): a stream that sleeps between chunks paces the
    /// answer in real time. When the client goes away the stream is dropped
    /// at its next chunk, so a guard inside it (a value whose `Drop` records
    /// it) notices.
    Stream(crate::http::ByteStream),
    /// No answer: the connection is closed (see [`Fault::DropConnection`]).
    DropConnection,
}

impl ReplyBody {
    /// The bytes of a whole body (`None` for a stream or a dropped
    /// connection), for tests that call a handler without HTTP.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn full(&self) -> Option<&[u8]> {
        match self {
            ReplyBody::Full(bytes) => Some(bytes),
            ReplyBody::Stream(_) | ReplyBody::DropConnection => None,
        }
    }
}

impl fmt::Debug for ReplyBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReplyBody::Full(bytes) => write!(f, "Full({} bytes)", bytes.len()),
            ReplyBody::Stream(_) => f.write_str("Stream"),
            ReplyBody::DropConnection => f.write_str("DropConnection"),
        }
    }
}

impl Reply {
    /// A JSON answer.
    pub(crate) fn json(status: u16, body: &Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: ReplyBody::Full(body.to_string().into_bytes()),
        }
    }

    /// A streamed answer: `status`, a `content-type`, then each chunk of
    /// `stream` as it comes (see [`ReplyBody::Stream`]).
    pub(crate) fn stream(
        status: u16,
        content_type: &str,
        stream: impl futures_util::Stream<Item = axum::body::Bytes> + Send + 'static,
    ) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: ReplyBody::Stream(Box::pin(stream)),
        }
    }

    /// No answer at all: the server closes the connection.
    pub(crate) fn drop_connection() -> Reply {
        Reply {
            status: 200,
            headers: Vec::new(),
            body: ReplyBody::DropConnection,
        }
    }

    /// A body of another media type (audio, text), as it is.
    pub(crate) fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            headers: vec![("content-type", content_type.to_owned())],
            body: ReplyBody::Full(body),
        }
    }

    /// A JSON answer of a type the spec generates (`camb_api::types`), so
    /// that a value or field the spec renames breaks the simulator's build,
    /// not its users.
    pub(crate) fn typed(status: u16, body: &impl Serialize) -> Reply {
        match encode(body) {
            Ok(body) => Reply::json(status, &body),
            Err(reply) => reply,
        }
    }

    /// The answer to a call that starts a task: its id (`TaskIdResponse`).
    pub(crate) fn task_id(task_id: String) -> Reply {
        match built::<TaskIdResponse, _>(builder::TaskIdResponse::default().task_id(task_id)) {
            Ok(answer) => Reply::typed(200, &answer),
            Err(reply) => reply,
        }
    }

    /// A task's status (`OrchestratorPipelineResult`), with `run_id` always
    /// present (`null` when there is none) as CAMB.AI sends it: the
    /// generated type leaves out a field that is `None`.
    pub(crate) fn task_status(result: &OrchestratorPipelineResult) -> Reply {
        let mut body = match encode(result) {
            Ok(body) => body,
            Err(reply) => return reply,
        };
        if let Value::Object(fields) = &mut body {
            fields.entry("run_id").or_insert(Value::Null);
        }
        Reply::json(200, &body)
    }

    /// A FastAPI-style error: `{"detail": "..."}`.
    pub(crate) fn detail(status: u16, detail: &str) -> Reply {
        Reply::json(status, &json!({ "detail": detail }))
    }

    /// A `422` listing every problem, as FastAPI answers one.
    pub(crate) fn validation(problems: crate::validate::Problems) -> Reply {
        Reply::json(422, &json!({ "detail": problems.into_detail() }))
    }

    /// `405`, with the `Allow` header naming the path's one method.
    pub(crate) fn method_not_allowed(allow: &str) -> Reply {
        Reply::detail(405, "Method Not Allowed").with_header("allow", allow.to_owned())
    }

    /// The reply with one more header.
    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }

    /// The answer a fault stands for on `route` (`None` when the fault does not
    /// change the answer: latency, or a status value where there is no status).
    pub(crate) fn for_fault(fault: &Fault, route: Route) -> Option<Reply> {
        match fault {
            Fault::Latency(_) => None,
            Fault::RateLimited(retry_after) => {
                let reply = Reply::detail(429, "Too Many Requests");
                Some(match retry_after.header() {
                    Some((name, value)) => reply.with_header(name, value),
                    None => reply,
                })
            }
            Fault::Status(status) => Some(Reply::detail(*status, "Simulated failure")),
            Fault::DropConnection => Some(Reply::drop_connection()),
            Fault::MalformedJson => Some(Reply {
                status: 200,
                headers: vec![("content-type", "application/json".to_owned())],
                body: ReplyBody::Full(br#"{"status": "PENDING", "run_id": nul"#.to_vec()),
            }),
            Fault::UnknownStatus(status) => {
                matches!(route, Route::Status | Route::TranscriptionStatus).then(|| {
                    Reply::task_status(&OrchestratorPipelineResult {
                        status: Some(TaskStatus::from(status.as_str())),
                        ..Default::default()
                    })
                })
            }
        }
    }
}

/// `body` as JSON; a `500` if serde cannot encode it (a generated type
/// holding a map with non-string keys, say).
/// A generated answer type made by its builder (`camb_api::types::builder`),
/// so that a field CAMB.AI adds to an answer later (optional, defaulted by
/// the builder) never breaks a struct literal here; a refusal (a required
/// field left unset) is a 500.
pub(crate) fn built<T, B>(builder: B) -> Result<T, Reply>
where
    B: TryInto<T>,
    B::Error: std::fmt::Display,
{
    builder
        .try_into()
        .map_err(|error| Reply::detail(500, &format!("Simulator cannot build its answer: {error}")))
}

pub(crate) fn encode(body: &impl Serialize) -> Result<Value, Reply> {
    serde_json::to_value(body).map_err(|error| {
        Reply::detail(500, &format!("Simulator cannot encode its answer: {error}"))
    })
}

impl Reply {
    /// The status code (for the standalone server's request log).
    pub(crate) fn status(&self) -> u16 {
        self.status
    }

    /// Status, headers and body, for the HTTP layer to send.
    pub(crate) fn into_parts(self) -> (u16, Vec<(&'static str, String)>, ReplyBody) {
        (self.status, self.headers, self.body)
    }
}
