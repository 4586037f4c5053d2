//! Validation and normalisation of a record's fields.

use std::borrow::Cow;

use strict_xml::first_forbidden_char;
use wire_core::validation::{Rule, Violation, Violations};

use crate::field::{FieldKind, FieldSpec, PostRecord};

/// How strictly formatting is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Mode {
    /// Common formatting is normalised: spaces, dashes, dots and parentheses
    /// in phone numbers (and a leading `+1`), spaces, dashes and dots in zip
    /// codes and other digit fields, surrounding spaces. State codes are
    /// upper-cased in both modes.
    #[default]
    Normalise,
    /// Phone numbers, zip codes and other digit fields must already be
    /// digits only.
    Strict,
}

/// Every two-letter code accepted for `state`: the 50 states, the District
/// of Columbia, and the territories (American Samoa, Guam, the Northern
/// Mariana Islands, Puerto Rico, the U.S. Virgin Islands and the U.S. Minor
/// Outlying Islands).
pub const US_STATE_CODES: [&str; 57] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "AS", "GU", "MP", "PR", "VI", "UM",
];

/// [`US_STATE_CODES`] as a bitmap over every pair of ASCII capitals (bit
/// `26 * first + second`), so a code is checked with one lookup instead of
/// 57 comparisons.
const STATE_BITS: [u64; 11] = {
    let mut bits = [0u64; 11];
    let mut i = 0;
    while i < US_STATE_CODES.len() {
        let code = US_STATE_CODES[i].as_bytes();
        let bit = (code[0] - b'A') as usize * 26 + (code[1] - b'A') as usize;
        bits[bit / 64] |= 1 << (bit % 64);
        i += 1;
    }
    bits
};

/// Whether `text` is one of [`US_STATE_CODES`] exactly (upper case).
fn is_state_code(text: &str) -> bool {
    match text.as_bytes() {
        &[a, b] if a.is_ascii_uppercase() && b.is_ascii_uppercase() => {
            let bit = usize::from(a - b'A') * 26 + usize::from(b - b'A');
            STATE_BITS[bit / 64] & (1 << (bit % 64)) != 0
        }
        _ => false,
    }
}

/// `record` checked and normalised, borrowed when it is already in normal
/// form (the common case: nothing to copy), else as [`normalised`] makes it.
pub(crate) fn normalised_cow<R: PostRecord>(
    record: &R,
    index: usize,
    mode: Mode,
) -> Result<Cow<'_, R>, Violations> {
    if is_normal(record) {
        Ok(Cow::Borrowed(record))
    } else {
        normalised(record, index, mode).map(Cow::Owned)
    }
}

/// Whether `record` passes every check and normalising would change nothing
/// (a read-only pass; any doubt answers `false`), characters XML forbids
/// aside: the writer refuses those in the same pass that escapes each value,
/// so callers of the fast path must let it, and fall back to [`normalised`]
/// for the record and field when it does. A value in normal form is so in
/// either [`Mode`] (the modes differ only in what they do with the others).
fn is_normal<R: PostRecord>(record: &R) -> bool {
    fields_normal(record) && record.emergency_contacts().iter().all(fields_normal)
}

fn fields_normal<R: PostRecord>(record: &R) -> bool {
    R::FIELDS
        .iter()
        .enumerate()
        .all(|(index, spec)| value_is_normal(spec, record.field_at(index).as_deref()))
}

/// Whether `value` (of the field `spec`) passes every check and normalising
/// would leave it as it is, characters XML forbids aside (see [`is_normal`]).
#[inline]
pub(crate) fn value_is_normal(spec: &FieldSpec, value: Option<&str>) -> bool {
    match value {
        Some(text) => text_is_normal(spec, text),
        None => !spec.required,
    }
}

