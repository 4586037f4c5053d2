//! Decoding a response document into one outcome per operation.

use bytes::Bytes;
use strict_xml::{ReadError, XmlElement, XmlReader};

use crate::generated::{AUTHENTICATION_REQUEST_TYPE, Customer, RequestType};
use crate::outcome::{
    Availability, DataText, OperationFailure, OperationOutcome, OperationSuccess, read_availability,
};

/// Longest body excerpt kept in [`DecodeError`]s, in characters.
const EXCERPT_CHARS: usize = 200;

/// What ends an excerpt cut short because the rest may hold credentials.
const CUT_MARK: &str = "[cut: may hold credentials]";

/// Why a response could not be turned into outcomes at all.
///
/// These are the answers about which nothing can be said per operation. An
/// answer that can be matched to the operations but is wrong for some of them
/// gives one outcome per operation instead, with an
/// [`OperationFailure`] of kind [`FailureKind::Undecodable`](crate::FailureKind::Undecodable)
/// or [`FailureKind::NoResponse`](crate::FailureKind::NoResponse) where it is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The server answered with a non-2xx status.
    #[error("HTTP status {status}: {body_excerpt}")]
    HttpStatus {
        /// The status code.
        status: u16,
        /// The start of the body (see [`DecodeError::Xml`]'s `body_excerpt`).
        body_excerpt: String,
    },
    /// The body is not acceptable XML (a PHP error page, a truncated
    /// document, a `<!DOCTYPE`, an unknown entity, …).
    #[error(
        "response is not acceptable XML: {source}{}",
        excerpt_note(body_excerpt)
    )]
    Xml {
        /// What the strict reader refused.
        source: ReadError,
        /// The start of the body: control characters removed, whitespace
        /// collapsed, at most 200 characters, and cut (ending in
        /// `[cut: may hold credentials]`) at the first `password` (any case)
        /// or `<system_request`, since what follows may be a credential.
        body_excerpt: String,
    },
    /// The root element is not `<root>`.
    #[error(
        "response root element is <{found}>, expected <root>{}",
        excerpt_note(body_excerpt)
    )]
    UnexpectedRoot {
        /// The root element found.
        found: String,
        /// The start of the body (see [`DecodeError::Xml`]'s `body_excerpt`).
        body_excerpt: String,
    },
    /// `<root>` has no `<responses>`.
    #[error("response has no <responses> element")]
    MissingResponses,
    /// The authentication response (position 0) lacks a `type`, or its
    /// `success` is not `true`/`false`: whether anything was executed is unknown.
    #[error("response {position} has no valid `{attribute}` attribute")]
    InvalidResponseAttribute {
        /// Position among the responses (0 is the authentication).
        position: usize,
        /// `type` or `success`.
        attribute: &'static str,
    },
    /// No response at all (not even the authentication's), or more responses
    /// than requests (they cannot be matched to the operations).
    #[error("expected {expected} responses (authentication plus one per operation), found {found}")]
    ResponseCount {
        /// Requests sent, the authentication included.
        expected: usize,
        /// Responses found.
        found: usize,
    },
    /// The first response does not answer the authentication request.
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
}

/// `"; the body starts: …"`, or that the body is empty.
fn excerpt_note(body_excerpt: &str) -> String {
    if body_excerpt.is_empty() {
        "; the body is empty".to_owned()
    } else {
        format!("; the body starts: {body_excerpt}")
    }
}

