//! Writing a batch's request: the document (its repeated start tags
//! prepared once) and the `POST` carrying it, tagged with what sending it
//! again would mean.

use std::cell::{Cell, RefCell};
use std::sync::LazyLock;

use bytes::Bytes;
use secrecy::ExposeSecret;
use strict_xml::{PreparedElement, PreparedSiblings, WriteError, XmlWriter};
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
    // Built in place (no builder: nothing here can be invalid), the
    // header value from the constant without copying it.
    let mut request = http::Request::new(Bytes::from(document));
    *request.method_mut() = http::Method::POST;
    *request.uri_mut() = endpoint.url(script);
    request.headers_mut().insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static(REQUEST_CONTENT_TYPE),
    );
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
    /// `<root>`.
    root: PreparedElement,
    /// `<requests>`.
    requests_element: PreparedElement,
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
            root: PreparedElement::new("root", &[])?,
            requests_element: PreparedElement::new("requests", &[])?,
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

thread_local! {
    /// Per request type, its fields' `<attribute name="…">` elements as
    /// siblings (in [`RequestType::ALL`] order), their lines laid out for the
    /// document's layout on first use. One set per thread: laying them out
    /// needs them mutable.
    static FIELD_SIBLINGS: RefCell<Vec<PreparedSiblings>> = RefCell::new(
        PREPARED_TAGS
            .fields
            .iter()
            .map(|fields| PreparedSiblings::new(fields.clone()))
            .collect(),
    );
}

/// How many operations are written before the room for the rest is
/// reserved, on their average size.
const SAMPLED_OPERATIONS: usize = 16;

/// Reserves room for the `total` operations not yet written (all but
/// [`SAMPLED_OPERATIONS`]) at the average size of those written since
/// `before`, plus an eighth and the closing tags: the buffer then grows
/// once instead of doubling its way up (each doubling copying it all).
fn reserve_for_the_rest(w: &mut XmlWriter, before: usize, total: usize) {
    let per_operation = (w.written_len() - before) / SAMPLED_OPERATIONS;
    let rest = total - SAMPLED_OPERATIONS;
    w.reserve(
        rest.saturating_mul(per_operation + per_operation / 8)
            .saturating_add(64),
    );
}

