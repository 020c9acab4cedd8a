//! [`SpeechStream`]: the audio of one [`Speech`], handed on as it arrives,
//! and how it is opened ([`Camb::speak`]).

use std::{
    fmt,
    path::{Path, PathBuf},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::Duration,
};

use bytes::{Bytes, BytesMut};
use camb_api::types::HttpValidationError;
use futures_util::{Stream, StreamExt};
use reqwest::{
    StatusCode,
    header::{ACCEPT, CONTENT_TYPE, HeaderMap},
};
use tokio::time::Instant;

use super::format::{
    AudioFormat, PcmFormat, SampleFormat, WavHeader, looks_like_text, not_audio_content_type,
    read_wav_header,
};
use super::request::{Expected, Speech};
use crate::{
    ApiKey, Camb, Error,
    error::{excerpt, read_start, transport},
    retry::{self, Resend},
};

/// The path of the streaming call under the base URL. The contract tests
/// (camb-tests) drive [`Camb::speak`] against the spec's mock of
/// `create_stream_tts`, so a path that differs from the spec's fails them.
const PATH: &str = "/tts-stream";

/// How much of a 422 answer is read: enough for a detail that lists every
/// locale a model speaks.
const MAX_VALIDATION_BODY: usize = 64 * 1024;

/// What the request accepts: audio, or the JSON of an error.
const ACCEPTS: &str = "audio/*, application/octet-stream, application/json;q=0.1";

/// The audio of one [`Speech`]: a [`Stream`] of [`Bytes`], each chunk handed
/// on as soon as the server sends it (nothing is buffered beyond a partial
/// sample), with its [`AudioFormat`] known before the first one.
///
/// - Samples (WAV, raw PCM) come without any WAV header and in whole frames:
///   a sample the server split between two chunks is joined first. For a
///   WAV with a real data length, bytes after the data chunk are dropped.
/// - Encoded audio (MP3, FLAC, ADTS) comes byte for byte as sent.
/// - An error while streaming (the connection broke, the total time limit
///   passed) is the last item. It is not retried: audio was handed on.
/// - Dropping the stream closes the connection: the server stops.
///
/// [`SpeechStream::save`] writes the audio to a file that plays.
pub struct SpeechStream {
    format: AudioFormat,
    metadata: SpeechMetadata,
    time_to_first_byte: Duration,
    body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
    /// Audio read while the format was found, handed on first.
    pending: Option<Bytes>,
    /// The start of a frame the server split, waiting for its end.
    carry: BytesMut,
    /// Bytes per frame (1 for encoded audio).
    frame: usize,
    /// Data bytes left, for a WAV whose header gives a real length.
    remaining: Option<u64>,
    done: bool,
    handed_on: u64,
}

impl fmt::Debug for SpeechStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpeechStream")
            .field("format", &self.format)
            .field("metadata", &self.metadata)
            .field("time_to_first_byte", &self.time_to_first_byte)
            .field("handed_on", &self.handed_on)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}

/// What the answer's headers said: content type, credits, request id.
#[derive(Clone, Debug)]
pub struct SpeechMetadata {
    status: StatusCode,
    headers: HeaderMap,
}

impl SpeechMetadata {
    /// The HTTP status (a 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The answer's `Content-Type`.
    pub fn content_type(&self) -> Option<&str> {
        self.header(CONTENT_TYPE.as_str())
    }

    /// `X-Credits-Required`: what the request cost, as the server wrote it
    /// (the docs' create-tts-stream page).
    pub fn credits_required(&self) -> Option<&str> {
        self.header("x-credits-required")
    }

    /// The server's id of the request (`x-request-id`), to quote to CAMB.AI
    /// support.
    pub fn request_id(&self) -> Option<&str> {
        self.header("x-request-id")
    }

    /// Every header of the answer.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

impl SpeechStream {
    /// The audio's format, known before the first chunk.
    pub fn format(&self) -> &AudioFormat {
        &self.format
    }

    /// The answer's headers: content type, `X-Credits-Required`, request id.
    pub fn metadata(&self) -> &SpeechMetadata {
        &self.metadata
    }

    /// From the call to [`Camb::speak`] until the first audio bytes were
    /// read (retries included): what a listener waits before hearing
    /// anything.
    pub fn time_to_first_byte(&self) -> Duration {
        self.time_to_first_byte
    }

    /// How many audio bytes have been handed on so far.
    pub fn bytes_handed_on(&self) -> u64 {
        self.handed_on
    }

