//! What the audio of a speech stream is: [`AudioFormat`], found before the
//! first sample is handed on (from the request for raw PCM, from the WAV
//! header for WAV, by walking its RIFF chunks), and the checks that an
//! answer is audio at all.

use std::fmt;

use camb_api::OutputFormat;

/// The format of a speech stream's audio, known before its first byte is
/// handed on ([`SpeechStream::format`](crate::SpeechStream::format)).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AudioFormat {
    /// Samples (a WAV's, or raw PCM): the stream hands on the samples only,
    /// never a WAV header, and always in whole frames (no sample split
    /// between two chunks).
    Pcm(PcmFormat),
    /// An encoded format (MP3, FLAC, AAC in ADTS, or one this version does
    /// not know), handed on byte for byte as the server sent it.
    Encoded {
        /// The format the request asked for.
        format: OutputFormat,
        /// The answer's `Content-Type`, if it had one.
        content_type: Option<String>,
    },
}

impl AudioFormat {
    /// The sample layout, for samples.
    pub fn pcm(&self) -> Option<&PcmFormat> {
        match self {
            AudioFormat::Pcm(pcm) => Some(pcm),
            AudioFormat::Encoded { .. } => None,
        }
    }
}

impl fmt::Display for AudioFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AudioFormat::Pcm(pcm) => pcm.fmt(f),
            AudioFormat::Encoded {
                format,
                content_type,
            } => match content_type {
                Some(content_type) => write!(f, "{format} ({content_type})"),
                None => write!(f, "{format}"),
            },
        }
    }
}

/// How samples are laid out: rate, channels, sample encoding, and where
/// this was learnt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PcmFormat {
    /// Frames per second, in Hz.
    pub sample_rate: u32,
    /// Interleaved channels per frame.
    pub channels: u16,
    /// How one sample is encoded.
    pub sample: SampleFormat,
    /// Where the rate comes from.
    pub source: RateSource,
}

impl PcmFormat {
    /// Bytes per frame (one sample of every channel): the stream's chunks
    /// are always a multiple of it.
    pub fn frame_bytes(&self) -> usize {
        self.sample.bytes() * usize::from(self.channels)
    }
}

impl fmt::Display for PcmFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let channels = match self.channels {
            1 => "mono".to_owned(),
            2 => "stereo".to_owned(),
            n => format!("{n} channels"),
        };
        let source = match self.source {
            RateSource::WavHeader => "from the WAV header",
            RateSource::Request => "as requested",
        };
        write!(
            f,
            "{} Hz {channels} {} ({source})",
            self.sample_rate, self.sample
        )
    }
}

/// Where a [`PcmFormat`]'s rate comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RateSource {
    /// The WAV's `fmt ` chunk: what the server says it sent, whatever was
    /// asked (the sources disagree on each model's rate).
    WavHeader,
    /// The request's `sample_rate`: raw PCM carries no rate of its own.
    Request,
}

/// How one sample is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SampleFormat {
    /// Unsigned 8-bit (WAV only).
    U8,
    /// Signed 16-bit, little-endian.
    S16Le,
    /// Signed 16-bit, big-endian.
    S16Be,
    /// Signed 24-bit, little-endian (WAV only).
    S24Le,
    /// Signed 32-bit, little-endian.
    S32Le,
    /// Signed 32-bit, big-endian.
    S32Be,
    /// 32-bit float, little-endian.
    F32Le,
    /// 32-bit float, big-endian.
    F32Be,
}

impl SampleFormat {
    /// Bytes per sample.
    pub fn bytes(self) -> usize {
        match self {
            SampleFormat::U8 => 1,
            SampleFormat::S16Le | SampleFormat::S16Be => 2,
            SampleFormat::S24Le => 3,
            SampleFormat::S32Le
            | SampleFormat::S32Be
            | SampleFormat::F32Le
            | SampleFormat::F32Be => 4,
        }
    }

    /// The raw PCM encoding a requested output format names, if it is one.
    pub(crate) fn of_raw(format: &OutputFormat) -> Option<SampleFormat> {
        Some(match format {
            OutputFormat::PcmS16le => SampleFormat::S16Le,
            OutputFormat::PcmS16be => SampleFormat::S16Be,
            OutputFormat::PcmS32le => SampleFormat::S32Le,
            OutputFormat::PcmS32be => SampleFormat::S32Be,
            OutputFormat::PcmF32le => SampleFormat::F32Le,
            OutputFormat::PcmF32be => SampleFormat::F32Be,
            _ => return None,
        })
    }
}

impl fmt::Display for SampleFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SampleFormat::U8 => "u8",
            SampleFormat::S16Le => "s16le",
            SampleFormat::S16Be => "s16be",
            SampleFormat::S24Le => "s24le",
            SampleFormat::S32Le => "s32le",
            SampleFormat::S32Be => "s32be",
            SampleFormat::F32Le => "f32le",
            SampleFormat::F32Be => "f32be",
        })
    }
}

