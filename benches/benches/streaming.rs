//! Bench 4: streaming text to speech, camb-api-ext's streaming call against
//! raw reqwest reading the same body.
//!
//! One local streaming server ([`StreamingServer`], a thread of its own)
//! answers every request with the same WAV, in 4 KiB chunks 5 ms apart
//! after a set wait before the first one, and logs when it sent each chunk.
//! The two clients take turns (the order alternating each round), on one
//! multi-threaded tokio runtime:
//!
//! - **time to first byte**: from the call until the first audio byte is
//!   in the caller's hands, as a ratio ours / raw per round (median);
//! - **added delay per chunk**: for each chunk, the moment the caller has
//!   it minus the moment the server sent it; ours minus raw, per round
//!   (median over the chunks), then the median over rounds.
//!
//! Then, each client in a child process of its own (this binary with
//! `--memory raw` or `--memory camb`), 1,000 streams open at once (each has
//! its first chunk; the server holds the rest back): the process's resident
//! memory with them open minus before, per stream (client, server and
//! runtime together; the same server in both, so the difference is the
//! client's).
//!
//! `cargo bench -p camb-bench --bench streaming`

use std::{
    process::Command,
    time::{Duration, Instant},
};

use camb_api_ext::{Language, Speech, SpeechFormat, VoiceId};
use camb_bench::{
    clients::baseline_http_client,
    measure::{Summary, proc_status_bytes},
    streaming::{StreamPlan, StreamingServer},
};
use futures_util::{StreamExt, stream::BoxStream};
use serde_json::{Value, json};

type BoxError = Box<dyn std::error::Error + Send + Sync>;
type Chunks = BoxStream<'static, Result<Vec<u8>, BoxError>>;

const ROUNDS: usize = 60;
const CHUNK_BYTES: usize = 4096;
const CHUNKS: usize = 20;
const GAP: Duration = Duration::from_millis(5);
const STREAMS: usize = 1_000;

/// The request body both clients send.
fn request_body() -> Value {
    json!({"text": "Hello from bench four.", "language": "en-us", "voice_id": 20303,
           "output_configuration": {"format": "wav"}})
}

/// The clients compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Raw,
    Camb,
}

impl Side {
    fn key(self) -> &'static str {
        match self {
            Side::Raw => "raw",
            Side::Camb => "camb",
        }
    }
}

/// One client, ready to open streams.
#[derive(Clone)]
enum Client {
    Raw(reqwest::Client, String),
    Camb(Box<camb_api_ext::Camb>),
}

impl Client {
    fn new(side: Side, base_url: &str) -> Client {
        match side {
            Side::Raw => Client::Raw(baseline_http_client(), format!("{base_url}/tts-stream")),
            Side::Camb => Client::Camb(Box::new(camb_bench::clients::default_camb(base_url))),
        }
    }

    /// Sends the request and hands on the answer's body chunk by chunk:
    /// raw reqwest's `bytes_stream`, or camb-api-ext's streaming call.
    async fn open(&self) -> Result<Chunks, BoxError> {
        match self {
            Client::Raw(http, url) => {
                let response = http.post(url).json(&request_body()).send().await?;
                let response = response.error_for_status()?;
                Ok(response
                    .bytes_stream()
                    .map(|chunk| chunk.map(|bytes| bytes.to_vec()).map_err(BoxError::from))
                    .boxed())
            }
            Client::Camb(camb) => camb_stream(camb).await,
        }
    }
}

/// camb-api-ext's streaming call (`Camb::speak`), with the same request.
/// It hands on samples only: the WAV header (read to learn the format) is
/// not among its chunks, so its bytes count from the header's end.
async fn camb_stream(camb: &camb_api_ext::Camb) -> Result<Chunks, BoxError> {
    let speech = Speech::new("Hello from bench four.", Language::EN_US, VoiceId(20303))
        .format(SpeechFormat::Wav);
    let audio = camb.speak(&speech).await?;
    Ok(audio
        .map(|chunk| chunk.map(|bytes| bytes.to_vec()).map_err(BoxError::from))
        .boxed())
}

/// What one request saw.
struct Seen {
    /// From the call to the first body byte in hand.
    ttfb: Duration,
    /// When the caller had each chunk.
    had: Vec<Instant>,
}

