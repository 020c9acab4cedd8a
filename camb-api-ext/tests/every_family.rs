//! Every task family of the spec, through the typed client only (the
//! generic calls, plus story's `start_task` and project setup's wait), run
//! create -> wait -> result against the simulator: in process, and as the
//! standalone server the binary runs.

use std::time::Duration;

use camb_api_ext::{
    Camb, Language, PolledTask, Started, Task, TaskResult,
    camb_api::{ByteStream, multipart::FilePart, tasks::*},
    types::HttpValidationError,
};
use camb_simulator::{DEFAULT_API_KEY, Simulator};
use futures_util::TryStreamExt;
use serde::Serialize;

/// `answer` as JSON, which must hold something.
fn holds_something(family: &str, answer: &impl Serialize) {
    let value = serde_json::to_value(answer).unwrap();
    let empty = match &value {
        serde_json::Value::Null => true,
        serde_json::Value::Object(map) => map.is_empty(),
        serde_json::Value::Array(items) => items.is_empty(),
        _ => false,
    };
    assert!(!empty, "{family}: empty result {value}");
}

/// The bytes of an audio answer, which must not be empty.
async fn audio(family: &str, stream: ByteStream) {
    let bytes: Vec<u8> = stream
        .into_inner()
        .map_ok(|chunk| chunk.to_vec())
        .try_concat()
        .await
        .unwrap();
    assert!(!bytes.is_empty(), "{family}: no audio");
}

/// Runs one task of family `F` (create, wait, result) with the create's
/// body set by `build` (which needs nothing to wait for), noting the family
/// in `ran`.
async fn run<'a, F>(
    camb: &'a Camb,
    ran: &mut Vec<&'static str>,
    build: impl Fn(F::Create<'a>) -> F::Create<'a> + Send + Sync + 'a,
) -> F::Result
where
    F: PolledTask + TaskResult<ErrorBody = HttpValidationError>,
    F::Created: Serialize + Send,
    F::Result: Send,
{
    ran.push(F::NAME);
    camb.run_task::<F, _>(move |call| std::future::ready(Ok(build(call))))
        .await
        .unwrap_or_else(|e| panic!("{}: {e}", F::NAME))
}

