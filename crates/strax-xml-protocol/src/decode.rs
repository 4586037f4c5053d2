//! Decoding a response document into one outcome per operation.

use bytes::Bytes;
use strict_xml::{ReadError, XmlElement, XmlReader};

use crate::generated::{AUTHENTICATION_REQUEST_TYPE, Customer, RequestType};
use crate::outcome::{
    Availability, DataText, OperationFailure, OperationOutcome, OperationSuccess, read_availability,
};

/// Longest body excerpt kept in [`DecodeError::HttpStatus`], in characters.
const EXCERPT_CHARS: usize = 200;

/// Why a response could not be turned into outcomes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The server answered with a non-2xx status.
    #[error("HTTP status {status}: {body_excerpt}")]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The start of the body: control characters removed, whitespace
        /// collapsed, any echoed password redacted, at most 200 characters.
        body_excerpt: String,
    },
    /// The body is not acceptable XML.
    #[error("response is not acceptable XML: {0}")]
    Xml(#[from] ReadError),
    /// The root element is not `<root>`.
    #[error("response root element is <{found}>, expected <root>")]
    UnexpectedRoot {
        /// The root element found.
        found: String,
    },
    /// `<root>` has no `<responses>`.
    #[error("response has no <responses> element")]
    MissingResponses,
    /// A `<response>` lacks a `type`, or its `success` is not `true`/`false`.
    #[error("response {position} has no valid `{attribute}` attribute")]
    InvalidResponseAttribute {
        /// Position among the responses (0 is the authentication).
        position: usize,
        /// `type` or `success`.
        attribute: &'static str,
    },
    /// Not one response per request.
    #[error("expected {expected} responses (authentication plus one per operation), found {found}")]
    ResponseCount {
        /// Requests sent, the authentication included.
        expected: usize,
        /// Responses found.
        found: usize,
    },
    /// A response answers a different request type than the one sent there.
    #[error("response {position} is of type `{found}`, expected `{expected}`")]
    ResponseTypeMismatch {
        /// Position among the responses (0 is the authentication).
        position: usize,
        /// The type sent at that position.
        expected: &'static str,
        /// The type found.
        found: String,
    },
    /// Authentication failed: no operation was executed.
    #[error("authentication failed ({}); none of the {} operations was executed", messages.join("; "), not_executed.len())]
    AuthenticationFailed {
        /// The texts of the authentication response's data.
        messages: Vec<String>,
        /// Every operation of the batch, in order: none was executed.
        not_executed: Vec<RequestType>,
    },
    /// A successful response lacks the element that carries its result.
    #[error("operation {operation_index} ({}) succeeded but its response has no <{element}>", request_type.wire_name())]
    MissingData {
        /// The operation's position in the batch.
        operation_index: usize,
        /// Its request type.
        request_type: RequestType,
        /// The missing element.
        element: &'static str,
    },
}

/// Decodes the HTTP response to a batch whose operations had types `sent`.
///
/// # Errors
/// A non-2xx status, XML errors, a wrong envelope, a count or type mismatch
/// between requests and responses, failed authentication, or a success
/// without its result element. Failures of single operations are not errors:
/// they are `Err` outcomes in the returned list.
pub fn decode_response(
    sent: &[RequestType],
    response: &http::Response<Bytes>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let status = response.status();
    if !status.is_success() {
        return Err(DecodeError::HttpStatus {
            status: status.as_u16(),
            body_excerpt: excerpt(response.body()),
        });
    }
    decode_response_body(sent, response.body())
}

