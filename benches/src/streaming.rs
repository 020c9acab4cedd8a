//! [`StreamingServer`]: one local streaming server for bench 4, on a thread
//! and tokio runtime of its own (so the clients' work never delays its
//! pace), answering every request with the same audio: a WAV, sent with
//! chunked transfer encoding, a wait before the first chunk and a gap
//! between chunks, each chunk's send time logged.
//!
//! Like [`LocalServer`](crate::server::LocalServer) it does the least a
//! server can (httparse for the request head, one `write_all` per chunk),
//! so that what differs between two clients of it is the clients.

use std::{
    io,
    net::SocketAddr,
    sync::{Arc, Mutex, PoisonError},
    thread,
    time::{Duration, Instant},
};

use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::watch,
};

/// What every answer is.
#[derive(Clone, Debug)]
pub struct StreamPlan {
    /// Bytes per chunk (the first chunk carries the WAV header in them).
    pub chunk_bytes: usize,
    /// How many chunks.
    pub chunks: usize,
    /// The wait before the first chunk (the head goes at once).
    pub first_byte: Duration,
    /// The wait between two chunks.
    pub gap: Duration,
    /// After the first chunk, wait until [`StreamingServer::release`]
    /// before the others (to hold many streams open at once).
    pub hold_after_first: bool,
}

impl StreamPlan {
    /// The whole body: a 16-bit mono 22.05 kHz WAV with placeholder sizes
    /// (hound's header for a stream), then a tone, `chunk_bytes × chunks`
    /// bytes in all.
    pub fn body(&self) -> Vec<u8> {
        let mut body = self.spec().into_header_for_infinite_file();
        let total = self.chunk_bytes * self.chunks;
        let mut index = 0_u32;
        while body.len() < total {
            let sample = ((index % 100) as i16 - 50) * 300;
            body.extend_from_slice(&sample.to_le_bytes());
            index += 1;
        }
        body.truncate(total);
        body
    }

    /// The length of the WAV header at the body's start.
    pub fn header_len(&self) -> usize {
        self.spec().into_header_for_infinite_file().len()
    }

    fn spec(&self) -> hound::WavSpec {
        hound::WavSpec {
            channels: 1,
            sample_rate: 22_050,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        }
    }

    /// Where each chunk ends in the body (the bytes a client has once it
    /// has that chunk).
    pub fn chunk_ends(&self) -> Vec<usize> {
        (1..=self.chunks).map(|k| k * self.chunk_bytes).collect()
    }
}

/// The send times of one answer's chunks, in order.
pub type SendLog = Vec<Instant>;

/// A running streaming server; stops when dropped.
#[derive(Debug)]
pub struct StreamingServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<SendLog>>>,
    release: watch::Sender<bool>,
    stop: Option<watch::Sender<bool>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl StreamingServer {
    /// Binds 127.0.0.1 on a free port and serves `plan` on a thread of its own.
    pub fn start(plan: StreamPlan) -> io::Result<Self> {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let log = Arc::new(Mutex::new(Vec::new()));
        let (release, released) = watch::channel(false);
        let (stop, stopped) = watch::channel(false);
        let body: Arc<[u8]> = plan.body().into();
        let thread_log = Arc::clone(&log);
        let thread = thread::Builder::new()
            .name("streaming-server".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("a tokio runtime for the server");
                runtime.block_on(async move {
                    let listener = TcpListener::from_std(std_listener).expect("a tokio listener");
                    let mut stopped = stopped;
                    loop {
                        tokio::select! {
                            _ = stopped.changed() => return,
                            accepted = listener.accept() => {
                                let Ok((stream, _)) = accepted else { return };
                                tokio::spawn(serve(
                                    stream,
                                    plan.clone(),
                                    Arc::clone(&body),
                                    Arc::clone(&thread_log),
                                    released.clone(),
                                ));
                            }
                        }
                    }
                });
            })?;
        Ok(StreamingServer {
            addr,
            log,
            release,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Lets every held stream ([`StreamPlan::hold_after_first`]) go on.
    pub fn release(&self) {
        let _ = self.release.send(true);
    }

    /// Takes the send logs of the answers finished so far, in the order
    /// they finished.
    pub fn take_logs(&self) -> Vec<SendLog> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Drop for StreamingServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        self.release();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers the requests of one kept-alive connection.
async fn serve(
    mut stream: TcpStream,
    plan: StreamPlan,
    body: Arc<[u8]>,
    log: Arc<Mutex<Vec<SendLog>>>,
    mut released: watch::Receiver<bool>,
) -> io::Result<()> {
    stream.set_nodelay(true)?;
    let mut input = Vec::with_capacity(4096);
    loop {
        // Read one whole request (head and a body of `content-length`).
        let used = loop {
            if let Some(used) = request_length(&input)?
                && input.len() >= used
            {
                break used;
            }
            if stream.read_buf(&mut input).await? == 0 {
                return Ok(());
            }
        };
        input.drain(..used);
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: audio/wav\r\ntransfer-encoding: chunked\r\n\
                  x-request-id: bench\r\nx-credits-required: 1\r\n\r\n",
            )
            .await?;
        let mut sent = Vec::with_capacity(plan.chunks);
        let mut frame = Vec::with_capacity(plan.chunk_bytes + 16);
        for (k, chunk) in body.chunks(plan.chunk_bytes).enumerate() {
            let wait = if k == 0 { plan.first_byte } else { plan.gap };
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if k == 1 && plan.hold_after_first {
                while !*released.borrow_and_update() {
                    if released.changed().await.is_err() {
                        break;
                    }
                }
            }
            frame.clear();
            frame.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
            frame.extend_from_slice(chunk);
            frame.extend_from_slice(b"\r\n");
            stream.write_all(&frame).await?;
            sent.push(Instant::now());
        }
        // Logged before the body's end is sent, so a client that has read
        // the whole answer always finds its log.
        log.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(sent);
        stream.write_all(b"0\r\n\r\n").await?;
    }
}

/// The length of the request at the start of `input` (head plus its
/// `content-length`), `None` while its head is incomplete.
fn request_length(input: &[u8]) -> io::Result<Option<usize>> {
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut request = httparse::Request::new(&mut headers);
    let head = match request.parse(input) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(error) => return Err(io::Error::new(io::ErrorKind::InvalidData, error)),
    };
    let body = request
        .headers
        .iter()
        .find(|header| header.name.eq_ignore_ascii_case("content-length"))
        .and_then(|header| std::str::from_utf8(header.value).ok()?.trim().parse().ok())
        .unwrap_or(0);
    Ok(Some(head + body))
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    #[tokio::test]
    async fn streams_the_plan_chunk_by_chunk_and_logs_each_send() {
        let plan = StreamPlan {
            chunk_bytes: 1000,
            chunks: 3,
            first_byte: Duration::from_millis(5),
            gap: Duration::from_millis(5),
            hold_after_first: false,
        };
        let server = StreamingServer::start(plan.clone()).unwrap();
        let http = crate::clients::baseline_http_client();
        for _ in 0..2 {
            let response = http
                .post(format!("{}/tts-stream", server.base_url()))
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_eq!(response.headers()["content-type"], "audio/wav");
            let mut body = Vec::new();
            let mut chunks = response.bytes_stream();
            while let Some(chunk) = chunks.next().await {
                body.extend_from_slice(&chunk.unwrap());
            }
            assert_eq!(body, plan.body());
            assert_eq!(&body[..4], b"RIFF");
        }
        let logs = server.take_logs();
        assert_eq!(logs.len(), 2);
        assert!(logs.iter().all(|log| log.len() == 3));
    }
}
