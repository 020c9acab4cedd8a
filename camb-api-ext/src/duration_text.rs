//! Durations as people read them in messages: `2.0 s`, `3 min 5 s`,
//! `1 h 30 min` (not `2.013640318s`).

use std::{fmt, time::Duration};

/// Shows a duration rounded to what a reader needs: tenths of a second
/// under a minute, whole seconds under an hour, whole minutes above.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DurationText(pub(crate) Duration);

impl fmt::Display for DurationText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        if secs < 60 {
            // Tenths, rounded down so 59.99 s stays under a minute.
            let tenths = self.0.as_millis() / 100;
            return write!(f, "{}.{} s", tenths / 10, tenths % 10);
        }
        let (hours, minutes, seconds) = (secs / 3600, secs / 60 % 60, secs % 60);
        match (hours, minutes, seconds) {
            (0, m, 0) => write!(f, "{m} min"),
            (0, m, s) => write!(f, "{m} min {s} s"),
            (h, 0, _) => write!(f, "{h} h"),
            (h, m, _) => write!(f, "{h} h {m} min"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_a_person_wrote_them() {
        let text = |d: Duration| DurationText(d).to_string();
        assert_eq!(text(Duration::from_nanos(2_013_640_318)), "2.0 s");
        assert_eq!(text(Duration::ZERO), "0.0 s");
        assert_eq!(text(Duration::from_millis(59_990)), "59.9 s");
        assert_eq!(text(Duration::from_secs(60)), "1 min");
        assert_eq!(text(Duration::from_secs(185)), "3 min 5 s");
        assert_eq!(text(Duration::from_secs(3600)), "1 h");
        assert_eq!(text(Duration::from_secs(5400 + 59)), "1 h 30 min");
        assert_eq!(text(Duration::from_secs(6 * 3600)), "6 h");
        assert!(text(Duration::MAX).ends_with(" h"), "no overflow");
    }
}
