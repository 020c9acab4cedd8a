//! The main job: create a dub (or take an existing task id), wait for it with a
//! live progress line, then print each language's output and the start of its
//! transcript.
//!
//! With no `CAMB_API_KEY` in the environment it starts the simulated CAMB
//! server (`camb-simulator`) in process and dubs a demo video there, so it
//! runs anywhere:
//!
//! ```sh
//! cargo run --example wait_for_dub
//! CAMB_API_KEY=... cargo run --example wait_for_dub -- --task-id <TASK_ID>
//! CAMB_API_KEY=... cargo run --example wait_for_dub -- --video-url <URL> \
//!     --from en-us --to fr-fr --to es-es
//! ```

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use camb_api_ext::{
    Camb, DubOutputs, DubRequest, Error, FailedPoll, Language, StatusUpdate, TaskId,
    TranscriptFileFormat,
};
use camb_simulator::{Fault, RetryAfter, Route, Simulator, TaskScript};

const HELP: &str = "\
Create a CAMB.AI dub (or take an existing task), wait for it, print the result.

USAGE:
    wait_for_dub [OPTIONS]

With no CAMB_API_KEY set, runs against a built-in simulated CAMB server
(a demo dub that takes about ten seconds, with a few injected faults).
With CAMB_API_KEY set (and optionally CAMB_BASE_URL), talks to the real API
and needs either --task-id or --video-url.

OPTIONS:
    --task-id <ID>               Wait for this existing task
    --video-url <URL>            Create a dub of this video or audio URL
    --from <LANGUAGE>            Language of the source, as a locale tag or an id
                                 (default en-us)
    --to <LANGUAGE>              Language to dub into (with --task-id: the task's
                                 targets, which name its outputs); repeat for
                                 several (default: --to fr-fr --to es-es)
    --deadline <SECONDS>         Give up waiting after this long (default: the client's, 6 h)
    -h, --help                   Print this help
";

/// What to do, from the command line.
#[derive(Debug)]
enum Job {
    Existing(String),
    Create(Box<DubRequest>),
}

struct Args {
    job: Option<Job>,
    source_language: Language,
    target_languages: Vec<Language>,
    deadline: Option<Duration>,
}

fn parse_args() -> Result<Option<Args>, lexopt::Error> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_env();
    let mut task_id = None;
    let mut video_url = None;
    let mut source_language = Language::EN_US;
    let mut target_languages = Vec::new();
    let mut deadline = None;
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => return Ok(None),
            Long("task-id") => task_id = Some(parser.value()?.string()?),
            Long("video-url") => video_url = Some(parser.value()?.string()?),
            // The strict reading: a misspelt tag is refused, not sent.
            Long("from") => source_language = known(&parser.value()?.string()?)?,
            Long("to") => target_languages.push(known(&parser.value()?.string()?)?),
            Long("deadline") => deadline = Some(Duration::from_secs(parser.value()?.parse()?)),
            _ => return Err(arg.unexpected()),
        }
    }
    if target_languages.is_empty() {
        target_languages = vec![Language::FR_FR, Language::ES_ES];
    }
    let job = match (task_id, video_url) {
        (Some(_), Some(_)) => return Err("give --task-id or --video-url, not both".into()),
        (Some(id), None) => Some(Job::Existing(id)),
        (None, Some(video_url)) => Some(Job::Create(Box::new(DubRequest::new(
            video_url,
            source_language,
            target_languages.iter().copied(),
        )))),
        (None, None) => None,
    };
    Ok(Some(Args {
        job,
        source_language,
        target_languages,
        deadline,
    }))
}

