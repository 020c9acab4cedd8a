//! [`Error`]: every way a call can fail, as one enum to `match` on.

use std::{fmt, sync::Arc, time::Duration};

use camb_api::{
    ExceptionReason, TaskStatus,
    types::{HttpValidationError, ValidationError},
};
use reqwest::{StatusCode, header::LOCATION};

use crate::{
    ApiKey, DictionaryId, RunId, TaskId, TaskKind, TermId, VoiceId, duration_text::DurationText,
    retry::server_hint,
};

/// Every way a call of this crate can fail.
///
/// Each variant carries what a caller needs to act on it. The API key never
/// appears in an error: server text copied into one is scrubbed of it.
///
/// [`Error::is_retryable`] tells whether trying again later may succeed;
/// [`Error::status_code`] gives the HTTP status the error came from, if any.
///
/// Cloning is cheap: the two sources that are not `Clone` themselves
/// (reqwest's and the file system's errors) are shared behind an [`Arc`], so
/// outcomes collected per input (as [`Camb::dub_all`](crate::Camb::dub_all)
/// yields them) can be copied into reports and retried lists freely.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input was rejected before any request was sent (a bad task id, an
    /// empty key, a base URL that would send the key in the clear, ...).
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// The input that was rejected, e.g. `task_id` or `base_url`.
        field: &'static str,
        /// What is wrong with it.
        reason: String,
    },

    /// The API refused the key (401) or the key may not do this (403).
    /// Never retried.
    #[error("not authorized ({status}); check CAMB_API_KEY: {message}")]
    Unauthorized {
        /// 401 or 403.
        status: StatusCode,
        /// The start of the response body.
        message: String,
    },

    /// The task or run does not exist (404). Never retried.
    #[error("not found (404): {message}")]
    NotFound {
        /// The start of the response body.
        message: String,
    },

    /// The dictionary, or the term of it, does not exist (404): deleted,
    /// never created, or another account's. Never retried; find the ids
    /// with [`Camb::dictionaries`](crate::Camb::dictionaries).
    #[error(
        "dictionary {dictionary_id}{} not found (404): {message}",
        Around("'s term ", term_id.as_ref(), "")
    )]
    DictionaryNotFound {
        /// The dictionary the call named.
        dictionary_id: DictionaryId,
        /// The term the call named, for a call about one term.
        term_id: Option<TermId>,
        /// The start of the response body.
        message: String,
    },

    /// The API rejected the request's content (422). Never retried.
    #[error("the API rejected the request (422): {}", ValidationSummary(detail))]
    Validation {
        /// One entry per problem, as the API listed them.
        detail: Vec<ValidationError>,
    },

    /// The account lacks credits: the API answered 402, or the task ended in
    /// `PAYMENT_REQUIRED`.
    #[error(
        "payment required{}: add credits to the CAMB.AI account{}",
        ForTask(kind, task_id),
        Detail(message)
    )]
    PaymentRequired {
        /// The kind of task whose status said so; `None` when the API
        /// answered 402.
        kind: Option<TaskKind>,
        /// The task whose status said so; `None` when the API answered 402.
        task_id: Option<TaskId>,
        /// The server's explanation, if any.
        message: Option<String>,
    },

    /// The API kept answering 429 after the retries allowed by the
    /// [`RetryPolicy`](crate::RetryPolicy), or asked for a longer pause than
    /// the policy waits.
    #[error("rate limited (429){}", Around("; retry after ", retry_after.map(DurationText), ""))]
    RateLimited {
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },

    /// The task ended in `ERROR`.
    #[error(
        "{kind} {task_id} failed ({}){}",
        Reason(exception_reason),
        Detail(message)
    )]
    TaskFailed {
        /// Its kind: a dub, an export, ...
        kind: TaskKind,
        /// The task that failed.
        task_id: TaskId,
        /// Why, as the server classified it.
        exception_reason: Option<ExceptionReason>,
        /// The server's explanation (a JSON object is given as JSON text).
        message: Option<String>,
    },

    /// The task ended in `TIMEOUT`: it ran past the server's own time limit.
    /// Trying again will not help; split the input.
    #[error(
        "{kind} {task_id} ran past the server's time limit (TIMEOUT){}",
        Detail(message)
    )]
    TaskTimedOut {
        /// Its kind: a dub, an export, ...
        kind: TaskKind,
        /// The task that timed out.
        task_id: TaskId,
        /// The server's explanation, if any.
        message: Option<String>,
    },

    /// Our own wait gave up: the [`PollPolicy`](crate::PollPolicy) deadline
    /// passed while the task was still running. The task may still finish;
    /// wait for it again to resume.
    #[error(
        "gave up waiting for {kind} {task_id} after {} and {polls} polls (last status: {})",
        DurationText(*elapsed),
        last_status.as_ref().map_or("none seen", TaskStatus::as_str)
    )]
    DeadlineExceeded {
        /// Its kind: a dub, an export, ...
        kind: TaskKind,
        /// The task that was being waited for.
        task_id: TaskId,
        /// How long the wait lasted.
        elapsed: Duration,
        /// How many status requests it made.
        polls: u32,
        /// The last status the server reported.
        last_status: Option<TaskStatus>,
        /// The error of the last poll, when the last poll failed.
        #[source]
        last_error: Option<Box<Error>>,
    },

    /// A wait gave up on a server that never answered: every poll failed
    /// to connect (connection refused, no such host, no network) for the
    /// [`WaitErrorPolicy`](crate::WaitErrorPolicy)'s unreachable limit, and
    /// no call of the client had reached it before. Check the base URL
    /// (`CAMB_BASE_URL`) and the network; the task, if it exists, runs on.
    #[error(
        "could not reach the CAMB.AI API at {base_url} for {} ({polls} polls, none answered); \
         check CAMB_BASE_URL and the network",
        DurationText(*elapsed)
    )]
    Unreachable {
        /// The base URL the client was given.
        base_url: String,
        /// How long the wait tried.
        elapsed: Duration,
        /// How many polls it made.
        polls: u32,
        /// The error of the last poll.
        #[source]
        last_error: Box<Error>,
    },

    /// The request did not complete: connecting failed, it timed out, or the
    /// connection broke.
    #[error("{}", TransportSummary(source))]
    Transport {
        /// What reqwest reported (its message names the URL, never the key).
        #[source]
        source: Arc<reqwest::Error>,
    },

    /// The response body could not be decoded.
    #[error(
        "undecodable response{}: {reason}; body starts: {excerpt}",
        Around(" (HTTP ", status.as_ref(), ")")
    )]
    Decode {
        /// The HTTP status, when known. The generated client does not report
        /// the status of a documented response (200 or 422) whose body fails
        /// to parse.
        status: Option<StatusCode>,
        /// What was wrong.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },

    /// A successful response that follows the API's schema but lacks what
    /// the call needs: a status answer without `status`, a created task
    /// whose id no URL can carry. Never retried: the same answer would come
    /// back.
    #[error("unusable response: {reason}; body starts: {excerpt}")]
    UnusableResponse {
        /// What is missing or wrong.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },

    /// Any other HTTP status, including 408 and 5xx once retries ran out.
    #[error("unexpected HTTP status {status}: {excerpt}")]
    UnexpectedStatus {
        /// The status.
        status: StatusCode,
        /// The start of the response body.
        excerpt: String,
        /// How long the server asked to wait, if it said.
        retry_after: Option<Duration>,
    },

    /// A speech answer that is not audio: JSON or HTML where audio was
    /// expected (even with status 200), or a WAV whose header this client
    /// cannot read. Never retried: the same answer would come back.
    #[error(
        "not audio{}: {reason}; body starts: {excerpt}",
        Around(" (", content_type.as_ref(), ")")
    )]
    NotAudio {
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// What is wrong.
        reason: String,
        /// The start of the body.
        excerpt: String,
    },

    /// The voice may not be used with this API key (403 from the speech
    /// call): another account's voice, or a voice of a plan the key lacks.
    /// Never retried; list the usable ones with
    /// [`Camb::voices`](crate::Camb::voices).
    #[error("voice {voice_id} is not available to this API key (403): {message}")]
    VoiceNotAvailable {
        /// The voice the request named.
        voice_id: VoiceId,
        /// The start of the response body.
        message: String,
    },

    /// No audio arrived within the first-byte limit
    /// ([`Speech::first_byte_timeout`](crate::Speech::first_byte_timeout)):
    /// the server accepted the connection but did not answer, or answered
    /// without audio. Retried like a transport failure.
    #[error("no audio within {} of the request", DurationText(*limit))]
    FirstByteTimeout {
        /// The limit that passed.
        limit: Duration,
    },

    /// A file could not be written (the audio of
    /// [`SpeechStream::save`](crate::SpeechStream::save)).
    #[error("cannot write {}: {source}", path.display())]
    WriteFile {
        /// The file.
        path: std::path::PathBuf,
        /// What the system reported.
        #[source]
        source: Arc<std::io::Error>,
    },

    /// A file given as input (a transcript) could not be read. Nothing was
    /// sent.
    #[error("cannot read {}: {source}", path.display())]
    ReadFile {
        /// The file.
        path: std::path::PathBuf,
        /// What the system reported.
        #[source]
        source: Arc<std::io::Error>,
    },

    /// The task reported `SUCCESS` but never the `run_id` its result is
    /// fetched with, not even after a few more polls. The task is done; its
    /// run may show up in CAMB.AI Studio.
    #[error(
        "{kind} {task_id} succeeded but the server sent no run_id (asked {polls} times after SUCCESS)"
    )]
    SucceededWithoutRunId {
        /// Its kind: a dub, a transcription, ...
        kind: TaskKind,
        /// The task that succeeded.
        task_id: TaskId,
        /// How many `SUCCESS` answers without a run id were seen.
        polls: u32,
    },

    /// A batch of results ([`Camb::results`](crate::Camb::results)) did not
    /// include this run: the server has no result for it (unknown, not
    /// finished, or not the caller's).
    #[error("the server sent no result for run {run_id}")]
    ResultMissing {
        /// The run that is missing.
        run_id: RunId,
    },

    /// An alt-format export finished, but asking for the file again still
    /// answered with a task instead of the file.
    #[error("export task {task_id} finished but the file is not available yet")]
    ExportNotReady {
        /// The export task.
        task_id: TaskId,
    },

    /// A response body was longer than
    /// [`MAX_BODY_BYTES`](camb_api::MAX_BODY_BYTES) (16 MiB): reading stopped
    /// there. Error responses are never read past their first few hundred
    /// bytes, so they keep their status error instead.
    #[error("the response body is larger than the {limit}-byte limit")]
    BodyTooLarge {
        /// The limit, in bytes.
        limit: usize,
    },

    /// The API answered with a redirect to another origin (scheme, host or
    /// port), which is not followed: the key must not go anywhere but the
    /// base URL. Redirects within the base URL's origin are followed.
    ///
    /// With a caller's own client
    /// ([`CambBuilder::reqwest_client`](crate::CambBuilder::reqwest_client))
    /// that follows redirects itself, the request already went there, key
    /// included; its answer is refused all the same (`status` is `None`).
    #[error(
        "refused a redirect{} to {location}; the API key is only for the base URL",
        Around(" (HTTP ", status.as_ref(), ")")
    )]
    Redirected {
        /// The redirect status (301, 302, 303, 307 or 308), when the
        /// redirect reached Camb.
        status: Option<StatusCode>,
        /// Where the server pointed (its `Location` header, or where the
        /// caller's client ended up), shortened and without the key.
        location: String,
    },
}

