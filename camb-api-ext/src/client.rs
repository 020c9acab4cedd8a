//! [`Camb`], the client, and [`CambBuilder`], how one is made.

use std::{
    fmt,
    future::Future,
    net::IpAddr,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use camb_api::ResponseValue;
use reqwest::header::HeaderValue;

#[cfg(feature = "rustls-ring")]
use crate::tls;
use crate::{
    ApiKey, Error, PollPolicy, RetryPolicy, WaitErrorPolicy, WaitLimits,
    retry::{self, Resend},
    wait::RequestGate,
};

/// Where the API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://client.camb.ai/apis";

/// The CAMB.AI dubbing client: typed calls with retries, and waits.
///
/// Cheap to clone (the connection pool is shared). Its `Debug` output shows
/// the base URL and policies, never the key.
///
/// - [`Camb::create_dub`], [`Camb::status`], [`Camb::result`],
///   [`Camb::results`], [`Camb::transcript`],
///   [`Camb::start_export`], [`Camb::source_languages`],
///   [`Camb::target_languages`]: one call each (a batch of results: one per
///   [`RESULTS_PER_REQUEST`](crate::RESULTS_PER_REQUEST) runs), retried
///   under the [`RetryPolicy`];
/// - [`Camb::wait_for_dub`], [`Camb::watch_dub`], [`Camb::wait`],
///   [`Camb::wait_for_dubs`], [`Camb::dub`], [`Camb::wait_for_export`],
///   [`Camb::export`]: waiting, under the [`PollPolicy`] and
///   [`WaitErrorPolicy`];
/// - [`Camb::dictionaries`] and the other dictionary calls, [`Camb::folders`]
///   and [`Camb::create_folder`]: the ids a [`DubRequest`](crate::DubRequest)
///   refers to;
/// - [`Camb::raw`]: the generated client, for anything else.
#[derive(Clone)]
pub struct Camb {
    pub(crate) raw: camb_api::Client,
    pub(crate) key: ApiKey,
    pub(crate) retry: RetryPolicy,
    pub(crate) poll: PollPolicy,
    pub(crate) wait_errors: WaitErrorPolicy,
    pub(crate) cut_requests_at_deadline: bool,
    /// Made for tokio's paused clock: speech streams then apply no default
    /// time limits (see [`CambBuilder::for_paused_clock`]).
    pub(crate) paused_clock: bool,
    /// Admits every request of this client, when it is one of
    /// [`Camb::dub_all`]'s: the limits hold across all its calls.
    gate: Option<Arc<RequestGate>>,
    /// Set once any request got an answer (any status): a wait then treats
    /// connection failures as a flapping server, not a wrong base URL.
    answered: Arc<AtomicBool>,
}

impl fmt::Debug for Camb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Camb")
            .field("base_url", &self.base_url())
            .field("api_key", &self.key)
            .field("retry", &self.retry)
            .field("poll", &self.poll)
            .field("wait_errors", &self.wait_errors)
            .field("cut_requests_at_deadline", &self.cut_requests_at_deadline)
            .field("paused_clock", &self.paused_clock)
            .field("gated", &self.gate.is_some())
            .finish()
    }
}

impl Camb {
    /// A client configured from the environment: `CAMB_API_KEY` (required)
    /// and `CAMB_BASE_URL` (optional, default [`DEFAULT_BASE_URL`]).
    pub fn from_env() -> Result<Self, Error> {
        Camb::builder()
            .with_env(|name| std::env::var(name).ok())
            .build()
    }

    /// A builder with the defaults; see [`CambBuilder`].
    pub fn builder() -> CambBuilder {
        CambBuilder::default()
    }

