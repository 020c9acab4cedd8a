//! Sending an utterance: its bytes as a `Stream` of chunks, paced, and
//! counted so that a test can see a client hang up.

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;

use super::audio::Audio;

/// How the simulator sends a streamed answer (`POST /tts-stream`): a wait
/// before the first byte, then chunks of a set size with a set gap.
///
/// The default sends everything at once in 8 KiB chunks. The same pace is
/// used by the in-process [`Simulator`](crate::Simulator) and the binary
/// (`--first-byte-ms`, `--chunk-bytes`, `--chunk-every-ms`).
///
/// ```
/// use std::time::Duration;
/// use camb_simulator::SpeechPace;
///
/// // About what CAMB.AI's integrations report for mars-flash: 150 ms to
/// // the first audio, then 4 KiB every 20 ms.
/// let pace = SpeechPace::default()
///     .first_byte_after(Duration::from_millis(150))
///     .chunk_bytes(4096)
///     .chunk_every(Duration::from_millis(20));
/// assert_eq!(pace.first_byte(), Duration::from_millis(150));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpeechPace {
    first_byte: Duration,
    chunk_bytes: NonZeroUsize,
    chunk_every: Duration,
}

impl Default for SpeechPace {
    fn default() -> Self {
        SpeechPace {
            first_byte: Duration::ZERO,
            chunk_bytes: NonZeroUsize::new(8 * 1024).unwrap_or(NonZeroUsize::MIN),
            chunk_every: Duration::ZERO,
        }
    }
}

impl SpeechPace {
    /// Waits `delay` after the request before sending the first byte of
    /// audio (the status and headers go with it).
    pub fn first_byte_after(mut self, delay: Duration) -> Self {
        self.first_byte = delay;
        self
    }

    /// Cuts the audio into chunks of `bytes` (`0` counts as `1`). Sizes
    /// that are not a whole number of samples split samples, and a small
    /// size splits a WAV's header, between chunks, as a network may.
    pub fn chunk_bytes(mut self, bytes: usize) -> Self {
        self.chunk_bytes = NonZeroUsize::new(bytes).unwrap_or(NonZeroUsize::MIN);
        self
    }

    /// Waits `gap` between two chunks.
    pub fn chunk_every(mut self, gap: Duration) -> Self {
        self.chunk_every = gap;
        self
    }

    /// The wait before the first byte.
    pub fn first_byte(&self) -> Duration {
        self.first_byte
    }

    /// The size of a chunk, in bytes.
    pub fn chunk_size(&self) -> usize {
        self.chunk_bytes.get()
    }

    /// The wait between two chunks.
    pub fn gap(&self) -> Duration {
        self.chunk_every
    }
}

/// How many streamed answers the simulator started, sent whole, and saw
/// the client abandon (the connection closed before the last byte).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct SpeechStreams {
    /// Streams whose sending began.
    pub started: usize,
    /// Streams sent to their last byte.
    pub completed: usize,
    /// Streams dropped by the server before their last byte, because the
    /// client went away (or the server stopped).
    pub cancelled: usize,
}

/// The counters behind [`SpeechStreams`], shared by every stream.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    started: AtomicUsize,
    completed: AtomicUsize,
    cancelled: AtomicUsize,
}

impl Counters {
    /// The counts now.
    pub(crate) fn snapshot(&self) -> SpeechStreams {
        SpeechStreams {
            started: self.started.load(Ordering::SeqCst),
            completed: self.completed.load(Ordering::SeqCst),
            cancelled: self.cancelled.load(Ordering::SeqCst),
        }
    }
}

/// Counts one stream: started when made, then completed, or cancelled if
/// dropped before that.
struct Tally {
    counters: Arc<Counters>,
    done: bool,
}

impl Tally {
    fn new(counters: Arc<Counters>) -> Tally {
        counters.started.fetch_add(1, Ordering::SeqCst);
        Tally {
            counters,
            done: false,
        }
    }

