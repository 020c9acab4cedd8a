//! The simulated transcription family: `POST /transcribe` (a form with a
//! `media_url` or an uploaded `media_file`, and a `language`: an id, a
//! locale tag or `auto`), `GET /transcribe/{task_id}` (scripted like a dub's
//! status, see [`TaskScript`](crate::TaskScript)), and the segments of a
//! finished run, `GET /transcription-result/{run_id}` (or, with
//! `format_type`, the transcript as SRT, VTT or text) and
//! `POST /transcription-results`.

use std::collections::HashMap;

use camb_api::types::{TranscriptExportResult, TranscriptionResult, builder};
use camb_api_ext::{Language, SourceLanguage};
use serde_json::{Value, json};

use crate::check::Checked;
use crate::reply::{Reply, built};
use crate::state::{STORAGE, Task, language_key, run_ids, segments, transcript_text};
use crate::validate::Problems;

/// A transcription call (its path, query and body are read from the
/// checked request).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TranscriptionCall {
    Create,
    Status,
    Result,
    Results,
}

/// A checked `POST /transcribe` form.
#[derive(Debug)]
pub(crate) struct CreateForm {
    /// The `media_url`, or the uploaded file's name: what picks the task's
    /// script.
    pub(crate) media: String,
    /// The language heard (see [`language_key`]; `auto` is heard as `en-us`).
    language: String,
}

/// Reads a `POST /transcribe` form the spec's check passed: its `language`
/// (an id, a tag or `auto`, like every language input) and its one medium.
pub(crate) fn read_create(checked: &Checked) -> Result<CreateForm, Reply> {
    let file = |name: &str| {
        checked
            .files
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, file_name)| file_name.clone())
    };
    let text = |name: &str| {
        checked.body[name]
            .as_str()
            .filter(|_| file(name).is_none())
            .map(str::to_owned)
    };
    let urls = ["media_url", "audio_url"].map(text);
    let files = ["media_file", "file"].map(file);
    let mut media = urls.into_iter().chain(files).flatten();
    // A rule the schema cannot state as written (every medium field is
    // optional): a transcription names exactly one medium. No public source
    // says how the service answers none or two; the simulator has always
    // answered them with this `422`.
    let (Some(first), None) = (media.next(), media.next()) else {
        let mut problems = Problems::default();
        problems.push(
            "value_error",
            &["body".into(), "media_url".into()],
            "Value error, Give exactly one of media_url and media_file",
            &Value::Null,
        );
        return Err(Reply::validation(problems));
    };
    let language = language_key(&checked.body["language"]);
    let language = if language == SourceLanguage::AUTO {
        language_key(&json!(Language::EN_US))
    } else {
        language
    };
    Ok(CreateForm {
        media: first,
        language,
    })
}

/// One simulated transcription task.
#[derive(Debug)]
struct Transcription {
    task: Task,
    /// The language heard (see [`language_key`]).
    language: String,
}

/// Every transcription task and run of the simulated account.
#[derive(Debug, Default)]
pub(crate) struct Transcriptions {
    tasks: HashMap<String, Transcription>,
    /// Run id to task id.
    runs: HashMap<i64, String>,
}

impl Transcriptions {
    /// The id the next task gets.
    pub(crate) fn next_task_id(&self) -> String {
        format!("sim-transcription-{}", self.tasks.len() + 1)
    }

    /// Records a new task, created by `form`, and answers its id.
    pub(crate) fn create(&mut self, task_id: String, task: Task, form: CreateForm) -> Reply {
        if let Some(run_id) = task.run_id {
            self.runs.insert(run_id, task_id.clone());
        }
        let transcription = Transcription {
            task,
            language: form.language,
        };
        self.tasks.insert(task_id.clone(), transcription);
        Reply::task_id(task_id)
    }

    /// The task with this id.
    pub(crate) fn task(&self, task_id: &str) -> Option<&Task> {
        self.tasks.get(task_id).map(|found| &found.task)
    }

    /// The task with this id, to change.
    pub(crate) fn task_mut(&mut self, task_id: &str) -> Option<&mut Task> {
        self.tasks.get_mut(task_id).map(|found| &mut found.task)
    }

    /// Every task, for counting their faults.
    pub(crate) fn tasks(&self) -> impl Iterator<Item = &Task> {
        self.tasks.values().map(|found| &found.task)
    }

    /// Answers every call but [`TranscriptionCall::Create`] (which
    /// [`State`](crate::state::State) makes, as it holds the scripts).
    pub(crate) fn respond(&mut self, call: TranscriptionCall, checked: &Checked) -> Reply {
        match call {
            TranscriptionCall::Create => Reply::detail(500, "create is answered by the state"),
            TranscriptionCall::Status => match self.task_mut(&checked.path_text("task_id")) {
                Some(task) => task.answer_status(),
                None => Reply::detail(404, "Task not found"),
            },
            TranscriptionCall::Result => self.result(checked),
            TranscriptionCall::Results => self.results(checked),
        }
    }

    /// The language of a finished run.
    fn finished_run(&self, run_id: i64) -> Option<&str> {
        let task_id = self.runs.get(&run_id)?;
        let found = self.tasks.get(task_id)?;
        found.task.finished.then_some(found.language.as_str())
    }

    fn result(&self, checked: &Checked) -> Reply {
        let found = checked
            .path_int("run_id")
            .and_then(|run_id| Some((run_id, self.finished_run(run_id)?)));
        let Some((run_id, language)) = found else {
            return Reply::detail(404, "Run not found");
        };
        let format_type = checked.query_text("format_type");
        let data_type = checked.query_text("data_type");
        let transcript = match (format_type, data_type) {
            (None, None) => {
                return match transcription_result(language) {
                    Ok(result) => Reply::typed(200, &result),
                    Err(reply) => reply,
                };
            }
            (format, Some("file")) => {
                let format = format.unwrap_or("txt");
                format!("{STORAGE}/{run_id}/transcription.{format}")
            }
            (format, _) => {
                let format = format.unwrap_or("txt");
                transcript_text(language, format)
            }
        };
        match built::<TranscriptExportResult, _>(
            builder::TranscriptExportResult::default().transcript(transcript),
        ) {
            Ok(result) => Reply::typed(200, &result),
            Err(reply) => reply,
        }
    }

    fn results(&self, checked: &Checked) -> Reply {
        // Like the API: runs it has no result for are left out.
        let found: Result<HashMap<String, TranscriptionResult>, Reply> = run_ids(checked)
            .filter_map(|run_id| {
                let language = self.finished_run(run_id)?;
                Some(transcription_result(language).map(|result| (run_id.to_string(), result)))
            })
            .collect();
        match found {
            Ok(found) => Reply::typed(200, &found),
            Err(reply) => reply,
        }
    }
}

/// A finished run's segments, in its language (see [`language_key`]).
fn transcription_result(language: &str) -> Result<TranscriptionResult, Reply> {
    built(builder::TranscriptionResult::default().transcript(segments(language)?))
}
