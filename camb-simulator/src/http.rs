//! The simulator's one HTTP layer, shared by the in-process [`Simulator`]
//! and the standalone server ([`SimulatorBuilder::serve`], the binary): an
//! axum [`Router`] built from a table of operations, over hyper's HTTP/1
//! connections.
//!
//! # The seam: what a handler gets and gives
//!
//! Nothing outside this module sees HTTP types from axum or hyper. A handler
//! (today [`State::respond`](crate::state::State::respond), through the
//! operation table of `route.rs`) gets a [`Request`] and gives a [`Reply`]:
//!
//! - [`Request`]: the method; what it [`Matched`]: an [`Operation`] (method
//!   and path template exactly as `spec/generated/openapi-3.1.json` writes
//!   them, e.g. `GET /dub/{task_id}`), a path with the wrong method (`405`
//!   and its `Allow`) or nothing (`404`); the path parameters by their
//!   template names, percent-decoded (by axum) ([`Request::param`]); the raw target
//!   and query ([`Request::target`], [`Request::query`],
//!   [`Request::query_value`]); the headers; the whole body as bytes; and,
//!   for a `multipart/form-data` body, its parts already parsed by multer
//!   ([`Request::form`], [`Form`], [`Part`]).
//! - [`Reply`]: a status, headers and a body that is
//!   either whole bytes ([`Reply::json`](crate::reply::Reply::json) and
//!   friends), a stream of chunks sent one by one as they come
//!   ([`Reply::stream`](crate::reply::Reply::stream): a paced
//!   `Stream<Item = Bytes>`; the pauses between chunks are real, and when the
//!   client goes away the stream is dropped, so a guard in it notices), or
//!   no answer at all: the connection is closed
//!   ([`Reply::drop_connection`](crate::reply::Reply::drop_connection)).
//!
//! # The operations
//!
//! The router knows every operation of the spec ([`spec_operations`]) plus
//! any the caller adds, each path template installed once with axum's
//! matcher (so `/dictionaries/create-from-file` wins over
//! `/dictionaries/{dictionary_id}`, and `%2F` stays inside one parameter).
//! Which code answers an operation is the caller's business: the router
//! hands every request to one async [`Answer`] function with what matched.
//! Adding an operation to the spec routes it; giving it an answer is one
//! entry of the operation table (`route.rs`).
//!
//! A handler runs under the simulator's state lock and must not wait. What
//! has to take time is done by the layer: a latency fault is waited for
//! before the handler runs, and a paced answer is a [`Reply::stream`]
//! whose stream sleeps between chunks (it is polled after the lock is
//! released, so it must own what it needs, not borrow the state).
//!
//! # Time
//!
//! The in-process server ([`spawn`]) runs on its own thread with its own
//! tokio runtime, whose clock is real time even when the test that started
//! it runs on tokio's paused clock: a [`Fault::Latency`](crate::Fault) or
//! a paced stream waits for real there, and the test's clock stays paused.
//!
//! [`Simulator`]: crate::Simulator
//! [`SimulatorBuilder::serve`]: crate::SimulatorBuilder::serve

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::RawPathParams;
use axum::extract::rejection::RawPathParamsRejection;
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode};
use axum::routing::any;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use hyper_util::rt::TokioIo;
use percent_encoding::percent_decode_str;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tower::ServiceExt;

use crate::reply::{Reply, ReplyBody};

/// The largest request body read (a simulated upload may be big, but not
/// unbounded).
const MAX_BODY: usize = 1 << 30;

/// One API operation: a method and a path template as the spec writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Operation {
    /// The method, e.g. `GET`.
    pub(crate) method: Method,
    /// The path template, e.g. `/dub/{task_id}`.
    pub(crate) template: String,
}

impl Operation {
    /// Parses `"METHOD /template"` (how the team names operations, and the
    /// keys of the operation table).
    pub(crate) fn parse(key: &str) -> Option<Operation> {
        let (method, template) = key.split_once(' ')?;
        Some(Operation {
            method: method.parse().ok()?,
            template: template.to_owned(),
        })
    }

