//! Speaking a text that is still being written (an LLM's tokens):
//! [`Sentences`] splits it, [`Camb::speak_text`] speaks each sentence in
//! order while the next one is already being requested.

use std::{
    collections::VecDeque,
    fmt,
    pin::Pin,
    task::{Context, Poll},
    time::Duration,
};

use bytes::Bytes;
use futures_util::{
    Stream, StreamExt,
    future::BoxFuture,
    stream::{BoxStream, FuturesOrdered},
};
use tokio::time::Instant;

use super::{AudioFormat, Speech, SpeechStream, request::TEXT_CHARS};
use crate::{Camb, Error};

/// Splits text that arrives in pieces into sentences the API takes (3 to
/// 3,000 characters), as soon as each one is complete.
///
/// A sentence ends at `.`, `!`, `?` or `…` (and any closing quotes or
/// brackets) followed by whitespace, at a line break, or right after a
/// full-width `。`, `！` or `？`; "3.14" and "e.g.x" do not end one. A piece
/// shorter than 3 characters joins the next sentence; text that reaches
/// 3,000 characters without an end is cut at its last whitespace.
///
/// ```
/// use camb_api_ext::Sentences;
///
/// let mut sentences = Sentences::default();
/// assert!(sentences.push("Hello the").is_empty());
/// assert_eq!(sentences.push("re! It is 3.5 deg"), ["Hello there!"]);
/// assert_eq!(sentences.push("rees. Ok."), ["It is 3.5 degrees."]);
/// assert_eq!(sentences.finish().as_deref(), Some("Ok."));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Sentences {
    buffer: String,
}

impl Sentences {
    /// Adds the next piece of text; returns the sentences it completed.
    pub fn push(&mut self, piece: &str) -> Vec<String> {
        self.buffer.push_str(piece);
        let mut done = Vec::new();
        while let Some(end) = self.next_end() {
            let sentence: String = self.buffer.drain(..end).collect();
            let sentence = sentence.trim();
            if !sentence.is_empty() {
                done.push(sentence.to_owned());
            }
        }
        done
    }

    /// The text left when the input ends: the last sentence, unless it holds
    /// nothing to say (only whitespace or punctuation).
    pub fn finish(&mut self) -> Option<String> {
        let rest = std::mem::take(&mut self.buffer);
        let rest = rest.trim();
        rest.chars()
            .any(char::is_alphanumeric)
            .then(|| rest.to_owned())
    }

    /// Where the first complete sentence of the buffer ends (a byte index),
    /// if one is complete and long enough.
    fn next_end(&self) -> Option<usize> {
        let text = &self.buffer;
        let long_enough = |end: usize| text[..end].trim().chars().count() >= *TEXT_CHARS.start();
        let mut chars = text.char_indices().peekable();
        let mut count = 0;
        while let Some((at, c)) = chars.next() {
            count += 1;
            if count >= *TEXT_CHARS.end() {
                // Too long without an end: cut at the last whitespace.
                let limit = at + c.len_utf8();
                let cut = text[..limit]
                    .rfind(char::is_whitespace)
                    .filter(|&cut| long_enough(cut))
                    .unwrap_or(limit);
                return Some(cut);
            }
            let end = match c {
                '\n' => at + 1,
                '。' | '！' | '？' => at + c.len_utf8(),
                '.' | '!' | '?' | '…' => {
                    let mut end = at + c.len_utf8();
                    while let Some(&(next, closer)) = chars.peek() {
                        if !matches!(closer, '"' | '\'' | '”' | '’' | ')' | ']' | '»') {
                            break;
                        }
                        end = next + closer.len_utf8();
                        chars.next();
                        count += 1;
                    }
                    match chars.peek() {
                        Some(&(_, next)) if next.is_whitespace() => end,
                        // The end of what arrived so far: the next piece decides.
                        _ => continue,
                    }
                }
                _ => continue,
            };
            if long_enough(end) {
                return Some(end);
            }
        }
        None
    }
}

