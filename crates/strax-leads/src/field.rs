//! The shape of the generated field tables, the values fields hold, and
//! [`PostRecord`], what leads and customers have in common.

use std::borrow::Cow;

use jiff::civil::Date;
use wire_core::validation::{Record, Rule, Violation, Violations};

use crate::amount::{AMOUNT_FORMAT, Amount};
use crate::generated::EmergencyContact;

/// How a field's value is checked and normalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// Free text without characters XML 1.0 forbids.
    Text,
    /// A phone number: digits only. Spaces, dashes, dots, parentheses and a
    /// leading `+1` are removed ([`Mode::Normalise`](crate::Mode::Normalise))
    /// or refused ([`Mode::Strict`](crate::Mode::Strict)).
    Phone,
    /// Digits only (a zip code, a score). Spaces, dashes and dots are removed
    /// or refused, as for [`FieldKind::Phone`].
    Digits,
    /// A two-letter US state or territory code, upper-cased.
    State,
    /// One of the listed wire codes (a value's name is accepted too).
    Enum(&'static [&'static str]),
    /// An exact amount written `XX.YY` ([`Amount`]).
    Decimal,
    /// `true` or `false`.
    Boolean,
    /// A calendar date written `YYYY-MM-DD`.
    Date,
}

/// How much of a field's value `Debug` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Privacy {
    /// Shown as is.
    Plain,
    /// Personal data (names, addresses, phones): shown as `[personal]`.
    Personal,
    /// Sensitive data (social security number, credit data, birth date):
    /// shown as `[redacted]`, never logged, never in snapshots.
    Secret,
}

/// One documented field, as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldSpec {
    /// The wire name (the element name, as the vendor's page spells it).
    pub wire_name: &'static str,
    /// Whether a non-blank value is required.
    pub required: bool,
    /// How the value is checked.
    pub kind: FieldKind,
    /// The most characters allowed, if limited.
    pub max_chars: Option<usize>,
    /// How much of the value `Debug` shows.
    pub privacy: Privacy,
}

/// A value a field can hold, read from and written as its wire text.
pub(crate) trait WireValue: Sized {
    /// The value `text` stands for (`text` is not blank).
    fn parse_wire(text: &str) -> Result<Self, Rule>;
    /// The wire text.
    fn wire(&self) -> Cow<'_, str>;
    /// The value as a visitor is given it (its wire text, or the typed value).
    fn value(&self) -> FieldValue<'_>;
}

impl WireValue for String {
    fn parse_wire(text: &str) -> Result<Self, Rule> {
        Ok(text.to_owned())
    }
    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
    fn value(&self) -> FieldValue<'_> {
        FieldValue::Text(self)
    }
}

impl WireValue for Amount {
    fn parse_wire(text: &str) -> Result<Self, Rule> {
        text.parse().map_err(|_| Rule::Format {
            expected: AMOUNT_FORMAT.into(),
        })
    }
    fn wire(&self) -> Cow<'_, str> {
        Cow::Owned(Amount::wire(*self))
    }
    fn value(&self) -> FieldValue<'_> {
        FieldValue::Amount(*self)
    }
}

impl WireValue for bool {
    fn parse_wire(text: &str) -> Result<Self, Rule> {
        match text.trim() {
            t if t.eq_ignore_ascii_case("true") => Ok(true),
            t if t.eq_ignore_ascii_case("false") => Ok(false),
            _ => Err(Rule::OneOf(vec!["true".into(), "false".into()])),
        }
    }
    fn wire(&self) -> Cow<'_, str> {
        Cow::Borrowed(if *self { "true" } else { "false" })
    }
    fn value(&self) -> FieldValue<'_> {
        FieldValue::Text(if *self { "true" } else { "false" })
    }
}

impl WireValue for Date {
    fn parse_wire(text: &str) -> Result<Self, Rule> {
        let text = text.trim();
        let well_formed = text.len() == 10
            && text.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        well_formed
            .then(|| text.parse::<Date>().ok())
            .flatten()
            .ok_or(Rule::Format {
                expected: "a calendar date written YYYY-MM-DD".into(),
            })
    }
    fn wire(&self) -> Cow<'_, str> {
        Cow::Owned(self.strftime("%Y-%m-%d").to_string())
    }
    fn value(&self) -> FieldValue<'_> {
        FieldValue::Date(*self)
    }
}