impl Error {
    /// Whether the same call may succeed if tried again later: transport
    /// failures, 429, 408 and 5xx.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport { .. }
            | Error::RateLimited { .. }
            | Error::FirstByteTimeout { .. } => true,
            Error::UnexpectedStatus { status, .. } => is_transient_status(*status),
            _ => false,
        }
    }

    /// The HTTP status this error came from, if it came from one.
    pub fn status_code(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { status, .. } | Error::UnexpectedStatus { status, .. } => {
                Some(*status)
            }
            Error::Redirected { status, .. } => *status,
            Error::NotFound { .. } | Error::DictionaryNotFound { .. } => {
                Some(StatusCode::NOT_FOUND)
            }
            Error::Validation { .. } => Some(StatusCode::UNPROCESSABLE_ENTITY),
            Error::VoiceNotAvailable { .. } => Some(StatusCode::FORBIDDEN),
            Error::PaymentRequired { task_id: None, .. } => Some(StatusCode::PAYMENT_REQUIRED),
            Error::RateLimited { .. } => Some(StatusCode::TOO_MANY_REQUESTS),
            Error::Decode { status, .. } => *status,
            Error::Transport { source } => source.status(),
            _ => None,
        }
    }

    /// How long the server asked us to wait before trying again, if it said
    /// (`retry-after-ms`, `Retry-After` or `X-RateLimit-Reset`).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after } | Error::UnexpectedStatus { retry_after, .. } => {
                *retry_after
            }
            _ => None,
        }
    }

    /// Whether resending a request that is not idempotent (creating a dub)
    /// cannot make a duplicate: the server surely did not act on it.
    pub(crate) fn is_safe_to_resend(&self) -> bool {
        match self {
            Error::Transport { source } => source.is_connect(),
            Error::RateLimited { .. } => true,
            Error::UnexpectedStatus { status, .. } => *status == StatusCode::REQUEST_TIMEOUT,
            _ => false,
        }
    }

    /// Maps an error of the generated client, reading the start of the body
    /// of an unexpected response. A documented error answer of any type `E`
    /// is read by its status; a 422 whose body is the API's validation
    /// detail becomes [`Error::Validation`].
    pub(crate) async fn from_raw<E: serde::Serialize>(
        err: camb_api::Error<E>,
        key: &ApiKey,
    ) -> Self {
        use camb_api::Error as Raw;
        match err {
            Raw::InvalidRequest(reason) | Raw::Custom(reason) => Error::InvalidInput {
                field: "request",
                reason,
            },
            Raw::CommunicationError(source)
            | Raw::ResponseBodyError(source)
            | Raw::InvalidUpgrade(source) => {
                if let Some(left) = camb_api::left_origin(&source) {
                    Error::left_origin(left, key)
                } else if camb_api::is_body_too_large(&source) {
                    Error::BodyTooLarge {
                        limit: camb_api::MAX_BODY_BYTES,
                    }
                } else if source.is_builder() {
                    Error::InvalidInput {
                        field: "request",
                        reason: source.to_string(),
                    }
                } else {
                    // A redirect within the origin may have led to a URL that
                    // holds the key; reqwest's error would show it.
                    let shows_key = source
                        .url()
                        .is_some_and(|url| key.redact(url.as_str()) != url.as_str());
                    let source = if shows_key {
                        source.without_url()
                    } else {
                        source
                    };
                    Error::Transport {
                        source: Arc::new(source),
                    }
                }
            }
            Raw::ErrorResponse(response) => {
                let status = response.status();
                let hint = server_hint(response.headers());
                let body = serde_json::to_value(response.into_inner()).unwrap_or_default();
                if status == StatusCode::UNPROCESSABLE_ENTITY
                    && let Ok(detail) = serde_json::from_value::<HttpValidationError>(body.clone())
                {
                    return Error::Validation {
                        detail: detail.detail,
                    };
                }
                let body = match body {
                    serde_json::Value::Null => Vec::new(),
                    body => serde_json::to_vec(&body).unwrap_or_default(),
                };
                Error::from_status(status, hint, excerpt(&body, key))
            }
            Raw::InvalidResponsePayload(body, source) => Error::Decode {
                status: None,
                // serde quotes the value it could not read: the body's text.
                reason: key.redact(&source.to_string()),
                excerpt: excerpt(&body, key),
            },
            Raw::UnexpectedResponse(response) => Error::from_response(response, key).await,
        }
    }

    /// The error for a response of a status the call does not expect,
    /// reading the start of its body.
    pub(crate) async fn from_response(response: reqwest::Response, key: &ApiKey) -> Self {
        if let Some(left) = response.extensions().get::<camb_api::LeftOrigin>() {
            return Error::left_origin(left, key);
        }
        let status = response.status();
        if status.is_redirection() {
            let location = response
                .headers()
                .get(LOCATION)
                .map_or(&b"(no Location header)"[..], |value| value.as_bytes());
            return Error::Redirected {
                status: Some(status),
                location: excerpt(location, key),
            };
        }
        let hint = server_hint(response.headers());
        let body = read_start(response).await;
        Error::from_status(status, hint, excerpt(&body, key))
    }

    /// An answer from another origin, reached by a caller's own client.
    pub(crate) fn left_origin(left: &camb_api::LeftOrigin, key: &ApiKey) -> Self {
        Error::Redirected {
            status: None,
            location: excerpt(left.url.as_str().as_bytes(), key),
        }
    }

    /// The error for a response with an undocumented status.
    fn from_status(status: StatusCode, retry_after: Option<Duration>, excerpt: String) -> Self {
        match status {
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => Error::Unauthorized {
                status,
                message: excerpt,
            },
            StatusCode::PAYMENT_REQUIRED => Error::PaymentRequired {
                kind: None,
                task_id: None,
                message: Some(excerpt).filter(|m| !m.is_empty()),
            },
            StatusCode::NOT_FOUND => Error::NotFound { message: excerpt },
            StatusCode::TOO_MANY_REQUESTS => Error::RateLimited { retry_after },
            _ => Error::UnexpectedStatus {
                status,
                excerpt,
                retry_after,
            },
        }
    }

    /// A generated type's builder refused a value (a required field left
    /// unset, which every caller rules out before building).
    pub(crate) fn unbuilt(err: impl std::fmt::Display) -> Error {
        Error::InvalidInput {
            field: "request",
            reason: err.to_string(),
        }
    }

    /// A 2xx response that parsed but lacks what the call needs.
    pub(crate) fn unusable(
        reason: impl Into<String>,
        body: &impl serde::Serialize,
        key: &ApiKey,
    ) -> Self {
        let body = serde_json::to_vec(body).unwrap_or_default();
        Error::UnusableResponse {
            reason: reason.into(),
            excerpt: excerpt(&body, key),
        }
    }
}

