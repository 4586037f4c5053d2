//! Decoding a response document into one outcome per operation.

use std::borrow::Cow;

use bytes::Bytes;
use strict_xml::{BorrowedStartTag, ReadError, TextOrTree, XmlElement, XmlReader};
use wire_core::Redactor;

use crate::generated::{AUTHENTICATION_REQUEST_TYPE, Customer, RequestType};
use crate::operation::Operation;
use crate::outcome::{
    Availability, OperationFailure, OperationOutcome, OperationSuccess, read_availability,
};

/// Longest body excerpt kept in [`DecodeError`]s, in characters.
const EXCERPT_CHARS: usize = 200;

/// What an excerpt is cut before (any ASCII case): what follows may be a
/// credential in any form (attribute, element, CDATA, form field).
const CUT_BEFORE: [&str; 2] = ["password", "<system_request"];

mod check;
mod redact;

use crate::envelope::{data_texts, drop_echoes, is_echo, read_data_tree, success_flag};

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
        /// The start of the body: the caller's secrets redacted, control
        /// characters removed, whitespace collapsed, at most 200 characters,
        /// and cut (ending in `[cut: the rest may hold credentials]`) at the
        /// first `password` (any case) or `<system_request`, since what
        /// follows may be a credential.
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
/// This function knows no secret, so it redacts nothing: texts the service
/// sent are returned as sent (echoes of the request dropped, excerpts cut
/// before anything that looks like a credential).
/// [`Batch::decode_response`](crate::Batch::decode_response) also removes the
/// batch's password from every text; prefer it.
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
            body_excerpt: excerpt(response.body(), &Redactor::none()),
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
    decode_body_redacted(sent, &Redactor::none(), body)
}

/// [`decode_response`], every text the service sent (messages, result
/// values, customer fields, element names, body excerpts) passed through
/// `redactor` before it is returned, in outcomes and errors alike.
pub(crate) fn decode_redacted(
    sent: &[Operation],
    redactor: &Redactor,
    response: &http::Response<Bytes>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let status = response.status();
    if !status.is_success() {
        return Err(DecodeError::HttpStatus {
            status: status.as_u16(),
            body_excerpt: excerpt(response.body(), redactor),
        });
    }
    decode_checked(sent, redactor, response.body())
}

/// [`decode_response_body`] with `redactor` (see [`decode_redacted`]).
fn decode_body_redacted(
    sent: &[RequestType],
    redactor: &Redactor,
    body: &[u8],
) -> Result<Vec<OperationOutcome>, DecodeError> {
    redacted(decode_body(sent, body, Route::Direct, redactor), redactor)
}

/// The outcomes of the operations `sent`, answered by the document `body`:
/// every answer that names a record checked against the question (an answer
/// about another record is an undecodable failure), then every text redacted.
pub(crate) fn decode_checked(
    sent: &[Operation],
    redactor: &Redactor,
    body: &[u8],
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let types: Vec<RequestType> = sent.iter().map(Operation::request_type).collect();
    let decoded = decode_body(&types, body, Route::Direct, redactor).map(|mut outcomes| {
        for (operation, outcome) in sent.iter().zip(&mut outcomes) {
            check::against_request(operation, outcome);
        }
        outcomes
    });
    redacted(decoded, redactor)
}

/// `decoded` with every text the service sent passed through `redactor`.
fn redacted(
    decoded: Result<Vec<OperationOutcome>, DecodeError>,
    redactor: &Redactor,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    if redactor.is_empty() {
        return decoded;
    }
    match decoded {
        Ok(mut outcomes) => {
            for outcome in &mut outcomes {
                redact::outcome(outcome, redactor);
            }
            Ok(outcomes)
        }
        Err(mut error) => {
            redact::error(&mut error, redactor);
            Err(error)
        }
    }
}

/// How the answers of operations are read (see [`read_responses`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    /// Successful answers of the expected type straight into their result,
    /// the rest as trees.
    Direct,
    /// Every answer as a tree first (the reference the direct route is
    /// tested against).
    #[cfg(test)]
    Trees,
}