/// Why an answer's `Content-Type` says it is not audio (JSON, HTML, XML or
/// text), or `None` when it may be: `audio/*`, `application/octet-stream`,
/// anything else, or no content type at all (the bytes then decide).
pub(crate) fn not_audio_content_type(content_type: Option<&str>) -> Option<String> {
    let content_type = content_type?;
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/').unwrap_or((essence.as_str(), ""));
    let textual = kind == "text"
        || subtype == "json"
        || subtype.ends_with("+json")
        || subtype == "xml"
        || subtype.ends_with("+xml")
        || subtype == "xhtml+xml";
    textual.then(|| format!("the answer is `{content_type}`, not audio"))
}

/// Whether the first bytes of a body that may be audio look like a JSON
/// object or an HTML page instead (for answers without an audio content
/// type).
pub(crate) fn looks_like_text(start: &[u8], content_type: Option<&str>) -> bool {
    let audio_type =
        content_type.is_some_and(|ct| ct.trim().to_ascii_lowercase().starts_with("audio/"));
    if audio_type {
        return false;
    }
    let start = start.trim_ascii_start();
    start.starts_with(b"{\"")
        || start.starts_with(b"<!")
        || start.starts_with(b"<html")
        || start.starts_with(b"<HTML")
}

/// How far a WAV header has been read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum WavHeader {
    /// More bytes are needed.
    Incomplete,
    /// The samples start at `data_offset`; `data_len` is the data chunk's
    /// length, `None` for a placeholder (a streamed WAV does not know it).
    Found {
        format: PcmFormat,
        data_offset: usize,
        data_len: Option<u64>,
    },
}

/// The longest header read before the data chunk: chunks before it
/// (`LIST`, `fact`, `JUNK`) are small; a server that sends more is not
/// sending a WAV.
pub(crate) const MAX_WAV_HEADER: usize = 64 * 1024;

/// Reads a WAV header from the bytes received so far, walking the RIFF
/// chunks (`fmt ` and `data` anywhere, others skipped) rather than assuming
/// a 44-byte layout. Fails when the bytes are no WAV this client can hand
/// on as samples.
pub(crate) fn read_wav_header(bytes: &[u8]) -> Result<WavHeader, String> {
    let magic_ok = |len: usize| {
        let n = bytes.len().min(len);
        b"RIFF"[..n.min(4)] == bytes[..n.min(4)] && (n <= 8 || b"WAVE"[..n - 8] == bytes[8..n])
    };
    if !magic_ok(12) {
        return Err("not a WAV file (no RIFF/WAVE header)".into());
    }
    if bytes.len() < 12 {
        return Ok(WavHeader::Incomplete);
    }
    let mut format = None;
    let mut at = 12usize;
    loop {
        let Some(header) = bytes.get(at..at + 8) else {
            return incomplete(bytes);
        };
        let id = &header[..4];
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]);
        let body = at + 8;
        match id {
            b"data" => {
                let Some(format) = format else {
                    return Err("the WAV's data chunk comes before its fmt chunk".into());
                };
                let data_len = (size != 0 && size != u32::MAX).then_some(u64::from(size));
                return Ok(WavHeader::Found {
                    format,
                    data_offset: body,
                    data_len,
                });
            }
            b"fmt " => {
                let Some(chunk) = bytes.get(body..body + size as usize) else {
                    return incomplete(bytes);
                };
                format = Some(read_fmt(chunk)?);
            }
            _ => {}
        }
        // Chunks are padded to an even length.
        at = body
            .checked_add(size as usize + (size as usize & 1))
            .ok_or("a WAV chunk size overflows")?;
        if at > MAX_WAV_HEADER {
            return Err(format!(
                "no WAV data chunk within the first {MAX_WAV_HEADER} bytes"
            ));
        }
    }
}

fn incomplete(bytes: &[u8]) -> Result<WavHeader, String> {
    if bytes.len() > MAX_WAV_HEADER {
        return Err(format!(
            "no WAV data chunk within the first {MAX_WAV_HEADER} bytes"
        ));
    }
    Ok(WavHeader::Incomplete)
}

