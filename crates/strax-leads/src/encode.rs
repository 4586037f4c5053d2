//! Post documents and the requests that carry them.

use std::marker::PhantomData;
use std::ops::ControlFlow;

use bytes::Bytes;
use strax_xml_protocol::{EndpointError, Script};
use strict_xml::{PreparedElement, PreparedSiblings, SiblingWriter, WriteError, XmlWriter};
use wire_core::Resend;
use wire_core::validation::{Rule, Violation, Violations};

use crate::amount::AMOUNT_DIGITS;
use crate::field::{FieldSpec, FieldValue, FieldVisitor, PostRecord, WireValue};
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
    let mut names = Names::<R>::new().map_err(|error| Violations::one(write_violation(error)))?;
    let mut writer = XmlWriter::indented();
    writer.reserve(records.len().saturating_mul(names.record_size_hint));
    writer.standalone_declaration();
    // Each record is checked while it is written, one visit per value: a
    // record already in normal form (the common case) is written as it is;
    // on its first value that is not, what was written of it is dropped and
    // the record is normalised (or its errors collected) the full way.
    // After the first invalid record, the rest are only checked.
    let mut invalid: Option<Violations> = None;
    let written = writer.element(R::LIST_ELEMENT, &[], |w| {
        for (index, record) in records.iter().enumerate() {
            if invalid.is_none() && names.write_if_normal(w, record)? {
                continue;
            }
            match crate::normalise::normalised_cow(record, index, mode) {
                Ok(record) if invalid.is_none() => names.write(w, record.as_ref())?,
                Ok(_) => {}
                Err(more) => match &mut invalid {
                    Some(all) => all.extend(more),
                    None => invalid = Some(more),
                },
            }
        }
        Ok(())
    });
    if let Some(violations) = invalid {
        return Err(violations);
    }
    if let Err(error) = written {
        // The fast check leaves characters XML forbids to the writer; the
        // full check names the record and field of each.
        crate::normalise::normalise_all(records, mode)?;
        return Err(Violations::one(write_violation(error)));
    }
    Ok(writer.finish())
}

/// The elements of a record, checked once per document.
struct Names<R> {
    fields: PreparedSiblings,
    record: PreparedElement,
    contacts: PreparedElement,
    contact: PreparedSiblings,
    contact_record: PreparedElement,
    /// Bytes a record takes when every value is empty, plus room for values.
    record_size_hint: usize,
    _record: PhantomData<R>,
}

impl<R: PostRecord> Names<R> {
    fn new() -> Result<Self, WriteError> {
        let prepare = |names: &[crate::FieldSpec]| -> Result<PreparedSiblings, WriteError> {
            names
                .iter()
                .map(|f| PreparedElement::new(f.wire_name, &[]))
                .collect::<Result<_, _>>()
                .map(PreparedSiblings::new)
        };
        let tags: usize = R::FIELDS.iter().map(|f| 2 * f.wire_name.len() + 16).sum();
        Ok(Self {
            fields: prepare(R::FIELDS)?,
            record: PreparedElement::new(R::ELEMENT, &[])?,
            contacts: PreparedElement::new(crate::EmergencyContact::LIST_ELEMENT, &[])?,
            contact: prepare(crate::EmergencyContact::FIELDS)?,
            contact_record: PreparedElement::new(crate::EmergencyContact::ELEMENT, &[])?,
            record_size_hint: tags + 32 * R::FIELDS.len(),
            _record: PhantomData,
        })
    }

    /// Writes `record`'s element: every field, unset ones empty.
    fn write(&mut self, w: &mut XmlWriter, record: &R) -> Result<(), WriteError> {
        w.prepared_element(&self.record, |w| {
            write_fields(w, record, &mut self.fields)?;
            if R::HAS_EMERGENCY_CONTACTS {
                let contacts = record.emergency_contacts();
                if contacts.is_empty() {
                    w.prepared_empty_element(&self.contacts);
                } else {
                    w.prepared_element(&self.contacts, |w| {
                        contacts.iter().try_for_each(|c| {
                            w.prepared_element(&self.contact_record, |w| {
                                write_fields(w, c, &mut self.contact)
                            })
                        })
                    })?;
                }
            }
            Ok(())
        })
    }

    /// Writes `record`'s element if every value is already in normal form
    /// (checked as it is written); otherwise writes nothing and says so.
    fn write_if_normal(&mut self, w: &mut XmlWriter, record: &R) -> Result<bool, WriteError> {
        let start = w.checkpoint();
        let mut normal = true;
        w.prepared_element(&self.record, |w| {
            normal = write_fields_if_normal(w, record, &mut self.fields)?;
            if normal && R::HAS_EMERGENCY_CONTACTS {
                let contacts = record.emergency_contacts();
                if contacts.is_empty() {
                    w.prepared_empty_element(&self.contacts);
                } else {
                    w.prepared_element(&self.contacts, |w| {
                        for contact in contacts {
                            w.prepared_element(&self.contact_record, |w| {
                                normal = normal
                                    && write_fields_if_normal(w, contact, &mut self.contact)?;
                                Ok(())
                            })?;
                        }
                        Ok(())
                    })?;
                }
            }
            Ok(())
        })?;
        if !normal {
            w.rewind_to(start);
        }
        Ok(normal)
    }
}