fn decode_body(
    sent: &[RequestType],
    body: &[u8],
    route: Route,
    redactor: &Redactor,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let envelope = read_envelope(body, sent, route).map_err(|error| match error {
        EnvelopeError::Xml(source) => DecodeError::Xml {
            source,
            body_excerpt: excerpt(body, redactor),
        },
        EnvelopeError::Root(found) => DecodeError::UnexpectedRoot {
            found,
            body_excerpt: excerpt(body, redactor),
        },
        EnvelopeError::MissingResponses => DecodeError::MissingResponses,
    })?;
    let expected = sent.len() + 1;
    let found = envelope.found;
    let Some(auth) = envelope.authentication else {
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
    let mut outcomes = envelope.outcomes;
    let answered = outcomes.len();
    outcomes.extend(
        sent[answered..]
            .iter()
            .map(|&request_type| Err(OperationFailure::no_response(request_type))),
    );
    Ok(outcomes)
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
    success(request_type, response.data)
        .map_err(|(element, data)| missing(request_type, element, &data))
}

/// The failure of a `success="true"` answer that lacks the element carrying its result.
fn missing(request_type: RequestType, element: &str, data: &XmlElement) -> OperationFailure {
    OperationFailure::undecodable(
        request_type,
        format!("success=\"true\" without <{element}>"),
        data_texts(data),
    )
}

/// One `<response>` read as a tree: its type and success flag when
/// readable, and its data (the children of `<data>` plus any other child,
/// every `<system_request>` echo removed at any depth).
struct RawResponse {
    request_type: Option<String>,
    success: Option<bool>,
    data: XmlElement,
}

/// What the envelope holds: the authentication's answer as read, the outcome
/// of each operation answered (at most one per operation sent), and how many
/// `<response>` elements there are in all.
struct Envelope {
    authentication: Option<RawResponse>,
    outcomes: Vec<OperationOutcome>,
    found: usize,
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

fn read_envelope(
    body: &[u8],
    sent: &[RequestType],
    route: Route,
) -> Result<Envelope, EnvelopeError> {
    let mut reader = XmlReader::new(body)?;
    let root = reader.root_borrowed()?;
    if root.name() != "root" {
        return Err(EnvelopeError::Root(root.name().to_owned()));
    }
    let mut envelope = None;
    while let Some(child) = reader.next_child_borrowed()? {
        if child.name() == "responses" && envelope.is_none() {
            envelope = Some(read_responses(&mut reader, body, sent, route)?);
        } else {
            reader.skip()?;
        }
    }
    reader.finish()?;
    envelope.ok_or(EnvelopeError::MissingResponses)
}

/// Reads every `<response>`. The answer to an operation that says
/// `success="true"` and has the type sent there is decoded straight into its
/// result (no tree); any other answer (the authentication's, a refusal, a
/// mismatch) is read as a tree and judged by [`outcome`]. Responses past the last operation are
/// only checked and counted.
fn read_responses(
    reader: &mut XmlReader<'_>,
    body: &[u8],
    sent: &[RequestType],
    route: Route,
) -> Result<Envelope, ReadError> {
    let mut envelope = Envelope {
        authentication: None,
        outcomes: Vec::with_capacity(sent.len()),
        found: 0,
    };
    while let Some(child) = reader.next_child_borrowed()? {
        if child.name() != "response" {
            reader.skip()?;
            continue;
        }
        let position = envelope.found;
        envelope.found += 1;
        // One walk over the attributes, stopping once both are found (each
        // name occurs at most once: the reader refuses duplicates).
        let (mut type_attribute, mut success_attribute) = (None, None);
        for (key, value) in child.attributes() {
            match key {
                "type" => type_attribute = Some(value),
                "success" => success_attribute = Some(value),
                _ => {}
            }
            if type_attribute.is_some() && success_attribute.is_some() {
                break;
            }
        }
        let request_type = type_attribute
            .as_deref()
            .map(trim)
            .filter(|t| !t.is_empty());
        let success = success_attribute.as_deref().and_then(success_flag);
        let Some(&expected) = position.checked_sub(1).and_then(|index| sent.get(index)) else {
            if position == 0 {
                let data = read_data_tree(reader)?;
                envelope.authentication = Some(RawResponse {
                    request_type: request_type.map(str::to_owned),
                    success,
                    data,
                });
            } else {
                reader.skip()?;
            }
            continue;
        };
        let direct = route == Route::Direct
            && success == Some(true)
            && request_type == Some(expected.wire_name());
        let outcome = if direct {
            match read_success(reader, expected)? {
                Ok(result) => Ok(result),
                Err(element) => {
                    // Rare: read the answer again as a tree, for its texts.
                    let data = reread_data_tree(body, &child, reader.position())?;
                    Err(missing(expected, element, &data))
                }
            }
        } else {
            let data = read_data_tree(reader)?;
            outcome(
                expected,
                RawResponse {
                    request_type: request_type.map(str::to_owned),
                    success,
                    data,
                },
            )
        };
        envelope.outcomes.push(outcome);
    }
    Ok(envelope)
}

/// The data of the `<response>` that starts at `response` and ends at byte
/// `end` of `body` (already read once, so known to be acceptable), read again
/// as a tree.
fn reread_data_tree(
    body: &[u8],
    response: &BorrowedStartTag<'_>,
    end: u64,
) -> Result<XmlElement, ReadError> {
    let start = usize::try_from(response.position()).unwrap_or(usize::MAX);
    let end = usize::try_from(end).unwrap_or(usize::MAX);
    // Offsets from reading `body` itself, so always inside it.
    let element = body.get(start..end).unwrap_or_default();
    let mut reader = XmlReader::new(element)?;
    reader.root_borrowed()?;
    read_data_tree(&mut reader)
}

/// The result of a successful answer of type `request_type`, read straight
/// from the rest of its `<response>` (an availability answer, whose texts are
/// all kept, still through a tree);
/// `Err` with the missing element's name when the answer lacks it. Decodes
/// what [`success`] decodes from the answer's tree.
fn read_success(
    reader: &mut XmlReader<'_>,
    request_type: RequestType,
) -> Result<Result<OperationSuccess, &'static str>, ReadError> {
    Ok(Ok(match request_type {
        RequestType::CreateCustomerNote => {
            reader.skip()?;
            OperationSuccess::NoteCreated
        }
        RequestType::CreateTechSchedule => OperationSuccess::AppointmentCreated {
            confirmation_status_name: first_data_child_text(reader, "ConfirmationStatusName")?,
        },
        RequestType::UpdateConfirmationNumber => OperationSuccess::ConfirmationNumberUpdated {
            message: first_data_child_text(reader, "message")?,
        },
        RequestType::GetSecurityTraxUniqueId => {
            match first_data_child_text(reader, "SecurityTraxUniqueID")? {
                // An id: surrounding whitespace is not part of it.
                Some(id) => OperationSuccess::SecurityTraxUniqueId(id.trim().to_owned()),
                None => return Ok(Err("SecurityTraxUniqueID")),
            }
        }
        RequestType::GetCustomerStatus => match read_first_customer(reader)? {
            Some(customer) => OperationSuccess::CustomerStatus(customer),
            None => return Ok(Err(Customer::ELEMENT)),
        },
        RequestType::GetAppointmentAvailability => {
            let data = read_data_tree(reader)?;
            let data = data_texts(&data);
            OperationSuccess::Availability(Availability {
                available: read_availability(&data),
                data,
            })
        }
    }))
}

/// Walks the data children of the `<response>` whose start tag was just read
/// (the children of each `<data>`, and any other part itself; echoes left
/// out) and hands each to `visit`, which must read or skip it. Text in
/// `<data>` is checked and dropped.
fn for_each_data_child<'a>(
    reader: &mut XmlReader<'a>,
    mut visit: impl FnMut(&mut XmlReader<'a>, &BorrowedStartTag<'a>) -> Result<(), ReadError>,
) -> Result<(), ReadError> {
    while let Some(part) = reader.next_child_borrowed()? {
        if is_echo(part.name()) {
            reader.skip()?;
        } else if part.name() == "data" {
            while let Some(child) = reader.next_child_skipping_text()? {
                if is_echo(child.name()) {
                    reader.skip()?;
                } else {
                    visit(reader, &child)?;
                }
            }
        } else {
            visit(reader, &part)?;
        }
    }
    Ok(())
}