/// Runs every family against the simulator `camb` talks to; the families
/// it ran.
async fn run_every_family(camb: &Camb) -> Vec<&'static str> {
    let (en, fr) = (Language::EN_US, Language::FR_FR);
    let id = |language: Language| i64::from(language.id().unwrap());
    let mut ran = Vec::new();

    let speech = run::<Tts>(camb, &mut ran, |call| {
        call.body_map(|body| body.text("Hello there.").voice_id(1).language(id(en)))
    });
    audio("tts", speech.await).await;
    let speech = run::<TranslatedTts>(camb, &mut ran, |call| {
        call.body_map(|body| {
            body.text("Hello there.")
                .voice_id(1)
                .source_language(en)
                .target_language(fr)
        })
    });
    audio("translated_tts", speech.await).await;
    let sound = run::<TextToSound>(camb, &mut ran, |call| {
        call.body_map(|body| body.prompt("rain on a tin roof"))
    });
    audio("text_to_sound", sound.await).await;
    // A file result saved as it streams, for the families whose result is
    // a file.
    let dir = tempfile::tempdir().unwrap();
    let task_id = camb
        .create_task::<TextToSound, _>(|call| async {
            Ok(call.body_map(|body| body.prompt("wind in the pines")))
        })
        .await
        .unwrap();
    let run_id = camb.wait_for_task::<TextToSound>(&task_id).await.unwrap();
    let path = dir.path().join("wind.wav");
    let saved = camb
        .save_task_result::<TextToSound>(run_id, &path)
        .await
        .unwrap();
    assert!(saved.bytes > 0, "{saved:?}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), saved.bytes);

    let voices = run::<TextToVoice>(camb, &mut ran, |call| {
        call.body_map(|body| {
            body.text("Hello there.")
                .voice_description("a calm, low voice")
        })
    });
    holds_something("text_to_voice", &voices.await);
    let texts = run::<Translation>(camb, &mut ran, |call| {
        call.body_map(|body| {
            body.texts(vec!["Hello there.".to_owned()])
                .source_language(en)
                .target_language(fr)
        })
    });
    holds_something("translation", &texts.await);
    let stems = run::<AudioSeparation>(camb, &mut ran, |call| {
        call.media_file(FilePart::bytes(b"RIFF....WAVE".as_slice(), "mix.wav"))
    });
    holds_something("audio_separation", &stems.await);
    let subtitles = run::<Subtitles>(camb, &mut ran, |call| {
        call.body_map(|body| {
            body.media_url("https://example.com/talk.mp4")
                .source_language(en)
                .target_languages(vec![fr.into()])
        })
    });
    holds_something("subtitles", &subtitles.await);

    // Project setup: created and fetched generically, its list status
    // waited for by its own wait.
    let task_id = camb
        .create_task::<ProjectSetup, _>(|call| async move {
            Ok(call.body_map(|body| {
                body.media_url("https://example.com/talk.mp4")
                    .source_language(en)
                    .target_languages(vec![fr.into()])
            }))
        })
        .await
        .unwrap();
    let run_id = camb.wait_for_project_setup(&task_id).await.unwrap();
    let project = camb.task_result::<ProjectSetup>(run_id).await.unwrap();
    assert_eq!(project.map(|project| project.run_id), Some(run_id.0));
    ran.push("project_setup");

    // Stories: the create may answer the story at once; the simulator
    // answers a task. Each attempt opens the upload afresh.
    let upload = || FilePart::bytes(b"Once upon a time.".as_slice(), "one.txt");
    let story = camb.start_task::<Story, _>(|call| async move {
        let title = "Chapter one".to_owned();
        Ok(call
            .body_map(|form| form.source_language(id(en)).title(title))
            .file(upload()))
    });
    let story = story.await;
    let setup = camb.start_task::<StorySetup, _>(|call| async move {
        Ok(call
            .body_map(|form| form.source_language(id(en)))
            .file(upload()))
    });
    let setup = setup.await;
    let mut story_run = None;
    for (family, started) in [(Story::NAME, story), (StorySetup::NAME, setup)] {
        let Started::Task(task_id) = started.unwrap() else {
            panic!("{family}: the simulator answers a task");
        };
        // Both are followed and fetched at story's routes.
        let run_id = camb.wait_for_task::<Story>(&task_id).await.unwrap();
        holds_something(family, &camb.task_result::<Story>(run_id).await.unwrap());
        story_run.get_or_insert(run_id);
        ran.push(family);
    }

    // A translated story is made from a story's run (its path parameter
    // is named `task_id`: see spec/README.md, "One path, two parameter
    // names").
    let story_run = story_run.unwrap();
    let task_id = camb
        .create_task::<TranslatedStory, _>(|call| async move {
            Ok(call
                .task_id(story_run)
                .body_map(|body| body.target_language(id(fr))))
        })
        .await
        .unwrap();
    let run_id = camb
        .wait_for_task::<TranslatedStory>(&task_id)
        .await
        .unwrap();
    let translated = camb
        .task_result_with::<TranslatedStory>(run_id, |call| call.target_language(id(fr)))
        .await
        .unwrap();
    holds_something("translated_story", &translated);
    ran.push("translated_story");
    ran
}

/// The families of the spec this test must run: all but dubbing and
/// transcription, which have their own tests (and calls).
fn families_of_the_spec() -> Vec<String> {
    let spec: serde_json::Value =
        serde_json::from_str(include_str!("../../spec/generated/openapi-3.1.json")).unwrap();
    let mut names: Vec<String> = spec["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|item| item.as_object().unwrap().values())
        .filter_map(|operation| operation["x-camb-task"]["name"].as_str())
        .filter(|name| !["dub", "transcription"].contains(name))
        .map(str::to_owned)
        .collect();
    names.sort();
    names
}

fn sorted(ran: Vec<&str>) -> Vec<String> {
    let mut ran: Vec<String> = ran.into_iter().map(str::to_owned).collect();
    ran.sort();
    ran
}

#[tokio::test(start_paused = true)]
async fn every_family_runs_create_wait_result_in_process() {
    let sim = Simulator::builder().start().await;
    let ran = run_every_family(&sim.camb().unwrap()).await;
    assert_eq!(sorted(ran), families_of_the_spec());
}

#[tokio::test(start_paused = true)]
async fn every_family_runs_create_wait_result_over_http() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(Simulator::builder().serve(listener, Duration::ZERO, async {
        let _ = stopped.await;
    }));
    let camb = Camb::builder()
        .api_key(DEFAULT_API_KEY)
        .base_url(base)
        .for_paused_clock()
        .build()
        .unwrap();
    let ran = run_every_family(&camb).await;
    assert_eq!(sorted(ran), families_of_the_spec());
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
