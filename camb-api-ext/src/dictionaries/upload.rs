//! [`NewDictionary`]: a dictionary made from a term file
//! ([`Camb::create_dictionary`]), sent as a multipart form.

use std::path::{Path, PathBuf};

use crate::error::built;
use camb_api::multipart::FilePart;
use camb_api::types::BodyCreateDictionaryFromFileDictionariesCreateFromFilePost as Fields;
use serde_json::Value;

use crate::{
    Camb, Error,
    retry::{self, Resend},
};

/// A dictionary to make from a term file, for [`Camb::create_dictionary`].
///
/// The file is read from disk as the request is sent (streamed, never held
/// whole in memory), or given as bytes. Its format is CAMB.AI's: the SDK
/// sends the file as it is (camb-sdk 1.6.6:
/// `camb/dictionaries/raw_client.py`, create_dictionary_from_file).
///
/// ```no_run
/// # async fn example(camb: camb_api_ext::Camb) -> Result<(), camb_api_ext::Error> {
/// use camb_api_ext::NewDictionary;
///
/// let brands = NewDictionary::from_path("Brands", "brands.csv").description("Names we keep");
/// let answer = camb.create_dictionary(&brands).await?;
/// # let _ = answer; Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewDictionary {
    name: String,
    description: Option<String>,
    file: TermFile,
}

/// Where the term file comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum TermFile {
    /// A file on disk, opened anew for each attempt.
    Path(PathBuf),
    /// The file's bytes, with the name it is sent under.
    Bytes { file_name: String, bytes: Vec<u8> },
}

impl NewDictionary {
    /// A dictionary named `name`, from the term file at `path` (sent under
    /// its file name, with a content type guessed from its extension).
    pub fn from_path(name: impl Into<String>, path: impl AsRef<Path>) -> Self {
        NewDictionary {
            name: name.into(),
            description: None,
            file: TermFile::Path(path.as_ref().to_owned()),
        }
    }

    /// A dictionary named `name`, from a term file's `bytes`, sent as the
    /// file `file_name`.
    pub fn from_bytes(
        name: impl Into<String>,
        file_name: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        NewDictionary {
            name: name.into(),
            description: None,
            file: TermFile::Bytes {
                file_name: file_name.into(),
                bytes: bytes.into(),
            },
        }
    }

    /// What the dictionary is for.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Fails before any request on what the server cannot take: no name, an
    /// empty file given as bytes.
    fn check(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(Error::InvalidInput {
                field: "dictionary_name",
                reason: "a dictionary needs a name".into(),
            });
        }
        if let TermFile::Bytes { file_name, bytes } = &self.file {
            let problem = if bytes.is_empty() {
                Some("the term file is empty")
            } else if file_name.trim().is_empty() {
                Some("the term file needs a file name")
            } else {
                None
            };
            if let Some(reason) = problem {
                return Err(Error::InvalidInput {
                    field: "dictionary_file",
                    reason: reason.into(),
                });
            }
        }
        Ok(())
    }

    /// The form's text fields.
    fn fields(&self) -> Result<Fields, Error> {
        built(
            camb_api::types::builder::BodyCreateDictionaryFromFileDictionariesCreateFromFilePost::default()
                .dictionary_name(self.name.clone())
                .dictionary_description(self.description.clone()),
        )
    }

    /// The file part, made anew for each attempt (a streamed file cannot be
    /// sent twice); a file that cannot be opened is [`Error::ReadFile`].
    async fn file_part(&self) -> Result<FilePart, Error> {
        match &self.file {
            TermFile::Path(path) => crate::file_part(path).await,
            TermFile::Bytes { file_name, bytes } => {
                Ok(FilePart::bytes(bytes.clone(), file_name.clone()))
            }
        }
    }
}

impl Camb {
    /// Makes a dictionary from a term file (`POST
    /// /dictionaries/create-from-file`, a multipart form). The request is
    /// checked first ([`Error::InvalidInput`]; a file that cannot be opened
    /// is [`Error::ReadFile`], with nothing sent). Returns the server's
    /// answer as it sent it (CAMB.AI's SDK types it `Any`; an empty answer
    /// is `Value::Null`); [`Camb::dictionaries`] lists the new dictionary.
    ///
    /// Not idempotent: only resent when the server surely did not act on it,
    /// so a dictionary is never made twice.
    pub async fn create_dictionary(&self, dictionary: &NewDictionary) -> Result<Value, Error> {
        dictionary.check()?;
        let fields = dictionary.fields()?;
        retry::run(&self.retry, Resend::OnlyIfUnprocessed, None, || async {
            let part = dictionary.file_part().await?;
            self.send(
                self.raw
                    .create_dictionary_from_file()
                    .body(fields.clone())
                    .dictionary_file(part)
                    .send(),
            )
            .await
        })
        .await
        .map(|answer| answer.into_inner().0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dictionary_without_a_name_or_with_an_empty_file_is_refused() {
        let field = |dictionary: NewDictionary| match dictionary.check() {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected InvalidInput, got {other:?}"),
        };
        assert_eq!(
            field(NewDictionary::from_bytes(
                " ",
                "t.csv",
                b"en-us\nx".to_vec()
            )),
            "dictionary_name"
        );
        assert_eq!(
            field(NewDictionary::from_bytes("Brands", "t.csv", Vec::new())),
            "dictionary_file"
        );
        assert_eq!(
            field(NewDictionary::from_bytes("Brands", "", b"x".to_vec())),
            "dictionary_file"
        );
        assert!(
            NewDictionary::from_path("Brands", "brands.csv")
                .check()
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_missing_file_is_a_read_error_naming_it() {
        let missing = NewDictionary::from_path("Brands", "/nonexistent/camb/brands.csv");
        match missing.file_part().await {
            Err(Error::ReadFile { path, source }) => {
                assert_eq!(path, Path::new("/nonexistent/camb/brands.csv"));
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected ReadFile, got {other:?}"),
        }
    }
}
