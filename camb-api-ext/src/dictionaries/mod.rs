//! The account's dictionaries: how given terms are translated in a dub
//! ([`DubRequest::chosen_dictionaries`](crate::DubRequest::chosen_dictionaries)).
//! [`Dictionary`] and its [`DictionaryTerm`]s, [`NewDictionary`] (one made
//! from a term file), and the `impl Camb` that lists, reads, fills and
//! deletes them.

mod upload;

use camb_api::types::{
    DictionaryTerm as RawTerm, DictionaryWithTerms, TermTranslationInput,
    TermTranslationsRequestPayload, builder,
};
use chrono::{DateTime, Utc};
use serde_json::Value;
pub use upload::NewDictionary;

use crate::{
    ApiKey, Camb, DictionaryId, Error, Language, Search, TermId, error::built, retry::Resend,
};

/// One of the account's dictionaries, as the API describes it
/// ([`Camb::dictionaries`], [`Camb::dictionary`],
/// [`Camb::dictionary_details`]).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Dictionary {
    /// Its id: what [`DubRequest::chosen_dictionaries`] takes.
    ///
    /// [`DubRequest::chosen_dictionaries`]: crate::DubRequest::chosen_dictionaries
    pub id: DictionaryId,
    /// Its name.
    pub name: String,
    /// Its description, if it has one.
    pub description: Option<String>,
    /// When it was created, if the server said.
    pub created_at: Option<DateTime<Utc>>,
    /// When it was last changed, if the server said.
    pub last_edited_at: Option<DateTime<Utc>>,
    /// Its terms; `None` when the answer left them out (the list may).
    pub terms: Option<Vec<DictionaryTerm>>,
    /// The languages its terms are in; `None` when the answer left them out.
    pub languages: Option<Vec<Language>>,
}

/// A term of a [`Dictionary`]: the same word or phrase in several languages.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DictionaryTerm {
    /// Its id, for [`Camb::update_dictionary_term`] and
    /// [`Camb::delete_dictionary_term`].
    pub id: TermId,
    /// The term in each of its languages.
    pub translations: Vec<TermTranslation>,
}

/// A term in one language: what a [`DictionaryTerm`] holds, and what
/// [`Camb::add_dictionary_term`] and [`Camb::update_dictionary_term`] send.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TermTranslation {
    /// The language.
    pub language: Language,
    /// The term's text in it.
    pub text: String,
}

impl TermTranslation {
    /// `text` as the term in `language`.
    pub fn new(language: Language, text: impl Into<String>) -> Self {
        TermTranslation {
            language,
            text: text.into(),
        }
    }
}

impl Dictionary {
    /// Reads the server's dictionary; a language id no [`Language`] can be
    /// is an [`Error::UnusableResponse`].
    fn from_raw(raw: DictionaryWithTerms, key: &ApiKey) -> Result<Self, Error> {
        let unusable = |what: String| Error::unusable(what, &raw, key);
        let terms = match &raw.dictionary_terms {
            None => None,
            Some(terms) => Some(
                terms
                    .iter()
                    .map(DictionaryTerm::from_raw)
                    .collect::<Result<Vec<_>, i64>>()
                    .map_err(|id| unusable(format!("a term is in the language id {id}")))?,
            ),
        };
        let languages = match &raw.languages {
            None => None,
            Some(ids) => Some(
                ids.iter()
                    .map(|id| Language::from_wire(*id).ok_or(*id))
                    .collect::<Result<Vec<_>, i64>>()
                    .map_err(|id| unusable(format!("the dictionary lists the language id {id}")))?,
            ),
        };
        Ok(Dictionary {
            id: DictionaryId(raw.id),
            name: raw.name,
            description: raw.description,
            created_at: raw.created_at,
            last_edited_at: raw.last_edited_at,
            terms,
            languages,
        })
    }
}

impl DictionaryTerm {
    /// The term, or the language id no [`Language`] can be.
    fn from_raw(raw: &RawTerm) -> Result<Self, i64> {
        let translations = raw
            .term_translations
            .iter()
            .map(|translation| {
                Ok(TermTranslation {
                    language: Language::from_wire(translation.language)
                        .ok_or(translation.language)?,
                    text: translation.term_text.clone(),
                })
            })
            .collect::<Result<_, i64>>()?;
        Ok(DictionaryTerm {
            id: TermId(raw.id),
            translations,
        })
    }
}