    fn complete(&mut self) {
        if !self.done {
            self.done = true;
            self.counters.completed.fetch_add(1, Ordering::SeqCst);
        }
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        if !self.done {
            self.counters.cancelled.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Where a stream is.
struct Sending {
    audio: Arc<Audio>,
    pace: SpeechPace,
    sent: u64,
    tally: Tally,
}

/// The utterance's bytes in chunks, paced by `pace` on tokio's clock,
/// counted in `counters`. Dropping the stream before its end (a transport
/// does when its client hangs up) counts it cancelled.
pub(crate) fn paced(
    audio: Arc<Audio>,
    pace: SpeechPace,
    counters: Arc<Counters>,
) -> impl Stream<Item = Bytes> + Send + 'static {
    let sending = Sending {
        audio,
        pace,
        sent: 0,
        tally: Tally::new(counters),
    };
    futures_util::stream::unfold(sending, |mut sending| async move {
        let total = sending.audio.len();
        if sending.sent >= total {
            sending.tally.complete();
            return None;
        }
        let wait = if sending.sent == 0 {
            sending.pace.first_byte
        } else {
            sending.pace.chunk_every
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        let end = sending
            .sent
            .saturating_add(sending.pace.chunk_bytes.get() as u64)
            .min(total);
        let chunk = sending.audio.bytes(sending.sent, end);
        sending.sent = end;
        if end == total {
            // Counted when the last byte is handed to the transport: a
            // client that stops reading after it still heard everything.
            sending.tally.complete();
        }
        Some((Bytes::from(chunk), sending))
    })
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use tokio::time::Instant;

    use super::super::audio::{Container, Pcm, Timing, WavLength};
    use super::*;

    fn audio() -> Arc<Audio> {
        // 10 characters at 8 kHz, 16-bit: 5,600 samples, 11,200 bytes.
        Arc::new(Audio::new(
            "0123456789",
            1,
            Container::Raw(Pcm::S16Le),
            8_000,
            Timing::SpeakingRate(1.0),
            WavLength::Exact,
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn chunks_come_at_the_pace_asked_for() {
        let counters = Arc::new(Counters::default());
        let pace = SpeechPace::default()
            .first_byte_after(Duration::from_millis(150))
            .chunk_bytes(2000)
            .chunk_every(Duration::from_millis(20));
        let start = Instant::now();
        let mut stream = Box::pin(paced(audio(), pace, Arc::clone(&counters)));
        let mut arrivals = Vec::new();
        let mut sizes = Vec::new();
        while let Some(chunk) = stream.next().await {
            arrivals.push(start.elapsed().as_millis());
            sizes.push(chunk.len());
        }
        assert_eq!(sizes, [2000, 2000, 2000, 2000, 2000, 1200]);
        assert_eq!(arrivals, [150, 170, 190, 210, 230, 250]);
        assert_eq!(
            counters.snapshot(),
            SpeechStreams {
                started: 1,
                completed: 1,
                cancelled: 0
            }
        );
    }

    #[tokio::test]
    async fn a_stream_dropped_before_its_end_counts_as_cancelled() {
        let counters = Arc::new(Counters::default());
        let pace = SpeechPace::default().chunk_bytes(100);
        let mut stream = Box::pin(paced(audio(), pace, Arc::clone(&counters)));
        assert!(stream.next().await.is_some());
        drop(stream);
        assert_eq!(counters.snapshot().cancelled, 1);
        assert_eq!(counters.snapshot().completed, 0);

        let whole = paced(audio(), SpeechPace::default(), Arc::clone(&counters));
        let bytes: usize = whole
            .map(|chunk| chunk.len())
            .fold(0, |a, b| async move { a + b })
            .await;
        assert_eq!(bytes, 11_200);
        assert_eq!(counters.snapshot().completed, 1);
        assert_eq!(counters.snapshot().started, 2);
    }

    #[test]
    fn a_zero_chunk_size_means_one_byte() {
        assert_eq!(SpeechPace::default().chunk_bytes(0).chunk_size(), 1);
        assert_eq!(SpeechPace::default().chunk_size(), 8192);
    }
}