/// The `fmt ` chunk: PCM integers (1), IEEE floats (3), or
/// `WAVE_FORMAT_EXTENSIBLE` (0xFFFE) with either as its sub-format.
fn read_fmt(chunk: &[u8]) -> Result<PcmFormat, String> {
    let u16_at = |i: usize| u16::from_le_bytes([chunk[i], chunk[i + 1]]);
    if chunk.len() < 16 {
        return Err(format!(
            "the WAV's fmt chunk is {} bytes, not 16",
            chunk.len()
        ));
    }
    let mut tag = u16_at(0);
    let channels = u16_at(2);
    let sample_rate = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
    let bits = u16_at(14);
    if tag == 0xFFFE {
        if chunk.len() < 26 {
            return Err("the WAV's extensible fmt chunk is too short".into());
        }
        tag = u16_at(24);
    }
    let sample = match (tag, bits) {
        (1, 8) => SampleFormat::U8,
        (1, 16) => SampleFormat::S16Le,
        (1, 24) => SampleFormat::S24Le,
        (1, 32) => SampleFormat::S32Le,
        (3, 32) => SampleFormat::F32Le,
        _ => {
            return Err(format!(
                "unsupported WAV sample format (format tag {tag}, {bits} bits)"
            ));
        }
    };
    if channels == 0 || sample_rate == 0 {
        return Err(format!(
            "the WAV's fmt chunk says {channels} channels at {sample_rate} Hz"
        ));
    }
    Ok(PcmFormat {
        sample_rate,
        channels,
        sample,
        source: RateSource::WavHeader,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A WAV header: `RIFF`, `WAVE`, the chunks before `fmt `, `fmt `
    /// (16-bit PCM), and the `data` chunk header of length `data_len`.
    pub(crate) fn wav_header(
        rate: u32,
        channels: u16,
        before: &[(&[u8; 4], &[u8])],
        data_len: u32,
    ) -> Vec<u8> {
        let mut out = b"RIFF\xff\xff\xff\xffWAVE".to_vec();
        for (id, body) in before {
            out.extend_from_slice(*id);
            out.extend_from_slice(&(body.len() as u32).to_le_bytes());
            out.extend_from_slice(body);
            if body.len() % 2 == 1 {
                out.push(0);
            }
        }
        out.extend_from_slice(b"fmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&(rate * 2 * u32::from(channels)).to_le_bytes());
        out.extend_from_slice(&(2 * channels).to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_len.to_le_bytes());
        out
    }

    #[test]
    fn the_fmt_chunk_is_found_after_other_chunks_at_every_split() {
        let header = wav_header(
            22_050,
            1,
            &[(b"LIST", b"INFOISFT\x03\x00\x00abc")],
            u32::MAX,
        );
        for cut in 0..header.len() {
            assert_eq!(
                read_wav_header(&header[..cut]),
                Ok(WavHeader::Incomplete),
                "cut at {cut}"
            );
        }
        let mut with_audio = header.clone();
        with_audio.extend_from_slice(&[1, 0, 2, 0]);
        match read_wav_header(&with_audio) {
            Ok(WavHeader::Found {
                format,
                data_offset,
                data_len,
            }) => {
                assert_eq!(format.sample_rate, 22_050);
                assert_eq!(format.channels, 1);
                assert_eq!(format.sample, SampleFormat::S16Le);
                assert_eq!(data_offset, header.len());
                assert_eq!(data_len, None, "0xFFFFFFFF is a placeholder");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_real_data_length_is_kept_and_zero_is_a_placeholder() {
        let found = |len| match read_wav_header(&wav_header(48_000, 2, &[], len)) {
            Ok(WavHeader::Found { data_len, .. }) => data_len,
            other => panic!("{other:?}"),
        };
        assert_eq!(found(400), Some(400));
        assert_eq!(found(0), None);
    }

    #[test]
    fn json_html_and_broken_headers_are_not_wavs() {
        assert!(read_wav_header(br#"{"detail": "x"}"#).is_err());
        assert!(read_wav_header(b"<html>").is_err());
        assert!(read_wav_header(b"RIFX").is_err());
        assert_eq!(read_wav_header(b"RI"), Ok(WavHeader::Incomplete));
        let mut data_first = b"RIFF\0\0\0\0WAVEdata\0\0\0\0".to_vec();
        data_first.extend_from_slice(&[0; 8]);
        assert!(read_wav_header(&data_first).unwrap_err().contains("before"));
        let mut huge = b"RIFF\0\0\0\0WAVELIST".to_vec();
        huge.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_wav_header(&huge).is_err());
    }

    #[test]
    fn text_content_types_are_not_audio() {
        for text in [
            "application/json",
            "application/json; charset=utf-8",
            "text/html",
            "text/plain",
            "application/problem+json",
            "APPLICATION/JSON",
        ] {
            assert!(not_audio_content_type(Some(text)).is_some(), "{text}");
        }
        for audio in [
            "audio/wav",
            "audio/mpeg",
            "application/octet-stream",
            "audio/pcm",
        ] {
            assert_eq!(not_audio_content_type(Some(audio)), None, "{audio}");
        }
        assert_eq!(not_audio_content_type(None), None);
        assert!(looks_like_text(b"  {\"detail\":1}", None));
        assert!(looks_like_text(
            b"<!DOCTYPE html>",
            Some("application/octet-stream")
        ));
        assert!(!looks_like_text(b"{\"", Some("audio/pcm")));
        assert!(!looks_like_text(&[0x7b, 0x00], None));
    }
}
