//! The simulator speaks: `POST /tts-stream` streams a WAV or raw PCM whose
//! length follows the text, paced as [`SpeechPace`] says; `GET /list-voices`
//! and `POST /create-custom-voice` keep the account's voices. The transport
//! (whatever serves HTTP) only sends what these answer.
//!
//! Sample rates: see [`request::model_rate`] (the rate a request asks for,
//! else 48 kHz for the `pro` models and 22.05 kHz for the others, or one
//! rate forced by [`SimulatorBuilder::speech_sample_rate`](crate::SimulatorBuilder::speech_sample_rate)).

mod audio;
mod request;
mod stream;
mod voices;

use std::sync::Arc;

use bytes::Bytes;
use futures_util::Stream;
use serde_json::json;

pub use audio::WavLength;
pub use stream::{SpeechPace, SpeechStreams};
pub use voices::VoiceListShape;

use crate::http::Form;
use crate::reply::Reply;
use audio::Audio;
use stream::Counters;
use voices::Voices;

/// How the simulator speaks, as its builder set it.
#[derive(Clone, Debug, Default)]
pub(crate) struct SpeechOptions {
    pub(crate) pace: SpeechPace,
    /// One rate for every answer, whatever was asked.
    pub(crate) forced_rate: Option<u32>,
    pub(crate) wav_length: WavLength,
    pub(crate) list_shape: VoiceListShape,
}

/// The speech half of the simulated server.
#[derive(Debug)]
pub(crate) struct Speech {
    options: SpeechOptions,
    voices: Voices,
    counters: Arc<Counters>,
    requests: u64,
}

/// A `/tts-stream` answer: an error, or audio to stream.
#[derive(Debug)]
pub(crate) enum SpeechAnswer {
    /// A JSON answer (`403`, `422`).
    Reply(Reply),
    /// `200` with a body that streams.
    Audio(AudioAnswer),
}

/// A `200` whose body is an utterance, sent at the simulator's pace.
#[derive(Debug)]
pub(crate) struct AudioAnswer {
    audio: Arc<Audio>,
    headers: Vec<(&'static str, String)>,
    pace: SpeechPace,
    counters: Arc<Counters>,
}

impl AudioAnswer {
    /// The response headers: `content-type`, `x-request-id`,
    /// `x-credits-required`.
    pub(crate) fn headers(&self) -> &[(&'static str, String)] {
        &self.headers
    }

    /// The body's length in bytes.
    #[cfg(test)]
    pub(crate) fn len(&self) -> u64 {
        self.audio.len()
    }

    /// The body, chunk by chunk at the simulator's pace; dropping it before
    /// its end counts the stream cancelled ([`SpeechStreams`]).
    pub(crate) fn into_stream(self) -> impl Stream<Item = Bytes> + Send + 'static {
        stream::paced(self.audio, self.pace, self.counters)
    }

    /// The whole body at once, counted as a stream sent whole.
    #[cfg(test)]
    pub(crate) fn into_bytes(self) -> Vec<u8> {
        let bytes = self.audio.bytes(0, self.audio.len());
        let mut counted = Box::pin(stream::paced(
            self.audio,
            SpeechPace::default().chunk_bytes(usize::MAX),
            self.counters,
        ));
        // Runs the one-chunk stream to its end without a runtime: it never
        // waits (no pace), so polling it with a no-op waker finishes it.
        let waker = futures_util::task::noop_waker();
        let mut context = std::task::Context::from_waker(&waker);
        while let std::task::Poll::Ready(Some(_)) = counted.as_mut().poll_next(&mut context) {}
        bytes
    }
}

impl Speech {
    /// The stock voices, and nothing streamed yet.
    pub(crate) fn new(options: SpeechOptions) -> Speech {
        Speech {
            voices: Voices::new(options.list_shape),
            options,
            counters: Arc::default(),
            requests: 0,
        }
    }

    /// How many streams started, finished and were abandoned.
    pub(crate) fn streams(&self) -> SpeechStreams {
        self.counters.snapshot()
    }

    /// The ids of the voices the account can use, stock ones first.
    pub(crate) fn voice_ids(&self) -> Vec<i64> {
        self.voices.all().iter().map(|voice| voice.id).collect()
    }

