//! The SecurityTrax legacy XML generator: reads `fixtures/strax-xml/operations.toml`
//! and returns
//! 1. the Rust tables of `crates/strax-xml-protocol/src/generated/` (request types,
//!    field tables, enums, the `Customer` record), data only;
//! 2. fixture documents under `fixtures/strax-xml/generated/<operation>/`: the
//!    request, the documented success response, a `success="false"` response, a
//!    failed authentication, a "tolerant" response (no declaration, single
//!    quotes, comments, entities, CDATA, empty and unknown elements, a
//!    `<system_request>` echo), and the same three answers with the
//!    `<system_request>` echo inside `<data>` and deeper (`*_echo_in_data.xml`);
//! 3. `crates/strax-xml-protocol/tests/generated/fixture_cases.rs`, one snapshot test
//!    per fixture, calling the hand-written helpers in `tests/support/mod.rs`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{FileKind, GeneratedFile};

/// The spec, relative to the workspace root.
const SPEC_PATH: &str = "fixtures/strax-xml/operations.toml";
const RUST_DIR: &str = "crates/strax-xml-protocol/src/generated";
const FIXTURE_DIR: &str = "fixtures/strax-xml/generated";
const CASES_PATH: &str = "crates/strax-xml-protocol/tests/generated/fixture_cases.rs";

