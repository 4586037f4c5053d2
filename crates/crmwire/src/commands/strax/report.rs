//! What a SecurityTrax command prints: one result per operation, as text for people
//! or as one JSON document (`--json`) whose field names are stable.

use facade::securitytrax::protocol::jiff::civil::DateTime;
use facade::securitytrax::{
    AppointmentCreated, Availability, Client, ConfirmationNumberUpdated, CreateTechSchedule,
    Customer, DataText, GetAppointmentAvailability, GetCustomerStatus, IdType, NoteType, Operation,
    ServiceType, TicketType, UpdateConfirmationNumber,
};
use facade::transport::Transport;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use super::input::show_when;
use crate::output::{Report, safe};

/// The result of one SecurityTrax command. In JSON, `result` names the variant.
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub(crate) enum StraxReport {
    /// `note add`.
    NoteAdded(NoteAdded),
    /// `appointment create`.
    AppointmentCreated(AppointmentCreatedReport),
    /// `availability`.
    Availability(AvailabilityReport),
    /// `customer get`.
    Customer(CustomerReport),
    /// `customer find`.
    CustomerFound(CustomerFound),
    /// `confirmation set`.
    ConfirmationNumberSet(ConfirmationNumberSet),
}

/// A note was added.
#[derive(Debug, Serialize)]
pub(crate) struct NoteAdded {
    customer_id: String,
    /// `sales`, `technician` or `lead`.
    note_type: &'static str,
    /// `open` or `closed` when the note is a ticket, else `null`.
    ticket: Option<&'static str>,
}

/// An appointment was created.
#[derive(Debug, Serialize)]
pub(crate) struct AppointmentCreatedReport {
    customer_id: String,
    /// ISO 8601 local date-time, e.g. `2014-01-23T07:30:00`.
    #[serde(serialize_with = "iso")]
    start: DateTime,
    #[serde(serialize_with = "iso")]
    end: DateTime,
    /// `install`, `service` or `rip-out`.
    service_type: &'static str,
    tech_id: Option<String>,
    /// The service's `ConfirmationStatusName`, e.g. `Not Confirmed`.
    confirmation_status: Option<String>,
}

/// The answer to an availability question.
#[derive(Debug, Serialize)]
pub(crate) struct AvailabilityReport {
    #[serde(serialize_with = "iso")]
    start: DateTime,
    #[serde(serialize_with = "iso")]
    end: DateTime,
    /// `true`/`false`, or `null` when the answer could not be read as yes or no.
    available: Option<bool>,
    /// Every text of the service's answer, in order.
    texts: Vec<Text>,
}

/// A customer record.
#[derive(Debug, Serialize)]
pub(crate) struct CustomerReport {
    customer_id: String,
    /// Every documented field by its SecurityTrax element name, `null` when empty.
    fields: CustomerFields,
    /// Undocumented elements, in document order.
    extra_fields: Vec<Text>,
}

/// A customer's id was found.
#[derive(Debug, Serialize)]
pub(crate) struct CustomerFound {
    customer_id: String,
    /// `phone` or `account`.
    found_by: &'static str,
}

/// A confirmation number was set.
#[derive(Debug, Serialize)]
pub(crate) struct ConfirmationNumberSet {
    customer_id: String,
    confirmation_number: String,
    /// The service's message, if any.
    message: Option<String>,
}

/// One text of a service answer: its element and its text.
#[derive(Debug, Serialize)]
pub(crate) struct Text {
    element: String,
    text: String,
}

impl From<&DataText> for Text {
    fn from(text: &DataText) -> Self {
        Self {
            element: text.element.clone(),
            text: text.text.clone(),
        }
    }
}

fn iso<S: Serializer>(at: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(at)
}

/// A customer's documented fields, serialized as an object keyed by element name in
/// the vendor's order.
#[derive(Debug)]
pub(crate) struct CustomerFields(Box<Customer>);

impl Serialize for CustomerFields {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let fields = self.0.documented_fields();
        let mut map = serializer.serialize_map(Some(fields.len()))?;
        for (name, value) in fields {
            map.serialize_entry(name, &value.filter(|v| !v.is_empty()))?;
        }
        map.end()
    }
}