    /// `GET /list-voices`.
    pub(crate) fn list_voices(&self, run_id: Option<&str>) -> Reply {
        self.voices.list(run_id)
    }

    /// `POST /create-custom-voice`.
    pub(crate) fn create_custom_voice(
        &mut self,
        run_id: Option<&str>,
        form: Option<&Form>,
    ) -> Reply {
        self.voices.create(run_id, form)
    }

    /// `POST /tts-stream`: `422` for a body the API refuses, `403` for a
    /// voice the account cannot use, else the utterance.
    pub(crate) fn tts_stream(&mut self, body: &[u8]) -> SpeechAnswer {
        let request = match request::read(body) {
            Ok(request) => request,
            Err(problems) => return SpeechAnswer::Reply(Reply::validation(problems)),
        };
        if self.voices.get(request.voice_id).is_none() {
            let detail = format!(
                "Voice {} is not available to this API key",
                request.voice_id
            );
            return SpeechAnswer::Reply(Reply::json(403, &json!({ "detail": detail })));
        }
        self.requests += 1;
        let rate = self.options.forced_rate.unwrap_or(request.rate);
        let audio = Audio::new(
            &request.text,
            request.voice_id,
            request.container,
            rate,
            request.timing,
            self.options.wav_length,
        );
        let headers = vec![
            ("content-type", audio.container().content_type().to_owned()),
            ("x-request-id", format!("sim-tts-{}", self.requests)),
            // One credit per character (the simulator's own rule).
            (
                "x-credits-required",
                request.text.chars().count().to_string(),
            ),
        ];
        SpeechAnswer::Audio(AudioAnswer {
            audio: Arc::new(audio),
            headers,
            pace: self.options.pace,
            counters: Arc::clone(&self.counters),
        })
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use serde_json::Value;

    use super::*;

    fn speak(speech: &mut Speech, body: Value) -> SpeechAnswer {
        speech.tts_stream(body.to_string().as_bytes())
    }

    fn status(answer: &SpeechAnswer) -> u16 {
        match answer {
            SpeechAnswer::Reply(reply) => reply.status(),
            SpeechAnswer::Audio(_) => 200,
        }
    }

    #[tokio::test]
    async fn a_stock_voice_speaks_a_wav_and_a_voice_of_no_one_is_a_403() {
        let mut speech = Speech::new(SpeechOptions::default());
        let voice_id = speech.voice_ids()[0];
        let answer = speak(
            &mut speech,
            json!({"text": "Hello there", "language": "en-us", "voice_id": voice_id}),
        );
        let SpeechAnswer::Audio(audio) = answer else {
            panic!("audio")
        };
        assert_eq!(audio.headers()[0], ("content-type", "audio/wav".to_owned()));
        assert_eq!(audio.headers()[2], ("x-credits-required", "11".to_owned()));
        let length = audio.len();
        let chunks: Vec<Bytes> = audio.into_stream().collect().await;
        let bytes = chunks.concat();
        assert_eq!(bytes.len() as u64, length);
        assert_eq!(&bytes[..4], b"RIFF");
        assert_eq!(speech.streams().completed, 1);

        let denied = speak(
            &mut speech,
            json!({"text": "Hello", "language": "en-us", "voice_id": 424242}),
        );
        assert_eq!(status(&denied), 403);
        let short = speak(
            &mut speech,
            json!({"text": "Hi", "language": "en-us", "voice_id": 424242}),
        );
        assert_eq!(status(&short), 422, "the body is checked before the voice");
    }

    #[test]
    fn a_forced_rate_wins_over_the_request() {
        let mut speech = Speech::new(SpeechOptions {
            forced_rate: Some(48_000),
            wav_length: WavLength::Exact,
            ..SpeechOptions::default()
        });
        let answer = speak(
            &mut speech,
            json!({"text": "Hello there", "language": "en-us", "voice_id": 20303,
                "output_configuration": {"sample_rate": 24000}}),
        );
        let SpeechAnswer::Audio(audio) = answer else {
            panic!("audio")
        };
        let reader =
            hound::WavReader::new(std::io::Cursor::new(audio.into_bytes())).expect("a WAV");
        assert_eq!(reader.spec().sample_rate, 48_000);
        assert_eq!(speech.streams().completed, 1);
    }
}
