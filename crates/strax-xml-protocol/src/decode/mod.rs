//! Decoding a response document into one outcome per operation.

use bytes::Bytes;
use strict_xml::ReadError;
use wire_core::Redactor;

use crate::credentials::Credentials;
use crate::generated::{AUTHENTICATION_REQUEST_TYPE, RequestType};
use crate::operation::Operation;
use crate::outcome::{OperationFailure, OperationOutcome};

/// Longest body excerpt kept in [`DecodeError`]s, in characters.
const EXCERPT_CHARS: usize = 200;

/// What an excerpt is cut before (any ASCII case): what follows may be a
/// credential in any form (attribute, element, CDATA, form field).
const CUT_BEFORE: [&str; 2] = ["password", "<system_request"];

mod check;
mod direct;
mod fields;
mod redact;
mod responses;
mod tree;

use crate::envelope::data_texts;
use responses::{EnvelopeError, read_envelope};

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
    credentials: Option<&Credentials>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let status = response.status();
    if !status.is_success() {
        return Err(DecodeError::HttpStatus {
            status: status.as_u16(),
            body_excerpt: excerpt(response.body(), redactor),
        });
    }
    decode_checked(sent, redactor, response.body(), credentials)
}

/// [`decode_response_body`] with `redactor` (see [`decode_redacted`]).
fn decode_body_redacted(
    sent: &[RequestType],
    redactor: &Redactor,
    body: &[u8],
) -> Result<Vec<OperationOutcome>, DecodeError> {
    redacted(
        decode_body(sent, body, Route::Direct, redactor, None),
        redactor,
    )
}

/// The outcomes of the operations `sent`, answered by the document `body`:
/// every answer that names a record checked against the question (an answer
/// about another record is an undecodable failure), then every text redacted.
///
/// With `credentials` (those the request carried), the element answers to
/// them repeat (the echo of the authentication) is learned from the first
/// answer read and recognised in later ones instead of scanned again (see
/// [`strict_xml::XmlReader::recognise`]).
pub(crate) fn decode_checked(
    sent: &[Operation],
    redactor: &Redactor,
    body: &[u8],
    credentials: Option<&Credentials>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let types: Vec<RequestType> = sent.iter().map(Operation::request_type).collect();
    let decoded =
        decode_body(&types, body, Route::Direct, redactor, credentials).map(|mut outcomes| {
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
    credentials: Option<&Credentials>,
) -> Result<Vec<OperationOutcome>, DecodeError> {
    let envelope = read_envelope(body, sent, route, credentials).map_err(|error| match error {
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
                found: found.into_owned(),
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

/// A short, printable start of a body, the caller's secrets redacted, cut
/// before anything that may be a credential ([`CUT_BEFORE`]).
pub(crate) fn excerpt(body: &[u8], redactor: &Redactor) -> String {
    wire_core::text::excerpt(body, EXCERPT_CHARS, redactor, &CUT_BEFORE)
}

#[cfg(test)]
mod tests;