/// Writes the fields of `record` while each value passes the checks
/// [`crate::normalise::value_is_normal`] makes; `false` at the first that
/// does not (what was written is then to be dropped).
fn write_fields_if_normal<R: PostRecord>(
    w: &mut XmlWriter,
    record: &R,
    fields: &mut PreparedSiblings,
) -> Result<bool, WriteError> {
    let mut visitor = WriteIfNormal::<R> {
        out: w.prepared_siblings(fields),
        _record: PhantomData,
    };
    match record.visit_fields(&mut visitor) {
        ControlFlow::Continue(()) => Ok(true),
        ControlFlow::Break(Stop::NotNormal) => Ok(false),
        ControlFlow::Break(Stop::Refused(error)) => Err(error),
    }
}

/// Writes the fields of `record`, unset and empty ones as empty elements.
fn write_fields<R: PostRecord>(
    w: &mut XmlWriter,
    record: &R,
    fields: &mut PreparedSiblings,
) -> Result<(), WriteError> {
    let mut visitor = WriteAll::<R> {
        out: w.prepared_siblings(fields),
        _record: PhantomData,
    };
    match record.visit_fields(&mut visitor) {
        ControlFlow::Continue(()) => Ok(()),
        ControlFlow::Break(error) => Err(error),
    }
}

/// Why [`WriteIfNormal`] stopped.
enum Stop {
    /// A value is not in normal form.
    NotNormal,
    /// The writer refused a value (a character XML forbids).
    Refused(WriteError),
}

/// Writes each field of an `R` while its value is in normal form. The
/// generated visit calls it with a constant field number, so once inlined
/// only the checks that field has are left.
struct WriteIfNormal<'w, R> {
    out: SiblingWriter<'w>,
    _record: PhantomData<R>,
}

impl<R: PostRecord> WriteIfNormal<'_, R> {
    #[inline(always)]
    fn text(&mut self, index: usize, spec: &FieldSpec, text: &str) -> ControlFlow<Stop> {
        if !crate::normalise::text_is_normal(spec, text) {
            return ControlFlow::Break(Stop::NotNormal);
        }
        match self.out.text(index, spec.wire_name, text) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => ControlFlow::Break(Stop::Refused(error)),
        }
    }
}

impl<R: PostRecord> FieldVisitor for WriteIfNormal<'_, R> {
    type Break = Stop;

    #[inline(always)]
    fn field(&mut self, index: usize, value: FieldValue<'_>) -> ControlFlow<Stop> {
        let spec = &R::FIELDS[index];
        match value {
            FieldValue::Unset if spec.required => ControlFlow::Break(Stop::NotNormal),
            FieldValue::Unset => {
                self.out.empty(index);
                ControlFlow::Continue(())
            }
            FieldValue::Text(text) => self.text(index, spec, text),
            FieldValue::Amount(amount) => {
                self.text(index, spec, amount.write_to(&mut [0; AMOUNT_DIGITS]))
            }
            FieldValue::Date(date) => self.text(index, spec, &WireValue::wire(&date)),
        }
    }
}

/// Writes every field of an `R` (already normalised).
struct WriteAll<'w, R> {
    out: SiblingWriter<'w>,
    _record: PhantomData<R>,
}

impl<R: PostRecord> WriteAll<'_, R> {
    fn text(&mut self, index: usize, text: &str) -> ControlFlow<WriteError> {
        if text.is_empty() {
            self.out.empty(index);
            return ControlFlow::Continue(());
        }
        match self.out.text(index, R::FIELDS[index].wire_name, text) {
            Ok(()) => ControlFlow::Continue(()),
            Err(error) => ControlFlow::Break(error),
        }
    }
}

impl<R: PostRecord> FieldVisitor for WriteAll<'_, R> {
    type Break = WriteError;

    fn field(&mut self, index: usize, value: FieldValue<'_>) -> ControlFlow<WriteError> {
        match value {
            FieldValue::Unset => {
                self.out.empty(index);
                ControlFlow::Continue(())
            }
            FieldValue::Text(text) => self.text(index, text),
            FieldValue::Amount(amount) => {
                self.text(index, amount.write_to(&mut [0; AMOUNT_DIGITS]))
            }
            FieldValue::Date(date) => self.text(index, &WireValue::wire(&date)),
        }
    }
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