    /// Writes the rest of the audio to `path`, as it arrives, and returns
    /// what was written. Samples (WAV or raw PCM) become a WAV with the true
    /// rate and layout, whatever the request asked for, written with the
    /// `hound` crate (its header is completed when the stream ends); encoded
    /// audio is written as sent (name the file after its format).
    ///
    /// The file is written synchronously chunk by chunk (small local
    /// writes). A failure to write is [`Error::WriteFile`]; an error of the
    /// stream ends the file where the audio ended (still playable) and is
    /// returned.
    pub async fn save(mut self, path: impl AsRef<Path>) -> Result<SavedAudio, Error> {
        let path = path.as_ref().to_owned();
        let write_error = |source: std::io::Error| Error::WriteFile {
            path: path.clone(),
            source: Arc::new(source),
        };
        let mut sink = match self.format.pcm() {
            Some(pcm) => Sink::Wav(
                hound::WavWriter::create(&path, wav_spec(pcm))
                    .map_err(|e| write_error(hound_io(e)))?,
                pcm.sample,
            ),
            None => Sink::Raw(std::io::BufWriter::new(
                std::fs::File::create(&path).map_err(write_error)?,
            )),
        };
        let mut failure = None;
        while let Some(chunk) = self.next().await {
            match chunk {
                Ok(chunk) => sink.write(&chunk).map_err(write_error)?,
                Err(err) => {
                    failure = Some(err);
                    break;
                }
            }
        }
        sink.finish().map_err(write_error)?;
        if let Some(err) = failure {
            return Err(err);
        }
        let duration = self.format.pcm().map(|pcm| {
            let frames = self.handed_on / pcm.frame_bytes() as u64;
            Duration::from_secs_f64(frames as f64 / f64::from(pcm.sample_rate))
        });
        Ok(SavedAudio {
            path,
            format: self.format,
            audio_bytes: self.handed_on,
            duration,
        })
    }

    /// `chunk` cut to the WAV's data and to whole frames, the rest kept.
    fn take(&mut self, mut chunk: Bytes) -> Bytes {
        if let Some(remaining) = &mut self.remaining {
            if chunk.len() as u64 >= *remaining {
                chunk.truncate(*remaining as usize);
                self.done = true;
            }
            *remaining -= chunk.len() as u64;
        }
        if self.frame == 1 {
            return chunk;
        }
        if self.carry.is_empty() {
            let whole = chunk.len() - chunk.len() % self.frame;
            let rest = chunk.split_off(whole);
            self.carry.extend_from_slice(&rest);
            return chunk;
        }
        // A split frame: join it (a copy of this chunk only).
        self.carry.extend_from_slice(&chunk);
        let whole = self.carry.len() - self.carry.len() % self.frame;
        self.carry.split_to(whole).freeze()
    }
}

impl Stream for SpeechStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let chunk = match this.pending.take() {
                Some(chunk) => chunk,
                None => match this.body.as_mut().poll_next(cx) {
                    Poll::Ready(Some(Ok(chunk))) => chunk,
                    Poll::Ready(Some(Err(err))) => {
                        this.done = true;
                        return Poll::Ready(Some(Err(transport(err))));
                    }
                    Poll::Ready(None) => {
                        this.done = true;
                        if !this.carry.is_empty() {
                            tracing::debug!(
                                bytes = this.carry.len(),
                                "the audio ended inside a sample; its start is dropped"
                            );
                        }
                        return Poll::Ready(None);
                    }
                    Poll::Pending => return Poll::Pending,
                },
            };
            let audio = this.take(chunk);
            if !audio.is_empty() {
                this.handed_on += audio.len() as u64;
                return Poll::Ready(Some(Ok(audio)));
            }
        }
    }
}

/// What [`SpeechStream::save`] wrote.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct SavedAudio {
    /// The file.
    pub path: PathBuf,
    /// The audio's format (a WAV file for samples).
    pub format: AudioFormat,
    /// Audio bytes written (samples, or the encoded bytes), headers aside.
    pub audio_bytes: u64,
    /// How long the audio lasts, for samples.
    pub duration: Option<Duration>,
}

/// Where [`SpeechStream::save`] writes.
enum Sink {
    Wav(
        hound::WavWriter<std::io::BufWriter<std::fs::File>>,
        SampleFormat,
    ),
    Raw(std::io::BufWriter<std::fs::File>),
}

