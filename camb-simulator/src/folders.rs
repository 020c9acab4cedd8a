//! The simulated Studio folders: listed and created (`/folders...`).
//!
//! Each folder is answered with `team_id` and `name`, as CAMB.AI's SDK
//! documents a `Folder`, and with its `folder_id` as one of the extra fields
//! the SDK allows (it names no id field).

use camb_api::types::{CreateFolderRequestPayload, Folder};
use serde_json::Value;

use crate::reply::Reply;
use crate::route::query_value;
use crate::state::body_error;

/// The team every simulated folder belongs to.
const TEAM_ID: i64 = 1;

/// A folder call, with its raw query parameters (validated when answered).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FolderCall {
    List {
        limit: Option<String>,
        search_query: Option<String>,
    },
    Create,
}

/// The call a request makes, `Some(Err(allow))` for a folder path with the
/// wrong method, `None` for any other path.
pub(crate) fn parse(
    method: &str,
    path: &str,
    query: Option<&str>,
) -> Option<Result<FolderCall, &'static str>> {
    let (call, allowed) = match path {
        "/folders" => (
            FolderCall::List {
                limit: query.and_then(|query| query_value(query, "limit")),
                search_query: query.and_then(|query| query_value(query, "search_query")),
            },
            "GET",
        ),
        "/folders/create" => (FolderCall::Create, "POST"),
        _ => return None,
    };
    Some(if method == allowed {
        Ok(call)
    } else {
        Err(allowed)
    })
}

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
            } => self.list(limit, search_query),
            FolderCall::Create => {
                let request: CreateFolderRequestPayload = match serde_json::from_slice(body) {
                    Ok(request) => request,
                    Err(error) => return body_error(&error),
                };
                self.names.push(request.folder_name);
                let index = self.names.len() - 1;
                Reply::typed(200, &self.folder(index))
            }
        }
    }

    fn list(&self, limit: Option<String>, search_query: Option<String>) -> Reply {
        let limit = match limit.map(|raw| raw.parse::<i64>()) {
            None => usize::MAX,
            // A negative limit asks for none.
            Some(Ok(limit)) => usize::try_from(limit).unwrap_or(0),
            Some(Err(_)) => {
                return Reply::validation_error(
                    ["query", "limit"],
                    "Input should be a valid integer, unable to parse string as an integer",
                    "int_parsing",
                );
            }
        };
        let search = search_query.map(|text| text.to_lowercase());
        let folders: Vec<Folder> = self
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
        Reply::typed(200, &folders)
    }

    /// The folder made `index`-th, as the API answers it.
    fn folder(&self, index: usize) -> Folder {
        Folder {
            team_id: TEAM_ID,
            name: self.names[index].clone(),
            extra: [("folder_id".to_owned(), Value::from(index + 1))]
                .into_iter()
                .collect(),
        }
    }
}
