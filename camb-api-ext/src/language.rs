//! [`Language`]: a language as CAMB.AI's dubbing API takes it (an id, with
//! names for the ones the official SDK knows, or a locale tag), and
//! [`SourceLanguage`], which may also ask the server to detect it.

use std::{fmt, str::FromStr};

use camb_api::types::{LanguageInput, LanguageItem};

use crate::{ApiKey, Camb, Error, retry::Resend};

/// A language, as CAMB.AI's dubbing API takes it: an integer id, or a locale
/// tag the server knows.
///
/// The ids the official SDK knows have constants named after their locale
/// tag (`Language::EN_US` is `en-us`, id 1; `Language::FR_FR` is `fr-fr`, id
/// 76). The set grows on the server side, so any other id is a `Language`
/// too ([`Language::from_id`]) and round-trips unchanged, and so is a tag
/// this version does not know (`"sw-ug".parse()`), sent as text; ask the
/// server for the current lists with [`Camb::source_languages`] and
/// [`Camb::target_languages`].
///
/// Parsing ([`FromStr`]) takes an id, or a tag in any case (`_` for `-`
/// too): a tag this version knows becomes its id, any other well-formed tag
/// (`xx-yy`, subtags of letters and digits, at most
/// [`Language::MAX_TAG_LEN`] bytes) stays a tag. `auto` is refused: only the
/// source can be detected ([`SourceLanguage::Auto`]). On the wire (serde) a
/// language is its id, or its tag as a string; as text
/// ([`Display`](fmt::Display)) it is its tag, or its id for an id this
/// version does not name.
///
/// ```
/// use camb_api_ext::Language;
///
/// let french: Language = "FR-fr".parse()?;
/// assert_eq!(french, Language::FR_FR);
/// assert_eq!(french.id(), Some(76));
/// assert_eq!(french.to_string(), "fr-fr");
/// assert_eq!(serde_json::to_string(&french)?, "76");
///
/// let newer = Language::from_id(152);
/// assert_eq!(newer.tag(), None);
/// assert_eq!(newer.to_string().parse::<Language>()?, newer);
/// assert_eq!(serde_json::from_str::<Language>("152")?, newer);
///
/// let by_tag: Language = "SW-UG".parse()?;
/// assert_eq!((by_tag.id(), by_tag.tag()), (None, Some("sw-ug")));
/// assert_eq!(serde_json::to_string(&by_tag)?, r#""sw-ug""#);
/// assert!("auto".parse::<Language>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`Camb::source_languages`]: crate::Camb::source_languages
/// [`Camb::target_languages`]: crate::Camb::target_languages
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(Repr);

/// An id, or a tag this version does not know (kept inline, so `Language`
/// stays `Copy`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Repr {
    Id(u32),
    Tag(Tag),
}

/// A well-formed, lower-case locale tag of at most
/// [`Language::MAX_TAG_LEN`] ASCII bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Tag {
    len: u8,
    bytes: [u8; Language::MAX_TAG_LEN],
}

impl Tag {
    /// The tag if `text` (already lower-case, `-` separated) is one: a
    /// first subtag of 2 or 3 letters, then one or more subtags of 2 to 8
    /// letters or digits (`fr-fr`, `zh-cn-sichuan`, `fil-ph`).
    fn new(text: &str) -> Option<Tag> {
        let mut subtags = text.split('-');
        let first = subtags.next()?;
        let well_formed = (2..=3).contains(&first.len())
            && first.bytes().all(|b| b.is_ascii_lowercase())
            && text.contains('-')
            && subtags.all(|subtag| {
                (2..=8).contains(&subtag.len())
                    && subtag
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if !well_formed || text.len() > Language::MAX_TAG_LEN {
            return None;
        }
        let mut bytes = [0; Language::MAX_TAG_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Some(Tag {
            len: text.len() as u8,
            bytes,
        })
    }

    fn as_str(&self) -> &str {
        // Only ASCII is ever stored (see `new`).
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }
}

/// Makes a constant and an entry of [`Language::KNOWN`] of each language
/// the spec names: camb-api's `known_languages!` hands it the table.
macro_rules! languages {
    ($( $name:ident = $id:literal, $tag:literal; )*) => {
        impl Language {
            $(
                #[doc = concat!("`", $tag, "` (id ", stringify!($id), ").")]
                pub const $name: Language = Language(Repr::Id($id));
            )*

            /// Every language this version names, with its locale tag, in id
            /// order (the spec's `Languages` schema, from the official SDK's
            /// `camb/types/language_enums.py`).
            pub const KNOWN: &'static [(Language, &'static str)] = &[$( (Language(Repr::Id($id)), $tag), )*];
        }
    };
}

camb_api::known_languages!(languages);

impl Language {
    /// The longest locale tag a `Language` holds, in bytes.
    pub const MAX_TAG_LEN: usize = 23;

