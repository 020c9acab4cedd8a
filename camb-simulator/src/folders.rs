//! The simulated Studio folders: listed and created (`/folders...`).
//!
//! Each folder is answered with `team_id` and `name`, as CAMB.AI's SDK
//! documents a `Folder`, and with its `folder_id` as one of the extra fields
//! the SDK allows (it names no id field).

use camb_api::types::{Folder, builder};
use serde_json::Value;

use crate::check::Checked;
use crate::dictionaries::query_limit;
use crate::reply::{Reply, built};

/// The team every simulated folder belongs to.
const TEAM_ID: i64 = 1;

/// A folder call (its query and body are read from the checked request).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FolderCall {
    List,
    Create,
}

/// Every folder of the simulated account, by name, in the order made.
#[derive(Debug, Default)]
pub(crate) struct Folders {
    names: Vec<String>,
}

impl Folders {
    /// Answers one folder call, checked against the spec.
    pub(crate) fn respond(&mut self, call: FolderCall, checked: &Checked) -> Reply {
        match call {
            FolderCall::List => self.list(checked),
            FolderCall::Create => {
                let name = checked.body["folder_name"].as_str().unwrap_or_default();
                self.names.push(name.to_owned());
                let index = self.names.len() - 1;
                match self.folder(index) {
                    Ok(folder) => Reply::typed(200, &folder),
                    Err(reply) => reply,
                }
            }
        }
    }

    fn list(&self, checked: &Checked) -> Reply {
        let limit = checked.query("limit").map_or(usize::MAX, query_limit);
        let search = checked.query_text("search_query").map(str::to_lowercase);
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
