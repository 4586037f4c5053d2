//! The server side, for the sandbox and for users' own fakes: decode a request
//! document into credentials and operations, encode a response document.
//!
//! ```
//! use strax_xml_protocol::server::{ResponseEntry, decode_request, encode_response};
//! use strax_xml_protocol::{Batch, CreateCustomerNote, Credentials, NoteType, OperationSuccess};
//!
//! let note = CreateCustomerNote::new("9710", "Subject", "Text", NoteType::Sales);
//! let document = Batch::new(Credentials::new("u", "p", "77"), [note.into()]).to_xml()?;
//!
//! let request = decode_request(&document)?;
//! assert_eq!(request.credentials.username(), "u");
//! let mut responses = vec![ResponseEntry::authenticated()];
//! for operation in &request.operations {
//!     assert!(operation.result.is_ok());
//!     responses.push(ResponseEntry::success(&OperationSuccess::NoteCreated));
//! }
//! let body = encode_response(&responses)?;
//! assert!(std::str::from_utf8(&body)?.contains(r#"success="true""#));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;
use std::sync::LazyLock;

use bytes::Bytes;
use secrecy::ExposeSecret;
use strict_xml::{
    Fragment, PreparedElement, ReadError, WriteError, XmlElement, XmlReader, XmlWriter,
};

use crate::credentials::Credentials;
use crate::generated::{AUTHENTICATED_MESSAGE, AUTHENTICATION_REQUEST_TYPE, Customer, RequestType};
use crate::operation::Operation;
use crate::outcome::{OperationFailure, OperationOutcome, OperationSuccess};
use crate::validate::operation_violations_of;
use wire_core::validation::Violations;

/// Why a request document could not be decoded at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestDecodeError {
    /// The body is not acceptable XML.
    #[error("request is not acceptable XML: {0}")]
    Xml(#[from] ReadError),
    /// The root element is not `<root>`.
    #[error("request root element is <{found}>, expected <root>")]
    UnexpectedRoot {
        /// The root element found.
        found: String,
    },
    /// `<root>` has no `<requests>`.
    #[error("request has no <requests> element")]
    MissingRequests,
    /// A `<request>` has no `type`, or an `<attribute>` no `name`.
    #[error("request {position} has an element without its `{attribute}` attribute")]
    MissingXmlAttribute {
        /// Position among the requests (0 is the authentication).
        position: usize,
        /// `type` or `name`.
        attribute: &'static str,
    },
    /// The first request is not `GetSystemAuthentication`.
    #[error("the first request must be GetSystemAuthentication, found {}", found.as_deref().unwrap_or("no request"))]
    MissingAuthentication {
        /// The first request's type, if there is one.
        found: Option<String>,
    },
    /// The authentication request lacks a credential field.
    #[error("GetSystemAuthentication has no `{field}`")]
    MissingCredential {
        /// `Username`, `Password` or `PartnerID`.
        field: &'static str,
    },
    /// The document holds more operations than [`decode_request_limited`] accepts;
    /// reading stopped at the first one over the limit.
    #[error(
        "the document holds more than {limit} operations: at most {limit} are accepted per document, send the rest in further documents"
    )]
    TooManyOperations {
        /// The most operations (after the authentication) a document may hold.
        limit: usize,
    },
}

/// Why one operation of a request document cannot be executed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestRejection {
    /// The request type is not one this crate knows.
    #[error("unknown request type `{0}`")]
    UnknownRequestType(String),
    /// Fields break rules (all of them listed).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Violations),
}

/// One operation of a decoded request document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestedOperation {
    /// The `type` attribute as sent.
    pub request_type: String,
    /// The typed operation, or why it cannot be executed.
    pub result: Result<Operation, RequestRejection>,
}

/// A decoded request document. `Debug` redacts the password.
#[derive(Debug, Clone)]
pub struct DecodedRequest {
    /// The credentials of `GetSystemAuthentication`.
    pub credentials: Credentials,
    /// The operations, in document order.
    pub operations: Vec<RequestedOperation>,
}

/// Decodes a request document (`<root><requests>…`).
///
/// Attribute values are taken exactly as sent (not trimmed). Nothing a client
/// sends inside `<requests>` is dropped silently: an element other than
/// `<request>` is an operation of unknown type (named `<element>`), and an
/// element other than `<attribute>` inside a `<request>` is an unknown field
/// (named `<element>`), so a misspelling is answered, never ignored. Elements
/// under `<root>` other than `<requests>` are skipped.
///
/// # Errors
/// XML errors, a wrong envelope, a missing authentication or credential.
/// Invalid operations are not errors: they come back as rejections.
pub fn decode_request(body: &[u8]) -> Result<DecodedRequest, RequestDecodeError> {
    decode_request_limited(body, usize::MAX)
}

/// Like [`decode_request`], refusing a document with more than `max_operations`
/// operations (the authentication request not counted) as soon as the reader
/// meets the first one over the limit, so a huge document is neither decoded
/// nor answered in full.
///
/// ```
/// use strax_xml_protocol::server::{RequestDecodeError, decode_request_limited};
/// use strax_xml_protocol::{Batch, CreateCustomerNote, Credentials, NoteType};
///
/// let note = || CreateCustomerNote::new("9710", "Subject", "Text", NoteType::Sales).into();
/// let document = Batch::new(Credentials::new("u", "p", "77"), [note(), note(), note()]).to_xml()?;
/// assert_eq!(decode_request_limited(&document, 3)?.operations.len(), 3);
/// assert_eq!(
///     decode_request_limited(&document, 2).unwrap_err(),
///     RequestDecodeError::TooManyOperations { limit: 2 }
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`decode_request`], plus [`RequestDecodeError::TooManyOperations`].
pub fn decode_request_limited(
    body: &[u8],
    max_operations: usize,
) -> Result<DecodedRequest, RequestDecodeError> {
    decode_request_for_accounts(body, max_operations, &[])
}

