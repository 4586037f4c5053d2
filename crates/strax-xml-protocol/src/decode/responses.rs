//! Reading the `<responses>` envelope: the authentication's answer, then
//! one outcome per operation sent (the direct route or a tree per answer).

use std::borrow::Cow;

use strict_xml::{BorrowedStartTag, ReadError, XmlElement, XmlReader};

use super::Route;
use super::direct::read_success;
use super::fields::trim;
use super::tree::success;
use crate::credentials::Credentials;
use crate::envelope::{data_texts, read_data_tree, success_flag};
use crate::generated::{AUTHENTICATION_REQUEST_TYPE, RequestType};
use crate::outcome::{OperationFailure, OperationOutcome};

/// One `<response>` read as a tree: its type and success flag when
/// readable, and its data (the children of `<data>` plus any other child,
/// every `<system_request>` echo removed at any depth).
pub(super) struct RawResponse {
    /// Borrowed for a successful authentication (its type is known), owned
    /// otherwise.
    pub(super) request_type: Option<Cow<'static, str>>,
    pub(super) success: Option<bool>,
    pub(super) data: XmlElement,
}

/// What the envelope holds: the authentication's answer as read, the outcome
/// of each operation answered (at most one per operation sent), and how many
/// `<response>` elements there are in all.
pub(super) struct Envelope {
    pub(super) authentication: Option<RawResponse>,
    pub(super) outcomes: Vec<OperationOutcome>,
    pub(super) found: usize,
}

/// Why the envelope could not be read (mapped to [`DecodeError`] with the
/// body at hand).
pub(super) enum EnvelopeError {
    Xml(ReadError),
    Root(String),
    MissingResponses,
}

impl From<ReadError> for EnvelopeError {
    fn from(error: ReadError) -> Self {
        Self::Xml(error)
    }
}

pub(super) fn read_envelope(
    body: &[u8],
    sent: &[RequestType],
    route: Route,
    credentials: Option<&Credentials>,
) -> Result<Envelope, EnvelopeError> {
    let mut reader = XmlReader::new(body)?;
    if let Some(known) = credentials.and_then(Credentials::known_element) {
        reader.recognise(known);
    }
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
    // Taken before `finish` consumes the reader (a copy, made once per
    // credentials), kept only once every rule has been checked, the end of
    // the document included.
    let learned = credentials
        .filter(|credentials| credentials.known_element().is_none())
        .and_then(|_| reader.learned_element());
    reader.finish()?;
    if let (Some(credentials), Some(learned)) = (credentials, learned) {
        credentials.learn_element(learned);
    }
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
                // A successful authentication's texts are never used: its
                // data is checked by the reader (every rule) but not kept,
                // and its type is the constant (nothing allocated).
                envelope.authentication = Some(
                    if success == Some(true) && request_type == Some(AUTHENTICATION_REQUEST_TYPE) {
                        reader.skip()?;
                        RawResponse {
                            request_type: Some(Cow::Borrowed(AUTHENTICATION_REQUEST_TYPE)),
                            success,
                            data: XmlElement::default(),
                        }
                    } else {
                        RawResponse {
                            request_type: request_type.map(|t| Cow::Owned(t.to_owned())),
                            success,
                            data: read_data_tree(reader)?,
                        }
                    },
                );
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
                    request_type: request_type.map(|t| Cow::Owned(t.to_owned())),
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

/// The outcome of the operation of type `request_type` answered by `response`.
pub(super) fn outcome(request_type: RequestType, response: RawResponse) -> OperationOutcome {
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
