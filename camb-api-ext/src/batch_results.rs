//! Results of many runs in one call, for every family with a batch form
//! (`POST /dubbing-results`, `POST /transcription-results`): run ids
//! deduplicated and checked, sent [`RESULTS_PER_REQUEST`] at a time, the
//! answers matched back to them by their keys.

use std::{
    collections::{BTreeMap, HashMap, HashSet},
    future::Future,
};

use crate::{Error, RunId};

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

/// Each of `run_ids` (first occurrence order, duplicates dropped) with its
/// answer, `None` when no answer carried it. `fetch` sends one batch and
/// returns the answer keyed by run id as text; a key that is no run id
/// asked for is logged and dropped.
pub(crate) async fn by_run_id<T, F, Fut>(
    run_ids: impl IntoIterator<Item = RunId>,
    mut fetch: F,
) -> Result<Vec<(RunId, Option<T>)>, Error>
where
    F: FnMut(Vec<i64>) -> Fut,
    Fut: Future<Output = Result<HashMap<String, T>, Error>>,
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
        let answer = fetch(chunk.iter().map(|run_id| run_id.get()).collect()).await?;
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
            let value = found.remove(&run_id);
            (run_id, value)
        })
        .collect())
}