/// Like [`decode_request_limited`], for a server that knows its accounts:
/// when the document's credentials are, byte for byte, those of one of
/// `accounts`, the decoded request carries a clone of that account's
/// credentials (shared, so nothing is copied and
/// [`Credentials::matches`] against it needs no comparison) instead of new
/// ones. The decoded values are the same either way. Each account is
/// compared in constant time, as [`Credentials::matches`] compares.
///
/// ```
/// use strax_xml_protocol::server::{decode_request_for_accounts, decode_request_limited};
/// use strax_xml_protocol::{Batch, CreateCustomerNote, Credentials, NoteType};
///
/// let account = Credentials::new("u", "p", "77");
/// let note = CreateCustomerNote::new("9710", "Subject", "Text", NoteType::Sales);
/// let document = Batch::new(account.clone(), [note.into()]).to_xml()?;
/// let decoded = decode_request_for_accounts(&document, 10, std::slice::from_ref(&account))?;
/// assert!(decoded.credentials.matches(&account));
/// assert_eq!(decoded.operations, decode_request_limited(&document, 10)?.operations);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`decode_request_limited`].
pub fn decode_request_for_accounts(
    body: &[u8],
    max_operations: usize,
    accounts: &[Credentials],
) -> Result<DecodedRequest, RequestDecodeError> {
    // Most documents (crmwire's own among them) come in one plain shape,
    // read in one pass; any other goes through the reader.
    if let Some(decoded) = plain::decode(body, max_operations, accounts) {
        return decoded;
    }
    let mut reader = XmlReader::new(body)?;
    let root = reader.root_borrowed()?;
    if root.name() != "root" {
        return Err(RequestDecodeError::UnexpectedRoot {
            found: root.name().to_owned(),
        });
    }
    let mut requests = None;
    while let Some(child) = reader.next_child_borrowed()? {
        if child.name() == "requests" && requests.is_none() {
            requests = Some(read_requests(&mut reader, max_operations)?);
        } else {
            reader.skip()?;
        }
    }
    reader.finish()?;
    requests
        .ok_or(RequestDecodeError::MissingRequests)?
        .into_decoded(accounts)
}

/// The credential fields of `GetSystemAuthentication`, in the order a
/// missing one is reported.
const CREDENTIAL_FIELDS: [&str; 3] = ["Username", "Password", "PartnerID"];

/// What the `<requests>` element held, decoded as it was read.
///
/// The document is read to its end before any of this is reported, so an
/// XML error (or a missing `type`/`name`, or too many operations) anywhere
/// in it is reported before a missing authentication or credential, as when
/// every request was collected first.
struct ReadRequests<'a> {
    /// The first request, once read.
    first: Option<FirstRequest<'a>>,
    /// The operations after an authentication, in document order (none are
    /// decoded after any other first request: the document is refused).
    operations: Vec<RequestedOperation>,
    /// One buffer for the fields of every operation.
    fields: Vec<(Cow<'static, str>, Cow<'a, str>)>,
}

