//! The Rust output: the records and enums of `crates/strax-leads/src/generated/`
//! and the list of fixture tests.

use std::fmt::Write as _;

use super::SPEC_PATH;
use super::fixtures::RESPONSE_CASES;
use super::spec::*;

pub(super) fn generated_mod(spec: &Spec) -> String {
    let enums: Vec<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    let records: Vec<&str> = spec.records.iter().map(|r| r.rust.as_str()).collect();
    format!(
        "//! Records and enums generated from `{SPEC_PATH}`: every documented field\n\
         //! with its table entry. Data only; the logic that uses them is hand-written.\n\n\
         mod enums;\nmod records;\n\n\
         pub use enums::{{{}}};\n\
         pub use records::{{{}}};\n",
        enums.join(", "),
        records.join(", ")
    )
}

pub(super) fn enums_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! The values of the enum fields and their wire codes.\n\n\
         use std::borrow::Cow;\n\nuse wire_core::validation::Rule;\n\n",
    );
    for e in &spec.enums {
        let n = e.values.len();
        writeln!(
            out,
            "/// {}\n///\n/// Non-exhaustive: a value the vendor adds is not a breaking change.\n\
             #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum {} {{",
            e.doc, e.name
        )
        .ok();
        for value in &e.values {
            writeln!(
                out,
                "    /// {} Wire code `{}`.\n    {},",
                value.doc, value.code, value.rust
            )
            .ok();
        }
        out.push_str("}\n\n");
        writeln!(out, "impl {} {{", e.name).ok();
        let all: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("Self::{}", v.rust))
            .collect();
        writeln!(
            out,
            "    /// Every value, in the vendor's order.\n    pub const ALL: [Self; {n}] = [{}];",
            all.join(", ")
        )
        .ok();
        let codes: Vec<String> = e.values.iter().map(|v| format!("{:?}", v.code)).collect();
        writeln!(out, "    /// Every wire code, in the order of [`Self::ALL`].\n    pub const CODES: &'static [&'static str] = &[{}];\n", codes.join(", ")).ok();
        out.push_str("    /// The code sent on the wire.\n    #[must_use]\n    pub const fn code(self) -> &'static str {\n        match self {\n");
        for value in &e.values {
            writeln!(out, "            Self::{} => {:?},", value.rust, value.code).ok();
        }
        out.push_str("        }\n    }\n\n    /// The value's name (`");
        out.push_str(&e.values[0].rust);
        out.push_str("`), also accepted in place of its code.\n    #[must_use]\n    pub const fn name(self) -> &'static str {\n        match self {\n");
        for value in &e.values {
            writeln!(out, "            Self::{0} => {0:?},", value.rust).ok();
        }
        out.push_str("        }\n    }\n\n    /// The value a wire code stands for (exactly).\n    #[must_use]\n    pub fn from_code(code: &str) -> Option<Self> {\n        match code {\n");
        for value in &e.values {
            writeln!(
                out,
                "            {:?} => Some(Self::{}),",
                value.code, value.rust
            )
            .ok();
        }
        out.push_str("            _ => None,\n        }\n    }\n}\n\n");
        writeln!(
            out,
            "impl crate::field::WireValue for {0} {{\n    fn parse_wire(text: &str) -> Result<Self, Rule> {{\n        let text = text.trim();\n        Self::ALL\n            .into_iter()\n            .find(|v| v.code().eq_ignore_ascii_case(text) || v.name().eq_ignore_ascii_case(text))\n            .ok_or_else(|| Rule::OneOf(Self::CODES.iter().map(|c| Cow::Borrowed(*c)).collect()))\n    }}\n\n    fn wire(&self) -> Cow<'_, str> {{\n        Cow::Borrowed(self.code())\n    }}\n\n    fn value(&self) -> crate::field::FieldValue<'_> {{\n        crate::field::FieldValue::Text(self.code())\n    }}\n}}\n",
            e.name
        )
        .ok();
    }
    out
}

/// The Rust type of a field of `kind`.
fn rust_type(field: &FieldSpec) -> String {
    match (field.kind.as_str(), &field.enum_name) {
        ("enum", Some(name)) => format!("crate::{name}"),
        ("decimal", _) => "crate::Amount".into(),
        ("boolean", _) => "bool".into(),
        ("date", _) => "jiff::civil::Date".into(),
        _ => "String".into(),
    }
}