/// The text of the first data child called `name`, exactly as sent; `None`
/// when there is none or it is blank (as [`child_text`] on the tree).
fn first_data_child_text(
    reader: &mut XmlReader<'_>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let mut found = None;
    for_each_data_child(reader, |reader, child| {
        if found.is_none() && child.name() == name {
            let text = match reader.read_text_or_tree(child)? {
                TextOrTree::Text(text) => text,
                TextOrTree::Tree(tree) => Cow::Owned(tree.text),
            };
            found = Some(non_blank_text(text));
            Ok(())
        } else {
            reader.skip()
        }
    })?;
    Ok(found.flatten())
}

/// The first data child `<Customer>`, decoded field by field (as [`customer`]
/// decodes its tree).
fn read_first_customer(reader: &mut XmlReader<'_>) -> Result<Option<Box<Customer>>, ReadError> {
    let mut found = None;
    for_each_data_child(reader, |reader, child| {
        if found.is_none() && child.name() == Customer::ELEMENT {
            found = Some(read_customer_fields(reader)?);
            Ok(())
        } else {
            reader.skip()
        }
    })?;
    Ok(found)
}

/// The fields of the `<Customer>` whose start tag was just read (boxed from
/// the start: the record is large).
fn read_customer_fields(reader: &mut XmlReader<'_>) -> Result<Box<Customer>, ReadError> {
    let mut customer = Box::<Customer>::default();
    while let Some(field) = reader.next_child_skipping_text()? {
        if is_echo(field.name()) {
            reader.skip()?;
            continue;
        }
        match reader.read_text_or_tree(&field)? {
            TextOrTree::Text(text) => customer_field(&mut customer, field.name(), text),
            TextOrTree::Tree(mut tree) => {
                drop_echoes(&mut tree);
                if tree.children.is_empty() {
                    customer_field(&mut customer, &tree.name, Cow::Owned(tree.text));
                } else {
                    let path = tree.name.clone();
                    flatten(&path, tree, &mut customer.extra_fields);
                }
            }
        }
    }
    Ok(customer)
}