/// The first `<request>` of a document.
enum FirstRequest<'a> {
    /// `GetSystemAuthentication`, with the first value of each of
    /// [`CREDENTIAL_FIELDS`] it held.
    Authentication([Option<Cow<'a, str>>; 3]),
    /// Any other request: its type as sent (`<name>` for a stray element).
    Other(String),
}

impl<'a> ReadRequests<'a> {
    fn new() -> Self {
        Self {
            first: None,
            operations: Vec::new(),
            fields: Vec::new(),
        }
    }

    /// A `<request>` of type `request_type` (its start tag just read):
    /// `read_fields` reads its fields, up to its end tag, into the sink it
    /// is given, and the request is decoded.
    fn request<E>(
        &mut self,
        request_type: Cow<'_, str>,
        read_fields: impl FnOnce(Fields<'_, 'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        match &mut self.first {
            None if request_type == AUTHENTICATION_REQUEST_TYPE => {
                let mut credentials = [None, None, None];
                read_fields(Fields::Credentials(&mut credentials))?;
                self.first = Some(FirstRequest::Authentication(credentials));
            }
            None => {
                self.first = Some(FirstRequest::Other(request_type.into_owned()));
                read_fields(Fields::Dropped)?;
            }
            Some(FirstRequest::Authentication(_)) => {
                let operation_index = self.operations.len();
                let request_type = request_type.into_owned();
                let result = match RequestType::from_wire_name(&request_type) {
                    None => {
                        read_fields(Fields::Dropped)?;
                        Err(RequestRejection::UnknownRequestType(request_type.clone()))
                    }
                    Some(known) => {
                        self.fields.clear();
                        read_fields(Fields::Operation(known, &mut self.fields))?;
                        Operation::from_wire(known, &self.fields).map_err(|problems| {
                            RequestRejection::Invalid(
                                operation_violations_of(operation_index, known, problems)
                                    .expect("from_wire fails only with at least one problem"),
                            )
                        })
                    }
                };
                self.operations.push(RequestedOperation {
                    request_type,
                    result,
                });
            }
            Some(FirstRequest::Other(_)) => read_fields(Fields::Dropped)?,
        }
        Ok(())
    }

    /// An element other than `<request>` among the requests, named
    /// `stray` (`<name>`): a misspelt `<request>` must not vanish, it stays
    /// an operation of an unknown type, so every request still gets its
    /// answer in order.
    fn stray(&mut self, stray: String) {
        match self.first {
            None => self.first = Some(FirstRequest::Other(stray)),
            Some(FirstRequest::Authentication(_)) => {
                self.operations.push(RequestedOperation {
                    result: Err(RequestRejection::UnknownRequestType(stray.clone())),
                    request_type: stray,
                });
            }
            Some(FirstRequest::Other(_)) => {}
        }
    }

    /// The decoded request; its credentials are a clone of the one of
    /// `accounts` they equal, if any.
    fn into_decoded(self, accounts: &[Credentials]) -> Result<DecodedRequest, RequestDecodeError> {
        let credentials = match self.first {
            Some(FirstRequest::Authentication(credentials)) => credentials,
            Some(FirstRequest::Other(found)) => {
                return Err(RequestDecodeError::MissingAuthentication { found: Some(found) });
            }
            None => return Err(RequestDecodeError::MissingAuthentication { found: None }),
        };
        let [username, password, partner_id] = credentials;
        let credential = |value: Option<Cow<'_, str>>, field| {
            value
                .map(Cow::into_owned)
                .ok_or(RequestDecodeError::MissingCredential { field })
        };
        let [username_field, password_field, partner_id_field] = CREDENTIAL_FIELDS;
        let known = match (&username, &password, &partner_id) {
            (Some(username), Some(password), Some(partner_id)) => accounts
                .iter()
                .find(|account| account.matches_parts(username, password, partner_id)),
            _ => None,
        };
        let credentials = match known {
            Some(account) => account.clone(),
            None => Credentials::new(
                credential(username, username_field)?,
                credential(password, password_field)?,
                credential(partner_id, partner_id_field)?,
            ),
        };
        Ok(DecodedRequest {
            credentials,
            operations: self.operations,
        })
    }
}

/// Where the fields of a `<request>` go as they are read.
enum Fields<'s, 'a> {
    /// Read (every rule checked) and dropped.
    Dropped,
    /// The authentication's: the first value of each credential field.
    Credentials(&'s mut [Option<Cow<'a, str>>; 3]),
    /// An operation's, of a known type: names the type's table has are
    /// taken from the table (no copy, and compared by address later).
    Operation(RequestType, &'s mut Vec<(Cow<'static, str>, Cow<'a, str>)>),
}

impl<'a> Fields<'_, 'a> {
    /// An `<attribute name="…">` field, `name` its `name` and `value` its text.
    fn field(&mut self, name: Cow<'_, str>, value: Cow<'a, str>) {
        match self {
            Self::Dropped => {}
            Self::Credentials(credentials) => {
                if let Some(slot) = CREDENTIAL_FIELDS
                    .iter()
                    .position(|credential| *credential == name)
                    .and_then(|index| credentials.get_mut(index))
                    && slot.is_none()
                {
                    *slot = Some(value);
                }
            }
            Self::Operation(known, fields) => {
                let name = match known.fields().iter().find(|spec| spec.wire_name == name) {
                    Some(spec) => Cow::Borrowed(spec.wire_name),
                    None => Cow::Owned(name.into_owned()),
                };
                fields.push((name, value));
            }
        }
    }

    /// An element named `element` other than `<attribute>`: a misspelt
    /// `<attribute>` must not drop its field silently (an optional field
    /// would be lost unnoticed), so it is a field named `<element>`, which no
    /// request type has.
    fn stray(&mut self, element: &str) {
        if let Self::Operation(_, fields) = self {
            fields.push((Cow::Owned(format!("<{element}>")), Cow::Borrowed("")));
        }
    }
}

/// Reads the `<request>`s, the authentication plus at most `max_operations`,
/// decoding each operation as soon as it is read.
fn read_requests<'a>(
    reader: &mut XmlReader<'a>,
    max_operations: usize,
) -> Result<ReadRequests<'a>, RequestDecodeError> {
    let mut read = ReadRequests::new();
    let mut position = 0;
    while let Some(child) = reader.next_child_borrowed()? {
        // The authentication comes on top of the operations.
        if position > max_operations {
            return Err(RequestDecodeError::TooManyOperations {
                limit: max_operations,
            });
        }
        if child.name() != "request" {
            let stray = format!("<{}>", child.name());
            reader.skip()?;
            read.stray(stray);
            position += 1;
            continue;
        }
        let Some(request_type) = child.attribute("type") else {
            return Err(RequestDecodeError::MissingXmlAttribute {
                position,
                attribute: "type",
            });
        };
        read.request(request_type, |into| read_fields(reader, position, into))?;
        position += 1;
    }
    Ok(read)
}

/// Reads the fields of the `<request>` at `position` (its start tag just
/// read) up to its end tag, into `into`.
fn read_fields<'a>(
    reader: &mut XmlReader<'a>,
    position: usize,
    mut into: Fields<'_, 'a>,
) -> Result<(), RequestDecodeError> {
    while let Some(field) = reader.next_child_borrowed()? {
        if field.name() != "attribute" {
            into.stray(field.name());
            reader.skip()?;
            continue;
        }
        let Some(name) = field.attribute("name") else {
            return Err(RequestDecodeError::MissingXmlAttribute {
                position,
                attribute: "name",
            });
        };
        let value = reader.read_text_borrowed()?;
        into.field(name, value);
    }
    Ok(())
}

