//! Field rules, shared by the client (before encoding) and the server side
//! (after decoding a request), reported in `wire_core`'s service-neutral
//! [`Violations`] shape.

use std::borrow::Cow;

use jiff::civil::DateTime;
use wire_core::validation::{Record, Rule, Violation, Violations};

use crate::datetime::parse_wire;
use crate::generated::RequestType;
use crate::spec::{FieldKind, FieldSpec};

/// The kind of record a SecurityTrax violation belongs to.
pub const OPERATION_RECORD: &str = "operation";

/// How a date-time must be written (the end of "field `x` must be …").
const DATE_TIME_FORMAT: &str =
    "a local date and time written MM/DD/YYYY H:MM (24 h, whole minutes, years 1000-9999)";

/// How a decimal must be written.
const DECIMAL_FORMAT: &str = "a decimal number such as -89.6440";

/// Not a date-time written `MM/DD/YYYY H:MM`, or not writable that way
/// (seconds, or a year outside 1000–9999).
pub(crate) fn date_time_rule() -> Rule {
    Rule::Format {
        expected: Cow::Borrowed(DATE_TIME_FORMAT),
    }
}

/// Not a decimal number.
pub(crate) fn decimal_rule() -> Rule {
    Rule::Format {
        expected: Cow::Borrowed(DECIMAL_FORMAT),
    }
}

/// `EndTime` is not after `StartTime`.
pub(crate) fn end_after_start_rule() -> Rule {
    Rule::After {
        other: Cow::Borrowed("StartTime"),
    }
}

/// The value must be one of these wire codes.
pub(crate) fn one_of_rule(codes: &'static [&'static str]) -> Rule {
    Rule::OneOf(codes.iter().copied().map(Cow::Borrowed).collect())
}

/// The record of operation number `index` (from 0, the authentication not
/// counted) of type `request_type`: kind `operation`, labelled with the
/// request type's wire name.
#[must_use]
pub fn operation_record(index: usize, request_type: RequestType) -> Record {
    Record::at(OPERATION_RECORD, index).labelled(request_type.wire_name())
}

/// `problems` of operation number `index` of type `request_type`, as violations.
pub(crate) fn operation_violations(
    index: usize,
    request_type: RequestType,
    problems: Vec<(String, Rule)>,
) -> impl Iterator<Item = Violation> {
    problems.into_iter().map(move |(field, rule)| {
        Violation::new(operation_record(index, request_type), field, rule)
    })
}

/// `problems` of operation number `index`, or `None` when there are none.
pub(crate) fn operation_violations_of(
    index: usize,
    request_type: RequestType,
    problems: Vec<(String, Rule)>,
) -> Option<Violations> {
    Violations::from_vec(operation_violations(index, request_type, problems).collect())
}

/// Whether the rule "no character XML 1.0 forbids" is checked. The encoder
/// skips it on its fast path, where the writer refuses such characters in the
/// same pass that escapes each value (and then falls back to checking every
/// rule, to report them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Characters {
    /// Check it, like every other rule.
    Check,
    /// Leave it to the writer.
    Skip,
}

/// Checks wire fields against `request_type`'s table: required values, kinds,
/// forbidden characters, unknown and duplicate names, `EndTime` after
/// `StartTime`, and "at least one location part". Returns (wire name, rule)
/// pairs in table order, then unknown and duplicate names.
pub(crate) fn check_fields<N: AsRef<str>, V: AsRef<str>>(
    request_type: RequestType,
    fields: &[(N, V)],
) -> Vec<(String, Rule)> {
    check_fields_with(request_type, fields, Characters::Check)
}