/// 408, 429 and 5xx: statuses that say "not now" rather than "never".
pub(crate) fn is_transient_status(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || status.is_server_error()
}

/// How much of an error body is kept.
const EXCERPT_CHARS: usize = 200;
/// How much of an error body is read (a few chunks at most).
const READ_BYTES: usize = 4 * EXCERPT_CHARS;

/// Reads at most [`READ_BYTES`] of the body; a broken body gives what arrived.
pub(crate) async fn read_start(mut response: reqwest::Response) -> Vec<u8> {
    let mut body = Vec::new();
    while body.len() < READ_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    body
}

/// The start of `body` as text, without the API key.
pub(crate) fn excerpt(body: &[u8], key: &ApiKey) -> String {
    let text = String::from_utf8_lossy(body);
    let mut short: String = text.trim().chars().take(EXCERPT_CHARS).collect();
    if text.trim().chars().nth(EXCERPT_CHARS).is_some() {
        short.push('…');
    }
    key.redact(&short)
}

/// `: <message>` when there is one.
struct Detail<'a>(&'a Option<String>);

impl fmt::Display for Detail<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(message) if !message.is_empty() => write!(f, ": {message}"),
            _ => Ok(()),
        }
    }
}

/// `SOURCE_TOO_LONG: split the source into shorter parts`, or the reason
/// alone when this client has no advice for it.
struct Reason<'a>(&'a Option<ExceptionReason>);

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(reason) = self.0 else {
            return f.write_str("no reason given");
        };
        match advice(reason) {
            Some(advice) => write!(f, "{reason}: {advice}"),
            None => write!(f, "{reason}"),
        }
    }
}

