//! What the simulated service stored, as tests and demos read it back.

use strax_xml_protocol::jiff::civil::DateTime;
use strax_xml_protocol::{
    CreateCustomerNote, CreateTechSchedule, NoteType, ServiceType, TicketType,
};

/// The confirmation status of every appointment the sandbox books (the documented sample's).
pub const NOT_CONFIRMED: &str = "Not Confirmed";

/// A note stored by `CreateCustomerNoteBySecurityTraxUniqueID`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredNote {
    /// The order in which the service stored it, from 1, across all customers.
    pub sequence: u64,
    /// The customer's `SecurityTraxUniqueID`.
    pub security_trax_unique_id: String,
    /// `NoteSubject`.
    pub subject: String,
    /// `NoteText`.
    pub text: String,
    /// `NoteTypeID`.
    pub note_type: NoteType,
    /// `TicketTypeID`: set when the note is a ticket.
    pub ticket_type: Option<TicketType>,
    /// `UserID`: the ticket's assignee.
    pub user_id: Option<String>,
    /// `PartnerCompanyUniqueID`: the note's id in the partner's system.
    pub partner_company_unique_id: Option<String>,
}

impl StoredNote {
    pub(crate) fn new(sequence: u64, request: CreateCustomerNote) -> Self {
        Self {
            sequence,
            security_trax_unique_id: request.security_trax_unique_id,
            subject: request.note_subject,
            text: request.note_text,
            note_type: request.note_type,
            ticket_type: request.ticket_type,
            user_id: request.user_id,
            partner_company_unique_id: request.partner_company_unique_id,
        }
    }
}

/// An appointment stored by `CreateTechScheduleBySecurityTraxUniqueID`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct StoredAppointment {
    /// The order in which the service stored it, from 1, across all customers.
    pub sequence: u64,
    /// The customer's `SecurityTraxUniqueID`.
    pub security_trax_unique_id: String,
    /// `TechID`; `None` for slot scheduling.
    pub tech_id: Option<String>,
    /// `StartTime`, the customer's local time.
    pub start_time: DateTime,
    /// `EndTime`, the customer's local time.
    pub end_time: DateTime,
    /// `ServiceType`.
    pub service_type: ServiceType,
    /// `ServiceDetailType`.
    pub service_detail_type: Option<String>,
    /// `Notes`.
    pub notes: Option<String>,
    /// Always [`NOT_CONFIRMED`] in the sandbox.
    pub confirmation_status_name: String,
}

impl StoredAppointment {
    pub(crate) fn new(sequence: u64, request: CreateTechSchedule) -> Self {
        Self {
            sequence,
            security_trax_unique_id: request.security_trax_unique_id,
            tech_id: request.tech_id,
            start_time: request.start_time,
            end_time: request.end_time,
            service_type: request.service_type,
            service_detail_type: request.service_detail_type,
            notes: request.notes,
            confirmation_status_name: NOT_CONFIRMED.to_owned(),
        }
    }

    /// Whether this appointment shares any time with `[start, end)`.
    pub(crate) fn overlaps(&self, start: DateTime, end: DateTime) -> bool {
        self.start_time < end && start < self.end_time
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strax_xml_protocol::jiff::civil::date;

    #[test]
    fn overlap_is_half_open() {
        let day = date(2030, 5, 6);
        let booked = StoredAppointment::new(
            1,
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
