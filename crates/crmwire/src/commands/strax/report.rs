//! What a SecurityTrax command prints: one result per operation, as text for people
//! or as one JSON document (`--json`) whose field names are stable.

use facade::securitytrax::protocol::jiff::civil::DateTime;
use facade::securitytrax::{
    Availability, Customer, DataText, IdType, NoteType, Operation, OperationSuccess, ServiceType,
    TicketType,
};
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
    AppointmentCreated(AppointmentCreated),
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
pub(crate) struct AppointmentCreated {
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

/// Why a result could not be reported: the success is not the operation's.
#[derive(Debug, thiserror::Error)]
#[error("the service answered a `{request}` request with a `{answered}` result")]
pub(crate) struct Mismatch {
    request: &'static str,
    answered: &'static str,
}

impl StraxReport {
    /// The report of `success`, the answer to `operation`.
    pub(crate) fn new(operation: &Operation, success: OperationSuccess) -> Result<Self, Mismatch> {
        Ok(match (operation, success) {
            (Operation::CreateCustomerNote(op), OperationSuccess::NoteCreated) => {
                Self::NoteAdded(NoteAdded {
                    customer_id: op.security_trax_unique_id.clone(),
                    note_type: note_type_name(op.note_type),
                    ticket: op.ticket_type.map(ticket_name),
                })
            }
            (
                Operation::CreateTechSchedule(op),
                OperationSuccess::AppointmentCreated {
                    confirmation_status_name,
                },
            ) => Self::AppointmentCreated(AppointmentCreated {
                customer_id: op.security_trax_unique_id.clone(),
                start: op.start_time,
                end: op.end_time,
                service_type: service_type_name(op.service_type),
                tech_id: op.tech_id.clone(),
                confirmation_status: confirmation_status_name,
            }),
            (
                Operation::GetAppointmentAvailability(op),
                OperationSuccess::Availability(Availability { available, data }),
            ) => Self::Availability(AvailabilityReport {
                start: op.start_time,
                end: op.end_time,
                available,
                texts: data.iter().map(Text::from).collect(),
            }),
            (Operation::GetCustomerStatus(op), OperationSuccess::CustomerStatus(customer)) => {
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
                    fields: CustomerFields(customer),
                    extra_fields,
                })
            }
            (
                Operation::GetSecurityTraxUniqueId(op),
                OperationSuccess::SecurityTraxUniqueId(customer_id),
            ) => Self::CustomerFound(CustomerFound {
                customer_id,
                found_by: match op.id_type {
                    IdType::AccountNumber => "account",
                    _ => "phone",
                },
            }),
            (
                Operation::UpdateConfirmationNumber(op),
                OperationSuccess::ConfirmationNumberUpdated { message },
            ) => Self::ConfirmationNumberSet(ConfirmationNumberSet {
                customer_id: op.security_trax_unique_id.clone(),
                confirmation_number: op.confirmation_number.clone(),
                message,
            }),
            (operation, success) => {
                return Err(Mismatch {
                    request: operation.request_type().wire_name(),
                    answered: success.request_type().wire_name(),
                });
            }
        })
    }
}

fn note_type_name(note_type: NoteType) -> &'static str {
    match note_type {
        NoteType::Sales => "sales",
        NoteType::Technician => "technician",
        NoteType::Lead => "lead",
    }
}

fn ticket_name(ticket: TicketType) -> &'static str {
    match ticket {
        TicketType::Open => "open",
        TicketType::Closed => "closed",
    }
}