    /// The base URL requests go to, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        camb_api::ClientInfo::baseurl(&self.raw)
    }

    /// The generated client underneath, for operations this crate does not
    /// wrap. Its requests carry the key but get no retries.
    pub fn raw(&self) -> &camb_api::Client {
        &self.raw
    }

    /// The client's policies for a wait.
    pub(crate) fn policies(&self) -> crate::wait::Policies<'_> {
        crate::wait::Policies {
            retry: &self.retry,
            poll: self.poll.clone(),
            errors: self.wait_errors,
            cut_requests_at_deadline: self.cut_requests_at_deadline,
            reach: Some(crate::wait::Reach {
                base_url: self.base_url(),
                answered: &self.answered,
            }),
        }
    }

    /// A clone whose every request, from all its calls together, is admitted
    /// under `limits`.
    pub(crate) fn gated(&self, limits: WaitLimits) -> Camb {
        Camb {
            gate: Some(Arc::new(RequestGate::new(limits))),
            ..self.clone()
        }
    }

    /// Awaits a call of the generated client (once admitted, for a gated
    /// client), mapping its error.
    pub(crate) async fn send<T, E: serde::Serialize>(
        &self,
        call: impl Future<Output = Result<ResponseValue<T>, camb_api::Error<E>>>,
    ) -> Result<ResponseValue<T>, Error> {
        let _permit = match &self.gate {
            Some(gate) => gate.enter().await,
            None => None,
        };
        let answer = call.await;
        if !matches!(&answer, Err(camb_api::Error::CommunicationError(e)) if e.is_connect()) {
            self.answered.store(true, Ordering::Relaxed);
        }
        match answer {
            Ok(response) => Ok(response),
            Err(err) => Err(Error::from_raw(err, &self.key).await),
        }
    }

    /// One call of the generated client, made (and resent as `resend`
    /// allows) under the client's [`RetryPolicy`]: the answer's body.
    pub(crate) async fn call<T, E, F, R>(&self, resend: Resend, mut call: F) -> Result<T, Error>
    where
        E: serde::Serialize,
        F: FnMut() -> R,
        R: Future<Output = Result<ResponseValue<T>, camb_api::Error<E>>>,
    {
        retry::run(&self.retry, resend, None, || self.send(call()))
            .await
            .map(ResponseValue::into_inner)
    }

    /// Sends one call of the generated client ([`Camb::raw`]) the way this
    /// crate's own calls go: under the client's [`RetryPolicy`], resent
    /// only as `resend` allows, and failing with this crate's [`Error`]
    /// (with the start of the answer's body, the key scrubbed), not
    /// [`camb_api::Error`]. For the operations no typed method wraps yet.
    ///
    /// `call` makes the request afresh each time it is called (`|| camb.raw()
    /// .get_x().id(..).send()`): it is called once per attempt. Whether a
    /// failed attempt is sent again is `resend`'s choice:
    ///
    /// - [`Resend::Idempotent`] for reads, and for writes that do the same
    ///   thing however often they arrive (`PUT`, `DELETE`): resent after any
    ///   transient failure (connection trouble, timeouts, 408, 429, 5xx);
    /// - [`Resend::OnlyIfUnprocessed`] for calls that start something or
    ///   spend credits (creating a task): resent only when the server surely
    ///   did not act (a failed connect, 408, 429), so an answer lost on the
    ///   way back never makes a second task.
    ///
    /// The answer's body is returned; it works with every operation,
    /// whatever error type it documents (`E` only needs to serialize, as
    /// every generated type does). A 422 with the API's validation detail is
    /// an [`Error::Validation`], 404 [`Error::NotFound`], and so on (see
    /// [`Error`]). A gated client ([`Camb::dub_all`]'s) admits the call
    /// under its limits like any other.
    ///
    /// ```
    /// # use std::sync::atomic::{AtomicUsize, Ordering};
    /// # use httpmock::{HttpMockResponse, prelude::*};
    /// # #[tokio::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() -> Result<(), camb_api_ext::Error> {
    /// # let server = MockServer::start_async().await;
    /// # let asked = AtomicUsize::new(0);
    /// # server.mock(|when, then| {
    /// #     when.method(GET).path("/dub/t-1");
    /// #     then.respond_with(move |_| match asked.fetch_add(1, Ordering::Relaxed) {
    /// #         0 => HttpMockResponse::builder().status(503).body("busy").build(),
    /// #         _ => HttpMockResponse::builder().status(200).header("content-type", "application/json")
    /// #             .body(r#"{"status": "SUCCESS", "run_id": 7}"#).build(),
    /// #     });
    /// # });
    /// # server.mock(|when, then| {
    /// #     when.method(GET).path("/dub/gone");
    /// #     then.status(404).json_body(serde_json::json!({"detail": "Task not found"}));
    /// # });
    /// # let base_url = server.base_url();
    /// use camb_api_ext::{Camb, Error, Resend, TaskId};
    ///
    /// let camb = Camb::builder()
    ///     .api_key("your-api-key")
    ///     .base_url(base_url)
    ///     .for_paused_clock() // this example runs on a paused clock
    ///     .build()?;
    ///
    /// // The server answers 503 at first: retried with backoff, like typed calls.
    /// let task_id: TaskId = "t-1".parse()?;
    /// let status = camb
    ///     .call_raw(Resend::Idempotent, || {
    ///         camb.raw().get_dub_status().task_id(&task_id).send()
    ///     })
    ///     .await?;
    /// assert_eq!(status.run_id, Some(7));
    ///
    /// // An error carries the start of the body the server sent.
    /// let gone: TaskId = "gone".parse()?;
    /// let err = camb
    ///     .call_raw(Resend::Idempotent, || {
    ///         camb.raw().get_dub_status().task_id(&gone).send()
    ///     })
    ///     .await
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::NotFound { .. }));
    /// assert!(err.to_string().contains("Task not found"), "{err}");
    /// # Ok(()) }
    /// ```
    pub async fn call_raw<T, E, F, R>(&self, resend: Resend, call: F) -> Result<T, Error>
    where
        E: serde::Serialize,
        F: FnMut() -> R,
        R: Future<Output = Result<ResponseValue<T>, camb_api::Error<E>>>,
    {
        self.call(resend, call).await
    }

    /// This crate's [`Error`] for an error of a call of the generated client
    /// sent without [`Camb::call_raw`]: with the start of the answer's body
    /// (which [`camb_api::Error`]'s own text leaves out), the key scrubbed.
    pub async fn raw_error<E: serde::Serialize>(&self, err: camb_api::Error<E>) -> Error {
        Error::from_raw(err, &self.key).await
    }
}

