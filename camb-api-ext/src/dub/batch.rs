//! Many dubs in one call ([`Camb::dub_all`]): the inputs ([`DubJob`]), what
//! the call yields ([`DubEvent`]) and the stream itself ([`DubAll`]).
//!
//! Built on the client's own calls ([`Camb::create_dub`], [`Camb::wait`],
//! [`Camb::results`]) made through one clone of the client whose every
//! request passes one [`WaitLimits`] gate, so creates, polls and result
//! fetches together stay within the limits.

use std::{
    collections::VecDeque,
    fmt,
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
};

use futures_util::{
    Stream, StreamExt,
    future::BoxFuture,
    stream::{FusedStream, FuturesUnordered},
};
use tokio::sync::oneshot;

use crate::{
    Camb, DubOutputs, DubRequest, Error, Language, RESULTS_PER_REQUEST, RunId, StatusUpdate,
    TaskId, WaitLimits,
};

/// One input of [`Camb::dub_all`], under the caller's key `K` (an index, a
/// file name, a database id).
///
/// `(key, request)` converts into [`DubJob::New`] and `(key, task_id,
/// request)` into [`DubJob::Created`], so a list of either can be passed as
/// it is. With serde it can be stored and read back.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DubJob<K> {
    /// A dub to create.
    New {
        /// The caller's name for this input.
        key: K,
        /// What to dub.
        request: DubRequest,
    },
    /// A task created earlier (by a [`Camb::dub_all`] that stopped, say):
    /// waited for and fetched, never created again.
    Created {
        /// The caller's name for this input.
        key: K,
        /// The task created for it.
        task_id: TaskId,
        /// The request it was created from (its targets name the outputs).
        request: DubRequest,
    },
}

impl<K> From<(K, DubRequest)> for DubJob<K> {
    fn from((key, request): (K, DubRequest)) -> Self {
        DubJob::New { key, request }
    }
}

impl<K> From<(K, TaskId, DubRequest)> for DubJob<K> {
    fn from((key, task_id, request): (K, TaskId, DubRequest)) -> Self {
        DubJob::Created {
            key,
            task_id,
            request,
        }
    }
}

/// What [`Camb::dub_all`] yields: for each input, a [`DubEvent::Created`]
/// (unless it was created already), any number of [`DubEvent::Progress`],
/// and exactly one [`DubEvent::Finished`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum DubEvent<K> {
    /// The task of an input was created. Store `(key, task_id, request)`
    /// (see [`DubEvent::resume_job`]) to resume after a crash without
    /// creating (and paying for) the dub again.
    Created {
        /// The input's key.
        key: K,
        /// The new task.
        task_id: TaskId,
        /// The input's request.
        request: DubRequest,
    },
    /// A status poll of an input's task.
    Progress {
        /// The input's key.
        key: K,
        /// What the poll saw.
        update: StatusUpdate,
    },
    /// An input's outcome: its outputs, or why there are none.
    Finished {
        /// The input's key.
        key: K,
        /// The input's request.
        request: DubRequest,
        /// Its task, unless creating it failed.
        task_id: Option<TaskId>,
        /// Its run, once the task succeeded (also when fetching the result
        /// then failed: [`Camb::result`] can try again).
        run_id: Option<RunId>,
        /// The outputs, or the error of the step that failed. [`Error`] is
        /// cheap to clone, for collecting failures per input.
        outcome: Result<DubOutputs, Error>,
    },
}

impl<K> DubEvent<K> {
    /// The key of the input this event is about.
    pub fn key(&self) -> &K {
        match self {
            DubEvent::Created { key, .. }
            | DubEvent::Progress { key, .. }
            | DubEvent::Finished { key, .. } => key,
        }
    }

    /// For [`DubEvent::Created`]: the job that resumes this input in a later
    /// [`Camb::dub_all`] ([`DubJob::Created`]).
    pub fn resume_job(&self) -> Option<DubJob<K>>
    where
        K: Clone,
    {
        match self {
            DubEvent::Created {
                key,
                task_id,
                request,
            } => Some(DubJob::Created {
                key: key.clone(),
                task_id: task_id.clone(),
                request: request.clone(),
            }),
            _ => None,
        }
    }
}

