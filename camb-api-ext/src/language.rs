//! [`Language`]: CAMB.AI's language ids, with names for the ones the
//! official SDK knows and room for the ones it does not.

use std::{fmt, str::FromStr};

use camb_api::types::LanguageItem;

use crate::{
    ApiKey, Camb, Error,
    retry::{self, Resend},
};

/// A language, as CAMB.AI identifies it: an integer id.
///
/// The ids the official SDK knows have constants named after their locale
/// tag (`Language::EN_US` is `en-us`, id 1; `Language::FR_FR` is `fr-fr`, id
/// 76). The set grows on the server side, so any other id is a `Language`
/// too ([`Language::from_id`]) and round-trips unchanged; ask the server for
/// the current lists with [`Camb::source_languages`] and
/// [`Camb::target_languages`].
///
/// On the wire (serde) a language is its integer id. As text
/// ([`Display`](fmt::Display), [`FromStr`]) it is its locale tag, or its id
/// for a language this version does not name; parsing ignores case and also
/// takes the id itself.
///
/// ```
/// use camb_api_ext::Language;
///
/// let french: Language = "FR-fr".parse()?;
/// assert_eq!(french, Language::FR_FR);
/// assert_eq!(french.id(), 76);
/// assert_eq!(french.to_string(), "fr-fr");
/// assert_eq!(serde_json::to_string(&french)?, "76");
///
/// let newer = Language::from_id(152);
/// assert_eq!(newer.tag(), None);
/// assert_eq!(newer.to_string().parse::<Language>()?, newer);
/// assert_eq!(serde_json::from_str::<Language>("152")?, newer);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`Camb::source_languages`]: crate::Camb::source_languages
/// [`Camb::target_languages`]: crate::Camb::target_languages
#[derive(
    Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Language(u32);

/// The one table of known languages: each line makes a constant and an
/// entry of [`Language::KNOWN`].
macro_rules! languages {
    ($( $name:ident = $id:literal, $tag:literal; )+) => {
        impl Language {
            $(
                #[doc = concat!("`", $tag, "` (id ", stringify!($id), ").")]
                pub const $name: Language = Language($id);
            )+

            /// Every language this version names, with its locale tag, in id
            /// order (from the official SDK's `camb/types/language_enums.py`).
            pub const KNOWN: &'static [(Language, &'static str)] = &[$( (Language($id), $tag), )+];
        }
    };
}