    /// The language with this id, known or not.
    pub const fn from_id(id: u32) -> Language {
        Language(Repr::Id(id))
    }

    /// The id the API uses; `None` for a language given by a tag this
    /// version does not know.
    pub const fn id(self) -> Option<u32> {
        match self.0 {
            Repr::Id(id) => Some(id),
            Repr::Tag(_) => None,
        }
    }

    /// The locale tag (`"fr-fr"`): the known tag of an id, or the tag this
    /// language was given by; `None` for an id this version does not name.
    pub fn tag(&self) -> Option<&str> {
        match &self.0 {
            Repr::Id(_) => Language::KNOWN
                .iter()
                .find(|(known, _)| known == self)
                .map(|(_, tag)| *tag),
            Repr::Tag(tag) => Some(tag.as_str()),
        }
    }

    /// Whether this version names the language: one of [`Language::KNOWN`]
    /// (the spec's `Languages` schema).
    pub fn is_known(self) -> bool {
        Language::KNOWN.iter().any(|(known, _)| *known == self)
    }

    /// The strict reading of a language: like [`FromStr`] (an id, or a tag
    /// in any case), but only a language of [`Language::KNOWN`]. A
    /// misspelt or unlisted tag (`"xx-yy"`) or id is an
    /// [`Error::InvalidInput`] here, where `parse` keeps it (sent as given,
    /// for languages the server adds later). For input from people, such as
    /// a command line.
    ///
    /// ```
    /// use camb_api_ext::Language;
    ///
    /// assert_eq!(Language::parse_known("FR_fr")?, Language::FR_FR);
    /// assert_eq!(Language::parse_known("76")?, Language::FR_FR);
    /// assert!(Language::parse_known("xx-yy").is_err());
    /// assert!("xx-yy".parse::<Language>().is_ok()); // the lenient reading
    /// # Ok::<(), camb_api_ext::Error>(())
    /// ```
    pub fn parse_known(text: &str) -> Result<Language, Error> {
        let language: Language = text.parse()?;
        if language.is_known() {
            return Ok(language);
        }
        Err(Error::InvalidInput {
            field: "language",
            reason: format!(
                "`{}` is not a language this version knows (the spec lists {} tags such as \
                 `en-us` and `fr-fr`; Camb::target_languages asks the server for its list)",
                text.trim(),
                Language::KNOWN.len()
            ),
        })
    }

    /// The language as the generated client types it: its id, or its tag.
    pub(crate) fn wire(self) -> LanguageInput {
        match self.0 {
            Repr::Id(id) => LanguageInput::Integer(i64::from(id)),
            Repr::Tag(tag) => LanguageInput::String(tag.as_str().to_owned()),
        }
    }

    /// A language id the server sent; `None` when it is no valid id.
    pub(crate) fn from_wire(id: i64) -> Option<Language> {
        u32::try_from(id).ok().map(Language::from_id)
    }
}

/// The language as a parameter or field of the generated client:
/// `camb.raw().get_dubbed_run_transcript().language(Language::FR_FR)`.
impl From<Language> for LanguageInput {
    fn from(language: Language) -> Self {
        language.wire()
    }
}

/// The language as the generated client types a target transcript's
/// language (`TargetTranscriptInput::language`).
impl From<Language> for camb_api::types::Language {
    fn from(language: Language) -> Self {
        match language.0 {
            Repr::Id(id) => camb_api::types::Language::Integer(i64::from(id)),
            Repr::Tag(tag) => camb_api::types::Language::String(tag.as_str().to_owned()),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.tag(), self.0) {
            (Some(tag), _) => f.write_str(tag),
            (None, Repr::Id(id)) => id.fmt(f),
            (None, Repr::Tag(tag)) => f.write_str(tag.as_str()),
        }
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({self}")?;
        if let (Some(id), Some(_)) = (self.id(), self.tag()) {
            write!(f, ", id {id}")?;
        }
        f.write_str(")")
    }
}

impl FromStr for Language {
    type Err = Error;

    /// An id, or a locale tag (any case, `_` for `-` allowed); `auto` is
    /// refused ([`SourceLanguage::Auto`] detects the source).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Ok(id) = text.parse::<u32>() {
            return Ok(Language::from_id(id));
        }
        let wanted = text.replace('_', "-").to_ascii_lowercase();
        if wanted == SourceLanguage::AUTO {
            return Err(Error::InvalidInput {
                field: "language",
                reason: "`auto` (detect the language) is only for the source language \
                         (SourceLanguage::Auto); a target must be a concrete language"
                    .into(),
            });
        }
        if let Some((language, _)) = Language::KNOWN.iter().find(|(_, tag)| *tag == wanted) {
            return Ok(*language);
        }
        Tag::new(&wanted)
            .map(|tag| Language(Repr::Tag(tag)))
            .ok_or_else(|| Error::InvalidInput {
                field: "language",
                reason: format!(
                    "`{text}` is neither a language id nor a locale tag such as `en-us` or `fr-fr`"
                ),
            })
    }
}