/// What to do about a task that failed for `reason`; `None` for a reason
/// this client does not know. A test ties this to the spec's values.
pub(crate) fn advice(reason: &ExceptionReason) -> Option<&'static str> {
    use ExceptionReason as R;
    Some(match reason {
        R::HarmfulContentDetected => "the source was refused for its content",
        R::VoiceConversionError | R::ProcessingError | R::InternalError => {
            "a failure on the server; try again later"
        }
        R::SourceTooLong => "split the source into shorter parts",
        R::SourceTooLarge => "use a smaller file",
        R::SourceTypeNotSupported => "convert the source to a common audio or video format",
        R::ErrorDownloadingSource => "check that the source URL can be downloaded",
        R::TooManyGdriveRequests => "Google Drive throttled the download; try again later",
        R::SourceBlockedInRegion => "the source is blocked in the server's region",
        R::SourceIsAgeRestricted => "use a source without an age restriction",
        R::SourceNotFound => "check the source URL",
        R::MismatchedSourceCodec | R::InvalidSourceData => "re-encode the source",
        R::ContentDoesNotMatchExtension => "fix the file's extension or re-encode it",
        R::VideoDoesNotHaveAudioStreams => "the video has no audio to dub",
        R::MasteringOutOfRange => "check the audio levels of the source",
        R::InvalidAudioTracksSelection => "check the chosen audio tracks",
        R::PaymentRequired => "add credits to the CAMB.AI account",
        R::Forbidden => "the account may not do this",
        R::None => "the server gave no reason",
        _ => return None,
    })
}