/// One `<response>` of a response document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseEntry {
    /// The `type` attribute (the request type answered).
    pub request_type: String,
    /// The `success` attribute.
    pub success: bool,
    /// The children of `<data>`.
    pub data: Vec<XmlElement>,
}

impl ResponseEntry {
    /// A successful `GetSystemAuthentication` (`Authenticated To System`).
    #[must_use]
    pub fn authenticated() -> Self {
        Self {
            request_type: AUTHENTICATION_REQUEST_TYPE.to_owned(),
            success: true,
            data: vec![XmlElement::with_text("message", AUTHENTICATED_MESSAGE)],
        }
    }

    /// A failed `GetSystemAuthentication` with `message`.
    #[must_use]
    pub fn authentication_failed(message: impl Into<String>) -> Self {
        Self::failure(AUTHENTICATION_REQUEST_TYPE, [message])
    }

    /// The documented success response for `success`.
    #[must_use]
    pub fn success(success: &OperationSuccess) -> Self {
        let text = |name: &str, value: &Option<String>| {
            value
                .iter()
                .map(|v| XmlElement::with_text(name, v.clone()))
                .collect()
        };
        let data = match success {
            OperationSuccess::AppointmentCreated {
                confirmation_status_name,
            } => text("ConfirmationStatusName", confirmation_status_name),
            OperationSuccess::Availability(availability) => availability
                .data
                .iter()
                .map(|item| XmlElement::with_text(item.element.clone(), item.text.clone()))
                .collect(),
            OperationSuccess::CustomerStatus(customer) => vec![customer_element(customer)],
            OperationSuccess::SecurityTraxUniqueId(id) => {
                vec![XmlElement::with_text("SecurityTraxUniqueID", id.clone())]
            }
            OperationSuccess::ConfirmationNumberUpdated { message } => text("message", message),
            OperationSuccess::NoteCreated => Vec::new(),
        };
        Self {
            request_type: success.request_type().wire_name().to_owned(),
            success: true,
            data,
        }
    }

    /// A `success="false"` response of type `request_type` with one `<message>` per text.
    #[must_use]
    pub fn failure<I, S>(request_type: &str, messages: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Self {
            request_type: request_type.to_owned(),
            success: false,
            data: messages
                .into_iter()
                .map(|m| XmlElement::with_text("message", m))
                .collect(),
        }
    }

    /// The response for a client-side outcome (success or failure).
    ///
    /// A failure of any kind is written as `success="false"` with its texts:
    /// [`FailureKind::Undecodable`](crate::FailureKind::Undecodable) and
    /// [`FailureKind::NoResponse`](crate::FailureKind::NoResponse) are what a
    /// client concludes from a broken answer and have no wire form of their
    /// own (to simulate a missing response, leave the entry out).
    #[must_use]
    pub fn from_outcome(outcome: &OperationOutcome) -> Self {
        match outcome {
            Ok(success) => Self::success(success),
            Err(OperationFailure {
                request_type,
                texts,
                ..
            }) => Self {
                request_type: request_type.wire_name().to_owned(),
                success: false,
                data: texts
                    .iter()
                    .map(|t| XmlElement::with_text(t.element.clone(), t.text.clone()))
                    .collect(),
            },
        }
    }
}

/// The `<Customer>` element of `customer`: every documented field (empty when
/// `None`), then the undocumented ones; a path name (`Phones/Phone`, as the
/// decoder flattens nested elements) is written nested, consecutive entries
/// under the same parent sharing one element.
fn customer_element(customer: &Customer) -> XmlElement {
    let mut element = XmlElement::new(Customer::ELEMENT);
    for (name, value) in customer.documented_fields() {
        element
            .children
            .push(XmlElement::with_text(name, value.unwrap_or_default()));
    }
    for (name, value) in &customer.extra_fields {
        let path: Vec<&str> = name.split('/').collect();
        push_path(&mut element, &path, value);
    }
    element
}

/// Adds `text` under `parent` at `path`, reusing `parent`'s last child as the
/// group when it has the path's first name and child elements of its own.
fn push_path(parent: &mut XmlElement, path: &[&str], text: &str) {
    match path {
        [] => {}
        [leaf] => parent.children.push(XmlElement::with_text(*leaf, text)),
        [group, rest @ ..] => {
            let reuse = parent
                .children
                .last()
                .is_some_and(|last| last.name == *group && !last.children.is_empty());
            if !reuse {
                parent.children.push(XmlElement::new(*group));
            }
            if let Some(last) = parent.children.last_mut() {
                push_path(last, rest, text);
            }
        }
    }
}

/// The `<system_request>` element the real service appends to its answers: an
/// echo of the `GetSystemAuthentication` request as sent, **password included**.
///
/// For simulators and fakes that want to answer like the real service, with
/// [`encode_response_echoing`]; a client must never keep it (the decoder skips it
/// unread). The element's `Debug` shows the password: never log it.
///
/// ```
/// use strax_xml_protocol::Credentials;
/// use strax_xml_protocol::server::system_request_echo;
///
/// let echo = system_request_echo(&Credentials::new("u", "p", "77"));
/// assert_eq!(echo.name, "system_request");
/// let request = echo.child("request").unwrap();
/// assert_eq!(request.attribute("type"), Some("GetSystemAuthentication"));
/// assert_eq!(request.children.len(), 3);
/// ```
#[must_use]
pub fn system_request_echo(credentials: &Credentials) -> XmlElement {
    let attribute = |name: &str, value: &str| XmlElement {
        attributes: vec![("name".to_owned(), name.to_owned())],
        ..XmlElement::with_text("attribute", value)
    };
    let request = XmlElement {
        attributes: vec![("type".to_owned(), AUTHENTICATION_REQUEST_TYPE.to_owned())],
        children: vec![
            attribute("Username", credentials.username()),
            attribute("Password", credentials.password().expose_secret()),
            attribute("PartnerID", credentials.partner_id()),
        ],
        ..XmlElement::new("request")
    };
    XmlElement::new("system_request").with_child(request)
}