/// Sets `slot` from `text`: blank text unsets it.
pub(crate) fn set<T: WireValue>(slot: &mut Option<T>, text: &str) -> Result<(), Rule> {
    *slot = if text.is_empty() {
        None
    } else {
        Some(T::parse_wire(text)?)
    };
    Ok(())
}

/// The wire text of `slot`, `None` when unset.
pub(crate) fn get<T: WireValue>(slot: &Option<T>) -> Option<Cow<'_, str>> {
    slot.as_ref().map(WireValue::wire)
}

/// What only this crate's records implement: the generated visit of every
/// field (`crate::generated`), which encoding uses instead of one
/// [`PostRecord::field_at`] dispatch per field.
pub(crate) mod sealed {
    use std::ops::ControlFlow;

    /// A field's value as a [`FieldVisitor`] is given it: its wire text, or
    /// the typed value whose text is written without a `String`.
    #[derive(Debug, Clone, Copy)]
    pub enum FieldValue<'a> {
        /// Unset (sent as an empty element).
        Unset,
        /// The wire text (free text, phones, states, enum codes, booleans).
        Text(&'a str),
        /// An amount, written `XX.YY`.
        Amount(crate::Amount),
        /// A date, written `YYYY-MM-DD`.
        Date(jiff::civil::Date),
    }

    /// Visits every field of a record in the vendor's order
    /// ([`Sealed::visit_fields`]); `index` is the field's position in
    /// `FIELDS`, a constant at each call.
    pub trait FieldVisitor {
        /// Why a visit stops early.
        type Break;
        /// Visits field number `index`.
        fn field(&mut self, index: usize, value: FieldValue<'_>) -> ControlFlow<Self::Break>;
    }

    /// Implemented by the generated records only.
    pub trait Sealed {
        /// Calls `visitor` with each field in turn, until it breaks.
        fn visit_fields<V: FieldVisitor>(&self, visitor: &mut V) -> ControlFlow<V::Break>;
    }
}

pub(crate) use sealed::{FieldValue, FieldVisitor};

/// The value in `slot` as a visitor is given it.
#[inline]
pub(crate) fn value<T: WireValue>(slot: &Option<T>) -> FieldValue<'_> {
    slot.as_ref().map_or(FieldValue::Unset, WireValue::value)
}

/// What a [`Lead`](crate::Lead), a [`Customer`](crate::Customer) and an
/// [`EmergencyContact`] have in common: documented fields read and set by
/// wire name, validation and normalisation, and encoding into a post
/// document. Sealed: implemented only by this crate's records.
///
/// ```
/// use strax_leads::{Lead, Mode, PostRecord};
///
/// let lead = Lead::from_fields(0, [
///     ("source_id", "77"), ("fname", "Sue"), ("lname", "Stallman"), ("city", "Notus"),
///     ("state", "id"), ("phone1", "(801) 312-7735"), ("lead_purchase_price", "27.5"),
/// ])?;
/// let lead = lead.normalised(0, Mode::Normalise)?;
/// assert_eq!(lead.field("state").as_deref(), Some("ID"));
/// assert_eq!(lead.field("phone1").as_deref(), Some("8013127735"));
/// assert_eq!(lead.field("lead_purchase_price").as_deref(), Some("27.50"));
///
/// let unknown = Lead::from_fields(3, [("fname", "Sue"), ("nickname", "S")]).unwrap_err();
/// assert_eq!(unknown.to_string(), "1 validation error: lead 3: field `nickname` is not a field of this record");
/// # Ok::<(), strax_leads::Violations>(())
/// ```
pub trait PostRecord: sealed::Sealed + Clone + Default + PartialEq + std::fmt::Debug {
    /// What a validation error calls the record (`lead`, `customer`, `emergency contact`).
    const KIND: &'static str;
    /// Its element (`lead`, `customer`, `EmergencyContact`).
    const ELEMENT: &'static str;
    /// The element holding a list of them (`leads`, `customers`, `EmergencyContacts`).
    const LIST_ELEMENT: &'static str;
    /// Its documented fields, in the vendor's order.
    const FIELDS: &'static [FieldSpec];
    /// The position in [`FIELDS`](Self::FIELDS) of the caller's own id for
    /// the record (`lead_company_unique_id`), which labels validation errors.
    const LABEL_FIELD: Option<usize>;

