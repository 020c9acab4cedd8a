//! `camb-simulator`: the simulated CAMB.AI server as a program, for trying
//! any client (curl, CAMB.AI's own SDKs, this workspace's) against a local
//! CAMB.AI.
//!
//! ```text
//! cargo run -p camb-simulator -- --port 8080 [--api-key KEY] [--latency MS]
//!     [--first-byte-ms MS] [--chunk-bytes N] [--chunk-every-ms MS]
//!     [--sample-rate HZ] [--wav-length placeholder|exact] [--voice-list list|payload|voices]
//! ```
//!
//! It listens on 127.0.0.1 only (`--port 0`: any free port), prints the base
//! URL and then the API key as its first two lines on stdout, logs each
//! request on one line to stderr (method, path and query, status) and serves until
//! Ctrl-C. Without `--api-key` the key is
//! [`DEFAULT_API_KEY`](camb_simulator::DEFAULT_API_KEY), `simulator-api-key`.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use camb_simulator::{DEFAULT_API_KEY, Simulator, SpeechPace, VoiceListShape, WavLength};

const USAGE: &str = "usage: camb-simulator [--port PORT] [--api-key KEY] [--latency MS]
                      [--first-byte-ms MS] [--chunk-bytes N] [--chunk-every-ms MS]
                      [--sample-rate HZ] [--wav-length placeholder|exact]
                      [--voice-list list|payload|voices]

Serves a simulated CAMB.AI dubbing API on 127.0.0.1 until Ctrl-C.
Prints the base URL and the API key as its first two lines on stdout.

  --port PORT     the port to listen on (default 8080; 0: any free port)
  --api-key KEY   the key to accept in x-api-key (default: simulator-api-key)
  --latency MS    wait this many milliseconds before each answer (default 0)

Streamed speech (POST /tts-stream):
  --first-byte-ms MS    wait before the first byte of audio (default 0)
  --chunk-bytes N       bytes per chunk (default 8192)
  --chunk-every-ms MS   wait between two chunks (default 0)
  --sample-rate HZ      speak at HZ whatever was asked (default: the rate asked
                        for, else 48000 for the pro models, 22050 for others)
  --wav-length placeholder|exact
                        a streamed WAV's sizes: 0xFFFFFFFF (default) or true
  --voice-list list|payload|voices
                        GET /list-voices answers a bare list (default),
                        {\"payload\": [...]} or {\"voices\": [...]}";

/// What the command line asks for.
struct Options {
    port: u16,
    api_key: String,
    latency: Duration,
    pace: SpeechPace,
    sample_rate: Option<u32>,
    wav_length: WavLength,
    voice_list: VoiceListShape,
}

fn parse_args() -> Result<Options, lexopt::Error> {
    use lexopt::prelude::*;
    let mut options = Options {
        port: 8080,
        api_key: DEFAULT_API_KEY.to_owned(),
        latency: Duration::ZERO,
        pace: SpeechPace::default(),
        sample_rate: None,
        wav_length: WavLength::default(),
        voice_list: VoiceListShape::default(),
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("port") => options.port = parser.value()?.parse()?,
            Long("api-key") => options.api_key = parser.value()?.string()?,
            Long("latency") => {
                options.latency = Duration::from_millis(parser.value()?.parse()?);
            }
            Long("first-byte-ms") => {
                let delay = Duration::from_millis(parser.value()?.parse()?);
                options.pace = options.pace.first_byte_after(delay);
            }
            Long("chunk-bytes") => {
                options.pace = options.pace.chunk_bytes(parser.value()?.parse()?);
            }
            Long("chunk-every-ms") => {
                let gap = Duration::from_millis(parser.value()?.parse()?);
                options.pace = options.pace.chunk_every(gap);
            }
            Long("sample-rate") => options.sample_rate = Some(parser.value()?.parse()?),
            Long("wav-length") => {
                options.wav_length = match parser.value()?.string()?.as_str() {
                    "placeholder" => WavLength::Placeholder,
                    "exact" => WavLength::Exact,
                    other => return Err(format!("--wav-length: {other:?}").into()),
                };
            }
            Long("voice-list") => {
                options.voice_list = match parser.value()?.string()?.as_str() {
                    "list" => VoiceListShape::List,
                    "payload" => VoiceListShape::Payload,
                    "voices" => VoiceListShape::Voices,
                    other => return Err(format!("--voice-list: {other:?}").into()),
                };
            }
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_args() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("camb-simulator: {error}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port));
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("camb-simulator: cannot listen on {address}: {error}");
            return ExitCode::FAILURE;
        }
    };
    let base_url = match listener.local_addr() {
        Ok(bound) => format!("http://{bound}"),
        Err(error) => {
            eprintln!("camb-simulator: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The two lines scripts read, flushed before the first request can arrive.
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{base_url}\n{}", options.api_key)
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    let shutdown = async {
        // An error here means no Ctrl-C handler could be installed: serve
        // until killed instead.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let mut builder = Simulator::builder()
        .api_key(options.api_key)
        .speech_pace(options.pace)
        .wav_length(options.wav_length)
        .voice_list_shape(options.voice_list);
    if let Some(hertz) = options.sample_rate {
        builder = builder.speech_sample_rate(hertz);
    }
    let served = builder.serve(listener, options.latency, shutdown).await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("camb-simulator: {error}");
            ExitCode::FAILURE
        }
    }
}