/// Writes `<root><responses>…</responses></root>`.
///
/// # Errors
/// A character XML 1.0 forbids or an invalid element name in the entries.
pub fn encode_response(responses: &[ResponseEntry]) -> Result<Bytes, WriteError> {
    write_responses(responses, None)
}

/// Like [`encode_response`], with `system_request` (see [`system_request_echo`])
/// written into every `<response>` after its `<data>`, as the real service does.
///
/// # Errors
/// A character XML 1.0 forbids or an invalid element name in the entries or the echo.
pub fn encode_response_echoing(
    responses: &[ResponseEntry],
    system_request: &XmlElement,
) -> Result<Bytes, WriteError> {
    write_responses(responses, Some(system_request))
}

fn write_responses(
    responses: &[ResponseEntry],
    system_request: Option<&XmlElement>,
) -> Result<Bytes, WriteError> {
    let mut writer = XmlWriter::indented();
    writer.declaration();
    writer.element("root", &[], |w| {
        w.element("responses", &[], |w| {
            for response in responses {
                let success = if response.success { "true" } else { "false" };
                w.element(
                    "response",
                    &[("type", &response.request_type), ("success", success)],
                    |w| {
                        w.element("data", &[], |w| {
                            response.data.iter().try_for_each(|item| w.write_tree(item))
                        })?;
                        system_request.map_or(Ok(()), |echo| w.write_tree(echo))
                    },
                )?;
            }
            Ok(())
        })
    })?;
    Ok(Bytes::from(writer.finish()))
}

