//! Writing a batch's request: the document (its repeated start tags
//! prepared once) and the `POST` carrying it, tagged with what sending it
//! again would mean.

use std::sync::LazyLock;

use bytes::Bytes;
use secrecy::ExposeSecret;
use strict_xml::{PreparedElement, WriteError, XmlWriter};
use wire_core::Resend;

use super::{EncodeError, REQUEST_CONTENT_TYPE};
use crate::credentials::Credentials;
use crate::endpoint::{Endpoint, Script};
use crate::generated::{AUTHENTICATION_REQUEST_TYPE, RequestType};
use crate::operation::Operation;

/// The `POST` of the document for `credentials` and `operations` to `script`
/// at `endpoint`, without validating.
pub(super) fn build_request(
    endpoint: &Endpoint,
    script: Script,
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<http::Request<Bytes>, EncodeError> {
    let body = write_document(credentials, operations)?;
    Ok(post(endpoint, script, operations, body))
}

/// The `POST` of `document` (holding `operations`) to `script` at
/// `endpoint`, tagged with what sending it again would mean.
pub(super) fn post(
    endpoint: &Endpoint,
    script: Script,
    operations: &[Operation],
    document: Vec<u8>,
) -> http::Request<Bytes> {
    let request = http::Request::builder()
        .method(http::Method::POST)
        .uri(endpoint.url(script))
        .header(http::header::CONTENT_TYPE, REQUEST_CONTENT_TYPE)
        .body(Bytes::from(document))
        .expect("method, URI and header are valid by construction");
    resend_of(script, operations).tagged(request)
}

/// What sending a document to `script` again would mean: the requester
/// script only reads; setting a confirmation number is idempotent; anything
/// else (notes, appointments) writes anew each time it is received, since
/// SecurityTrax documents no idempotency.
fn resend_of(script: Script, operations: &[Operation]) -> Resend {
    match script {
        Script::Requester => Resend::Read,
        _ if !operations.is_empty()
            && operations
                .iter()
                .all(|op| op.request_type() == RequestType::UpdateConfirmationNumber) =>
        {
            Resend::IdempotentWrite
        }
        _ => Resend::NeverBlindly,
    }
}

/// The start tags the request document repeats, checked and escaped once.
struct PreparedTags {
    /// `<request type="GetSystemAuthentication">`.
    authentication: PreparedElement,
    /// `<attribute name="Username">`, `…"Password">`, `…"PartnerID">`.
    credentials: [PreparedElement; 3],
    /// `<request type="…">` per request type, in [`RequestType::ALL`] order.
    requests: Vec<PreparedElement>,
    /// `<attribute name="…">` per field of each request type's table, in
    /// [`RequestType::ALL`] order.
    fields: Vec<Vec<PreparedElement>>,
}

impl PreparedTags {
    fn new() -> Result<Self, WriteError> {
        let request = |request_type| PreparedElement::new("request", &[("type", request_type)]);
        let attribute = |name| PreparedElement::new("attribute", &[("name", name)]);
        Ok(Self {
            authentication: request(AUTHENTICATION_REQUEST_TYPE)?,
            credentials: [
                attribute("Username")?,
                attribute("Password")?,
                attribute("PartnerID")?,
            ],
            requests: RequestType::ALL
                .iter()
                .map(|request_type| request(request_type.wire_name()))
                .collect::<Result<_, _>>()?,
            fields: RequestType::ALL
                .iter()
                .map(|request_type| {
                    request_type
                        .fields()
                        .iter()
                        .map(|spec| attribute(spec.wire_name))
                        .collect::<Result<_, _>>()
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Built on first use; the names and values are constants of the protocol.
static PREPARED_TAGS: LazyLock<PreparedTags> = LazyLock::new(|| {
    PreparedTags::new().expect("the protocol's element names and wire names are valid XML")
});

/// Writes `<root><requests>…</requests></root>` without validating (the
/// writer still refuses characters XML 1.0 forbids, naming the field).
pub(super) fn write_document(
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<Vec<u8>, WriteError> {
    let tags = &*PREPARED_TAGS;
    let [username, password, partner_id] = &tags.credentials;
    let mut writer = XmlWriter::indented();
    // Room for the authentication and a small operation, so that a typical
    // one-operation document is written without regrowing the buffer.
    writer.reserve(1024);
    writer.declaration();
    writer.element("root", &[], |w| {
        w.element("requests", &[], |w| {
            w.prepared_element(&tags.authentication, |w| {
                w.prepared_text_element(username, "Username", credentials.username())?;
                // A write error names the field and code point only, never the value.
                w.prepared_text_element(
                    password,
                    "Password",
                    credentials.password().expose_secret(),
                )?;
                w.prepared_text_element(partner_id, "PartnerID", credentials.partner_id())
            })?;
            for operation in operations {
                let request_type = operation.request_type();
                let at = RequestType::ALL
                    .iter()
                    .position(|known| *known == request_type)
                    .expect("RequestType::ALL lists every request type");
                let fields = &tags.fields[at];
                w.prepared_element(&tags.requests[at], |w| {
                    operation.try_for_each_wire_field(|index, name, value| {
                        w.prepared_text_element(&fields[index], name, value)
                    })
                })?;
            }
            Ok(())
        })
    })?;
    Ok(writer.finish())
}
