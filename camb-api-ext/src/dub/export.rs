//! A run's dub in another audio or video format ([`Camb::export`]), whose
//! tasks are waited for by the same engine as dubs.

use std::collections::HashMap;

use camb_api::types::{AltFormatResponse, TaskIdResponse};

use super::{
    status::{AnySuccess, DubStatus},
    status_family::{StatusFamily, StatusTasks},
};
use crate::{
    ApiKey, Camb, Error, Language, RunId, TaskId, TaskKind,
    retry::Resend,
    wait::{Flow, Wait, wait_span},
};

/// An output format for [`Camb::export`]: an audio format
/// (`OutputFormat::Mp3`, `Wav`, ...) or a video format (`OutputFormat::Mp4`,
/// `Mov`, ...), the values of the spec's `AudioOutputType` and
/// `VideoOutputTypeWithoutAvi`. The API treats both lists as open, so any
/// other name is `OutputFormat::from("webm")` (an `Unknown`).
pub type OutputFormat = camb_api::AltFormatOutputFormat;

/// Refuses a format that is no file format name (empty, or more than ASCII
/// letters and digits) before it goes into a request.
fn check_format(format: &OutputFormat) -> Result<(), Error> {
    let name = format.as_str();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(Error::InvalidInput {
            field: "output_format",
            reason: format!("`{name}` is not a file format name such as `mp3` or `mp4`"),
        });
    }
    Ok(())
}

/// What the API answered to an export request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Export {
    /// The file is ready: its URL.
    Ready(String),
    /// The file is being made by this task; wait for it with
    /// [`Camb::wait_for_export`], then ask again.
    Pending(TaskId),
}

/// A wait for one export task: `.await` it. Made by
/// [`Camb::wait_for_export`].
pub type ExportWait<'a> = Wait<'a, (), DubStatus>;

/// Alt-format export tasks: `GET /dub-alt-format/{task_id}`, done at
/// `SUCCESS` (the file is then asked for again).
fn exports(camb: &Camb) -> impl StatusTasks<AnySuccess> + '_ {
    StatusFamily::new(
        camb,
        TaskKind::Export,
        move |task_id| {
            let call = camb.raw.get_dubbed_output_in_alt_format_status();
            camb.send(call.task_id(task_id).send())
        },
        |task_id| wait_span!("wait_for_export", task_id),
    )
}

impl Camb {
    /// Asks for a run's dub in `language` as `format`: the file's URL if the
    /// server has it, or the task that makes it. [`Camb::export`] does the
    /// whole flow.
    pub async fn start_export(
        &self,
        run_id: RunId,
        language: Language,
        format: &OutputFormat,
    ) -> Result<Export, Error> {
        check_format(format)?;
        let run_id = run_id.checked()?;
        // Each request may start a conversion task, so it is only resent when
        // the server surely did not act on it, like a create.
        let answer = self
            .call(Resend::OnlyIfUnprocessed, || {
                self.raw
                    .get_dubbed_output_in_alt_format()
                    .run_id(run_id)
                    .language(language.wire())
                    .body_map(|body| body.output_format(format.clone()))
                    .send()
            })
            .await?;
        match answer {
            // `task_id` is optional in the task form, so a file answer
            // decodes as a task without one too: only a `task_id` makes it a task.
            AltFormatResponse {
                task_id_response:
                    Some(TaskIdResponse {
                        task_id: Some(task_id),
                        ..
                    }),
                ..
            } => TaskId::created(Some(&task_id), &task_id, &self.key).map(Export::Pending),
            AltFormatResponse {
                string_map: Some(file),
                ..
            } => the_url(file.0, &self.key).map(Export::Ready),
            other => Err(Error::unusable(
                "the answer is neither a file nor a task",
                &other,
                &self.key,
            )),
        }
    }

    /// The current status of an export task of [`Camb::start_export`], one
    /// request (plus retries), like [`Camb::status`] for dubs.
    pub async fn export_status(&self, task_id: &TaskId) -> Result<DubStatus, Error> {
        exports(self).status(task_id).await
    }