impl Sink {
    /// Writes whole frames (the stream hands on nothing else).
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let (wav, sample) = match self {
            Sink::Raw(file) => return file.write_all(chunk),
            Sink::Wav(wav, sample) => (wav, *sample),
        };
        let result = match sample {
            SampleFormat::U8 => chunk
                .iter()
                .try_for_each(|b| wav.write_sample((i16::from(*b) - 128) as i8)),
            SampleFormat::S16Le => each::<2>(chunk, |b| wav.write_sample(i16::from_le_bytes(b))),
            SampleFormat::S16Be => each::<2>(chunk, |b| wav.write_sample(i16::from_be_bytes(b))),
            SampleFormat::S24Le => each::<3>(chunk, |[a, b, c]| {
                wav.write_sample(i32::from_le_bytes([0, a, b, c]) >> 8)
            }),
            SampleFormat::S32Le => each::<4>(chunk, |b| wav.write_sample(i32::from_le_bytes(b))),
            SampleFormat::S32Be => each::<4>(chunk, |b| wav.write_sample(i32::from_be_bytes(b))),
            SampleFormat::F32Le => each::<4>(chunk, |b| wav.write_sample(f32::from_le_bytes(b))),
            SampleFormat::F32Be => each::<4>(chunk, |b| wav.write_sample(f32::from_be_bytes(b))),
        };
        result.map_err(hound_io)
    }

    fn finish(self) -> std::io::Result<()> {
        use std::io::Write;
        match self {
            Sink::Wav(wav, _) => wav.finalize().map_err(hound_io),
            Sink::Raw(mut file) => file.flush(),
        }
    }
}

/// Calls `write` with each `N`-byte sample of `chunk`.
fn each<const N: usize>(
    chunk: &[u8],
    mut write: impl FnMut([u8; N]) -> hound::Result<()>,
) -> hound::Result<()> {
    chunk.chunks_exact(N).try_for_each(|sample| {
        let mut bytes = [0; N];
        bytes.copy_from_slice(sample);
        write(bytes)
    })
}

fn hound_io(err: hound::Error) -> std::io::Error {
    match err {
        hound::Error::IoError(err) => err,
        other => std::io::Error::other(other),
    }
}

/// The WAV file layout of samples.
fn wav_spec(pcm: &PcmFormat) -> hound::WavSpec {
    let (bits, float) = match pcm.sample {
        SampleFormat::U8 => (8, false),
        SampleFormat::S16Le | SampleFormat::S16Be => (16, false),
        SampleFormat::S24Le => (24, false),
        SampleFormat::S32Le | SampleFormat::S32Be => (32, false),
        SampleFormat::F32Le | SampleFormat::F32Be => (32, true),
    };
    hound::WavSpec {
        channels: pcm.channels,
        sample_rate: pcm.sample_rate,
        bits_per_sample: bits,
        sample_format: if float {
            hound::SampleFormat::Float
        } else {
            hound::SampleFormat::Int
        },
    }
}

impl Camb {
    /// Speaks `speech` (`POST /tts-stream`): the audio as a [`SpeechStream`],
    /// returned once its format is known (for a WAV, once its header has
    /// arrived), with its first bytes ready.
    ///
    /// Before any request, [`Speech`]'s checks ([`Error::InvalidInput`]).
    /// Then, before the first byte is handed on: a refused key is
    /// [`Error::Unauthorized`], a voice the key may not use
    /// [`Error::VoiceNotAvailable`], a rejected request (a locale the model
    /// does not speak, with the allowed ones in its detail)
    /// [`Error::Validation`], a JSON or HTML answer where audio was
    /// expected, even with status 200, [`Error::NotAudio`], no audio within
    /// [`Speech::first_byte_timeout`] [`Error::FirstByteTimeout`]. Transient
    /// failures (connection errors, the first-byte timeout, 429 with the
    /// server's hint, 5xx) are retried under the client's
    /// [`RetryPolicy`](crate::RetryPolicy) until this returns; once it has,
    /// nothing is retried (audio was handed on).
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{Language, Speech, VoiceId};
    /// use futures_util::StreamExt;
    ///
    /// let mut audio = camb.speak(&Speech::new("Hello there!", Language::EN_US, VoiceId(147320))).await?;
    /// println!("{} after {:?}", audio.format(), audio.time_to_first_byte());
    /// while let Some(chunk) = audio.next().await {
    ///     let samples = chunk?; // whole 16-bit samples, as they arrive
    ///     # let _ = samples;
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn speak(&self, speech: &Speech) -> Result<SpeechStream, Error> {
        let started = Instant::now();
        let body = speech.body()?;
        let expected = speech.expected();
        let paused_clock = self.paused_clock;
        let first_byte = speech.first_byte_timeout.get(paused_clock);
        let total = speech.timeout.get(paused_clock);
        let mut stream = retry::run(&self.retry, Resend::Idempotent, None, || async {
            let attempt = self.open(&body, &expected, speech, total);
            match first_byte {
                Some(limit) => tokio::time::timeout(limit, attempt)
                    .await
                    .map_err(|_| Error::FirstByteTimeout { limit })?,
                None => attempt.await,
            }
        })
        .await?;
        stream.time_to_first_byte = started.elapsed();
        Ok(stream)
    }