/// Builds a [`Camb`].
///
/// ```
/// use std::time::Duration;
/// use camb_api_ext::{Camb, PollPolicy};
///
/// let camb = Camb::builder()
///     .api_key("your-key")
///     .base_url("http://127.0.0.1:8080")
///     .timeout(Some(Duration::from_secs(10)))
///     .user_agent("my-app/1.0")
///     .poll_policy(PollPolicy::default().with_deadline(Some(Duration::from_secs(3600))))
///     .build()?;
/// assert_eq!(camb.base_url(), "http://127.0.0.1:8080");
/// # Ok::<(), camb_api_ext::Error>(())
/// ```
#[derive(Debug)]
pub struct CambBuilder {
    base_url: Option<String>,
    api_key: Option<Result<ApiKey, Error>>,
    timeout: Timeout,
    user_agent: Option<String>,
    http: Option<Http>,
    allow_insecure_http: bool,
    retry: RetryPolicy,
    poll: PollPolicy,
    wait_errors: WaitErrorPolicy,
    cut_requests_at_deadline: bool,
    paused_clock: bool,
}

impl Default for CambBuilder {
    fn default() -> Self {
        CambBuilder {
            base_url: None,
            api_key: None,
            timeout: Timeout::default(),
            user_agent: None,
            http: None,
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
            poll: PollPolicy::default(),
            wait_errors: WaitErrorPolicy::default(),
            cut_requests_at_deadline: true,
            paused_clock: false,
        }
    }
}

/// Where the reqwest client comes from.
#[derive(Debug)]
enum Http {
    /// The caller's configuration, finished by [`CambBuilder::build`].
    Builder(Box<reqwest::ClientBuilder>),
    /// The caller's client, used as is.
    Client(reqwest::Client),
}

/// The request timeout, and whether the caller chose it.
#[derive(Debug, Default)]
enum Timeout {
    /// 30 s per request, 10 s to connect; not applied to a caller's own
    /// reqwest builder.
    #[default]
    Default,
    /// Chosen by the caller; `None` for no timeout.
    Chosen(Option<Duration>),
    /// No timeout and no idle timer on the pool
    /// ([`CambBuilder::for_paused_clock`]).
    PausedClock,
}

