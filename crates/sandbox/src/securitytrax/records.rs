//! What the simulated service stored, as tests and demos read it back: each
//! record holds the request as the service received it, plus what the service
//! added (its order, when it was stored, its status).

use std::time::SystemTime;

use strax_xml_protocol::jiff::civil::DateTime;
use strax_xml_protocol::{CreateCustomerNote, CreateTechSchedule};

/// The confirmation status of every appointment the sandbox books (the documented sample's).
pub const NOT_CONFIRMED: &str = "Not Confirmed";

/// A note stored by `CreateCustomerNoteBySecurityTraxUniqueID`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredNote {
    /// The order in which the service stored it, from 1, across all customers.
    pub sequence: u64,
    /// When it was stored, on the sandbox's [`Clock`](crate::Clock).
    pub stored_at: SystemTime,
    /// The request as received: customer, subject, text, type, ticket type,
    /// assignee and the partner's id of the note.
    pub request: CreateCustomerNote,
}

impl StoredNote {
    pub(crate) fn new(sequence: u64, stored_at: SystemTime, request: CreateCustomerNote) -> Self {
        Self {
            sequence,
            stored_at,
            request,
        }
    }
}

/// An appointment stored by `CreateTechScheduleBySecurityTraxUniqueID`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredAppointment {
    /// The order in which the service stored it, from 1, across all customers.
    pub sequence: u64,
    /// When it was stored, on the sandbox's [`Clock`](crate::Clock).
    pub stored_at: SystemTime,
    /// The request as received: customer, technician, start and end (the
    /// customer's local time), service type and detail, notes.
    pub request: CreateTechSchedule,
    /// Always [`NOT_CONFIRMED`] in the sandbox.
    pub confirmation_status_name: &'static str,
}

impl StoredAppointment {
    pub(crate) fn new(sequence: u64, stored_at: SystemTime, request: CreateTechSchedule) -> Self {
        Self {
            sequence,
            stored_at,
            request,
            confirmation_status_name: NOT_CONFIRMED,
        }
    }

    /// Whether this appointment shares any time with `[start, end)`.
    pub(crate) fn overlaps(&self, start: DateTime, end: DateTime) -> bool {
        self.request.start_time < end && start < self.request.end_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strax_xml_protocol::ServiceType;
    use strax_xml_protocol::jiff::civil::date;

    #[test]
    fn overlap_is_half_open() {
        let day = date(2030, 5, 6);
        let booked = StoredAppointment::new(
            1,
            SystemTime::UNIX_EPOCH,
            CreateTechSchedule::new(
                "9710",
                day.at(9, 0, 0, 0),
                day.at(11, 0, 0, 0),
                ServiceType::Install,
            ),
        );
        assert!(booked.overlaps(day.at(10, 0, 0, 0), day.at(12, 0, 0, 0)));
        assert!(booked.overlaps(day.at(8, 0, 0, 0), day.at(9, 1, 0, 0)));
        assert!(booked.overlaps(day.at(9, 30, 0, 0), day.at(10, 0, 0, 0)));
        assert!(!booked.overlaps(day.at(11, 0, 0, 0), day.at(12, 0, 0, 0)));
        assert!(!booked.overlaps(day.at(7, 0, 0, 0), day.at(9, 0, 0, 0)));
        assert_eq!(booked.confirmation_status_name, NOT_CONFIRMED);
    }
}