/// [`value_is_normal`] of a set value: not blank (a required field) or not
/// empty (any other), what [`normalise_text`] leaves as it is (checked
/// directly: digits only for phones and digit fields, a listed state code,
/// anything else as it is), and within the length limit. Inlined with a
/// constant `spec`, only the checks the field has remain.
#[inline(always)]
pub(crate) fn text_is_normal(spec: &FieldSpec, value: &str) -> bool {
    let blank = if spec.required {
        is_blank(value)
    } else {
        value.is_empty()
    };
    let normal_form = match spec.kind {
        FieldKind::Phone | FieldKind::Digits => value.bytes().all(|b| b.is_ascii_digit()),
        FieldKind::State => is_state_code(value),
        _ => true,
    };
    !blank
        && normal_form
        // No more bytes than the limit means no more characters either.
        && spec
            .max_chars
            .is_none_or(|max| value.len() <= max || value.chars().count() <= max)
}

/// Whether `text` is empty or only whitespace; a first byte that is ASCII
/// and not whitespace (most values) decides at once.
fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(&b) if b.is_ascii() && !b.is_ascii_whitespace() => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// `record` checked and normalised; see [`PostRecord::normalised`].
pub(crate) fn normalised<R: PostRecord>(
    record: &R,
    index: usize,
    mode: Mode,
) -> Result<R, Violations> {
    let label = record.record(index);
    let mut out = record.clone();
    let mut errors = Vec::new();
    normalise_fields(&mut out, mode, &mut |field, rule| {
        errors.push(Violation::new(label.clone(), field, rule));
    });
    let contacts: Vec<_> = out.emergency_contacts().to_vec();
    for (position, contact) in contacts.iter().enumerate() {
        let mut contact = contact.clone();
        normalise_fields(&mut contact, mode, &mut |field, rule| {
            errors.push(Violation::new(
                label.clone(),
                format!("EmergencyContacts/{}/{field}", position + 1),
                rule,
            ));
        });
        if let Some(slot) = out
            .emergency_contacts_mut()
            .and_then(|c| c.get_mut(position))
        {
            *slot = contact;
        }
    }
    Violations::check(errors)?;
    Ok(out)
}

/// Normalises the fields of `record` in place, reporting each broken rule.
fn normalise_fields<R: PostRecord>(
    record: &mut R,
    mode: Mode,
    report: &mut dyn FnMut(&'static str, Rule),
) {
    for (index, spec) in R::FIELDS.iter().enumerate() {
        let name = spec.wire_name;
        if let Some(slot) = record.text_field_mut(index) {
            if let Some(text) = slot.as_deref() {
                match normalise_text(spec.kind, text, mode) {
                    Ok(Cow::Borrowed(_)) => {}
                    Ok(Cow::Owned(normal)) => *slot = Some(normal),
                    Err(rule) => report(name, rule),
                }
            }
            if slot.as_deref().is_some_and(str::is_empty) {
                *slot = None;
            }
        }
        let value = record.field_at(index);
        let blank = value.as_deref().is_none_or(|v| v.trim().is_empty());
        if spec.required && blank {
            report(name, Rule::Required);
            continue;
        }
        let Some(value) = value else { continue };
        if let Some((_, c)) = first_forbidden_char(&value) {
            report(
                name,
                Rule::ForbiddenCharacter {
                    code_point: u32::from(c),
                },
            );
        } else if let Some(max) = spec.max_chars
            && value.chars().count() > max
        {
            report(name, Rule::MaxChars(max));
        }
    }
}

/// The normal form of `text` for a field of `kind`.
pub(crate) fn normalise_text(
    kind: FieldKind,
    text: &str,
    mode: Mode,
) -> Result<Cow<'_, str>, Rule> {
    match kind {
        FieldKind::Phone | FieldKind::Digits => {
            if text.bytes().all(|b| b.is_ascii_digit()) {
                return Ok(Cow::Borrowed(text));
            }
            if mode == Mode::Strict {
                return Err(Rule::Digits);
            }
            let mut rest = text.trim();
            if rest.is_empty() {
                return Ok(Cow::Owned(String::new()));
            }
            if kind == FieldKind::Phone
                && let Some(after) = rest.strip_prefix("+1")
            {
                rest = after;
            }
            let separators: &[char] = if kind == FieldKind::Phone {
                &[' ', '-', '.', '(', ')', '\t']
            } else {
                &[' ', '-', '.', '\t']
            };
            let digits: String = rest.chars().filter(|c| !separators.contains(c)).collect();
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Rule::Digits);
            }
            Ok(Cow::Owned(digits))
        }
        FieldKind::State => {
            if is_state_code(text) {
                return Ok(Cow::Borrowed(text));
            }
            let code = text.trim();
            let upper = code.to_ascii_uppercase();
            if !is_state_code(&upper) {
                return Err(Rule::Format {
                    expected: "a two-letter US state or territory code (such as ID)".into(),
                });
            }
            if upper == text {
                Ok(Cow::Borrowed(text))
            } else {
                Ok(Cow::Owned(upper))
            }
        }
        _ => Ok(Cow::Borrowed(text)),
    }
}

