//! The server's "wait this long" hints: `retry-after-ms`, `Retry-After` and
//! `X-RateLimit-Reset`, read once for retries and polls alike.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The longest server hint taken as given: a longer one (up to
/// `Retry-After: 1e19`) is read as this. It keeps every sum of instants and
/// hints far from overflow, and is longer than any sensible retry or poll cap.
pub const MAX_SERVER_HINT: Duration = Duration::from_secs(24 * 60 * 60);

/// How long the server asked us to wait: `retry-after-ms`, `Retry-After`
/// (seconds or an HTTP date), or `X-RateLimit-Reset`, in that order, capped
/// at [`MAX_SERVER_HINT`]. The floor is the caller's: each policy raises a
/// hint to its own smallest delay.
///
/// `X-RateLimit-Reset` is read as a Unix time when it is at least 10^9 (as
/// CAMB.AI's official SDKs read it) and as seconds from now otherwise. A time
/// in the past gives zero.
pub(crate) fn server_hint(headers: &HeaderMap) -> Option<Duration> {
    raw_server_hint(headers).map(|hint| hint.min(MAX_SERVER_HINT))
}

/// [`server_hint`] before the cap; `None` for junk or an unrepresentable time.
fn raw_server_hint(headers: &HeaderMap) -> Option<Duration> {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    let seconds = |text: &str| text.parse::<f64>().ok().and_then(non_negative_secs);
    let millis = header("retry-after-ms").and_then(|t| t.parse::<f64>().ok());
    if let Some(hint) = millis.and_then(|ms| non_negative_secs(ms / 1000.0)) {
        return Some(hint);
    }
    if let Some(text) = header(RETRY_AFTER.as_str()) {
        if let Some(hint) = seconds(text) {
            return Some(hint);
        }
        if let Ok(date) = httpdate::parse_http_date(text) {
            return Some(until(date));
        }
    }
    let reset = header("x-ratelimit-reset")?.parse::<f64>().ok()?;
    if reset >= 1e9 {
        // A date beyond what `SystemTime` holds is as good as "never".
        let at = Duration::try_from_secs_f64(reset)
            .ok()
            .and_then(|since_epoch| SystemTime::UNIX_EPOCH.checked_add(since_epoch));
        Some(at.map_or(Duration::MAX, until))
    } else {
        non_negative_secs(reset)
    }
}

/// `secs` as a duration, `Duration::MAX` when too large to hold, `None` when
/// negative or not a number.
fn non_negative_secs(secs: f64) -> Option<Duration> {
    if secs.is_nan() || secs < 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(secs).unwrap_or(Duration::MAX))
}

/// Time from now until `at`, zero if `at` has passed.
fn until(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, String)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    /// Whether `hint`, read from a date `secs` after `since` (in whole
    /// seconds), is at most `secs` and at least `secs` less one second of
    /// rounding and less the wall-clock time that passed since `since`.
    fn near(hint: Option<Duration>, secs: u64, since: SystemTime) -> bool {
        let Some(hint) = hint else { return false };
        let want = Duration::from_secs(secs);
        let passed = since.elapsed().unwrap_or_default();
        hint <= want && hint + Duration::from_secs(1) + passed >= want
    }

    #[test]
    fn reads_each_hint_form() {
        let now = SystemTime::now();
        let in_30s = now + Duration::from_secs(30);
        assert_eq!(
            server_hint(&headers(&[("retry-after-ms", "1500".into())])),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            server_hint(&headers(&[("retry-after", "7".into())])),
            Some(Duration::from_secs(7))
        );
        assert!(near(
            server_hint(&headers(&[(
                "retry-after",
                httpdate::fmt_http_date(in_30s)
            )])),
            30,
            now
        ));
        let epoch = in_30s
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(near(
            server_hint(&headers(&[("x-ratelimit-reset", epoch.to_string())])),
            30,
            now
        ));
        assert_eq!(
            server_hint(&headers(&[("x-ratelimit-reset", "12".into())])),
            Some(Duration::from_secs(12))
        );
    }

    #[test]
    fn prefers_milliseconds_then_retry_after_and_ignores_junk() {
        let both = headers(&[
            ("retry-after-ms", "250".into()),
            ("retry-after", "9".into()),
            ("x-ratelimit-reset", "4".into()),
        ]);
        assert_eq!(server_hint(&both), Some(Duration::from_millis(250)));
        let junk = headers(&[
            ("retry-after", "soon".into()),
            ("retry-after-ms", "-5".into()),
        ]);
        assert_eq!(server_hint(&junk), None);
        let past = headers(&[("retry-after", "Sun, 06 Nov 1994 08:49:37 GMT".into())]);
        assert_eq!(server_hint(&past), Some(Duration::ZERO));
        assert_eq!(server_hint(&HeaderMap::new()), None);
        let nan = headers(&[("retry-after", "NaN".into())]);
        assert_eq!(server_hint(&nan), None);
    }

    #[test]
    fn hints_beyond_any_sensible_wait_are_capped() {
        for (name, value) in [
            ("retry-after", "1e19"),
            ("retry-after", "inf"),
            ("retry-after-ms", "1e300"),
            ("retry-after", "86401"),
            ("x-ratelimit-reset", "10000000000000000000"),
            ("x-ratelimit-reset", "1e300"),
            ("x-ratelimit-reset", "999999999"),
        ] {
            let hint = server_hint(&headers(&[(name, value.into())]));
            assert_eq!(hint, Some(MAX_SERVER_HINT), "{name}: {value}");
        }
    }
}
