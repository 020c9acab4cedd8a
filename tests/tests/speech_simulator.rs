//! Speech end to end: camb-api-ext's streaming call and voices against the
//! simulator (in process, real HTTP on loopback): the audio's format read
//! from what the simulator streams, typed errors before the first byte,
//! dropping a stream closes its connection, voices listed in each of the
//! list's shapes and a cloned voice speaking at once.

use std::time::{Duration, Instant};

use camb_api_ext::{
    AudioFormat, Error, Gender, Language, NewVoice, RateSource, SampleFormat, Speech, SpeechFormat,
    SpeechModel, VoiceId,
};
use camb_simulator::{Simulator, SpeechPace, VoiceListShape};
use futures_util::StreamExt;

/// A stock voice of every simulator.
const AVA: VoiceId = VoiceId(20303);

fn pcm(format: &AudioFormat) -> (u32, SampleFormat, RateSource) {
    let pcm = format.pcm().expect("samples");
    (pcm.sample_rate, pcm.sample, pcm.source)
}

/// Every byte of a stream, checking each chunk holds whole samples.
async fn drain(mut audio: camb_api_ext::SpeechStream) -> Vec<u8> {
    let frame = audio.format().pcm().map_or(1, |pcm| pcm.frame_bytes());
    let mut bytes = Vec::new();
    while let Some(chunk) = audio.next().await {
        let chunk = chunk.expect("a chunk");
        assert_eq!(chunk.len() % frame, 0, "a chunk of whole samples");
        bytes.extend_from_slice(&chunk);
    }
    bytes
}

#[tokio::test]
async fn a_wav_streams_at_the_rate_its_header_says_with_the_answers_metadata() -> Result<(), Error>
{
    let sim = Simulator::builder().start().await;
    let camb = sim.camb()?;
    let audio = camb
        .speak(&Speech::new("Hello there", Language::EN_US, AVA))
        .await?;
    assert_eq!(
        pcm(audio.format()),
        (22_050, SampleFormat::S16Le, RateSource::WavHeader),
        "mars-flash's rate, from the WAV header"
    );
    assert_eq!(audio.metadata().credits_required(), Some("11"));
    assert!(
        audio
            .metadata()
            .request_id()
            .is_some_and(|id| id.starts_with("sim-tts-"))
    );
    let samples = drain(audio).await.len() / 2;
    // 11 characters, 70 ms each, at 22.05 kHz; the header is not handed on.
    assert!(samples.abs_diff(16_979) <= 1, "{samples}");

    let pro = Speech::new("Hello there", Language::EN_US, AVA).model(SpeechModel::MarsPro);
    assert_eq!(pcm(camb.speak(&pro).await?.format()).0, 48_000);
    Ok(())
}

#[tokio::test]
async fn a_rate_the_server_forces_is_read_from_the_header_not_taken_from_the_request()
-> Result<(), Error> {
    let sim = Simulator::builder()
        .speech_sample_rate(48_000)
        .start()
        .await;
    let speech = Speech::new("Hello there", Language::EN_US, AVA)
        .format(SpeechFormat::Wav)
        .sample_rate(24_000);
    let audio = sim.camb()?.speak(&speech).await?;
    assert_eq!(pcm(audio.format()).0, 48_000);
    Ok(())
}

#[tokio::test]
async fn raw_pcm_split_mid_sample_comes_in_whole_samples_and_saves_as_a_playable_wav()
-> Result<(), Error> {
    // 7-byte chunks split nearly every 16-bit sample between two chunks.
    let sim = Simulator::builder()
        .speech_pace(SpeechPace::default().chunk_bytes(7))
        .start()
        .await;
    let camb = sim.camb()?;
    let speech = Speech::new("Hello", Language::EN_US, AVA)
        .format(SpeechFormat::PcmS16le)
        .sample_rate(16_000);
    let audio = camb.speak(&speech).await?;
    assert_eq!(
        pcm(audio.format()),
        (16_000, SampleFormat::S16Le, RateSource::Request)
    );
    // 5 characters, 70 ms each, at 16 kHz, 2 bytes a sample.
    assert_eq!(drain(audio).await.len(), 5 * 70 * 16 * 2);

    let path = std::env::temp_dir().join(format!("speech-sim-{}.wav", std::process::id()));
    let saved = camb.speak(&speech).await?.save(&path).await?;
    let reader = wav_rate_and_samples(&path);
    let _ = std::fs::remove_file(&path);
    assert_eq!(reader, (16_000, 5 * 70 * 16));
    assert_eq!(saved.audio_bytes, 5 * 70 * 16 * 2);
    Ok(())
}