/// Sends `operation` with the client's typed call ([`Client::call`]), and reports
/// that call's own output type beside the operation it answers: nothing to pair.
pub(crate) async fn call<T: Transport>(
    client: &Client<T>,
    operation: &Operation,
) -> Result<StraxReport, facade::Error> {
    Ok(match operation {
        Operation::CreateCustomerNote(op) => {
            client.call(op.clone()).await?;
            StraxReport::NoteAdded(NoteAdded {
                customer_id: op.security_trax_unique_id.clone(),
                note_type: note_type_name(op.note_type),
                ticket: op.ticket_type.map(ticket_name),
            })
        }
        Operation::CreateTechSchedule(op) => {
            let created = client.call(op.clone()).await?;
            StraxReport::appointment_created(op, created)
        }
        Operation::GetAppointmentAvailability(op) => {
            let availability = client.call(op.clone()).await?;
            StraxReport::availability(op, availability)
        }
        Operation::GetCustomerStatus(op) => {
            let customer = client.call(op.clone()).await?;
            StraxReport::customer(op, customer)
        }
        Operation::GetSecurityTraxUniqueId(op) => {
            let customer_id = client.call(op.clone()).await?;
            StraxReport::CustomerFound(CustomerFound {
                customer_id,
                found_by: match op.id_type {
                    IdType::AccountNumber => "account",
                    _ => "phone",
                },
            })
        }
        Operation::UpdateConfirmationNumber(op) => {
            let updated = client.call(op.clone()).await?;
            StraxReport::confirmation_set(op, updated)
        }
        other => {
            return Err(facade::Error::NotSendable {
                reason: format!(
                    "crmwire has no command for `{}`",
                    other.request_type().wire_name()
                ),
                source: None,
            });
        }
    })
}

impl StraxReport {
    fn appointment_created(op: &CreateTechSchedule, created: AppointmentCreated) -> Self {
        Self::AppointmentCreated(AppointmentCreatedReport {
            customer_id: op.security_trax_unique_id.clone(),
            start: op.start_time,
            end: op.end_time,
            service_type: service_type_name(op.service_type),
            tech_id: op.tech_id.clone(),
            confirmation_status: created.confirmation_status_name,
        })
    }

    fn availability(op: &GetAppointmentAvailability, answer: Availability) -> Self {
        Self::Availability(AvailabilityReport {
            start: op.start_time,
            end: op.end_time,
            available: answer.available,
            texts: answer.data.iter().map(Text::from).collect(),
        })
    }

    fn customer(op: &GetCustomerStatus, customer: Customer) -> Self {
        let extra_fields = customer
            .extra_fields
            .iter()
            .filter(|(_, text)| !text.is_empty())
            .map(|(element, text)| Text {
                element: element.clone(),
                text: text.clone(),
            })
            .collect();
        Self::Customer(CustomerReport {
            customer_id: op.security_trax_unique_id.clone(),
            fields: CustomerFields(Box::new(customer)),
            extra_fields,
        })
    }

    fn confirmation_set(op: &UpdateConfirmationNumber, updated: ConfirmationNumberUpdated) -> Self {
        Self::ConfirmationNumberSet(ConfirmationNumberSet {
            customer_id: op.security_trax_unique_id.clone(),
            confirmation_number: op.confirmation_number.clone(),
            message: updated.message,
        })
    }
}

fn note_type_name(note_type: NoteType) -> &'static str {
    match note_type {
        NoteType::Sales => "sales",
        NoteType::Technician => "technician",
        NoteType::Lead => "lead",
        // A value newer than this command line: its wire code.
        other => other.code(),
    }
}

fn ticket_name(ticket: TicketType) -> &'static str {
    match ticket {
        TicketType::Open => "open",
        TicketType::Closed => "closed",
        other => other.code(),
    }
}

fn service_type_name(service_type: ServiceType) -> &'static str {
    match service_type {
        ServiceType::Install => "install",
        ServiceType::Service => "service",
        ServiceType::RipOut => "rip-out",
        other => other.code(),
    }
}

