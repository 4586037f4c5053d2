//! The minimal baselines the codec is measured against: a bare quick-xml
//! event loop (decode side) and a hand-written byte-pushing writer with a
//! hand-written escaper (encode side). Neither validates anything.

use std::io::Write as _;

use quick_xml::Reader;
use quick_xml::escape::resolve_xml_entity;
use quick_xml::events::Event;
use secrecy::ExposeSecret;
use strax_xml_protocol::jiff::civil::DateTime;
use strax_xml_protocol::{Credentials, Operation};

/// What the bare loop saw; returned so the work cannot be optimised away and
/// so the benchmark can check (once) that it read the whole document.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Start and empty-element tags.
    pub(crate) elements: usize,
    /// `<response>` start tags (the authentication included).
    pub(crate) responses: usize,
    /// Bytes of raw attribute values.
    pub(crate) attribute_bytes: usize,
    /// Bytes of text after line-end normalisation and reference resolution.
    pub(crate) text_bytes: usize,
}

/// A `Reader::from_reader(&bytes[..])` loop with quick-xml's default
/// configuration that touches every event: counts tags, walks every
/// attribute, normalises every text node and resolves every entity and
/// character reference.
pub(crate) fn bare_quick_xml(bytes: &[u8]) -> Tally {
    let mut reader = Reader::from_reader(bytes);
    let mut tally = Tally::default();
    loop {
        match reader
            .read_event()
            .expect("the benchmark document is well-formed")
        {
            Event::Start(tag) | Event::Empty(tag) => {
                tally.elements += 1;
                if tag.name().as_ref() == "response" {
                    tally.responses += 1;
                }
                for attribute in tag.attributes() {
                    let attribute = attribute.expect("the benchmark attributes are well-formed");
                    tally.attribute_bytes += attribute.value.len();
                }
            }
            Event::Text(text) => tally.text_bytes += text.xml10_content().len(),
            Event::CData(cdata) => tally.text_bytes += cdata.xml10_content().len(),
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    reference
                        .resolve_char_ref()
                        .ok()
                        .flatten()
                        .map(char::len_utf8)
                } else {
                    resolve_xml_entity(&reference).map(str::len)
                };
                tally.text_bytes += resolved.expect("the benchmark references are predefined");
            }
            Event::Eof => return tally,
            _ => {}
        }
    }
}

/// The strict reader alone: every element of the document read and checked
/// (`skip` enforces every rule), nothing decoded. Not a target, a diagnostic:
/// the distance between it and the bare loop is the reader's share, the rest
/// of the crate's time is decoding. Returns the bytes read.
pub(crate) fn strict_reader_only(bytes: &[u8]) -> u64 {
    let mut reader = strict_xml::XmlReader::new(bytes).expect("within the limits");
    reader.root_borrowed().expect("a root element");
    reader.skip().expect("the benchmark document is acceptable");
    let read = reader.position();
    reader.finish().expect("nothing after the root");
    read
}

/// The request document `Batch::to_xml` writes for `operations` (same
/// declaration, indentation, field order and escaping), pushed byte by byte
/// into a `Vec` that starts empty as the crate's writer does.
///
/// # Panics
/// On an operation type the benchmark batch does not use (only notes,
/// appointments and confirmation-number updates are written here).
pub(crate) fn hand_written_request(credentials: &Credentials, operations: &[Operation]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<root>\n  <requests>\n");
    open_request(&mut out, "GetSystemAuthentication");
    attribute(&mut out, "Username", credentials.username());
    attribute(&mut out, "Password", credentials.password().expose_secret());
    attribute(&mut out, "PartnerID", credentials.partner_id());
    close_request(&mut out);
    for operation in operations {
        open_request(&mut out, operation.request_type().wire_name());
        match operation {
            Operation::CreateCustomerNote(note) => {
                attribute(
                    &mut out,
                    "SecurityTraxUniqueID",
                    &note.security_trax_unique_id,
                );
                attribute(&mut out, "NoteSubject", &note.note_subject);
                attribute(&mut out, "NoteText", &note.note_text);
                attribute(&mut out, "NoteTypeID", note.note_type.code());
                if let Some(ticket_type) = note.ticket_type {
                    attribute(&mut out, "TicketTypeID", ticket_type.code());
                }
                if let Some(user_id) = &note.user_id {
                    attribute(&mut out, "UserID", user_id);
                }
                if let Some(partner_id) = &note.partner_company_unique_id {
                    attribute(&mut out, "PartnerCompanyUniqueID", partner_id);
                }
            }
            Operation::CreateTechSchedule(appointment) => {
                attribute(
                    &mut out,
                    "SecurityTraxUniqueID",
                    &appointment.security_trax_unique_id,
                );
                attribute(
                    &mut out,
                    "TechID",
                    appointment.tech_id.as_deref().unwrap_or(""),
                );
                date_time_attribute(&mut out, "StartTime", appointment.start_time);
                date_time_attribute(&mut out, "EndTime", appointment.end_time);
                attribute(&mut out, "ServiceType", appointment.service_type.code());
                attribute(
                    &mut out,
                    "ServiceDetailType",
                    appointment.service_detail_type.as_deref().unwrap_or(""),
                );
                attribute(
                    &mut out,
                    "Notes",
                    appointment.notes.as_deref().unwrap_or(""),
                );
            }
            Operation::UpdateConfirmationNumber(update) => {
                attribute(
                    &mut out,
                    "SecurityTraxUniqueID",
                    &update.security_trax_unique_id,
                );
                attribute(&mut out, "ConfirmationNumber", &update.confirmation_number);
            }
            other => panic!(
                "the hand-written writer covers only the benchmark's operation types, not {}",
                other.request_type().wire_name()
            ),
        }
        close_request(&mut out);
    }
    out.extend_from_slice(b"  </requests>\n</root>");
    out
}

fn open_request(out: &mut Vec<u8>, request_type: &str) {
    out.extend_from_slice(b"    <request type=\"");
    out.extend_from_slice(request_type.as_bytes());
    out.extend_from_slice(b"\">\n");
}

fn close_request(out: &mut Vec<u8>) {
    out.extend_from_slice(b"    </request>\n");
}

/// `<attribute name="…">escaped value</attribute>`; wire names need no escaping.
fn attribute(out: &mut Vec<u8>, name: &str, value: &str) {
    out.extend_from_slice(b"      <attribute name=\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\">");
    escape_into(out, value);
    out.extend_from_slice(b"</attribute>\n");
}

/// `MM/DD/YYYY H:MM`, the wire form of a local date-time.
fn date_time_attribute(out: &mut Vec<u8>, name: &str, at: DateTime) {
    out.extend_from_slice(b"      <attribute name=\"");
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\">");
    write!(
        out,
        "{:02}/{:02}/{:04} {}:{:02}",
        at.month(),
        at.day(),
        at.year(),
        at.hour(),
        at.minute()
    )
    .expect("writing into a Vec<u8> cannot fail");
    out.extend_from_slice(b"</attribute>\n");
}

/// Escapes the five markup characters and CR (as `&#13;`, so it survives
/// parsing), copying unescaped runs in one piece.
fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut copied = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let replacement: &[u8] = match byte {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            b'\r' => b"&#13;",
            _ => continue,
        };
        out.extend_from_slice(&bytes[copied..at]);
        out.extend_from_slice(replacement);
        copied = at + 1;
    }
    out.extend_from_slice(&bytes[copied..]);
}
