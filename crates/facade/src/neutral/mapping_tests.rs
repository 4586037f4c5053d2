//! [`TABLE`](super::mapping::TABLE) against what the conversion functions
//! actually write and read, and against what each backend supports.

use std::collections::BTreeMap;

use bytes::Bytes;
use jiff::civil::date;
use jiff::{Timestamp, ToSpan};

use super::mapping::{Cell, SERVICES, TABLE};
use super::{
    AddCustomerNote, AppointmentKind, BookAppointment, Capabilities, Crm, CustomerRef, LogFollowUp,
    NewLead, NoteKind, Operation,
};
use crate::Service;
use crate::{leads, neto, peoplevine, securitytrax};

type Wire = BTreeMap<&'static str, String>;

fn text(value: &Option<String>) -> String {
    value.clone().unwrap_or_default()
}

fn at() -> Timestamp {
    "2030-01-02T03:04:05Z".parse().unwrap()
}

fn later() -> Timestamp {
    at() + 1.hour()
}

/// What a neutral field of a request was filled with, as the wire writes it
/// (lower case), for the marker request of each operation.
fn marker(operation: Operation, field: &str) -> String {
    match (operation, field) {
        (_, "customer") => "4242".into(),
        (Operation::AddNote | Operation::BookAppointment, "kind") => {
            if operation == Operation::AddNote {
                "lead"
            } else {
                "ripout"
            }
            .into()
        }
        (Operation::BookAppointment, "start") => "2030-01-02t03:04:00".into(),
        (Operation::BookAppointment, "end") => "2030-01-02t05:06:00".into(),
        (Operation::LogFollowUp, "due") => "2030-01-02t03:04:05".into(),
        (Operation::LogFollowUp, "last_contacted") => "2030-01-02t04:04:05".into(),
        (_, field) => format!("m-{field}"),
    }
}

fn note() -> AddCustomerNote {
    let m = |f| marker(Operation::AddNote, f);
    AddCustomerNote::new(
        CustomerRef::new(m("customer")),
        m("subject"),
        m("text"),
        NoteKind::Lead,
    )
}

fn appointment() -> BookAppointment {
    let m = |f| marker(Operation::BookAppointment, f);
    BookAppointment::new(
        CustomerRef::new(m("customer")),
        date(2030, 1, 2).at(3, 4, 0, 0),
        date(2030, 1, 2).at(5, 6, 0, 0),
        AppointmentKind::Removal,
    )
    .with_notes(m("notes"))
}

fn lead() -> NewLead {
    let m = |f| marker(Operation::PostLeads, f);
    NewLead {
        first_name: m("first_name"),
        last_name: m("last_name"),
        phone: m("phone"),
        email: Some(m("email")),
        address: Some(m("address")),
        city: m("city"),
        state: m("state"),
        zip: Some(m("zip")),
        external_id: Some(m("external_id")),
        comments: Some(m("comments")),
        origin: Some(m("origin")),
    }
}

fn follow_up() -> LogFollowUp {
    let m = |f| marker(Operation::LogFollowUp, f);
    let mut follow_up = LogFollowUp::new(CustomerRef::new(m("customer")), m("notes"))
        .due(at())
        .assigned_to(m("assigned_to"))
        .method(m("method"));
    follow_up.last_contacted = Some(later());
    follow_up
}

fn neto_log(log: &neto::NewCustomerLog) -> Wire {
    let time =
        |t: &Option<neto::NetoDateTime>| t.map(|t| t.civil().to_string()).unwrap_or_default();
    Wire::from([
        ("Username", text(&log.username)),
        ("CustomerName", text(&log.customer_name)),
        ("Notes", text(&log.notes)),
        ("AllocatedTo", text(&log.allocated_to)),
        ("FollowUpType", text(&log.follow_up_type)),
        ("DateRequiredFollowUp", time(&log.date_required_follow_up)),
        ("LastContacted", time(&log.last_contacted)),
        (
            "Status",
            log.status
                .as_ref()
                .map(|s| s.wire_name().to_owned())
                .unwrap_or_default(),
        ),
    ])
}

