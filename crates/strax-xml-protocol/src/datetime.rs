//! The wire form of local date-times: `MM/DD/YYYY H:MM`, 24 h, no leading zero
//! on the hour (the vendor's sample: `01/23/2014 7:30`).

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
    if (1000..=9999).contains(&at.year()) {
        // The common case, written digit by digit (`format!` costs several
        // times more and this runs twice per date-time field per encode).
        let mut out = String::with_capacity(16);
        push_digits(&mut out, at.month().unsigned_abs().into(), 2);
        out.push('/');
        push_digits(&mut out, at.day().unsigned_abs().into(), 2);
        out.push('/');
        push_digits(&mut out, at.year().unsigned_abs(), 4);
        out.push(' ');
        push_digits(&mut out, at.hour().unsigned_abs().into(), 1);
        out.push(':');
        push_digits(&mut out, at.minute().unsigned_abs().into(), 2);
        return out;
    }
    format!(
        "{:02}/{:02}/{:04} {}:{:02}",
        at.month(),
        at.day(),
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// Appends `value` in decimal, zero-padded to at least `width` digits.
fn push_digits(out: &mut String, value: u16, width: usize) {
    let mut digits = [b'0'; 5];
    let mut rest = value;
    let mut used = 0;
    while rest > 0 || used < width {
        digits[4 - used] = b'0' + u8::try_from(rest % 10).expect("a digit");
        rest /= 10;
        used += 1;
    }
    for &digit in &digits[5 - used..] {
        out.push(char::from(digit));
    }
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
            let expected = format!(
                "{:02}/{:02}/{:04} {}:{:02}",
                at.month(),
                at.day(),
                at.year(),
                at.hour(),
                at.minute()
            );
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