    /// The wire text of field number `index` of [`FIELDS`](Self::FIELDS);
    /// `None` when unset.
    fn field_at(&self, index: usize) -> Option<Cow<'_, str>>;

    /// Sets field number `index` from its wire text (empty text unsets it).
    ///
    /// # Errors
    /// The rule the text breaks, when it cannot be held by the field's type
    /// (an enum code, an amount, a boolean, a date); checks that need no
    /// type (digits, states, lengths) are left to
    /// [`normalised`](Self::normalised).
    fn set_field_at(&mut self, index: usize, text: &str) -> Result<(), Rule>;

    /// The text field number `index`, when the field holds text (phones,
    /// states and free text); `None` for typed fields.
    #[doc(hidden)]
    fn text_field_mut(&mut self, index: usize) -> Option<&mut Option<String>>;

    /// Whether the record holds emergency contacts (a customer does).
    const HAS_EMERGENCY_CONTACTS: bool = false;

    /// The emergency contacts (a customer's; empty for the others).
    fn emergency_contacts(&self) -> &[EmergencyContact] {
        &[]
    }

    /// The emergency contacts to fill, for records that have them.
    #[doc(hidden)]
    fn emergency_contacts_mut(&mut self) -> Option<&mut Vec<EmergencyContact>> {
        None
    }

    /// The position of the field called `wire_name`.
    #[must_use]
    fn field_index(wire_name: &str) -> Option<usize> {
        Self::FIELDS.iter().position(|f| f.wire_name == wire_name)
    }

