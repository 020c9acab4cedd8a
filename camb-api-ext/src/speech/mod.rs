//! Text to speech, streamed as a voice agent needs it: [`Camb::speak`]
//! hands on a [`SpeechStream`] of audio chunks as they arrive, its
//! [`AudioFormat`] known first; [`Camb::speak_text`] speaks a text still
//! being written (an LLM's tokens), sentence by sentence, the next sentence
//! requested while the current one plays; [`Camb::voices`] and
//! [`Camb::create_voice`] list and clone the voices.
//!
//! [`Camb::speak`]: crate::Camb::speak
//! [`Camb::speak_text`]: crate::Camb::speak_text
//! [`Camb::voices`]: crate::Camb::voices
//! [`Camb::create_voice`]: crate::Camb::create_voice

mod format;
mod request;
mod stream;
mod text;
mod voices;

pub(crate) use format::not_audio_content_type;
pub use format::{AudioFormat, PcmFormat, RateSource, SampleFormat};
pub use request::{Speech, TEXT_CHARS};
pub use stream::{SavedAudio, SpeechMetadata, SpeechStream};
pub use text::{Sentences, SpeechEvent, SpokenText};
pub use voices::{Gender, NewVoice, Voice};