/// Normalises every record of `records`, numbering them from 0.
///
/// # Errors
/// Every rule broken by any record, records in order.
pub fn normalise_all<R: PostRecord>(records: &[R], mode: Mode) -> Result<Vec<R>, Violations> {
    collect_all(records, |record, index| record.normalised(index, mode))
}

/// `check` of every record, or every violation of every record.
fn collect_all<'a, R, T>(
    records: &'a [R],
    check: impl Fn(&'a R, usize) -> Result<T, Violations>,
) -> Result<Vec<T>, Violations> {
    let mut out = Vec::with_capacity(records.len());
    let mut errors: Option<Violations> = None;
    for (index, record) in records.iter().enumerate() {
        match check(record, index) {
            Ok(record) => out.push(record),
            Err(more) => match &mut errors {
                Some(errors) => errors.extend(more),
                None => errors = Some(more),
            },
        }
    }
    errors.map_or(Ok(out), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_normal_exactly_when_normalising_keeps_it() {
        let kinds = [
            FieldKind::Text,
            FieldKind::Phone,
            FieldKind::Digits,
            FieldKind::State,
            FieldKind::Enum(&["2", "3"]),
            FieldKind::Decimal,
            FieldKind::Boolean,
            FieldKind::Date,
        ];
        let texts = [
            "",
            " ",
            "\t",
            "8013127735",
            "801 312",
            "(801)",
            "+18013127735",
            "ID",
            "id",
            " ID",
            "ID ",
            "ZZ",
            "I",
            "IDA",
            "Notus",
            " x",
            "é",
            "\u{a0}",
            "27.50",
            "٣",
            "12-3",
            "1.5",
        ];
        for kind in kinds {
            for required in [false, true] {
                for max_chars in [None, Some(2)] {
                    let spec = FieldSpec {
                        wire_name: "f",
                        required,
                        kind,
                        max_chars,
                        privacy: crate::Privacy::Plain,
                    };
                    for text in texts {
                        for mode in [Mode::Normalise, Mode::Strict] {
                            let blank = if required {
                                text.trim().is_empty()
                            } else {
                                text.is_empty()
                            };
                            let expected = !blank
                                && matches!(normalise_text(kind, text, mode), Ok(Cow::Borrowed(_)))
                                && max_chars.is_none_or(|max| text.chars().count() <= max);
                            assert_eq!(
                                text_is_normal(&spec, text),
                                expected,
                                "{kind:?} {required} {max_chars:?} {text:?} {mode:?}"
                            );
                        }
                    }
                    assert_eq!(value_is_normal(&spec, None), !required);
                }
            }
        }
    }

    #[test]
    fn the_state_bitmap_holds_exactly_the_listed_codes() {
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let code = String::from_utf8(vec![a, b]).unwrap();
                assert_eq!(
                    is_state_code(&code),
                    US_STATE_CODES.contains(&code.as_str()),
                    "{code}"
                );
            }
        }
        for other in ["", "I", "id", "Id", "IDA", "@A", "[A", "I\u{0}"] {
            assert!(!is_state_code(other), "{other:?}");
        }
    }
}
