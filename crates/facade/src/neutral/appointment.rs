//! Booking an appointment.

use jiff::civil::DateTime;

use super::CustomerRef;

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