    /// The wire text of the field called `wire_name`; `None` when unset or
    /// not a documented field.
    fn field(&self, wire_name: &str) -> Option<Cow<'_, str>> {
        Self::field_index(wire_name).and_then(|i| self.field_at(i))
    }

    /// The caller's own id for the record, when given.
    fn label(&self) -> Option<Cow<'_, str>> {
        Self::LABEL_FIELD
            .and_then(|i| self.field_at(i))
            .filter(|l| !l.trim().is_empty())
    }

    /// How validation errors name record number `index`: its position and,
    /// when given, its [`label`](Self::label).
    fn record(&self, index: usize) -> Record {
        let record = Record::at(Self::KIND, index);
        match self.label() {
            Some(label) => record.labelled(label.into_owned()),
            None => record,
        }
    }

    /// Record number `index` built from (wire name, text) pairs, as a CSV
    /// row with a header or a JSON object gives them. Empty text leaves a
    /// field unset. Emergency contacts of a customer are named
    /// `EmergencyContacts/<n>/<field>`, `n` counting from 1.
    ///
    /// Only what the field's type needs is checked here; call
    /// [`normalised`](Self::normalised) before sending.
    ///
    /// # Errors
    /// Every name that is not a documented field
    /// ([`Rule::UnknownField`]), given twice ([`Rule::Duplicate`]), or whose
    /// text the field's type cannot hold (an enum, an amount, a boolean, a date).
    fn from_fields<I, K, V>(index: usize, fields: I) -> Result<Self, Violations>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut record = Self::default();
        let mut errors: Vec<(String, Rule)> = Vec::new();
        let mut seen = vec![false; Self::FIELDS.len()];
        let mut seen_nested: Vec<String> = Vec::new();
        for (name, text) in fields {
            let (name, text) = (name.as_ref(), text.as_ref());
            if let Some(i) = Self::field_index(name) {
                if std::mem::replace(&mut seen[i], true) {
                    errors.push((name.to_owned(), Rule::Duplicate));
                } else if let Err(rule) = record.set_field_at(i, text) {
                    errors.push((name.to_owned(), rule));
                }
                continue;
            }
            let nested = nested_name(name).filter(|_| Self::HAS_EMERGENCY_CONTACTS);
            let Some((position, field)) = nested else {
                errors.push((name.to_owned(), Rule::UnknownField));
                continue;
            };
            let Some(field_index) = EmergencyContact::field_index(field) else {
                errors.push((name.to_owned(), Rule::UnknownField));
                continue;
            };
            if seen_nested.iter().any(|n| n == name) {
                errors.push((name.to_owned(), Rule::Duplicate));
                continue;
            }
            seen_nested.push(name.to_owned());
            if let Some(contacts) = record.emergency_contacts_mut() {
                if contacts.len() < position {
                    contacts.resize_with(position, EmergencyContact::default);
                }
                if let Err(rule) = contacts[position - 1].set_field_at(field_index, text) {
                    errors.push((name.to_owned(), rule));
                }
            }
        }
        if let Some(contacts) = record.emergency_contacts_mut() {
            // A contact given only as empty columns is no contact.
            contacts.retain(|c| *c != EmergencyContact::default());
        }
        let label = record.record(index);
        Violations::check(
            errors
                .into_iter()
                .map(|(field, rule)| Violation::new(label.clone(), field, rule))
                .collect(),
        )?;
        Ok(record)
    }

    /// [`from_fields`](Self::from_fields) then
    /// [`normalised`](Self::normalised), with every broken rule reported at
    /// once: the names and texts `from_fields` refuses, and every rule the
    /// other fields break (a field whose text was refused is not reported
    /// again as missing).
    ///
    /// ```
    /// use strax_leads::{Lead, Mode, PostRecord};
    ///
    /// let errors = Lead::from_fields_checked(0, [("lead_type_id", "9"), ("fname", "Sue")], Mode::Strict)
    ///     .unwrap_err();
    /// let fields: Vec<&str> = errors.iter().map(|v| v.field.as_ref()).collect();
    /// assert_eq!(fields, ["lead_type_id", "source_id", "lname", "city", "state", "phone1"]);
    /// ```
    ///
    /// # Errors
    /// Every broken rule, each naming the record, the field and the rule.
    fn from_fields_checked<I, K, V>(
        index: usize,
        fields: I,
        mode: crate::Mode,
    ) -> Result<Self, Violations>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let pairs: Vec<(K, V)> = fields.into_iter().collect();
        let all = || pairs.iter().map(|(k, v)| (k.as_ref(), v.as_ref()));
        let mut unreadable = match Self::from_fields(index, all()) {
            Ok(record) => return record.normalised(index, mode),
            Err(violations) => violations,
        };
        let broken: Vec<String> = unreadable.iter().map(|v| v.field.to_string()).collect();
        let is_broken = |name: &str| broken.iter().any(|b| b == name);
        let rest = all().filter(|(name, _)| !is_broken(name));
        if let Err(more) = Self::from_fields(index, rest).and_then(|r| r.normalised(index, mode)) {
            let more: Vec<Violation> = more.into_iter().filter(|v| !is_broken(&v.field)).collect();
            if let Some(more) = Violations::from_vec(more) {
                unreadable.extend(more);
            }
        }
        Err(unreadable)
    }

    /// The record checked and normalised as the vendor asks (see the
    /// crate's documentation for every rule); `index` is its position in
    /// what the caller gave, for the errors. Normalising twice changes
    /// nothing.
    ///
    /// # Errors
    /// Every rule a field breaks, each naming the record (its `index` and
    /// label), the field and the rule.
    fn normalised(&self, index: usize, mode: crate::Mode) -> Result<Self, Violations> {
        crate::normalise::normalised(self, index, mode)
    }
}

/// `EmergencyContacts/<n>/<field>` as (n, field), `n` from 1.
pub(crate) fn nested_name(name: &str) -> Option<(usize, &str)> {
    let rest = name.strip_prefix("EmergencyContacts/")?;
    let (position, field) = rest.split_once('/')?;
    let position: usize = position.parse().ok().filter(|p| (1..=100).contains(p))?;
    Some((position, field))
}

/// A masked optional value in `Debug`: `None`, or `Some([personal])` /
/// `Some([redacted])`.
pub(crate) struct Masked {
    set: bool,
    privacy: Privacy,
}

impl std::fmt::Debug for Masked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mark = match self.privacy {
            Privacy::Secret => "[redacted]",
            _ => "[personal]",
        };
        if self.set {
            write!(f, "Some({mark})")
        } else {
            f.write_str("None")
        }
    }
}

/// `value` masked as `privacy` says.
pub(crate) fn masked<T>(value: &Option<T>, privacy: Privacy) -> Masked {
    Masked {
        set: value.is_some(),
        privacy,
    }
}