    /// One attempt: the request, its answer checked, and its first audio.
    async fn open(
        &self,
        body: &camb_api::types::CreateStreamTtsRequestPayload,
        expected: &Expected,
        speech: &Speech,
        total: Option<Duration>,
    ) -> Result<SpeechStream, Error> {
        let mut request = camb_api::ClientInfo::client(&self.raw)
            .post(format!("{}{PATH}", self.base_url()))
            .header(camb_api::API_KEY_HEADER, self.key.header()?)
            .header(ACCEPT, ACCEPTS)
            .json(body);
        if let Some(total) = total {
            request = request.timeout(total);
        }
        let response = request.send().await.map_err(transport)?;
        if !same_origin(response.url(), self.base_url()) {
            let left = camb_api::LeftOrigin {
                url: response.url().clone(),
            };
            return Err(Error::left_origin(&left, &self.key));
        }
        let status = response.status();
        if !status.is_success() {
            return Err(refusal(response, speech, &self.key).await);
        }
        let headers = response.headers().clone();
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        if let Some(reason) = not_audio_content_type(content_type.as_deref()) {
            let start = read_start(response).await;
            return Err(Error::NotAudio {
                content_type,
                reason,
                excerpt: excerpt(&start, &self.key),
            });
        }
        let metadata = SpeechMetadata { status, headers };
        let mut body = response.bytes_stream().boxed();
        let not_audio = |reason: String, start: &[u8]| Error::NotAudio {
            content_type: content_type.clone(),
            reason,
            excerpt: excerpt(start, &self.key),
        };
        let mut head = BytesMut::new();
        loop {
            let chunk = match body.next().await {
                Some(Ok(chunk)) => chunk,
                Some(Err(err)) => return Err(transport(err)),
                None if head.is_empty() => match expected.known(content_type.as_deref()) {
                    // No audio at all: an empty stream of a known format.
                    Some(format) => {
                        return Ok(SpeechStream::new(
                            format,
                            metadata,
                            body,
                            Bytes::new(),
                            None,
                        ));
                    }
                    None => return Err(not_audio("the answer is empty".into(), &head)),
                },
                // Raw samples that began like "RIFF": few, but samples.
                None => match expected {
                    Expected::Raw(pcm) => {
                        let first = head.split().freeze();
                        let format = AudioFormat::Pcm(*pcm);
                        return Ok(SpeechStream::new(format, metadata, body, first, None));
                    }
                    _ => {
                        return Err(not_audio(
                            "the answer ended inside the WAV header".into(),
                            &head,
                        ));
                    }
                },
            };
            if chunk.is_empty() {
                continue;
            }
            let start = if head.is_empty() {
                chunk
            } else {
                head.extend_from_slice(&chunk);
                head.split().freeze()
            };
            if looks_like_text(&start, content_type.as_deref()) {
                return Err(not_audio("the answer is text, not audio".into(), &start));
            }
            let maybe_wav = matches!(expected, Expected::Wav)
                || (matches!(expected, Expected::Raw(_))
                    && b"RIFF".starts_with(&start[..start.len().min(4)]));
            if !maybe_wav {
                let format = expected
                    .known(content_type.as_deref())
                    .ok_or_else(|| not_audio("no format".into(), &start))?;
                return Ok(SpeechStream::new(format, metadata, body, start, None));
            }
            match read_wav_header(&start) {
                Ok(WavHeader::Incomplete) => head.extend_from_slice(&start),
                Ok(WavHeader::Found {
                    format,
                    data_offset,
                    data_len,
                }) => {
                    let audio = start.slice(data_offset..);
                    return Ok(SpeechStream::new(
                        AudioFormat::Pcm(format),
                        metadata,
                        body,
                        audio,
                        data_len,
                    ));
                }
                Err(reason) if matches!(expected, Expected::Raw(_)) && start.len() >= 12 => {
                    // Raw samples that happen to start like "RIFF".
                    tracing::debug!(%reason, "raw PCM that starts like a WAV is taken as samples");
                    let format = expected
                        .known(content_type.as_deref())
                        .ok_or_else(|| not_audio(reason.clone(), &start))?;
                    return Ok(SpeechStream::new(format, metadata, body, start, None));
                }
                Err(reason) => return Err(not_audio(reason, &start)),
            }
        }
    }
}

