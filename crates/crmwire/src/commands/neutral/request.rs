//! [`Request`]: the record a neutral command sends, the same for every
//! profile but for the customer, read from the command line.

use std::borrow::Cow;

use facade::neutral::{
    AddCustomerNote, AppointmentKind, BookAppointment, CustomerRef, ListNotes, LogFollowUp,
    NoteKind, Operation,
};
use jiff::Timestamp;
use jiff::civil::DateTime;
use serde_json::json;
use wire_core::validation::Rule;

use super::NeutralError;
use super::args::{BookArgs, FollowupLogArgs, NoteAddArgs, NoteListArgs};
use crate::commands::CommandError;
use crate::commands::failure::Problem;
use crate::commands::strax::parse_when;

/// What to send, without the customer.
#[derive(Debug, Clone)]
pub(crate) enum Request {
    /// A note.
    AddNote {
        subject: String,
        text: String,
        kind: NoteKind,
    },
    /// A read of the customer's notes, at most `limit` of them.
    ListNotes { limit: usize },
    /// An appointment (customer's local times).
    Book {
        start: DateTime,
        end: DateTime,
        kind: AppointmentKind,
        notes: Option<String>,
    },
    /// A follow-up.
    FollowUp {
        text: String,
        method: Option<String>,
        assigned_to: Option<String>,
        due: Option<Timestamp>,
    },
}

/// The typed neutral request for one profile's customer.
#[derive(Debug, Clone)]
pub(crate) enum Call {
    /// [`CustomerNotes::add_note`](facade::neutral::CustomerNotes::add_note).
    AddNote(AddCustomerNote),
    /// [`NoteListing::list_notes`](facade::neutral::NoteListing::list_notes).
    ListNotes(ListNotes),
    /// [`AppointmentBooking::book_appointment`](facade::neutral::AppointmentBooking::book_appointment).
    Book(BookAppointment),
    /// [`FollowUpLogging::log_follow_up`](facade::neutral::FollowUpLogging::log_follow_up).
    FollowUp(LogFollowUp),
}

impl Request {
    /// The neutral operation.
    pub(crate) fn operation(&self) -> Operation {
        match self {
            Self::AddNote { .. } => Operation::AddNote,
            Self::ListNotes { .. } => Operation::ListNotes,
            Self::Book { .. } => Operation::BookAppointment,
            Self::FollowUp { .. } => Operation::LogFollowUp,
        }
    }

    /// The request for `customer`.
    pub(crate) fn for_customer(&self, customer: &str) -> Call {
        let customer = CustomerRef::new(customer);
        match self.clone() {
            Self::AddNote {
                subject,
                text,
                kind,
            } => Call::AddNote(AddCustomerNote::new(customer, subject, text, kind)),
            Self::ListNotes { limit } => {
                Call::ListNotes(ListNotes::new(customer).with_limit(limit))
            }
            Self::Book {
                start,
                end,
                kind,
                notes,
            } => {
                let booking = BookAppointment::new(customer, start, end, kind);
                Call::Book(match notes {
                    Some(notes) => booking.with_notes(notes),
                    None => booking,
                })
            }
            Self::FollowUp {
                text,
                method,
                assigned_to,
                due,
            } => {
                let mut follow_up = LogFollowUp::new(customer, text);
                follow_up.method = method;
                follow_up.assigned_to = assigned_to;
                follow_up.due = due;
                Call::FollowUp(follow_up)
            }
        }
    }

    /// What would be sent to `customer`, for `--dry-run` (`--json`).
    pub(crate) fn document(&self, customer: &str) -> serde_json::Value {
        match self {
            Self::AddNote {
                subject,
                text,
                kind,
            } => {
                json!({"customer": customer, "subject": subject, "text": text, "kind": kind.as_str()})
            }
            Self::ListNotes { limit } => json!({"customer": customer, "limit": limit}),
            Self::Book {
                start,
                end,
                kind,
                notes,
            } => json!({
                "customer": customer,
                "start": start.to_string(),
                "end": end.to_string(),
                "kind": appointment_kind(*kind),
                "notes": notes,
            }),
            Self::FollowUp {
                text,
                method,
                assigned_to,
                due,
            } => json!({
                "customer": customer,
                "text": text,
                "type": method,
                "assigned_to": assigned_to,
                "due": due.map(|due| due.to_string()),
            }),
        }
    }

    /// What would be sent to `customer`, for `--dry-run` in text (values
    /// not yet escaped).
    pub(crate) fn describe(&self, customer: &str) -> String {
        match self {
            Self::AddNote {
                subject,
                text,
                kind,
            } => format!("customer {customer}, a {kind} note `{subject}`: {text}"),
            Self::ListNotes { limit } => {
                format!("customer {customer}: list the notes (at most {limit})")
            }
            Self::Book {
                start,
                end,
                kind,
                notes,
            } => {
                let mut line = format!(
                    "customer {customer}, {} from {start} to {end}",
                    appointment_kind(*kind)
                );
                if let Some(notes) = notes {
                    line.push_str(&format!(", notes: {notes}"));
                }
                line
            }
            Self::FollowUp {
                text,
                method,
                assigned_to,
                due,
            } => {
                let mut line = format!("customer {customer}: {text}");
                for (label, value) in [
                    ("type", method.clone()),
                    ("assigned to", assigned_to.clone()),
                    ("due", due.map(|due| due.to_string())),
                ] {
                    if let Some(value) = value {
                        line.push_str(&format!(", {label} {value}"));
                    }
                }
                line
            }
        }
    }
}

fn appointment_kind(kind: AppointmentKind) -> &'static str {
    match kind {
        AppointmentKind::Install => "install",
        AppointmentKind::Service => "service",
        AppointmentKind::Removal => "removal",
        _ => "other",
    }
}

/// `note add`'s note.
pub(crate) fn add_note(args: &NoteAddArgs) -> Request {
    Request::AddNote {
        subject: args.subject.clone(),
        text: args.text.clone(),
        kind: args.kind.into(),
    }
}

/// `note list`'s read.
pub(crate) fn list_notes(args: &NoteListArgs) -> Request {
    // A limit past what this machine can address lists everything it can.
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    Request::ListNotes { limit }
}

/// `appointment book`'s appointment: its times read as the SecurityTrax
/// commands read them (local times only: an offset or zone is refused).
pub(crate) fn book(args: &BookArgs) -> Result<Request, CommandError> {
    let start = parse_when("--start", "StartTime", &args.start)?;
    let end = parse_when("--end", "EndTime", &args.end)?;
    Ok(Request::Book {
        start,
        end,
        kind: args.kind.into(),
        notes: args.notes.clone(),
    })
}

/// `followup log`'s follow-up.
pub(crate) fn follow_up(args: &FollowupLogArgs) -> Result<Request, CommandError> {
    let due = match &args.due {
        None => None,
        Some(text) => Some(text.trim().parse::<Timestamp>().map_err(|_| {
            let rule = Rule::Format {
                expected: Cow::Borrowed("an RFC 3339 instant such as 2026-03-02T09:00:00Z"),
            };
            NeutralError::InvalidInput(vec![Problem::of_option("--due", "due", &rule, text)])
        })?),
    };
    Ok(Request::FollowUp {
        text: args.text.clone(),
        method: args.method.clone(),
        assigned_to: args.assigned_to.clone(),
        due,
    })
}