impl serde::Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Repr::Id(id) => serializer.serialize_u32(id),
            Repr::Tag(tag) => serializer.serialize_str(tag.as_str()),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    /// An id (a JSON integer) or anything [`FromStr`] takes (a string).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        id_or_text(deserializer)
    }
}

/// A [`Language`] or [`SourceLanguage`] as serde reads it: an id (a JSON
/// integer), or text that `L` parses.
fn id_or_text<'de, D, L>(deserializer: D) -> Result<L, D::Error>
where
    D: serde::Deserializer<'de>,
    L: From<Language> + FromStr<Err = Error>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Wire<'a> {
        Id(u32),
        Text(std::borrow::Cow<'a, str>),
    }
    match <Wire as serde::Deserialize>::deserialize(deserializer)? {
        Wire::Id(id) => Ok(Language::from_id(id).into()),
        Wire::Text(text) => text.parse().map_err(serde::de::Error::custom),
    }
}

/// The language of a dub's source: a [`Language`], or [`Auto`] to let the
/// server detect it (sent as `"auto"`).
///
/// Every [`Language`] converts into one, so `DubRequest::new(url,
/// Language::EN_US, ..)` and `DubRequest::new(url, SourceLanguage::Auto, ..)`
/// both work. As text it parses like a [`Language`], plus `auto` (any case).
///
/// ```
/// use camb_api_ext::{Language, SourceLanguage};
///
/// assert_eq!("AUTO".parse::<SourceLanguage>()?, SourceLanguage::Auto);
/// assert_eq!("en-us".parse::<SourceLanguage>()?, Language::EN_US.into());
/// assert_eq!(serde_json::to_string(&SourceLanguage::Auto)?, r#""auto""#);
/// assert_eq!(serde_json::to_string(&SourceLanguage::from(Language::EN_US))?, "1");
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
            SourceLanguage::Language(language) => language.wire(),
        }
    }
}

impl From<Language> for SourceLanguage {
    fn from(language: Language) -> Self {
        SourceLanguage::Language(language)
    }
}

/// The source as a field of the generated client
/// (`EndToEndDubbingRequest::source_language`): `"auto"` or the language.
impl From<SourceLanguage> for LanguageInput {
    fn from(source: SourceLanguage) -> Self {
        source.wire()
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

impl<'de> serde::Deserialize<'de> for SourceLanguage {
    /// `"auto"` (any case), or a [`Language`] (an id or a tag).
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        id_or_text(deserializer)
    }
}

impl serde::Serialize for SourceLanguage {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            SourceLanguage::Auto => serializer.serialize_str(SourceLanguage::AUTO),
            SourceLanguage::Language(language) => language.serialize(serializer),
        }
    }
}

/// One entry of the server's language lists ([`Camb::source_languages`],
/// [`Camb::target_languages`]).
///
/// [`Camb::source_languages`]: crate::Camb::source_languages
/// [`Camb::target_languages`]: crate::Camb::target_languages
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LanguageInfo {
    /// The language (its id; known ones also have a tag).
    pub language: Language,
    /// Its name, e.g. `French (France)`.
    pub name: String,
    /// Its short name, as the server gives it.
    pub short_name: String,
}

impl LanguageInfo {
    /// Reads the server's list; an id that is no language id is a
    /// [`Error::UnusableResponse`] (the list would be wrong, not just new).
    pub(crate) fn from_raw(items: Vec<LanguageItem>, key: &ApiKey) -> Result<Vec<Self>, Error> {
        items
            .into_iter()
            .map(|item| match Language::from_wire(item.id) {
                Some(language) => Ok(LanguageInfo {
                    language,
                    name: item.language,
                    short_name: item.short_name,
                }),
                None => Err(Error::unusable(
                    format!("the language list holds the id {}", item.id),
                    &item,
                    key,
                )),
            })
            .collect()
    }
}

impl Camb {
    /// The languages the server can dub from, now.
    pub async fn source_languages(&self) -> Result<Vec<LanguageInfo>, Error> {
        let items = self
            .call(Resend::Idempotent, || {
                self.raw.get_source_languages().send()
            })
            .await?;
        LanguageInfo::from_raw(items, &self.key)
    }

