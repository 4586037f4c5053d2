//! The service-neutral traits for the Neto client: a customer log is both a
//! note and a follow-up.

use jiff::Timestamp;
use jiff::tz::Offset;
use transport::Transport;

use super::{Client, CustomerLog, GetCustomer, LogStatus, NetoDateTime, NewCustomerLog};
use crate::neutral::{
    AddCustomerNote, Capabilities, CustomerNote, CustomerNotes, FollowUpLogged, FollowUpLogging,
    ListNotes, LogFollowUp, NoteAdded, NoteListing, Operation,
};
use crate::{Error, Service};

/// The log's `Notes` for a note: its subject, a line break, its text (the
/// subject alone is left out when empty; Neto logs have no subject field).
pub(crate) fn note_text(subject: &str, text: &str) -> String {
    if subject.is_empty() {
        text.to_owned()
    } else {
        format!("{subject}\n{text}")
    }
}

/// The Neto customer log for a neutral note: `Completed` (a note asks no
/// follow-up), its kind dropped.
pub(crate) fn note_to_log(note: AddCustomerNote) -> NewCustomerLog {
    NewCustomerLog {
        username: Some(note.customer.as_str().to_owned()),
        notes: Some(note_text(&note.subject, &note.text)),
        status: Some(LogStatus::Completed),
        ..NewCustomerLog::default()
    }
}

/// The Neto customer log for a neutral follow-up: `Require Recontact`.
pub(crate) fn follow_up_to_log(follow_up: LogFollowUp) -> NewCustomerLog {
    NewCustomerLog {
        username: Some(follow_up.customer.as_str().to_owned()),
        notes: Some(follow_up.notes),
        date_required_follow_up: follow_up.due.map(NetoDateTime::from_timestamp),
        allocated_to: follow_up.assigned_to,
        follow_up_type: follow_up.method,
        last_contacted: follow_up.last_contacted.map(NetoDateTime::from_timestamp),
        status: Some(LogStatus::RequireRecontact),
        ..NewCustomerLog::default()
    }
}

/// The Neto request for a neutral list: the customer's logs by username.
pub(crate) fn list_request(request: &ListNotes) -> GetCustomer {
    GetCustomer::logs_of(request.customer.as_str())
}

fn timestamp(at: NetoDateTime) -> Option<Timestamp> {
    Offset::UTC.to_timestamp(at.civil()).ok()
}

/// The neutral note for a listed customer log: no subject, no kind; the
/// time is when the customer was last contacted (UTC).
pub(crate) fn from_log(log: CustomerLog) -> CustomerNote {
    CustomerNote {
        id: log.log_id.map(|id| id.to_string()),
        subject: None,
        text: log.notes,
        kind: None,
        at: log
            .last_contacted_utc
            .or(log.last_contacted)
            .and_then(timestamp),
    }
}

impl<T> Capabilities for Client<T> {
    fn service(&self) -> Service {
        Service::Neto
    }

    fn operations(&self) -> &'static [Operation] {
        &[
            Operation::AddNote,
            Operation::ListNotes,
            Operation::LogFollowUp,
        ]
    }
}

/// The one log id of an `AddCustomerLog` answer.
fn first_id(ids: &[u64]) -> Option<String> {
    ids.first().map(u64::to_string)
}

impl<T: Transport> CustomerNotes for Client<T> {
    /// Adds a customer log (`AddCustomerLog`) for the username.
    async fn add_note(&self, note: AddCustomerNote) -> Result<NoteAdded, Error> {
        let added = self.add_logs(vec![note_to_log(note)]).await?;
        Ok(NoteAdded {
            note_id: first_id(&added.output.log_ids),
        })
    }
}

impl<T: Transport> NoteListing for Client<T> {
    /// The customer's logs (`GetCustomer` with `CustomerLog`), of every
    /// customer the answer holds for the username.
    async fn list_notes(&self, request: ListNotes) -> Result<Vec<CustomerNote>, Error> {
        let answer = self.call(&list_request(&request)).await?;
        Ok(answer
            .output
            .customers
            .into_iter()
            .flat_map(|customer| customer.logs)
            .take(request.limit)
            .map(from_log)
            .collect())
    }
}

impl<T: Transport> FollowUpLogging for Client<T> {
    /// Adds a customer log in status `Require Recontact` (`AddCustomerLog`).
    async fn log_follow_up(&self, follow_up: LogFollowUp) -> Result<FollowUpLogged, Error> {
        let added = self.add_logs(vec![follow_up_to_log(follow_up)]).await?;
        Ok(FollowUpLogged {
            id: first_id(&added.output.log_ids),
        })
    }
}