/// What [`Camb::speak_text`] yields, in order: each sentence as its audio
/// begins, then that audio.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum SpeechEvent {
    /// A sentence's audio begins: its request was answered, its format read.
    Sentence {
        /// The sentence's place in the text, from 0.
        index: usize,
        /// What is said.
        text: String,
        /// Its audio's format.
        format: AudioFormat,
    },
    /// The next chunk of the current sentence's audio (see [`SpeechStream`]).
    Audio(Bytes),
}

/// The audio of a text still being written: a [`Stream`] of
/// [`SpeechEvent`]s (see [`Camb::speak_text`]).
pub struct SpokenText {
    camb: Camb,
    speech: Speech,
    text: Option<BoxStream<'static, String>>,
    sentences: Sentences,
    /// Split, not requested yet.
    queued: VecDeque<(usize, String)>,
    next_index: usize,
    /// Requests in flight, in sentence order.
    in_flight: FuturesOrdered<BoxFuture<'static, Opened>>,
    /// Answered, waiting for the current sentence to end.
    ready: VecDeque<Opened>,
    current: Option<SpeechStream>,
    ahead: usize,
    first_text: Option<Instant>,
    first_audio: Option<Instant>,
}

/// A sentence's request, answered.
type Opened = (usize, String, Result<SpeechStream, Error>);

impl fmt::Debug for SpokenText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SpokenText")
            .field("queued", &self.queued.len())
            .field("in_flight", &self.in_flight.len())
            .field("ready", &self.ready.len())
            .field("current", &self.current)
            .field("ahead", &self.ahead)
            .finish_non_exhaustive()
    }
}

impl SpokenText {
    /// How many sentences may be requested ahead of the one playing
    /// (default 1: the next one is in flight while the current one
    /// streams; 0: one request at a time).
    pub fn requests_ahead(mut self, ahead: usize) -> Self {
        self.ahead = ahead;
        self
    }

    /// From the first piece of text to the first audio chunk handed on:
    /// how long a listener waits; `None` until then.
    pub fn time_to_first_audio(&self) -> Option<Duration> {
        Some(
            self.first_audio?
                .saturating_duration_since(self.first_text?),
        )
    }

    /// Reads the text that has arrived, queueing the sentences it completes.
    fn pull_text(&mut self, cx: &mut Context<'_>) {
        while let Some(text) = &mut self.text {
            match text.poll_next_unpin(cx) {
                Poll::Ready(Some(piece)) => {
                    self.first_text.get_or_insert_with(Instant::now);
                    for sentence in self.sentences.push(&piece) {
                        self.queue(sentence);
                    }
                }
                Poll::Ready(None) => {
                    self.text = None;
                    if let Some(last) = self.sentences.finish() {
                        self.queue(last);
                    }
                }
                Poll::Pending => break,
            }
        }
    }

    fn queue(&mut self, sentence: String) {
        self.queued.push_back((self.next_index, sentence));
        self.next_index += 1;
    }

    /// Starts requests while fewer than `ahead` (plus the one to play next,
    /// when none plays) are outstanding.
    fn start_requests(&mut self) {
        let allowed = self.ahead + usize::from(self.current.is_none());
        while self.in_flight.len() + self.ready.len() < allowed {
            let Some((index, text)) = self.queued.pop_front() else {
                break;
            };
            let camb = self.camb.clone();
            let speech = self.speech.with_text(text.clone());
            self.in_flight.push_back(Box::pin(async move {
                let opened = camb.speak(&speech).await;
                (index, text, opened)
            }));
        }
    }
}

impl Stream for SpokenText {
    type Item = Result<SpeechEvent, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            this.pull_text(cx);
            this.start_requests();
            while let Poll::Ready(Some(opened)) = this.in_flight.poll_next_unpin(cx) {
                this.ready.push_back(opened);
            }
            if let Some(current) = &mut this.current {
                match current.poll_next_unpin(cx) {
                    Poll::Ready(Some(Ok(audio))) => {
                        this.first_audio.get_or_insert_with(Instant::now);
                        return Poll::Ready(Some(Ok(SpeechEvent::Audio(audio))));
                    }
                    Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                    Poll::Ready(None) => {
                        this.current = None;
                        continue;
                    }
                    Poll::Pending => return Poll::Pending,
                }
            }
            if let Some((index, text, opened)) = this.ready.pop_front() {
                return Poll::Ready(Some(opened.map(|stream| {
                    let format = stream.format().clone();
                    this.current = Some(stream);
                    SpeechEvent::Sentence {
                        index,
                        text,
                        format,
                    }
                })));
            }
            let finished =
                this.text.is_none() && this.queued.is_empty() && this.in_flight.is_empty();
            return if finished {
                Poll::Ready(None)
            } else {
                Poll::Pending
            };
        }
    }
}