/// Decodes a response document (the body of a 2xx response); see [`decode_response`].
///
/// # Errors
/// As [`decode_response`], without the status check.
pub fn decode_response_body(
    sent: &[RequestType],
    body: &[u8],
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let responses = read_envelope(body)?;
    let expected = sent.len() + 1;
    let Some(auth) = responses.first() else {
        return Err(DecodeError::ResponseCount { expected, found: 0 });
    };
    if auth.request_type != AUTHENTICATION_REQUEST_TYPE {
        return Err(DecodeError::ResponseTypeMismatch {
            position: 0,
            expected: AUTHENTICATION_REQUEST_TYPE,
            found: auth.request_type.clone(),
        });
    }
    if !auth.success {
        let messages = data_texts(&auth.data).into_iter().map(|t| t.text).collect();
        return Err(DecodeError::AuthenticationFailed {
            messages,
            not_executed: sent.to_vec(),
        });
    }
    if responses.len() != expected {
        return Err(DecodeError::ResponseCount {
            expected,
            found: responses.len(),
        });
    }
    let mut outcomes = Vec::with_capacity(sent.len());
    for (operation_index, (response, &request_type)) in
        responses.into_iter().skip(1).zip(sent).enumerate()
    {
        if response.request_type != request_type.wire_name() {
            return Err(DecodeError::ResponseTypeMismatch {
                position: operation_index + 1,
                expected: request_type.wire_name(),
                found: response.request_type,
            });
        }
        outcomes.push(if response.success {
            Ok(success(operation_index, request_type, response.data)?)
        } else {
            Err(OperationFailure {
                request_type,
                texts: data_texts(&response.data),
            })
        });
    }
    Ok(outcomes)
}

/// One `<response>`: its type, success flag and data (the children of
/// `<data>` plus any other child but `<system_request>`, which is dropped unread).
struct RawResponse {
    request_type: String,
    success: bool,
    data: XmlElement,
}

fn read_envelope(body: &[u8]) -> Result<Vec<RawResponse>, DecodeError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root()?;
    if root.name() != "root" {
        return Err(DecodeError::UnexpectedRoot {
            found: root.name().to_owned(),
        });
    }
    let mut responses = None;
    while let Some(child) = reader.next_child()? {
        if child.name() == "responses" && responses.is_none() {
            responses = Some(read_responses(&mut reader)?);
        } else {
            reader.skip()?;
        }
    }
    reader.finish()?;
    responses.ok_or(DecodeError::MissingResponses)
}

fn read_responses(reader: &mut XmlReader<'_>) -> Result<Vec<RawResponse>, DecodeError> {
    let mut responses = Vec::new();
    while let Some(child) = reader.next_child()? {
        if child.name() != "response" {
            reader.skip()?;
            continue;
        }
        let position = responses.len();
        let invalid = |attribute| DecodeError::InvalidResponseAttribute {
            position,
            attribute,
        };
        let request_type = child
            .attribute("type")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or(invalid("type"))?;
        let success = match child.attribute("success").map(str::trim) {
            Some(flag) if flag.eq_ignore_ascii_case("true") => true,
            Some(flag) if flag.eq_ignore_ascii_case("false") => false,
            _ => return Err(invalid("success")),
        };
        let request_type = request_type.to_owned();
        let mut data = XmlElement::new("data");
        while let Some(part) = reader.next_child()? {
            match part.name() {
                "system_request" => reader.skip()?,
                "data" => {
                    let tree = reader.read_tree(part)?;
                    if !tree.text.trim().is_empty() {
                        data.children.push(XmlElement::with_text("data", tree.text));
                    }
                    data.children.extend(tree.children);
                }
                _ => {
                    let tree = reader.read_tree(part)?;
                    data.children.push(tree);
                }
            }
        }
        responses.push(RawResponse {
            request_type,
            success,
            data,
        });
    }
    Ok(responses)
}

fn data_texts(data: &XmlElement) -> Vec<DataText> {
    data.texts()
        .into_iter()
        .map(|(element, text)| DataText {
            element: element.to_owned(),
            text: text.trim().to_owned(),
        })
        .collect()
}