/// Writes a response document straight to bytes, one `<response>` at a time,
/// with no [`ResponseEntry`] or element tree in between: what a simulator
/// answering many documents wants. `write` adds the responses through a
/// [`ResponseSink`]; with `system_request` set, every `<response>` carries the
/// `<system_request>` echo of those credentials (see [`system_request_echo`]).
/// The bytes are those [`encode_response`] / [`encode_response_echoing`] write
/// for the same entries.
///
/// ```
/// use strax_xml_protocol::server::write_response;
/// use strax_xml_protocol::{Customer, OperationSuccess};
///
/// let mut customer = Customer::default();
/// customer.first_name = Some("Ada".into());
/// let body = write_response(None, |sink| {
///     sink.authenticated()?;
///     sink.success(&OperationSuccess::NoteCreated)?;
///     sink.customer_status(&customer)?;
///     sink.failure("UpdateConfirmationNumberBySecurityTraxUniqueID", ["no such customer"])
/// })?;
/// let text = std::str::from_utf8(&body)?;
/// assert!(text.contains("<FirstName>Ada</FirstName>"));
/// assert_eq!(text.matches("<response ").count(), 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// A character XML 1.0 forbids, or an invalid element name, in what is written;
/// or any error `write` returns.
pub fn write_response<F>(
    system_request: Option<&Credentials>,
    write: F,
) -> Result<Bytes, WriteError>
where
    F: FnOnce(&mut ResponseSink<'_>) -> Result<(), WriteError>,
{
    write_document(system_request.map_or(Echo::None, Echo::Credentials), write)
}

/// As [`write_response`] with the echo of `prepared`'s credentials: the same
/// bytes, with the parts that repeat for those credentials (the echo, the
/// successful authentication) copied from `prepared` instead of written again.
///
/// ```
/// use strax_xml_protocol::server::{PreparedEcho, write_prepared_response, write_response};
/// use strax_xml_protocol::{Credentials, OperationSuccess};
///
/// let credentials = Credentials::new("u", "p&w", "77");
/// let prepared = PreparedEcho::new(&credentials)?;
/// let write = |sink: &mut strax_xml_protocol::server::ResponseSink<'_>| {
///     sink.authenticated()?;
///     sink.success(&OperationSuccess::NoteCreated)
/// };
/// assert_eq!(
///     write_prepared_response(&prepared, write)?,
///     write_response(Some(&credentials), write)?
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// As [`write_response`].
pub fn write_prepared_response<F>(prepared: &PreparedEcho, write: F) -> Result<Bytes, WriteError>
where
    F: FnOnce(&mut ResponseSink<'_>) -> Result<(), WriteError>,
{
    write_document(Echo::Prepared(prepared), write)
}

fn write_document<F>(echo: Echo<'_>, write: F) -> Result<Bytes, WriteError>
where
    F: FnOnce(&mut ResponseSink<'_>) -> Result<(), WriteError>,
{
    let mut writer = XmlWriter::indented();
    // Room for a small answer (the authentication with its echo and one
    // operation's), so that most documents are written without regrowing.
    writer.reserve(1024);
    writer.declaration();
    let tags = &*ANSWER_TAGS;
    writer.prepared_element(&tags.root, |w| {
        w.prepared_element(&tags.responses_element, |w| {
            write(&mut ResponseSink { writer: w, echo })
        })
    })?;
    Ok(Bytes::from(writer.finish()))
}

/// The parts of an answer that repeat for one set of credentials, written
/// once: the `<system_request>` echo every `<response>` carries (see
/// [`system_request_echo`]) and the whole successful `GetSystemAuthentication`
/// response, for [`write_prepared_response`]. For a simulator that answers
/// many documents from the same account.
///
/// It holds the password (the echo carries it): `Debug` shows nothing of
/// it, and its bytes are zeroed when it is dropped.
#[derive(Clone)]
pub struct PreparedEcho {
    /// The credentials echoed (shared, not copied).
    credentials: Credentials,
    /// `<system_request>…</system_request>`, laid out as in a `<response>`
    /// after its `<data>`.
    echo: Fragment,
    /// `<response type="GetSystemAuthentication" success="true">…</response>`,
    /// laid out as in `<responses>`.
    authenticated: Fragment,
}

impl PreparedEcho {
    /// The echo of `credentials` and their successful authentication, written.
    ///
    /// # Errors
    /// A character XML 1.0 forbids in the credentials.
    pub fn new(credentials: &Credentials) -> Result<Self, WriteError> {
        let tags = &*ANSWER_TAGS;
        let mut made = None;
        // Written where `write_response` writes them, to be laid out the same.
        let mut writer = XmlWriter::indented();
        writer.element("root", &[], |w| {
            w.element("responses", &[], |w| {
                let authenticated = w.fragment(|w| {
                    ResponseSink {
                        writer: w,
                        echo: Echo::Credentials(credentials),
                    }
                    .authenticated()
                })?;
                let tag = tags
                    .response(AUTHENTICATION_REQUEST_TYPE, true)
                    .expect("the authentication's tag is prepared");
                w.prepared_element(tag, |w| {
                    w.prepared_element(&tags.data, |_| Ok(()))?;
                    let echo = w.fragment(|w| write_echo(w, credentials))?;
                    made = Some(Self {
                        credentials: credentials.clone(),
                        echo,
                        authenticated,
                    });
                    Ok(())
                })
            })
        })?;
        Ok(made.expect("written above"))
    }
}

impl std::fmt::Debug for PreparedEcho {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The echo holds a password: never shown.
        f.debug_struct("PreparedEcho").finish_non_exhaustive()
    }
}

/// The `<system_request>` echo a document's responses carry.
#[derive(Clone, Copy)]
enum Echo<'a> {
    None,
    /// Written from the credentials each time.
    Credentials(&'a Credentials),
    /// Copied.
    Prepared(&'a PreparedEcho),
}

/// Adds `<response>`s to a document [`write_response`] is writing.
pub struct ResponseSink<'w> {
    writer: &'w mut XmlWriter,
    echo: Echo<'w>,
}

impl std::fmt::Debug for ResponseSink<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The echo holds a password: never shown.
        f.debug_struct("ResponseSink")
            .field("echoing", &!matches!(self.echo, Echo::None))
            .finish_non_exhaustive()
    }
}

impl ResponseSink<'_> {
    /// A successful `GetSystemAuthentication` (`Authenticated To System`).
    ///
    /// # Errors
    /// A forbidden character in the echoed credentials.
    pub fn authenticated(&mut self) -> Result<(), WriteError> {
        if let Echo::Prepared(prepared) = self.echo
            && self.writer.fits(&prepared.authenticated)
        {
            self.writer.write_fragment(&prepared.authenticated);
            return Ok(());
        }
        self.response(AUTHENTICATION_REQUEST_TYPE, true, |w| {
            w.prepared_text_element(&ANSWER_TAGS.message, "message", AUTHENTICATED_MESSAGE)
        })
    }

    /// A failed `GetSystemAuthentication` with `message`.
    ///
    /// # Errors
    /// A forbidden character in the message or the echoed credentials.
    pub fn authentication_failed(&mut self, message: &str) -> Result<(), WriteError> {
        self.failure(AUTHENTICATION_REQUEST_TYPE, [message])
    }

    /// A `success="false"` response of type `request_type` with one `<message>` per text.
    ///
    /// # Errors
    /// A forbidden character in a message, the type or the echoed credentials.
    pub fn failure<I, S>(&mut self, request_type: &str, messages: I) -> Result<(), WriteError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.response(request_type, false, |w| {
            let message = &ANSWER_TAGS.message;
            messages
                .into_iter()
                .try_for_each(|m| w.prepared_text_element(message, "message", m.as_ref()))
        })
    }

    /// The documented success response for `success`.
    ///
    /// # Errors
    /// A forbidden character or an invalid element name in the answer's data.
    pub fn success(&mut self, success: &OperationSuccess) -> Result<(), WriteError> {
        if let OperationSuccess::CustomerStatus(customer) = success {
            return self.customer_status(customer);
        }
        self.response(success.request_type().wire_name(), true, |w| {
            let text = |w: &mut XmlWriter, name: &str, value: &Option<String>| match value {
                Some(value) => w.text_element(name, &[], name, value),
                None => Ok(()),
            };
            match success {
                OperationSuccess::AppointmentCreated {
                    confirmation_status_name,
                } => text(w, "ConfirmationStatusName", confirmation_status_name),
                OperationSuccess::Availability(availability) => {
                    availability.data.iter().try_for_each(|item| {
                        w.text_element(&item.element, &[], &item.element, &item.text)
                    })
                }
                OperationSuccess::SecurityTraxUniqueId(id) => {
                    w.text_element("SecurityTraxUniqueID", &[], "SecurityTraxUniqueID", id)
                }
                OperationSuccess::ConfirmationNumberUpdated { message } => {
                    text(w, "message", message)
                }
                OperationSuccess::NoteCreated | OperationSuccess::CustomerStatus(_) => Ok(()),
            }
        })
    }

    /// The success response of `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`
    /// for `customer`, written from the borrowed record.
    ///
    /// # Errors
    /// A forbidden character or an invalid element name in the record.
    pub fn customer_status(&mut self, customer: &Customer) -> Result<(), WriteError> {
        self.response(RequestType::GetCustomerStatus.wire_name(), true, |w| {
            let tags = &*ANSWER_TAGS;
            w.prepared_element(&tags.customer, |w| {
                for ((name, value), tag) in customer
                    .documented_fields()
                    .into_iter()
                    .zip(&tags.customer_fields)
                {
                    w.prepared_text_element(tag, name, value.unwrap_or_default())?;
                }
                if customer.extra_fields.is_empty() {
                    return Ok(());
                }
                // Rare (undocumented elements): nested as `customer_element` nests them.
                let mut extras = XmlElement::new(Customer::ELEMENT);
                for (name, value) in &customer.extra_fields {
                    let path: Vec<&str> = name.split('/').collect();
                    push_path(&mut extras, &path, value);
                }
                extras
                    .children
                    .iter()
                    .try_for_each(|child| w.write_tree(child))
            })
        })
    }

    /// Any response entry.
    ///
    /// # Errors
    /// A forbidden character or an invalid element name in the entry.
    pub fn entry(&mut self, entry: &ResponseEntry) -> Result<(), WriteError> {
        self.response(&entry.request_type, entry.success, |w| {
            entry.data.iter().try_for_each(|item| w.write_tree(item))
        })
    }

    /// `<response type success><data>…</data>[echo]</response>`.
    fn response<F>(&mut self, request_type: &str, success: bool, data: F) -> Result<(), WriteError>
    where
        F: FnOnce(&mut XmlWriter) -> Result<(), WriteError>,
    {
        let tags = &*ANSWER_TAGS;
        let echo = self.echo;
        let content = |w: &mut XmlWriter| {
            w.prepared_element(&tags.data, data)?;
            match echo {
                Echo::Credentials(credentials) => write_echo(w, credentials),
                Echo::Prepared(prepared) if w.fits(&prepared.echo) => {
                    w.write_fragment(&prepared.echo);
                    Ok(())
                }
                // Not expected (every response is laid out alike): written afresh.
                Echo::Prepared(prepared) => write_echo(w, &prepared.credentials),
                Echo::None => Ok(()),
            }
        };
        match tags.response(request_type, success) {
            Some(tag) => self.writer.prepared_element(tag, content),
            // A type the protocol does not know (answering a stray request).
            None => {
                let flag = if success { "true" } else { "false" };
                self.writer.element(
                    "response",
                    &[("type", request_type), ("success", flag)],
                    content,
                )
            }
        }
    }
}

