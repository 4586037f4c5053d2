//! Timestamps as the service writes them, parsed into a real time.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A point in time as the service wrote it (`2024-10-06T20:35:16.983Z`).
///
/// It parses into a [`jiff::Timestamp`] and prints back exactly as received:
/// any number of fractional digits, or none (digits past the ninth are kept
/// in the text and dropped from the time), `Z` or an offset, and a time
/// without an offset (read as UTC, as the service's .NET stack writes it).
///
/// ```
/// use notes_rest::Timestamp;
///
/// let t: Timestamp = "2024-10-06T20:35:16.9837412Z".parse().unwrap();
/// assert_eq!(t.to_string(), "2024-10-06T20:35:16.9837412Z");
/// assert_eq!(t.time().subsec_nanosecond(), 983_741_200);
/// assert_eq!(t.time(), "2024-10-06T20:35:16.98374120Z".parse::<Timestamp>().unwrap().time());
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    time: jiff::Timestamp,
    text: Box<str>,
}

/// A text that is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an ISO 8601 date and time: {reason}")]
pub struct TimestampError {
    reason: String,
}

impl Timestamp {
    /// The time.
    #[must_use]
    pub fn time(&self) -> jiff::Timestamp {
        self.time
    }

    /// The text as received.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// A timestamp written the way the service writes them (UTC, milliseconds).
    #[must_use]
    pub fn from_time(time: jiff::Timestamp) -> Self {
        let text = format!("{}", time.strftime("%Y-%m-%dT%H:%M:%S%.3fZ"));
        Self {
            time,
            text: text.into(),
        }
    }
}

impl FromStr for Timestamp {
    type Err = TimestampError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = |reason: &dyn fmt::Display| TimestampError {
            reason: reason.to_string(),
        };
        if !text.contains(['T', 't']) {
            return Err(error(&"a date without a time"));
        }
        // jiff reads at most nine fractional digits: drop the rest for parsing.
        let parsed: std::borrow::Cow<'_, str> = match text.find('.') {
            Some(dot) => {
                let digits = text[dot + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
                if digits > 9 {
                    format!("{}{}", &text[..dot + 10], &text[dot + 1 + digits..]).into()
                } else {
                    text.into()
                }
            }
            None => text.into(),
        };
        let time = match parsed.parse::<jiff::Timestamp>() {
            Ok(time) => time,
            Err(with_offset) => {
                let civil: jiff::civil::DateTime =
                    parsed.parse().map_err(|_| error(&with_offset))?;
                jiff::tz::TimeZone::UTC
                    .to_timestamp(civil)
                    .map_err(|e| error(&e))?
            }
        };
        Ok(Self {
            time,
            text: text.into(),
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({:?})", &*self.text)
    }
}

impl Default for Timestamp {
    /// The Unix epoch.
    fn default() -> Self {
        Self::from_time(jiff::Timestamp::UNIX_EPOCH)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_number_of_fractional_digits_or_none() {
        for (text, nanos) in [
            ("2024-10-06T20:35:16Z", 0),
            ("2024-10-06T20:35:16.9Z", 900_000_000),
            ("2024-10-06T20:35:16.983Z", 983_000_000),
            ("2024-10-06T20:35:16.983741234Z", 983_741_234),
            ("2024-10-06T20:35:16.98374123456789Z", 983_741_234),
            ("2024-10-06T20:35:16.983+02:00", 983_000_000),
            ("2024-10-06T20:35:16.983", 983_000_000),
        ] {
            let t: Timestamp = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(t.to_string(), text);
            assert_eq!(t.time().subsec_nanosecond(), nanos, "{text}");
        }
        let offset: Timestamp = "2024-10-06T22:35:16+02:00".parse().unwrap();
        let utc: Timestamp = "2024-10-06T20:35:16".parse().unwrap();
        assert_eq!(offset.time(), utc.time());
    }

    #[test]
    fn text_that_is_not_a_time_is_refused() {
        for text in [
            "",
            "text",
            "2024-13-06T20:35:16Z",
            "2024-10-06",
            "2024-10-06T20:35:16.Z",
        ] {
            assert!(text.parse::<Timestamp>().is_err(), "{text}");
        }
    }

    #[test]
    fn from_time_writes_milliseconds() {
        let t = Timestamp::from_time("2024-10-06T20:35:16.983Z".parse().unwrap());
        assert_eq!(t.as_str(), "2024-10-06T20:35:16.983Z");
    }
}
