//! Speech against the simulator, beside `speech_simulator.rs`: a chunk in
//! the caller's hands while the simulator still sends, and an LLM's text
//! spoken while it is written (its time to first audio printed).

use std::time::{Duration, Instant};

use camb_api_ext::{Camb, Language, Speech, SpeechEvent, SpeechModel};
use camb_simulator::{Simulator, SpeechPace};
use futures_util::StreamExt;

/// A client of `sim` on the real clock, with the speech defaults.
fn camb(sim: &Simulator) -> Camb {
    Camb::builder()
        .api_key(sim.api_key())
        .base_url(sim.base_url())
        .build()
        .expect("a client for the simulator")
}

#[tokio::test]
async fn a_chunk_reaches_the_caller_while_the_simulator_is_still_sending() {
    let pace = SpeechPace::default()
        .chunk_bytes(512)
        .chunk_every(Duration::from_millis(20));
    let sim = Simulator::builder().speech_pace(pace).start().await;
    let camb = camb(&sim);
    let voice = camb.voices().await.unwrap()[0].id();
    let long = "A long sentence that takes a while to say. ".repeat(20);
    let mut audio = camb
        .speak(&Speech::new(long, Language::EN_US, voice))
        .await
        .expect("audio");
    let first = audio.next().await.expect("a chunk").expect("no error");
    assert!(!first.is_empty());
    let streams = sim.speech_streams();
    assert_eq!(
        (streams.started, streams.completed),
        (1, 0),
        "still sending"
    );
    drop(audio);
    let deadline = Instant::now() + Duration::from_secs(5);
    while sim.speech_streams().cancelled == 0 {
        assert!(
            Instant::now() < deadline,
            "the simulator never saw the drop"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sim.speech_streams().completed, 0);
}

/// An LLM's answer, token by token, every 20 ms; the simulator answers
/// each sentence after 150 ms (the time to first audio CAMB.AI's
/// integration PRs claim for mars-flash), in chunks every 10 ms.
#[tokio::test]
async fn an_llm_answer_is_spoken_in_order_while_it_is_written() {
    let pace = SpeechPace::default()
        .first_byte_after(Duration::from_millis(150))
        .chunk_bytes(4096)
        .chunk_every(Duration::from_millis(10));
    let sim = Simulator::builder().speech_pace(pace).start().await;
    let camb = camb(&sim);
    let voice = camb.voices().await.unwrap()[0].id();
    let answer = "Sure, I can help with that. The weather today is sunny. \
                  Expect a high of twenty degrees. Anything else?";
    let words: Vec<String> = answer.split_inclusive(' ').map(str::to_owned).collect();
    let tokens = futures_util::stream::iter(words).then(|word| async move {
        tokio::time::sleep(Duration::from_millis(20)).await;
        word
    });
    let started = Instant::now();
    let mut spoken = camb.speak_text(
        tokens,
        &Speech::new("", Language::EN_US, voice).model(SpeechModel::MarsFlash),
    );
    let mut sentences = Vec::new();
    let mut audio_bytes = 0;
    while let Some(event) = spoken.next().await {
        match event.expect("no error") {
            SpeechEvent::Sentence { index, text, .. } => {
                assert_eq!(index, sentences.len());
                sentences.push(text);
            }
            SpeechEvent::Audio(audio) => audio_bytes += audio.len(),
            other => panic!("{other:?}"),
        }
    }
    let total = started.elapsed();
    assert_eq!(
        sentences,
        [
            "Sure, I can help with that.",
            "The weather today is sunny.",
            "Expect a high of twenty degrees.",
            "Anything else?"
        ]
    );
    assert!(audio_bytes > 0);
    let first_audio = spoken.time_to_first_audio().expect("audio came");
    // The first sentence ends with the sixth token (120 ms), then 150 ms.
    assert!(first_audio >= Duration::from_millis(150), "{first_audio:?}");
    println!("time to first audio: {first_audio:?} from the first token; all spoken in {total:?}");
    assert_eq!(sim.speech_streams().completed, 4);
}
