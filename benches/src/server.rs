//! [`LocalServer`]: a minimal HTTP/1.1 server on 127.0.0.1, in the caller's
//! tokio runtime, that keeps connections alive and answers every request
//! with what a [`Respond`] writes.
//!
//! It does the least a server can: parse the request head (httparse), skip a
//! body by its `content-length`, write a prepared answer. So its own cost
//! stays small next to the clients it serves, unlike httpmock's matching.

use std::{
    io,
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    task::JoinHandle,
};

/// What the server answers: the whole HTTP response, written into a buffer.
pub trait Respond: Send + Sync + 'static {
    /// Writes the response to `GET target` (or another `method`) into `out`,
    /// which is empty, and returns how long to hold it back (a simulated
    /// server latency; zero sends it at once).
    fn respond(&self, method: &str, target: &str, out: &mut Vec<u8>) -> Duration;

    /// Called once the response has been written to the socket.
    fn sent(&self) {}
}

/// Writes a complete `application/json` response with `body`.
pub fn write_json_response(out: &mut Vec<u8>, code: u16, body: &[u8]) {
    let reason = match code {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Unknown",
    };
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        )
        .as_bytes(),
    );
    out.extend_from_slice(body);
}

/// A fixed response, prepared once: every request gets the same bytes.
#[derive(Debug, Clone)]
pub struct FixedResponse {
    bytes: Vec<u8>,
}

impl FixedResponse {
    /// A `200` answer with this JSON body.
    pub fn json(body: &str) -> Self {
        let mut bytes = Vec::new();
        write_json_response(&mut bytes, 200, body.as_bytes());
        FixedResponse { bytes }
    }
}

impl Respond for FixedResponse {
    fn respond(&self, _method: &str, _target: &str, out: &mut Vec<u8>) -> Duration {
        out.extend_from_slice(&self.bytes);
        Duration::ZERO
    }
}

/// Counts kept by the server itself.
#[derive(Debug, Default)]
struct Counters {
    connections: AtomicU64,
    requests: AtomicU64,
}

/// A running [`LocalServer`]; stops when dropped.
#[derive(Debug)]
pub struct LocalServer {
    addr: SocketAddr,
    counters: Arc<Counters>,
    accept: JoinHandle<()>,
}