/// `label: value` lines with the values aligned, indented by two spaces.
fn aligned<'a>(lines: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let lines: Vec<(String, &str)> = lines
        .into_iter()
        .map(|(label, value)| (safe(label).into_owned(), value))
        .collect();
    let width = lines
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0)
        + 1;
    lines
        .iter()
        .map(|(label, value)| format!("  {:<width$} {}", format!("{label}:"), safe(value)))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Report for StraxReport {
    fn human(&self) -> String {
        match self {
            Self::NoteAdded(note) => match note.ticket {
                Some(ticket) => {
                    let article = if ticket.starts_with('o') { "an" } else { "a" };
                    format!(
                        "Note added to customer {} as {article} {ticket} ticket.",
                        safe(&note.customer_id)
                    )
                }
                None => format!("Note added to customer {}.", safe(&note.customer_id)),
            },
            Self::AppointmentCreated(appointment) => {
                let mut text = format!(
                    "Appointment created for customer {}: {} to {} ({}).",
                    safe(&appointment.customer_id),
                    show_when(appointment.start),
                    show_when(appointment.end),
                    appointment.service_type
                );
                if let Some(status) = &appointment.confirmation_status {
                    text.push_str(&format!("\nConfirmation status: {}.", safe(status)));
                }
                text
            }
            Self::Availability(answer) => {
                let slot = format!("{} to {}", show_when(answer.start), show_when(answer.end));
                let mut text = match answer.available {
                    Some(true) => format!("The slot {slot} is available."),
                    Some(false) => format!("The slot {slot} is not available."),
                    None => format!(
                        "Availability of {slot} unclear: the answer does not read as yes or no."
                    ),
                };
                if !answer.texts.is_empty() {
                    text.push_str("\nThe service answered:\n");
                    text.push_str(&aligned(
                        answer
                            .texts
                            .iter()
                            .map(|t| (t.element.as_str(), t.text.as_str())),
                    ));
                }
                text
            }
            Self::Customer(customer) => {
                let documented = customer.fields.0.documented_fields();
                let lines = documented
                    .iter()
                    .filter_map(|(name, value)| {
                        value.filter(|v| !v.is_empty()).map(|value| (*name, value))
                    })
                    .chain(
                        customer
                            .extra_fields
                            .iter()
                            .map(|t| (t.element.as_str(), t.text.as_str())),
                    );
                format!(
                    "Customer {}:\n{}",
                    safe(&customer.customer_id),
                    aligned(lines)
                )
            }
            Self::CustomerFound(found) => format!(
                "Found customer {} by {} number.",
                safe(&found.customer_id),
                found.found_by
            ),
            Self::ConfirmationNumberSet(set) => {
                let mut text = format!(
                    "Confirmation number {} set for customer {}.",
                    safe(&set.confirmation_number),
                    safe(&set.customer_id)
                );
                if let Some(message) = &set.message {
                    text.push_str(&format!("\nThe service said: {}", safe(message)));
                }
                text
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use bytes::Bytes;
    use facade::securitytrax::protocol::jiff::civil::date;
    use facade::securitytrax::{
        CreateCustomerNote, Credentials, Endpoint, GetSecurityTraxUniqueId,
    };
    use facade::transport::TransportError;

    use super::*;

    /// Sends `operation` to a fake service that answers it with `data`.
    fn answered(operation: impl Into<Operation>, data: &str) -> StraxReport {
        let operation: Operation = operation.into();
        let document = format!(
            "<root><responses>\
             <response type=\"GetSystemAuthentication\" success=\"true\"><data/></response>\
             <response type=\"{}\" success=\"true\"><data>{data}</data></response>\
             </responses></root>",
            operation.request_type().wire_name()
        );
        let fake = move |_request: http::Request<Bytes>| {
            let body = Bytes::from(document.clone());
            async move { Ok::<_, TransportError>(http::Response::new(body)) }
        };
        let client = Client::new(
            Endpoint::new("https://crm.example.com", "acme").unwrap(),
            Credentials::new("api-user", "hunter2", "77"),
            fake,
        );
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(call(&client, &operation))
            .unwrap()
    }

    fn json(report: &StraxReport) -> serde_json::Value {
        serde_json::to_value(report).unwrap()
    }

    #[test]
    fn a_note_reads_well_and_has_stable_json() {
        let mut note = CreateCustomerNote::new("9710", "S", "T", NoteType::Sales);
        let report = answered(note.clone(), "");
        assert_eq!(report.human(), "Note added to customer 9710.");
        assert_eq!(
            json(&report),
            serde_json::json!({"result": "note_added", "customer_id": "9710", "note_type": "sales", "ticket": null})
        );
        note.ticket_type = Some(TicketType::Closed);
        assert_eq!(
            answered(note.clone(), "").human(),
            "Note added to customer 9710 as a closed ticket."
        );
        note.ticket_type = Some(TicketType::Open);
        assert_eq!(
            answered(note, "").human(),
            "Note added to customer 9710 as an open ticket."
        );
    }

    #[test]
    fn an_appointment_shows_its_slot_and_status() {
        let op = CreateTechSchedule::new(
            "9710",
            date(2014, 1, 23).at(7, 30, 0, 0),
            date(2014, 1, 23).at(9, 0, 0, 0),
            ServiceType::RipOut,
        );
        let report = answered(
            op,
            "<ConfirmationStatusName>Not Confirmed</ConfirmationStatusName>",
        );
        assert_eq!(
            report.human(),
            "Appointment created for customer 9710: 01/23/2014 7:30 to 01/23/2014 9:00 (rip-out).\nConfirmation status: Not Confirmed."
        );
        let value = json(&report);
        assert_eq!(value["start"], "2014-01-23T07:30:00");
        assert_eq!(value["service_type"], "rip-out");
        assert_eq!(value["tech_id"], serde_json::Value::Null);
    }

    #[test]
    fn availability_says_yes_no_or_unclear_with_the_service_texts() {
        let op = GetAppointmentAvailability {
            city: Some("Springfield".into()),
            ..GetAppointmentAvailability::new(
                date(2014, 1, 23).at(7, 30, 0, 0),
                date(2014, 1, 23).at(9, 0, 0, 0),
            )
        };
        let no = answered(
            op.clone(),
            "<Available>false</Available><message>Taken</message>",
        );
        assert_eq!(
            no.human(),
            "The slot 01/23/2014 7:30 to 01/23/2014 9:00 is not available.\nThe service answered:\n  Available: false\n  message:   Taken"
        );
        assert_eq!(json(&no)["texts"][1]["text"], "Taken");
        let yes = answered(op.clone(), "<Available>true</Available>");
        assert!(yes.human().contains(" is available."));
        let unclear = answered(op, "<Note>ask again</Note>");
        assert!(unclear.human().contains("unclear"), "{}", unclear.human());
        assert_eq!(json(&unclear)["available"], serde_json::Value::Null);
    }

    #[test]
    fn a_customer_is_aligned_lines_without_empty_fields_and_json_has_every_field() {
        let report = answered(
            GetCustomerStatus {
                security_trax_unique_id: "2237".into(),
            },
            "<Customer><ID>2237</ID><FirstName>Jordan</FirstName><BusinessName>Brightline Bakery</BusinessName>\
             <County/><LoyaltyTier>gold</LoyaltyTier><Blank/></Customer>",
        );
        assert_eq!(
            report.human(),
            "Customer 2237:\n  ID:           2237\n  FirstName:    Jordan\n  BusinessName: Brightline Bakery\n  LoyaltyTier:  gold"
        );
        let value = json(&report);
        assert_eq!(value["result"], "customer");
        let fields = value["fields"].as_object().unwrap();
        assert_eq!(fields.len(), Customer::FIELD_NAMES.len());
        assert_eq!(fields["FirstName"], "Jordan");
        assert_eq!(fields["County"], serde_json::Value::Null);
        assert_eq!(fields["Email"], serde_json::Value::Null);
        assert_eq!(
            value["extra_fields"],
            serde_json::json!([{"element": "LoyaltyTier", "text": "gold"}])
        );
    }

    #[test]
    fn service_text_is_escaped_in_text_and_exact_in_json() {
        let report = answered(
            GetCustomerStatus {
                security_trax_unique_id: "2237".into(),
            },
            "<Customer><ID>2237</ID><FirstName>Jo&#13;&#10;Status: OK</FirstName><LastName>&#x202E;xoF</LastName></Customer>",
        );
        let text = report.human();
        assert!(text.contains("FirstName: Jo\\r\\nStatus: OK"), "{text}");
        assert!(text.contains("LastName:  \\u{202e}xoF"), "{text}");
        assert_eq!(text.lines().count(), 4, "{text}");
        assert_eq!(json(&report)["fields"]["FirstName"], "Jo\r\nStatus: OK");
    }

    #[test]
    fn look_ups_and_confirmations_read_well() {
        let find = GetSecurityTraxUniqueId {
            id_type: IdType::AccountNumber,
            id: "100223".into(),
        };
        let report = answered(find, "<SecurityTraxUniqueID>2237</SecurityTraxUniqueID>");
        assert_eq!(report.human(), "Found customer 2237 by account number.");
        assert_eq!(
            json(&report),
            serde_json::json!({"result": "customer_found", "customer_id": "2237", "found_by": "account"})
        );

        let set = UpdateConfirmationNumber {
            security_trax_unique_id: "9710".into(),
            confirmation_number: "206".into(),
        };
        let report = answered(
            set,
            "<message>Successfully set customer Receiver Number: 206</message>",
        );
        assert_eq!(
            report.human(),
            "Confirmation number 206 set for customer 9710.\nThe service said: Successfully set customer Receiver Number: 206"
        );
    }
}
