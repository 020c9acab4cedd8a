//! The audio the simulator speaks: a tone per letter, whose length follows
//! the text, encoded as a WAV (header by `hound`) or raw PCM, and cut into
//! chunks on demand so that no answer is ever held in memory whole.

use hound::{SampleFormat, WavSpec};

/// How long one character of text lasts (about 14 characters a second,
/// the pace of ordinary speech).
pub(crate) const PER_CHARACTER_MS: u64 = 70;

/// A raw PCM sample encoding (`pcm_*` in `output_configuration.format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pcm {
    S16Le,
    S16Be,
    S32Le,
    S32Be,
    F32Le,
    F32Be,
}

impl Pcm {
    /// Every encoding, with its `output_configuration.format` name.
    pub(crate) const ALL: [(&'static str, Pcm); 6] = [
        ("pcm_s16le", Pcm::S16Le),
        ("pcm_s16be", Pcm::S16Be),
        ("pcm_s32le", Pcm::S32Le),
        ("pcm_s32be", Pcm::S32Be),
        ("pcm_f32le", Pcm::F32Le),
        ("pcm_f32be", Pcm::F32Be),
    ];

    /// Bytes per (mono) sample.
    pub(crate) fn width(self) -> usize {
        match self {
            Pcm::S16Le | Pcm::S16Be => 2,
            _ => 4,
        }
    }

    /// Appends one sample in `-1.0..=1.0`.
    fn encode(self, sample: f32, out: &mut Vec<u8>) {
        let s16 = || (sample * f32::from(i16::MAX)) as i16;
        let s32 = || (f64::from(sample) * f64::from(i32::MAX)) as i32;
        match self {
            Pcm::S16Le => out.extend_from_slice(&s16().to_le_bytes()),
            Pcm::S16Be => out.extend_from_slice(&s16().to_be_bytes()),
            Pcm::S32Le => out.extend_from_slice(&s32().to_le_bytes()),
            Pcm::S32Be => out.extend_from_slice(&s32().to_be_bytes()),
            Pcm::F32Le => out.extend_from_slice(&sample.to_le_bytes()),
            Pcm::F32Be => out.extend_from_slice(&sample.to_be_bytes()),
        }
    }
}

/// The container the audio is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Container {
    /// A RIFF WAVE file of 16-bit mono PCM.
    Wav,
    /// Raw samples, nothing else.
    Raw(Pcm),
}

impl Container {
    /// The `content-type` the answer carries.
    pub(crate) fn content_type(self) -> &'static str {
        match self {
            Container::Wav => "audio/wav",
            Container::Raw(_) => "application/octet-stream",
        }
    }

    fn encoding(self) -> Pcm {
        match self {
            Container::Wav => Pcm::S16Le,
            Container::Raw(pcm) => pcm,
        }
    }
}

/// What a streamed WAV says its length is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum WavLength {
    /// `0xFFFFFFFF` in the RIFF and `data` sizes, as a server that streams
    /// before it knows the length writes (ffmpeg does; CAMB.AI's stream may):
    /// a client must read such a WAV up to the end of the stream.
    #[default]
    Placeholder,
    /// The true sizes.
    Exact,
}

/// One utterance: what it says, how it sounds, how it is encoded.
#[derive(Clone, Debug)]
pub(crate) struct Audio {
    container: Container,
    rate: u32,
    /// Whether each character is voiced (letters and digits) or a pause.
    voiced: Vec<bool>,
    /// The tone of the voice, in Hz.
    pitch: f32,
    samples: u64,
    header: Vec<u8>,
}

impl Audio {
    /// `text` spoken by the voice `voice_id` at `rate` Hz, lasting
    /// [`PER_CHARACTER_MS`] per character divided by `speaking_rate`, or
    /// `duration` seconds when given.
    pub(crate) fn new(
        text: &str,
        voice_id: i64,
        container: Container,
        rate: u32,
        timing: Timing,
        wav_length: WavLength,
    ) -> Audio {
        let voiced: Vec<bool> = text.chars().map(char::is_alphanumeric).collect();
        let seconds = match timing {
            Timing::Duration(seconds) => seconds,
            Timing::SpeakingRate(speed) => {
                voiced.len() as f64 * PER_CHARACTER_MS as f64 / 1000.0 / speed
            }
        };
        let samples = (seconds * f64::from(rate)).round().max(1.0) as u64;
        let mut audio = Audio {
            container,
            rate,
            voiced,
            pitch: 110.0 + 20.0 * voice_id.rem_euclid(12) as f32,
            samples,
            header: Vec::new(),
        };
        if container == Container::Wav {
            audio.header = wav_header(rate, audio.data_len(), wav_length);
        }
        audio
    }

