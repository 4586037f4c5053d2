//! The Rust output: the tables of `crates/strax-xml-protocol/src/generated/`
//! and the list of fixture tests.

use std::fmt::Write as _;

use super::SPEC_PATH;
use super::check::screaming;
use super::fixtures::RESPONSE_CASES;
use super::spec::*;

pub(super) fn generated_mod(spec: &Spec) -> String {
    let enums: Vec<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    format!(
        "//! Tables generated from `{SPEC_PATH}`: request types with their field\n\
         //! tables and scripts, the enum fields' values and codes, and the `Customer`\n\
         //! record. Data only; the logic that uses them is hand-written.\n\n\
         mod customer;\nmod enums;\nmod request_types;\n\n\
         pub use customer::Customer;\n\
         pub use enums::{{{}}};\n\
         pub use request_types::RequestType;\n\
         pub(crate) use request_types::{{AUTHENTICATED_MESSAGE, AUTHENTICATION_REQUEST_TYPE}};\n",
        enums.join(", ")
    )
}

pub(super) fn enums_rs(spec: &Spec) -> String {
    let mut out = String::from("//! The values of the enum fields and their wire codes.\n\n");
    for e in &spec.enums {
        let n = e.values.len();
        writeln!(
            out,
            "/// {}\n///\n/// Non-exhaustive: a value the vendor adds to the spec is not a breaking change.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum {} {{",
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
        writeln!(out, "    /// The wire attribute that carries this value.\n    pub const WIRE_NAME: &'static str = {:?};", e.wire).ok();
        let all: Vec<String> = e
            .values
            .iter()
            .map(|v| format!("Self::{}", v.rust))
            .collect();
        writeln!(
            out,
            "    /// Every value, in code order.\n    pub const ALL: [Self; {n}] = [{}];",
            all.join(", ")
        )
        .ok();
        let codes: Vec<String> = e.values.iter().map(|v| format!("{:?}", v.code)).collect();
        writeln!(out, "    /// Every wire code, in the order of [`Self::ALL`].\n    pub const CODES: &'static [&'static str] = &[{}];", codes.join(", ")).ok();
        out.push_str("    /// The code sent on the wire.\n    #[must_use]\n    pub const fn code(self) -> &'static str {\n        match self {\n");
        for value in &e.values {
            writeln!(out, "            Self::{} => {:?},", value.rust, value.code).ok();
        }
        out.push_str("        }\n    }\n\n");
        out.push_str("    /// The value a wire code stands for.\n    #[must_use]\n    pub fn from_code(code: &str) -> Option<Self> {\n        match code {\n");
        for value in &e.values {
            writeln!(
                out,
                "            {:?} => Some(Self::{}),",
                value.code, value.rust
            )
            .ok();
        }
        out.push_str("            _ => None,\n        }\n    }\n}\n\n");
    }
    out
}

pub(super) fn request_types_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! Every documented request type, its script and its field table.\n\n\
         use crate::endpoint::Script;\nuse crate::spec::{FieldKind, FieldSpec};\n\n",
    );
    let auth = &spec.authentication;
    writeln!(out, "/// The `type` of the authentication request that opens every batch.\npub(crate) const AUTHENTICATION_REQUEST_TYPE: &str = {:?};", auth.request_type).ok();
    writeln!(out, "/// The message of a successful authentication response.\npub(crate) const AUTHENTICATED_MESSAGE: &str = {:?};\n", auth.success_message).ok();

    out.push_str("/// A documented operation's request type (the `type` attribute of `<request>`).\n///\n/// Non-exhaustive: an operation added to the spec is not a breaking change.\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\n#[non_exhaustive]\npub enum RequestType {\n");
    for op in &spec.operations {
        writeln!(
            out,
            "    /// `{}`: {}\n    {},",
            op.request_type, op.doc, op.rust
        )
        .ok();
    }
    out.push_str("}\n\nimpl RequestType {\n");
    let all: Vec<String> = spec
        .operations
        .iter()
        .map(|op| format!("Self::{}", op.rust))
        .collect();
    writeln!(
        out,
        "    /// Every request type, in the spec's order.\n    pub const ALL: [Self; {}] = [{}];\n",
        all.len(),
        all.join(", ")
    )
    .ok();
    out.push_str("    /// The `type` attribute value.\n    #[must_use]\n    pub const fn wire_name(self) -> &'static str {\n        match self {\n");
    for op in &spec.operations {
        writeln!(
            out,
            "            Self::{} => {:?},",
            op.rust, op.request_type
        )
        .ok();
    }
    out.push_str("        }\n    }\n\n    /// The request type a `type` attribute value names.\n    #[must_use]\n    pub fn from_wire_name(name: &str) -> Option<Self> {\n        match name {\n");
    for op in &spec.operations {
        writeln!(
            out,
            "            {:?} => Some(Self::{}),",
            op.request_type, op.rust
        )
        .ok();
    }
    out.push_str("            _ => None,\n        }\n    }\n\n    /// The script that serves it: reads go to the requester, writes to the poster.\n    #[must_use]\n    pub const fn script(self) -> Script {\n        match self {\n");
    for op in &spec.operations {
        let script = if op.script == "read" {
            "Requester"
        } else {
            "Poster"
        };
        writeln!(out, "            Self::{} => Script::{script},", op.rust).ok();
    }
    out.push_str("        }\n    }\n\n    /// Its fields, in the order they are sent.\n    #[must_use]\n    pub const fn fields(self) -> &'static [FieldSpec] {\n        match self {\n");
    for op in &spec.operations {
        writeln!(
            out,
            "            Self::{} => {}_FIELDS,",
            op.rust,
            screaming(&op.rust)
        )
        .ok();
    }
    out.push_str("        }\n    }\n}\n\n");
    for op in &spec.operations {
        writeln!(
            out,
            "const {}_FIELDS: &[FieldSpec] = &[",
            screaming(&op.rust)
        )
        .ok();
        for field in &op.fields {
            let kind = match (field.kind.as_str(), &field.enum_name) {
                ("digits", _) => "FieldKind::Digits".to_owned(),
                ("enum", Some(name)) => format!("FieldKind::Enum(crate::{name}::CODES)"),
                ("date-time", _) => "FieldKind::DateTime".to_owned(),
                ("decimal", _) => "FieldKind::Decimal".to_owned(),
                _ => "FieldKind::Text".to_owned(),
            };
            writeln!(
                out,
                "    FieldSpec {{ wire_name: {:?}, required: {}, kind: {kind}, empty_when_absent: {}, location: {} }},",
                field.wire, field.required, field.empty_when_absent, field.location
            )
            .ok();
        }
        out.push_str("];\n\n");
    }
    out
}

