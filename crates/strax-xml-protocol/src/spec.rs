//! The shape of the generated field tables (see `generated/`).

/// How a field's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// Any text without characters XML 1.0 forbids.
    Text,
    /// ASCII digits only (ids).
    Digits,
    /// One of the listed wire codes.
    Enum(&'static [&'static str]),
    /// A local date and time written `MM/DD/YYYY H:MM`, 24 h.
    DateTime,
    /// A decimal number such as `-89.6440`.
    Decimal,
}

/// One field of a request type, as the spec describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldSpec {
    /// The wire name (the `name` of `<attribute>`).
    pub wire_name: &'static str,
    /// Whether a non-empty value is required.
    pub required: bool,
    /// How the value is checked.
    pub kind: FieldKind,
    /// Whether an absent optional value is sent as an empty element (as the
    /// vendor's sample does) instead of being left out.
    pub empty_when_absent: bool,
    /// Whether the field is one of the location parts of which at least one is required.
    pub location: bool,
}