fn is_text(field: &FieldSpec) -> bool {
    rust_type(field) == "String"
}

fn kind_expr(field: &FieldSpec) -> String {
    match (field.kind.as_str(), &field.enum_name) {
        ("enum", Some(name)) => format!("FieldKind::Enum(crate::{name}::CODES)"),
        ("phone", _) => "FieldKind::Phone".into(),
        ("digits", _) => "FieldKind::Digits".into(),
        ("state", _) => "FieldKind::State".into(),
        ("decimal", _) => "FieldKind::Decimal".into(),
        ("boolean", _) => "FieldKind::Boolean".into(),
        ("date", _) => "FieldKind::Date".into(),
        _ => "FieldKind::Text".into(),
    }
}

fn privacy(field: &FieldSpec) -> &'static str {
    if field.secret {
        "Privacy::Secret"
    } else if field.personal {
        "Privacy::Personal"
    } else {
        "Privacy::Plain"
    }
}

/// A record's KIND in violations: `EmergencyContact` → `emergency contact`.
fn kind_name(rust: &str) -> String {
    let mut out = String::new();
    for (i, c) in rust.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

pub(super) fn records_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! Every documented record: its fields, its field table, and its `Debug`\n\
         //! (personal and secret fields masked).\n\n\
         use std::borrow::Cow;\nuse std::fmt;\nuse std::ops::ControlFlow;\n\n\
         use wire_core::validation::Rule;\n\n\
         use crate::field::sealed::{FieldVisitor, Sealed};\n\
         use crate::field::{self, FieldKind, FieldSpec, PostRecord, Privacy};\n\n",
    );
    for record in &spec.records {
        record_rs(&mut out, record);
    }
    out
}

