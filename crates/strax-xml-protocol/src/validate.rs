//! Field rules and validation errors, shared by the client (before encoding)
//! and the server side (after decoding a request).

use std::fmt;

use jiff::civil::DateTime;

use crate::datetime::parse_wire;
use crate::generated::RequestType;
use crate::spec::{FieldKind, FieldSpec};

/// The rule a field value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldRule {
    /// A required value is missing or blank.
    Required,
    /// Only ASCII digits are allowed (ids).
    Digits,
    /// The value must be one of these wire codes.
    OneOf(&'static [&'static str]),
    /// Not a date-time written `MM/DD/YYYY H:MM`, or not writable that way
    /// (seconds, or a year outside 1000–9999).
    DateTime,
    /// Not a decimal number.
    Decimal,
    /// `EndTime` is not after `StartTime`.
    EndAfterStart,
    /// None of the location parts is given.
    AtLeastOneOf(Vec<&'static str>),
    /// A character XML 1.0 forbids.
    ForbiddenCharacter {
        /// Its Unicode code point.
        code_point: u32,
    },
    /// (Server side) the field does not belong to the request type.
    UnknownField,
    /// (Server side) the field is sent more than once.
    Duplicate,
}

impl fmt::Display for FieldRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("is required and must not be blank"),
            Self::Digits => f.write_str("must be digits only (0-9)"),
            Self::OneOf(codes) => write!(f, "must be one of {}", codes.join(", ")),
            Self::DateTime => f.write_str(
                "must be a local date and time written MM/DD/YYYY H:MM (24 h, whole minutes, years 1000-9999)",
            ),
            Self::Decimal => f.write_str("must be a decimal number such as -89.6440"),
            Self::EndAfterStart => f.write_str("must be after StartTime"),
            Self::AtLeastOneOf(fields) => write!(f, "or one of {} must be given", fields.join(", ")),
            Self::ForbiddenCharacter { code_point } => {
                write!(f, "contains the character U+{code_point:04X}, which XML 1.0 forbids")
            }
            Self::UnknownField => f.write_str("is not a field of this request type"),
            Self::Duplicate => f.write_str("is sent more than once"),
        }
    }
}

/// One field of one operation that breaks a rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operation {operation_index} ({}): field `{field}` {rule}", request_type.wire_name())]
pub struct FieldError {
    /// The operation's position in the batch, from 0 (the authentication request not counted).
    pub operation_index: usize,
    /// The operation's request type.
    pub request_type: RequestType,
    /// The field's wire name.
    pub field: String,
    /// The rule it breaks.
    pub rule: FieldRule,
}

/// One reason a batch cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A field of an operation breaks a rule.
    #[error(transparent)]
    Field(#[from] FieldError),
    /// A credential field breaks a rule.
    #[error("credentials: field `{field}` {rule}")]
    Credentials {
        /// `Username`, `Password` or `PartnerID`.
        field: &'static str,
        /// The rule it breaks.
        rule: FieldRule,
    },
    /// The batch has no operations.
    #[error("the batch has no operations")]
    EmptyBatch,
    /// Reads and writes in one batch without a chosen script.
    #[error(
        "the batch mixes reads (operations {reads:?}, served by the requester script) and writes \
         (operations {writes:?}, served by the poster script): split it with `split_by_script` \
         or choose a script with `Batch::with_script`"
    )]
    MixedScripts {
        /// Positions of the read operations.
        reads: Vec<usize>,
        /// Positions of the write operations.
        writes: Vec<usize>,
    },
}

/// Every reason a batch cannot be encoded (never empty).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    pub(crate) fn new(errors: Vec<ValidationError>) -> Option<Self> {
        if errors.is_empty() {
            None
        } else {
            Some(Self(errors))
        }
    }

    /// The errors, operations in batch order.
    #[must_use]
    pub fn errors(&self) -> &[ValidationError] {
        &self.0
    }

    /// The field errors of operation `index`.
    pub fn for_operation(&self, index: usize) -> impl Iterator<Item = &FieldError> {
        self.0.iter().filter_map(move |error| match error {
            ValidationError::Field(field) if field.operation_index == index => Some(field),
            _ => None,
        })
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} validation error{}: ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
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
pub(crate) fn check_fields(
    request_type: RequestType,
    fields: &[(&str, &str)],
) -> Vec<(String, FieldRule)> {
    check_fields_with(request_type, fields, Characters::Check)
}

/// [`check_fields`], with or without the forbidden-character rule.
pub(crate) fn check_fields_with<V: AsRef<str>>(
    request_type: RequestType,
    fields: &[(&str, V)],
    characters: Characters,
) -> Vec<(String, FieldRule)> {
    let specs = request_type.fields();
    let mut problems = Vec::new();
    let value_of = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| same_name(field, name))
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
        if !specs.iter().any(|spec| same_name(spec.wire_name, name)) {
            problems.push(((*name).to_owned(), FieldRule::UnknownField));
        } else if fields[..i]
            .iter()
            .any(|(earlier, _)| same_name(earlier, name))
        {
            problems.push(((*name).to_owned(), FieldRule::Duplicate));
        }
    }
    let parsed = |known: Option<Option<DateTime>>, name| {
        known.unwrap_or_else(|| value_of(name).and_then(parse_wire))
    };
    if let (Some(start), Some(end)) = (parsed(start_time, "StartTime"), parsed(end_time, "EndTime"))
        && end <= start
    {
        problems.push(("EndTime".to_owned(), FieldRule::EndAfterStart));
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
            .map(|s| s.wire_name)
            .collect();
        problems.push((first.to_owned(), FieldRule::AtLeastOneOf(all)));
    }
    problems
}

/// Whether two wire names are the same. Names taken from the field tables
/// are usually the very same `&'static str`, which is compared without
/// reading the bytes.
fn same_name(a: &str, b: &str) -> bool {
    std::ptr::eq(a, b) || same_text(a, b)
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
) -> Option<FieldRule> {
    let value = match value {
        Some(value) if !value.trim().is_empty() => value,
        Some(value) if !value.is_empty() && !spec.required => value,
        _ if spec.required => return Some(FieldRule::Required),
        _ => return None,
    };
    if characters == Characters::Check
        && let Some((_, c)) = strict_xml::first_forbidden_char(value)
    {
        return Some(FieldRule::ForbiddenCharacter {
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
        FieldKind::Digits => FieldRule::Digits,
        FieldKind::Enum(codes) => FieldRule::OneOf(codes),
        FieldKind::DateTime => FieldRule::DateTime,
        _ => FieldRule::Decimal,
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
                ("Extra".to_owned(), FieldRule::UnknownField),
                ("ConfirmationNumber".to_owned(), FieldRule::Duplicate)
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
        assert_eq!(
            problems,
            vec![("NoteSubject".to_owned(), FieldRule::Required)]
        );
    }

    #[test]
    fn rules_read_well() {
        let error = FieldError {
            operation_index: 2,
            request_type: RequestType::CreateCustomerNote,
            field: "NoteTypeID".into(),
            rule: FieldRule::OneOf(crate::NoteType::CODES),
        };
        assert_eq!(
            error.to_string(),
            "operation 2 (CreateCustomerNoteBySecurityTraxUniqueID): field `NoteTypeID` must be one of 1, 2, 3"
        );
        let errors = ValidationErrors::new(vec![error.into(), ValidationError::EmptyBatch])
            .expect("non-empty");
        assert!(
            errors
                .to_string()
                .starts_with("2 validation errors: operation 2")
        );
        assert!(ValidationErrors::new(Vec::new()).is_none());
    }
}
