//! The simulated Studio folders: listed and created (`/folders...`).
//!
//! Each folder is answered with `team_id` and `name`, as CAMB.AI's SDK
//! documents a `Folder`, and with its `folder_id` as one of the extra fields
//! the SDK allows (it names no id field).

use camb_api::types::{Folder, builder};
use serde_json::Value;

use crate::reply::{Reply, built};
use crate::validate::{self, Field, Kind, Problems};

/// The team every simulated folder belongs to.
const TEAM_ID: i64 = 1;

/// A folder call, with its raw query parameters (validated when answered).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FolderCall {
    List {
        limit: Option<String>,
        search_query: Option<String>,
        run_id: Option<String>,
    },
    Create {
        run_id: Option<String>,
    },
}

/// The body of `POST /folders/create`.
const CREATE_BODY: &[Field] = &[Field::required("folder_name", Kind::Str)];

/// Every folder of the simulated account, by name, in the order made.
#[derive(Debug, Default)]
pub(crate) struct Folders {
    names: Vec<String>,
}

impl Folders {
    /// Answers one folder call.
    pub(crate) fn respond(&mut self, call: FolderCall, body: &[u8]) -> Reply {
        match call {
            FolderCall::List {
                limit,
                search_query,
                run_id,
            } => self.list(limit.as_deref(), search_query, run_id.as_deref()),
            FolderCall::Create { run_id } => {
                let mut problems = Problems::default();
                validate::int_query(&mut problems, run_id.as_deref(), "run_id");
                let request = match validate::body(problems, body, CREATE_BODY) {
                    Ok(request) => request,
                    Err(problems) => return Reply::validation(problems),
                };
                let name = request["folder_name"].as_str().unwrap_or_default();
                self.names.push(name.to_owned());
                let index = self.names.len() - 1;
                match self.folder(index) {
                    Ok(folder) => Reply::typed(200, &folder),
                    Err(reply) => reply,
                }
            }
        }
    }

    fn list(
        &self,
        limit: Option<&str>,
        search_query: Option<String>,
        run_id: Option<&str>,
    ) -> Reply {
        let mut problems = Problems::default();
        let limit = validate::int_query(&mut problems, limit, "limit");
        validate::int_query(&mut problems, run_id, "run_id");
        if !problems.is_empty() {
            return Reply::validation(problems);
        }
        let limit = match limit {
            None => usize::MAX,
            // A negative limit asks for none; one past `i64` (either sign) for all.
            Some(limit) => limit
                .fits()
                .map_or(usize::MAX, |limit| usize::try_from(limit).unwrap_or(0)),
        };
        let search = search_query.map(|text| text.to_lowercase());
        let folders: Result<Vec<Folder>, Reply> = self
            .names
            .iter()
            .enumerate()
            .filter(|(_, name)| {
                search
                    .as_ref()
                    .is_none_or(|search| name.to_lowercase().contains(search))
            })
            .take(limit)
            .map(|(index, _)| self.folder(index))
            .collect();
        match folders {
            Ok(folders) => Reply::typed(200, &folders),
            Err(reply) => reply,
        }
    }

    /// The folder made `index`-th, as the API answers it.
    fn folder(&self, index: usize) -> Result<Folder, Reply> {
        built(
            builder::Folder::default()
                .team_id(TEAM_ID)
                .name(self.names[index].clone())
                .extra(
                    [("folder_id".to_owned(), Value::from(index + 1))]
                        .into_iter()
                        .collect::<serde_json::Map<_, _>>(),
                ),
        )
    }
}