    /// Whether this is the operation `"METHOD /template"`.
    pub(crate) fn is(&self, key: &str) -> bool {
        key.split_once(' ') == Some((self.method.as_str(), self.template.as_str()))
    }

    /// The names of the template's parameters, in order.
    fn parameter_names(&self) -> Vec<&str> {
        self.template
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect()
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.template)
    }
}

/// Every operation of `spec/generated/openapi-3.1.json`, in its order.
pub(crate) fn spec_operations() -> Vec<Operation> {
    // The document the spec engine reads too (`openapi.rs`), parsed once.
    let Some(paths) = crate::openapi::spec().document["paths"].as_object() else {
        return Vec::new();
    };
    paths
        .iter()
        .flat_map(|(template, item)| {
            let methods = item.as_object().into_iter().flat_map(|item| item.keys());
            methods.filter_map(move |method| {
                Some(Operation {
                    method: method.to_ascii_uppercase().parse().ok()?,
                    template: template.clone(),
                })
            })
        })
        .collect()
}

/// What a request's method and path matched.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Matched {
    /// An operation the router knows.
    Operation(Arc<Operation>),
    /// A known path with another method: the `Allow` header's value.
    MethodNotAllowed {
        /// The path's methods, e.g. `GET, DELETE`.
        allow: String,
    },
    /// No known path (or a path parameter that is not UTF-8 once decoded).
    NotFound,
}

/// One request, as every handler sees it (see the module docs).
#[derive(Debug)]
pub(crate) struct Request {
    /// The HTTP method.
    pub(crate) method: Method,
    /// What the method and path matched.
    pub(crate) matched: Matched,
    /// The path parameters by template name, percent-decoded.
    pub(crate) params: Vec<(String, String)>,
    /// The request target as received: path and query, still percent-encoded.
    pub(crate) target: String,
    /// The request headers.
    pub(crate) headers: HeaderMap,
    /// The whole body.
    pub(crate) body: Bytes,
    /// The parts of a `multipart/form-data` body (`None` for any other
    /// content type).
    pub(crate) form: Option<Form>,
}

impl Request {
    /// A path parameter by its template name (decoded); empty if the
    /// template has none of that name.
    pub(crate) fn param(&self, name: &str) -> String {
        self.params
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// The path, still percent-encoded.
    pub(crate) fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(self.target.as_str(), |(path, _)| path)
    }

    /// The raw query string (after `?`), if any.
    pub(crate) fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }

    /// The first value of `name` in the query, percent-decoded.
    pub(crate) fn query_value(&self, name: &str) -> Option<String> {
        self.query().and_then(|query| query_value(query, name))
    }

    /// A header's value, if it is text.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }

    /// The `x-api-key` header.
    pub(crate) fn api_key(&self) -> Option<&str> {
        self.header("x-api-key")
    }
}

/// The first value of `name` in a query string, percent-decoded.
pub(crate) fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (key == name).then(|| percent_decode_str(value).decode_utf8_lossy().into_owned())
    })
}

/// A `multipart/form-data` body: its parts in order (FastAPI's `Form(...)`
/// and `UploadFile` parameters).
#[derive(Clone, Debug, Default)]
pub(crate) struct Form {
    parts: Vec<Part>,
}

/// One part of a form.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    /// Its `name`.
    pub(crate) name: String,
    /// The `filename` it was sent with; `None` for a text field.
    pub(crate) file_name: Option<String>,
    /// Its own `Content-Type`, if it had one.
    #[allow(dead_code, reason = "for schema-driven handlers (see the module docs)")]
    pub(crate) content_type: Option<String>,
    /// Its bytes.
    pub(crate) content: Bytes,
}

