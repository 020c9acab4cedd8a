//! [`SourceLanguage`]: the language of a medium, or `auto` to have the
//! server detect it.

use std::{fmt, str::FromStr};

use camb_api::types::LanguageInput;

use crate::{Error, Language};

/// The language of a source: a [`Language`], or [`Auto`] to let the server
/// detect it (sent as `"auto"`).
///
/// Every [`Language`] converts into one. As text it parses like a
/// [`Language`], plus `auto` (any case).
///
/// ```
/// use camb_api_ext::{Language, SourceLanguage};
///
/// assert_eq!("AUTO".parse::<SourceLanguage>()?, SourceLanguage::Auto);
/// assert_eq!("en-us".parse::<SourceLanguage>()?, Language::EN_US.into());
/// assert_eq!(SourceLanguage::Auto.to_string(), "auto");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`Auto`]: SourceLanguage::Auto
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SourceLanguage {
    /// Let the server detect the language.
    Auto,
    /// This language.
    Language(Language),
}

impl SourceLanguage {
    /// What the API reads as "detect the language".
    pub const AUTO: &'static str = "auto";

    /// The language, unless it is to be detected.
    pub fn language(self) -> Option<Language> {
        match self {
            SourceLanguage::Auto => None,
            SourceLanguage::Language(language) => Some(language),
        }
    }

    /// The source as the generated client types it.
    pub(crate) fn wire(self) -> LanguageInput {
        match self {
            SourceLanguage::Auto => LanguageInput::String(SourceLanguage::AUTO.to_owned()),
            SourceLanguage::Language(language) => LanguageInput::Integer(language.wire()),
        }
    }
}

impl From<Language> for SourceLanguage {
    fn from(language: Language) -> Self {
        SourceLanguage::Language(language)
    }
}

impl fmt::Display for SourceLanguage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceLanguage::Auto => f.write_str(SourceLanguage::AUTO),
            SourceLanguage::Language(language) => language.fmt(f),
        }
    }
}

impl FromStr for SourceLanguage {
    type Err = Error;

    /// `auto` (any case), or a [`Language`].
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().eq_ignore_ascii_case(SourceLanguage::AUTO) {
            return Ok(SourceLanguage::Auto);
        }
        text.parse().map(SourceLanguage::Language)
    }
}