/// Decodes the HTTP response to a batch whose operations had types `sent`.
///
/// Returns one outcome per operation of `sent`, in order. An operation the
/// service refused (`success="false"`), answered unreadably, or did not answer
/// (the list of responses ended early) gets an `Err` outcome of its own
/// ([`FailureKind`](crate::FailureKind)); the other operations keep their results.
///
/// # Errors
/// Only when nothing can be said per operation: a non-2xx status, a body that
/// is not XML, a wrong envelope, a missing or unreadable authentication
/// response, failed authentication, or more responses than requests.
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
    let responses = read_envelope(body).map_err(|error| match error {
        EnvelopeError::Xml(source) => DecodeError::Xml {
            source,
            body_excerpt: excerpt(body),
        },
        EnvelopeError::Root(found) => DecodeError::UnexpectedRoot {
            found,
            body_excerpt: excerpt(body),
        },
        EnvelopeError::MissingResponses => DecodeError::MissingResponses,
    })?;
    let expected = sent.len() + 1;
    let found = responses.len();
    let mut responses = responses.into_iter();
    let Some(auth) = responses.next() else {
        return Err(DecodeError::ResponseCount { expected, found });
    };
    let invalid = |attribute| DecodeError::InvalidResponseAttribute {
        position: 0,
        attribute,
    };
    match auth.request_type {
        Some(ref found) if found == AUTHENTICATION_REQUEST_TYPE => {}
        Some(found) => {
            return Err(DecodeError::ResponseTypeMismatch {
                position: 0,
                expected: AUTHENTICATION_REQUEST_TYPE,
                found,
            });
        }
        None => return Err(invalid("type")),
    }
    match auth.success {
        Some(true) => {}
        Some(false) => {
            let messages = data_texts(&auth.data).into_iter().map(|t| t.text).collect();
            return Err(DecodeError::AuthenticationFailed {
                messages,
                not_executed: sent.to_vec(),
            });
        }
        None => return Err(invalid("success")),
    }
    if found > expected {
        return Err(DecodeError::ResponseCount { expected, found });
    }
    Ok(sent
        .iter()
        .map(|&request_type| match responses.next() {
            Some(response) => outcome(request_type, response),
            None => Err(OperationFailure::no_response(request_type)),
        })
        .collect())
}

/// The outcome of the operation of type `request_type` answered by `response`.
fn outcome(request_type: RequestType, response: RawResponse) -> OperationOutcome {
    let expected = request_type.wire_name();
    let problem = match (&response.request_type, response.success) {
        (None, _) => Some("the response has no `type` attribute".to_owned()),
        (Some(found), _) if found != expected => Some(format!(
            "the response is of type `{found}`, expected `{expected}`"
        )),
        (_, None) => Some("the response's `success` attribute is not `true` or `false`".to_owned()),
        _ => None,
    };
    if let Some(reason) = problem {
        return Err(OperationFailure::undecodable(
            request_type,
            reason,
            data_texts(&response.data),
        ));
    }
    if response.success != Some(true) {
        return Err(OperationFailure::refused(
            request_type,
            data_texts(&response.data),
        ));
    }
    success(request_type, response.data).map_err(|(element, data)| {
        OperationFailure::undecodable(
            request_type,
            format!("success=\"true\" without <{element}>"),
            data_texts(&data),
        )
    })
}

/// One `<response>`: its type and success flag when readable, and its data
/// (the children of `<data>` plus any other child, every `<system_request>`
/// echo removed at any depth).
struct RawResponse {
    request_type: Option<String>,
    success: Option<bool>,
    data: XmlElement,
}

/// Why the envelope could not be read (mapped to [`DecodeError`] with the
/// body at hand).
enum EnvelopeError {
    Xml(ReadError),
    Root(String),
    MissingResponses,
}

impl From<ReadError> for EnvelopeError {
    fn from(error: ReadError) -> Self {
        Self::Xml(error)
    }
}

fn read_envelope(body: &[u8]) -> Result<Vec<RawResponse>, EnvelopeError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root()?;
    if root.name() != "root" {
        return Err(EnvelopeError::Root(root.name().to_owned()));
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
    responses.ok_or(EnvelopeError::MissingResponses)
}

/// Whether `name` is the echo of a request, which holds the password.
fn is_echo(name: &str) -> bool {
    name.eq_ignore_ascii_case("system_request")
}

/// Removes every `<system_request>` echo below `element`, at any depth.
fn drop_echoes(element: &mut XmlElement) {
    element.children.retain(|child| !is_echo(&child.name));
    for child in &mut element.children {
        drop_echoes(child);
    }
}

fn read_responses(reader: &mut XmlReader<'_>) -> Result<Vec<RawResponse>, ReadError> {
    let mut responses = Vec::new();
    while let Some(child) = reader.next_child()? {
        if child.name() != "response" {
            reader.skip()?;
            continue;
        }
        let request_type = child
            .attribute("type")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let success = match child.attribute("success").map(str::trim) {
            Some(flag) if flag.eq_ignore_ascii_case("true") => Some(true),
            Some(flag) if flag.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        };
        let mut data = XmlElement::new("data");
        while let Some(part) = reader.next_child()? {
            if is_echo(part.name()) {
                // Skipped unread: it echoes the request, password included.
                reader.skip()?;
                continue;
            }
            let tree = reader.read_tree(part)?;
            if tree.name == "data" {
                if !tree.text.trim().is_empty() {
                    data.children.push(XmlElement::with_text("data", tree.text));
                }
                data.children.extend(tree.children);
            } else {
                data.children.push(tree);
            }
        }
        drop_echoes(&mut data);
        responses.push(RawResponse {
            request_type,
            success,
            data,
        });
    }
    Ok(responses)
}