/// Made-up credentials of every request fixture (the snapshot helpers redact the password).
const FIXTURE_USERNAME: &str = "fixture-user";
const FIXTURE_PASSWORD: &str = "fixture-password";
const FIXTURE_PARTNER_ID: &str = "77";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Spec {
    authentication: Authentication,
    #[serde(rename = "enum")]
    enums: Vec<EnumSpec>,
    #[serde(rename = "operation")]
    operations: Vec<OperationSpec>,
    customer: CustomerSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Authentication {
    request_type: String,
    fields: Vec<String>,
    success_message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumSpec {
    name: String,
    wire: String,
    doc: String,
    values: Vec<EnumValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EnumValue {
    rust: String,
    code: String,
    doc: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OperationSpec {
    request_type: String,
    rust: String,
    fixture: String,
    script: String,
    doc: String,
    response: String,
    fields: Vec<FieldSpec>,
    response_example: Vec<DataExample>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldSpec {
    wire: String,
    rust: String,
    required: bool,
    kind: String,
    #[serde(rename = "enum", default)]
    enum_name: Option<String>,
    #[serde(default)]
    empty_when_absent: bool,
    #[serde(default)]
    location: bool,
    example: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataExample {
    element: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerSpec {
    element: String,
    fields: Vec<CustomerField>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerField {
    wire: String,
    rust: String,
    #[serde(default)]
    personal: bool,
    example: String,
}

const FIELD_KINDS: &[&str] = &["text", "digits", "enum", "date-time", "decimal"];
const RESPONSE_KINDS: &[&str] = &[
    "created",
    "confirmation-status",
    "availability",
    "customer",
    "unique-id",
    "message",
];

/// Reads the spec below `workspace_root` and returns every file it generates.
pub(crate) fn generate(workspace_root: &Path) -> Result<Vec<GeneratedFile>, String> {
    let path = workspace_root.join(SPEC_PATH);
    let text =
        fs::read_to_string(&path).map_err(|error| format!("cannot read {SPEC_PATH}: {error}"))?;
    let spec: Spec = toml::from_str(&text).map_err(|error| format!("{SPEC_PATH}: {error}"))?;
    check(&spec)?;
    let mut files = vec![
        rust_file("mod.rs", generated_mod(&spec)),
        rust_file("enums.rs", enums_rs(&spec)),
        rust_file("request_types.rs", request_types_rs(&spec)),
        rust_file("customer.rs", customer_rs(&spec)),
    ];
    for operation in &spec.operations {
        for (name, contents) in fixtures(&spec, operation) {
            files.push(GeneratedFile {
                path: PathBuf::from(FIXTURE_DIR)
                    .join(&operation.fixture)
                    .join(name),
                contents,
                kind: FileKind::Xml,
            });
        }
    }
    files.push(GeneratedFile {
        path: CASES_PATH.into(),
        contents: fixture_cases_rs(&spec),
        kind: FileKind::Rust,
    });
    Ok(files)
}

fn rust_file(name: &str, contents: String) -> GeneratedFile {
    GeneratedFile {
        path: PathBuf::from(RUST_DIR).join(name),
        contents,
        kind: FileKind::Rust,
    }
}

/// Rejects specs the generated code or fixtures would get wrong.
fn check(spec: &Spec) -> Result<(), String> {
    let enum_names: BTreeSet<&str> = spec.enums.iter().map(|e| e.name.as_str()).collect();
    let auth = &spec.authentication;
    for field in &auth.fields {
        check_xml_name(field, "authentication field")?;
    }
    check_unique(
        auth.fields.iter().map(String::as_str),
        "authentication field",
    )?;
    let mut seen = BTreeSet::new();
    for operation in &spec.operations {
        let name = &operation.request_type;
        if !seen.insert(name.as_str()) {
            return Err(format!("operation `{name}` is described twice"));
        }
        let context = format!("operation `{name}`: field");
        for field in &operation.fields {
            check_xml_name(&field.wire, &context)?;
        }
        check_unique(operation.fields.iter().map(|f| f.wire.as_str()), &context)?;
        check_unique(
            operation.fields.iter().map(|f| f.rust.as_str()),
            &format!("operation `{name}`: Rust field"),
        )?;
        for example in &operation.response_example {
            check_xml_name(
                &example.element,
                &format!("operation `{name}`: response element"),
            )?;
        }
        if !matches!(operation.script.as_str(), "read" | "write") {
            return Err(format!(
                "operation `{name}`: script must be `read` or `write`"
            ));
        }
        if !RESPONSE_KINDS.contains(&operation.response.as_str()) {
            return Err(format!(
                "operation `{name}`: response `{}` is not one of {RESPONSE_KINDS:?}",
                operation.response
            ));
        }
        check_identifier(&operation.rust, true)?;
        check_identifier(&operation.fixture, false)?;
        for field in &operation.fields {
            check_identifier(&field.rust, false)?;
            if !FIELD_KINDS.contains(&field.kind.as_str()) {
                return Err(format!(
                    "operation `{name}`, field `{}`: kind `{}` is not one of {FIELD_KINDS:?}",
                    field.wire, field.kind
                ));
            }
            match (&field.kind[..], &field.enum_name) {
                ("enum", Some(enum_name)) => {
                    let found = spec
                        .enums
                        .iter()
                        .find(|e| &e.name == enum_name)
                        .ok_or_else(|| {
                            format!(
                                "operation `{name}`, field `{}`: unknown enum `{enum_name}`",
                                field.wire
                            )
                        })?;
                    if !field.example.is_empty()
                        && !found.values.iter().any(|value| value.code == field.example)
                    {
                        return Err(format!(
                            "operation `{name}`, field `{}`: example `{}` is not a code of `{enum_name}`",
                            field.wire, field.example
                        ));
                    }
                }
                ("enum", None) => {
                    return Err(format!(
                        "operation `{name}`, field `{}`: enum kind needs `enum`",
                        field.wire
                    ));
                }
                (_, Some(_)) => {
                    return Err(format!(
                        "operation `{name}`, field `{}`: only enum fields name an enum",
                        field.wire
                    ));
                }
                _ => {}
            }
            if field.required && field.example.is_empty() {
                return Err(format!(
                    "operation `{name}`, field `{}`: required fields need an example",
                    field.wire
                ));
            }
        }
    }
    for e in &spec.enums {
        check_identifier(&e.name, true)?;
        check_xml_name(&e.wire, &format!("enum `{}`: wire name", e.name))?;
        for value in &e.values {
            check_identifier(&value.rust, true)?;
        }
        check_unique(
            e.values.iter().map(|v| v.code.as_str()),
            &format!("enum `{}`: code", e.name),
        )?;
        check_unique(
            e.values.iter().map(|v| v.rust.as_str()),
            &format!("enum `{}`: value", e.name),
        )?;
    }
    if enum_names.len() != spec.enums.len() {
        return Err("an enum is described twice".into());
    }
    check_unique(
        spec.operations.iter().map(|op| op.rust.as_str()),
        "operation Rust name",
    )?;
    check_unique(
        spec.operations.iter().map(|op| op.fixture.as_str()),
        "operation fixture",
    )?;
    check_xml_name(&spec.customer.element, "customer element")?;
    for field in &spec.customer.fields {
        check_identifier(&field.rust, false)?;
        check_xml_name(&field.wire, "customer field")?;
    }
    check_unique(
        spec.customer.fields.iter().map(|f| f.wire.as_str()),
        "customer field",
    )?;
    check_unique(
        spec.customer.fields.iter().map(|f| f.rust.as_str()),
        "customer Rust field",
    )?;
    Ok(())
}

/// Fails naming the first value of `values` that appears twice.
fn check_unique<'a>(values: impl IntoIterator<Item = &'a str>, what: &str) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for value in values {
        if !seen.insert(value) {
            return Err(format!("{what} `{value}` appears twice"));
        }
    }
    Ok(())
}

/// Accepts an ASCII XML name without a namespace prefix: a letter or `_`,
/// then letters, digits, `_`, `-` and `.`. Wire names become element names
/// in the fixtures and the response documents, and attribute values that
/// servers match on, so nothing else is allowed.
fn check_xml_name(name: &str, what: &str) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if first_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{name}` is not an XML name (ASCII letter or `_`, then letters, digits, `_`, `-`, `.`)"
        ))
    }
}

fn check_identifier(name: &str, upper_camel: bool) -> Result<(), String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| {
        if upper_camel {
            c.is_ascii_uppercase()
        } else {
            c.is_ascii_lowercase()
        }
    });
    let rest_ok = chars.all(|c| {
        c.is_ascii_digit()
            || if upper_camel {
                c.is_ascii_alphabetic()
            } else {
                c.is_ascii_lowercase() || c == '_'
            }
    });
    if first_ok && rest_ok {
        Ok(())
    } else {
        let style = if upper_camel {
            "UpperCamelCase"
        } else {
            "snake_case"
        };
        Err(format!("`{name}` is not a {style} identifier"))
    }
}

fn screaming(snake_or_camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in snake_or_camel.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

// ---------------------------------------------------------------------------
// Rust

fn generated_mod(spec: &Spec) -> String {
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

fn enums_rs(spec: &Spec) -> String {
    let mut out = String::from("//! The values of the enum fields and their wire codes.\n\n");
    for e in &spec.enums {
        let n = e.values.len();
        writeln!(
            out,
            "/// {}\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum {} {{",
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

fn request_types_rs(spec: &Spec) -> String {
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

fn customer_rs(spec: &Spec) -> String {
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
         /// Build one with `Default` and struct update syntax\n\
         /// (`Customer { first_name: Some(..), ..Customer::default() }`). The struct\n\
         /// stays exhaustive so that this works outside the crate: a field added\n\
         /// to the spec is a breaking change of this type.\n\
         #[derive(Clone, Default, PartialEq, Eq)]\npub struct Customer {\n",
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

fn fixture_cases_rs(spec: &Spec) -> String {
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

// ---------------------------------------------------------------------------
// Fixtures

const RESPONSE_CASES: [&str; 7] = [
    "response_success",
    "response_failure",
    "response_auth_failed",
    "response_tolerant",
    "response_echo_in_data",
    "response_failure_echo_in_data",
    "response_auth_failed_echo_in_data",
];

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The request document exactly as the crate's encoder writes it.
fn request_xml(spec: &Spec, op: &OperationSpec) -> String {
    let auth = &spec.authentication;
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root>\n  <requests>\n");
    writeln!(out, "    <request type=\"{}\">", escape(&auth.request_type)).ok();
    let credentials = [FIXTURE_USERNAME, FIXTURE_PASSWORD, FIXTURE_PARTNER_ID];
    for (name, value) in auth.fields.iter().zip(credentials) {
        writeln!(
            out,
            "      <attribute name=\"{}\">{}</attribute>",
            escape(name),
            escape(value)
        )
        .ok();
    }
    writeln!(
        out,
        "    </request>\n    <request type=\"{}\">",
        escape(&op.request_type)
    )
    .ok();
    for field in &op.fields {
        if field.example.is_empty() && !field.empty_when_absent {
            continue;
        }
        writeln!(
            out,
            "      <attribute name=\"{}\">{}</attribute>",
            escape(&field.wire),
            escape(&field.example)
        )
        .ok();
    }
    out.push_str("    </request>\n  </requests>\n</root>");
    out
}

fn auth_response(spec: &Spec) -> String {
    format!(
        "    <response type=\"{}\" success=\"true\">\n      <data>\n        <message>{}</message>\n      </data>\n    </response>\n",
        spec.authentication.request_type,
        escape(&spec.authentication.success_message)
    )
}

/// The documented success `<data>` content of `op`, one element per line.
fn success_data(spec: &Spec, op: &OperationSpec, indent: &str) -> String {
    let mut out = String::new();
    if op.response == "customer" {
        writeln!(out, "{indent}<{}>", spec.customer.element).ok();
        for field in &spec.customer.fields {
            if field.example.is_empty() {
                writeln!(out, "{indent}  <{}/>", field.wire).ok();
            } else {
                writeln!(
                    out,
                    "{indent}  <{0}>{1}</{0}>",
                    field.wire,
                    escape(&field.example)
                )
                .ok();
            }
        }
        writeln!(out, "{indent}</{}>", spec.customer.element).ok();
    }
    for example in &op.response_example {
        writeln!(
            out,
            "{indent}<{0}>{1}</{0}>",
            example.element,
            escape(&example.text)
        )
        .ok();
    }
    out
}

fn envelope(body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<root>\n  <responses>\n{body}  </responses>\n</root>\n")
}

fn fixtures(spec: &Spec, op: &OperationSpec) -> Vec<(&'static str, String)> {
    let kind = &op.request_type;
    let success = envelope(&format!(
        "{}    <response type=\"{kind}\" success=\"true\">\n      <data>\n{}      </data>\n    </response>\n",
        auth_response(spec),
        success_data(spec, op, "        ")
    ));
    let failure = envelope(&format!(
        "{}    <response type=\"{kind}\" success=\"false\">\n      <data>\n        <message>Request could not be completed</message>\n        <errors>\n          <error>Invalid SecurityTraxUniqueID &amp; customer not found</error>\n          <error><![CDATA[Field <NoteText> rejected]]></error>\n        </errors>\n      </data>\n    </response>\n",
        auth_response(spec)
    ));
    let auth_failed = envelope(&format!(
        "    <response type=\"{}\" success=\"false\">\n      <data>\n        <message>Invalid Username or Password</message>\n      </data>\n    </response>\n",
        spec.authentication.request_type
    ));
    let (echo_in_data, failure_echo_in_data, auth_failed_echo_in_data) = echoes_in_data(spec, op);
    vec![
        ("request.xml", request_xml(spec, op)),
        ("response_success.xml", success),
        ("response_failure.xml", failure),
        ("response_auth_failed.xml", auth_failed),
        ("response_tolerant.xml", tolerant(spec, op)),
        ("response_echo_in_data.xml", echo_in_data),
        ("response_failure_echo_in_data.xml", failure_echo_in_data),
        (
            "response_auth_failed_echo_in_data.xml",
            auth_failed_echo_in_data,
        ),
    ]
}

/// A `<system_request>` echo of the authentication request, password included,
/// on one line after `indent`.
fn echo_line(spec: &Spec, indent: &str) -> String {
    format!(
        "{indent}<system_request><request type=\"{}\"><attribute name=\"Username\">{FIXTURE_USERNAME}</attribute><attribute name=\"Password\">{FIXTURE_PASSWORD}</attribute><attribute name=\"PartnerID\">{FIXTURE_PARTNER_ID}</attribute></request></system_request>\n",
        escape(&spec.authentication.request_type)
    )
}

/// Servers that put the `<system_request>` echo inside `<data>` (and deeper):
/// a success (the echo directly in `<data>` and inside the result element or a
/// wrapper), a `success="false"` answer (echo in `<data>` and in `<errors>`),
/// and a failed authentication (echo in its `<data>`). The decoder must drop
/// every echo: the password appears in no outcome and no error.
fn echoes_in_data(spec: &Spec, op: &OperationSpec) -> (String, String, String) {
    let kind = &op.request_type;
    let auth_type = &spec.authentication.request_type;
    let auth_ok = format!(
        "    <response type=\"{auth_type}\" success=\"true\">\n      <data>\n        <message>{}</message>\n{}      </data>\n    </response>\n",
        escape(&spec.authentication.success_message),
        echo_line(spec, "        ")
    );
    let mut result = success_data(spec, op, "        ");
    if op.response == "customer" {
        // Inside the record, where undocumented elements are kept as fields.
        let closing = format!("        </{}>\n", spec.customer.element);
        let at = result.rfind(&closing).unwrap_or(result.len());
        result.insert_str(at, &echo_line(spec, "          "));
    } else {
        writeln!(
            result,
            "        <details>\n{}        </details>",
            echo_line(spec, "          ")
        )
        .ok();
    }
    let success = envelope(&format!(
        "{auth_ok}    <response type=\"{kind}\" success=\"true\">\n      <data>\n{}{result}      </data>\n    </response>\n",
        echo_line(spec, "        ")
    ));
    let failure = envelope(&format!(
        "{auth_ok}    <response type=\"{kind}\" success=\"false\">\n      <data>\n        <message>Request could not be completed</message>\n{}        <errors>\n          <error>Invalid SecurityTraxUniqueID</error>\n{}        </errors>\n      </data>\n    </response>\n",
        echo_line(spec, "        "),
        echo_line(spec, "          ")
    ));
    let auth_failed = envelope(&format!(
        "    <response type=\"{auth_type}\" success=\"false\">\n      <data>\n        <message>Invalid Username or Password</message>\n{}      </data>\n    </response>\n",
        echo_line(spec, "        ")
    ));
    (success, failure, auth_failed)
}

/// The documented success, written the way real servers and samples vary: no
/// declaration, single quotes, comments and whitespace, entities and CDATA in a
/// value, unknown extra elements, and `<system_request>` echoes holding the password.
fn tolerant(spec: &Spec, op: &OperationSpec) -> String {
    let auth = &spec.authentication;
    let echo = format!(
        "<system_request><request type='{}'><attribute name='Username'>{FIXTURE_USERNAME}</attribute><attribute name='Password'>{FIXTURE_PASSWORD}</attribute><attribute name='PartnerID'>{FIXTURE_PARTNER_ID}</attribute></request></system_request>",
        auth.request_type
    );
    let mut data = String::new();
    match op.response.as_str() {
        "customer" => {
            data.push_str("<Customer>\n");
            for field in &spec.customer.fields {
                let text = match field.wire.as_str() {
                    "FirstName" => "Ren&#233;e".to_owned(),
                    "LastName" => "O&apos;Brien &amp; Sons".to_owned(),
                    "City" => "<![CDATA[Springfield <North>]]>".to_owned(),
                    _ if field.example.is_empty() => String::new(),
                    _ => escape(&field.example),
                };
                if text.is_empty() {
                    writeln!(data, "  <{}></{}>", field.wire, field.wire).ok();
                } else {
                    writeln!(data, "  <{0}>{text}</{0}>", field.wire).ok();
                }
            }
            data.push_str("  <LoyaltyTier>Gold</LoyaltyTier>\n</Customer>\n");
        }
        _ => {
            for example in &op.response_example {
                let text = if op.response == "availability" {
                    format!("  {}\n", escape(&example.text))
                } else {
                    cdata_and_references(&example.text)
                };
                writeln!(data, "<{0}>{text}</{0}>", example.element).ok();
            }
        }
    }
    let type_attr = &op.request_type;
    format!(
        "<!-- no XML declaration; single-quoted attributes -->\n<root>\n<responses>\n\
         <response type='{}' success='true'><data><message>Authenticated To System</message></data>{echo}</response>\n\
         <!-- a comment between responses -->\n<Debug level='3'>ignored</Debug>\n\
         <response success='true' type='{type_attr}'>\n<Extra><Nested/></Extra>\n<data>\n{data}<Trace>unknown element</Trace>\n</data>\n{echo}\n</response>\n\
         </responses>\n<Footer/>\n</root>\n",
        auth.request_type
    )
}

/// `text` written as a CDATA section (its first half) followed by the rest,
/// whose first character is a decimal and whose last a hexadecimal character
/// reference: it decodes back to `text`.
fn cdata_and_references(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() < 4 {
        return cdata(text);
    }
    let half = chars.len() / 2;
    let head: String = chars[..half].iter().collect();
    let middle: String = chars[half + 1..chars.len() - 1].iter().collect();
    format!(
        "{}&#{};{}&#x{:X};",
        cdata(&head),
        u32::from(chars[half]),
        escape(&middle),
        u32::from(chars[chars.len() - 1])
    )
}

/// `text` as CDATA; a `]]>` inside is split across two sections
/// (`]]` ends the first, `>` starts the second), since it would end the section.
fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> Spec {
        let root = crate::workspace::root();
        let text = fs::read_to_string(root.join(SPEC_PATH)).expect("spec");
        toml::from_str(&text).expect("spec parses")
    }

    #[test]
    fn the_committed_spec_generates_code_fixtures_and_cases() {
        let files = generate(&crate::workspace::root()).expect("generate");
        let paths: Vec<String> = files
            .iter()
            .map(|f| f.path.to_string_lossy().replace('\\', "/"))
            .collect();
        assert!(paths.contains(&format!("{RUST_DIR}/request_types.rs")));
        assert!(paths.contains(&format!("{FIXTURE_DIR}/create_tech_schedule/request.xml")));
        assert!(paths.contains(&CASES_PATH.to_owned()));
        // 4 Rust files, a request and the response cases per operation, 1 test list.
        assert_eq!(
            files.len(),
            4 + (1 + RESPONSE_CASES.len()) * spec().operations.len() + 1
        );
    }

    #[test]
    fn the_request_fixture_matches_the_vendor_sample_fields() {
        let spec = spec();
        let op = spec
            .operations
            .iter()
            .find(|op| op.fixture == "create_tech_schedule")
            .expect("op");
        let xml = request_xml(&spec, op);
        assert!(
            xml.contains("<attribute name=\"StartTime\">01/23/2014 7:30</attribute>"),
            "{xml}"
        );
        assert!(
            xml.contains("<attribute name=\"TechID\"></attribute>"),
            "{xml}"
        );
    }

    #[test]
    fn unknown_kinds_enums_and_scripts_are_refused() {
        let base = fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec");
        for (from, to, expected) in [
            (
                "kind = \"digits\", example = \"9710\"",
                "kind = \"number\", example = \"9710\"",
                "kind `number`",
            ),
            (
                "enum = \"NoteType\"",
                "enum = \"Nope\"",
                "unknown enum `Nope`",
            ),
            ("script = \"read\"", "script = \"both\"", "script must be"),
            (
                "response = \"created\"",
                "response = \"ok\"",
                "response `ok`",
            ),
            (
                "example = \"PhoneNumber\"",
                "example = \"Fax\"",
                "not a code of `IdType`",
            ),
        ] {
            let text = base.replacen(from, to, 1);
            assert_ne!(text, base, "{from} not found in the spec");
            let spec: Spec = toml::from_str(&text).expect("still TOML");
            let error = check(&spec).expect_err(expected);
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn wire_names_must_be_xml_names_and_unique() {
        let base = fs::read_to_string(crate::workspace::root().join(SPEC_PATH)).expect("spec");
        for (from, to, expected) in [
            (
                "wire = \"NoteSubject\"",
                "wire = \"Note Subject\"",
                "field `Note Subject` is not an XML name",
            ),
            (
                "wire = \"TechID\"",
                "wire = \"1TechID\"",
                "field `1TechID` is not an XML name",
            ),
            (
                "wire = \"NoteText\"",
                "wire = \"NoteSubject\"",
                "field `NoteSubject` appears twice",
            ),
            (
                "{ wire = \"Phone2\"",
                "{ wire = \"Phone1\"",
                "customer field `Phone1` appears twice",
            ),
            (
                "{ wire = \"Email\"",
                "{ wire = \"E<mail\"",
                "customer field `E<mail` is not an XML name",
            ),
            (
                "code = \"2\", doc = \"A closed ticket.\"",
                "code = \"1\", doc = \"A closed ticket.\"",
                "enum `TicketType`: code `1` appears twice",
            ),
            (
                "element = \"ConfirmationStatusName\"",
                "element = \"Confirmation:Status\"",
                "response element `Confirmation:Status` is not an XML name",
            ),
            (
                "element = \"Customer\"",
                "element = \"\"",
                "customer element `` is not an XML name",
            ),
        ] {
            let text = base.replacen(from, to, 1);
            assert_ne!(text, base, "{from} not found in the spec");
            let spec: Spec = toml::from_str(&text).expect("still TOML");
            let error = check(&spec).expect_err(expected);
            assert!(error.contains(expected), "{expected}: {error}");
        }
        assert!(check_xml_name("Security-Trax.ID_2", "x").is_ok());
        assert!(check_xml_name("_x", "x").is_ok());
        for bad in ["", "-x", ".x", "x y", "é", "a/b"] {
            assert!(check_xml_name(bad, "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn cdata_and_references_spell_the_same_text() {
        assert_eq!(cdata_and_references("2237"), "<![CDATA[22]]>&#51;&#x37;");
        assert_eq!(
            cdata_and_references("Not Confirmed"),
            "<![CDATA[Not Co]]>&#110;firme&#x64;"
        );
        assert_eq!(cdata_and_references("a&b"), "<![CDATA[a&b]]>");
        assert_eq!(cdata("]]>"), "<![CDATA[]]]]><![CDATA[>]]>");
        for text in [
            "]]>",
            "x]]>yz]]>w",
            "ab]]>cd",
            "]]>]]>]]>]]>",
            "a]]",
            "Not Confirmed",
            "<&'\">",
        ] {
            let written = cdata_and_references(text);
            assert_eq!(decode_character_data(&written), text, "{written}");
        }
    }

    /// Decodes XML character data (text, CDATA sections, entity and character
    /// references) as a parser would, refusing markup and a `]]>` outside CDATA.
    fn decode_character_data(mut xml: &str) -> String {
        let mut out = String::new();
        while let Some(c) = xml.chars().next() {
            if let Some(rest) = xml.strip_prefix("<![CDATA[") {
                let end = rest.find("]]>").expect("a closed CDATA section");
                out.push_str(&rest[..end]);
                xml = &rest[end + 3..];
            } else if let Some(rest) = xml.strip_prefix('&') {
                let end = rest.find(';').expect("a terminated reference");
                let name = &rest[..end];
                let decoded = match name {
                    "amp" => '&',
                    "lt" => '<',
                    "gt" => '>',
                    "quot" => '"',
                    "apos" => '\'',
                    _ => {
                        let code = match name.strip_prefix("#x") {
                            Some(hex) => u32::from_str_radix(hex, 16),
                            None => name.trim_start_matches('#').parse(),
                        };
                        char::from_u32(code.expect("a number")).expect("a character")
                    }
                };
                out.push(decoded);
                xml = &rest[end + 1..];
            } else {
                assert!(
                    c != '<' && !xml.starts_with("]]>"),
                    "not character data: {xml}"
                );
                out.push(c);
                xml = &xml[c.len_utf8()..];
            }
        }
        out
    }

    #[test]
    fn every_fixture_case_holds_the_echo_where_its_name_says() {
        let spec = spec();
        for op in &spec.operations {
            let (success, failure, auth_failed) = echoes_in_data(&spec, op);
            for (name, document, expected) in [
                ("success", &success, 3),
                ("failure", &failure, 3),
                ("auth_failed", &auth_failed, 1),
            ] {
                assert_eq!(
                    document.matches(FIXTURE_PASSWORD).count(),
                    expected,
                    "{}: {name}: {document}",
                    op.fixture
                );
                let data = document.find("<data>").expect("data");
                assert!(document[data..].find("<system_request>").is_some());
            }
        }
    }

    #[test]
    fn identifiers_are_checked() {
        assert!(check_identifier("CreateCustomerNote", true).is_ok());
        assert!(check_identifier("note_text", false).is_ok());
        assert!(check_identifier("note-text", false).is_err());
        assert!(check_identifier("createNote", true).is_err());
        assert_eq!(screaming("CreateCustomerNote"), "CREATE_CUSTOMER_NOTE");
    }
}