/// Writes `<root><requests>…</requests></root>` without validating (the
/// writer still refuses characters XML 1.0 forbids, naming the field).
/// The authentication block is written once per credentials and kept in
/// them ([`Credentials::authentication_block`]): the same bytes each time.
pub(super) fn write_document(
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<Vec<u8>, WriteError> {
    write_document_with(credentials, operations, true, None)
}

/// Why [`write_checked_document`] gave no document.
#[derive(Debug)]
pub(super) enum Refusal {
    /// The writer refused a value.
    Write(WriteError),
    /// An operation breaks a rule, or may: the full validation decides.
    InDoubt,
}

/// [`write_document`], checking each operation's rules as it is written
/// ([`Operation::try_for_each_checked_wire_field`]: all but "no character
/// XML 1.0 forbids", which the writer refuses): one visit of each value
/// instead of a checking pass and a writing pass.
pub(super) fn write_checked_document(
    credentials: &Credentials,
    operations: &[Operation],
) -> Result<Vec<u8>, Refusal> {
    let in_doubt = Cell::new(false);
    write_document_with(credentials, operations, true, Some(&in_doubt)).map_err(|error| {
        if in_doubt.get() {
            Refusal::InDoubt
        } else {
            Refusal::Write(error)
        }
    })
}

/// [`write_document`], taking the kept authentication block (`cached`) or
/// writing it afresh; with `checks`, checking each operation as
/// [`write_checked_document`] says, `checks` set when one is in doubt.
fn write_document_with(
    credentials: &Credentials,
    operations: &[Operation],
    cached: bool,
    checks: Option<&Cell<bool>>,
) -> Result<Vec<u8>, WriteError> {
    let tags = &*PREPARED_TAGS;
    let mut writer = XmlWriter::indented();
    // Room for the authentication and a small operation, so that a typical
    // one-operation document is written without regrowing the buffer.
    writer.reserve(1024);
    writer.declaration();
    writer.prepared_element(&tags.root, |w| {
        w.prepared_element(&tags.requests_element, |w| {
            if cached {
                let block = credentials.authentication_block(|credentials| {
                    w.fragment(|w| write_authentication(w, tags, credentials))
                })?;
                if w.fits(block) {
                    w.write_fragment(block);
                } else {
                    write_authentication(w, tags, credentials)?;
                }
            } else {
                write_authentication(w, tags, credentials)?;
            }
            let before = w.written_len();
            FIELD_SIBLINGS.with_borrow_mut(|siblings| {
                for (written, operation) in operations.iter().enumerate() {
                    if written == SAMPLED_OPERATIONS {
                        reserve_for_the_rest(w, before, operations.len());
                    }
                    let request_type = operation.request_type();
                    let at = RequestType::ALL
                        .iter()
                        .position(|known| *known == request_type)
                        .expect("RequestType::ALL lists every request type");
                    let fields = &mut siblings[at];
                    w.prepared_element(&tags.requests[at], |w| {
                        // Each field's line start and start tag are one copy.
                        let mut fields = w.prepared_siblings(fields);
                        let write =
                            |index, name: &str, value: &str| fields.text(index, name, value);
                        match checks {
                            None => operation.try_for_each_wire_field(write),
                            // Stops the document; `write_checked_document`
                            // reports `InDoubt`, never this placeholder.
                            Some(in_doubt) => operation.try_for_each_checked_wire_field(
                                || {
                                    in_doubt.set(true);
                                    WriteError::ForbiddenCharacter {
                                        field: String::new(),
                                        code_point: 0,
                                    }
                                },
                                write,
                            ),
                        }
                    })?;
                }
                Ok(())
            })?;
            Ok(())
        })
    })?;
    Ok(writer.finish())
}

/// `<request type="GetSystemAuthentication">` with the three credentials.
fn write_authentication(
    w: &mut XmlWriter,
    tags: &PreparedTags,
    credentials: &Credentials,
) -> Result<(), WriteError> {
    let [username, password, partner_id] = &tags.credentials;
    w.prepared_element(&tags.authentication, |w| {
        w.prepared_text_element(username, "Username", credentials.username())?;
        // A write error names the field and code point only, never the value.
        w.prepared_text_element(password, "Password", credentials.password().expose_secret())?;
        w.prepared_text_element(partner_id, "PartnerID", credentials.partner_id())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CreateCustomerNote, GetCustomerStatus, NoteType};

    fn operations() -> Vec<Operation> {
        vec![
            CreateCustomerNote::new("9710", "Yard <sign>", "Wants & more\r\n", NoteType::Sales)
                .into(),
            GetCustomerStatus {
                security_trax_unique_id: "42".into(),
            }
            .into(),
        ]
    }

    #[test]
    fn the_kept_authentication_block_writes_the_same_document() {
        for credentials in [
            Credentials::new("api-user", "hunter2", "77"),
            Credentials::new("a&b", "p<w>\"d'\r\n\t", "7 7"),
        ] {
            for operations in [&operations()[..], &operations()[..1], &[]] {
                let fresh = write_document_with(&credentials, operations, false, None).unwrap();
                // Once to make the block, once to reuse it.
                assert_eq!(write_document(&credentials, operations).unwrap(), fresh);
                assert_eq!(write_document(&credentials, operations).unwrap(), fresh);
                // A clone shares the block and writes the same.
                assert_eq!(
                    write_document(&credentials.clone(), operations).unwrap(),
                    fresh
                );
            }
        }
    }

    /// The document as written before the fields were written as siblings
    /// and the room reserved on the first operations: element by element.
    fn element_by_element(credentials: &Credentials, operations: &[Operation]) -> Vec<u8> {
        let tags = &*PREPARED_TAGS;
        let mut writer = XmlWriter::indented();
        writer.declaration();
        writer
            .prepared_element(&tags.root, |w| {
                w.prepared_element(&tags.requests_element, |w| {
                    write_authentication(w, tags, credentials)?;
                    for operation in operations {
                        let at = RequestType::ALL
                            .iter()
                            .position(|known| *known == operation.request_type())
                            .unwrap();
                        w.prepared_element(&tags.requests[at], |w| {
                            operation.try_for_each_wire_field(|index, name, value| {
                                w.prepared_text_element(&tags.fields[at][index], name, value)
                            })
                        })?;
                    }
                    Ok(())
                })
            })
            .unwrap();
        writer.finish()
    }

    #[test]
    fn batches_of_every_size_are_written_as_element_by_element() {
        let credentials = Credentials::new("api-user", "hunter2", "77");
        let mut all = Vec::new();
        for n in 0..40 {
            let mut more = operations();
            if n % 3 == 0 {
                // A long value after the sampled operations.
                more.push(
                    CreateCustomerNote::new("1", "s", "x & y ".repeat(300), NoteType::Lead).into(),
                );
            }
            all.extend(more);
            let document = write_document(&credentials, &all).unwrap();
            assert_eq!(document, element_by_element(&credentials, &all), "{n}");
        }
    }

    #[test]
    fn a_refused_value_after_the_sampled_operations_fails_as_before() {
        let credentials = Credentials::new("api-user", "hunter2", "77");
        let mut all: Vec<Operation> = (0..20).flat_map(|_| operations()).collect();
        all.push(CreateCustomerNote::new("1", "s", "bad \u{1}", NoteType::Lead).into());
        let error = write_document(&credentials, &all).unwrap_err();
        assert_eq!(
            error,
            WriteError::ForbiddenCharacter {
                field: "NoteText".into(),
                code_point: 1
            }
        );
    }

    #[test]
    fn other_credentials_get_their_own_block() {
        let first = Credentials::new("api-user", "hunter2", "77");
        let second = Credentials::new("api-user", "swordfish", "78");
        let ops = operations();
        let one = write_document(&first, &ops).unwrap();
        let two = write_document(&second, &ops).unwrap();
        assert_ne!(one, two);
        let two = String::from_utf8(two).unwrap();
        assert!(two.contains(">swordfish<") && two.contains(">78<"));
        assert!(!two.contains("hunter2"));
        assert_eq!(
            two.into_bytes(),
            write_document_with(&second, &ops, false, None).unwrap()
        );
        // The first credentials still write their own.
        assert_eq!(write_document(&first, &ops).unwrap(), one);
        assert!(!format!("{first:?}").contains("hunter2"));
    }

    #[test]
    fn credentials_the_writer_refuses_keep_no_block_and_fail_every_time() {
        let credentials = Credentials::new("api-user", "hun\u{1}ter2", "77");
        for _ in 0..2 {
            let error = write_document(&credentials, &operations()).unwrap_err();
            assert_eq!(
                error,
                write_document_with(&credentials, &operations(), false, None).unwrap_err()
            );
            assert!(!error.to_string().contains("hun"), "{error}");
        }
    }
}