impl Form {
    /// Parses `body` with multer if `content_type` is `multipart/form-data`
    /// with a boundary; `None` otherwise (FastAPI then reports the form's
    /// fields as missing). A body broken mid-way keeps the parts before the
    /// break.
    pub(crate) async fn parse(body: Bytes, content_type: Option<&str>) -> Option<Form> {
        let boundary = multer::parse_boundary(content_type?).ok()?;
        let stream = futures_util::stream::once(async move { Ok::<_, Infallible>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        let mut parts = Vec::new();
        while let Ok(Some(field)) = multipart.next_field().await {
            let Some(name) = field.name().map(str::to_owned) else {
                continue;
            };
            let file_name = field.file_name().map(str::to_owned);
            let content_type = field.content_type().map(ToString::to_string);
            let Ok(content) = field.bytes().await else {
                break;
            };
            parts.push(Part {
                name,
                file_name,
                content_type,
                content,
            });
        }
        Some(Form { parts })
    }

    /// Every part, in the order sent.
    #[allow(dead_code, reason = "for schema-driven handlers (see the module docs)")]
    pub(crate) fn parts(&self) -> &[Part] {
        &self.parts
    }

    /// A text field (not a file), as sent.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.parts
            .iter()
            .find(|part| part.name == name && part.file_name.is_none())
            .map(|part| String::from_utf8_lossy(&part.content).into_owned())
    }

    /// A file: its name as sent and its bytes.
    pub(crate) fn file(&self, name: &str) -> Option<(&str, &[u8])> {
        self.parts.iter().find_map(|part| {
            let file_name = part.file_name.as_deref().filter(|_| part.name == name)?;
            Some((file_name, &part.content[..]))
        })
    }
}

/// What answers every request the router matched (or not): the simulator's
/// core. It may wait (latency, a paced stream is returned at once and paced
/// while sent).
pub(crate) type Answer =
    Arc<dyn Fn(Request) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

/// The router: every operation in `operations` (duplicates are ignored), each
/// path template installed once, every request handed to `answer`.
pub(crate) fn router(operations: impl IntoIterator<Item = Operation>, answer: Answer) -> Router {
    // Path templates by their shape with positional parameter names, so two
    // templates that name the same parameter differently never conflict.
    let mut paths: BTreeMap<String, Vec<Arc<Operation>>> = BTreeMap::new();
    for operation in operations {
        let Some(shape) = route_shape(&operation.template) else {
            continue;
        };
        let same_path = paths.entry(shape).or_default();
        if !same_path
            .iter()
            .any(|known| known.method == operation.method)
        {
            same_path.push(Arc::new(operation));
        }
    }
    let mut router = Router::new();
    for (shape, operations) in paths {
        let answer = Arc::clone(&answer);
        let operations: Arc<[Arc<Operation>]> = operations.into();
        let handler = move |raw: Result<RawPathParams, RawPathParamsRejection>,
                            request: axum::extract::Request| {
            let found = operations
                .iter()
                .find(|operation| operation.method == request.method());
            let (matched, params) = match found {
                // axum has percent-decoded the values; one that is not
                // UTF-8 once decoded names nothing.
                Some(operation) => match raw {
                    Ok(raw) => {
                        // Positional: the router's names are `p0`, `p1`, ...
                        let names = operation.parameter_names().into_iter();
                        let values = raw.iter().map(|(_, value)| value.to_owned());
                        let params = names.map(str::to_owned).zip(values).collect();
                        (Matched::Operation(Arc::clone(operation)), params)
                    }
                    Err(_) => (Matched::NotFound, Vec::new()),
                },
                None => (
                    Matched::MethodNotAllowed {
                        allow: allow(&operations),
                    },
                    Vec::new(),
                ),
            };
            dispatch(Arc::clone(&answer), matched, params, request)
        };
        router = router.route(&shape, any(handler));
    }
    router.fallback(move |request: axum::extract::Request| {
        dispatch(Arc::clone(&answer), Matched::NotFound, Vec::new(), request)
    })
}

/// A template with its parameters renamed `{p0}`, `{p1}`, ...; `None` for
/// one axum cannot route (a parameter that is not a whole segment).
fn route_shape(template: &str) -> Option<String> {
    let mut shape = String::new();
    let mut index = 0;
    for segment in template.split('/').skip(1) {
        shape.push('/');
        if segment.starts_with('{') && segment.ends_with('}') && segment.len() > 2 {
            shape.push_str(&format!("{{p{index}}}"));
            index += 1;
        } else if segment.contains(['{', '}', '*']) {
            return None;
        } else {
            shape.push_str(segment);
        }
    }
    template.starts_with('/').then_some(shape)
}

/// The `Allow` value of a path: its methods in a fixed order.
fn allow(operations: &[Arc<Operation>]) -> String {
    const ORDER: [Method; 7] = [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ];
    let mut methods: Vec<&Method> = operations.iter().map(|op| &op.method).collect();
    methods.sort_by_key(|method| ORDER.iter().position(|known| known == *method));
    let names: Vec<&str> = methods.iter().map(|method| method.as_str()).collect();
    names.join(", ")
}

/// Reads the whole request, parses a form, asks `answer`, and turns its
/// reply into a response.
async fn dispatch(
    answer: Answer,
    matched: Matched,
    params: Vec<(String, String)>,
    request: axum::extract::Request,
) -> Response<Body> {
    let (parts, body) = request.into_parts();
    // A body that fails mid-way is answered as the bytes that arrived... or
    // none: the client is gone anyway.
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let content_type = parts
        .headers
        .get("content-type")
        .and_then(|value| value.to_str().ok());
    let form = Form::parse(body.clone(), content_type).await;
    let target = parts
        .uri
        .path_and_query()
        .map_or("/", |target| target.as_str())
        .to_owned();
    let request = Request {
        method: parts.method,
        matched,
        params,
        target,
        headers: parts.headers,
        body,
        form,
    };
    into_response(answer(request).await)
}

/// Marks a response whose connection is to be closed instead of answered.
#[derive(Clone, Copy, Debug)]
struct DropConnection;

/// The error that makes hyper close a connection without an answer.
#[derive(Debug)]
struct ConnectionDropped;

impl fmt::Display for ConnectionDropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the simulator dropped the connection on purpose")
    }
}

