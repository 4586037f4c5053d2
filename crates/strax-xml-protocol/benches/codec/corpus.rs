//! The inputs both sides of each benchmark work on: a 1,000-response document
//! and a 1,000-operation batch, built deterministically (no randomness, so
//! every run measures the same bytes).

use std::fmt::Write as _;

use strax_xml_protocol::jiff::civil::{DateTime, date};
use strax_xml_protocol::{
    CreateCustomerNote, CreateTechSchedule, Credentials, NoteType, Operation, RequestType,
    ServiceType, TicketType, UpdateConfirmationNumber,
};

/// Operations per benchmark document (the authentication comes on top).
pub(crate) const OPERATIONS: usize = 1_000;

/// The credentials of every benchmark batch (not a real secret).
pub(crate) fn credentials() -> Credentials {
    Credentials::new("bench-user", "bench-password", "77")
}

/// A response document and the request types of the batch it answers.
pub(crate) struct ResponseCorpus {
    /// Request types in batch order (what the decoder checks responses against).
    pub(crate) sent: Vec<RequestType>,
    /// The response body.
    pub(crate) body: Vec<u8>,
}

/// A response to `OPERATIONS` operations, cycling through a note created
/// (`<data/>`), an appointment created (`<ConfirmationStatusName>`) and a
/// customer status (a full 23-field `<Customer>` record, empty elements and
/// entity references included). Every fourth response, and the
/// authentication, carries a `<system_request>` echo as the live service sends.
pub(crate) fn response_document() -> ResponseCorpus {
    let mut sent = Vec::with_capacity(OPERATIONS);
    let mut xml = String::with_capacity(600 * OPERATIONS);
    xml.push_str("<?xml version=\"1.0\"?>\n<root>\n  <responses>\n");
    xml.push_str(
        "    <response type=\"GetSystemAuthentication\" success=\"true\">\n      \
         <data>\n        <message>Authenticated To System</message>\n      </data>\n",
    );
    push_echo(
        &mut xml,
        "GetSystemAuthentication",
        &[
            ("Username", "bench-user"),
            ("Password", "bench-password"),
            ("PartnerID", "77"),
        ],
    );
    xml.push_str("    </response>\n");
    for index in 0..OPERATIONS {
        let id = (9_000 + index).to_string();
        let request_type = match index % 3 {
            0 => RequestType::CreateCustomerNote,
            1 => RequestType::CreateTechSchedule,
            _ => RequestType::GetCustomerStatus,
        };
        sent.push(request_type);
        let _ = writeln!(
            xml,
            "    <response type=\"{}\" success=\"true\">",
            request_type.wire_name()
        );
        match request_type {
            RequestType::CreateCustomerNote => xml.push_str("      <data/>\n"),
            RequestType::CreateTechSchedule => xml.push_str(
                "      <data>\n        \
                 <ConfirmationStatusName>Not Confirmed</ConfirmationStatusName>\n      </data>\n",
            ),
            _ => push_customer(&mut xml, &id, index),
        }
        if index.is_multiple_of(4) {
            let echo: &[(&str, &str)] = match request_type {
                RequestType::CreateCustomerNote => &[
                    ("SecurityTraxUniqueID", &id),
                    ("NoteSubject", "Yard sign"),
                    (
                        "NoteText",
                        "Customer &amp; spouse would like a new yard sign &lt;ASAP&gt;.",
                    ),
                    ("NoteTypeID", "1"),
                ],
                RequestType::CreateTechSchedule => &[
                    ("SecurityTraxUniqueID", &id),
                    ("TechID", ""),
                    ("StartTime", "01/23/2014 7:30"),
                    ("EndTime", "01/23/2014 9:00"),
                    ("ServiceType", "1"),
                    ("ServiceDetailType", ""),
                    ("Notes", ""),
                ],
                _ => &[("SecurityTraxUniqueID", &id)],
            };
            push_echo(&mut xml, request_type.wire_name(), echo);
        }
        xml.push_str("    </response>\n");
    }
    xml.push_str("  </responses>\n</root>\n");
    ResponseCorpus {
        sent,
        body: xml.into_bytes(),
    }
}

