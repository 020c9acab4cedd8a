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

use crate::http::{Form, query_value};
use crate::reply::{Reply, built, encode};
use crate::validate::{self, Field, IntText, Kind, Problems};

/// When every simulated dictionary was made and last changed: a fixed
/// instant keeps answers reproducible.
const TIMESTAMP: &str = "2026-01-01T00:00:00Z";

/// A dictionary call, with its raw path and query parameters (validated
/// when answered, like FastAPI).
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum DictionaryCall {
    List,
    CreateFromFile,
    Info {
        dictionary_id: String,
    },
    Delete {
        dictionary_id: String,
    },
    Details {
        dictionary_id: String,
        limit: Option<String>,
        search_term: Option<String>,
    },
    AddTerm {
        dictionary_id: String,
    },
    UpdateTerm {
        dictionary_id: String,
        term_id: String,
    },
    DeleteTerm {
        dictionary_id: String,
        term_id: String,
    },
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
    /// Answers one dictionary call; `query`, `body` and `form` are the
    /// request's. Like FastAPI, the path's ids, then the query (every
    /// call takes an optional integer `run_id`), then the body are checked
    /// and every problem is answered at once; only then are ids looked up.
    pub(crate) fn respond(
        &mut self,
        call: DictionaryCall,
        query: Option<&str>,
        body: &[u8],
        form: Option<&Form>,
    ) -> Reply {
        match self.answer(call, query, body, form) {
            Ok(body) => Reply::json(200, &body),
            Err(reply) => reply,
        }
    }

    fn answer(
        &mut self,
        call: DictionaryCall,
        query: Option<&str>,
        body: &[u8],
        form: Option<&Form>,
    ) -> Result<Value, Reply> {
        let run_id = query.and_then(|query| query_value(query, "run_id"));
        let mut problems = Problems::default();
        let (dictionary_id, term_id) = match &call {
            DictionaryCall::List | DictionaryCall::CreateFromFile => (None, None),
            DictionaryCall::Info { dictionary_id }
            | DictionaryCall::Delete { dictionary_id }
            | DictionaryCall::Details { dictionary_id, .. }
            | DictionaryCall::AddTerm { dictionary_id } => (Some(dictionary_id), None),
            DictionaryCall::UpdateTerm {
                dictionary_id,
                term_id,
            }
            | DictionaryCall::DeleteTerm {
                dictionary_id,
                term_id,
            } => (Some(dictionary_id), Some(term_id)),
        };
        let dictionary_id = dictionary_id
            .map(|raw| validate::int_text(&mut problems, raw, ["path", "dictionary_id"]));
        let term_id =
            term_id.map(|raw| validate::int_text(&mut problems, raw, ["path", "term_id"]));
        let limit = match &call {
            DictionaryCall::Details { limit, .. } => {
                validate::int_query(&mut problems, limit.as_deref(), "limit")
            }
            _ => None,
        };
        validate::int_query(&mut problems, run_id.as_deref(), "run_id");
        let checked = match &call {
            DictionaryCall::AddTerm { .. } | DictionaryCall::UpdateTerm { .. } => {
                validate::body(problems, body, TERM_BODY).map(Some)
            }
            DictionaryCall::CreateFromFile => {
                return validate::form(problems, form, CREATE_FORM)
                    .map_err(Reply::validation)
                    .and_then(|fields| {
                        let file = form.and_then(|form| form.file("dictionary_file"));
                        self.create(&fields, file.map_or(&[][..], |(_, bytes)| bytes))
                    });
            }
            _ if problems.is_empty() => Ok(None),
            _ => Err(problems),
        };
        let request = checked.map_err(Reply::validation)?;
        // Valid ids too big for an `i64` name no dictionary or term.
        let id = dictionary_id
            .flatten()
            .map(|id| id.fits().ok_or_else(no_dictionary));
        let term_id = term_id.flatten().map(|id| id.fits().ok_or_else(no_term));
        let (id, term_id) = (id.transpose()?, term_id.transpose()?);
        match (call, id) {
            (DictionaryCall::List, _) => self
                .by_id
                .iter()
                .map(|(id, dictionary)| dictionary.to_json(*id, None))
                .collect::<Result<_, _>>()
                .map(Value::Array),
            (DictionaryCall::Info { .. }, Some(id)) => {
                self.find(id)?.to_json(id, Some(&Terms::all()))
            }
            (DictionaryCall::Details { search_term, .. }, Some(id)) => {
                let terms = Terms::new(limit, search_term);
                self.find(id)?.to_json(id, Some(&terms))
            }
            (DictionaryCall::Delete { .. }, Some(id)) => {
                self.find(id)?;
                self.by_id.remove(&id);
                Ok(json!({ "message": format!("Dictionary {id} deleted") }))
            }
            (DictionaryCall::AddTerm { .. }, Some(id)) => {
                let translations = term_translations(request.as_ref());
                self.find(id)?;
                self.terms_made += 1;
                let term_id = self.terms_made;
                let answer = term_json(term_id, &translations)?;
                if let Some(dictionary) = self.by_id.get_mut(&id) {
                    dictionary.terms.insert(term_id, translations);
                }
                Ok(answer)
            }
            (DictionaryCall::UpdateTerm { .. }, Some(id)) => {
                let translations = term_translations(request.as_ref());
                let term_id = self.term(id, term_id)?;
                let answer = term_json(term_id, &translations)?;
                if let Some(dictionary) = self.by_id.get_mut(&id) {
                    dictionary.terms.insert(term_id, translations);
                }
                Ok(answer)
            }
            (DictionaryCall::DeleteTerm { .. }, Some(id)) => {
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

    /// The `404` for a `chosen_dictionaries` id that names no dictionary
    /// (never made, or deleted), if any does.
    pub(crate) fn unknown_among(&self, chosen: &[i64]) -> Option<Reply> {
        let unknown = chosen.iter().find(|id| !self.by_id.contains_key(id))?;
        Some(Reply::detail(
            404,
            &format!("Dictionary {unknown} not found"),
        ))
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
    fn create(
        &mut self,
        fields: &serde_json::Map<String, Value>,
        file: &[u8],
    ) -> Result<Value, Reply> {
        let text = |name: &str| fields.get(name).and_then(Value::as_str).map(str::to_owned);
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

/// The form of `POST /dictionaries/create-from-file`, in the SDK's order
/// (`camb/dictionaries/raw_client.py`).
const CREATE_FORM: &[Field] = &[
    Field::required("dictionary_name", Kind::Str),
    Field::optional("dictionary_description", Kind::Str),
    Field::required("dictionary_file", Kind::File),
];

/// One translation of a term (`TermTranslationInput`).
const TRANSLATION: &[Field] = &[
    Field::required("translation", Kind::Str),
    Field::required("language", Kind::Int),
];

/// The body of `add-term` and of a term's update
/// (`TermTranslationsRequestPayload`).
const TERM_BODY: &[Field] = &[Field::required(
    "translations",
    Kind::List(&Kind::Model(TRANSLATION)),
)];

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
    fn new(limit: Option<IntText>, search: Option<String>) -> Self {
        Terms {
            // A negative limit asks for none; one past `i64` (either sign), all.
            limit: limit
                .and_then(IntText::fits)
                .map(|limit| usize::try_from(limit).unwrap_or(0)),
            search: search.map(|text| text.to_lowercase()),
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
    body.and_then(|body| body["translations"].as_array())
        .into_iter()
        .flatten()
        .filter_map(|translation| {
            let language = validate::whole_number(&translation["language"])?;
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