/// One request: the time to first byte and when each chunk was in hand.
async fn one_request(client: &Client, plan: &StreamPlan) -> Result<Seen, BoxError> {
    let start = Instant::now();
    let mut chunks = client.open().await?;
    // Where each chunk ends in what the client hands on: camb-api-ext hands
    // on the samples without the WAV header.
    let header = match client {
        Client::Raw(..) => 0,
        Client::Camb(_) => plan.header_len(),
    };
    let ends: Vec<usize> = plan.chunk_ends().iter().map(|end| end - header).collect();
    let mut had = Vec::with_capacity(ends.len());
    let mut received = 0;
    let mut ttfb = None;
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        let now = Instant::now();
        if !chunk.is_empty() && ttfb.is_none() {
            ttfb = Some(now - start);
        }
        received += chunk.len();
        while had.len() < ends.len() && received >= ends[had.len()] {
            had.push(now);
        }
    }
    if had.len() != ends.len() {
        return Err(format!("{received} bytes, {} chunks", had.len()).into());
    }
    Ok(Seen {
        ttfb: ttfb.unwrap_or_default(),
        had,
    })
}

/// Median of per-chunk delays (had − sent), in microseconds.
fn chunk_delay(seen: &Seen, sent: &[Instant]) -> f64 {
    let delays: Vec<f64> = seen
        .had
        .iter()
        .zip(sent)
        // The first chunk is the time to first byte's business.
        .skip(1)
        .map(|(had, sent)| {
            if had >= sent {
                (*had - *sent).as_secs_f64() * 1e6
            } else {
                -((*sent - *had).as_secs_f64() * 1e6)
            }
        })
        .collect();
    Summary::of(&delays).map_or(f64::NAN, |summary| summary.median)
}

/// The latency rounds for one wait before the first chunk.
async fn latency(first_byte: Duration) -> Value {
    let plan = StreamPlan {
        chunk_bytes: CHUNK_BYTES,
        chunks: CHUNKS,
        first_byte,
        gap: GAP,
        hold_after_first: false,
    };
    let server = StreamingServer::start(plan.clone()).expect("a streaming server");
    let clients = [Side::Raw, Side::Camb].map(|side| (side, Client::new(side, &server.base_url())));
    // Warm-up: a connection each, and the first-use costs.
    for (_, client) in &clients {
        for _ in 0..3 {
            one_request(client, &plan).await.expect("a warm-up stream");
        }
    }
    server.take_logs();
    let mut ttfb = [Vec::new(), Vec::new()];
    let mut delay = [Vec::new(), Vec::new()];
    let mut ttfb_ratio = Vec::new();
    let mut delay_added = Vec::new();
    for round in 0..ROUNDS {
        let mut this = [(Duration::ZERO, 0.0); 2];
        for turn in 0..2 {
            let index = (round + turn) % 2;
            let seen = one_request(&clients[index].1, &plan)
                .await
                .expect("a stream");
            let logs = server.take_logs();
            let sent = logs.last().expect("the server logged the answer");
            this[index] = (seen.ttfb, chunk_delay(&seen, sent));
        }
        for index in 0..2 {
            ttfb[index].push(this[index].0.as_secs_f64() * 1e6);
            delay[index].push(this[index].1);
        }
        ttfb_ratio.push(this[1].0.as_secs_f64() / this[0].0.as_secs_f64());
        delay_added.push(this[1].1 - this[0].1);
    }
    let summary = |samples: &[f64]| {
        let s = Summary::of(samples).expect("samples");
        json!({"median": s.median, "p25": s.p25, "p75": s.p75})
    };
    json!({
        "first_byte_ms": first_byte.as_millis() as u64,
        "ttfb_us": {"raw": summary(&ttfb[0]), "camb": summary(&ttfb[1])},
        "ttfb_ratio": summary(&ttfb_ratio),
        "chunk_delay_us": {"raw": summary(&delay[0]), "camb": summary(&delay[1])},
        "chunk_delay_added_us": summary(&delay_added),
    })
}