/// The start tags every answer repeats, checked and escaped once.
struct AnswerTags {
    /// `<root>` and `<responses>`.
    root: PreparedElement,
    responses_element: PreparedElement,
    /// `<data>`.
    data: PreparedElement,
    /// `<message>`.
    message: PreparedElement,
    /// `<Customer>`.
    customer: PreparedElement,
    /// One per documented customer field, in `Customer::documented_fields` order.
    customer_fields: Vec<PreparedElement>,
    /// `<response type="…" success="false">` and `…"true">` per known type
    /// (the authentication and every [`RequestType`]).
    responses: Vec<(&'static str, [PreparedElement; 2])>,
    /// The echo's `<system_request>`, its `<request type="GetSystemAuthentication">`
    /// and its `<attribute name="…">` for `Username`, `Password` and `PartnerID`.
    system_request: PreparedElement,
    echo_request: PreparedElement,
    echo_attributes: [PreparedElement; 3],
}

impl AnswerTags {
    fn new() -> Result<Self, WriteError> {
        let plain = |name| PreparedElement::new(name, &[]);
        let attribute = |name| PreparedElement::new("attribute", &[("name", name)]);
        let response = |request_type: &'static str| {
            let tag = |flag| {
                PreparedElement::new("response", &[("type", request_type), ("success", flag)])
            };
            Ok::<_, WriteError>((request_type, [tag("false")?, tag("true")?]))
        };
        Ok(Self {
            root: plain("root")?,
            responses_element: plain("responses")?,
            data: plain("data")?,
            message: plain("message")?,
            customer: plain(Customer::ELEMENT)?,
            // In the order `documented_fields` yields them, which the writer zips with.
            customer_fields: Customer::default()
                .documented_fields()
                .iter()
                .map(|(name, _)| plain(name))
                .collect::<Result<_, _>>()?,
            responses: std::iter::once(AUTHENTICATION_REQUEST_TYPE)
                .chain(RequestType::ALL.iter().map(|t| t.wire_name()))
                .map(response)
                .collect::<Result<_, _>>()?,
            system_request: plain("system_request")?,
            echo_request: PreparedElement::new(
                "request",
                &[("type", AUTHENTICATION_REQUEST_TYPE)],
            )?,
            echo_attributes: [
                attribute("Username")?,
                attribute("Password")?,
                attribute("PartnerID")?,
            ],
        })
    }

    /// The prepared `<response>` tag for `request_type` and `success`, when
    /// the type is one the protocol knows.
    fn response(&self, request_type: &str, success: bool) -> Option<&PreparedElement> {
        self.responses
            .iter()
            .find(|(known, _)| *known == request_type)
            .map(|(_, tags)| &tags[usize::from(success)])
    }
}

