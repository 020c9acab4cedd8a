//! Results of many runs in one call, for every family with a batch form
//! (`POST /dubbing-results`, `POST /transcription-results`): run ids
//! deduplicated and checked, sent [`RESULTS_PER_REQUEST`] at a time, the
//! answers matched back to them by their keys.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    future::Future,
};

use camb_api::{ResponseValue, types::HttpValidationError};

use crate::{Camb, Error, RunId, retry::Resend};

/// How many run ids one batch request of [`Camb::results`] or
/// [`Camb::transcriptions`] carries.
///
/// Neither the docs nor the official SDK state a limit. 50 keeps each
/// request and answer small (an answer carries every run's transcript, so
/// it grows with the runs' length) and a failed request cheap to retry.
///
/// [`Camb::results`]: crate::Camb::results
/// [`Camb::transcriptions`]: crate::Camb::transcriptions
pub const RESULTS_PER_REQUEST: usize = 50;

impl Camb {
    /// Each of `run_ids` (first occurrence order, duplicates dropped) with
    /// its answer, or [`Error::ResultMissing`] when no answer carried it.
    /// `send` sends one batch of at most [`RESULTS_PER_REQUEST`] ids (made
    /// and resent under the retry policy: asking is idempotent); its answer
    /// is keyed by run id as text, and a key that is no run id asked for is
    /// logged and dropped.
    pub(crate) async fn batch_results<T, F, R>(
        &self,
        run_ids: impl IntoIterator<Item = RunId>,
        send: F,
    ) -> Result<Vec<(RunId, Result<T, Error>)>, Error>
    where
        F: Fn(Vec<i64>) -> R,
        R: Future<
            Output = Result<
                ResponseValue<HashMap<String, T>>,
                camb_api::Error<HttpValidationError>,
            >,
        >,
    {
        let mut seen = HashSet::new();
        let wanted: Vec<RunId> = run_ids
            .into_iter()
            .filter(|run_id| seen.insert(*run_id))
            .collect();
        for run_id in &wanted {
            run_id.checked()?;
        }
        let mut found: BTreeMap<RunId, T> = BTreeMap::new();
        for chunk in wanted.chunks(RESULTS_PER_REQUEST) {
            let ids: Vec<i64> = chunk.iter().map(|run_id| run_id.get()).collect();
            let answer = self.call(Resend::Idempotent, || send(ids.clone())).await?;
            for (key, value) in answer {
                match key.trim().parse::<i64>() {
                    Ok(id) if chunk.contains(&RunId(id)) => {
                        found.insert(RunId(id), value);
                    }
                    _ => tracing::warn!(key, "a result for a run that was not asked for"),
                }
            }
        }
        Ok(wanted
            .into_iter()
            .map(|run_id| {
                let value = found.remove(&run_id).ok_or(Error::ResultMissing { run_id });
                (run_id, value)
            })
            .collect())
    }
}