impl std::error::Error for ConnectionDropped {}

fn into_response(reply: Reply) -> Response<Body> {
    let (status, headers, body) = reply.into_parts();
    let (body, dropped) = match body {
        ReplyBody::Full(bytes) => (Body::from(bytes), false),
        ReplyBody::Stream(stream) => (Body::from_stream(stream.map(Ok::<_, Infallible>)), false),
        ReplyBody::DropConnection => (Body::empty(), true),
    };
    let mut response = Response::new(body);
    // A status outside what HTTP allows is answered `500`.
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().append(name, value);
        }
    }
    if dropped {
        response.extensions_mut().insert(DropConnection);
    }
    response
}

/// Serves `router` on `listener` until `shutdown` completes, each
/// connection on a task of the current runtime.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            () = &mut shutdown => return Ok(()),
            accepted = listener.accept() => accepted?,
        };
        let router = router.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let router = router.clone();
                async move {
                    let response = match router.oneshot(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    };
                    if response.extensions().get::<DropConnection>().is_some() {
                        // hyper closes the connection without a response.
                        return Err(ConnectionDropped);
                    }
                    Ok(response)
                }
            });
            // A connection ends in an error when the client goes away or a
            // fault drops it: nothing to report.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A server running on its own thread; it stops when dropped.
pub(crate) struct Running {
    base_url: String,
    _shutdown: oneshot::Sender<()>,
}

impl Running {
    /// `http://127.0.0.1:<port>`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// Serves `router` on a free loopback port, on a new thread with its own
/// tokio runtime (real time, whatever the caller's clock).
pub(crate) fn spawn(router: Router) -> io::Result<Running> {
    let listener = std::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))?;
    listener.set_nonblocking(true)?;
    let base_url = format!("http://{}", listener.local_addr()?);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (shutdown, stopped) = oneshot::channel::<()>();
    std::thread::Builder::new()
        .name("camb-simulator".to_owned())
        .spawn(move || {
            runtime.block_on(async move {
                let Ok(listener) = TcpListener::from_std(listener) else {
                    return;
                };
                let _ = serve(listener, router, async {
                    let _ = stopped.await;
                })
                .await;
            });
        })?;
    Ok(Running {
        base_url,
        _shutdown: shutdown,
    })
}