    /// Waits for an export task of [`Camb::start_export`] to finish: the
    /// same engine, policies and settings as [`Camb::wait_for_dub`]
    /// (`.on_update(..)`, `.deadline(..)`, ...).
    pub fn wait_for_export(&self, task_id: &TaskId) -> ExportWait<'_> {
        Wait::new(exports(self), task_id.clone(), self.policies())
    }

    /// A run's dub in `language` as `format` (e.g. `OutputFormat::Wav`):
    /// the file's URL. When the server makes the file in a task, waits for
    /// it ([`Camb::wait_for_export`], configured like any wait) and asks
    /// once more.
    pub fn export<'a>(
        &'a self,
        run_id: RunId,
        language: Language,
        format: &'a OutputFormat,
    ) -> Flow<'a, String, DubStatus> {
        Flow::new(self.policies(), move |options| async move {
            let task_id = match self.start_export(run_id, language, format).await? {
                Export::Ready(url) => return Ok(url),
                Export::Pending(task_id) => task_id,
            };
            tracing::info!(%task_id, %run_id, %format, "export started");
            self.wait_for_export(&task_id).with_options(options).await?;
            match self.start_export(run_id, language, format).await? {
                Export::Ready(url) => Ok(url),
                Export::Pending(_) => Err(Error::ExportNotReady { task_id }),
            }
        })
    }
}

/// The one value of an object of strings that holds the `what`: the only
/// one, or the first of the `preferred` keys present.
pub(super) fn the_value(
    fields: HashMap<String, String>,
    what: &str,
    preferred: &[&str],
    key: &ApiKey,
) -> Result<String, Error> {
    if fields.len() == 1 {
        return Ok(fields.into_values().next().unwrap_or_default());
    }
    if fields.is_empty() {
        // An empty object would read as an empty transcript or URL: say so
        // instead of handing back nothing.
        return Err(Error::unusable(
            format!("the {what} answer is an empty object"),
            &fields,
            key,
        ));
    }
    if let Some(found) = preferred.iter().find_map(|name| fields.get(*name)) {
        return Ok(found.clone());
    }
    let mut names: Vec<&String> = fields.keys().collect();
    names.sort();
    Err(Error::unusable(
        format!("the {what} answer has the fields {names:?}, none known to hold it"),
        &fields,
        key,
    ))
}

/// The file URL of an export answer: its only http(s) value, else as
/// [`the_value`] finds it.
fn the_url(fields: HashMap<String, String>, key: &ApiKey) -> Result<String, Error> {
    let mut urls = fields
        .values()
        .filter(|value| value.starts_with("https://") || value.starts_with("http://"));
    if let (Some(url), None) = (urls.next(), urls.next()) {
        return Ok(url.clone());
    }
    the_value(fields, "export", &["url", "file_url", "output_url"], key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_value_is_the_only_one_or_a_known_key() {
        let key = ApiKey::new("k").unwrap();
        let pick =
            |pairs: &[(&str, &str)]| the_value(map(pairs), "transcript", &["transcript"], &key);
        assert_eq!(pick(&[("whatever", "1\nHi")]).unwrap(), "1\nHi");
        assert!(matches!(pick(&[]), Err(Error::UnusableResponse { .. })));
        assert_eq!(
            pick(&[("transcript", "T"), ("format", "srt")]).unwrap(),
            "T"
        );
        assert!(matches!(
            pick(&[("a", "1"), ("b", "2")]),
            Err(Error::UnusableResponse { .. })
        ));
    }

    #[test]
    fn the_url_is_the_only_link() {
        let key = ApiKey::new("k").unwrap();
        let url = the_url(
            map(&[("format", "wav"), ("file", "https://cdn/x.wav")]),
            &key,
        );
        assert_eq!(url.unwrap(), "https://cdn/x.wav");
        let url = the_url(map(&[("url", "https://a"), ("preview", "https://b")]), &key);
        assert_eq!(url.unwrap(), "https://a");
    }

    #[test]
    fn output_formats_are_the_spec_s_or_any_name() {
        assert_eq!(OutputFormat::from("wav"), OutputFormat::Wav);
        assert_eq!(OutputFormat::from("mxf"), OutputFormat::Mxf);
        let webm = OutputFormat::from("webm");
        assert_eq!(webm, OutputFormat::Unknown("webm".into()));
        assert!(check_format(&webm).is_ok());
        assert!(check_format(&OutputFormat::from("")).is_err());
        assert!(check_format(&OutputFormat::from("../x")).is_err());
        assert!(check_format(&OutputFormat::Mxf).is_ok());
    }
}