/// The wire fields the conversion of `operation` writes for `service`.
fn written(operation: Operation, service: Service) -> Wire {
    match (operation, service) {
        (Operation::AddNote, Service::SecurityTrax) => {
            let n = securitytrax::neutral::to_note(note());
            Wire::from([
                ("SecurityTraxUniqueID", n.security_trax_unique_id),
                ("NoteSubject", n.note_subject),
                ("NoteText", n.note_text),
                ("NoteTypeID", format!("{:?}", n.note_type)),
                (
                    "TicketTypeID",
                    n.ticket_type.map(|t| format!("{t:?}")).unwrap_or_default(),
                ),
                ("UserID", text(&n.user_id)),
                ("PartnerCompanyUniqueID", text(&n.partner_company_unique_id)),
            ])
        }
        (Operation::AddNote, Service::Peoplevine) => {
            let n = peoplevine::neutral::to_new_note(note(), 4242);
            Wire::from([
                (
                    "reference_id",
                    n.reference_id.map(|i| i.to_string()).unwrap_or_default(),
                ),
                (
                    "reference_type",
                    n.reference_type
                        .map(|r| format!("{r:?}"))
                        .unwrap_or_default(),
                ),
                ("subject", text(&n.subject)),
                ("details", text(&n.details)),
                ("type", text(&n.kind)),
                ("status", text(&n.status)),
                ("reminder", text(&n.reminder)),
            ])
        }
        (Operation::AddNote, Service::Neto) => neto_log(&neto::neutral::note_to_log(note())),
        (Operation::LogFollowUp, Service::Neto) => {
            neto_log(&neto::neutral::follow_up_to_log(follow_up()))
        }
        (Operation::BookAppointment, Service::SecurityTrax) => {
            let a = securitytrax::neutral::to_appointment(appointment());
            Wire::from([
                ("SecurityTraxUniqueID", a.security_trax_unique_id),
                ("StartTime", a.start_time.to_string()),
                ("EndTime", a.end_time.to_string()),
                ("ServiceType", format!("{:?}", a.service_type)),
                ("ServiceDetailType", text(&a.service_detail_type)),
                ("Notes", text(&a.notes)),
                ("TechID", text(&a.tech_id)),
            ])
        }
        (Operation::PostLeads, Service::SecurityTrax) => {
            let l = leads::neutral::to_lead(lead(), Some("m-source"));
            Wire::from([
                ("source_id", text(&l.source_id)),
                ("campaign_id", text(&l.campaign_id)),
                ("fname", text(&l.fname)),
                ("lname", text(&l.lname)),
                ("phone1", text(&l.phone1)),
                ("phone2", text(&l.phone2)),
                ("email", text(&l.email)),
                ("address1", text(&l.address1)),
                ("address2", text(&l.address2)),
                ("city", text(&l.city)),
                ("state", text(&l.state)),
                ("zip", text(&l.zip)),
                ("lead_company_unique_id", text(&l.lead_company_unique_id)),
                ("lead_comments", text(&l.lead_comments)),
                ("lead_source_info", text(&l.lead_source_info)),
                ("lead_callcenter_notes", text(&l.lead_callcenter_notes)),
            ])
        }
        (Operation::ListNotes, Service::Peoplevine) => {
            let who = CustomerRef::new(marker(Operation::ListNotes, "customer"));
            let id = peoplevine::neutral::customer_id(&who).unwrap();
            Wire::from([("customer_id", id.to_string())])
        }
        (Operation::ListNotes, Service::Neto) => {
            let who = CustomerRef::new(marker(Operation::ListNotes, "customer"));
            let request = neto::neutral::list_request(&super::ListNotes::new(who));
            Wire::from([("Username", request.usernames.join(","))])
        }
        other => panic!("no conversion for {other:?}"),
    }
}

/// What the fixed values of the table are, as the conversions write them.
fn fixed_value(value: &str) -> String {
    match value {
        "the lead client's source id, else the partner id" => "m-source".into(),
        "empty (slot scheduling)" => String::new(),
        literal => literal.trim_matches('`').to_lowercase(),
    }
}

#[test]
fn every_request_row_is_what_the_conversions_write() {
    let mut checked = 0;
    for row in TABLE
        .iter()
        .filter(|row| !row.neutral.starts_with("result."))
    {
        for service in SERVICES {
            let cell = row.cell(service);
            if matches!(cell, Cell::Unsupported | Cell::Nothing) {
                continue;
            }
            let wire = written(row.operation, service);
            let wanted = marker(row.operation, row.neutral);
            let context = format!("{:?} {} {service}", row.operation, row.neutral);
            match cell {
                Cell::Field { wire: name, .. } => {
                    let value = wire
                        .get(name)
                        .unwrap_or_else(|| panic!("{context}: no {name}"));
                    assert!(
                        value.to_lowercase().contains(&wanted),
                        "{context}: {name} = {value:?}"
                    );
                }
                Cell::Fixed { wire: name, value } => {
                    let written = wire
                        .get(name)
                        .unwrap_or_else(|| panic!("{context}: no {name}"));
                    assert_eq!(written.to_lowercase(), fixed_value(value), "{context}");
                }
                Cell::Lost => assert!(
                    wire.values()
                        .all(|value| !value.to_lowercase().contains(&wanted)),
                    "{context}: said lost, but written: {wire:?}"
                ),
                _ => unreachable!(),
            }
            checked += 1;
        }
    }
    assert!(checked > 30, "{checked} cells checked");
}

