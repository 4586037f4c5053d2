//! The service-neutral traits for the Peoplevine client.

use transport::Transport;
use wire_core::{Rule, Violation, Violations};

use super::{Client, List, NewNote, Note, NoteReferenceType, PageRequest};
use crate::neutral::{
    AddCustomerNote, Capabilities, CustomerNote, CustomerNotes, CustomerRef, ListNotes, NoteAdded,
    NoteKind, NoteListing, Operation,
};
use crate::{Error, Service};

/// Peoplevine's id of `customer`: digits, or [`Error::InvalidInput`]
/// naming `customer_id` (nothing sent).
pub(crate) fn customer_id(customer: &CustomerRef) -> Result<i64, Error> {
    let id = customer.as_str();
    id.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| id.parse::<i64>().ok())
        .flatten()
        .ok_or_else(|| {
            Error::InvalidInput(Violations::one(Violation::of_request(
                "customer_id",
                Rule::Digits,
            )))
        })
}

/// The Peoplevine note for a neutral one, about the customer `customer_id`.
pub(crate) fn to_new_note(note: AddCustomerNote, customer_id: i64) -> NewNote {
    NewNote {
        subject: Some(note.subject),
        details: Some(note.text),
        kind: Some(note.kind.as_str().to_owned()),
        reference_type: Some(NoteReferenceType::Customer),
        reference_id: Some(customer_id),
        ..NewNote::default()
    }
}

/// The neutral note for a listed Peoplevine one.
pub(crate) fn from_note(note: Note) -> CustomerNote {
    CustomerNote {
        id: note.id.map(|id| id.to_string()),
        subject: note.subject,
        text: note.details,
        kind: note.kind.as_deref().and_then(NoteKind::from_name),
        at: Some(note.created_on.time()),
    }
}

impl<T> Capabilities for Client<T> {
    fn service(&self) -> Service {
        Service::Peoplevine
    }

    fn operations(&self) -> &'static [Operation] {
        &[Operation::AddNote, Operation::ListNotes]
    }
}

impl<T: Transport + 'static> CustomerNotes for Client<T> {
    /// Adds the note with `POST /api/customers/{customer_id}/notes`: the
    /// customer's id must be Peoplevine's (digits), the note's kind becomes
    /// its `type` (`sales`, `technician`, `lead`), `reference_type` is
    /// `customer`; the new note's id is returned.
    async fn add_note(&self, note: AddCustomerNote) -> Result<NoteAdded, Error> {
        let customer_id = customer_id(&note.customer)?;
        let created = self
            .create_note(customer_id, &to_new_note(note, customer_id))
            .await?;
        Ok(NoteAdded {
            note_id: created.id.map(|id| id.to_string()),
        })
    }
}

impl<T: Transport + 'static> NoteListing for Client<T> {
    /// Every page of `GET /api/customers/{customer_id}/notes`.
    async fn list_notes(&self, request: ListNotes) -> Result<Vec<CustomerNote>, Error> {
        let customer_id = customer_id(&request.customer)?;
        let mut pages = self.pages(List::Customer(customer_id), PageRequest::default());
        let mut notes = Vec::new();
        // No further page is asked for once the limit is reached.
        while notes.len() < request.limit {
            let Some(page) = pages.next().await else {
                break;
            };
            let room = request.limit - notes.len();
            notes.extend(page?.notes.into_iter().take(room).map(from_note));
        }
        Ok(notes)
    }
}