    /// How many samples the utterance lasts.
    #[cfg(test)]
    pub(crate) fn samples(&self) -> u64 {
        self.samples
    }

    /// The container.
    pub(crate) fn container(&self) -> Container {
        self.container
    }

    /// The length of the whole answer in bytes.
    pub(crate) fn len(&self) -> u64 {
        self.header.len() as u64 + self.data_len()
    }

    fn data_len(&self) -> u64 {
        self.samples * self.container.encoding().width() as u64
    }

    /// The answer's bytes `start..end` (clamped to its length).
    pub(crate) fn bytes(&self, start: u64, end: u64) -> Vec<u8> {
        let end = end.min(self.len());
        let mut out = Vec::with_capacity(usize::try_from(end.saturating_sub(start)).unwrap_or(0));
        let header = self.header.len() as u64;
        if start < header {
            let stop = end.min(header);
            out.extend_from_slice(&self.header[start as usize..stop as usize]);
        }
        if end > header {
            let encoding = self.container.encoding();
            let width = encoding.width() as u64;
            let (from, to) = (start.max(header) - header, end - header);
            let mut encoded = Vec::new();
            for index in from / width..to.div_ceil(width) {
                encoding.encode(self.sample(index), &mut encoded);
            }
            let skip = (from % width) as usize;
            out.extend_from_slice(&encoded[skip..skip + (to - from) as usize]);
        }
        out
    }

    /// Sample `index` in `-1.0..=1.0`: a soft tone for a voiced character,
    /// silence for a pause.
    fn sample(&self, index: u64) -> f32 {
        let characters = self.voiced.len() as u64;
        if characters == 0 {
            return 0.0;
        }
        // Where in the text this sample is: which character, how far into it.
        let position = index as f64 * characters as f64 / self.samples as f64;
        let character = (position as usize).min(self.voiced.len() - 1);
        if !self.voiced[character] {
            return 0.0;
        }
        let within = position.fract();
        let envelope = (std::f64::consts::PI * within).sin();
        let pitch = f64::from(self.pitch) * (1.0 + 0.06 * (character % 5) as f64);
        let phase = std::f64::consts::TAU * pitch * index as f64 / f64::from(self.rate);
        (0.3 * envelope * phase.sin()) as f32
    }
}

/// What decides how long an utterance lasts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Timing {
    /// `output_configuration.duration`, in seconds.
    Duration(f64),
    /// `voice_settings.speaking_rate` (1.0: the ordinary pace).
    SpeakingRate(f64),
}

