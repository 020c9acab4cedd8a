//! The simulated dictionaries: made from a term file, listed, read with
//! their terms, filled, emptied and deleted (`/dictionaries...`), and the
//! ids `POST /dub` accepts in `chosen_dictionaries`.
//!
//! A term file, as this simulator reads it, is CSV text without quoting: a
//! first row of languages (ids or locale tags, any case), then one term per
//! row, its text in each language by column (an empty cell: none).

use std::collections::BTreeMap;

use camb_api::types::{DictionaryTerm, TermTranslationOutput, builder};
use camb_api_ext::Language;
use serde_json::{Value, json};

use crate::check::Checked;
use crate::http::Form;
use crate::reply::{Reply, built, encode};
use crate::validate::Problems;

/// When every simulated dictionary was made and last changed: a fixed
/// instant keeps answers reproducible.
const TIMESTAMP: &str = "2026-01-01T00:00:00Z";

/// A dictionary call (its path, query and body are read from the checked
/// request).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DictionaryCall {
    List,
    CreateFromFile,
    Info,
    Delete,
    Details,
    AddTerm,
    UpdateTerm,
    DeleteTerm,
}

/// One simulated dictionary.
#[derive(Debug)]
struct Dictionary {
    name: String,
    description: Option<String>,
    /// Its terms by id: each term's text by language id.
    terms: BTreeMap<i64, Vec<(i64, String)>>,
}

/// Every dictionary of the simulated account.
#[derive(Debug, Default)]
pub(crate) struct Dictionaries {
    by_id: BTreeMap<i64, Dictionary>,
    /// How many dictionaries and terms were ever made (ids are never reused).
    made: i64,
    terms_made: i64,
}

impl Dictionaries {
    /// Answers one dictionary call, checked against the spec (`form`: the
    /// request's form, for the term file's bytes); then ids are looked up.
    pub(crate) fn respond(
        &mut self,
        call: DictionaryCall,
        checked: &Checked,
        form: Option<&Form>,
    ) -> Reply {
        match self.answer(call, checked, form) {
            Ok(body) => Reply::json(200, &body),
            Err(reply) => reply,
        }
    }

    fn answer(
        &mut self,
        call: DictionaryCall,
        checked: &Checked,
        form: Option<&Form>,
    ) -> Result<Value, Reply> {
        if call == DictionaryCall::CreateFromFile {
            let file = form.and_then(|form| form.file("dictionary_file"));
            return self.create(&checked.body, file.map_or(&[][..], |(_, bytes)| bytes));
        }
        // Valid ids too big for an `i64` name no dictionary or term.
        let has_id = checked.path.contains_key("dictionary_id");
        let id = has_id
            .then(|| checked.path_int("dictionary_id").ok_or_else(no_dictionary))
            .transpose()?;
        let term_id = checked
            .path
            .contains_key("term_id")
            .then(|| checked.path_int("term_id").ok_or_else(no_term))
            .transpose()?;
        let request = Some(&checked.body).filter(|body| !body.is_null());
        match (call, id) {
            (DictionaryCall::List, _) => self
                .by_id
                .iter()
                .map(|(id, dictionary)| dictionary.to_json(*id, None))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            (DictionaryCall::Info, Some(id)) => self.find(id)?.to_json(id, Some(&Terms::all())),
            (DictionaryCall::Details, Some(id)) => {
                let terms = Terms::new(checked.query("limit"), checked.query_text("search_term"));
                self.find(id)?.to_json(id, Some(&terms))
            }
            (DictionaryCall::Delete, Some(id)) => {
                self.find(id)?;
                self.by_id.remove(&id);
                Ok(json!({ "message": format!("Dictionary {id} deleted") }))
            }
            (DictionaryCall::AddTerm, Some(id)) => {
                let translations = term_translations(request);
                self.find(id)?;
                self.terms_made += 1;
                let term_id = self.terms_made;
                let answer = term_json(term_id, &translations)?;
                if let Some(dictionary) = self.by_id.get_mut(&id) {
                    dictionary.terms.insert(term_id, translations);
                }
                Ok(answer)
            }
            (DictionaryCall::UpdateTerm, Some(id)) => {
                let translations = term_translations(request);
                let term_id = self.term(id, term_id)?;
                let answer = term_json(term_id, &translations)?;
                if let Some(dictionary) = self.by_id.get_mut(&id) {
                    dictionary.terms.insert(term_id, translations);
                }
                Ok(answer)
            }
            (DictionaryCall::DeleteTerm, Some(id)) => {
                let term_id = self.term(id, term_id)?;
                if let Some(dictionary) = self.by_id.get_mut(&id) {
                    dictionary.terms.remove(&term_id);
                }
                Ok(json!({ "message": format!("Term {term_id} deleted") }))
            }
            // Every call with a dictionary id in its path has one by now.
            (_, _) => Err(no_dictionary()),
        }
    }