/// Child mode: 1,000 streams of one client open at once; prints JSON.
async fn memory(side: Side) -> Value {
    let plan = StreamPlan {
        chunk_bytes: CHUNK_BYTES,
        chunks: 2,
        first_byte: Duration::ZERO,
        gap: Duration::ZERO,
        hold_after_first: true,
    };
    let server = StreamingServer::start(plan.clone()).expect("a streaming server");
    let client = Client::new(side, &server.base_url());
    // One stream first, so that what is measured is per stream, not the
    // first-use costs.
    server.release();
    one_request(&client, &plan).await.expect("a first stream");
    let server = {
        drop(server);
        StreamingServer::start(plan.clone()).expect("a streaming server")
    };
    let client = Client::new(side, &server.base_url());
    let before = proc_status_bytes("VmRSS").unwrap_or(0);
    let (opened_tx, mut opened) = tokio::sync::mpsc::channel::<()>(STREAMS);
    let (hold_tx, hold) = tokio::sync::watch::channel(false);
    let mut tasks = Vec::with_capacity(STREAMS);
    for _ in 0..STREAMS {
        let client = client.clone();
        let opened_tx = opened_tx.clone();
        let mut hold = hold.clone();
        tasks.push(tokio::spawn(async move {
            let mut chunks = client.open().await.expect("a stream opens");
            let first = chunks.next().await;
            assert!(matches!(first, Some(Ok(_))), "a first chunk");
            let _ = opened_tx.send(()).await;
            let _ = hold.wait_for(|go| *go).await;
            drop(chunks);
        }));
    }
    for _ in 0..STREAMS {
        opened.recv().await.expect("every stream opens");
    }
    let open = proc_status_bytes("VmRSS").unwrap_or(0);
    let _ = hold_tx.send(true);
    for task in tasks {
        task.await.expect("a stream task");
    }
    server.release();
    json!({
        "side": side.key(),
        "rss_before": before,
        "rss_open": open,
        "per_stream": (open.saturating_sub(before)) as f64 / STREAMS as f64,
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Some(at) = args.iter().position(|arg| arg == "--memory") {
        let side = match args.get(at + 1).map(String::as_str) {
            Some("raw") => Side::Raw,
            Some("camb") => Side::Camb,
            other => panic!("--memory takes raw or camb, not {other:?}"),
        };
        println!("{}", runtime.block_on(memory(side)));
        return;
    }
    let started = Instant::now();
    let mut latencies = Vec::new();
    for first_byte in [Duration::ZERO, Duration::from_millis(150)] {
        latencies.push(runtime.block_on(latency(first_byte)));
    }
    let me = std::env::current_exe().expect("this binary's path");
    let memories: Vec<Value> = [Side::Raw, Side::Camb]
        .iter()
        .map(|side| {
            let output = Command::new(&me)
                .args(["--memory", side.key()])
                .output()
                .expect("the child runs");
            assert!(
                output.status.success(),
                "--memory {}: {}",
                side.key(),
                String::from_utf8_lossy(&output.stderr)
            );
            serde_json::from_slice(&output.stdout).expect("the child prints JSON")
        })
        .collect();
    print_tables(&latencies, &memories);
    println!("\n(real time {:.1} s)", started.elapsed().as_secs_f64());
}

fn print_tables(latencies: &[Value], memories: &[Value]) {
    let us = |v: &Value| {
        format!(
            "{:.0} µs ({:.0}–{:.0})",
            v["median"].as_f64().unwrap_or(f64::NAN),
            v["p25"].as_f64().unwrap_or(f64::NAN),
            v["p75"].as_f64().unwrap_or(f64::NAN)
        )
    };
    println!(
        "| server's wait before the first chunk | TTFB raw reqwest | TTFB camb-api-ext | TTFB ratio camb / raw | per-chunk delay raw | per-chunk delay camb | added per chunk (camb − raw) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for run in latencies {
        let ratio = &run["ttfb_ratio"];
        println!(
            "| {} ms | {} | {} | {:.3} ({:.3}–{:.3}) | {} | {} | {:.1} µs ({:.1}–{:.1}) |",
            run["first_byte_ms"],
            us(&run["ttfb_us"]["raw"]),
            us(&run["ttfb_us"]["camb"]),
            ratio["median"].as_f64().unwrap_or(f64::NAN),
            ratio["p25"].as_f64().unwrap_or(f64::NAN),
            ratio["p75"].as_f64().unwrap_or(f64::NAN),
            us(&run["chunk_delay_us"]["raw"]),
            us(&run["chunk_delay_us"]["camb"]),
            run["chunk_delay_added_us"]["median"]
                .as_f64()
                .unwrap_or(f64::NAN),
            run["chunk_delay_added_us"]["p25"]
                .as_f64()
                .unwrap_or(f64::NAN),
            run["chunk_delay_added_us"]["p75"]
                .as_f64()
                .unwrap_or(f64::NAN),
        );
    }
    println!();
    println!("| client | RSS before | RSS with {STREAMS} streams open | per stream |");
    println!("|---|---:|---:|---:|");
    for run in memories {
        let mb = |v: &Value| v.as_f64().unwrap_or(f64::NAN) / 1e6;
        println!(
            "| {} | {:.1} MB | {:.1} MB | {:.1} KB |",
            run["side"].as_str().unwrap_or("?"),
            mb(&run["rss_before"]),
            mb(&run["rss_open"]),
            run["per_stream"].as_f64().unwrap_or(f64::NAN) / 1e3,
        );
    }
}