impl CambBuilder {
    /// The API key (required; [`Camb::from_env`] reads `CAMB_API_KEY`).
    /// Surrounding whitespace is trimmed.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(ApiKey::new(key));
        self
    }

    /// Where the API lives; default [`DEFAULT_BASE_URL`]. A trailing `/` is
    /// dropped. Plain `http://` is refused except to a loopback address (the
    /// key would cross the network unencrypted), unless
    /// [`CambBuilder::allow_insecure_http`] is set.
    ///
    /// The key goes to this origin only: a redirect elsewhere is refused
    /// ([`Error::Redirected`]). A loopback or plain `http://` base URL is
    /// reached directly, never through a proxy (`HTTP_PROXY` and the like
    /// are ignored for it); an `https://` one honours the system proxy
    /// settings, through a tunnel the proxy cannot read.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Allows plain `http://` to any host. Only for trusted networks: the
    /// API key is sent in the clear (to that host only: never to a proxy).
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.allow_insecure_http = allow;
        self
    }

    /// The limit on each request, connection included; `None` for none.
    /// Default: 30 s (10 s to connect).
    ///
    /// reqwest measures it on tokio's clock, so tests on a paused clock that
    /// talk to a real socket should turn it off.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = Timeout::Chosen(timeout);
        self
    }

    /// The `User-Agent` header; default `camb-api-ext/<version>`.
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Your own reqwest configuration (proxy, pool, extra headers, ...).
    ///
    /// Camb adds the user agent (with the `rustls-ring` feature also its TLS
    /// setup, replacing any TLS settings on `builder`), and a timeout only if
    /// [`CambBuilder::timeout`] was called. It also sets its redirect policy
    /// (same origin only, see [`Error::Redirected`]) and, for a loopback or
    /// plain `http://` base URL, turns every proxy off (the key must not
    /// reach a proxy in the clear), replacing those settings. To use a client
    /// exactly as built, see [`CambBuilder::reqwest_client`].
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(Http::Builder(Box::new(builder)));
        self
    }

    /// Your own `reqwest::Client`, used as is (for example to share its
    /// connection pool with the rest of an application). Only the key is
    /// added, to each request. Its TLS, timeouts and user agent are yours:
    /// combining it with [`CambBuilder::timeout`] or
    /// [`CambBuilder::user_agent`] is an [`Error::InvalidInput`] at build.
    ///
    /// So are its redirect and proxy settings, which Camb cannot see or
    /// change: build it with `.redirect(reqwest::redirect::Policy::none())`
    /// (reqwest's default follows redirects to any origin and sends the key
    /// along: the call then fails with [`Error::Redirected`], but too late for
    /// the key), and, for a plain `http://` base URL, with `.no_proxy()`.
    /// A wait still ends at its deadline even if this client has no timeout,
    /// and response bodies are capped at
    /// [`MAX_BODY_BYTES`](camb_api::MAX_BODY_BYTES) whatever the client.
    ///
    /// With only the `rustls-ring` feature (not the default `rustls`),
    /// reqwest is compiled with `rustls-no-provider` and panics when building
    /// a client without a TLS setup: give it `camb_api_ext::tls_config()`.
    pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(Http::Client(client));
        self
    }

    /// How single requests are retried; default [`RetryPolicy::default`].
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How waits poll; default [`PollPolicy::default`].
    pub fn poll_policy(mut self, policy: PollPolicy) -> Self {
        self.poll = policy;
        self
    }

    /// Which errors end a wait; default [`WaitErrorPolicy::default`].
    pub fn wait_error_policy(mut self, policy: WaitErrorPolicy) -> Self {
        self.wait_errors = policy;
        self
    }

    /// Whether a wait cuts a status request still running at its deadline
    /// (default `true`): every request of a wait then ends at the
    /// [`PollPolicy`] deadline at the latest (the final poll, made right at
    /// the deadline, gets 10 s), even on a connection that went silent and a
    /// reqwest client without a timeout.
    ///
    /// Turn it off only in tests on tokio's paused clock that talk to a real
    /// socket served from another thread (such as httpmock's): there the
    /// clock jumps to the next timer, the deadline, whenever the runtime
    /// waits for the socket, and every such request would be cut.
    pub fn cut_requests_at_deadline(mut self, cut: bool) -> Self {
        self.cut_requests_at_deadline = cut;
        self
    }

    /// Makes the client work in tests on tokio's paused clock
    /// (`#[tokio::test(start_paused = true)]`) against a real socket served
    /// from another thread, such as the `camb-simulator` crate's simulator
    /// (whose `Simulator::camb` sets this) or an httpmock server.
    ///
    /// On a paused clock, tokio jumps to the next timer whenever the runtime
    /// waits for a socket, so every timer that runs while a request is in
    /// flight fires at once. This one switch turns all of them off: the
    /// request timeout ([`CambBuilder::timeout`]`(None)`), the cut of a
    /// request still running at a wait's deadline
    /// ([`CambBuilder::cut_requests_at_deadline`]`(false)`) and the
    /// connection pool's idle timer (reqwest's `pool_idle_timeout(None)`,
    /// also on a builder given to [`CambBuilder::http_client`]). A client
    /// given to [`CambBuilder::reqwest_client`] cannot be changed, so the
    /// two together are an [`Error::InvalidInput`] at build.
    ///
    /// Not for production: a silent connection then hangs a call until
    /// the wait's deadline passes and the next poll is due.
    pub fn for_paused_clock(mut self) -> Self {
        self.paused_clock = true;
        self
    }

    /// Takes the key and base URL from `lookup` (the environment, for
    /// [`Camb::from_env`]). A blank key is refused as empty, not as unset
    /// (the variable is there, its value is not); a blank base URL counts
    /// as unset.
    pub(crate) fn with_env(mut self, lookup: impl Fn(&str) -> Option<String>) -> Self {
        let var = |name| lookup(name).filter(|value| !value.trim().is_empty());
        let invalid = |reason: &str| Error::InvalidInput {
            field: "CAMB_API_KEY",
            reason: reason.into(),
        };
        self.api_key = Some(match lookup("CAMB_API_KEY") {
            Some(key) if key.trim().is_empty() => Err(invalid(
                "is empty (the variable is set, but to nothing or only whitespace)",
            )),
            Some(key) => ApiKey::new(key),
            None => Err(invalid("is not set")),
        });
        if let Some(url) = var("CAMB_BASE_URL") {
            self.base_url = Some(url);
        }
        self
    }

    /// Checks everything and makes the client. No request is sent.
    pub fn build(self) -> Result<Camb, Error> {
        let key = self.api_key.unwrap_or_else(|| {
            Err(Error::InvalidInput {
                field: "api_key",
                reason: "is not set (set CAMB_API_KEY or call CambBuilder::api_key)".into(),
            })
        })?;
        let base_url = check_base_url(
            self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL),
            self.allow_insecure_http,
        )?;
        #[cfg(not(any(feature = "rustls", feature = "rustls-ring")))]
        if base_url.starts_with("https:") {
            return Err(Error::InvalidInput {
                field: "base_url",
                reason: "https needs a TLS backend: enable camb-api-ext's `rustls` (default) \
                         or `rustls-ring` feature"
                    .into(),
            });
        }
        self.retry.check()?;
        self.poll.check()?;

        let auth = key.auth()?;
        let timeout = if self.paused_clock {
            Timeout::PausedClock
        } else {
            self.timeout
        };
        let http = match self.http {
            Some(Http::Client(_)) if self.paused_clock => {
                return Err(Error::InvalidInput {
                    field: "reqwest_client",
                    reason: "for_paused_clock cannot change a client used as is; build it \
                             with pool_idle_timeout(None) and no timeout, or pass its \
                             builder to http_client"
                        .into(),
                });
            }
            Some(Http::Client(client)) => {
                if matches!(timeout, Timeout::Chosen(_)) || self.user_agent.is_some() {
                    return Err(Error::InvalidInput {
                        field: "reqwest_client",
                        reason: "a client used as is keeps its own timeout and user agent; \
                                 set them on the reqwest::Client instead"
                            .into(),
                    });
                }
                client
            }
            Some(Http::Builder(builder)) => {
                finish_http_client(*builder, true, timeout, self.user_agent, &base_url)?
            }
            None => finish_http_client(
                reqwest::Client::builder(),
                false,
                timeout,
                self.user_agent,
                &base_url,
            )?,
        };

        Ok(Camb {
            raw: camb_api::Client::new_with_client(&base_url, http, auth),
            key,
            retry: self.retry,
            poll: self.poll,
            wait_errors: self.wait_errors,
            cut_requests_at_deadline: self.cut_requests_at_deadline && !self.paused_clock,
            paused_clock: self.paused_clock,
            gate: None,
            answered: Arc::default(),
        })
    }
}

