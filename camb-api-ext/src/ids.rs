//! Identifiers of tasks, runs, dictionaries and terms, checked before they
//! reach a URL, and the kind of task an id names.

use std::{fmt, str::FromStr};

use crate::{ApiKey, Error};

/// Which family of task an id belongs to: every task error names it with
/// the id, so a failed export never reads like a failed dub.
///
/// ```
/// use camb_api_ext::TaskKind;
///
/// assert_eq!(TaskKind::Export.to_string(), "export task");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskKind {
    /// A dubbing task of [`Camb::create_dub`](crate::Camb::create_dub).
    Dub,
    /// An alt-format export task of
    /// [`Camb::start_export`](crate::Camb::start_export).
    Export,
    /// A task of another family the spec declares (`x-camb-task`), by its
    /// name there: `transcription`, `tts`
    /// ([`Camb::create_task`](crate::Camb::create_task)).
    Family(&'static str),
}

impl TaskKind {
    /// The kind of a task of the spec's family `name`: dubs are
    /// [`TaskKind::Dub`], the others [`TaskKind::Family`].
    pub(crate) fn of_family(name: &'static str) -> Self {
        use camb_api::Task;
        if name == camb_api::tasks::Dub::NAME {
            TaskKind::Dub
        } else {
            TaskKind::Family(name)
        }
    }
}

impl fmt::Display for TaskKind {
    /// How messages name a task of this kind: `dubbing task`, `export
    /// task`, `audio separation task`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TaskKind::Dub => f.write_str("dubbing task"),
            TaskKind::Export => f.write_str("export task"),
            TaskKind::Family(name) => write!(f, "{} task", name.replace('_', " ")),
        }
    }
}

/// The identifier of a dubbing task, as returned by [`Camb::create_dub`].
///
/// A `TaskId` is validated when it is made, so that a bad id fails with
/// [`Error::InvalidInput`] before any request is sent. Rejected:
///
/// - the empty string, and ids longer than [`TaskId::MAX_LEN`] bytes;
/// - `.` and `..`: the generated client does not percent-encode dots, so these
///   would address the API's base path instead of a task;
/// - `/` and `\`: path separators. Encoded as `%2F` they would still reach the
///   server, and a proxy that decodes them could route the request elsewhere;
/// - control characters and whitespace (often a pasted newline).
///
/// Any other character (`?`, `#`, `%`, non-ASCII) is accepted and
/// percent-encoded in the URL by the generated client.
///
/// ```
/// use camb_api_ext::TaskId;
///
/// let id: TaskId = "7f3c2a9e-1b2d-4c5e-8f90-a1b2c3d4e5f6".parse()?;
/// assert_eq!(id.as_str(), "7f3c2a9e-1b2d-4c5e-8f90-a1b2c3d4e5f6");
/// assert!("..".parse::<TaskId>().is_err());
/// assert!("a/b".parse::<TaskId>().is_err());
/// # Ok::<(), camb_api_ext::Error>(())
/// ```
///
/// With serde it is a string, checked the same way when read back, so an
/// application can store the ids of running tasks and resume waiting after
/// a restart:
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb, request: camb_api_ext::DubRequest) -> Result<(), Box<dyn std::error::Error>> {
/// use camb_api_ext::{RunId, TaskId};
///
/// let task_id = camb.create_dub(&request).await?;
/// std::fs::write("task.json", serde_json::to_string(&task_id)?)?;
///
/// // ... later, maybe in another process:
/// let task_id: TaskId = serde_json::from_str(&std::fs::read_to_string("task.json")?)?;
/// let run_id: RunId = camb.wait_for_dub(&task_id).await?;
/// std::fs::write("run.json", serde_json::to_string(&run_id)?)?;
/// # Ok(()) }
/// ```
///
/// [`Camb::create_dub`]: crate::Camb::create_dub
#[derive(
    Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct TaskId(String);

impl TaskId {
    /// The longest id accepted, in bytes. Real ids are UUID-sized; this bound
    /// only stops absurd input.
    pub const MAX_LEN: usize = 256;

    /// Checks `id` and wraps it.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        match problem_with(&id) {
            None => Ok(TaskId(id)),
            Some(reason) => Err(Error::InvalidInput {
                field: "task_id",
                reason,
            }),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The id of the task a create call started, `task_id` of its answer
    /// `created`: an answer without a usable one is an
    /// [`Error::UnusableResponse`] (a task was made that cannot be followed,
    /// not a decoding failure: the SDK types the field as optional).
    pub(crate) fn created(
        task_id: Option<&str>,
        created: &impl serde::Serialize,
        key: &ApiKey,
    ) -> Result<Self, Error> {
        let reason = match task_id.map(TaskId::new) {
            Some(Ok(task_id)) => return Ok(task_id),
            Some(Err(_)) => "the server returned an unusable task id",
            None => "the server answered the create call without a task_id",
        };
        Err(Error::unusable(reason, created, key))
    }
}

/// Why `id` is not a usable task id, or `None` when it is.
fn problem_with(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("is empty".into());
    }
    if id.len() > TaskId::MAX_LEN {
        return Some(format!(
            "is {} bytes long; at most {} are accepted",
            id.len(),
            TaskId::MAX_LEN
        ));
    }
    if id == "." || id == ".." {
        return Some(format!("`{id}` would address another path, not a task"));
    }
    if let Some(c) = id.chars().find(|c| matches!(c, '/' | '\\')) {
        return Some(format!("contains the path separator `{c}`"));
    }
    if let Some(c) = id.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Some(format!(
            "contains the control or whitespace character {:?}",
            c
        ));
    }
    None
}