impl SpeechStream {
    fn new(
        format: AudioFormat,
        metadata: SpeechMetadata,
        body: Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>,
        first: Bytes,
        data_len: Option<u64>,
    ) -> Self {
        let frame = format.pcm().map_or(1, PcmFormat::frame_bytes);
        SpeechStream {
            format,
            metadata,
            time_to_first_byte: Duration::ZERO,
            body,
            pending: Some(first),
            carry: BytesMut::new(),
            frame,
            remaining: data_len,
            done: false,
            handed_on: 0,
        }
    }
}

/// The typed error of a speech answer that is not a 2xx.
async fn refusal(response: reqwest::Response, speech: &Speech, key: &ApiKey) -> Error {
    match response.status() {
        StatusCode::FORBIDDEN => {
            let start = read_start(response).await;
            Error::VoiceNotAvailable {
                voice_id: speech.voice_id(),
                message: excerpt(&start, key),
            }
        }
        StatusCode::UNPROCESSABLE_ENTITY => {
            let mut body = Vec::new();
            let mut response = response;
            while body.len() < MAX_VALIDATION_BODY {
                match response.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                    Ok(None) | Err(_) => break,
                }
            }
            match serde_json::from_slice::<HttpValidationError>(&body) {
                Ok(answer) => Error::Validation {
                    detail: answer.detail,
                },
                Err(err) => Error::Decode {
                    status: Some(StatusCode::UNPROCESSABLE_ENTITY),
                    reason: key.redact(&err.to_string()),
                    excerpt: excerpt(&body, key),
                },
            }
        }
        _ => Error::from_response(response, key).await,
    }
}

/// Whether `url` is on the origin of `base_url`.
fn same_origin(url: &reqwest::Url, base_url: &str) -> bool {
    reqwest::Url::parse(base_url).is_ok_and(|base| base.origin() == url.origin())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::speech::format::RateSource;

    fn stream_of(frame_format: Option<PcmFormat>, chunks: Vec<&'static [u8]>) -> SpeechStream {
        let format = match frame_format {
            Some(pcm) => AudioFormat::Pcm(pcm),
            None => AudioFormat::Encoded {
                format: camb_api::OutputFormat::Mp3,
                content_type: None,
            },
        };
        let body =
            futures_util::stream::iter(chunks.into_iter().map(|c| Ok(Bytes::from_static(c))));
        SpeechStream::new(
            format,
            SpeechMetadata {
                status: StatusCode::OK,
                headers: HeaderMap::new(),
            },
            Box::pin(body),
            Bytes::new(),
            None,
        )
    }

    fn s16(channels: u16) -> PcmFormat {
        PcmFormat {
            sample_rate: 8000,
            channels,
            sample: SampleFormat::S16Le,
            source: RateSource::Request,
        }
    }

    #[tokio::test]
    async fn samples_are_handed_on_whole_however_the_server_splits_them() {
        let chunks: Vec<&'static [u8]> =
            vec![b"\x01", b"\x02\x03", b"\x04\x05\x06\x07", b"\x08\x09"];
        let out: Vec<Bytes> = stream_of(Some(s16(2)), chunks)
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert!(out.iter().all(|c| c.len() % 4 == 0), "{out:?}");
        let joined: Vec<u8> = out.concat();
        assert_eq!(
            joined, b"\x01\x02\x03\x04\x05\x06\x07\x08",
            "the odd last byte is dropped"
        );

        let encoded: Vec<Bytes> = stream_of(None, vec![b"\x01", b"\x02\x03"])
            .map(|c| c.unwrap())
            .collect()
            .await;
        assert_eq!(
            encoded,
            [&b"\x01"[..], b"\x02\x03"],
            "encoded audio as sent"
        );
    }

    #[tokio::test]
    async fn a_wav_with_a_real_length_ends_with_its_data() {
        let mut stream = stream_of(Some(s16(1)), vec![b"\x01\x02\x03", b"\x04LIST...."]);
        stream.remaining = Some(4);
        let out: Vec<Bytes> = stream.map(|c| c.unwrap()).collect().await;
        assert_eq!(out.concat(), b"\x01\x02\x03\x04");
    }
}