/// Every non-blank text of `data`, exactly as sent.
fn data_texts(data: &XmlElement) -> Vec<DataText> {
    data.texts()
        .into_iter()
        .map(|(element, text)| DataText {
            element: element.to_owned(),
            text: text.to_owned(),
        })
        .collect()
}

/// The text of `data`'s first `<name>`, exactly as sent; `None` when absent or blank.
fn child_text(data: &XmlElement, name: &str) -> Option<String> {
    data.child(name)
        .and_then(|child| non_blank(child.text.clone()))
}

/// `Some(text)` unless it is empty or only whitespace.
fn non_blank(text: String) -> Option<String> {
    if text.trim().is_empty() {
        None
    } else {
        Some(text)
    }
}

/// The result of a `success="true"` response, or the missing element's name
/// (with the data, for the failure's texts).
fn success(
    request_type: RequestType,
    mut data: XmlElement,
) -> Result<OperationSuccess, (&'static str, XmlElement)> {
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
            let Some(at) = data
                .children
                .iter()
                .position(|child| child.name == Customer::ELEMENT)
            else {
                return Err((Customer::ELEMENT, data));
            };
            let record = data.children.swap_remove(at);
            OperationSuccess::CustomerStatus(Box::new(customer(record)))
        }
        RequestType::GetSecurityTraxUniqueId => {
            // An id: surrounding whitespace is not part of it.
            match child_text(&data, "SecurityTraxUniqueID") {
                Some(id) => OperationSuccess::SecurityTraxUniqueId(id.trim().to_owned()),
                None => return Err(("SecurityTraxUniqueID", data)),
            }
        }
        RequestType::UpdateConfirmationNumber => OperationSuccess::ConfirmationNumberUpdated {
            message: child_text(&data, "message"),
        },
    })
}

/// Documented fields (first non-blank occurrence, exactly as sent; blank →
/// `None`) and undocumented ones, in order. An element with child elements is
/// flattened: each descendant becomes an undocumented field named by its path
/// (`Phones/Phone`), and the element's own non-blank text one named by its name.
fn customer(record: XmlElement) -> Customer {
    let mut customer = Customer::default();
    for field in record.children {
        if !field.children.is_empty() {
            let path = field.name.clone();
            flatten(&path, field, &mut customer.extra_fields);
            continue;
        }
        match customer.field_mut(&field.name) {
            Some(slot) if slot.is_none() => *slot = non_blank(field.text),
            _ => customer.extra_fields.push((field.name, field.text)),
        }
    }
    customer
}

/// Appends `element` (found at `path`) and its descendants as (path, text) pairs.
fn flatten(path: &str, element: XmlElement, out: &mut Vec<(String, String)>) {
    if !element.text.trim().is_empty() {
        out.push((path.to_owned(), element.text));
    }
    for child in element.children {
        let child_path = format!("{path}/{}", child.name);
        if child.children.is_empty() {
            out.push((child_path, child.text));
        } else {
            flatten(&child_path, child, out);
        }
    }
}