impl FromStr for TaskId {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TaskId::new(s)
    }
}

impl TryFrom<String> for TaskId {
    type Error = Error;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        TaskId::new(s)
    }
}

impl TryFrom<&str> for TaskId {
    type Error = Error;

    fn try_from(s: &str) -> Result<Self, Self::Error> {
        TaskId::new(s)
    }
}

impl AsRef<str> for TaskId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<TaskId> for String {
    fn from(id: TaskId) -> Self {
        id.0
    }
}

/// A checked id for a call of the generated client:
/// `camb.raw().get_dub_status().task_id(&task_id)`.
impl From<TaskId> for camb_api::types::TaskIdParam {
    fn from(id: TaskId) -> Self {
        camb_api::types::TaskIdParam::from(id.0)
    }
}

/// A checked id for a call of the generated client:
/// `camb.raw().get_dub_status().task_id(&task_id)`.
impl From<&TaskId> for camb_api::types::TaskIdParam {
    fn from(id: &TaskId) -> Self {
        camb_api::types::TaskIdParam::from(id.0.clone())
    }
}

/// An integer id of the API (runs, dictionaries, terms): the type, its
/// serde form (the integer; a negative one is refused when read back), and
/// the check before a request (the field is public, so a negative id can be
/// built: [`Error::InvalidInput`] naming `$field`, before any request).
macro_rules! integer_id {
    ($(#[$doc:meta])* $name:ident, $field:literal, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let id = i64::deserialize(deserializer)?;
                if id < 0 {
                    return Err(serde::de::Error::custom(format!(
                        concat!("a ", $what, " is never negative, got {}"),
                        id
                    )));
                }
                Ok($name(id))
            }
        }

        impl $name {
            /// The id as the API sends it.
            pub fn get(self) -> i64 {
                self.0
            }

            /// The id to send, or [`Error::InvalidInput`] for a negative one
            /// (the field is public, so one can be built), before any request.
            pub(crate) fn checked(self) -> Result<i64, Error> {
                if self.0 < 0 {
                    return Err(Error::InvalidInput {
                        field: $field,
                        reason: format!(concat!("a ", $what, " is never negative, got {}"), self.0),
                    });
                }
                Ok(self.0)
            }
        }

        impl From<i64> for $name {
            fn from(id: i64) -> Self {
                $name(id)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

integer_id! {
    /// The identifier of a finished run of a dubbing task: what
    /// [`Camb::wait_for_dub`] returns and [`Camb::result`] takes.
    ///
    /// With serde it is the integer, and a negative one is refused when read
    /// back (see [`TaskId`] for persisting ids).
    ///
    /// [`Camb::wait_for_dub`]: crate::Camb::wait_for_dub
    /// [`Camb::result`]: crate::Camb::result
    RunId, "run_id", "run id"
}

integer_id! {
    /// The identifier of one of the account's dictionaries: what
    /// [`Camb::dictionaries`] lists and
    /// [`DubRequest::chosen_dictionaries`] takes.
    ///
    /// With serde it is the integer; a negative one is refused when read back.
    ///
    /// [`Camb::dictionaries`]: crate::Camb::dictionaries
    /// [`DubRequest::chosen_dictionaries`]: crate::DubRequest::chosen_dictionaries
    DictionaryId, "dictionary_id", "dictionary id"
}

integer_id! {
    /// The identifier of a term of a dictionary
    /// ([`DictionaryTerm::id`](crate::DictionaryTerm::id)).
    ///
    /// With serde it is the integer; a negative one is refused when read back.
    TermId, "term_id", "term id"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(id: &str) -> String {
        match TaskId::new(id) {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "task_id");
                reason
            }
            other => panic!("{id:?} should be rejected, got {other:?}"),
        }
    }

    #[test]
    fn ids_survive_serde_and_bad_ones_are_refused_on_the_way_back() {
        let task = TaskId::new("7f3c-task").unwrap();
        let json = serde_json::to_string(&task).unwrap();
        assert_eq!(json, r#""7f3c-task""#);
        assert_eq!(serde_json::from_str::<TaskId>(&json).unwrap(), task);
        for bad in [r#""..""#, r#""a/b""#, r#""""#, "7"] {
            assert!(serde_json::from_str::<TaskId>(bad).is_err(), "{bad}");
        }
        assert_eq!(serde_json::to_string(&RunId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<RunId>("42").unwrap(), RunId(42));
        assert!(serde_json::from_str::<RunId>("-1").is_err());
        assert!(serde_json::from_str::<RunId>(r#""42""#).is_err());
    }

    #[test]
    fn integer_ids_refuse_negatives_on_the_way_out_and_back() {
        assert_eq!(DictionaryId(7).checked().unwrap(), 7);
        match TermId(-2).checked() {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "term_id");
                assert!(
                    reason.contains("term id") && reason.contains("-2"),
                    "{reason}"
                );
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
        assert!(matches!(
            DictionaryId(-1).checked(),
            Err(Error::InvalidInput {
                field: "dictionary_id",
                ..
            })
        ));
        assert_eq!(
            serde_json::from_str::<DictionaryId>("41").unwrap(),
            DictionaryId(41)
        );
        assert!(serde_json::from_str::<TermId>("-1").is_err());
        assert_eq!(i64::from(DictionaryId(41)), 41);
    }

    #[test]
    fn accepts_real_looking_ids() {
        for id in [
            "abc",
            "7f3c2a9e-1b2d-4c5e-8f90-a1b2c3d4e5f6",
            "...",
            "a.b",
            "täsk?#%",
        ] {
            assert_eq!(TaskId::new(id).map(String::from).ok().as_deref(), Some(id));
        }
        let longest = "x".repeat(TaskId::MAX_LEN);
        assert!(TaskId::new(longest).is_ok());
    }

    #[test]
    fn rejects_what_would_change_the_url_or_is_not_an_id() {
        assert!(reason("").contains("empty"));
        assert!(reason(".").contains("another path"));
        assert!(reason("..").contains("another path"));
        assert!(reason("a/b").contains('/'));
        assert!(reason("..\\x").contains('\\'));
        assert!(reason("abc\n").contains("\\n"));
        assert!(reason("a\u{7f}b").contains("control"));
        assert!(reason(" abc").contains("whitespace"));
        assert!(reason(&"x".repeat(TaskId::MAX_LEN + 1)).contains("257 bytes"));
    }
}