/// The rate and length in samples of a WAV file, read by its RIFF chunks.
fn wav_rate_and_samples(path: &std::path::Path) -> (u32, u64) {
    let bytes = std::fs::read(path).expect("the saved file");
    assert_eq!(&bytes[..4], b"RIFF");
    assert_eq!(&bytes[8..12], b"WAVE");
    let mut at = 12;
    let (mut rate, mut data) = (0, 0);
    while at + 8 <= bytes.len() {
        let size = u32::from_le_bytes([bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]]);
        match &bytes[at..at + 4] {
            b"fmt " => {
                rate = u32::from_le_bytes([
                    bytes[at + 12],
                    bytes[at + 13],
                    bytes[at + 14],
                    bytes[at + 15],
                ]);
            }
            b"data" => data = u64::from(size) / 2,
            _ => {}
        }
        at += 8 + size as usize + size as usize % 2;
    }
    (rate, data)
}

#[tokio::test]
async fn a_voice_nobody_shares_and_a_locale_the_server_refuses_are_typed_errors() {
    let sim = Simulator::builder().start().await;
    let camb = sim.camb().expect("a client");
    let denied = camb
        .speak(&Speech::new("Hello", Language::EN_US, VoiceId(424_242)))
        .await;
    assert!(
        matches!(&denied, Err(Error::VoiceNotAvailable { voice_id, .. }) if *voice_id == VoiceId(424_242)),
        "{denied:?}"
    );
    // A locale the client knows that the simulator's list (the SDK's) lacks.
    let afrikaans: Language = "af-za".parse().expect("a known tag");
    let refused = camb.speak(&Speech::new("Hallo daar", afrikaans, AVA)).await;
    let Err(Error::Validation { detail }) = &refused else {
        panic!("a 422: {refused:?}")
    };
    let listed = format!("{detail:?}");
    assert!(
        listed.contains("en-us") && listed.contains("pt-br"),
        "{listed}"
    );
    assert_eq!(sim.speech_streams().started, 0, "no audio was sent");
}

#[tokio::test]
async fn dropping_the_stream_mid_way_closes_the_connection_and_the_simulator_notices()
-> Result<(), Error> {
    let pace = SpeechPace::default()
        .chunk_bytes(512)
        .chunk_every(Duration::from_millis(20));
    let sim = Simulator::builder().speech_pace(pace).start().await;
    let text = "A long answer that nobody listens to the end of. ".repeat(10);
    let mut audio = sim
        .camb()?
        .speak(&Speech::new(text, Language::EN_US, AVA))
        .await?;
    assert!(audio.next().await.is_some_and(|chunk| chunk.is_ok()));
    drop(audio);
    let deadline = Instant::now() + Duration::from_secs(10);
    while sim.speech_streams().cancelled == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let streams = sim.speech_streams();
    assert_eq!(
        (streams.started, streams.completed, streams.cancelled),
        (1, 0, 1)
    );
    Ok(())
}

#[tokio::test]
async fn voices_are_listed_in_each_shape_and_a_cloned_voice_is_listed_and_speaks_at_once()
-> Result<(), Error> {
    for shape in [
        VoiceListShape::List,
        VoiceListShape::Payload,
        VoiceListShape::Voices,
    ] {
        let sim = Simulator::builder().voice_list_shape(shape).start().await;
        let camb = sim.camb()?;
        let stock = camb.voices().await?;
        assert_eq!(stock.len(), 4, "{shape:?}");
        let ava = stock.iter().find(|voice| voice.id() == AVA).expect("Ava");
        assert_eq!(
            (ava.name(), ava.gender(), ava.language()),
            ("Ava", Gender::Female, Some(Language::EN_US))
        );

        let mine = NewVoice::from_bytes(
            "Mine",
            Gender::Male,
            "me.wav",
            b"RIFF, a recording".to_vec(),
        )
        .age(44)
        .language(Language::FR_FR);
        let voice_id = camb.create_voice(&mine).await?;
        let voices = camb.voices().await?;
        let listed = voices
            .iter()
            .find(|voice| voice.id() == voice_id)
            .expect("the clone is listed");
        assert_eq!(
            (
                listed.name(),
                listed.gender(),
                listed.age(),
                listed.language()
            ),
            ("Mine", Gender::Male, Some(44), Some(Language::FR_FR))
        );
        assert_eq!(sim.voice_ids().len(), 5);
        let audio = camb
            .speak(&Speech::new("Bonjour à tous", Language::FR_FR, voice_id))
            .await?;
        assert!(!drain(audio).await.is_empty());
    }
    Ok(())
}
