//! [`Operation`]: the neutral operations, and [`Capabilities`]: which of
//! them a backend can do.

use std::fmt;

use crate::Service;

/// One operation of the service-neutral API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Operation {
    /// [`CustomerNotes::add_note`](super::CustomerNotes::add_note).
    AddNote,
    /// [`NoteListing::list_notes`](super::NoteListing::list_notes).
    ListNotes,
    /// [`LeadPosting::post_leads`](super::LeadPosting::post_leads).
    PostLeads,
    /// [`AppointmentBooking::book_appointment`](super::AppointmentBooking::book_appointment).
    BookAppointment,
    /// [`FollowUpLogging::log_follow_up`](super::FollowUpLogging::log_follow_up).
    LogFollowUp,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Self; 5] = [
        Self::AddNote,
        Self::ListNotes,
        Self::PostLeads,
        Self::BookAppointment,
        Self::LogFollowUp,
    ];

    /// A short, stable name for machine-readable output (`add_note`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AddNote => "add_note",
            Self::ListNotes => "list_notes",
            Self::PostLeads => "post_leads",
            Self::BookAppointment => "book_appointment",
            Self::LogFollowUp => "log_follow_up",
        }
    }

    /// The operation named `name` (as [`as_str`](Self::as_str) writes it).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|op| op.as_str() == name)
    }

    /// What it does, for messages (`add a customer note`, …).
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Self::AddNote => "add a customer note",
            Self::ListNotes => "list a customer's notes",
            Self::PostLeads => "post leads",
            Self::BookAppointment => "book an appointment",
            Self::LogFollowUp => "log a follow-up",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a backend can do, asked before trying.
///
/// The answer agrees with the calls: an operation it does not support fails
/// with [`Error::Unsupported`](crate::Error::Unsupported) (nothing sent),
/// one it supports is sent to the service.
pub trait Capabilities {
    /// The service behind it.
    fn service(&self) -> Service;

    /// The operations it supports, in [`Operation::ALL`]'s order.
    fn operations(&self) -> &'static [Operation];

    /// Whether it supports `operation`.
    fn supports(&self, operation: Operation) -> bool {
        self.operations().contains(&operation)
    }
}
