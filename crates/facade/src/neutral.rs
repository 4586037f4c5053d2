//! The service-neutral API: what a caller can ask of any CRM, whichever
//! service is behind it.
//!
//! Each capability is a small trait ([`CustomerNotes`], [`AppointmentBooking`])
//! taking a plain request value and returning a plain result; a service's
//! client implements the capabilities it can fulfil. Today that is the
//! SecurityTrax [`Client`](crate::securitytrax::Client), which implements
//! both. The Peoplevine and Neto clients will implement [`CustomerNotes`] in
//! their own issues, following the same shape: the request types hold only
//! what every implementing service can honour, and results hold `Option`s
//! for what only some services return.
//!
//! Code written against the traits works with any service:
//!
//! ```
//! use facade::neutral::{AddCustomerNote, CustomerNotes, CustomerRef, NoteKind};
//!
//! async fn remind<S: CustomerNotes>(crm: &S, customer: &str) -> Result<(), facade::Error> {
//!     let note = AddCustomerNote::new(
//!         CustomerRef::new(customer),
//!         "Reminder",
//!         "Battery replacement due",
//!         NoteKind::Technician,
//!     );
//!     crm.add_note(note).await?;
//!     Ok(())
//! }
//! ```

use std::fmt;
use std::future::Future;

use jiff::civil::DateTime;

use crate::Error;

/// A customer, by the service's own id for it (for SecurityTrax, the
/// SecurityTrax unique id).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomerRef(String);

impl CustomerRef {
    /// The customer with the service's id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoteKind {
    /// Sales: offers, contracts, follow-ups.
    Sales,
    /// Technical: installation and service work.
    Technician,
    /// About a lead not yet a customer.
    Lead,
}

/// Adds a note to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCustomerNote {
    /// The customer.
    pub customer: CustomerRef,
    /// A short subject line.
    pub subject: String,
    /// The note itself.
    pub text: String,
    /// What the note is about.
    pub kind: NoteKind,
}

impl AddCustomerNote {
    /// A note about `customer`.
    pub fn new(
        customer: CustomerRef,
        subject: impl Into<String>,
        text: impl Into<String>,
        kind: NoteKind,
    ) -> Self {
        Self {
            customer,
            subject: subject.into(),
            text: text.into(),
            kind,
        }
    }
}

/// A note was added.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct NoteAdded {
    /// The service's id of the new note, when the service returns one
    /// (SecurityTrax does not).
    pub note_id: Option<String>,
}

/// What an appointment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AppointmentKind {
    /// Installing a system.
    Install,
    /// Servicing an installed system.
    Service,
    /// Removing a system.
    Removal,
}

/// Books an appointment with a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookAppointment {
    /// The customer.
    pub customer: CustomerRef,
    /// When it starts, in the customer's local time (whole minutes).
    pub start: DateTime,
    /// When it ends, in the customer's local time; after `start`.
    pub end: DateTime,
    /// What it is for.
    pub kind: AppointmentKind,
    /// Notes for whoever does the work.
    pub notes: Option<String>,
}

impl BookAppointment {
    /// An appointment with `customer` from `start` to `end`, without notes.
    pub fn new(
        customer: CustomerRef,
        start: DateTime,
        end: DateTime,
        kind: AppointmentKind,
    ) -> Self {
        Self {
            customer,
            start,
            end,
            kind,
            notes: None,
        }
    }

    /// Adds notes.
    #[must_use]
    pub fn with_notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Some(notes.into());
        self
    }
}

/// An appointment was booked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AppointmentBooked {
    /// The service's status of the new appointment, when it returns one
    /// (SecurityTrax: its confirmation status, e.g. `Not Confirmed`).
    pub status: Option<String>,
}

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
