//! The model of `fixtures/strax-leads/records.toml`, as read by serde.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    #[serde(rename = "enum")]
    pub(super) enums: Vec<EnumSpec>,
    #[serde(rename = "record")]
    pub(super) records: Vec<RecordSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EnumSpec {
    pub(super) name: String,
    pub(super) doc: String,
    pub(super) values: Vec<EnumValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EnumValue {
    pub(super) rust: String,
    pub(super) code: String,
    pub(super) doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RecordSpec {
    pub(super) rust: String,
    pub(super) element: String,
    pub(super) list_element: String,
    #[serde(default)]
    pub(super) label: Option<String>,
    /// The fixture folder; empty for a record only ever nested in another.
    pub(super) fixture: String,
    /// The record nested in this one as a list (`EmergencyContact`).
    #[serde(default)]
    pub(super) nested: Option<String>,
    pub(super) doc: String,
    pub(super) fields: Vec<FieldSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FieldSpec {
    pub(super) wire: String,
    /// The Rust field name; the wire name when not given.
    #[serde(default)]
    pub(super) rust: Option<String>,
    pub(super) kind: String,
    #[serde(rename = "enum", default)]
    pub(super) enum_name: Option<String>,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) max_chars: Option<usize>,
    #[serde(default)]
    pub(super) personal: bool,
    #[serde(default)]
    pub(super) secret: bool,
    pub(super) doc: String,
    pub(super) examples: Vec<String>,
}

impl FieldSpec {
    pub(super) fn rust_name(&self) -> &str {
        self.rust.as_deref().unwrap_or(&self.wire)
    }
}

pub(super) const FIELD_KINDS: &[&str] = &[
    "text", "phone", "digits", "state", "enum", "decimal", "boolean", "date",
];