impl LocalServer {
    /// Binds 127.0.0.1 on a free port and serves `responder` from tasks of
    /// the current tokio runtime.
    pub async fn start<R: Respond>(responder: Arc<R>) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let counters = Arc::new(Counters::default());
        let accept = tokio::spawn(accept_loop(listener, responder, counters.clone()));
        Ok(LocalServer {
            addr,
            counters,
            accept,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> u64 {
        self.counters.connections.load(Ordering::Relaxed)
    }

    /// Requests answered so far.
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

async fn accept_loop<R: Respond>(
    listener: TcpListener,
    responder: Arc<R>,
    counters: Arc<Counters>,
) {
    while let Ok((stream, _)) = listener.accept().await {
        counters.connections.fetch_add(1, Ordering::Relaxed);
        // A broken connection only ends itself; the client sees the error.
        tokio::spawn(serve_connection(
            stream,
            responder.clone(),
            counters.clone(),
        ));
    }
}

/// Answers the requests of one kept-alive connection, in order.
async fn serve_connection<R: Respond>(
    mut stream: TcpStream,
    responder: Arc<R>,
    counters: Arc<Counters>,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut input = Vec::with_capacity(4096);
    let mut out = Vec::with_capacity(1024);
    loop {
        match parse_and_respond(&input, responder.as_ref(), &mut out) {
            Parsed::Complete { used, hold } => {
                input.drain(..used);
                counters.requests.fetch_add(1, Ordering::Relaxed);
                if !hold.is_zero() {
                    tokio::time::sleep(hold).await;
                }
                stream.write_all(&out).await?;
                responder.sent();
                continue;
            }
            Parsed::Malformed => {
                out.clear();
                write_json_response(&mut out, 400, br#"{"detail":"malformed request"}"#);
                stream.write_all(&out).await?;
                return Ok(());
            }
            Parsed::Partial => {}
        }
        if stream.read_buf(&mut input).await? == 0 {
            return Ok(());
        }
    }
}

/// The outcome of looking at the bytes received so far.
enum Parsed {
    /// A whole request of `used` bytes was answered into `out`.
    Complete { used: usize, hold: Duration },
    /// More bytes are needed.
    Partial,
    /// Not HTTP/1.1: answer 400 and close.
    Malformed,
}

fn parse_and_respond(input: &[u8], responder: &impl Respond, out: &mut Vec<u8>) -> Parsed {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    let head = match request.parse(input) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return Parsed::Partial,
        Err(_) => return Parsed::Malformed,
    };
    let body = request
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("content-length"))
        .map(|h| {
            std::str::from_utf8(h.value)
                .ok()
                .and_then(|v| v.trim().parse().ok())
        });
    let body: usize = match body {
        None => 0,
        Some(Some(len)) => len,
        Some(None) => return Parsed::Malformed,
    };
    let used = head + body;
    if input.len() < used {
        return Parsed::Partial;
    }
    out.clear();
    let hold = responder.respond(
        request.method.unwrap_or("GET"),
        request.path.unwrap_or("/"),
        out,
    );
    Parsed::Complete { used, hold }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Echo;

    impl Respond for Echo {
        fn respond(&self, method: &str, target: &str, out: &mut Vec<u8>) -> Duration {
            write_json_response(out, 200, format!("\"{method} {target}\"").as_bytes());
            Duration::ZERO
        }
    }

    #[test]
    fn answers_a_whole_request_and_waits_for_a_partial_one() {
        let mut out = Vec::new();
        let two = b"GET /dub/a HTTP/1.1\r\nhost: x\r\n\r\nGET /dub/b HTTP/1.1\r\n";
        match parse_and_respond(two, &Echo, &mut out) {
            Parsed::Complete { used, hold } => {
                assert_eq!(used, 32);
                assert!(hold.is_zero());
            }
            _ => panic!("the first request is complete"),
        }
        let text = String::from_utf8(out.clone()).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n\"GET /dub/a\""), "{text}");
        assert!(matches!(
            parse_and_respond(&two[32..], &Echo, &mut out),
            Parsed::Partial
        ));
    }

    #[test]
    fn skips_a_body_by_its_length_and_rejects_garbage() {
        let mut out = Vec::new();
        let post = b"POST /dub HTTP/1.1\r\ncontent-length: 4\r\n\r\n{}";
        assert!(matches!(
            parse_and_respond(post, &Echo, &mut out),
            Parsed::Partial
        ));
        let whole = b"POST /dub HTTP/1.1\r\ncontent-length: 4\r\n\r\n{}{}";
        assert!(matches!(
            parse_and_respond(whole, &Echo, &mut out),
            Parsed::Complete { used: 45, .. }
        ));
        assert!(matches!(
            parse_and_respond(b"\x00\x01 nonsense\r\n\r\n", &Echo, &mut out),
            Parsed::Malformed
        ));
    }

    #[tokio::test]
    async fn keeps_one_connection_alive_for_many_requests() {
        let server = LocalServer::start(Arc::new(FixedResponse::json(r#"{"status":"PENDING"}"#)))
            .await
            .unwrap();
        let http = crate::clients::baseline_http_client();
        let url = format!("{}/dub/t1", server.base_url());
        for _ in 0..3 {
            let body = http.get(&url).send().await.unwrap().text().await.unwrap();
            assert_eq!(body, r#"{"status":"PENDING"}"#);
        }
        assert_eq!(server.requests(), 3);
        assert_eq!(server.connections(), 1);
    }
}
