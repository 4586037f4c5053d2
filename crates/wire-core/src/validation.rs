//! One shape for invalid input, whatever the service: which record, which
//! field, which rule.
//!
//! Every protocol crate reports what it refuses to send as [`Violations`]
//! (never empty), so a caller prints, counts or serialises any service's
//! validation errors the same way:
//!
//! ```
//! use wire_core::validation::{Record, Rule, Violation, Violations};
//!
//! let errors = Violations::from_vec(vec![
//!     Violation::new(Record::at("lead", 2).labelled("L-77"), "phone1", Rule::Digits),
//!     Violation::new(Record::at("lead", 2).labelled("L-77"), "state", Rule::OneOf(vec!["CA".into(), "NV".into()])),
//! ])
//! .expect("not empty");
//! assert_eq!(errors.len(), 2);
//! assert_eq!(
//!     errors.iter().next().unwrap().to_string(),
//!     "lead 2 (L-77): field `phone1` must be digits only (0-9)"
//! );
//! assert_eq!(errors.for_record(2).count(), 2);
//! ```

use std::borrow::Cow;
use std::fmt;

/// The record a violation belongs to: its kind (`operation`, `lead`, `note`,
/// `log`, …), its position in what the caller gave (from 0), and an optional
/// label the caller chose (a request type, a `lead_company_unique_id`).
///
/// A label is the caller's own identifier, never a value from the record's
/// personal fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Record {
    /// What kind of record (`operation`, `lead`, `customer`, `note`, `log`).
    pub kind: Cow<'static, str>,
    /// Its position in the batch or list the caller gave, from 0.
    pub index: usize,
    /// The caller's name for it, when there is one.
    pub label: Option<String>,
}

impl Record {
    /// Record number `index` (from 0) of `kind`.
    #[must_use]
    pub fn at(kind: impl Into<Cow<'static, str>>, index: usize) -> Self {
        Self {
            kind: kind.into(),
            index,
            label: None,
        }
    }

    /// This record with the caller's `label` for it.
    #[must_use]
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

impl fmt::Display for Record {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.index)?;
        if let Some(label) = &self.label {
            write!(f, " ({label})")?;
        }
        Ok(())
    }
}

/// The rule a value breaks. [`code`](Self::code) is a stable, short name for
/// machine-readable output; `Display` is the sentence after "field `x`".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rule {
    /// A required value is missing or blank.
    Required,
    /// Only ASCII digits are allowed.
    Digits,
    /// The value must be one of these (wire codes or words).
    OneOf(Vec<Cow<'static, str>>),
    /// At most this many characters.
    MaxChars(usize),
    /// A number outside `min..=max`.
    Range {
        /// The smallest allowed value.
        min: i64,
        /// The largest allowed value.
        max: i64,
    },
    /// The value is not written the way the service needs; `expected` says
    /// how it must be written (`a local date and time written MM/DD/YYYY H:MM`).
    Format {
        /// How the value must be written.
        expected: Cow<'static, str>,
    },
    /// The value must come after the value of `other` (an end after its start).
    After {
        /// The field it must come after.
        other: Cow<'static, str>,
    },
    /// Neither this field nor any of these is given; one of them must be.
    AtLeastOneOf(Vec<Cow<'static, str>>),
    /// A character the wire format forbids (most C0 controls in XML 1.0).
    ForbiddenCharacter {
        /// Its Unicode code point.
        code_point: u32,
    },
    /// (Server side) the field does not belong to this record.
    UnknownField,
    /// (Server side) the field is given more than once.
    Duplicate,
    /// Too many records in one request; at most `max`.
    TooMany {
        /// The largest number allowed.
        max: usize,
    },
    /// A service-specific rule: a stable `code` and the sentence that says it.
    Other {
        /// A stable, short name (`snake_case`).
        code: &'static str,
        /// The rule, as the end of "field `x` …".
        message: Cow<'static, str>,
    },
}

impl Rule {
    /// A stable, short name for the rule (`required`, `digits`, `one_of`, …).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::Digits => "digits",
            Self::OneOf(_) => "one_of",
            Self::MaxChars(_) => "max_chars",
            Self::Range { .. } => "range",
            Self::Format { .. } => "format",
            Self::After { .. } => "after",
            Self::AtLeastOneOf(_) => "at_least_one_of",
            Self::ForbiddenCharacter { .. } => "forbidden_character",
            Self::UnknownField => "unknown_field",
            Self::Duplicate => "duplicate",
            Self::TooMany { .. } => "too_many",
            Self::Other { code, .. } => code,
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Required => f.write_str("is required and must not be blank"),
            Self::Digits => f.write_str("must be digits only (0-9)"),
            Self::OneOf(values) => write!(f, "must be one of {}", values.join(", ")),
            Self::MaxChars(max) => write!(f, "must be at most {max} characters"),
            Self::Range { min, max } => write!(f, "must be between {min} and {max}"),
            Self::Format { expected } => write!(f, "must be {expected}"),
            Self::After { other } => write!(f, "must be after {other}"),
            Self::AtLeastOneOf(fields) => {
                write!(f, "or one of {} must be given", fields.join(", "))
            }
            Self::ForbiddenCharacter { code_point } => write!(
                f,
                "contains the character U+{code_point:04X}, which the wire format forbids"
            ),
            Self::UnknownField => f.write_str("is not a field of this record"),
            Self::Duplicate => f.write_str("is given more than once"),
            Self::TooMany { max } => write!(f, "holds more than {max} records"),
            Self::Other { message, .. } => f.write_str(message),
        }
    }
}

