//! Post documents and the requests that carry them.

use bytes::Bytes;
use strax_xml_protocol::{EndpointError, Script};
use strict_xml::{WriteError, XmlWriter};
use wire_core::Resend;
use wire_core::validation::{Rule, Violation, Violations};

use crate::field::PostRecord;
use crate::normalise::Mode;

/// The script leads and customers are posted to (`leadpostxml.php`).
pub const DEFAULT_SCRIPT: &str = "leadpostxml";

/// The `Content-Type` of a post.
pub const REQUEST_CONTENT_TYPE: &str = "text/xml; charset=utf-8";

/// Where posts go: `<base>/<site_name>/<script>.php`, by default
/// `https://secure.securitytrax.com/<site_name>/leadpostxml.php`. Customers
/// go to the same script unless told otherwise (the vendor's pages name no
/// other; the document's root element tells the two apart).
///
/// ```
/// use strax_leads::Endpoint;
///
/// let endpoint = Endpoint::securitytrax("acme")?;
/// assert_eq!(endpoint.url().to_string(), "https://secure.securitytrax.com/acme/leadpostxml.php");
/// let sandbox = Endpoint::new("http://127.0.0.1:8080/securitytrax", "demo")?.with_script("leadpost2")?;
/// assert_eq!(sandbox.url().to_string(), "http://127.0.0.1:8080/securitytrax/demo/leadpost2.php");
/// # Ok::<(), strax_leads::EndpointError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    inner: strax_xml_protocol::Endpoint,
}

impl Endpoint {
    /// The endpoint of `site_name` at the public SecurityTrax host.
    ///
    /// # Errors
    /// [`EndpointError::PathSegment`] for an unusable site name.
    pub fn securitytrax(site_name: &str) -> Result<Self, EndpointError> {
        Self::new(strax_xml_protocol::DEFAULT_BASE_URL, site_name)
    }

    /// The endpoint of `site_name` at `base_url` (a path prefix is kept;
    /// user information in the URL is refused, without repeating it).
    ///
    /// # Errors
    /// [`EndpointError`] for an unusable base URL or site name.
    pub fn new(base_url: &str, site_name: &str) -> Result<Self, EndpointError> {
        let inner = strax_xml_protocol::Endpoint::new(base_url, site_name)?
            .with_poster_script(DEFAULT_SCRIPT)?;
        Ok(Self { inner })
    }

    /// Posts to `script` (without `.php`) instead.
    ///
    /// # Errors
    /// [`EndpointError::PathSegment`] for an unusable name.
    pub fn with_script(self, script: &str) -> Result<Self, EndpointError> {
        Ok(Self {
            inner: self.inner.with_poster_script(script)?,
        })
    }

    /// The URL posts go to.
    #[must_use]
    pub fn url(&self) -> http::Uri {
        self.inner.url(Script::Poster)
    }
}

/// The post document of `records`, each checked and normalised first
/// (see [`PostRecord::normalised`]): `<?xml version="1.0" standalone="yes"?>`,
/// then `<leads>` (or `<customers>`) holding one element per record, every
/// documented field present in the vendor's order, an unset field as an
/// empty element.
///
/// # Errors
/// Every rule any record breaks (records numbered from 0), or an empty list.
pub fn encode_document<R: PostRecord>(records: &[R], mode: Mode) -> Result<Vec<u8>, Violations> {
    if records.is_empty() {
        return Err(Violations::one(Violation::of_request(
            R::LIST_ELEMENT,
            Rule::Required,
        )));
    }
    let records = crate::normalise::normalise_all(records, mode)?;
    let mut writer = XmlWriter::indented();
    writer.standalone_declaration();
    writer
        .element(R::LIST_ELEMENT, &[], |w| {
            records
                .iter()
                .try_for_each(|record| write_record(w, record))
        })
        .map_err(|error| Violations::one(write_violation(error)))?;
    Ok(writer.finish())
}

/// The request posting `records` to `endpoint`: a `POST` of
/// [`encode_document`]'s document, tagged [`Resend::NeverBlindly`] (a
/// lead posted twice is two leads).
///
/// # Errors
/// As [`encode_document`].
pub fn encode_request<R: PostRecord>(
    endpoint: &Endpoint,
    records: &[R],
    mode: Mode,
) -> Result<http::Request<Bytes>, Violations> {
    let body = encode_document(records, mode)?;
    let request = http::Request::post(endpoint.url())
        .header(http::header::CONTENT_TYPE, REQUEST_CONTENT_TYPE)
        .body(Bytes::from(body))
        .map_err(|_| {
            Violations::one(Violation::of_request(
                "url",
                Rule::Format {
                    expected: "a valid URL".into(),
                },
            ))
        })?;
    Ok(Resend::NeverBlindly.tagged(request))
}

/// Writes one record element.
pub(crate) fn write_record<R: PostRecord>(w: &mut XmlWriter, record: &R) -> Result<(), WriteError> {
    w.element(R::ELEMENT, &[], |w| {
        for (index, spec) in R::FIELDS.iter().enumerate() {
            match record.field_at(index) {
                Some(text) if !text.is_empty() => {
                    w.text_element(spec.wire_name, &[], spec.wire_name, &text)?;
                }
                _ => w.empty_element(spec.wire_name, &[])?,
            }
        }
        if R::HAS_EMERGENCY_CONTACTS {
            let contacts = record.emergency_contacts();
            if contacts.is_empty() {
                w.empty_element(crate::EmergencyContact::LIST_ELEMENT, &[])?;
            } else {
                w.element(crate::EmergencyContact::LIST_ELEMENT, &[], |w| {
                    contacts.iter().try_for_each(|c| write_record(w, c))
                })?;
            }
        }
        Ok(())
    })
}

/// A writer error as a violation (normalisation refuses what the writer
/// would, so this is a last line of defence).
fn write_violation(error: WriteError) -> Violation {
    match error {
        WriteError::ForbiddenCharacter { field, code_point } => {
            Violation::of_request(field, Rule::ForbiddenCharacter { code_point })
        }
        other => Violation::of_request(
            "document",
            Rule::Other {
                code: "unwritable",
                message: other.to_string().into(),
            },
        ),
    }
}
