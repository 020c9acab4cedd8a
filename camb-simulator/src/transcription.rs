//! The simulated transcription family: `POST /transcribe` (a form with a
//! `media_url` or an uploaded `media_file`, and a `language`: an id, a
//! locale tag or `auto`), `GET /transcribe/{task_id}` (scripted like a dub's
//! status, see [`TaskScript`](crate::TaskScript)), and the segments of a
//! finished run, `GET /transcription-result/{run_id}` (or, with
//! `format_type`, the transcript as SRT, VTT or text) and
//! `POST /transcription-results`.

use std::collections::HashMap;

use camb_api::types::{
    RunIDsRequestPayload, Transcript, TranscriptExportResult, TranscriptionResult,
};
use camb_api_ext::Language;

use crate::form::Form;
use crate::reply::Reply;
use crate::route::{query_value, single_segment};
use crate::state::{STORAGE, Task, body_error, enum_error, parse_id, segments, transcript_text};

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

/// The call a request makes, `Some(Err(allow))` for a transcription path
/// with the wrong method, `None` for any other path.
pub(crate) fn parse(
    method: &str,
    path: &str,
    query: Option<&str>,
) -> Option<Result<TranscriptionCall, &'static str>> {
    let (call, allowed) = if path == "/transcribe" {
        (TranscriptionCall::Create, "POST")
    } else if let Some(task_id) = path.strip_prefix("/transcribe/").and_then(single_segment) {
        (TranscriptionCall::Status { task_id }, "GET")
    } else if let Some(run_id) = path
        .strip_prefix("/transcription-result/")
        .and_then(single_segment)
    {
        let format_type = query.and_then(|query| query_value(query, "format_type"));
        let data_type = query.and_then(|query| query_value(query, "data_type"));
        let call = TranscriptionCall::Result {
            run_id,
            format_type,
            data_type,
        };
        (call, "GET")
    } else if path == "/transcription-results" {
        (TranscriptionCall::Results, "POST")
    } else {
        return None;
    };
    Some(if method == allowed {
        Ok(call)
    } else {
        Err(allowed)
    })
}

/// A checked `POST /transcribe` form.
#[derive(Debug)]
pub(crate) struct CreateForm {
    /// The `media_url`, or the uploaded file's name: what picks the task's
    /// script.
    pub(crate) media: String,
    /// The language heard, by id (`auto` is heard as `en-us`).
    language: i64,
}

/// Reads a `POST /transcribe` body as FastAPI would: a form, with a
/// `language` and exactly one media (`media_url`, or a `media_file` upload;
/// the deprecated `audio_url` and `file` too), the options well-typed.
pub(crate) fn read_create(body: &[u8], content_type: Option<&str>) -> Result<CreateForm, Reply> {
    let missing =
        |field: &str| Reply::validation_error(["body", field], "Field required", "missing");
    let Some(form) = Form::parse(body, content_type) else {
        return Err(missing("language"));
    };
    let language = form.text("language").ok_or_else(|| missing("language"))?;
    let language = heard_language(&language).ok_or_else(|| {
        Reply::validation_error(
            ["body", "language"],
            "Input should be a language id, a locale tag or 'auto'",
            "value_error",
        )
    })?;
    let urls = ["media_url", "audio_url"].map(|name| form.text(name).filter(|url| !url.is_empty()));
    let files = ["media_file", "file"].map(|name| form.file(name).map(|(name, _)| name.to_owned()));
    let mut media = urls.into_iter().chain(files).flatten();
    let (Some(first), None) = (media.next(), media.next()) else {
        return Err(Reply::validation_error(
            ["body", "media_url"],
            "Give exactly one of media_url and media_file",
            "value_error",
        ));
    };
    if let Some(mode) = form.text("transcription_mode")
        && !matches!(mode.as_str(), "fast" | "slow")
    {
        return Err(Reply::validation_error(
            ["body", "transcription_mode"],
            "Input should be 'fast' or 'slow'",
            "literal_error",
        ));
    }
    for flag in ["run_audio_cleaning", "include_music_in_fg"] {
        if form
            .text(flag)
            .is_some_and(|value| value.parse::<bool>().is_err())
        {
            return Err(Reply::validation_error(
                ["body", flag],
                "Input should be a valid boolean",
                "bool_parsing",
            ));
        }
    }
    if form
        .text("folder_id")
        .is_some_and(|id| id.parse::<i64>().is_err())
    {
        return Err(Reply::validation_error(
            ["body", "folder_id"],
            "Input should be a valid integer",
            "int_parsing",
        ));
    }
    Ok(CreateForm {
        media: first,
        language,
    })
}

/// The id of a `language` field: a known id or tag, or `auto` (heard as
/// `en-us`); `None` for anything else.
fn heard_language(text: &str) -> Option<i64> {
    let text = text.trim();
    let language = if text.eq_ignore_ascii_case("auto") {
        Language::EN_US
    } else {
        text.parse().ok()?
    };
    let known = Language::KNOWN.iter().any(|(known, _)| *known == language);
    language.id().filter(|_| known).map(i64::from)
}

/// One simulated transcription task.
#[derive(Debug)]
struct Transcription {
    task: Task,
    /// The language heard, by id.
    language: i64,
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
    fn finished_run(&self, run_id: i64) -> Option<i64> {
        let task_id = self.runs.get(&run_id)?;
        let found = self.tasks.get(task_id)?;
        found.task.finished.then_some(found.language)
    }

    fn result(
        &self,
        raw_run_id: &str,
        format_type: Option<String>,
        data_type: Option<String>,
    ) -> Reply {
        if let Some(format) = &format_type
            && !matches!(format.as_str(), "srt" | "vtt" | "txt")
        {
            return enum_error("format_type", "'srt', 'vtt' or 'txt'");
        }
        if let Some(data_type) = &data_type
            && !matches!(data_type.as_str(), "raw_data" | "file")
        {
            return enum_error("data_type", "'raw_data' or 'file'");
        }
        let run_id = match parse_id(raw_run_id, "run_id") {
            Ok(run_id) => run_id,
            Err(reply) => return reply,
        };
        let Some(language) = self.finished_run(run_id) else {
            return Reply::detail(404, "Run not found");
        };
        let transcript = match (format_type, data_type.as_deref()) {
            (None, None) => return Reply::typed(200, &transcription_result(language)),
            (format, Some("file")) => {
                let format = format.as_deref().unwrap_or("txt");
                format!("{STORAGE}/{run_id}/transcription.{format}")
            }
            (format, _) => {
                let format = format.as_deref().unwrap_or("txt");
                transcript_text(&language.to_string(), format)
            }
        };
        Reply::typed(200, &TranscriptExportResult { transcript })
    }

    fn results(&self, body: &[u8]) -> Reply {
        let request: RunIDsRequestPayload = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(error) => return body_error(&error),
        };
        // Like the API: runs it has no result for are left out.
        let found: HashMap<String, TranscriptionResult> = request
            .run_ids
            .iter()
            .filter_map(|run_id| {
                let language = self.finished_run(*run_id)?;
                Some((run_id.to_string(), transcription_result(language)))
            })
            .collect();
        Reply::typed(200, &found)
    }
}

/// A finished run's segments, in its language (an id).
fn transcription_result(language: i64) -> TranscriptionResult {
    let transcript = segments(&language.to_string())
        .into_iter()
        .map(|segment| Transcript {
            start: segment.start,
            end: segment.end,
            text: segment.text,
            speaker: segment.speaker,
        })
        .collect();
    TranscriptionResult { transcript }
}