/// A language this version knows, by tag or id.
fn known(text: &str) -> Result<Language, lexopt::Error> {
    Language::parse_known(text).map_err(|e| e.to_string().into())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            print!("{HELP}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{HELP}");
            return ExitCode::from(2);
        }
    };
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    // Kept alive for the whole run: the simulator stops when dropped.
    let simulator;
    let (camb, job) = if std::env::var_os("CAMB_API_KEY").is_some() {
        let job = args
            .job
            .ok_or("with CAMB_API_KEY set, give --task-id or --video-url (see --help)")?;
        println!("Using the CAMB.AI API at {}", camb_base_url());
        (Camb::from_env()?, job)
    } else {
        simulator = start_simulator().await;
        println!(
            "CAMB_API_KEY is not set: using the built-in simulated CAMB server at {}",
            simulator.base_url()
        );
        let camb = Camb::builder()
            .api_key(simulator.api_key())
            .base_url(simulator.base_url())
            .build()?;
        let job = args.job.unwrap_or_else(|| {
            Job::Create(Box::new(DubRequest::new(
                "https://example.com/demo/keynote.mp4",
                args.source_language,
                args.target_languages.iter().copied(),
            )))
        });
        (camb, job)
    };

    let (task_id, request) = match job {
        Job::Existing(id) => (id.parse::<TaskId>()?, None),
        Job::Create(request) => {
            let targets: Vec<String> = request
                .target_languages()
                .iter()
                .map(ToString::to_string)
                .collect();
            println!(
                "Creating a dub of {} from {} into {}",
                request.video_url(),
                request.source_language(),
                targets.join(", ")
            );
            let task_id = camb.create_dub(&request).await?;
            println!("Created task {task_id}");
            (task_id, Some(*request))
        }
    };

    let run_id = wait_with_progress(&camb, &task_id, args.deadline).await?;
    // The outputs are named by the dub's targets: the request's, or for an
    // existing task the `--to` languages.
    let targets = match &request {
        Some(request) => request.all_target_languages(),
        None => args.target_languages.clone(),
    };
    let outputs = camb.result(run_id, targets).await?;
    println!("Dub finished: run {run_id}, {} language(s)", outputs.len());
    print_outputs(&camb, &outputs).await
}

/// Each language's URLs, then the first lines of its SRT transcript.
async fn print_outputs(
    camb: &Camb,
    outputs: &DubOutputs,
) -> Result<(), Box<dyn std::error::Error>> {
    if outputs.is_empty() {
        return Err("the server sent a result with no output".into());
    }
    for output in outputs {
        println!("{}:", output.language);
        if let Some(url) = &output.video_url {
            println!("  video: {url}");
        }
        if let Some(url) = &output.audio_url {
            println!("  audio: {url}");
        }
        let srt = camb
            .transcript(outputs.run_id(), output.language, TranscriptFileFormat::Srt)
            .await?;
        println!("  transcript (SRT, first lines):");
        for line in srt.lines().take(6) {
            println!("    {line}");
        }
    }
    Ok(())
}

fn camb_base_url() -> String {
    std::env::var("CAMB_BASE_URL").unwrap_or_else(|_| camb_api_ext::DEFAULT_BASE_URL.to_owned())
}

/// Waits for `task_id`, drawing one live status line on a terminal (redrawn
/// every quarter second) or printing one line per poll otherwise.
async fn wait_with_progress(
    camb: &Camb,
    task_id: &TaskId,
    deadline: Option<Duration>,
) -> Result<camb_api_ext::RunId, Error> {
    let live = std::io::stdout().is_terminal();
    let out = Arc::new(Mutex::new(std::io::stdout()));
    show_progress(camb, task_id, deadline, live, out).await
}

/// [`wait_with_progress`] writing to `out`: live (a line redrawn in place)
/// or one line per poll.
async fn show_progress<W: Write + Send + 'static>(
    camb: &Camb,
    task_id: &TaskId,
    deadline: Option<Duration>,
    live: bool,
    out: Arc<Mutex<W>>,
) -> Result<camb_api_ext::RunId, Error> {
    let last: Arc<Mutex<Option<(StatusUpdate, Instant)>>> = Arc::default();
    let started = Instant::now();
    let write = move |out: &Mutex<W>, text: &str| {
        let mut out = out.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    };

    let mut wait = camb
        .wait_for_dub(task_id)
        .on_update({
            let (last, out) = (Arc::clone(&last), Arc::clone(&out));
            move |update: &StatusUpdate| {
                if !live {
                    let line = progress_line(update, started, Instant::now());
                    write(&out, &format!("{line}\n"));
                }
                *last.lock().unwrap_or_else(PoisonError::into_inner) =
                    Some((update.clone(), Instant::now()));
            }
        })
        // Every failed poll on its own line (over the live line, which the
        // next redraw puts back): the error and when the next try is.
        .on_failed_poll({
            let out = Arc::clone(&out);
            move |failure: &FailedPoll| {
                let clear = if live { "\r\x1b[2K" } else { "" };
                write(&out, &format!("{clear}{failure}\n"));
            }
        });
    if let Some(deadline) = deadline {
        wait = wait.deadline(deadline);
    }

    let mut wait = std::pin::pin!(wait.into_future());
    let mut redraw = tokio::time::interval(Duration::from_millis(250));
    let draw = || {
        if let Some((update, seen)) = &*last.lock().unwrap_or_else(PoisonError::into_inner) {
            // Back to the line's start, clear it, write the line anew.
            write(
                &out,
                &format!("\r\x1b[2K{}", progress_line(update, started, *seen)),
            );
        }
    };
    let outcome = loop {
        tokio::select! {
            outcome = &mut wait => break outcome,
            _ = redraw.tick(), if live => draw(),
        }
    };
    if live {
        // The last update (SUCCESS, or the last status before a failure)
        // came after the last redraw: draw it before leaving the line.
        draw();
        write(&out, "\n");
    }
    outcome
}