languages! {
    EN_US = 1, "en-us";
    AF_ZA = 2, "af-za";
    AM_ET = 3, "am-et";
    AR_AE = 4, "ar-ae";
    AR_BH = 5, "ar-bh";
    AR_DZ = 6, "ar-dz";
    AR_EG = 7, "ar-eg";
    AR_IQ = 8, "ar-iq";
    AR_JO = 9, "ar-jo";
    AR_KW = 10, "ar-kw";
    AR_LB = 11, "ar-lb";
    AR_LY = 12, "ar-ly";
    AR_MA = 13, "ar-ma";
    AR_OM = 14, "ar-om";
    AR_QA = 15, "ar-qa";
    AR_SA = 16, "ar-sa";
    AR_SY = 17, "ar-sy";
    AR_TN = 18, "ar-tn";
    AR_YE = 19, "ar-ye";
    AZ_AZ = 20, "az-az";
    BG_BG = 21, "bg-bg";
    BN_BD = 22, "bn-bd";
    BN_IN = 23, "bn-in";
    BS_BA = 24, "bs-ba";
    CA_ES = 25, "ca-es";
    CS_CZ = 26, "cs-cz";
    CY_GB = 27, "cy-gb";
    DA_DK = 28, "da-dk";
    DE_AT = 29, "de-at";
    DE_CH = 30, "de-ch";
    DE_DE = 31, "de-de";
    EL_GR = 32, "el-gr";
    EN_AU = 33, "en-au";
    EN_CA = 34, "en-ca";
    EN_GB = 35, "en-gb";
    EN_HK = 36, "en-hk";
    EN_IE = 37, "en-ie";
    EN_IN = 38, "en-in";
    EN_KE = 39, "en-ke";
    EN_NG = 40, "en-ng";
    EN_NZ = 41, "en-nz";
    EN_PH = 42, "en-ph";
    EN_SG = 43, "en-sg";
    EN_TZ = 44, "en-tz";
    EN_ZA = 45, "en-za";
    ES_AR = 46, "es-ar";
    ES_BO = 47, "es-bo";
    ES_CL = 48, "es-cl";
    ES_CO = 49, "es-co";
    ES_CR = 50, "es-cr";
    ES_CU = 51, "es-cu";
    ES_DO = 52, "es-do";
    ES_EC = 53, "es-ec";
    ES_ES = 54, "es-es";
    ES_GQ = 55, "es-gq";
    ES_GT = 56, "es-gt";
    ES_HN = 57, "es-hn";
    ES_MX = 58, "es-mx";
    ES_NI = 59, "es-ni";
    ES_PA = 60, "es-pa";
    ES_PE = 61, "es-pe";
    ES_PR = 62, "es-pr";
    ES_PY = 63, "es-py";
    ES_SV = 64, "es-sv";
    ES_US = 65, "es-us";
    ES_UY = 66, "es-uy";
    ES_VE = 67, "es-ve";
    ET_EE = 68, "et-ee";
    EU_ES = 69, "eu-es";
    FA_IR = 70, "fa-ir";
    FI_FI = 71, "fi-fi";
    FIL_PH = 72, "fil-ph";
    FR_BE = 73, "fr-be";
    FR_CA = 74, "fr-ca";
    FR_CH = 75, "fr-ch";
    FR_FR = 76, "fr-fr";
    GA_IE = 77, "ga-ie";
    GL_ES = 78, "gl-es";
    GU_IN = 79, "gu-in";
    HE_IL = 80, "he-il";
    HI_IN = 81, "hi-in";
    HR_HR = 82, "hr-hr";
    HU_HU = 83, "hu-hu";
    HY_AM = 84, "hy-am";
    ID_ID = 85, "id-id";
    IS_IS = 86, "is-is";
    IT_IT = 87, "it-it";
    JA_JP = 88, "ja-jp";
    JV_ID = 89, "jv-id";
    KA_GE = 90, "ka-ge";
    KK_KZ = 91, "kk-kz";
    KM_KH = 92, "km-kh";
    KN_IN = 93, "kn-in";
    KO_KR = 94, "ko-kr";
    LO_LA = 95, "lo-la";
    LT_LT = 96, "lt-lt";
    LV_LV = 97, "lv-lv";
    MK_MK = 98, "mk-mk";
    ML_IN = 99, "ml-in";
    MN_MN = 100, "mn-mn";
    MR_IN = 101, "mr-in";
    MS_MY = 102, "ms-my";
    MT_MT = 103, "mt-mt";
    MY_MM = 104, "my-mm";
    NB_NO = 105, "nb-no";
    NE_NP = 106, "ne-np";
    NL_BE = 107, "nl-be";
    NL_NL = 108, "nl-nl";
    PL_PL = 109, "pl-pl";
    PS_AF = 110, "ps-af";
    PT_BR = 111, "pt-br";
    PT_PT = 112, "pt-pt";
    RO_RO = 113, "ro-ro";
    RU_RU = 114, "ru-ru";
    SI_LK = 115, "si-lk";
    SK_SK = 116, "sk-sk";
    SL_SI = 117, "sl-si";
    SO_SO = 118, "so-so";
    SQ_AL = 119, "sq-al";
    SR_RS = 120, "sr-rs";
    SU_ID = 121, "su-id";
    SV_SE = 122, "sv-se";
    SW_KE = 123, "sw-ke";
    SW_TZ = 124, "sw-tz";
    TA_IN = 125, "ta-in";
    TA_LK = 126, "ta-lk";
    TA_MY = 127, "ta-my";
    TA_SG = 128, "ta-sg";
    TE_IN = 129, "te-in";
    TH_TH = 130, "th-th";
    TR_TR = 131, "tr-tr";
    UK_UA = 132, "uk-ua";
    UR_IN = 133, "ur-in";
    UR_PK = 134, "ur-pk";
    UZ_UZ = 135, "uz-uz";
    VI_VN = 136, "vi-vn";
    ZH_CN = 139, "zh-cn";
    ZH_CN_HENAN = 140, "zh-cn-henan";
    ZH_CN_LIAONING = 141, "zh-cn-liaoning";
    ZH_CN_SHAANXI = 142, "zh-cn-shaanxi";
    ZH_CN_SHANDONG = 143, "zh-cn-shandong";
    ZH_CN_SICHUAN = 144, "zh-cn-sichuan";
    ZH_HK = 145, "zh-hk";
    ZH_TW = 146, "zh-tw";
    ZU_ZA = 147, "zu-za";
    PA_IN = 148, "pa-in";
    SA_IN = 149, "sa-in";
    AR_XA = 150, "ar-xa";
    TL_PH = 151, "tl-ph";
}