fn child_text(data: &XmlElement, name: &str) -> Option<String> {
    data.child(name)
        .map(|child| child.text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

fn success(
    operation_index: usize,
    request_type: RequestType,
    mut data: XmlElement,
) -> Result<OperationSuccess, DecodeError> {
    let missing = |element| DecodeError::MissingData {
        operation_index,
        request_type,
        element,
    };
    Ok(match request_type {
        RequestType::CreateCustomerNote => OperationSuccess::NoteCreated,
        RequestType::CreateTechSchedule => OperationSuccess::AppointmentCreated {
            confirmation_status_name: child_text(&data, "ConfirmationStatusName"),
        },
        RequestType::GetAppointmentAvailability => {
            let data = data_texts(&data);
            OperationSuccess::Availability(Availability {
                available: read_availability(&data),
                data,
            })
        }
        RequestType::GetCustomerStatus => {
            let at = data
                .children
                .iter()
                .position(|child| child.name == Customer::ELEMENT)
                .ok_or(missing(Customer::ELEMENT))?;
            let record = data.children.swap_remove(at);
            OperationSuccess::CustomerStatus(Box::new(customer(record)))
        }
        RequestType::GetSecurityTraxUniqueId => OperationSuccess::SecurityTraxUniqueId(
            child_text(&data, "SecurityTraxUniqueID").ok_or(missing("SecurityTraxUniqueID"))?,
        ),
        RequestType::UpdateConfirmationNumber => OperationSuccess::ConfirmationNumberUpdated {
            message: child_text(&data, "message"),
        },
    })
}

/// Documented fields (first occurrence; empty → `None`) and undocumented ones, in order.
fn customer(record: XmlElement) -> Customer {
    let mut customer = Customer::default();
    for field in record.children {
        let text = trimmed(field.text);
        match customer.field_mut(&field.name) {
            Some(slot) if slot.is_none() => *slot = Some(text).filter(|t| !t.is_empty()),
            _ => customer.extra_fields.push((field.name, text)),
        }
    }
    customer
}

/// `text` without surrounding whitespace, reusing its buffer when there is none.
fn trimmed(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_owned()
    }
}

/// A short, printable start of a body, with any echoed password redacted.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(4 * EXCERPT_CHARS)];
    let text = redact_passwords(&String::from_utf8_lossy(head));
    let mut out = String::new();
    for word in text
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > EXCERPT_CHARS {
        out = out.chars().take(EXCERPT_CHARS).collect();
        out.push('…');
    }
    out
}

/// Replaces the text after `name="Password">` / `name='Password'>` up to the
/// next `<` (or the end) with `[redacted]`.
fn redact_passwords(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("Password") {
        let after = &rest[at + "Password".len()..];
        let tail = after
            .strip_prefix('"')
            .or_else(|| after.strip_prefix('\''))
            .and_then(|t| t.trim_start().strip_prefix('>'));
        let Some(value_and_more) = tail else {
            out.push_str(&rest[..at + "Password".len()]);
            rest = after;
            continue;
        };
        let consumed = rest.len() - value_and_more.len();
        out.push_str(&rest[..consumed]);
        out.push_str("[redacted]");
        rest = value_and_more
            .find('<')
            .map_or("", |end| &value_and_more[end..]);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_fields_are_trimmed_first_wins_and_extras_are_kept_in_order() {
        let record = XmlElement::new("Customer")
            .with_child(XmlElement::with_text("FirstName", "  Pat\n"))
            .with_child(XmlElement::with_text("City", "Springfield"))
            .with_child(XmlElement::with_text("Zip", "   "))
            .with_child(XmlElement::with_text("FirstName", "Second"))
            .with_child(XmlElement::with_text("LoyaltyTier", " Gold "));
        let customer = customer(record);
        assert_eq!(customer.first_name.as_deref(), Some("Pat"));
        assert_eq!(customer.city.as_deref(), Some("Springfield"));
        assert_eq!(customer.zip, None);
        assert_eq!(
            customer.extra_fields,
            vec![
                ("FirstName".to_owned(), "Second".to_owned()),
                ("LoyaltyTier".to_owned(), "Gold".to_owned())
            ]
        );
        assert_eq!(trimmed("\t x \r\n".into()), "x");
        assert_eq!(trimmed("é".into()), "é");
    }

    #[test]
    fn excerpts_are_bounded_printable_and_redacted() {
        let body = b"<html>\r\n<b>Error</b>\x07 <attribute name='Password'>hunter2</attribute> <attribute name=\"Password\">pw2";
        assert_eq!(
            excerpt(body),
            "<html> <b>Error</b> <attribute name='Password'>[redacted]</attribute> <attribute name=\"Password\">[redacted]"
        );
        let long = "x".repeat(1000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"Password is wrong"), "Password is wrong");
    }
}