fn record_rs(out: &mut String, record: &RecordSpec) {
    let name = &record.rust;
    let n = record.fields.len();
    writeln!(
        out,
        "/// {}\n///\n/// Every field is `None` when unset (sent as an empty element). Build one with\n\
         /// `Default` and struct update syntax, with\n\
         /// [`PostRecord::from_fields`], or with serde from the documented field names;\n\
         /// check it with [`PostRecord::normalised`]. `Debug` masks personal fields as\n\
         /// `[personal]` and secret ones as `[redacted]`.\n\
         #[derive(Clone, Default, PartialEq, Eq)]\npub struct {name} {{",
        record.doc
    )
    .ok();
    for field in &record.fields {
        let required = if field.required { " Required." } else { "" };
        writeln!(
            out,
            "    /// `<{}>`: {}{required}\n    pub {}: Option<{}>,",
            field.wire,
            field.doc,
            field.rust_name(),
            rust_type(field)
        )
        .ok();
    }
    if let Some(nested) = &record.nested {
        writeln!(out, "    /// The `<{nested}>`s, inside one list element (sent empty when there are none).\n    pub emergency_contacts: Vec<crate::{nested}>,").ok();
    }
    out.push_str("}\n\n");
    let names: Vec<String> = record
        .fields
        .iter()
        .map(|f| format!("{:?}", f.wire))
        .collect();
    writeln!(
        out,
        "impl {name} {{\n    /// Every documented field name, in the vendor's order.\n    pub const FIELD_NAMES: [&'static str; {n}] = [{}];\n}}\n",
        names.join(", ")
    )
    .ok();
    writeln!(out, "impl PostRecord for {name} {{").ok();
    writeln!(out, "    const KIND: &'static str = {:?};", kind_name(name)).ok();
    writeln!(
        out,
        "    const ELEMENT: &'static str = {:?};",
        record.element
    )
    .ok();
    writeln!(
        out,
        "    const LIST_ELEMENT: &'static str = {:?};",
        record.list_element
    )
    .ok();
    out.push_str("    const FIELDS: &'static [FieldSpec] = &[\n");
    for field in &record.fields {
        writeln!(
            out,
            "        FieldSpec {{ wire_name: {:?}, required: {}, kind: {}, max_chars: {}, privacy: {} }},",
            field.wire,
            field.required,
            kind_expr(field),
            field.max_chars.map_or("None".into(), |m| format!("Some({m})")),
            privacy(field)
        )
        .ok();
    }
    out.push_str("    ];\n");
    let label = record
        .label
        .as_ref()
        .and_then(|label| record.fields.iter().position(|f| &f.wire == label))
        .map_or("None".into(), |i| format!("Some({i})"));
    writeln!(out, "    const LABEL_FIELD: Option<usize> = {label};").ok();
    if record.nested.is_some() {
        out.push_str("    const HAS_EMERGENCY_CONTACTS: bool = true;\n");
    }
    out.push_str(
        "\n    fn field_at(&self, index: usize) -> Option<Cow<'_, str>> {\n        match index {\n",
    );
    for (i, field) in record.fields.iter().enumerate() {
        writeln!(
            out,
            "            {i} => field::get(&self.{}),",
            field.rust_name()
        )
        .ok();
    }
    out.push_str("            _ => None,\n        }\n    }\n\n    fn set_field_at(&mut self, index: usize, text: &str) -> Result<(), Rule> {\n        match index {\n");
    for (i, field) in record.fields.iter().enumerate() {
        writeln!(
            out,
            "            {i} => field::set(&mut self.{}, text),",
            field.rust_name()
        )
        .ok();
    }
    out.push_str("            _ => Err(Rule::UnknownField),\n        }\n    }\n\n    fn text_field_mut(&mut self, index: usize) -> Option<&mut Option<String>> {\n        match index {\n");
    for (i, field) in record.fields.iter().enumerate() {
        if is_text(field) {
            writeln!(
                out,
                "            {i} => Some(&mut self.{}),",
                field.rust_name()
            )
            .ok();
        }
    }
    out.push_str("            _ => None,\n        }\n    }\n");
    if let Some(nested) = &record.nested {
        writeln!(
            out,
            "\n    fn emergency_contacts(&self) -> &[crate::{nested}] {{\n        &self.emergency_contacts\n    }}\n\n    fn emergency_contacts_mut(&mut self) -> Option<&mut Vec<crate::{nested}>> {{\n        Some(&mut self.emergency_contacts)\n    }}"
        )
        .ok();
    }
    out.push_str("}\n\n");
    writeln!(
        out,
        "impl Sealed for {name} {{\n    #[inline]\n    fn visit_fields<V: FieldVisitor>(&self, visitor: &mut V) -> ControlFlow<V::Break> {{"
    )
    .ok();
    for (i, field) in record.fields.iter().enumerate() {
        writeln!(
            out,
            "        visitor.field({i}, field::value(&self.{}))?;",
            field.rust_name()
        )
        .ok();
    }
    out.push_str("        ControlFlow::Continue(())\n    }\n}\n\n");
    writeln!(
        out,
        "impl fmt::Debug for {name} {{\n    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{\n        f.debug_struct({name:?})"
    )
    .ok();
    for field in &record.fields {
        let rust = field.rust_name();
        if field.secret {
            writeln!(
                out,
                "            .field({rust:?}, &field::masked(&self.{rust}, Privacy::Secret))"
            )
            .ok();
        } else if field.personal {
            writeln!(
                out,
                "            .field({rust:?}, &field::masked(&self.{rust}, Privacy::Personal))"
            )
            .ok();
        } else {
            writeln!(out, "            .field({rust:?}, &self.{rust})").ok();
        }
    }
    if record.nested.is_some() {
        out.push_str("            .field(\"emergency_contacts\", &self.emergency_contacts)\n");
    }
    out.push_str("            .finish()\n    }\n}\n\n");
}

pub(super) fn fixture_cases_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! One snapshot test per generated fixture document; the helpers are hand-written\n\
         //! in `tests/support/mod.rs`.\n\n\
         use crate::support::{check_request_fixture, check_response_fixture};\n\n",
    );
    for record in spec.records.iter().filter(|r| !r.fixture.is_empty()) {
        let dir = &record.fixture;
        let sent = record.fields.first().map_or(0, |f| f.examples.len());
        writeln!(
            out,
            "#[test]\nfn {dir}_request() {{\n    check_request_fixture::<strax_leads::{}>({dir:?});\n}}\n",
            record.rust
        )
        .ok();
        for case in RESPONSE_CASES {
            writeln!(
                out,
                "#[test]\nfn {dir}_{case}() {{\n    check_response_fixture({dir:?}, \"{case}.xml\", {sent});\n}}\n"
            )
            .ok();
        }
    }
    out
}
