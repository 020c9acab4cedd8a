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

use crate::http::Form;
use crate::reply::{Reply, built};
use crate::state::{
    RESULTS_BODY, STORAGE, Task, data_types, language_key, segments, transcript_formats,
    transcript_text,
};
use crate::validate::{self, Field, IntText, Kind, Problems};

/// A transcription call, with its raw parameters (validated when answered,
/// like FastAPI).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TranscriptionCall {
    Create,
    Status {
        task_id: String,
    },
    Result {
        run_id: String,
        format_type: Option<String>,
        data_type: Option<String>,
    },
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

/// The form of `POST /transcribe`, in the SDK's order
/// (`camb/transcription/client.py`, `create_transcription`).
const CREATE_FORM: &[Field] = &[
    Field::required("language", Kind::IntOrStr),
    Field::optional("media_file", Kind::File),
    Field::optional("media_url", Kind::Str),
    Field::optional("file", Kind::File),
    Field::optional("audio_url", Kind::Str),
    Field::optional("project_name", Kind::Str),
    Field::optional("project_description", Kind::Str),
    Field::optional("folder_id", Kind::Int),
    Field::optional("transcription_mode", Kind::Literal(&["fast", "slow"])),
    Field::defaulted("run_audio_cleaning", Kind::Bool),
    Field::defaulted("include_music_in_fg", Kind::Bool),
    Field::optional("formatting_options", Kind::Str),
];

/// Reads a `POST /transcribe` body as FastAPI would: a form, with a
/// `language` (an id, a tag or `auto`, like every language input) and
/// exactly one media (`media_url`, or a `media_file` upload; the deprecated
/// `audio_url` and `file` too), the options well-typed.
pub(crate) fn read_create(form: Option<&Form>) -> Result<CreateForm, Reply> {
    let fields =
        validate::form(Problems::default(), form, CREATE_FORM).map_err(Reply::validation)?;
    let urls = ["media_url", "audio_url"]
        .map(|name| fields.get(name).and_then(Value::as_str).map(str::to_owned));
    let files = ["media_file", "file"].map(|name| {
        let file = form.and_then(|form| form.file(name));
        file.map(|(file_name, _)| file_name.to_owned())
    });
    let mut media = urls.into_iter().chain(files).flatten();
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
    let language = fields
        .get("language")
        .map_or_else(String::new, language_key);
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
    pub(crate) fn respond(&mut self, call: TranscriptionCall, body: &[u8]) -> Reply {
        match call {
            TranscriptionCall::Create => Reply::detail(500, "create is answered by the state"),
            TranscriptionCall::Status { task_id } => match self.task_mut(&task_id) {
                Some(task) => task.answer_status(),
                None => Reply::detail(404, "Task not found"),
            },
            TranscriptionCall::Result {
                run_id,
                format_type,
                data_type,
            } => self.result(&run_id, format_type, data_type),
            TranscriptionCall::Results => self.results(body),
        }
    }

    /// The language of a finished run.
    fn finished_run(&self, run_id: i64) -> Option<&str> {
        let task_id = self.runs.get(&run_id)?;
        let found = self.tasks.get(task_id)?;
        found.task.finished.then_some(found.language.as_str())
    }

    fn result(
        &self,
        raw_run_id: &str,
        format_type: Option<String>,
        data_type: Option<String>,
    ) -> Reply {
        // FastAPI lists path problems before query ones.
        let mut problems = Problems::default();
        let run_id = validate::int_text(&mut problems, raw_run_id, ["path", "run_id"]);
        if let Some(format) = &format_type {
            validate::enum_query(&mut problems, "format_type", format, &transcript_formats());
        }
        if let Some(data_type) = &data_type {
            validate::enum_query(&mut problems, "data_type", data_type, &data_types());
        }
        if !problems.is_empty() {
            return Reply::validation(problems);
        }
        let found = run_id
            .and_then(IntText::fits)
            .and_then(|run_id| Some((run_id, self.finished_run(run_id)?)));
        let Some((run_id, language)) = found else {
            return Reply::detail(404, "Run not found");
        };
        let transcript = match (format_type, data_type.as_deref()) {
            (None, None) => {
                return match transcription_result(language) {
                    Ok(result) => Reply::typed(200, &result),
                    Err(reply) => reply,
                };
            }
            (format, Some("file")) => {
                let format = format.as_deref().unwrap_or("txt");
                format!("{STORAGE}/{run_id}/transcription.{format}")
            }
            (format, _) => {
                let format = format.as_deref().unwrap_or("txt");
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

    fn results(&self, body: &[u8]) -> Reply {
        let request = match validate::body(Problems::default(), body, RESULTS_BODY) {
            Ok(request) => request,
            Err(problems) => return Reply::validation(problems),
        };
        // Like the API: runs it has no result for are left out.
        let found: Result<HashMap<String, TranscriptionResult>, Reply> = request["run_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|run_id| {
                let run_id = validate::whole_number(run_id)?;
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