#[test]
fn every_listed_note_row_is_what_the_conversions_read() {
    let mut note = peoplevine::Note::default();
    note.id = Some(77);
    note.subject = Some("w-subject".into());
    note.details = Some("w-details".into());
    note.kind = Some("Technician".into());
    note.created_on = notes_rest::Timestamp::from_time(at());
    let peoplevine = peoplevine::neutral::from_note(note);
    let mut log = neto::CustomerLog::default();
    log.log_id = Some(88);
    log.notes = Some("w-notes".into());
    log.last_contacted_utc = Some(neto::NetoDateTime::from_timestamp(at()));
    log.last_contacted = Some(neto::NetoDateTime::from_timestamp(later()));
    let neto = neto::neutral::from_log(log);
    let wire_marker = |service, wire: &str| match (service, wire) {
        (Service::Peoplevine, "id") => "77",
        (Service::Peoplevine, "subject") => "w-subject",
        (Service::Peoplevine, "details") => "w-details",
        (Service::Peoplevine, "type") => "technician",
        (_, "created_on" | "LastContactedUTC") => "2030-01-02t03:04:05",
        (Service::Neto, "LogID") => "88",
        (Service::Neto, "Notes") => "w-notes",
        other => panic!("no marker for {other:?}"),
    };
    for row in TABLE
        .iter()
        .filter(|row| row.operation == Operation::ListNotes)
    {
        let Some(field) = row.neutral.strip_prefix("result.") else {
            continue;
        };
        for (service, listed) in [(Service::Peoplevine, &peoplevine), (Service::Neto, &neto)] {
            let value = match field {
                "id" => listed.id.clone(),
                "subject" => listed.subject.clone(),
                "text" => listed.text.clone(),
                "kind" => listed.kind.map(|k| k.as_str().to_owned()),
                "at" => listed.at.map(|t| t.to_string()),
                other => panic!("a listed field the test does not know: {other}"),
            };
            match row.cell(service) {
                Cell::Field { wire, .. } => {
                    let value = value.unwrap_or_default().to_lowercase();
                    assert!(
                        value.contains(wire_marker(service, wire)),
                        "{field} {service}: {value}"
                    );
                }
                Cell::Lost => assert_eq!(value, None, "{field} {service}"),
                other => panic!("{field} {service}: {other:?}"),
            }
        }
    }
}

fn never(
    _request: http::Request<Bytes>,
) -> std::future::Ready<Result<http::Response<Bytes>, transport::TransportError>> {
    std::future::ready(Err(transport::TransportError::not_sent("unused")))
}

#[test]
fn unsupported_cells_are_exactly_what_each_backend_does_not_support() {
    type Never = fn(
        http::Request<Bytes>,
    )
        -> std::future::Ready<Result<http::Response<Bytes>, transport::TransportError>>;
    let transport: Never = never;
    let xml = securitytrax::Client::new(
        securitytrax::Endpoint::new("http://127.0.0.1:9", "demo").unwrap(),
        securitytrax::Credentials::new("u", "p", "1"),
        transport,
    );
    let leads = leads::LeadClient::new(
        leads::Endpoint::new("http://127.0.0.1:9", "demo").unwrap(),
        transport,
    );
    let crms = [
        Crm::securitytrax(xml, leads),
        Crm::peoplevine(peoplevine::Client::new(
            peoplevine::Endpoint::new("http://127.0.0.1:9").unwrap(),
            peoplevine::Grant::Password {
                username: "u".into(),
                password: "p".to_owned().into(),
            },
            transport,
        )),
        Crm::neto(neto::Client::new(
            neto::Codec::new(
                neto::Endpoint::under("http://127.0.0.1:9/demo").unwrap(),
                neto::Credentials::api_key("u", "k".to_owned()),
                neto::WireFormat::Json,
            ),
            transport,
        )),
    ];
    for crm in &crms {
        for operation in Operation::ALL {
            let rows: Vec<_> = TABLE
                .iter()
                .filter(|row| row.operation == operation)
                .collect();
            assert!(!rows.is_empty(), "{operation} has rows");
            for row in rows {
                assert_eq!(
                    row.cell(crm.service()) == Cell::Unsupported,
                    !crm.supports(operation),
                    "{} {operation} {}",
                    crm.service(),
                    row.neutral
                );
            }
        }
    }
}
