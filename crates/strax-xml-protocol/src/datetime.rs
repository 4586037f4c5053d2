//! The wire form of local date-times: `MM/DD/YYYY H:MM`, 24 h, no leading zero
//! on the hour (the vendor's sample: `01/23/2014 7:30`).

use std::borrow::Cow;

use jiff::civil::DateTime;

/// Writes `at` as SecurityTrax does: `MM/DD/YYYY H:MM`, 24 h, no leading zero on
/// the hour. Seconds are not representable and are left out; the encoder's
/// validation refuses date-times that have them.
///
/// ```
/// use strax_xml_protocol::{format_wire_datetime, jiff::civil::date};
///
/// assert_eq!(format_wire_datetime(date(2014, 1, 23).at(7, 30, 0, 0)), "01/23/2014 7:30");
/// ```
pub fn format_wire(at: DateTime) -> String {
    let mut buffer = WireBuffer::default();
    format_wire_in(at, &mut buffer).into_owned()
}

/// The wire form through `format!`: any year, and the reference the digit by
/// digit path must match.
fn format_general(at: DateTime) -> String {
    format!(
        "{:02}/{:02}/{:04} {}:{:02}",
        at.month(),
        at.day(),
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// Room for a date-time of a year 1000–9999 as sent: `MM/DD/YYYY HH:MM`.
pub(crate) type WireBuffer = [u8; 16];

/// [`format_wire`], written into `buffer` (no allocation) for the years
/// 1000–9999, the only ones ever sent; other years are formatted with
/// `format!` as before.
pub(crate) fn format_wire_in(at: DateTime, buffer: &mut WireBuffer) -> Cow<'_, str> {
    if !(1000..=9999).contains(&at.year()) {
        return Cow::Owned(format_general(at));
    }
    // Written digit by digit (`format!` costs several times more and this
    // runs for each date-time field of each operation encoded).
    let two = |value: i8| {
        let value = value.unsigned_abs();
        [b'0' + value / 10 % 10, b'0' + value % 10]
    };
    let year = at.year().unsigned_abs();
    let [m0, m1] = two(at.month());
    let [d0, d1] = two(at.day());
    let [n0, n1] = two(at.minute());
    let [h0, h1] = two(at.hour());
    let digit = |value: u16| b'0' + u8::try_from(value % 10).expect("a digit");
    *buffer = [
        m0,
        m1,
        b'/',
        d0,
        d1,
        b'/',
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b' ',
        h0,
        h1,
        b':',
        n0,
        n1,
    ];
    // No leading zero on the hour: drop it by moving the date one place on.
    let start = if h0 == b'0' {
        buffer.copy_within(0..11, 1);
        1
    } else {
        0
    };
    Cow::Borrowed(std::str::from_utf8(&buffer[start..]).expect("ASCII digits and separators"))
}

/// Whether `at` can be written without loss: a whole minute in years 1000–9999.
pub(crate) fn is_representable(at: DateTime) -> bool {
    at.second() == 0 && at.subsec_nanosecond() == 0 && (1000..=9999).contains(&at.year())
}

/// Reads `M/D/YYYY H:MM` (one or two digits for month, day and hour; four for
/// the year; two for the minute), or `None` for any other form or an impossible
/// date.
///
/// ```
/// use strax_xml_protocol::{parse_wire_datetime, jiff::civil::date};
///
/// assert_eq!(parse_wire_datetime("01/23/2014 7:30"), Some(date(2014, 1, 23).at(7, 30, 0, 0)));
/// assert_eq!(parse_wire_datetime("02/30/2014 7:30"), None);
/// ```
pub fn parse_wire(text: &str) -> Option<DateTime> {
    let (date, time) = text.split_once(' ')?;
    let mut parts = date.split('/');
    let month = number(parts.next()?, 1..=2)?;
    let day = number(parts.next()?, 1..=2)?;
    let year = number(parts.next()?, 4..=4)?;
    if parts.next().is_some() {
        return None;
    }
    let (hour, minute) = time.split_once(':')?;
    let hour = number(hour, 1..=2)?;
    let minute = number(minute, 2..=2)?;
    DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        0,
        0,
    )
    .ok()
}

fn number(text: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u32> {
    if digits.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn formats_like_the_vendor_sample() {
        assert_eq!(
            format_wire(date(2014, 1, 23).at(7, 30, 0, 0)),
            "01/23/2014 7:30"
        );
        assert_eq!(
            format_wire(date(2014, 12, 3).at(17, 5, 0, 0)),
            "12/03/2014 17:05"
        );
        assert_eq!(
            format_wire(date(2014, 12, 3).at(0, 0, 0, 0)),
            "12/03/2014 0:00"
        );
    }

    #[test]
    fn the_digit_by_digit_path_matches_format_for_every_field_width() {
        for at in [
            date(1000, 1, 1).at(0, 0, 0, 0),
            date(9999, 12, 31).at(23, 59, 0, 0),
            date(2026, 10, 9).at(10, 7, 0, 0),
            date(2026, 3, 28).at(9, 59, 0, 0),
        ] {
            let expected = format_general(at);
            assert_eq!(format_wire(at), expected);
        }
        // Years outside 1000-9999 are never sent (validation refuses them) but
        // still format as before.
        assert_eq!(
            format_wire(date(999, 1, 2).at(3, 4, 0, 0)),
            "01/02/0999 3:04"
        );
        assert_eq!(
            format_wire(date(-5, 1, 2).at(3, 4, 0, 0)),
            "01/02/-005 3:04"
        );
    }

    #[test]
    fn the_buffer_path_matches_format_for_every_hour_minute_and_month() {
        for (year, month, day) in [(1000, 1, 1), (2026, 2, 28), (9999, 12, 31), (2014, 10, 9)] {
            for hour in 0..24 {
                for minute in [0, 5, 30, 59] {
                    let at = date(year, month, day).at(hour, minute, 0, 0);
                    let expected = format_general(at);
                    let mut buffer = WireBuffer::default();
                    let written = format_wire_in(at, &mut buffer);
                    assert!(matches!(written, Cow::Borrowed(_)), "{expected}");
                    assert_eq!(written, expected);
                    assert_eq!(format_wire(at), expected);
                }
            }
        }
    }

    #[test]
    fn parses_what_it_formats_and_the_sample() {
        let at = date(2014, 1, 23).at(7, 30, 0, 0);
        assert_eq!(parse_wire("01/23/2014 7:30"), Some(at));
        assert_eq!(parse_wire("1/23/2014 07:30"), Some(at));
        assert_eq!(parse_wire(&format_wire(at)), Some(at));
    }

    #[test]
    fn rejects_other_forms_and_impossible_dates() {
        for text in [
            "",
            "01/23/2014",
            "2014-01-23 7:30",
            "01/23/14 7:30",
            "13/01/2014 7:30",
            "02/30/2014 7:30",
            "01/23/2014 24:00",
            "01/23/2014 7:3",
            "01/23/2014 7:30:00",
            "01/23/2014  7:30",
            "01/23/2014 7:30 PM",
            "01/23/2014/1 7:30",
            "+1/23/2014 7:30",
        ] {
            assert_eq!(parse_wire(text), None, "{text}");
        }
    }

    #[test]
    fn seconds_and_short_years_are_not_representable() {
        assert!(is_representable(date(2014, 1, 23).at(7, 30, 0, 0)));
        assert!(!is_representable(date(2014, 1, 23).at(7, 30, 1, 0)));
        assert!(!is_representable(date(2014, 1, 23).at(7, 30, 0, 1)));
        assert!(!is_representable(date(999, 1, 23).at(7, 30, 0, 0)));
    }
}
