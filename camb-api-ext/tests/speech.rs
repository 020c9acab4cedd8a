//! `Camb::speak` against a local streaming HTTP server whose every byte and
//! pause the test writes: a raw HTTP/1.1 socket with chunked encoding, so a
//! test controls how the audio is split, when each chunk leaves, and sees
//! the connection close when the client drops the stream.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};
use std::time::Duration;

use bytes::Bytes;
use camb_api_ext::{
    AudioFormat, Camb, Error, Language, RateSource, RetryPolicy, SampleFormat, Speech,
    SpeechFormat, SpeechModel, VoiceId,
};
use futures_util::StreamExt;
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpListener, TcpStream},
    sync::{mpsc, oneshot},
    time::timeout,
};

const KEY: &str = "speech-test-key";

/// Response headers, as the tests write them.
type Headers = [(&'static str, &'static str)];

/// One accepted connection, its request read.
struct Connection {
    socket: TcpStream,
    request: String,
}

impl Connection {
    /// The status line and headers of a chunked answer.
    async fn head(&mut self, status: &str, headers: &[(&str, &str)]) {
        // One request per connection: the next one opens a new connection,
        // which the test then receives.
        let mut head =
            format!("HTTP/1.1 {status}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        self.socket.write_all(head.as_bytes()).await.unwrap();
    }

    /// One chunk, flushed at once.
    async fn chunk(&mut self, bytes: &[u8]) {
        let mut framed = format!("{:x}\r\n", bytes.len()).into_bytes();
        framed.extend_from_slice(bytes);
        framed.extend_from_slice(b"\r\n");
        self.socket.write_all(&framed).await.unwrap();
        self.socket.flush().await.unwrap();
    }

    /// The end of the body.
    async fn end(&mut self) {
        self.socket.write_all(b"0\r\n\r\n").await.unwrap();
    }

    /// A whole JSON answer.
    async fn json(&mut self, status: &str, body: &str, headers: &[(&str, &str)]) {
        let mut all = vec![("content-type", "application/json")];
        all.extend_from_slice(headers);
        self.head(status, &all).await;
        self.chunk(body.as_bytes()).await;
        self.end().await;
    }

    /// Waits until the client closes the connection.
    async fn closed_by_client(&mut self) -> bool {
        let mut buf = [0; 64];
        loop {
            match self.socket.read(&mut buf).await {
                Ok(0) | Err(_) => return true,
                Ok(_) => {}
            }
        }
    }
}

/// Reads one request (head and `content-length` body).
async fn read_request(socket: &mut TcpStream) -> Option<String> {
    let mut data = Vec::new();
    let mut buf = [0; 4096];
    loop {
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            if data.len() >= end + 4 + length {
                return Some(String::from_utf8_lossy(&data).into_owned());
            }
        }
        let n = socket.read(&mut buf).await.ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
}

/// A server on loopback: each accepted connection, its request read, is
/// handed to the test through the returned channel. Counts connections.
async fn server() -> (
    String,
    mpsc::UnboundedReceiver<Connection>,
    Arc<AtomicUsize>,
) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let count = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&count);
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let tx = tx.clone();
            let counted = Arc::clone(&counted);
            tokio::spawn(async move {
                if let Some(request) = read_request(&mut socket).await {
                    counted.fetch_add(1, Ordering::SeqCst);
                    let _ = tx.send(Connection { socket, request });
                }
            });
        }
    });
    (url, rx, count)
}

fn camb(url: &str, retry: RetryPolicy) -> Camb {
    Camb::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_policy(retry)
        .build()
        .unwrap()
}

/// No waiting between attempts, so a retried test stays fast.
fn quick_retries(retries: usize) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(retries)
        .with_backoff(camb_api_ext::Backoff::new(
            Duration::from_millis(1),
            Duration::from_millis(50),
        ))
}

fn hello() -> Speech {
    Speech::new("Hello there!", Language::EN_US, VoiceId(147320))
}

/// A WAV header with a `LIST` chunk before `fmt ` and a placeholder data
/// length, as a streamed WAV has.
fn wav_header(rate: u32, channels: u16) -> Vec<u8> {
    let mut out = b"RIFF\xff\xff\xff\xffWAVE".to_vec();
    out.extend_from_slice(b"LIST\x0a\x00\x00\x00INFOISFT\x01a");
    out.extend_from_slice(b"fmt \x10\x00\x00\x00\x01\x00");
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2 * u32::from(channels)).to_le_bytes());
    out.extend_from_slice(&(2 * channels).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data\xff\xff\xff\xff");
    out
}