/// Files one leaf field: the first non-blank occurrence of a documented
/// field, else an undocumented one.
fn customer_field(customer: &mut Customer, name: &str, text: Cow<'_, str>) {
    match customer.field_mut(name) {
        Some(slot) if slot.is_none() => *slot = non_blank_text(text),
        _ => customer
            .extra_fields
            .push((name.to_owned(), text.into_owned())),
    }
}

/// `Some(text)` unless it is empty or only whitespace (copied only then).
fn non_blank_text(text: Cow<'_, str>) -> Option<String> {
    if is_blank(&text) {
        None
    } else {
        Some(text.into_owned())
    }
}

/// The text of `data`'s first `<name>`, exactly as sent; `None` when absent or blank.
fn child_text(data: &XmlElement, name: &str) -> Option<String> {
    data.child(name)
        .and_then(|child| non_blank(child.text.clone()))
}

/// `text.trim()`, returning at once when both ends are ASCII and not
/// whitespace (attribute values almost always are).
fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let clean = |b: &u8| b.is_ascii() && !char::from(*b).is_whitespace();
    if bytes.first().is_some_and(clean) && bytes.last().is_some_and(clean) {
        text
    } else {
        text.trim()
    }
}

/// Whether `text` is empty or only whitespace (`str::trim` leaves nothing).
/// A first byte that is ASCII and not whitespace (most values) decides at
/// once, without scanning the rest.
fn is_blank(text: &str) -> bool {
    match text.as_bytes().first() {
        None => true,
        Some(&first) if first.is_ascii() && !char::from(first).is_whitespace() => false,
        Some(_) => text.trim().is_empty(),
    }
}