/// ` for dubbing task t1` when a task said so.
struct ForTask<'a>(&'a Option<TaskKind>, &'a Option<TaskId>);

impl fmt::Display for ForTask<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.0, self.1) {
            (Some(kind), Some(task_id)) => write!(f, " for {kind} {task_id}"),
            (None, Some(task_id)) => write!(f, " for task {task_id}"),
            _ => Ok(()),
        }
    }
}

/// `value` between `before` and `after`, or nothing without one: `'s term
/// 5`, `; retry after 3s`, ` (HTTP 200)`.
struct Around<T>(&'static str, Option<T>, &'static str);

impl<T: fmt::Display> fmt::Display for Around<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.1 {
            Some(value) => write!(f, "{}{value}{}", self.0, self.2),
            None => Ok(()),
        }
    }
}

/// `body.video_url: field required; ...`
struct ValidationSummary<'a>(&'a [ValidationError]);

impl fmt::Display for ValidationSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("no detail given");
        }
        for (i, problem) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            let location: Vec<String> = problem.loc.iter().map(ToString::to_string).collect();
            write!(f, "{}: {}", location.join("."), problem.msg)?;
        }
        Ok(())
    }
}

/// What kind of transport failure, in words; details are in the source.
struct TransportSummary<'a>(&'a reqwest::Error);