fn service_type_name(service_type: ServiceType) -> &'static str {
    match service_type {
        ServiceType::Install => "install",
        ServiceType::Service => "service",
        ServiceType::RipOut => "rip-out",
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
    use facade::securitytrax::protocol::jiff::civil::date;
    use facade::securitytrax::{
        CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
        GetSecurityTraxUniqueId, UpdateConfirmationNumber,
    };

    use super::*;

    fn json(report: &StraxReport) -> serde_json::Value {
        serde_json::to_value(report).unwrap()
    }

    #[test]
    fn a_note_reads_well_and_has_stable_json() {
        let mut note = CreateCustomerNote::new("9710", "S", "T", NoteType::Sales);
        let report = StraxReport::new(&note.clone().into(), OperationSuccess::NoteCreated).unwrap();
        assert_eq!(report.human(), "Note added to customer 9710.");
        assert_eq!(
            json(&report),
            serde_json::json!({"result": "note_added", "customer_id": "9710", "note_type": "sales", "ticket": null})
        );
        note.ticket_type = Some(TicketType::Closed);
        let report = StraxReport::new(&note.clone().into(), OperationSuccess::NoteCreated).unwrap();
        assert_eq!(
            report.human(),
            "Note added to customer 9710 as a closed ticket."
        );
        note.ticket_type = Some(TicketType::Open);
        let report = StraxReport::new(&note.into(), OperationSuccess::NoteCreated).unwrap();
        assert_eq!(
            report.human(),
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
        let report = StraxReport::new(
            &op.into(),
            OperationSuccess::AppointmentCreated {
                confirmation_status_name: Some("Not Confirmed".into()),
            },
        )
        .unwrap();
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
        let op: Operation = GetAppointmentAvailability::new(
            date(2014, 1, 23).at(7, 30, 0, 0),
            date(2014, 1, 23).at(9, 0, 0, 0),
        )
        .into();
        let texts = vec![
            DataText {
                element: "Available".into(),
                text: "false".into(),
            },
            DataText {
                element: "message".into(),
                text: "Taken".into(),
            },
        ];
        let answer = |available| {
            StraxReport::new(
                &op,
                OperationSuccess::Availability(Availability {
                    available,
                    data: texts.clone(),
                }),
            )
            .unwrap()
        };
        assert_eq!(
            answer(Some(false)).human(),
            "The slot 01/23/2014 7:30 to 01/23/2014 9:00 is not available.\nThe service answered:\n  Available: false\n  message:   Taken"
        );
        assert!(answer(Some(true)).human().contains(" is available."));
        assert!(answer(None).human().contains("unclear"));
        assert_eq!(json(&answer(None))["available"], serde_json::Value::Null);
        assert_eq!(json(&answer(Some(false)))["texts"][1]["text"], "Taken");
    }

    #[test]
    fn a_customer_is_aligned_lines_without_empty_fields_and_json_has_every_field() {
        let customer = Customer {
            id: Some("2237".into()),
            first_name: Some("Jordan".into()),
            business_name: Some("Brightline Bakery".into()),
            county: Some(String::new()),
            extra_fields: vec![
                ("LoyaltyTier".into(), "gold".into()),
                ("Blank".into(), String::new()),
            ],
            ..Customer::default()
        };
        let op: Operation = GetCustomerStatus {
            security_trax_unique_id: "2237".into(),
        }
        .into();
        let report =
            StraxReport::new(&op, OperationSuccess::CustomerStatus(Box::new(customer))).unwrap();
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
    fn look_ups_and_confirmations_read_well() {
        let find: Operation = GetSecurityTraxUniqueId {
            id_type: IdType::AccountNumber,
            id: "100223".into(),
        }
        .into();
        let report =
            StraxReport::new(&find, OperationSuccess::SecurityTraxUniqueId("2237".into())).unwrap();
        assert_eq!(report.human(), "Found customer 2237 by account number.");
        assert_eq!(
            json(&report),
            serde_json::json!({"result": "customer_found", "customer_id": "2237", "found_by": "account"})
        );

        let set: Operation = UpdateConfirmationNumber {
            security_trax_unique_id: "9710".into(),
            confirmation_number: "206".into(),
        }
        .into();
        let report = StraxReport::new(
            &set,
            OperationSuccess::ConfirmationNumberUpdated {
                message: Some("Successfully set customer Receiver Number: 206".into()),
            },
        )
        .unwrap();
        assert_eq!(
            report.human(),
            "Confirmation number 206 set for customer 9710.\nThe service said: Successfully set customer Receiver Number: 206"
        );
    }

    #[test]
    fn an_answer_of_another_operation_is_a_mismatch() {
        let set: Operation = UpdateConfirmationNumber {
            security_trax_unique_id: "9710".into(),
            confirmation_number: "206".into(),
        }
        .into();
        let err = StraxReport::new(&set, OperationSuccess::NoteCreated).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the service answered a `UpdateConfirmationNumberBySecurityTraxUniqueID` request with a `CreateCustomerNoteBySecurityTraxUniqueID` result"
        );
    }
}