/// A `<system_request>` echo; `fields` values are already escaped.
fn push_echo(xml: &mut String, request_type: &str, fields: &[(&str, &str)]) {
    let _ = writeln!(
        xml,
        "      <system_request>\n        <request type=\"{request_type}\">"
    );
    for (name, value) in fields {
        let _ = writeln!(
            xml,
            "          <attribute name=\"{name}\">{value}</attribute>"
        );
    }
    xml.push_str("        </request>\n      </system_request>\n");
}

/// A full `<Customer>` record inside `<data>`, in the vendor's field order.
fn push_customer(xml: &mut String, id: &str, index: usize) {
    let (first, last) = match index % 4 {
        0 => ("Pat", "Example"),
        1 => ("Ren&#233;e", "O&apos;Brien &amp; Sons"),
        2 => ("Sam", "Lee"),
        _ => ("Jordan", "Smith-Jones"),
    };
    let street = format!("{} Main St", 100 + index);
    let phone = format!("55555{:05}", index);
    let email = format!("customer{index}@example.com");
    let fields: [(&str, &str); 23] = [
        ("ID", id),
        ("FirstName", first),
        ("LastName", last),
        ("BusinessContact", ""),
        ("BusinessName", ""),
        ("City", "Springfield"),
        ("State", "IL"),
        ("County", "Sangamon"),
        ("Zip", "62701"),
        ("Address1", &street),
        ("Address2", ""),
        ("CrossStreet", ""),
        ("Phone1", &phone),
        ("Phone2", ""),
        ("Phone3", ""),
        ("Phone4", ""),
        ("Email", &email),
        ("SecurityTraxUniqueID", id),
        ("PartnerCompanyID", "12"),
        ("PartnerCompanyCampaignID", ""),
        ("PartnerCompanyUniqueID", "991234"),
        ("SoldToCompanyID", ""),
        ("SoldToCompanyUniqueID", ""),
    ];
    xml.push_str("      <data>\n        <Customer>\n");
    for (name, value) in fields {
        if value.is_empty() {
            let _ = writeln!(xml, "          <{name}/>");
        } else {
            let _ = writeln!(xml, "          <{name}>{value}</{name}>");
        }
    }
    xml.push_str("        </Customer>\n      </data>\n");
}

/// `OPERATIONS` write operations (all served by the poster script, as one
/// real batch would be), cycling through notes (some tickets, some with
/// markup, quotes and CR LF to escape), appointments (some with a tech,
/// detail type and notes) and confirmation-number updates.
pub(crate) fn write_operations() -> Vec<Operation> {
    (0..OPERATIONS)
        .map(|index| {
            let id = (9_000 + index).to_string();
            match index % 3 {
                0 => note(id, index).into(),
                1 => appointment(id, index).into(),
                _ => UpdateConfirmationNumber {
                    security_trax_unique_id: id,
                    confirmation_number: (200_000 + index).to_string(),
                }
                .into(),
            }
        })
        .collect()
}

fn note(id: String, index: usize) -> CreateCustomerNote {
    let text = match index % 4 {
        0 => "Customer states they would like a new yard sign installed ASAP.",
        1 => "Called back: \"yes\" to the upgrade & the extra keypad <2nd floor>.",
        2 => "Left voicemail.\r\nWill try again tomorrow at 9:00.",
        _ => "Tech's visit confirmed by text.",
    };
    let note_type = [NoteType::Sales, NoteType::Technician, NoteType::Lead][index % 3];
    let mut note = CreateCustomerNote::new(id, "Follow-up", text, note_type);
    if index.is_multiple_of(5) {
        note.ticket_type = Some(TicketType::Open);
        note.user_id = Some("1024".into());
    }
    if index.is_multiple_of(2) {
        note.partner_company_unique_id = Some(format!("P-{index}"));
    }
    note
}

fn appointment(id: String, index: usize) -> CreateTechSchedule {
    let day = date(2026, 3, 1 + i8::try_from(index % 28).expect("fits in i8"));
    let hour = 7 + i8::try_from(index % 10).expect("fits in i8");
    let start: DateTime = day.at(hour, 30, 0, 0);
    let end: DateTime = day.at(hour + 1, 30, 0, 0);
    let service_type = [ServiceType::Install, ServiceType::Service][index % 2];
    let mut appointment = CreateTechSchedule::new(id, start, end, service_type);
    if index % 2 == 1 {
        appointment.tech_id = Some("314".into());
        appointment.service_detail_type = Some("Camera install".into());
        appointment.notes = Some("Gate code 1234; dog in yard".into());
    }
    appointment
}
