//! [`Search`]: which items a list call asks for (how many, matching what).

/// Which items a list call asks for: at most [`limit`](Search::limit) of
/// them, only those matching [`matching`](Search::matching)'s text. The
/// default, [`Search::all`], asks for everything the server gives.
///
/// ```
/// use camb_api_ext::Search;
///
/// let first_ten_brands = Search::all().limit(10).matching("brand");
/// # let _ = first_ten_brands;
/// ```
///
/// Used by [`Camb::dictionary_details`](crate::Camb::dictionary_details)
/// (the terms) and [`Camb::folders`](crate::Camb::folders).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Search {
    limit: Option<u32>,
    text: Option<String>,
}

impl Search {
    /// Everything, as the server lists it.
    pub fn all() -> Self {
        Search::default()
    }

    /// At most `limit` items.
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Only the items matching `text`, as the server matches it.
    pub fn matching(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// The limit as the generated client types it.
    pub(crate) fn limit_value(&self) -> Option<i64> {
        self.limit.map(i64::from)
    }

    /// The text to match.
    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }
}