impl fmt::Display for TransportSummary<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = if self.0.is_connect() {
            "could not connect to the CAMB.AI API"
        } else if self.0.is_timeout() {
            "the request to the CAMB.AI API timed out"
        } else {
            "the connection to the CAMB.AI API failed"
        };
        f.write_str(what)
    }
}

/// A transport error met outside a generated call (a streamed body), its
/// URL left out (it could hold what a redirect added).
pub(crate) fn transport(err: reqwest::Error) -> Error {
    Error::Transport {
        source: Arc::new(err.without_url()),
    }
}

/// A generated type made by its builder (`camb_api::types::builder`), so
/// that a field CAMB.AI adds to a request later (optional, defaulted by the
/// builder) never breaks a struct literal here.
pub(crate) fn built<T, B>(builder: B) -> Result<T, Error>
where
    B: TryInto<T>,
    B::Error: std::fmt::Display,
{
    builder.try_into().map_err(Error::unbuilt)
}

#[cfg(test)]
mod tests {
    use camb_api::ResponseValue;
    use reqwest::header::HeaderMap;

    use super::*;

    fn documented<E>(body: E, status: u16) -> camb_api::Error<E> {
        let status = StatusCode::from_u16(status).unwrap();
        camb_api::Error::ErrorResponse(ResponseValue::new(body, status, HeaderMap::new()))
    }

    #[tokio::test]
    async fn documented_error_answers_of_any_type_are_read_by_their_status() {
        let key = ApiKey::new("k-secret").unwrap();
        // An operation documenting no error body (`E = ()`).
        let err = Error::from_raw(documented((), 404), &key).await;
        assert!(matches!(&err, Error::NotFound { message } if message.is_empty()));
        let err = Error::from_raw(documented((), 422), &key).await;
        assert_eq!(err.status_code(), Some(StatusCode::UNPROCESSABLE_ENTITY));
        assert!(matches!(err, Error::UnexpectedStatus { .. }), "{err:?}");
        // Another documented body: kept as text, the key scrubbed.
        let body = serde_json::json!({"detail": "no such run for k-secret"});
        let err = Error::from_raw(documented(body, 403), &key).await;
        let shown = err.to_string();
        assert!(shown.contains("no such run for <redacted>"), "{shown}");
        assert!(matches!(err, Error::Unauthorized { .. }));
        // FastAPI's validation detail, whatever type carried it.
        let detail =
            serde_json::json!({"detail": [{"loc": ["body", "x"], "msg": "bad", "type": "t"}]});
        match Error::from_raw(documented(detail, 422), &key).await {
            Error::Validation { detail } => assert_eq!(detail[0].msg, "bad"),
            other => panic!("{other:?}"),
        }
    }
}