/// The body of a new or changed term, checked: at least one translation,
/// none empty, each language once.
fn term_body(translations: &[TermTranslation]) -> Result<TermTranslationsRequestPayload, Error> {
    let invalid = |reason: String| Error::InvalidInput {
        field: "translations",
        reason,
    };
    if translations.is_empty() {
        return Err(invalid("a term needs at least one translation".into()));
    }
    for (i, translation) in translations.iter().enumerate() {
        if translation.text.trim().is_empty() {
            return Err(invalid(format!(
                "the translation into {} is empty",
                translation.language
            )));
        }
        if translations[..i]
            .iter()
            .any(|earlier| earlier.language == translation.language)
        {
            return Err(invalid(format!(
                "{} is given twice; a term has one text per language",
                translation.language
            )));
        }
    }
    // Terms name their language by id (camb-sdk 1.6.6: `language: int`).
    let mut ids = Vec::with_capacity(translations.len());
    for translation in translations {
        match translation.language.id() {
            Some(id) => ids.push(i64::from(id)),
            None => {
                return Err(invalid(format!(
                    "{} is a locale tag this version has no id for; a term's language is an id",
                    translation.language
                )));
            }
        }
    }
    let translations = translations
        .iter()
        .zip(ids)
        .map(|(translation, language)| {
            built::<TermTranslationInput, _>(
                builder::TermTranslationInput::default()
                    .language(language)
                    .translation(translation.text.clone()),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    built(builder::TermTranslationsRequestPayload::default().translations(translations))
}

/// A 404 of a call about `dictionary_id` (and `term_id`), named as such.
fn not_found(dictionary_id: DictionaryId, term_id: Option<TermId>) -> impl Fn(Error) -> Error {
    move |error| match error {
        Error::NotFound { message } => Error::DictionaryNotFound {
            dictionary_id,
            term_id,
            message,
        },
        other => other,
    }
}

impl Camb {
    /// The account's dictionaries (their terms may be left out: ask
    /// [`Camb::dictionary_details`] for those).
    pub async fn dictionaries(&self) -> Result<Vec<Dictionary>, Error> {
        let raw = self
            .call(Resend::Idempotent, || self.raw.get_dictionaries().send())
            .await?;
        raw.into_iter()
            .map(|dictionary| Dictionary::from_raw(dictionary, &self.key))
            .collect()
    }

    /// One dictionary; [`Error::DictionaryNotFound`] when there is none with
    /// this id (deleted, or never made).
    pub async fn dictionary(&self, dictionary_id: DictionaryId) -> Result<Dictionary, Error> {
        let id = dictionary_id.checked()?;
        let raw = self
            .call(Resend::Idempotent, || {
                self.raw.get_dictionary_info().dictionary_id(id).send()
            })
            .await
            .map_err(not_found(dictionary_id, None))?;
        Dictionary::from_raw(raw, &self.key)
    }

    /// One dictionary with its terms: at most [`Search::limit`] of them,
    /// only those matching [`Search::matching`] if set.
    pub async fn dictionary_details(
        &self,
        dictionary_id: DictionaryId,
        terms: &Search,
    ) -> Result<Dictionary, Error> {
        let id = dictionary_id.checked()?;
        let raw = self
            .call(Resend::Idempotent, || {
                let mut call = self.raw.get_dictionary_details().dictionary_id(id);
                if let Some(limit) = terms.limit_value() {
                    call = call.limit(limit);
                }
                if let Some(text) = terms.text() {
                    call = call.search_term(text.to_owned());
                }
                call.send()
            })
            .await
            .map_err(not_found(dictionary_id, None))?;
        Dictionary::from_raw(raw, &self.key)
    }

    /// Adds a term: `translations`, one per language (checked first:
    /// [`Error::InvalidInput`]). Returns the server's answer as it sent it
    /// (CAMB.AI's SDK types it `Any`; an empty answer is `Value::Null`).
    ///
    /// Not idempotent: only resent when the server surely did not act on it,
    /// so a term is never added twice.
    pub async fn add_dictionary_term(
        &self,
        dictionary_id: DictionaryId,
        translations: &[TermTranslation],
    ) -> Result<Value, Error> {
        let id = dictionary_id.checked()?;
        let body = term_body(translations)?;
        self.call(Resend::OnlyIfUnprocessed, || {
            self.raw
                .add_term_to_dictionary()
                .dictionary_id(id)
                .body(body.clone())
                .send()
        })
        .await
        .map_err(not_found(dictionary_id, None))
    }

    /// Replaces a term's translations with `translations` (checked first:
    /// [`Error::InvalidInput`]). Returns the server's answer as it sent it
    /// (`Value::Null` for an empty one).
    pub async fn update_dictionary_term(
        &self,
        dictionary_id: DictionaryId,
        term_id: TermId,
        translations: &[TermTranslation],
    ) -> Result<Value, Error> {
        let id = dictionary_id.checked()?;
        let term = term_id.checked()?;
        let body = term_body(translations)?;
        self.call(Resend::Idempotent, || {
            self.raw
                .update_term_translation_in_dictionary_using_term_id()
                .dictionary_id(id)
                .term_id(term)
                .body(body.clone())
                .send()
        })
        .await
        .map_err(not_found(dictionary_id, Some(term_id)))
    }

    /// Deletes a term. Returns the server's answer as it sent it
    /// (`Value::Null` for an empty one).
    ///
    /// Only resent when the server surely did not act on it: a resent
    /// delete that had worked would answer 404.
    pub async fn delete_dictionary_term(
        &self,
        dictionary_id: DictionaryId,
        term_id: TermId,
    ) -> Result<Value, Error> {
        let id = dictionary_id.checked()?;
        let term = term_id.checked()?;
        self.call(Resend::OnlyIfUnprocessed, || {
            self.raw
                .delete_dictionary_term()
                .dictionary_id(id)
                .term_id(term)
                .send()
        })
        .await
        .map_err(not_found(dictionary_id, Some(term_id)))
    }

    /// Deletes a dictionary; afterwards its id answers
    /// [`Error::DictionaryNotFound`]. Returns the server's answer as it sent
    /// it (`Value::Null` for an empty one); resent only when the server
    /// surely did not act on it.
    pub async fn delete_dictionary(&self, dictionary_id: DictionaryId) -> Result<Value, Error> {
        let id = dictionary_id.checked()?;
        self.call(Resend::OnlyIfUnprocessed, || {
            self.raw.delete_dictionary().dictionary_id(id).send()
        })
        .await
        .map_err(not_found(dictionary_id, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(translations: &[TermTranslation]) -> String {
        match term_body(translations) {
            Err(Error::InvalidInput { field, reason }) => {
                assert_eq!(field, "translations");
                reason
            }
            other => panic!("expected InvalidInput, got {other:?}"),
        }
    }

    #[test]
    fn a_term_body_carries_each_translation_by_language_id() {
        let body = term_body(&[
            TermTranslation::new(Language::EN_US, "CAMB"),
            TermTranslation::new(Language::FR_FR, "CAMB"),
        ])
        .unwrap();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"translations": [
                {"language": 1, "translation": "CAMB"},
                {"language": 76, "translation": "CAMB"},
            ]})
        );
    }

    #[test]
    fn a_term_without_translations_or_with_an_empty_or_repeated_one_is_refused() {
        assert!(reason(&[]).contains("at least one"));
        let empty = reason(&[TermTranslation::new(Language::FR_FR, "  ")]);
        assert!(
            empty.contains("fr-fr") && empty.contains("empty"),
            "{empty}"
        );
        let twice = reason(&[
            TermTranslation::new(Language::FR_FR, "a"),
            TermTranslation::new(Language::FR_FR, "b"),
        ]);
        assert!(
            twice.contains("fr-fr") && twice.contains("twice"),
            "{twice}"
        );
    }

    #[test]
    fn a_dictionary_with_an_impossible_language_id_is_unusable() {
        let key = ApiKey::new("k").unwrap();
        let raw: DictionaryWithTerms = serde_json::from_value(serde_json::json!({
            "id": 3, "name": "Brands", "languages": [1, -4]
        }))
        .unwrap();
        let error = Dictionary::from_raw(raw, &key).unwrap_err();
        assert!(
            matches!(&error, Error::UnusableResponse { reason, .. } if reason.contains("-4")),
            "{error:?}"
        );
    }
}