/// Adds our user agent, TLS setup, timeout, redirect policy and proxy rule
/// to a reqwest builder.
fn finish_http_client(
    builder: reqwest::ClientBuilder,
    own_builder: bool,
    timeout: Timeout,
    user_agent: Option<String>,
    base_url: &str,
) -> Result<reqwest::Client, Error> {
    let agent = user_agent
        .unwrap_or_else(|| concat!("camb-api-ext/", env!("CARGO_PKG_VERSION")).to_owned());
    let agent = HeaderValue::from_str(&agent).map_err(|_| Error::InvalidInput {
        field: "user_agent",
        reason: "is not a valid header value".into(),
    })?;
    let mut http = builder.user_agent(agent).redirect(same_origin_redirects());
    #[cfg(feature = "rustls-ring")]
    {
        http = http.tls_backend_preconfigured(tls::tls_config()?);
    }
    if bypasses_proxies(base_url) {
        http = http.no_proxy();
    }
    if matches!(timeout, Timeout::PausedClock) {
        http = http.pool_idle_timeout(None);
    }
    let timeout = match timeout {
        Timeout::PausedClock => None,
        Timeout::Default if own_builder => None,
        Timeout::Default => Some(Duration::from_secs(30)),
        Timeout::Chosen(timeout) => timeout,
    };
    if let Some(limit) = timeout {
        http = http
            .timeout(limit)
            .connect_timeout(limit.min(Duration::from_secs(10)));
    }
    http.build().map_err(|e| Error::InvalidInput {
        field: "http_client",
        reason: e.to_string(),
    })
}