/// `task 7f3a: PENDING · poll 3 · 12.4 s elapsed · next poll in 3.2 s`.
fn progress_line(update: &StatusUpdate, started: Instant, seen: Instant) -> String {
    let now = Instant::now();
    let mut line = format!(
        "task {}: {} · poll {} · {:.1} s elapsed",
        update.task_id,
        update.status,
        update.polls,
        now.duration_since(started).as_secs_f64()
    );
    if update.status.status.is_unknown() {
        line.push_str(" (a status this client does not know; still waiting)");
    }
    if let Some(next) = update.next_poll_in {
        let left = next.saturating_sub(now.duration_since(seen));
        line.push_str(&format!(" · next poll in {:.1} s", left.as_secs_f64()));
    }
    line
}

/// A simulated server whose demo task takes about ten seconds and meets a
/// few of the faults the real API can show: a 429 and a 503 while waiting, a 502 on the result.
async fn start_simulator() -> Simulator {
    Simulator::builder()
        .default_script(
            TaskScript::default()
                .pending_for(Duration::from_secs(8))
                .faults(
                    [Fault::RateLimited(RetryAfter::Seconds(1))]
                        .into_iter()
                        .chain(Fault::Status(503).repeated(1)),
                ),
        )
        .faults(Route::Result, Fault::Status(502).repeated(1))
        .start()
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a terminal shows at the end: the text after the last redraw.
    fn last_frame(output: &str) -> &str {
        output
            .rsplit("\r\x1b[2K")
            .next()
            .unwrap_or(output)
            .trim_end()
    }

    /// Creates a dub on `sim` and shows its wait (`live`: as on a terminal):
    /// the run id and everything written.
    async fn shown(sim: &Simulator, live: bool) -> (camb_api_ext::RunId, String) {
        let camb = sim.camb().unwrap();
        let request = DubRequest::new(
            "https://example.com/a.mp4",
            Language::EN_US,
            [Language::FR_FR],
        );
        let task_id = camb.create_dub(&request).await.unwrap();
        let out = Arc::new(Mutex::new(Vec::new()));
        let run_id = show_progress(&camb, &task_id, None, live, Arc::clone(&out))
            .await
            .unwrap();
        let output = String::from_utf8(out.lock().unwrap().clone()).unwrap();
        (run_id, output)
    }

    #[tokio::test(start_paused = true)]
    async fn the_live_line_ends_on_the_final_status() {
        let sim = Simulator::builder()
            .default_script(TaskScript::default().pending_polls(3))
            .start()
            .await;
        let (run_id, output) = shown(&sim, true).await;
        let last = last_frame(&output);
        assert!(last.contains("SUCCESS"), "{output:?}");
        assert!(!last.contains("next poll"), "{output:?}");
        assert!(output.contains("PENDING"), "{output:?}");
        assert!(output.ends_with('\n'), "{output:?}");
        assert!(run_id.get() >= 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_failed_poll_is_printed_with_its_error_and_next_try() {
        let sim = Simulator::builder()
            .default_script(
                TaskScript::default()
                    .pending_polls(2)
                    .faults(Fault::Status(503).repeated(5)),
            )
            .start()
            .await;
        let (_, output) = shown(&sim, false).await;
        let failed: Vec<&str> = output.lines().filter(|l| l.contains("failed")).collect();
        assert!(!failed.is_empty(), "{output:?}");
        assert!(failed[0].contains("503"), "{output:?}");
        assert!(failed[0].contains("next try in"), "{output:?}");
        assert!(
            output.lines().last().unwrap().contains("SUCCESS"),
            "{output:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn off_a_terminal_every_poll_is_one_line() {
        let sim = Simulator::builder().start().await;
        let (_, output) = shown(&sim, false).await;
        let lines: Vec<&str> = output.lines().collect();
        assert_eq!(lines.len(), 3, "{output:?}");
        assert!(lines[2].contains("SUCCESS"), "{output:?}");
        assert!(!output.contains('\r'), "{output:?}");
    }
}