impl Camb {
    /// Speaks a text still being written, such as an LLM's answer arriving
    /// token by token: `text` is split into sentences ([`Sentences`]), each
    /// spoken with `speech`'s options, and the audio handed on in order as
    /// [`SpeechEvent`]s. While one sentence streams, the next one is already
    /// requested ([`SpokenText::requests_ahead`]), so its audio follows
    /// without a gap for its first byte.
    ///
    /// A sentence that fails (its request refused, its stream broken)
    /// yields its error and the text goes on with the next one. Requests
    /// progress while the stream is polled, like every future; nothing is
    /// spawned, and dropping the stream cancels them all.
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{Language, Speech, SpeechEvent, VoiceId};
    /// use futures_util::StreamExt;
    ///
    /// let tokens = futures_util::stream::iter(["Sure! ", "The weather", " is fine today. ", "Bye."]);
    /// let voice = Speech::new("...", Language::EN_US, VoiceId(147320));
    /// let mut spoken = camb.speak_text(tokens, &voice);
    /// while let Some(event) = spoken.next().await {
    ///     match event? {
    ///         SpeechEvent::Sentence { text, format, .. } => println!("{text} ({format})"),
    ///         SpeechEvent::Audio(samples) => { /* play them */ let _ = samples; }
    ///         _ => {}
    ///     }
    /// }
    /// println!("first audio after {:?}", spoken.time_to_first_audio());
    /// # Ok(()) }
    /// ```
    pub fn speak_text<S>(&self, text: S, speech: &Speech) -> SpokenText
    where
        S: Stream + Send + 'static,
        S::Item: AsRef<str>,
    {
        SpokenText {
            camb: self.clone(),
            speech: speech.clone(),
            text: Some(text.map(|piece| piece.as_ref().to_owned()).boxed()),
            sentences: Sentences::default(),
            queued: VecDeque::new(),
            next_index: 0,
            in_flight: FuturesOrdered::new(),
            ready: VecDeque::new(),
            current: None,
            ahead: 1,
            first_text: None,
            first_audio: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(pieces: &[&str]) -> Vec<String> {
        let mut sentences = Sentences::default();
        let mut out: Vec<String> = pieces.iter().flat_map(|p| sentences.push(p)).collect();
        out.extend(sentences.finish());
        out
    }

    #[test]
    fn sentences_end_at_punctuation_then_whitespace_however_tokens_fall() {
        let text = "A. Hello there! Is it 3.14? \"Yes.\" She said. Ok";
        let expected = [
            "A. Hello there!",
            "Is it 3.14?",
            "\"Yes.\"",
            "She said.",
            "Ok",
        ];
        assert_eq!(split(&[text]), expected);
        let chars: Vec<String> = text.chars().map(String::from).collect();
        let pieces: Vec<&str> = chars.iter().map(String::as_str).collect();
        assert_eq!(split(&pieces), expected, "one character at a time");
        assert_eq!(split(&["Line one\nLine two"]), ["Line one", "Line two"]);
        assert_eq!(split(&["你好。世界！"]), ["你好。", "世界！"]);
        assert_eq!(split(&["Done. ..."]), ["Done."], "nothing left to say");
    }

    #[test]
    fn long_text_without_an_end_is_cut_at_whitespace_within_the_limit() {
        let long = "word ".repeat(1000);
        let out = split(&[&long]);
        assert!(out.len() >= 2);
        for sentence in &out {
            assert!(
                TEXT_CHARS.contains(&sentence.chars().count()),
                "{}",
                sentence.len()
            );
            assert!(sentence.ends_with("word"));
        }
    }
}