/// The header of a 16-bit mono WAV of `data_len` bytes, written by `hound`
/// (a `fmt ` chunk, then the `data` chunk's head), its sizes true or
/// placeholders.
fn wav_header(rate: u32, data_len: u64, length: WavLength) -> Vec<u8> {
    let spec = WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: SampleFormat::Int,
    };
    // hound's header for a stream of unknown length: sizes 0xFFFFFFFF.
    let mut header = spec.into_header_for_infinite_file();
    if length == WavLength::Exact {
        // The RIFF size (bytes 4..8: all that follows it) and the `data`
        // size (the header's last four bytes), as RIFF defines them; a WAV
        // past 4 GiB keeps the placeholders.
        let riff = u32::try_from(header.len() as u64 - 8 + data_len);
        if let (Ok(riff), Ok(data)) = (riff, u32::try_from(data_len)) {
            let end = header.len();
            header[4..8].copy_from_slice(&riff.to_le_bytes());
            header[end - 4..].copy_from_slice(&data.to_le_bytes());
        }
    }
    header
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hello(container: Container, rate: u32, length: WavLength) -> Audio {
        Audio::new(
            "Hello, world",
            7,
            container,
            rate,
            Timing::SpeakingRate(1.0),
            length,
        )
    }

    #[test]
    fn an_exact_wav_reads_back_with_hound_at_its_rate_and_length() {
        let audio = hello(Container::Wav, 22_050, WavLength::Exact);
        let bytes = audio.bytes(0, audio.len());
        assert_eq!(bytes.len() as u64, audio.len());
        let reader = hound::WavReader::new(&bytes[..]).expect("a valid WAV");
        assert_eq!(reader.spec().sample_rate, 22_050);
        assert_eq!(reader.spec().channels, 1);
        assert_eq!(reader.spec().bits_per_sample, 16);
        // 12 characters at 70 ms each.
        assert_eq!(reader.duration(), (22_050.0 * 0.84_f64).round() as u32);
        let samples: Vec<i16> = reader
            .into_samples::<i16>()
            .map(|s| s.expect("a sample"))
            .collect();
        assert!(samples.iter().any(|&s| s.unsigned_abs() > 5_000), "audible");
        assert!(samples.contains(&0), "a pause at the comma");
    }

    #[test]
    fn a_placeholder_wav_says_ffffffff_where_the_sizes_go() {
        let audio = hello(Container::Wav, 48_000, WavLength::Placeholder);
        let head = audio.bytes(0, 44);
        assert_eq!(&head[0..4], b"RIFF");
        assert_eq!(&head[4..8], &[0xFF; 4]);
        assert_eq!(&head[36..40], b"data");
        assert_eq!(&head[40..44], &[0xFF; 4]);
        assert_eq!(
            u32::from_le_bytes([head[24], head[25], head[26], head[27]]),
            48_000
        );
    }

    #[test]
    fn the_length_follows_the_text_the_rate_and_the_duration() {
        let short = Audio::new(
            "abc",
            1,
            Container::Raw(Pcm::S16Le),
            24_000,
            Timing::SpeakingRate(1.0),
            WavLength::Exact,
        );
        let long = Audio::new(
            &"abc ".repeat(100),
            1,
            Container::Raw(Pcm::S16Le),
            24_000,
            Timing::SpeakingRate(1.0),
            WavLength::Exact,
        );
        assert_eq!(short.samples(), 24_000 * 3 * 70 / 1000);
        assert_eq!(long.samples(), 24_000 * 400 * 70 / 1000);
        let fast = Audio::new(
            "abc",
            1,
            Container::Raw(Pcm::S16Le),
            24_000,
            Timing::SpeakingRate(2.0),
            WavLength::Exact,
        );
        assert_eq!(fast.samples(), short.samples() / 2);
        let timed = Audio::new(
            "abc",
            1,
            Container::Raw(Pcm::F32Be),
            8_000,
            Timing::Duration(2.5),
            WavLength::Exact,
        );
        assert_eq!(timed.samples(), 20_000);
        assert_eq!(timed.len(), 80_000, "four bytes a sample, no header");
    }

    #[test]
    fn any_cut_of_the_bytes_joins_back_into_the_whole() {
        for container in [
            Container::Wav,
            Container::Raw(Pcm::S32Be),
            Container::Raw(Pcm::S16Le),
        ] {
            let audio = hello(container, 8_000, WavLength::Exact);
            let whole = audio.bytes(0, audio.len());
            for step in [1, 3, 7, 44, 4096] {
                let mut joined = Vec::new();
                let mut at = 0;
                while at < audio.len() {
                    joined.extend(audio.bytes(at, at + step));
                    at += step;
                }
                assert_eq!(joined, whole, "{container:?} in steps of {step}");
            }
        }
    }

    #[test]
    fn each_pcm_encoding_writes_the_same_sample_its_own_way() {
        let one = |pcm: Pcm| {
            let mut out = Vec::new();
            pcm.encode(0.5, &mut out);
            out
        };
        assert_eq!(one(Pcm::S16Le), 16_383_i16.to_le_bytes());
        assert_eq!(one(Pcm::S16Be), 16_383_i16.to_be_bytes());
        assert_eq!(one(Pcm::S32Le), 1_073_741_823_i32.to_le_bytes());
        assert_eq!(one(Pcm::S32Be), 1_073_741_823_i32.to_be_bytes());
        assert_eq!(one(Pcm::F32Le), 0.5_f32.to_le_bytes());
        assert_eq!(one(Pcm::F32Be), 0.5_f32.to_be_bytes());
    }
}