impl Camb {
    /// Dubs every input, under shared `limits`, yielding each input's
    /// outcome as it finishes ([`DubEvent`]): create (inputs given as
    /// [`DubJob::Created`] skip this), wait, fetch.
    ///
    /// Every request the call makes (creates, status polls, result fetches,
    /// retries included) passes one gate: at most
    /// [`WaitLimits::max_in_flight`] at once, starts at least
    /// [`WaitLimits::min_interval`] apart, queued in order of arrival.
    /// Results are fetched in batches (`POST /dubbing-results`, up to
    /// [`RESULTS_PER_REQUEST`] runs each): a run that finishes while a batch
    /// is in flight joins the next one.
    ///
    /// Resuming after a crash: each [`DubEvent::Created`] names the new
    /// task; store it, and give the stored ones back as [`DubJob::Created`]
    /// (with the inputs never created as [`DubJob::New`]). A crash between
    /// a create's answer and the event being stored still loses that task,
    /// as with any single [`Camb::create_dub`].
    ///
    /// Each task is waited for under the client's [`PollPolicy`] and
    /// [`WaitErrorPolicy`]. The inputs are read at once; the stream does the
    /// work as it is polled, and dropping it stops everything (nothing is
    /// spawned).
    ///
    /// ```no_run
    /// # async fn example(camb: camb_api_ext::Camb, videos: Vec<String>) -> Result<(), camb_api_ext::Error> {
    /// use camb_api_ext::{DubEvent, DubRequest, Language, WaitLimits};
    /// use futures_util::StreamExt;
    ///
    /// let requests = videos
    ///     .iter()
    ///     .map(|url| DubRequest::new(url, Language::EN_US, [Language::FR_FR]));
    /// let mut events = std::pin::pin!(camb.dub_all(requests.enumerate(), WaitLimits::default()));
    /// while let Some(event) = events.next().await {
    ///     match event {
    ///         DubEvent::Created { key, task_id, .. } => println!("{}: task {task_id}", videos[key]),
    ///         DubEvent::Finished { key, outcome: Ok(outputs), .. } => {
    ///             println!("{}: {} language(s)", videos[key], outputs.len())
    ///         }
    ///         DubEvent::Finished { key, outcome: Err(err), .. } => eprintln!("{}: {err}", videos[key]),
    ///         _ => {}
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    ///
    /// [`PollPolicy`]: crate::PollPolicy
    /// [`WaitErrorPolicy`]: crate::WaitErrorPolicy
    pub fn dub_all<K, I>(&self, jobs: I, limits: WaitLimits) -> DubAll<K>
    where
        K: Clone + Send + 'static,
        I: IntoIterator,
        I::Item: Into<DubJob<K>>,
    {
        let camb = Arc::new(self.gated(limits));
        let events = Arc::new(Mutex::new(VecDeque::new()));
        let fetches = Arc::new(Mutex::new(Vec::new()));
        let running = jobs
            .into_iter()
            .map(|job| {
                let job = run_job(
                    Arc::clone(&camb),
                    job.into(),
                    Arc::clone(&events),
                    Arc::clone(&fetches),
                );
                Box::pin(job) as BoxFuture<'static, Option<DubEvent<K>>>
            })
            .collect();
        DubAll {
            camb,
            running,
            events,
            fetches,
            fetches_in_flight: 0,
            max_fetches_in_flight: limits.max_in_flight().get(),
        }
    }
}

/// Runs waiting to have their results fetched, each with where to send it.
/// A finished run waiting for its result: its id, its dub's targets and
/// where the outcome goes.
type PendingFetch = (
    RunId,
    Vec<Language>,
    oneshot::Sender<Result<DubOutputs, Error>>,
);
type PendingFetches = Arc<Mutex<Vec<PendingFetch>>>;

/// Events of the running jobs not yet yielded, in the order they happened.
type Events<K> = Arc<Mutex<VecDeque<DubEvent<K>>>>;

/// The stream of [`Camb::dub_all`].
#[must_use = "a stream does nothing unless polled"]
pub struct DubAll<K> {
    camb: Arc<Camb>,
    /// The jobs (each ends with its `Finished` event) and the result
    /// fetches (which end with `None`).
    running: FuturesUnordered<BoxFuture<'static, Option<DubEvent<K>>>>,
    events: Events<K>,
    fetches: PendingFetches,
    fetches_in_flight: usize,
    max_fetches_in_flight: usize,
}

impl<K> fmt::Debug for DubAll<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DubAll")
            .field("running", &self.running.len())
            .field("fetches_in_flight", &self.fetches_in_flight)
            .finish_non_exhaustive()
    }
}