/// Reads the next chunk, failing if none comes within a second.
async fn next_chunk(stream: &mut camb_api_ext::SpeechStream) -> Bytes {
    timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("a chunk in time")
        .expect("a chunk")
        .expect("no error")
}

#[tokio::test]
async fn a_wav_header_split_across_chunks_is_read_and_only_samples_are_handed_on() {
    let (url, mut connections, _) = server().await;
    let samples: Vec<u8> = (0..400u16).flat_map(|s| s.to_le_bytes()).collect();
    let served = samples.clone();
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        assert!(c.request.starts_with("POST /tts-stream "), "{}", c.request);
        assert!(
            c.request.contains(&format!("x-api-key: {KEY}")),
            "{}",
            c.request
        );
        c.head(
            "200 OK",
            &[
                ("content-type", "audio/wav"),
                ("x-credits-required", "0.5"),
                ("x-request-id", "req-42"),
            ],
        )
        .await;
        let mut all = wav_header(22_050, 1);
        all.extend_from_slice(&served);
        // The header byte by byte, then odd-sized pieces.
        let (header, rest) = all.split_at(wav_header(22_050, 1).len() + 1);
        for byte in header {
            c.chunk(&[*byte]).await;
        }
        for piece in rest.chunks(77) {
            c.chunk(piece).await;
        }
        c.end().await;
    });

    let mut audio = camb(&url, RetryPolicy::none())
        .speak(&hello())
        .await
        .unwrap();
    let AudioFormat::Pcm(pcm) = audio.format().clone() else {
        panic!("{:?}", audio.format())
    };
    assert_eq!(
        (pcm.sample_rate, pcm.channels, pcm.sample, pcm.source),
        (22_050, 1, SampleFormat::S16Le, RateSource::WavHeader)
    );
    assert_eq!(audio.metadata().content_type(), Some("audio/wav"));
    assert_eq!(audio.metadata().credits_required(), Some("0.5"));
    assert_eq!(audio.metadata().request_id(), Some("req-42"));
    let mut received = Vec::new();
    while let Some(chunk) = audio.next().await {
        let chunk = chunk.unwrap();
        assert_eq!(chunk.len() % 2, 0, "whole samples only");
        received.extend_from_slice(&chunk);
    }
    assert_eq!(received, samples, "the samples, without the header");
}

#[tokio::test]
async fn json_or_html_with_status_200_is_not_audio() {
    let cases: [(&Headers, &[u8]); 3] = [
        (
            &[("content-type", "application/json")],
            br#"{"detail": "quota"}"#,
        ),
        (
            &[("content-type", "audio/wav")],
            b"<html><body>gateway</body></html>",
        ),
        (
            &[("content-type", "application/octet-stream")],
            br#"{"error": "x"}"#,
        ),
    ];
    for (headers, body) in cases {
        let (url, mut connections, count) = server().await;
        tokio::spawn(async move {
            let mut c = connections.recv().await.unwrap();
            c.head("200 OK", headers).await;
            c.chunk(body).await;
            c.end().await;
        });
        let err = camb(&url, quick_retries(2))
            .speak(&hello())
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::NotAudio { .. }),
            "{headers:?}: {err:?}"
        );
        assert_eq!(count.load(Ordering::SeqCst), 1, "not retried");
    }
}

