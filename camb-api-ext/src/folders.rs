//! The account's Studio folders ([`Folder`]): where
//! [`DubRequest::folder_id`](crate::DubRequest::folder_id) puts a project.

use camb_api::types::CreateFolderRequestPayload;
use serde_json::{Map, Value};

use crate::{Camb, Error, Search, error::built, retry::Resend};

/// One of the account's folders, as [`Camb::folders`] lists it.
///
/// CAMB.AI's SDK documents `team_id` and `name` and allows more fields
/// (camb-sdk 1.6.6: `camb/types/folder.py`), but names no id field: the
/// folder's id, when the server sends one, is among [`Folder::extra`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Folder {
    /// The team the folder belongs to.
    pub team_id: i64,
    /// Its name.
    pub name: String,
    /// Every other field the server sent, as it sent it.
    pub extra: Map<String, Value>,
}

impl From<camb_api::types::Folder> for Folder {
    fn from(raw: camb_api::types::Folder) -> Self {
        Folder {
            team_id: raw.team_id,
            name: raw.name,
            extra: raw.extra,
        }
    }
}

impl Camb {
    /// The account's folders: at most [`Search::limit`] of them, only those
    /// matching [`Search::matching`] if set.
    pub async fn folders(&self, search: &Search) -> Result<Vec<Folder>, Error> {
        let raw = self
            .call(Resend::Idempotent, || {
                let mut call = self.raw.list_folders();
                if let Some(limit) = search.limit_value() {
                    call = call.limit(limit);
                }
                if let Some(text) = search.text() {
                    call = call.search_query(text.to_owned());
                }
                call.send()
            })
            .await?;
        Ok(raw.into_iter().map(Folder::from).collect())
    }

    /// Creates a folder named `name` (not empty: [`Error::InvalidInput`]
    /// before any request). Returns the server's answer as it sent it
    /// (CAMB.AI's SDK types it `Any`; an empty answer is `Value::Null`).
    ///
    /// Not idempotent: only resent when the server surely did not act on it.
    pub async fn create_folder(&self, name: &str) -> Result<Value, Error> {
        if name.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "folder_name",
                reason: "a folder needs a name".into(),
            });
        }
        let body: CreateFolderRequestPayload = built(
            camb_api::types::builder::CreateFolderRequestPayload::default()
                .folder_name(name.to_owned()),
        )?;
        self.call(Resend::OnlyIfUnprocessed, || {
            self.raw.create_folder().body(body.clone()).send()
        })
        .await
    }
}
