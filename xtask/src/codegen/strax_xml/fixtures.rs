//! The fixture XML: request and response documents for every operation.

use std::fmt::Write as _;

use super::spec::*;
use super::{FIXTURE_PARTNER_ID, FIXTURE_PASSWORD, FIXTURE_USERNAME};

pub(super) const RESPONSE_CASES: [&str; 7] = [
    "response_success",
    "response_failure",
    "response_auth_failed",
    "response_tolerant",
    "response_echo_in_data",
    "response_failure_echo_in_data",
    "response_auth_failed_echo_in_data",
];

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// The request document exactly as the crate's encoder writes it.
pub(super) fn request_xml(spec: &Spec, op: &OperationSpec) -> String {
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

pub(super) fn auth_response(spec: &Spec) -> String {
    format!(
        "    <response type=\"{}\" success=\"true\">\n      <data>\n        <message>{}</message>\n      </data>\n    </response>\n",
        spec.authentication.request_type,
        escape(&spec.authentication.success_message)
    )
}

/// The documented success `<data>` content of `op`, one element per line.
pub(super) fn success_data(spec: &Spec, op: &OperationSpec, indent: &str) -> String {
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

pub(super) fn envelope(body: &str) -> String {
    format!("<?xml version=\"1.0\"?>\n<root>\n  <responses>\n{body}  </responses>\n</root>\n")
}

pub(super) fn fixtures(spec: &Spec, op: &OperationSpec) -> Vec<(&'static str, String)> {
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
pub(super) fn echo_line(spec: &Spec, indent: &str) -> String {
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
pub(super) fn echoes_in_data(spec: &Spec, op: &OperationSpec) -> (String, String, String) {
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
pub(super) fn tolerant(spec: &Spec, op: &OperationSpec) -> String {
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
pub(super) fn cdata_and_references(text: &str) -> String {
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
pub(super) fn cdata(text: &str) -> String {
    format!("<![CDATA[{}]]>", text.replace("]]>", "]]]]><![CDATA[>"))
}