/// How many redirects within the base URL's origin are followed.
const MAX_REDIRECTS: usize = 5;

/// Follows redirects within the origin of the request (scheme, host and
/// port), where the key may go; stops at any other, so that the key never
/// follows it: the call then fails with [`Error::Redirected`].
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt
            .previous()
            .first()
            .is_some_and(|first| first.origin() == attempt.url().origin());
        if same_origin && attempt.previous().len() <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Whether requests to `base_url` must bypass every proxy: a loopback
/// address is never reached through one, and plain `http://` would show the
/// key to the proxy. (An `https://` request through a proxy is a tunnel the
/// proxy cannot read.)
fn bypasses_proxies(base_url: &str) -> bool {
    reqwest::Url::parse(base_url).map_or(true, |url| url.scheme() != "https" || is_loopback(&url))
}

/// Checks a base URL and drops its trailing `/`.
fn check_base_url(text: &str, allow_insecure_http: bool) -> Result<String, Error> {
    let invalid = |reason: String| Error::InvalidInput {
        field: "base_url",
        reason,
    };
    // The URL is never echoed back: a mistaken one may hold a secret.
    let url =
        reqwest::Url::parse(text.trim()).map_err(|e| invalid(format!("is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("must not hold credentials".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".into()));
    }
    match url.scheme() {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(invalid(format!(
                "plain http to {} would send the API key unencrypted; use https, a loopback \
                 address, or CambBuilder::allow_insecure_http(true)",
                url.host_str().unwrap_or("this host")
            )));
        }
        other => {
            return Err(invalid(format!(
                "the scheme must be https or http, not `{other}`"
            )));
        }
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// `localhost`, 127.0.0.0/8 or `[::1]`.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base_url_problem(url: &str, allow_insecure_http: bool) -> Option<String> {
        match check_base_url(url, allow_insecure_http) {
            Ok(_) => None,
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "base_url");
                Some(reason)
            }
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn base_urls_lose_the_trailing_slash_and_plain_http_stays_local() {
        assert_eq!(
            check_base_url("https://client.camb.ai/apis/", false).unwrap(),
            DEFAULT_BASE_URL
        );
        assert_eq!(
            check_base_url("http://127.0.0.1:9/", false).unwrap(),
            "http://127.0.0.1:9"
        );
        for local in [
            "http://localhost:1",
            "http://127.8.9.10",
            "http://[::1]:80/x",
        ] {
            assert_eq!(base_url_problem(local, false), None, "{local}");
        }
        assert!(
            base_url_problem("http://10.0.0.1/apis", false)
                .unwrap()
                .contains("unencrypted")
        );
        assert!(
            base_url_problem("http://example.com", false)
                .unwrap()
                .contains("example.com")
        );
        assert_eq!(base_url_problem("http://example.com", true), None);
        assert!(
            base_url_problem("ftp://example.com", true)
                .unwrap()
                .contains("ftp")
        );
        assert!(
            base_url_problem("https://u:secret@example.com", false)
                .unwrap()
                .contains("credentials")
        );
        assert!(
            !base_url_problem("not a url secret", false)
                .unwrap()
                .contains("secret")
        );
        assert!(
            base_url_problem("https://example.com/?a=1", false)
                .unwrap()
                .contains("query")
        );
    }

    #[test]
    fn only_remote_https_may_go_through_a_proxy() {
        assert!(!bypasses_proxies("https://client.camb.ai/apis"));
        for direct in [
            "http://127.0.0.1:9",
            "https://localhost:8443",
            "https://[::1]",
            "http://10.0.0.1/apis",
            "http://example.com",
        ] {
            assert!(bypasses_proxies(direct), "{direct}");
        }
    }

    #[test]
    fn from_env_needs_the_key_and_takes_the_base_url() {
        let vars = |key: Option<&'static str>, url: Option<&'static str>| {
            move |name: &str| match name {
                "CAMB_API_KEY" => key.map(str::to_owned),
                "CAMB_BASE_URL" => url.map(str::to_owned),
                _ => None,
            }
        };
        let missing = Camb::builder()
            .with_env(vars(None, None))
            .build()
            .unwrap_err();
        assert!(matches!(
            missing,
            Error::InvalidInput {
                field: "CAMB_API_KEY",
                ..
            }
        ));
        assert_eq!(missing.to_string(), "invalid CAMB_API_KEY: is not set");
        for blank in ["", "  \n"] {
            let blank = Camb::builder()
                .with_env(vars(Some(blank), None))
                .build()
                .unwrap_err();
            assert!(matches!(
                blank,
                Error::InvalidInput {
                    field: "CAMB_API_KEY",
                    ..
                }
            ));
            let shown = blank.to_string();
            assert!(
                shown.starts_with("invalid CAMB_API_KEY: is empty"),
                "{shown}"
            );
            assert!(!shown.contains("not set"), "{shown}");
        }

        let camb = Camb::builder()
            .with_env(vars(Some("k-1"), None))
            .build()
            .unwrap();
        assert_eq!(camb.base_url(), DEFAULT_BASE_URL);
        let local = vars(Some("k-1"), Some("http://127.0.0.1:4010/"));
        let camb = Camb::builder().with_env(local).build().unwrap();
        assert_eq!(camb.base_url(), "http://127.0.0.1:4010");
    }

    #[test]
    fn the_key_is_never_in_debug_output() {
        let camb = Camb::builder().api_key("sk-very-secret").build().unwrap();
        let builder = Camb::builder().api_key("sk-very-secret");
        for shown in [
            format!("{camb:?}"),
            format!("{camb:#?}"),
            format!("{builder:?}"),
        ] {
            assert!(!shown.contains("sk-very-secret"), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
        assert!(!format!("{:?}", camb.raw()).contains("sk-very-secret"));
    }

    #[test]
    fn builds_with_https_and_a_callers_reqwest_builder() {
        // Building must not need a process-wide rustls provider.
        let own = reqwest::Client::builder().pool_max_idle_per_host(1);
        let camb = Camb::builder()
            .api_key("k")
            .http_client(own)
            .build()
            .unwrap();
        assert_eq!(camb.base_url(), DEFAULT_BASE_URL);
    }

    #[test]
    fn rejects_bad_policies_and_headers() {
        let bad_poll =
            PollPolicy::default().with_backoff(PollPolicy::default().backoff().with_factor(0.5));
        let err = Camb::builder()
            .api_key("k")
            .poll_policy(bad_poll)
            .build()
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "poll_policy",
                ..
            }
        ));
        let err = Camb::builder()
            .api_key("k")
            .user_agent("a\nb")
            .build()
            .unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "user_agent",
                ..
            }
        ));
        let err = Camb::builder().build().unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidInput {
                field: "api_key",
                ..
            }
        ));
    }
}