/// [`check_fields`], with or without the forbidden-character rule.
pub(crate) fn check_fields_with<N: AsRef<str>, V: AsRef<str>>(
    request_type: RequestType,
    fields: &[(N, V)],
    characters: Characters,
) -> Vec<(String, Rule)> {
    let specs = request_type.fields();
    let mut problems = Vec::new();
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| same_name(field.as_ref(), name))
            .map(|(_, value)| value.as_ref())
    };
    // The times as parsed while checking their fields (`Some` when the table
    // has the field), so that they are not parsed twice.
    let (mut start_time, mut end_time) = (None, None);
    for spec in specs {
        let mut parsed = None;
        if let Some(rule) = check_value(spec, value_of(spec.wire_name), characters, &mut parsed) {
            problems.push((spec.wire_name.to_owned(), rule));
        }
        if spec.kind == FieldKind::DateTime {
            if same_text(spec.wire_name, "StartTime") {
                start_time = Some(parsed);
            } else if same_text(spec.wire_name, "EndTime") {
                end_time = Some(parsed);
            }
        }
    }
    for (i, (name, _)) in fields.iter().enumerate() {
        let name = name.as_ref();
        if !specs.iter().any(|spec| same_name(spec.wire_name, name)) {
            problems.push((name.to_owned(), Rule::UnknownField));
        } else if fields[..i]
            .iter()
            .any(|(earlier, _)| same_name(earlier.as_ref(), name))
        {
            problems.push((name.to_owned(), Rule::Duplicate));
        }
    }
    let parsed = |known: Option<Option<DateTime>>, name| {
        known.unwrap_or_else(|| value_of(name).and_then(parse_wire))
    };
    if let (Some(start), Some(end)) = (parsed(start_time, "StartTime"), parsed(end_time, "EndTime"))
        && end <= start
    {
        problems.push(("EndTime".to_owned(), end_after_start_rule()));
    }
    let mut locations = specs.iter().filter(|s| s.location).map(|s| s.wire_name);
    if let Some(first) = locations.next()
        && !std::iter::once(first)
            .chain(locations)
            .any(|name| value_of(name).is_some_and(|v| !v.trim().is_empty()))
    {
        let all = specs
            .iter()
            .filter(|s| s.location)
            .map(|s| Cow::Borrowed(s.wire_name))
            .collect();
        problems.push((first.to_owned(), Rule::AtLeastOneOf(all)));
    }
    problems
}

/// Whether two wire names are the same. Names taken from the field tables
/// are usually the very same `&'static str`, which is compared without
/// reading the bytes.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    // Names of other lengths (most pairs compared) are told apart at once.
    a.len() == b.len()
        && (std::ptr::eq(a.as_ptr(), b.as_ptr()) || a.bytes().zip(b.bytes()).all(|(x, y)| x == y))
}

/// `value.trim().is_empty()`: empty or only whitespace. A value that starts
/// with a printable ASCII character (most do) is told at once, without the
/// Unicode-aware trim.
#[inline]
pub(crate) fn is_blank(value: &str) -> bool {
    match value.as_bytes().first() {
        None => true,
        // `!` to `~` and DEL: never whitespace.
        Some(0x21..=0x7F) => false,
        Some(_) => value.trim().is_empty(),
    }
}