/// A stream of chunks for [`Reply::stream`](crate::reply::Reply::stream).
pub(crate) type ByteStream = BoxStream<'static, Bytes>;

#[cfg(test)]
mod tests {
    use std::sync::{LazyLock, Mutex};
    use std::time::{Duration, Instant};

    use super::*;

    #[tokio::test]
    async fn a_form_gives_its_text_fields_and_its_files() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"language\"\r\n\r\nauto\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"media_file\"; filename=\"talk.wav\"\r\n\
Content-Type: audio/wav\r\n\r\nRIFF\r\n--\r\n--XyZ--\r\n",
        );
        let form = Form::parse(body.clone(), Some("multipart/form-data; boundary=XyZ"))
            .await
            .unwrap();
        assert_eq!(form.text("language").as_deref(), Some("auto"));
        assert_eq!(form.text("media_file"), None, "a file is not a text field");
        assert_eq!(
            form.file("media_file"),
            Some(("talk.wav", &b"RIFF\r\n--"[..]))
        );
        assert_eq!(form.parts()[1].content_type.as_deref(), Some("audio/wav"));
        assert_eq!(form.file("language"), None, "a text field is not a file");
        assert!(
            Form::parse(body.clone(), Some("application/json"))
                .await
                .is_none()
        );
        assert!(Form::parse(body, None).await.is_none());
    }

    /// A router over `operations` whose answer records each request and
    /// replies with `reply`.
    fn recording(operations: &[&str], reply: fn() -> Reply) -> (Router, Arc<Mutex<Vec<Request>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        let answer: Answer = Arc::new(move |request| {
            log.lock().unwrap().push(request);
            Box::pin(async move { reply() })
        });
        let operations = operations.iter().filter_map(|key| Operation::parse(key));
        (router(operations, answer), seen)
    }

    async fn send(router: &Router, method: &str, target: &str) -> Response<Body> {
        let request = axum::http::Request::builder()
            .method(method)
            .uri(target)
            .body(Body::empty())
            .unwrap();
        router.clone().oneshot(request).await.unwrap()
    }

    #[tokio::test]
    async fn templates_match_with_decoded_parameters_and_raw_targets() {
        let (router, seen) = recording(
            &[
                "GET /dub/{task_id}",
                "POST /dub",
                "GET /dictionaries/{dictionary_id}",
                "DELETE /dictionaries/{dictionary_id}",
                "POST /dictionaries/create-from-file",
                "GET /dub-alt-format/{task_id}",
                "POST /dub-alt-format/{run_id}/{language}",
            ],
            || Reply::detail(200, "ok"),
        );
        for (method, target) in [
            ("GET", "/dub/a%2Fb%20c?run_id=7&x=%41"),
            ("POST", "/dictionaries/create-from-file"),
            ("POST", "/dub-alt-format/5/fr-FR"),
            ("GET", "/dub-alt-format/alt-1"),
        ] {
            assert_eq!(send(&router, method, target).await.status(), 200);
        }
        let seen = seen.lock().unwrap();
        let status = &seen[0];
        assert_eq!(status.target, "/dub/a%2Fb%20c?run_id=7&x=%41");
        assert_eq!(status.param("task_id"), "a/b c");
        assert_eq!(status.query_value("run_id").as_deref(), Some("7"));
        assert_eq!(status.query_value("x").as_deref(), Some("A"));
        assert_eq!(status.path(), "/dub/a%2Fb%20c");
        let Matched::Operation(operation) = &seen[1].matched else {
            panic!("{:?}", seen[1].matched);
        };
        assert!(operation.is("POST /dictionaries/create-from-file"));
        assert_eq!(seen[2].param("run_id"), "5");
        assert_eq!(seen[2].param("language"), "fr-FR");
        assert_eq!(seen[3].param("task_id"), "alt-1");
    }

    #[tokio::test]
    async fn unknown_paths_and_wrong_methods_are_told_apart() {
        let (router, seen) = recording(
            &[
                "GET /dub/{task_id}",
                "POST /dub",
                "GET /dictionaries/{dictionary_id}",
                "DELETE /dictionaries/{dictionary_id}",
            ],
            || Reply::detail(404, "no"),
        );
        for (method, target) in [
            ("GET", "/dub/a/b"),
            ("GET", "/dub/"),
            ("GET", "/nothing"),
            ("GET", "/dub/%FF"),
            ("GET", "/dub"),
            ("POST", "/dictionaries/7"),
            ("HEAD", "/dub/x"),
        ] {
            send(&router, method, target).await;
        }
        let matched: Vec<Matched> = seen
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.matched.clone())
            .collect();
        let not_allowed = |allow: &str| Matched::MethodNotAllowed {
            allow: allow.to_owned(),
        };
        assert_eq!(
            matched,
            [
                Matched::NotFound,
                Matched::NotFound,
                Matched::NotFound,
                Matched::NotFound,
                not_allowed("POST"),
                not_allowed("GET, DELETE"),
                not_allowed("GET"),
            ]
        );
    }

    #[test]
    fn every_operation_of_the_spec_gets_a_route() {
        let operations = spec_operations();
        assert!(operations.len() >= 25, "{operations:?}");
        for operation in &operations {
            assert!(route_shape(&operation.template).is_some(), "{operation}");
        }
        // Building the router panics on a conflict axum cannot route.
        let answer: Answer = Arc::new(|_| Box::pin(async { Reply::detail(200, "ok") }));
        let _router = router(operations, answer);
        assert_eq!(
            route_shape("/a/{x}/b/{y}").as_deref(),
            Some("/a/{p0}/b/{p1}")
        );
        assert_eq!(route_shape("/a/{x}.json"), None);
    }

    /// A chunk stream that sleeps before each chunk and records when it is
    /// dropped.
    struct Paced {
        chunks: u32,
        dropped: Arc<Mutex<Option<u32>>>,
    }

    impl Drop for Paced {
        fn drop(&mut self) {
            *self.dropped.lock().unwrap() = Some(self.chunks);
        }
    }

    #[tokio::test]
    async fn a_streamed_reply_is_paced_and_notices_a_client_that_left() {
        static DROPPED: LazyLock<Arc<Mutex<Option<u32>>>> = LazyLock::new(Default::default);
        let (router, _) = recording(&["POST /tts-stream"], || {
            let paced = Paced {
                chunks: 0,
                dropped: Arc::clone(&DROPPED),
            };
            let stream = futures_util::stream::unfold(paced, |mut paced| async move {
                tokio::time::sleep(Duration::from_millis(150)).await;
                paced.chunks += 1;
                let chunk = Bytes::from(format!("chunk {}\n", paced.chunks));
                Some((chunk, paced))
            });
            Reply::stream(200, "audio/wav", stream)
        });
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(serve(listener, router, std::future::pending()));

        let client = reqwest::Client::builder().no_proxy().build().unwrap();
        let started = Instant::now();
        let mut response = client
            .post(format!("{base}/tts-stream"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-type"], "audio/wav");
        let first = response.chunk().await.unwrap().unwrap();
        let second = response.chunk().await.unwrap().unwrap();
        assert_eq!(
            (&first[..], &second[..]),
            (&b"chunk 1\n"[..], &b"chunk 2\n"[..])
        );
        assert!(started.elapsed() >= Duration::from_millis(300), "paced");
        assert_eq!(*DROPPED.lock().unwrap(), None, "still streaming");
        drop(response);
        let deadline = Instant::now() + Duration::from_secs(10);
        while DROPPED.lock().unwrap().is_none() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let sent = DROPPED.lock().unwrap().expect("the stream was dropped");
        assert!(
            sent < 10,
            "stopped soon after the client left: {sent} chunks"
        );
    }
}
