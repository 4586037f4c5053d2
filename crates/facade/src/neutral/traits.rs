//! The capability traits: one per neutral operation.

use std::future::Future;

use super::{
    AddCustomerNote, AppointmentBooked, BookAppointment, CustomerNote, FollowUpLogged, LeadsPosted,
    ListNotes, LogFollowUp, NewLead, NoteAdded,
};
use crate::Error;

/// A service that can add notes to customers.
///
/// Adding a note is a write: implementations never resend it unless the
/// request provably was not sent, and report a possibly-executed note with
/// [`Error::outcome_unknown`].
pub trait CustomerNotes: Send + Sync {
    /// Adds `note`.
    fn add_note(
        &self,
        note: AddCustomerNote,
    ) -> impl Future<Output = Result<NoteAdded, Error>> + Send;
}

/// A service that can list a customer's notes (a read).
pub trait NoteListing: Send + Sync {
    /// The notes of `request.customer`, every page, in the service's order.
    fn list_notes(
        &self,
        request: ListNotes,
    ) -> impl Future<Output = Result<Vec<CustomerNote>, Error>> + Send;
}

/// A service that takes leads.
///
/// Posting is a write, with the same retry rule as
/// [`CustomerNotes::add_note`]; every lead gets its own outcome.
pub trait LeadPosting: Send + Sync {
    /// Posts `leads`.
    ///
    /// The outer error is for the request as a whole before anything is
    /// posted (an unsupported operation); what became of each lead is in
    /// [`LeadsPosted::outcomes`].
    fn post_leads(
        &self,
        leads: Vec<NewLead>,
    ) -> impl Future<Output = Result<LeadsPosted, Error>> + Send;
}

/// A service that can book appointments.
///
/// Booking is a write, with the same retry rule as [`CustomerNotes::add_note`].
pub trait AppointmentBooking: Send + Sync {
    /// Books `appointment`.
    fn book_appointment(
        &self,
        appointment: BookAppointment,
    ) -> impl Future<Output = Result<AppointmentBooked, Error>> + Send;
}

/// A service that can record that a customer must be contacted again.
///
/// Logging is a write, with the same retry rule as [`CustomerNotes::add_note`].
pub trait FollowUpLogging: Send + Sync {
    /// Logs `follow_up`.
    fn log_follow_up(
        &self,
        follow_up: LogFollowUp,
    ) -> impl Future<Output = Result<FollowUpLogged, Error>> + Send;
}