    /// The languages the server can dub into, now.
    pub async fn target_languages(&self) -> Result<Vec<LanguageInfo>, Error> {
        let items = self
            .call(Resend::Idempotent, || {
                self.raw.get_target_languages().send()
            })
            .await?;
        LanguageInfo::from_raw(items, &self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_ids_round_trip_for_every_known_language() {
        assert_eq!(Language::KNOWN.len(), 149);
        for (language, tag) in Language::KNOWN {
            assert_eq!(language.to_string(), *tag);
            assert_eq!(tag.parse::<Language>().unwrap(), *language);
            assert_eq!(tag.to_uppercase().parse::<Language>().unwrap(), *language);
            let json = serde_json::to_string(language).unwrap();
            assert_eq!(json, language.id().unwrap().to_string());
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), *language);
            let as_text = serde_json::to_string(tag).unwrap();
            assert_eq!(
                serde_json::from_str::<Language>(&as_text).unwrap(),
                *language
            );
        }
        let ids: Vec<u32> = Language::KNOWN.iter().filter_map(|(l, _)| l.id()).collect();
        assert_eq!(ids.len(), Language::KNOWN.len());
        assert!(
            ids.windows(2).all(|pair| pair[0] < pair[1]),
            "ids ascend, no repeats"
        );
    }

    #[test]
    fn named_constants_match_the_published_ids() {
        assert_eq!(Language::EN_US.id(), Some(1));
        assert_eq!(Language::FR_FR.id(), Some(76));
        assert_eq!(Language::ES_ES.id(), Some(54));
        assert_eq!(Language::ZH_CN_SICHUAN.id(), Some(144));
        assert_eq!(Language::TL_PH.id(), Some(151));
        assert_eq!(
            "zh_CN_sichuan".parse::<Language>().unwrap(),
            Language::ZH_CN_SICHUAN
        );
    }

    #[test]
    fn unknown_ids_round_trip_and_bad_text_is_a_typed_error() {
        for id in [0, 137, 138, 152, 4_000_000_000] {
            let language = Language::from_id(id);
            assert_eq!(language.tag(), None);
            assert_eq!(language.to_string(), id.to_string());
            assert_eq!(language.to_string().parse::<Language>().unwrap(), language);
            let json = serde_json::to_string(&language).unwrap();
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), language);
        }
        for bad in [
            "klingon", "-1", "", "f-fr", "fr-", "fr--fr", "fr-fr-x", "fr fr", "é-fr",
        ] {
            assert!(
                matches!(
                    bad.parse::<Language>(),
                    Err(Error::InvalidInput {
                        field: "language",
                        ..
                    })
                ),
                "{bad:?}"
            );
        }
        let too_long = format!("fr-{}", ["abcdefgh"; 3].join("-"));
        assert!(too_long.len() > Language::MAX_TAG_LEN);
        assert!(too_long.parse::<Language>().is_err());
        assert!(serde_json::from_str::<Language>("-1").is_err());
        assert_eq!(Language::from_wire(-1), None);
        assert_eq!(Language::from_wire(76), Some(Language::FR_FR));
    }

    #[test]
    fn tags_this_version_does_not_know_stay_tags_and_auto_is_no_target() {
        let newer: Language = " SW_ug ".parse().unwrap();
        assert_eq!(newer.id(), None);
        assert_eq!(newer.tag(), Some("sw-ug"));
        assert_eq!(newer.to_string(), "sw-ug");
        assert_eq!(format!("{newer:?}"), "Language(sw-ug)");
        assert_eq!(format!("{:?}", Language::FR_FR), "Language(fr-fr, id 76)");
        assert_eq!(serde_json::to_string(&newer).unwrap(), r#""sw-ug""#);
        assert_eq!(
            serde_json::from_str::<Language>(r#""sw-ug""#).unwrap(),
            newer
        );
        assert_eq!(newer.to_string().parse::<Language>().unwrap(), newer);
        assert!(matches!(newer.wire(), LanguageInput::String(tag) if tag == "sw-ug"));
        assert!(matches!(Language::FR_FR.wire(), LanguageInput::Integer(76)));
        let longest = "zh-cn-shandong-abcdefgh";
        assert_eq!(longest.len(), Language::MAX_TAG_LEN);
        assert_eq!(longest.parse::<Language>().unwrap().tag(), Some(longest));

        for auto in ["auto", "AUTO", " Auto "] {
            match auto.parse::<Language>() {
                Err(Error::InvalidInput { reason, .. }) => {
                    assert!(reason.contains("only for the source"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
            assert_eq!(
                auto.parse::<SourceLanguage>().unwrap(),
                SourceLanguage::Auto
            );
        }
        assert!(serde_json::from_str::<Language>(r#""auto""#).is_err());
        assert_eq!(SourceLanguage::Auto.to_string(), "auto");
        assert!(
            matches!(SourceLanguage::Auto.wire(), LanguageInput::String(auto) if auto == "auto")
        );
        assert_eq!(
            "fr-fr".parse::<SourceLanguage>().unwrap().language(),
            Some(Language::FR_FR)
        );
    }
}