/// A short, printable start of a body: control characters removed,
/// whitespace collapsed, at most [`EXCERPT_CHARS`] characters, and cut at the
/// first `password` (any case) or `<system_request`, since what follows may be
/// a credential in any form (attribute, element, CDATA, form field).
pub(crate) fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(4 * EXCERPT_CHARS)];
    let text = String::from_utf8_lossy(head);
    // ASCII lowercasing keeps byte offsets, so `cut` indexes `text` too.
    let lower = text.to_ascii_lowercase();
    let cut = ["password", "<system_request"]
        .iter()
        .filter_map(|marker| lower.find(marker))
        .min();
    let shown = &text[..cut.unwrap_or(text.len())];
    let mut out = String::new();
    for word in shown
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
    } else if cut.is_some() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(CUT_MARK);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_fields_are_kept_exactly_first_wins_and_extras_are_kept_in_order() {
        let record = XmlElement::new("Customer")
            .with_child(XmlElement::with_text("FirstName", "  Pat\n"))
            .with_child(XmlElement::with_text("City", "Springfield"))
            .with_child(XmlElement::with_text("Zip", "   "))
            .with_child(XmlElement::with_text("Zip", "62701"))
            .with_child(XmlElement::with_text("FirstName", "Second"))
            .with_child(XmlElement::with_text("LoyaltyTier", " Gold "));
        let customer = customer(record);
        assert_eq!(customer.first_name.as_deref(), Some("  Pat\n"));
        assert_eq!(customer.city.as_deref(), Some("Springfield"));
        assert_eq!(customer.zip.as_deref(), Some("62701"));
        assert_eq!(
            customer.extra_fields,
            vec![
                ("FirstName".to_owned(), "Second".to_owned()),
                ("LoyaltyTier".to_owned(), " Gold ".to_owned())
            ]
        );
    }

    #[test]
    fn nested_customer_fields_are_flattened_by_path() {
        let phones = XmlElement::new("Phones")
            .with_child(XmlElement::with_text("Phone", "5555550100"))
            .with_child(XmlElement::with_text("Phone", "5555550101"))
            .with_child(
                XmlElement::new("Work").with_child(XmlElement::with_text("Phone", "5555550102")),
            )
            .with_child(XmlElement::new("Fax"));
        let mut mixed = XmlElement::with_text("Address1", "1 Main St");
        mixed.children.push(XmlElement::with_text("Unit", "4B"));
        let record = XmlElement::new("Customer")
            .with_child(phones)
            .with_child(mixed);
        let customer = customer(record);
        assert_eq!(customer.address1, None);
        let pairs: Vec<(&str, &str)> = customer
            .extra_fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Phones/Phone", "5555550100"),
                ("Phones/Phone", "5555550101"),
                ("Phones/Work/Phone", "5555550102"),
                ("Phones/Fax", ""),
                ("Address1", "1 Main St"),
                ("Address1/Unit", "4B"),
            ]
        );
    }

    #[test]
    fn echoes_are_dropped_at_every_depth() {
        let echo = || {
            XmlElement::new("System_Request").with_child(
                XmlElement::new("request")
                    .with_child(XmlElement::with_text("attribute", "hunter2")),
            )
        };
        let mut data = XmlElement::new("data")
            .with_child(XmlElement::with_text("message", "ok"))
            .with_child(echo())
            .with_child(XmlElement::new("details").with_child(echo()));
        drop_echoes(&mut data);
        assert_eq!(
            data_texts(&data),
            vec![DataText {
                element: "message".into(),
                text: "ok".into()
            }]
        );
        assert!(!format!("{data:?}").contains("hunter2"));
    }

    #[test]
    fn excerpts_are_bounded_and_printable() {
        let body = b"<html>\r\n<b>Error</b>\x07 <i>Fatal</i>";
        assert_eq!(excerpt(body), "<html> <b>Error</b> <i>Fatal</i>");
        let long = "x".repeat(1000);
        let cut = excerpt(long.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b""), "");
    }

    #[test]
    fn excerpts_are_cut_before_anything_that_may_be_a_credential() {
        for (body, shown) in [
            (
                "<b>Error</b> <attribute name='Password'>hunter2</attribute>",
                "<b>Error</b> <attribute name='",
            ),
            (
                "<attribute name=\"Password\"><![CDATA[hunter2]]></attribute>",
                "<attribute name=\"",
            ),
            (
                "<attribute name='password'>hunter2</attribute>",
                "<attribute name='",
            ),
            ("<Password>hunter2</Password>", "<"),
            ("Username=u&Password=hunter2&PartnerID=1", "Username=u&"),
            ("PASSWORD: hunter2", ""),
            (
                "<err>x</err><system_request><request><attribute name='Username'>hunter2</attribute>",
                "<err>x</err>",
            ),
            ("<err>x</err><SYSTEM_REQUEST>hunter2", "<err>x</err>"),
        ] {
            let excerpt = excerpt(body.as_bytes());
            assert!(!excerpt.contains("hunter2"), "{body}: {excerpt}");
            let expected = if shown.is_empty() {
                CUT_MARK.to_owned()
            } else {
                format!("{shown} {CUT_MARK}")
            };
            assert_eq!(excerpt, expected, "{body}");
        }
    }
}