    /// Whether a dictionary has this id (a `chosen_dictionaries` id that
    /// names none is a `404` of `POST /dub`).
    pub(crate) fn has(&self, id: i64) -> bool {
        self.by_id.contains_key(&id)
    }

    /// The dictionary with this id (`404` when there is none).
    fn find(&self, id: i64) -> Result<&Dictionary, Reply> {
        self.by_id.get(&id).ok_or_else(no_dictionary)
    }

    /// The id of a term of this dictionary (`404` when either is missing).
    fn term(&self, id: i64, term_id: Option<i64>) -> Result<i64, Reply> {
        let dictionary = self.find(id)?;
        term_id
            .filter(|term_id| dictionary.terms.contains_key(term_id))
            .ok_or_else(no_term)
    }

    /// Makes a dictionary from a checked `create-from-file` form.
    fn create(&mut self, fields: &Value, file: &[u8]) -> Result<Value, Reply> {
        let text = |name: &str| fields[name].as_str().map(str::to_owned);
        let rows = read_term_file(file)?;
        self.made += 1;
        let id = self.made;
        let mut dictionary = Dictionary {
            name: text("dictionary_name").unwrap_or_default(),
            description: text("dictionary_description"),
            terms: BTreeMap::new(),
        };
        for row in rows {
            self.terms_made += 1;
            dictionary.terms.insert(self.terms_made, row);
        }
        let answer = dictionary.to_json(id, Some(&Terms::all()))?;
        self.by_id.insert(id, dictionary);
        Ok(answer)
    }
}

/// The `404` for a dictionary id that names none.
fn no_dictionary() -> Reply {
    Reply::detail(404, "Dictionary not found")
}

/// The `404` for a term id that names none of the dictionary's.
fn no_term() -> Reply {
    Reply::detail(404, "Term not found")
}

/// How many items a checked `limit` query asks for: a negative limit asks
/// for none, one past `i64` (either sign) for all.
pub(crate) fn query_limit(limit: &Value) -> usize {
    limit
        .as_i64()
        .map_or(usize::MAX, |limit| usize::try_from(limit).unwrap_or(0))
}

/// Which terms an answer holds: at most `limit`, those matching `search`.
struct Terms {
    limit: Option<usize>,
    search: Option<String>,
}

impl Terms {
    fn all() -> Self {
        Terms {
            limit: None,
            search: None,
        }
    }

    /// The terms the checked query of `full-details` asks for.
    fn new(limit: Option<&Value>, search: Option<&str>) -> Self {
        Terms {
            limit: limit.map(query_limit),
            search: search.map(str::to_lowercase),
        }
    }
}

impl Dictionary {
    /// The dictionary as `DictionaryWithTerms`, with the `terms` asked for
    /// (none: the list's form, without `dictionary_terms`).
    fn to_json(&self, id: i64, terms: Option<&Terms>) -> Result<Value, Reply> {
        let mut languages: Vec<i64> = self
            .terms
            .values()
            .flatten()
            .map(|(language, _)| *language)
            .collect();
        languages.sort_unstable();
        languages.dedup();
        let mut answer = json!({
            "id": id,
            "name": self.name,
            "description": self.description,
            "created_at": TIMESTAMP,
            "last_edited_at": TIMESTAMP,
            "languages": languages,
        });
        if let Some(terms) = terms {
            let matching = self
                .terms
                .iter()
                .filter(|(_, texts)| {
                    terms.search.as_ref().is_none_or(|search| {
                        texts
                            .iter()
                            .any(|(_, text)| text.to_lowercase().contains(search))
                    })
                })
                .take(terms.limit.unwrap_or(usize::MAX))
                .map(|(term_id, texts)| term_json(*term_id, texts))
                .collect::<Result<_, _>>()?;
            answer["dictionary_terms"] = Value::Array(matching);
        }
        Ok(answer)
    }
}