/// Built on first use; the names are constants of the protocol.
static ANSWER_TAGS: LazyLock<AnswerTags> = LazyLock::new(|| {
    AnswerTags::new().expect("the protocol's element names and types are valid XML")
});

/// Writes [`system_request_echo`]'s element without building it.
fn write_echo(w: &mut XmlWriter, credentials: &Credentials) -> Result<(), WriteError> {
    let tags = &*ANSWER_TAGS;
    let [username, password, partner_id] = &tags.echo_attributes;
    w.prepared_element(&tags.system_request, |w| {
        w.prepared_element(&tags.echo_request, |w| {
            w.prepared_text_element(username, "attribute", credentials.username())?;
            w.prepared_text_element(
                password,
                "attribute",
                credentials.password().expose_secret(),
            )?;
            w.prepared_text_element(partner_id, "attribute", credentials.partner_id())
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Availability, DataText};

    fn customer_with_extras() -> Customer {
        Customer {
            id: Some("9710".into()),
            first_name: Some("Ada & Bob".into()),
            extra_fields: vec![
                ("Phones/Phone".into(), "1".into()),
                ("Phones/Phone".into(), "2".into()),
                ("Flag".into(), String::new()),
                ("A/B/C".into(), "c".into()),
                ("A/B/D".into(), "d".into()),
            ],
            ..Customer::default()
        }
    }

    fn successes() -> Vec<OperationSuccess> {
        vec![
            OperationSuccess::NoteCreated,
            OperationSuccess::AppointmentCreated {
                confirmation_status_name: Some("Not Confirmed".into()),
            },
            OperationSuccess::AppointmentCreated {
                confirmation_status_name: None,
            },
            OperationSuccess::Availability(Availability {
                available: Some(true),
                data: vec![
                    DataText {
                        element: "Available".into(),
                        text: "true".into(),
                    },
                    DataText {
                        element: "message".into(),
                        text: "free".into(),
                    },
                ],
            }),
            OperationSuccess::CustomerStatus(Box::new(customer_with_extras())),
            OperationSuccess::SecurityTraxUniqueId("2237".into()),
            OperationSuccess::ConfirmationNumberUpdated {
                message: Some("Successfully set customer Receiver Number: 206".into()),
            },
        ]
    }

    #[test]
    fn writing_straight_to_bytes_gives_the_bytes_of_the_entry_encoder() {
        let credentials = Credentials::new("user", "p<ss", "77");
        let mut entries = vec![ResponseEntry::authenticated()];
        entries.extend(successes().iter().map(ResponseEntry::success));
        entries.push(ResponseEntry::failure("X", ["one", "two & three"]));
        entries.push(ResponseEntry::authentication_failed("refused"));
        entries.push(ResponseEntry::failure("Y", ["via an entry"]));
        let write = |sink: &mut ResponseSink<'_>| {
            sink.authenticated()?;
            for success in successes() {
                sink.success(&success)?;
            }
            sink.failure("X", ["one", "two & three"])?;
            sink.authentication_failed("refused")?;
            sink.entry(&ResponseEntry::failure("Y", ["via an entry"]))
        };
        assert_eq!(
            write_response(None, write).unwrap(),
            encode_response(&entries).unwrap()
        );
        let echo = system_request_echo(&credentials);
        assert_eq!(
            write_response(Some(&credentials), write).unwrap(),
            encode_response_echoing(&entries, &echo).unwrap()
        );
        let prepared = PreparedEcho::new(&credentials).unwrap();
        assert_eq!(
            write_prepared_response(&prepared, write).unwrap(),
            encode_response_echoing(&entries, &echo).unwrap()
        );
    }

    /// What a test writes into a response document.
    type Write = dyn Fn(&mut ResponseSink<'_>) -> Result<(), WriteError>;

    #[test]
    fn a_prepared_echo_writes_the_bytes_written_afresh() {
        for credentials in [
            Credentials::new("demo", "demo-password", "1001"),
            Credentials::new("Sue & Al", "p<a\"s's>w\r\t\n", "77"),
            Credentials::new("", "", ""),
            Credentials::new("é 😀", "\u{FFFD}", "1"),
        ] {
            let prepared = PreparedEcho::new(&credentials).unwrap();
            let documents: [&Write; 4] = [
                &|_| Ok(()),
                &|sink| sink.authenticated(),
                &|sink| {
                    sink.authenticated()?;
                    sink.success(&OperationSuccess::NoteCreated)?;
                    sink.authenticated()
                },
                &|sink| {
                    sink.failure("X", ["no"])?;
                    sink.authentication_failed("refused")?;
                    sink.customer_status(&customer_with_extras())?;
                    sink.authenticated()
                },
            ];
            for write in documents {
                assert_eq!(
                    write_prepared_response(&prepared, write).unwrap(),
                    write_response(Some(&credentials), write).unwrap()
                );
            }
            // The password is never shown.
            let shown = format!("{prepared:?}");
            assert!(
                !shown.contains(credentials.password().expose_secret())
                    || credentials.password().expose_secret().is_empty(),
                "{shown}"
            );
        }
        let refused = Credentials::new("u", "bad\u{1}", "1");
        assert!(PreparedEcho::new(&refused).is_err());
    }

    #[test]
    fn an_unwritable_value_is_an_error_naming_it() {
        let customer = Customer {
            last_name: Some("bad\u{1}".into()),
            ..Customer::default()
        };
        let error = write_response(None, |sink| sink.customer_status(&customer)).unwrap_err();
        assert!(error.to_string().contains("LastName"), "{error}");
    }
}

mod plain;

#[cfg(test)]
mod decode_tests;