/// `Some(text)` unless it is empty or only whitespace.
fn non_blank(text: String) -> Option<String> {
    if is_blank(&text) { None } else { Some(text) }
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
        customer_field(&mut customer, &field.name, Cow::Owned(field.text));
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

/// A short, printable start of a body, the caller's secrets redacted, cut
/// before anything that may be a credential ([`CUT_BEFORE`]).
pub(crate) fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    wire_core::text::excerpt(body, EXCERPT_CHARS, redactor, &CUT_BEFORE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::DataText;

    /// Decodes `body` both ways and checks they agree.
    fn both_routes(sent: &[RequestType], body: &str) -> Result<Vec<OperationOutcome>, DecodeError> {
        let none = Redactor::none();
        let direct = decode_body(sent, body.as_bytes(), Route::Direct, &none);
        let trees = decode_body(sent, body.as_bytes(), Route::Trees, &none);
        assert_eq!(direct, trees, "{body}");
        direct
    }

    const AUTH: &str = "<response type='GetSystemAuthentication' success='true'><data><message>ok</message></data></response>";

    fn document(responses: &[&str]) -> String {
        format!(
            "<root><responses>{AUTH}{}</responses></root>",
            responses.concat()
        )
    }

    #[test]
    fn direct_decoding_agrees_with_decoding_trees() {
        use RequestType::{
            CreateCustomerNote as Note, CreateTechSchedule as Schedule,
            GetAppointmentAvailability as Availability, GetCustomerStatus as Status,
            GetSecurityTraxUniqueId as Id, UpdateConfirmationNumber as Confirm,
        };
        let status = "type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'";
        let schedule = "type=' CreateTechScheduleBySecurityTraxUniqueID ' success='TRUE'";
        let id = "type='AllAccess-GetSecurityTraxUniqueID' success='true'";
        let confirm = "type='UpdateConfirmationNumberBySecurityTraxUniqueID' success='true'";
        let cases: Vec<(Vec<RequestType>, Vec<String>)> = vec![
            // Mixed text, echoes at every depth, nested and repeated fields, a
            // blank first occurrence, a later `<data>`, an extra part.
            (vec![Status], vec![format!(
                "<response {status}><System_Request><x>pw</x></System_Request>\
                 <data>lead &amp; text<Customer>stray<FirstName> Pat </FirstName>\
                 <Zip>  </Zip><system_request>pw</system_request><Zip>62701</Zip>\
                 <FirstName>Second</FirstName><Phones><Phone>1</Phone><system_request/>\
                 <Work><Phone>2</Phone></Work><Fax/></Phones><Address1>1 Main<Unit>4B</Unit></Address1>\
                 <Email><system_request>x</system_request></Email><Loyalty> Gold </Loyalty></Customer>\
                 <Customer><FirstName>Ignored</FirstName></Customer></data><data>t</data></response>"
            )]),
            // A `<Customer>` straight in the response, and one missing.
            (vec![Status, Status], vec![
                format!("<response {status}><Customer><ID>7</ID></Customer></response>"),
                format!("<response {status}><data><message>none</message><Other>x<y/></Other></data>\
                         <system_request>pw</system_request></response>"),
            ]),
            // First matching child wins even when blank; trees in place of text.
            (vec![Schedule, Schedule, Schedule, Confirm, Confirm], vec![
                format!("<response {schedule}><data><ConfirmationStatusName> </ConfirmationStatusName>\
                         <ConfirmationStatusName>Later</ConfirmationStatusName></data></response>"),
                format!("<response {schedule}><data>x</data><ConfirmationStatusName>Not <b/>Confirmed\
                         </ConfirmationStatusName></response>"),
                format!("<response {schedule}><data/></response>"),
                format!("<response {confirm}><data><message>Set &#233;</message></data></response>"),
                format!("<response {confirm}><data><message><![CDATA[a]]>b</message></data></response>"),
            ]),
            // Ids: trimmed, missing, blank.
            (vec![Id, Id, Id], vec![
                format!("<response {id}><data><SecurityTraxUniqueID> 42 </SecurityTraxUniqueID></data></response>"),
                format!("<response {id}><data><message>no such phone</message></data></response>"),
                format!("<response {id}><data><SecurityTraxUniqueID>\n</SecurityTraxUniqueID></data></response>"),
            ]),
            // Refusals, mismatches, availability, notes, and missing answers.
            (vec![Note, Note, Availability, Note, Note, Status], vec![
                "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='true'><data>x<y>z</y></data></response>".to_owned(),
                "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='false'><data><error>bad</error></data></response>".to_owned(),
                "<response type='GetIfAppointmentAvailableByLocationInfo' success='true'><data><Available>yes</Available></data></response>".to_owned(),
                "<response type='Other' success='true'><data><message>m</message></data></response>".to_owned(),
                "<response type='CreateCustomerNoteBySecurityTraxUniqueID' success='maybe'/>".to_owned(),
            ]),
        ];
        for (sent, responses) in cases {
            let responses: Vec<&str> = responses.iter().map(String::as_str).collect();
            let outcomes = both_routes(&sent, &document(&responses)).expect("decodes");
            assert_eq!(outcomes.len(), sent.len());
        }
        // Errors come out the same too, whichever comes first.
        let status_response =
            format!("<response {status}><data><Customer><A>&bad;</A></Customer></data></response>");
        let empty_customer = format!("<response {status}><data><Customer/></data></response>");
        for body in [
            document(&[&status_response]),
            document(&[&format!("<response {status}>text</response>")]),
            document(&[empty_customer.as_str(); 3]),
            "<root><responses/></root>".to_owned(),
        ] {
            assert!(both_routes(&[Status], &body).is_err(), "{body}");
        }
    }

    #[test]
    fn blank_means_what_trim_leaves_empty() {
        for text in [
            "",
            " ",
            "\t\r\n",
            "\u{0B}\u{0C}",
            "\u{a0}",
            " \u{3000}\u{2028}",
            "x",
            " x",
            "\u{a0}x",
            "é",
            "\u{1C}",
            "0",
            "\u{85}",
            "x ",
            "x\u{a0}",
            " true ",
            "true",
            "\u{2003}true",
        ] {
            assert_eq!(is_blank(text), text.trim().is_empty(), "{text:?}");
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn a_success_without_its_element_keeps_every_text_of_the_answer() {
        let body = document(&[
            "<response type='AllAccess-GetCustomerStatusBySecurityTraxUniqueID' success='true'>\
             <data>Not found<message>No customer</message><system_request>pw</system_request></data></response>",
        ]);
        let outcomes = both_routes(&[RequestType::GetCustomerStatus], &body).expect("decodes");
        let failure = outcomes[0].clone().expect_err("undecodable");
        assert_eq!(
            failure,
            OperationFailure::undecodable(
                RequestType::GetCustomerStatus,
                "success=\"true\" without <Customer>",
                vec![
                    DataText {
                        element: "data".into(),
                        text: "Not found".into()
                    },
                    DataText {
                        element: "message".into(),
                        text: "No customer".into()
                    },
                ]
            )
        );
    }

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
        let none = Redactor::none();
        let body = b"<html>\r\n<b>Error</b>\x07 <i>Fatal</i>";
        assert_eq!(excerpt(body, &none), "<html> <b>Error</b> <i>Fatal</i>");
        let long = "x".repeat(1000);
        let cut = excerpt(long.as_bytes(), &none);
        assert_eq!(cut.chars().count(), EXCERPT_CHARS + 1);
        assert!(cut.ends_with('…'));
        assert_eq!(excerpt(b"", &none), "");
    }

    #[test]
    fn excerpts_are_redacted_then_cut_before_anything_that_may_be_a_credential() {
        const CUT_MARK: &str = "[cut: the rest may hold credentials]";
        let redactor = Redactor::new(["hunter2"]);
        assert_eq!(
            excerpt(b"<b>Error</b> login hunter2 refused", &redactor),
            "<b>Error</b> login [redacted] refused"
        );
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
            // Cut before the marker even when the secret is not known.
            let excerpt = excerpt(body.as_bytes(), &Redactor::none());
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