#[tokio::test]
async fn a_403_is_a_voice_not_available_and_a_401_a_refused_key() {
    let (url, mut connections, count) = server().await;
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.json("403 Forbidden", r#"{"detail": "voice not available"}"#, &[])
            .await;
        let mut c = connections.recv().await.unwrap();
        c.json("401 Unauthorized", r#"{"detail": "Invalid API key"}"#, &[])
            .await;
    });
    let camb = camb(&url, quick_retries(3));
    match camb.speak(&hello()).await {
        Err(Error::VoiceNotAvailable { voice_id, message }) => {
            assert_eq!(voice_id, VoiceId(147320));
            assert!(message.contains("voice not available"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let err = camb.speak(&hello()).await.unwrap_err();
    assert!(matches!(err, Error::Unauthorized { .. }), "{err:?}");
    assert_eq!(count.load(Ordering::SeqCst), 2, "neither is retried");
}

#[tokio::test]
async fn a_422_keeps_the_detail_with_the_allowed_locales() {
    let (url, mut connections, _) = server().await;
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.json(
            "422 Unprocessable Entity",
            r#"{"detail": [{"loc": ["body", "language"], "msg": "Input should be 'en-us', 'fr-fr' or 'de-de'", "type": "literal_error", "ctx": {"expected": "'en-us', 'fr-fr' or 'de-de'"}}]}"#,
            &[],
        )
        .await;
    });
    let speech = Speech::new("Bonjour!", "fr-ca".parse().unwrap(), VoiceId(1));
    match camb(&url, quick_retries(2)).speak(&speech).await {
        Err(Error::Validation { detail }) => {
            assert_eq!(detail.len(), 1);
            assert!(
                detail[0].msg.contains("'en-us', 'fr-fr'"),
                "{:?}",
                detail[0]
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_429_is_retried_after_the_servers_hint_and_a_500_too() {
    let (url, mut connections, count) = server().await;
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.json(
            "429 Too Many Requests",
            r#"{"detail": "slow down"}"#,
            &[("retry-after-ms", "5")],
        )
        .await;
        let mut c = connections.recv().await.unwrap();
        c.json("503 Service Unavailable", r#"{"detail": "busy"}"#, &[])
            .await;
        let mut c = connections.recv().await.unwrap();
        c.head("200 OK", &[("content-type", "audio/mpeg")]).await;
        c.chunk(b"ID3mp3").await;
        c.end().await;
    });
    let mut audio = camb(&url, quick_retries(3))
        .speak(&hello().format(SpeechFormat::Mp3))
        .await
        .unwrap();
    assert!(matches!(audio.format(), AudioFormat::Encoded { .. }));
    assert_eq!(next_chunk(&mut audio).await, &b"ID3mp3"[..]);
    assert_eq!(count.load(Ordering::SeqCst), 3);

    let (url, mut connections, _) = server().await;
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.json("429 Too Many Requests", "{}", &[("retry-after", "7")])
            .await;
    });
    match camb(&url, RetryPolicy::none()).speak(&hello()).await {
        Err(Error::RateLimited { retry_after }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)));
        }
        other => panic!("{other:?}"),
    }
}

/// On tokio's paused clock: the server takes the request and never
/// answers; the first-byte limit ends the call, without real waiting.
#[tokio::test(start_paused = true)]
async fn a_stall_before_the_first_byte_ends_at_the_first_byte_limit() {
    let (url, mut connections, _) = server().await;
    let held = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Some(c) = connections.recv().await {
            held.push(c);
        }
    });
    let camb = Camb::builder()
        .api_key(KEY)
        .base_url(&url)
        .retry_policy(RetryPolicy::none())
        .for_paused_clock()
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let limit = Duration::from_secs(5);
    let err = camb
        .speak(&hello().first_byte_timeout(Some(limit)))
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::FirstByteTimeout { limit: l } if l == limit),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(
        started.elapsed(),
        limit,
        "ends at the limit, on the paused clock"
    );
    held.abort();
}

/// On the real clock (short limits): the first attempt stalls, the retry
/// answers; the stall's limit is apart from the whole stream's.
#[tokio::test]
async fn a_stalled_attempt_is_retried_while_no_audio_was_handed_on() {
    let (url, mut connections, count) = server().await;
    tokio::spawn(async move {
        let stalled = connections.recv().await.unwrap();
        let mut c = connections.recv().await.unwrap();
        c.head("200 OK", &[("content-type", "audio/mpeg")]).await;
        for _ in 0..3 {
            c.chunk(b"mp3!").await;
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
        c.end().await;
        drop(stalled);
    });
    let speech = hello()
        .format(SpeechFormat::Mp3)
        .first_byte_timeout(Some(Duration::from_millis(200)))
        .timeout(Some(Duration::from_secs(10)));
    let audio = camb(&url, quick_retries(2)).speak(&speech).await.unwrap();
    assert!(audio.time_to_first_byte() >= Duration::from_millis(200));
    let all: Vec<_> = audio.collect().await;
    assert_eq!(
        all.len(),
        3,
        "the stream outlives the first-byte limit: {all:?}"
    );
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_connection_broken_mid_stream_ends_the_stream_with_an_error_and_no_retry() {
    let (url, mut connections, count) = server().await;
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.head("200 OK", &[("content-type", "audio/mpeg")]).await;
        c.chunk(b"first").await;
        // Closed without the last chunk.
    });
    let mut audio = camb(&url, quick_retries(3))
        .speak(&hello().format(SpeechFormat::Mp3))
        .await
        .unwrap();
    assert_eq!(next_chunk(&mut audio).await, &b"first"[..]);
    let last = timeout(Duration::from_secs(5), audio.next()).await.unwrap();
    assert!(
        matches!(last, Some(Err(Error::Transport { .. }))),
        "{last:?}"
    );
    assert!(audio.next().await.is_none());
    assert_eq!(
        count.load(Ordering::SeqCst),
        1,
        "audio was handed on: no retry"
    );
}