impl<K: Send + 'static> DubAll<K> {
    /// Starts a batch fetch when runs wait for one: at once when none is in
    /// flight, else only once a full batch waits (so that batches fill up
    /// while one is in flight).
    fn start_fetch(&mut self) -> bool {
        let mut waiting = lock(&self.fetches);
        let start = !waiting.is_empty()
            && self.fetches_in_flight < self.max_fetches_in_flight
            && (self.fetches_in_flight == 0 || waiting.len() >= RESULTS_PER_REQUEST);
        if !start {
            return false;
        }
        let size = waiting.len().min(RESULTS_PER_REQUEST);
        let batch: Vec<_> = waiting.drain(..size).collect();
        drop(waiting);
        let camb = Arc::clone(&self.camb);
        self.fetches_in_flight += 1;
        self.running.push(Box::pin(async move {
            fetch_batch(&camb, batch).await;
            None
        }));
        true
    }
}

impl<K: Send + 'static> Stream for DubAll<K> {
    type Item = DubEvent<K>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if let Some(event) = lock(&this.events).pop_front() {
                return Poll::Ready(Some(event));
            }
            if this.start_fetch() {
                continue;
            }
            match this.running.poll_next_unpin(cx) {
                // Through the queue, after the events the job sent before.
                Poll::Ready(Some(Some(finished))) => lock(&this.events).push_back(finished),
                Poll::Ready(Some(None)) => this.fetches_in_flight -= 1,
                Poll::Ready(None) => return Poll::Ready(None),
                // Progress sent while polling is in the queue now.
                Poll::Pending if lock(&this.events).is_empty() => return Poll::Pending,
                Poll::Pending => {}
            }
        }
    }
}

impl<K: Send + 'static> FusedStream for DubAll<K> {
    fn is_terminated(&self) -> bool {
        self.running.is_empty() && lock(&self.events).is_empty()
    }
}

/// One input from start to end; returns its `Finished` event.
async fn run_job<K: Clone + Send + 'static>(
    camb: Arc<Camb>,
    job: DubJob<K>,
    events: Events<K>,
    fetches: PendingFetches,
) -> Option<DubEvent<K>> {
    let finished = |key, request, task_id, run_id, outcome| {
        Some(DubEvent::Finished {
            key,
            request,
            task_id,
            run_id,
            outcome,
        })
    };
    let (key, task_id, request) = match job {
        DubJob::Created {
            key,
            task_id,
            request,
        } => (key, task_id, request),
        DubJob::New { key, request } => match camb.create_dub(&request).await {
            Ok(task_id) => {
                lock(&events).push_back(DubEvent::Created {
                    key: key.clone(),
                    task_id: task_id.clone(),
                    request: request.clone(),
                });
                (key, task_id, request)
            }
            Err(err) => return finished(key, request, None, None, Err(err)),
        },
    };
    let progress = {
        let (key, events) = (key.clone(), Arc::clone(&events));
        move |update: &StatusUpdate| {
            lock(&events).push_back(DubEvent::Progress {
                key: key.clone(),
                update: update.clone(),
            });
        }
    };
    let run_id = match camb.wait(&task_id).on_update(progress).await {
        Ok(run_id) => run_id,
        Err(err) => return finished(key, request, Some(task_id), None, Err(err)),
    };
    let (sender, receiver) = oneshot::channel();
    lock(&fetches).push((run_id, request.all_target_languages(), sender));
    let outcome = match receiver.await {
        Ok(outcome) => outcome,
        // Only if the fetch was dropped, which ends the whole stream first.
        Err(_) => Err(Error::ResultMissing { run_id }),
    };
    finished(key, request, Some(task_id), Some(run_id), outcome)
}

/// Fetches one batch of results and hands each to its job.
async fn fetch_batch(camb: &Camb, batch: Vec<PendingFetch>) {
    let (runs, senders): (Vec<_>, Vec<_>) = batch
        .into_iter()
        .map(|(run_id, targets, sender)| ((run_id, targets), (run_id, sender)))
        .unzip();
    match camb.results(runs).await {
        Ok(found) => {
            let found: std::collections::HashMap<RunId, Result<DubOutputs, Error>> =
                found.into_iter().collect();
            for (run_id, sender) in senders {
                let outcome = found
                    .get(&run_id)
                    .cloned()
                    .unwrap_or(Err(Error::ResultMissing { run_id }));
                // A job that is gone (the stream was dropped) needs nothing.
                let _ = sender.send(outcome);
            }
        }
        Err(err) => {
            for (_, sender) in senders {
                let _ = sender.send(Err(err.clone()));
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
