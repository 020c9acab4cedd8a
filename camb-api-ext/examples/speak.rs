//! Speaks a text into a WAV file, streaming: prints the time to the first
//! audio byte and the audio's format as soon as they are known, then writes
//! the file as the audio arrives.
//!
//! With no `CAMB_API_KEY` in the environment it starts the simulated CAMB
//! server in process, so it runs on a fresh machine with no account:
//!
//! ```sh
//! cargo run --example speak -- "Hello"
//! CAMB_API_KEY=... cargo run --example speak -- "Hello" --voice 147320 --out hello.wav
//! ```

use std::process::ExitCode;

use camb_api_ext::{Camb, Language, Speech, SpeechFormat, SpeechModel, VoiceId};
use camb_simulator::Simulator;

const HELP: &str = "\
Speaks TEXT into a WAV file (streamed), printing the time to first byte and the audio format.

Usage: cargo run --example speak -- [TEXT] [OPTIONS]

With no CAMB_API_KEY set, runs against a built-in simulated CAMB server.
With CAMB_API_KEY set (and optionally CAMB_BASE_URL), talks to the real API.

Options:
  --out PATH          where to write the audio (default: speech.wav)
  --voice ID          the voice (default: the first of the account's voices)
  --language LOCALE   the text's locale (default: en-us)
  --model MODEL       the speech model (default: the server's)
  --pcm RATE          ask for raw 16-bit PCM at RATE Hz instead of WAV (the file is a WAV all the same)
  -h, --help          this text
";

/// The command line.
#[derive(Debug)]
struct Args {
    text: String,
    out: String,
    voice: Option<i64>,
    language: String,
    model: Option<String>,
    pcm_rate: Option<u32>,
}

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;

    let mut args = Args {
        text: "Hello from CAMB.AI, streamed as it is spoken.".into(),
        out: "speech.wav".into(),
        voice: None,
        language: "en-us".into(),
        model: None,
        pcm_rate: None,
    };
    let mut parser = lexopt::Parser::from_env();
    while let Some(arg) = parser.next()? {
        match arg {
            Long("out") => args.out = parser.value()?.string()?,
            Long("voice") => args.voice = Some(parser.value()?.parse()?),
            Long("language") => args.language = parser.value()?.string()?,
            Long("model") => args.model = Some(parser.value()?.string()?),
            Long("pcm") => args.pcm_rate = Some(parser.value()?.parse()?),
            Short('h') | Long("help") => return Ok(None),
            Value(text) => args.text = text.string()?,
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Some(args))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(err) => {
            eprintln!("error: {err}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive until the end: the simulator serves while it lives.
    let mut simulator = None;
    let camb = if std::env::var_os("CAMB_API_KEY").is_some() {
        Camb::from_env()?
    } else {
        let sim = Simulator::builder().start().await;
        eprintln!(
            "CAMB_API_KEY is not set: using the built-in simulated CAMB server at {}",
            sim.base_url()
        );
        let camb = Camb::builder()
            .api_key(sim.api_key())
            .base_url(sim.base_url())
            .build()?;
        simulator = Some(sim);
        camb
    };

    let voice = match args.voice {
        Some(id) => VoiceId(id),
        None => {
            let voices = camb.voices().await?;
            let first = voices
                .first()
                .ok_or("the account has no voices; give --voice")?;
            println!(
                "voice: {} ({}, {:?})",
                first.name(),
                first.id(),
                first.gender()
            );
            first.id()
        }
    };
    let language: Language = args.language.parse()?;
    let mut speech = Speech::new(args.text, language, voice);
    if let Some(model) = args.model {
        speech = speech.model(SpeechModel::from(model.as_str()));
    }
    if let Some(rate) = args.pcm_rate {
        speech = speech.format(SpeechFormat::PcmS16le).sample_rate(rate);
    }

    let audio = camb.speak(&speech).await?;
    println!("time to first byte: {:?}", audio.time_to_first_byte());
    println!("format: {}", audio.format());
    if let Some(credits) = audio.metadata().credits_required() {
        println!("credits: {credits}");
    }
    let saved = audio.save(&args.out).await?;
    match saved.duration {
        Some(duration) => println!("wrote {} ({duration:.2?} of audio)", saved.path.display()),
        None => println!(
            "wrote {} ({} bytes)",
            saved.path.display(),
            saved.audio_bytes
        ),
    }
    drop(simulator);
    Ok(())
}