#[tokio::test]
async fn a_chunk_reaches_the_caller_before_the_server_sends_the_next() {
    let (url, mut connections, _) = server().await;
    let (received_first, first_seen) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.head("200 OK", &[("content-type", "audio/wav")]).await;
        let mut first = wav_header(24_000, 1);
        first.extend_from_slice(&[1, 0, 2, 0]);
        c.chunk(&first).await;
        // The next chunk waits until the caller has the first.
        first_seen.await.unwrap();
        c.chunk(&[3, 0]).await;
        c.end().await;
    });
    let mut audio = camb(&url, RetryPolicy::none())
        .speak(&hello())
        .await
        .unwrap();
    assert_eq!(next_chunk(&mut audio).await, &[1u8, 0, 2, 0][..]);
    received_first.send(()).unwrap();
    assert_eq!(next_chunk(&mut audio).await, &[3u8, 0][..]);
    assert!(audio.next().await.is_none());
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection_and_the_server_notices() {
    let (url, mut connections, _) = server().await;
    let (noticed, server_noticed) = oneshot::channel();
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        c.head("200 OK", &[("content-type", "audio/mpeg")]).await;
        c.chunk(b"first").await;
        // Keeps the stream open, as a long utterance would.
        let _ = noticed.send(c.closed_by_client().await);
    });
    let mut audio = camb(&url, RetryPolicy::none())
        .speak(&hello().format(SpeechFormat::Mp3))
        .await
        .unwrap();
    assert_eq!(next_chunk(&mut audio).await, &b"first"[..]);
    drop(audio);
    let closed = timeout(Duration::from_secs(5), server_noticed)
        .await
        .expect("the server notices in time");
    assert_eq!(closed, Ok(true));
}

