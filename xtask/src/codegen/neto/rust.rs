//! The Rust files: `crates/neto-api/src/generated/mod.rs` (data only) and the
//! snapshot test list.

use std::fmt::Write;

use super::fixtures::FILES;
use super::spec::{Rule, Spec};

fn rule_rs(rule: Rule) -> String {
    match rule {
        Rule::None => "FieldRule::Absent".to_owned(),
        Rule::Text(None) => "FieldRule::Text { max_chars: None }".to_owned(),
        Rule::Text(Some(n)) => format!("FieldRule::Text {{ max_chars: Some({n}) }}"),
        Rule::DateTime => "FieldRule::DateTime".to_owned(),
        Rule::Status => "FieldRule::Status".to_owned(),
        Rule::Digits(n) => format!("FieldRule::Digits {{ max_chars: {n} }}"),
    }
}

pub(super) fn generated_mod(spec: &Spec) -> Result<String, String> {
    let mut out = String::new();
    out.push_str(
        "//! Tables generated from `fixtures/neto/actions.toml`: the actions with what \
         resending each means, the customer-log status values, and the customer-log \
         field table with each action's rule.\n\n",
    );
    // ActionName
    out.push_str(
        "/// The Neto actions this crate speaks, by their `NETOAPI_ACTION` name.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n#[non_exhaustive]\npub enum ActionName {\n",
    );
    for action in &spec.action {
        writeln!(
            out,
            "/// `{}`: {}\n{},",
            action.name, action.doc, action.rust
        )
        .unwrap();
    }
    out.push_str("}\n\nimpl ActionName {\n/// Every action, in the spec's order.\npub const ALL: &'static [Self] = &[");
    for action in &spec.action {
        write!(out, "Self::{},", action.rust).unwrap();
    }
    out.push_str(
        "];\n\n/// The `NETOAPI_ACTION` header value, which is also the XML root element.\n\
         #[must_use]\npub fn as_str(self) -> &'static str {\nmatch self {\n",
    );
    for action in &spec.action {
        writeln!(out, "Self::{} => \"{}\",", action.rust, action.name).unwrap();
    }
    out.push_str(
        "}\n}\n\n/// The action whose `NETOAPI_ACTION` name is `name` (exact spelling), \
         if this crate speaks it.\n#[must_use]\npub fn from_wire(name: &str) -> Option<Self> {\nmatch name {\n",
    );
    for action in &spec.action {
        writeln!(out, "\"{}\" => Some(Self::{}),", action.name, action.rust).unwrap();
    }
    out.push_str(
        "_ => None,\n}\n}\n\n/// What sending this action's request again would mean.\n\
         #[must_use]\npub fn resend(self) -> wire_core::Resend {\nmatch self {\n",
    );
    for action in &spec.action {
        writeln!(
            out,
            "Self::{} => wire_core::Resend::{},",
            action.rust, action.resend
        )
        .unwrap();
    }
    out.push_str("}\n}\n}\n\n");
    // LogStatus
    out.push_str(
        "/// The `Status` of a customer log.\n#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n\
         #[non_exhaustive]\npub enum LogStatus {\n",
    );
    for status in &spec.status {
        writeln!(
            out,
            "/// `{}`: {}\n{},",
            status.wire, status.doc, status.rust
        )
        .unwrap();
    }
    out.push_str(
        "/// A value the service documents no meaning for, exactly as it was received. \
         Validation refuses it in a request.\nOther(String),\n}\n\nimpl LogStatus {\n\
         /// The documented values, as they are written on the wire.\npub const DOCUMENTED: &'static [&'static str] = &[",
    );
    for status in &spec.status {
        write!(out, "\"{}\",", status.wire).unwrap();
    }
    out.push_str(
        "];\n\n/// The value as it is written on the wire.\n#[must_use]\npub fn wire_name(&self) -> &str {\nmatch self {\n",
    );
    for status in &spec.status {
        writeln!(out, "Self::{} => \"{}\",", status.rust, status.wire).unwrap();
    }
    out.push_str(
        "Self::Other(value) => value,\n}\n}\n\n/// The status written `value` on the wire \
         (exact spelling); anything else is [`LogStatus::Other`].\n#[must_use]\npub fn from_wire(value: &str) -> Self {\nmatch value {\n",
    );
    for status in &spec.status {
        writeln!(out, "\"{}\" => Self::{},", status.wire, status.rust).unwrap();
    }
    out.push_str("other => Self::Other(other.to_owned()),\n}\n}\n}\n\n");
    // Field table
    out.push_str(
        "/// What a customer-log field holds in one action's log.\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub(crate) enum FieldRule {\n\
         /// Not a field of that action's log.\nAbsent,\n\
         /// Text, at most `max_chars` characters when there is a limit.\nText { max_chars: Option<usize> },\n\
         /// A UTC date and time written `YYYY-MM-DD HH:MM:SS`.\nDateTime,\n\
         /// One of [`LogStatus::DOCUMENTED`].\nStatus,\n\
         /// Required: ASCII digits, at most `max_chars` of them.\nDigits { max_chars: usize },\n}\n\n\
         /// One field of a customer log.\n#[derive(Debug, Clone, Copy, PartialEq, Eq)]\npub(crate) struct LogField {\n\
         /// Its wire name.\npub(crate) wire: &'static str,\n\
         /// Its rule in an `AddCustomerLog` log.\npub(crate) add: FieldRule,\n\
         /// Its rule in an `UpdateCustomerLog` log.\npub(crate) update: FieldRule,\n\
         /// Whether `GetCustomer`'s `CustomerLog` output holds it.\npub(crate) read: bool,\n}\n\n\
         /// Every customer-log field, in the vendor's order.\npub(crate) const LOG_FIELDS: &[LogField] = &[\n",
    );
    for field in &spec.log_field {
        writeln!(
            out,
            "LogField {{ wire: \"{}\", add: {}, update: {}, read: {} }},",
            field.wire,
            rule_rs(Rule::parse(&field.add)?),
            rule_rs(Rule::parse(&field.update)?),
            field.read
        )
        .unwrap();
    }
    out.push_str("];\n");
    Ok(out)
}

pub(super) fn fixture_cases_rs(spec: &Spec) -> String {
    let mut out = String::from(
        "//! One snapshot test per generated fixture document; the helpers are hand-written \
         in `tests/support/mod.rs`.\n\nuse neto_api::ActionName;\n\n\
         use crate::support::{check_request_fixture, check_response_fixture};\n",
    );
    for action in &spec.action {
        for file in FILES {
            let helper = if file.starts_with("request") {
                "check_request_fixture"
            } else {
                "check_response_fixture"
            };
            let test = format!("{}_{}", action.fixture, file.replace('.', "_"));
            write!(
                out,
                "\n#[test]\nfn {test}() {{\n{helper}(\"{}\", \"{file}\", ActionName::{});\n}}\n",
                action.fixture, action.rust
            )
            .unwrap();
        }
    }
    out
}
