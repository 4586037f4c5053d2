//! The model of `fixtures/strax-xml/operations.toml`, as read by serde.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Spec {
    pub(super) authentication: Authentication,
    #[serde(rename = "enum")]
    pub(super) enums: Vec<EnumSpec>,
    #[serde(rename = "operation")]
    pub(super) operations: Vec<OperationSpec>,
    pub(super) customer: CustomerSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Authentication {
    pub(super) request_type: String,
    pub(super) fields: Vec<String>,
    pub(super) success_message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct EnumSpec {
    pub(super) name: String,
    pub(super) wire: String,
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
pub(super) struct OperationSpec {
    pub(super) request_type: String,
    pub(super) rust: String,
    pub(super) fixture: String,
    pub(super) script: String,
    pub(super) doc: String,
    pub(super) response: String,
    pub(super) fields: Vec<FieldSpec>,
    pub(super) response_example: Vec<DataExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FieldSpec {
    pub(super) wire: String,
    pub(super) rust: String,
    pub(super) required: bool,
    pub(super) kind: String,
    #[serde(rename = "enum", default)]
    pub(super) enum_name: Option<String>,
    #[serde(default)]
    pub(super) empty_when_absent: bool,
    #[serde(default)]
    pub(super) location: bool,
    pub(super) example: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DataExample {
    pub(super) element: String,
    pub(super) text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CustomerSpec {
    pub(super) element: String,
    pub(super) fields: Vec<CustomerField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CustomerField {
    pub(super) wire: String,
    pub(super) rust: String,
    #[serde(default)]
    pub(super) personal: bool,
    pub(super) example: String,
}

pub(super) const FIELD_KINDS: &[&str] = &["text", "digits", "enum", "date-time", "decimal"];
pub(super) const RESPONSE_KINDS: &[&str] = &[
    "created",
    "confirmation-status",
    "availability",
    "customer",
    "unique-id",
    "message",
];