#[tokio::test]
async fn raw_pcm_takes_the_requested_rate_comes_in_whole_samples_and_saves_as_a_wav() {
    let (url, mut connections, _) = server().await;
    let samples: Vec<i16> = (0..1000).map(|i| (i * 37 % 2000 - 1000) as i16).collect();
    let bytes: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
    let served = bytes.clone();
    tokio::spawn(async move {
        let mut c = connections.recv().await.unwrap();
        assert!(
            c.request.contains(r#""format":"pcm_s16le""#),
            "{}",
            c.request
        );
        c.head("200 OK", &[("content-type", "audio/pcm")]).await;
        // Odd splits: every other chunk ends inside a sample.
        for piece in served.chunks(101) {
            c.chunk(piece).await;
        }
        c.end().await;
    });
    let speech = hello().format(SpeechFormat::PcmS16le).sample_rate(24_000);
    let audio = camb(&url, RetryPolicy::none())
        .speak(&speech)
        .await
        .unwrap();
    let pcm = *audio.format().pcm().expect("samples");
    assert_eq!((pcm.sample_rate, pcm.source), (24_000, RateSource::Request));
    let dir = std::env::temp_dir().join(format!("camb-speech-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("pcm.wav");
    let saved = audio.save(&path).await.unwrap();
    assert_eq!(saved.audio_bytes, bytes.len() as u64);
    assert_eq!(
        saved.duration,
        Some(Duration::from_secs_f64(1000.0 / 24_000.0))
    );
    let mut wav = hound::WavReader::open(&path).unwrap();
    assert_eq!(
        wav.spec().sample_rate,
        24_000,
        "the true rate, in a file that plays"
    );
    let read: Vec<i16> = wav.samples::<i16>().map(Result::unwrap).collect();
    assert_eq!(read, samples);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn pcm_chunks_are_whole_samples_whatever_the_split() {
    for (format, width) in [(SpeechFormat::PcmS16le, 2), (SpeechFormat::PcmF32be, 4)] {
        let (url, mut connections, _) = server().await;
        tokio::spawn(async move {
            let mut c = connections.recv().await.unwrap();
            c.head("200 OK", &[("content-type", "audio/pcm")]).await;
            for size in [1, 3, 5, 2, 7, 6] {
                c.chunk(&vec![9; size]).await;
            }
            c.end().await;
        });
        let speech = hello().format(format).sample_rate(16_000);
        let chunks: Vec<Bytes> = camb(&url, RetryPolicy::none())
            .speak(&speech)
            .await
            .unwrap()
            .map(Result::unwrap)
            .collect()
            .await;
        assert!(chunks.iter().all(|c| c.len() % width == 0), "{chunks:?}");
        assert_eq!(
            chunks.iter().map(Bytes::len).sum::<usize>(),
            24 / width * width
        );
    }
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let (url, _connections, count) = server().await;
    let camb = camb(&url, RetryPolicy::none());
    for speech in [
        hello().with_text("Hi"),
        hello()
            .user_instructions("softly")
            .model(SpeechModel::MarsPro),
        hello().format(SpeechFormat::PcmS16le),
    ] {
        let err = camb.speak(&speech).await.unwrap_err();
        assert!(matches!(err, Error::InvalidInput { .. }), "{err:?}");
    }
    assert_eq!(count.load(Ordering::SeqCst), 0);
}

/// The text of a `/tts-stream` request.
fn spoken_text(request: &str) -> String {
    let body = &request[request.find("\r\n\r\n").unwrap() + 4..];
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    json["text"].as_str().unwrap().to_owned()
}

/// An LLM's answer arriving token by token: sentences are spoken in order,
/// and the next sentence's request reaches the server while the current
/// sentence still streams.
#[tokio::test]
async fn a_text_still_being_written_is_spoken_in_order_with_the_next_request_in_flight() {
    let (url, mut connections, count) = server().await;
    tokio::spawn(async move {
        let mut first = connections.recv().await.unwrap();
        assert_eq!(spoken_text(&first.request), "First one.");
        first
            .head("200 OK", &[("content-type", "audio/mpeg")])
            .await;
        first.chunk(b"s0a").await;
        // The first sentence goes on streaming until the second one's
        // request has arrived.
        let mut second = timeout(Duration::from_secs(5), connections.recv())
            .await
            .expect("the next request while the current one streams")
            .unwrap();
        assert_eq!(spoken_text(&second.request), "Second one.");
        first.chunk(b"s0b").await;
        first.end().await;
        second
            .head("200 OK", &[("content-type", "audio/mpeg")])
            .await;
        second.chunk(b"s1a").await;
        second.end().await;
        let mut third = connections.recv().await.unwrap();
        assert_eq!(spoken_text(&third.request), "Third.");
        third
            .head("200 OK", &[("content-type", "audio/mpeg")])
            .await;
        third.chunk(b"s2a").await;
        third.end().await;
    });

    let (tokens, rx) = mpsc::unbounded_channel::<&'static str>();
    let text = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|token| (token, rx))
    });
    let camb = camb(&url, RetryPolicy::none());
    let voice = hello().format(SpeechFormat::Mp3);
    let mut spoken = camb.speak_text(text, &voice);
    let (events, mut seen) = mpsc::unbounded_channel();
    let consumer = tokio::spawn(async move {
        while let Some(event) = spoken.next().await {
            events.send(event.unwrap()).unwrap();
        }
        spoken.time_to_first_audio()
    });
    async fn next(seen: &mut mpsc::UnboundedReceiver<camb_api_ext::SpeechEvent>) -> String {
        match timeout(Duration::from_secs(5), seen.recv())
            .await
            .unwrap()
            .unwrap()
        {
            camb_api_ext::SpeechEvent::Sentence { index, text, .. } => format!("{index}: {text}"),
            camb_api_ext::SpeechEvent::Audio(audio) => String::from_utf8(audio.to_vec()).unwrap(),
            other => panic!("{other:?}"),
        }
    }
    tokens.send("First ").unwrap();
    tokens.send("one. Sec").unwrap();
    assert_eq!(next(&mut seen).await, "0: First one.");
    assert_eq!(next(&mut seen).await, "s0a");
    tokens.send("ond one. ").unwrap();
    assert_eq!(next(&mut seen).await, "s0b");
    assert_eq!(next(&mut seen).await, "1: Second one.");
    assert_eq!(next(&mut seen).await, "s1a");
    tokens.send("Third.").unwrap();
    drop(tokens);
    assert_eq!(next(&mut seen).await, "2: Third.");
    assert_eq!(next(&mut seen).await, "s2a");
    let time_to_first_audio = consumer.await.unwrap();
    assert!(time_to_first_audio.is_some());
    assert_eq!(count.load(Ordering::SeqCst), 3);
}
