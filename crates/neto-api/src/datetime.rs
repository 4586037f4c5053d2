//! Neto's `DateTime`: a UTC date and time written `YYYY-MM-DD HH:MM:SS`.

use std::fmt;

use jiff::civil;

/// What the service sends for "no date".
pub const NO_DATE: &str = "0000-00-00 00:00:00";

/// A Neto `DateTime`: a civil date and time meant as UTC, to the second.
///
/// Built from a real time type (a [`jiff::Timestamp`], or a
/// [`jiff::civil::DateTime`] already in UTC), never from text the caller wrote;
/// written `YYYY-MM-DD HH:MM:SS`.
///
/// ```
/// use neto_api::NetoDateTime;
///
/// let at: jiff::Timestamp = "2026-11-02T09:30:15.250Z".parse().unwrap();
/// let date = NetoDateTime::from_timestamp(at);
/// assert_eq!(date.to_string(), "2026-11-02 09:30:15");
/// assert_eq!(NetoDateTime::parse("2026-11-02 09:30:15"), Ok(Some(date)));
/// assert_eq!(NetoDateTime::parse("0000-00-00 00:00:00"), Ok(None)); // the service's "no date"
/// assert!(NetoDateTime::parse("02/11/2026 9:30").is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NetoDateTime(civil::DateTime);

/// Text that is not a Neto `DateTime`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date and time written YYYY-MM-DD HH:MM:SS")]
pub struct DateTimeError;

/// How the rule reads in a violation: "must be …".
pub const DATE_TIME_FORMAT: &str = "a UTC date and time written YYYY-MM-DD HH:MM:SS";

impl NetoDateTime {
    /// The civil date and time `utc` (meant as UTC); fractions of a second are dropped.
    #[must_use]
    pub fn from_civil_utc(utc: civil::DateTime) -> Self {
        Self(utc.with().subsec_nanosecond(0).build().unwrap_or(utc))
    }

    /// The instant `at`, in UTC.
    #[must_use]
    pub fn from_timestamp(at: jiff::Timestamp) -> Self {
        Self::from_civil_utc(jiff::tz::Offset::UTC.to_datetime(at))
    }

    /// The date and time, as a civil value meant as UTC.
    #[must_use]
    pub fn civil(self) -> civil::DateTime {
        self.0
    }

    /// Whether it can be written `YYYY-MM-DD HH:MM:SS` (years 1 to 9999).
    #[must_use]
    pub fn is_writable(self) -> bool {
        self.0.year() >= 1
    }

    /// Reads `text`: `None` for the service's "no date" (`0000-00-00 00:00:00`)
    /// or an empty value.
    ///
    /// # Errors
    /// Text that is not `YYYY-MM-DD HH:MM:SS`, or not a real date and time.
    // Inlined into each date field's reading: outlined, its result went
    // through memory in pieces and was read back whole (a store-forwarding
    // stall per date, a fifth of a log's time, invisible in instruction counts).
    #[inline(always)]
    pub fn parse(text: &str) -> Result<Option<Self>, DateTimeError> {
        // A 19-byte text needs no trim: with whitespace at either end, the
        // trimmed text would be shorter than a date and refused anyway, and
        // the digit checks below refuse it just the same.
        let text = if text.len() == 19 { text } else { text.trim() };
        if text.is_empty() || text == NO_DATE {
            return Ok(None);
        }
        let Ok(b) = <&[u8; 19]>::try_from(text.as_bytes()) else {
            return Err(DateTimeError);
        };
        // Digits only (no sign, no spaces), read without `str::parse`: every
        // digit position checked in one branch-free pass, then the fields
        // built from the digits.
        let d = |i: usize| b[i].wrapping_sub(b'0');
        let not_digit = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .fold(false, |bad, &i| bad | (d(i) > 9));
        if not_digit
            || b[4] != b'-'
            || b[7] != b'-'
            || b[10] != b' '
            || b[13] != b':'
            || b[16] != b':'
        {
            return Err(DateTimeError);
        }
        let year =
            i16::from(d(0)) * 1000 + i16::from(d(1)) * 100 + i16::from(d(2)) * 10 + i16::from(d(3));
        if year < 1 {
            return Err(DateTimeError);
        }
        // At most 99: always fits.
        let two = |i: usize| (d(i) * 10 + d(i + 1)) as i8;
        let date = civil::DateTime::new(year, two(5), two(8), two(11), two(14), two(17), 0)
            .map_err(|_| DateTimeError)?;
        Ok(Some(Self(date)))
    }
}