/// A term as `DictionaryTerm`.
fn term_json(term_id: i64, texts: &[(i64, String)]) -> Result<Value, Reply> {
    let term_translations = texts
        .iter()
        .map(|(language, text)| {
            built::<TermTranslationOutput, _>(
                builder::TermTranslationOutput::default()
                    .language(*language)
                    .term_text(text.clone()),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    encode(&built::<DictionaryTerm, _>(
        builder::DictionaryTerm::default()
            .id(term_id)
            .term_translations(term_translations),
    )?)
}

/// The translations of a checked `add-term` or update body, as (language,
/// text) pairs.
fn term_translations(body: Option<&Value>) -> Vec<(i64, String)> {
    // Checked: each `language` is an integer (one past `i64` names none).
    body.and_then(|body| body["translations"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|translation| {
            let language = translation["language"].as_i64()?;
            let text = translation["translation"].as_str()?;
            Some((language, text.to_owned()))
        })
        .collect()
}

/// A `422` for a term file this simulator cannot read.
fn bad_term_file(message: &str) -> Reply {
    let mut problems = Problems::default();
    let loc = ["body".into(), "dictionary_file".into()];
    problems.push(
        "value_error",
        &loc,
        &format!("Value error, {message}"),
        &Value::Null,
    );
    Reply::validation(problems)
}

/// The terms of a term file (see the module docs), each as (language,
/// text) pairs.
fn read_term_file(file: &[u8]) -> Result<Vec<Vec<(i64, String)>>, Reply> {
    let text =
        std::str::from_utf8(file).map_err(|_| bad_term_file("The term file is not UTF-8 text"))?;
    let mut lines = text.lines().filter(|line| !line.trim().is_empty());
    let header = lines
        .next()
        .ok_or_else(|| bad_term_file("The term file is empty"))?;
    let languages = header
        .split(',')
        .map(|cell| {
            cell.trim()
                .parse::<Language>()
                .ok()
                .and_then(|language| language.id().map(i64::from))
                .ok_or(())
                .map_err(|_| {
                    bad_term_file(&format!(
                        "The term file's first row names no language in `{}`",
                        cell.trim()
                    ))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(lines
        .map(|line| {
            languages
                .iter()
                .zip(line.split(','))
                .filter(|(_, cell)| !cell.trim().is_empty())
                .map(|(language, cell)| (*language, cell.trim().to_owned()))
                .collect::<Vec<_>>()
        })
        .filter(|row| !row.is_empty())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_form_gives_its_text_fields_and_its_file() {
        let body =
            b"--XyZ\r\nContent-Disposition: form-data; name=\"dictionary_name\"\r\n\r\nBrands\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"dictionary_file\"; filename=\"terms.csv\"\r\n\
Content-Type: text/csv\r\n\r\nen-us,fr-fr\r\nCAMB,CAMB\r\n\r\n--XyZ--\r\n";
        let body = axum::body::Bytes::from_static(body);
        let form = Form::parse(body.clone(), Some("multipart/form-data; boundary=XyZ"))
            .await
            .unwrap();
        assert_eq!(form.text("dictionary_name").as_deref(), Some("Brands"));
        assert_eq!(
            form.text("dictionary_file"),
            None,
            "a file is not a text field"
        );
        let (_, file) = form.file("dictionary_file").unwrap();
        assert_eq!(file, b"en-us,fr-fr\r\nCAMB,CAMB\r\n");
        assert_eq!(
            read_term_file(file).unwrap(),
            [vec![(1, "CAMB".to_owned()), (76, "CAMB".to_owned())]]
        );
        assert!(Form::parse(body, Some("application/json")).await.is_none());
    }

    #[test]
    fn a_term_file_without_languages_is_refused() {
        assert!(read_term_file(b"").is_err());
        assert!(read_term_file(b"klingon,fr-fr\nQapla,Succes").is_err());
        assert_eq!(
            read_term_file(b"1,FR-fr\n,Bonjour\n\n").unwrap(),
            [vec![(76, "Bonjour".to_owned())]]
        );
    }
}