impl Language {
    /// The language with this id, known or not.
    pub const fn from_id(id: u32) -> Language {
        Language(id)
    }

    /// The id the API uses.
    pub const fn id(self) -> u32 {
        self.0
    }

    /// The locale tag (`"fr-fr"`), if this version names the language.
    pub fn tag(self) -> Option<&'static str> {
        Language::KNOWN
            .iter()
            .find(|(known, _)| *known == self)
            .map(|(_, tag)| *tag)
    }

    /// The id as the generated client types it.
    pub(crate) fn wire(self) -> i64 {
        i64::from(self.0)
    }

    /// A language id the server sent; `None` when it is no valid id.
    pub(crate) fn from_wire(id: i64) -> Option<Language> {
        u32::try_from(id).ok().map(Language)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.tag() {
            Some(tag) => f.write_str(tag),
            None => self.0.fmt(f),
        }
    }
}

impl fmt::Debug for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Language({self}")?;
        if self.tag().is_some() {
            write!(f, ", id {}", self.0)?;
        }
        f.write_str(")")
    }
}

impl FromStr for Language {
    type Err = Error;

    /// A locale tag (any case, `_` for `-` allowed) or an id.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Ok(id) = text.parse::<u32>() {
            return Ok(Language(id));
        }
        let wanted = text.replace('_', "-");
        Language::KNOWN
            .iter()
            .find(|(_, tag)| tag.eq_ignore_ascii_case(&wanted))
            .map(|(language, _)| *language)
            .ok_or_else(|| Error::InvalidInput {
                field: "language",
                reason: format!(
                    "`{text}` is no known locale tag (such as `en-us` or `fr-fr`) nor a language id"
                ),
            })
    }
}

impl From<Language> for u32 {
    fn from(language: Language) -> u32 {
        language.0
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
        let items = retry::run(&self.retry, Resend::Idempotent, None, || {
            self.send(self.raw.get_source_languages().send())
        })
        .await?
        .into_inner();
        LanguageInfo::from_raw(items, &self.key)
    }

    /// The languages the server can dub into, now.
    pub async fn target_languages(&self) -> Result<Vec<LanguageInfo>, Error> {
        let items = retry::run(&self.retry, Resend::Idempotent, None, || {
            self.send(self.raw.get_target_languages().send())
        })
        .await?
        .into_inner();
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
            assert_eq!(json, language.id().to_string());
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), *language);
        }
        let ids: Vec<u32> = Language::KNOWN.iter().map(|(l, _)| l.id()).collect();
        assert!(
            ids.windows(2).all(|pair| pair[0] < pair[1]),
            "ids ascend, no repeats"
        );
    }

    #[test]
    fn named_constants_match_the_published_ids() {
        assert_eq!(Language::EN_US.id(), 1);
        assert_eq!(Language::FR_FR.id(), 76);
        assert_eq!(Language::ES_ES.id(), 54);
        assert_eq!(Language::ZH_CN_SICHUAN.id(), 144);
        assert_eq!(Language::TL_PH.id(), 151);
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
        assert!(matches!(
            "klingon".parse::<Language>(),
            Err(Error::InvalidInput {
                field: "language",
                ..
            })
        ));
        assert!("-1".parse::<Language>().is_err());
        assert!(serde_json::from_str::<Language>("-1").is_err());
        assert_eq!(Language::from_wire(-1), None);
        assert_eq!(Language::from_wire(76), Some(Language::FR_FR));
    }
}