impl fmt::Display for NetoDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        if (0..=9999).contains(&d.year()) {
            // Digit by digit into a stack buffer (a date is written for every
            // date field of every request and answer): the same text as the
            // `write!` below gives for these years.
            let mut text = *b"0000-00-00 00:00:00";
            let mut put = |at: usize, value: i16, width: usize| {
                let mut value = value.unsigned_abs();
                for slot in text[at..at + width].iter_mut().rev() {
                    *slot = b'0' + (value % 10) as u8;
                    value /= 10;
                }
            };
            put(0, d.year(), 4);
            put(5, i16::from(d.month()), 2);
            put(8, i16::from(d.day()), 2);
            put(11, i16::from(d.hour()), 2);
            put(14, i16::from(d.minute()), 2);
            put(17, i16::from(d.second()), 2);
            return f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?);
        }
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        )
    }
}

impl From<jiff::Timestamp> for NetoDateTime {
    fn from(at: jiff::Timestamp) -> Self {
        Self::from_timestamp(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_and_read_back() {
        let date = NetoDateTime::from_civil_utc(civil::date(2026, 1, 5).at(7, 3, 9, 999));
        assert_eq!(date.to_string(), "2026-01-05 07:03:09");
        assert_eq!(NetoDateTime::parse(&date.to_string()), Ok(Some(date)));
    }

    #[test]
    fn impossible_or_malformed_dates_are_refused() {
        for text in [
            "2026-02-30 10:00:00",
            "2026-13-01 10:00:00",
            "2026-01-01 24:00:00",
            "2026-01-01T10:00:00",
            "2026-01-01 10:00",
            "+026-01-01 10:00:00",
            "0000-01-01 10:00:00",
            "2026-01-01 10:00:00Z",
        ] {
            assert_eq!(NetoDateTime::parse(text), Err(DateTimeError), "{text}");
        }
    }

    #[test]
    fn surrounding_whitespace_is_trimmed_and_other_text_refused() {
        let date = Some(NetoDateTime::from_civil_utc(
            civil::date(2026, 1, 5).at(7, 3, 9, 0),
        ));
        for text in [
            "2026-01-05 07:03:09",
            " 2026-01-05 07:03:09",
            "2026-01-05 07:03:09\n",
            "\t2026-01-05 07:03:09 ",
        ] {
            assert_eq!(NetoDateTime::parse(text), Ok(date), "{text:?}");
        }
        for text in ["", "   ", "0000-00-00 00:00:00", " 0000-00-00 00:00:00 "] {
            assert_eq!(NetoDateTime::parse(text), Ok(None), "{text:?}");
        }
        for text in [
            " 2026-01-05 07:03:0",
            "2026-01-05 07:03:0 ",
            "2026-01-05 07:03:/9",
            "2026-01-05 07:03::9",
            "2026-01-05 07:03:9:",
            "202a-01-05 07:03:09",
            "2026-01-05 07:03:09é",
            "2026/01/05 07:03:09",
            "2026-01-05_07:03:09",
            "2026-01-05 07-03-09",
        ] {
            assert_eq!(NetoDateTime::parse(text), Err(DateTimeError), "{text:?}");
        }
    }

    #[test]
    fn written_digit_by_digit_as_write_would() {
        let write = |d: civil::DateTime| {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                d.year(),
                d.month(),
                d.day(),
                d.hour(),
                d.minute(),
                d.second()
            )
        };
        for (year, month, day, hour, minute, second) in [
            (1, 1, 1, 0, 0, 0),
            (9, 2, 28, 9, 9, 9),
            (99, 12, 31, 23, 59, 59),
            (999, 6, 15, 12, 30, 45),
            (1000, 1, 1, 0, 0, 1),
            (2026, 11, 2, 9, 30, 0),
            (9999, 12, 31, 23, 59, 59),
            (0, 1, 1, 0, 0, 0),
            (-5, 1, 1, 0, 0, 0),
            (-9999, 1, 1, 0, 0, 0),
        ] {
            let d = civil::date(year, month, day).at(hour, minute, second, 0);
            assert_eq!(NetoDateTime(d).to_string(), write(d), "{d}");
        }
    }

    #[test]
    fn years_before_one_cannot_be_written() {
        let early = NetoDateTime::from_civil_utc(civil::date(-5, 1, 1).at(0, 0, 0, 0));
        assert!(!early.is_writable());
        assert!(NetoDateTime::from_civil_utc(civil::date(1, 1, 1).at(0, 0, 0, 0)).is_writable());
    }
}