/// `a == b`, compared in line: names and codes are short, and a call to
/// `memcmp` costs more than comparing them here.
fn same_text(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The rule `value` breaks, if any. A date-time that parses is left in
/// `parsed` (`None` otherwise, as `parse_wire` of the value would give).
pub(crate) fn check_value(
    spec: &FieldSpec,
    value: Option<&str>,
    characters: Characters,
    parsed: &mut Option<DateTime>,
) -> Option<Rule> {
    let value = match value {
        Some(value) if !is_blank(value) => value,
        Some(value) if !value.is_empty() && !spec.required => value,
        _ if spec.required => return Some(Rule::Required),
        _ => return None,
    };
    if characters == Characters::Check
        && let Some((_, c)) = strict_xml::first_forbidden_char(value)
    {
        return Some(Rule::ForbiddenCharacter {
            code_point: u32::from(c),
        });
    }
    let ok = match spec.kind {
        FieldKind::Text => true,
        FieldKind::Digits => value.bytes().all(|b| b.is_ascii_digit()),
        FieldKind::Enum(codes) => codes.iter().any(|code| same_text(code, value)),
        FieldKind::DateTime => {
            *parsed = parse_wire(value);
            parsed.is_some()
        }
        FieldKind::Decimal => is_decimal(value),
    };
    if ok {
        return None;
    }
    Some(match spec.kind {
        FieldKind::Digits => Rule::Digits,
        FieldKind::Enum(codes) => one_of_rule(codes),
        FieldKind::DateTime => date_time_rule(),
        _ => decimal_rule(),
    })
}

/// `-?digits(.digits)?`
fn is_decimal(text: &str) -> bool {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(whole) && digits(fraction)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals() {
        for ok in ["0", "39.7990", "-89.6440", "12"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-", ".5", "5.", "1e3", "+1", "1.2.3", "١"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn blank_is_trim_is_empty() {
        let mut values: Vec<String> = (0..=0x7F_u8).map(|b| char::from(b).to_string()).collect();
        for c in ['\u{A0}', '\u{2003}', '\u{3000}', '\u{85}', 'é', '\u{FEFF}'] {
            values.push(c.to_string());
        }
        let more: Vec<String> = values
            .iter()
            .flat_map(|a| {
                [
                    format!("{a}x"),
                    format!(" {a}"),
                    format!("{a} "),
                    format!("{a}\u{2003}"),
                ]
            })
            .collect();
        values.extend(more);
        values.push(String::new());
        for value in &values {
            assert_eq!(is_blank(value), value.trim().is_empty(), "{value:?}");
        }
    }

    #[test]
    fn reports_unknown_and_duplicate_fields() {
        let problems = check_fields(
            RequestType::UpdateConfirmationNumber,
            &[
                ("SecurityTraxUniqueID", "1"),
                ("ConfirmationNumber", "2"),
                ("Extra", "x"),
                ("ConfirmationNumber", "3"),
            ],
        );
        assert_eq!(
            problems,
            vec![
                ("Extra".to_owned(), Rule::UnknownField),
                ("ConfirmationNumber".to_owned(), Rule::Duplicate)
            ]
        );
    }

    #[test]
    fn whitespace_only_optional_text_is_allowed_but_required_is_not() {
        let problems = check_fields(
            RequestType::CreateCustomerNote,
            &[
                ("SecurityTraxUniqueID", "1"),
                ("NoteSubject", "  "),
                ("NoteText", "t"),
                ("NoteTypeID", "1"),
                ("PartnerCompanyUniqueID", " "),
            ],
        );
        assert_eq!(problems, vec![("NoteSubject".to_owned(), Rule::Required)]);
    }

    #[test]
    fn rules_read_well() {
        let error = Violation::new(
            operation_record(2, RequestType::CreateCustomerNote),
            "NoteTypeID",
            one_of_rule(crate::NoteType::CODES),
        );
        assert_eq!(
            error.to_string(),
            "operation 2 (CreateCustomerNoteBySecurityTraxUniqueID): field `NoteTypeID` must be one of 1, 2, 3"
        );
        assert_eq!(
            Violation::new(
                operation_record(0, RequestType::CreateTechSchedule),
                "StartTime",
                date_time_rule()
            )
            .to_string(),
            "operation 0 (CreateTechScheduleBySecurityTraxUniqueID): field `StartTime` must be a local \
             date and time written MM/DD/YYYY H:MM (24 h, whole minutes, years 1000-9999)"
        );
        assert_eq!(
            decimal_rule().to_string(),
            "must be a decimal number such as -89.6440"
        );
        assert_eq!(
            end_after_start_rule().to_string(),
            "must be after StartTime"
        );
        assert!(operation_violations_of(0, RequestType::CreateCustomerNote, Vec::new()).is_none());
    }
}