pub(super) fn customer_rs(spec: &Spec) -> String {
    let customer = &spec.customer;
    let n = customer.fields.len();
    let mut out = String::from(
        "//! The `<Customer>` record of a customer status look-up.\n\n\
         /// A customer record: every documented element, `None` when absent or empty, plus\n\
         /// the elements the vendor did not document, kept in document order.\n\
         ///\n\
         /// `Debug` redacts personal fields (addresses, phones, email) and shows only\n\
         /// the names of the undocumented ones.\n\
         ///\n\
         /// The vendor documents more of this record over time, so the struct is\n\
         /// `#[non_exhaustive]`: a field added to the spec is not a breaking\n\
         /// change. Outside this crate, build one from `Default` and set fields:\n\
         ///\n\
         /// ```\n\
         /// let mut customer = strax_xml_protocol::Customer::default();\n\
         /// customer.first_name = Some(\"Pat\".to_owned());\n\
         /// assert_eq!(customer.first_name.as_deref(), Some(\"Pat\"));\n\
         /// ```\n\
         #[derive(Clone, Default, PartialEq, Eq)]\n#[non_exhaustive]\npub struct Customer {\n",
    );
    for field in &customer.fields {
        writeln!(
            out,
            "    /// `<{}>`.\n    pub {}: Option<String>,",
            field.wire, field.rust
        )
        .ok();
    }
    out.push_str("    /// Undocumented elements as (name, text), in document order. A nested\n    /// element is flattened: each descendant is named by its path\n    /// (`Phones/Phone`).\n    pub extra_fields: Vec<(String, String)>,\n}\n\n");
    out.push_str("impl Customer {\n");
    writeln!(
        out,
        "    /// The element holding the record.\n    pub const ELEMENT: &'static str = {:?};",
        customer.element
    )
    .ok();
    let names: Vec<String> = customer
        .fields
        .iter()
        .map(|f| format!("{:?}", f.wire))
        .collect();
    writeln!(out, "    /// Every documented element name, in the vendor's order.\n    pub const FIELD_NAMES: [&'static str; {n}] = [{}];", names.join(", ")).ok();
    let personal: Vec<String> = customer
        .fields
        .iter()
        .filter(|f| f.personal)
        .map(|f| format!("{:?}", f.wire))
        .collect();
    writeln!(out, "    /// Element names holding personal data (redacted in `Debug`).\n    pub const PERSONAL_FIELDS: &'static [&'static str] = &[{}];\n", personal.join(", ")).ok();
    out.push_str("    /// The documented field called `wire_name`; `None` for an undocumented name.\n    #[must_use]\n    pub fn field_mut(&mut self, wire_name: &str) -> Option<&mut Option<String>> {\n        match wire_name {\n");
    for field in &customer.fields {
        writeln!(
            out,
            "            {:?} => Some(&mut self.{}),",
            field.wire, field.rust
        )
        .ok();
    }
    out.push_str("            _ => None,\n        }\n    }\n\n");
    writeln!(out, "    /// Every documented field as (element name, value), in the vendor's order.\n    #[must_use]\n    pub fn documented_fields(&self) -> [(&'static str, Option<&str>); {n}] {{\n        [").ok();
    for field in &customer.fields {
        writeln!(
            out,
            "            ({:?}, self.{}.as_deref()),",
            field.wire, field.rust
        )
        .ok();
    }
    out.push_str("        ]\n    }\n}\n");
    out
}

pub(super) fn fixture_cases_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! One snapshot test per generated fixture document; the helpers are hand-written\n\
         //! in `tests/support/mod.rs`.\n\n\
         use strax_xml_protocol::RequestType;\n\n\
         use crate::support::{check_request_fixture, check_response_fixture};\n\n",
    );
    for op in &spec.operations {
        let dir = &op.fixture;
        writeln!(out, "#[test]\nfn {dir}_request() {{\n    check_request_fixture({dir:?}, \"request.xml\");\n}}\n").ok();
        for case in RESPONSE_CASES {
            writeln!(
                out,
                "#[test]\nfn {dir}_{case}() {{\n    check_response_fixture({dir:?}, \"{case}.xml\", RequestType::{});\n}}\n",
                op.rust
            )
            .ok();
        }
    }
    out
}