/// One value that breaks one rule: which record (none for what belongs to
/// the whole request, such as credentials), which field (its wire name), and
/// which rule. Never holds the value itself: values may be secret or personal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub struct Violation {
    /// The record, or `None` for the request as a whole.
    pub record: Option<Record>,
    /// The field's wire name (as the service's documentation spells it).
    pub field: Cow<'static, str>,
    /// The rule it breaks.
    pub rule: Rule,
}

impl Violation {
    /// `field` of `record` breaks `rule`.
    #[must_use]
    pub fn new(record: Record, field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self {
            record: Some(record),
            field: field.into(),
            rule,
        }
    }

    /// `field` of the request as a whole (credentials, the batch) breaks `rule`.
    #[must_use]
    pub fn of_request(field: impl Into<Cow<'static, str>>, rule: Rule) -> Self {
        Self {
            record: None,
            field: field.into(),
            rule,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.record {
            Some(record) => write!(f, "{record}: field `{}` {}", self.field, self.rule),
            None => write!(f, "field `{}` {}", self.field, self.rule),
        }
    }
}

/// Every reason a request cannot be sent (never empty), records in the
/// caller's order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, thiserror::Error)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// `violations`, or `None` when there are none.
    #[must_use]
    pub fn from_vec(violations: Vec<Violation>) -> Option<Self> {
        if violations.is_empty() {
            None
        } else {
            Some(Self(violations))
        }
    }

    /// One violation.
    #[must_use]
    pub fn one(violation: Violation) -> Self {
        Self(vec![violation])
    }

    /// `Ok(())` when `violations` is empty, else the violations.
    ///
    /// # Errors
    /// The violations, when there is at least one.
    pub fn check(violations: Vec<Violation>) -> Result<(), Self> {
        Self::from_vec(violations).map_or(Ok(()), Err)
    }

    /// The violations, in order.
    #[must_use]
    pub fn as_slice(&self) -> &[Violation] {
        &self.0
    }

    /// The violations, in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Violation> {
        self.0.iter()
    }

    /// How many (at least one).
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: there is at least one violation.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The violations of record number `index`.
    pub fn for_record(&self, index: usize) -> impl Iterator<Item = &Violation> {
        self.0
            .iter()
            .filter(move |v| v.record.as_ref().is_some_and(|r| r.index == index))
    }

    /// The positions of the records with at least one violation, ascending,
    /// each once.
    #[must_use]
    pub fn record_indexes(&self) -> Vec<usize> {
        let mut indexes: Vec<usize> = self
            .0
            .iter()
            .filter_map(|v| v.record.as_ref().map(|r| r.index))
            .collect();
        indexes.sort_unstable();
        indexes.dedup();
        indexes
    }

    /// Adds the violations of `other` after these.
    pub fn extend(&mut self, other: Self) {
        self.0.extend(other.0);
    }

    /// The violations, by value.
    #[must_use]
    pub fn into_vec(self) -> Vec<Violation> {
        self.0
    }
}

impl<'a> IntoIterator for &'a Violations {
    type Item = &'a Violation;
    type IntoIter = std::slice::Iter<'a, Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Violations {
    type Item = Violation;
    type IntoIter = std::vec::IntoIter<Violation>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl From<Violation> for Violations {
    fn from(violation: Violation) -> Self {
        Self::one(violation)
    }
}

impl fmt::Display for Violations {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.0.len();
        write!(
            f,
            "{count} validation error{}: ",
            if count == 1 { "" } else { "s" }
        )?;
        for (i, violation) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_list_is_no_error() {
        assert_eq!(Violations::from_vec(Vec::new()), None);
        assert_eq!(Violations::check(Vec::new()), Ok(()));
    }

    #[test]
    fn messages_name_the_record_the_field_and_the_rule() {
        let errors = Violations::from_vec(vec![
            Violation::new(
                Record::at("operation", 0).labelled("CreateTechSchedule"),
                "EndTime",
                Rule::After {
                    other: "StartTime".into(),
                },
            ),
            Violation::of_request("Password", Rule::Required),
        ])
        .unwrap();
        assert_eq!(
            errors.to_string(),
            "2 validation errors: operation 0 (CreateTechSchedule): field `EndTime` must be after \
             StartTime; field `Password` is required and must not be blank"
        );
        assert_eq!(errors.record_indexes(), vec![0]);
    }

    #[test]
    fn rule_codes_are_stable_names() {
        let rules = [
            (Rule::Required, "required"),
            (Rule::Digits, "digits"),
            (Rule::OneOf(vec!["a".into()]), "one_of"),
            (Rule::MaxChars(50), "max_chars"),
            (Rule::Range { min: 1, max: 50 }, "range"),
            (
                Rule::Format {
                    expected: "x".into(),
                },
                "format",
            ),
            (Rule::After { other: "a".into() }, "after"),
            (Rule::AtLeastOneOf(vec!["a".into()]), "at_least_one_of"),
            (
                Rule::ForbiddenCharacter { code_point: 1 },
                "forbidden_character",
            ),
            (Rule::UnknownField, "unknown_field"),
            (Rule::Duplicate, "duplicate"),
            (Rule::TooMany { max: 3 }, "too_many"),
            (
                Rule::Other {
                    code: "end_after_start",
                    message: "m".into(),
                },
                "end_after_start",
            ),
        ];
        for (rule, code) in rules {
            assert_eq!(rule.code(), code);
        }
    }
}
