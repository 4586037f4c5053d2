//! The service-neutral traits for the SecurityTrax client.

use strax_xml_protocol::{CreateCustomerNote, CreateTechSchedule, NoteType, ServiceType};
use transport::Transport;

use super::client::Client;
use crate::neutral::{
    AddCustomerNote, AppointmentBooked, AppointmentBooking, AppointmentKind, BookAppointment,
    Capabilities, CustomerNotes, NoteAdded, NoteKind, Operation,
};
use crate::{Error, Service};

fn note_type(kind: NoteKind) -> NoteType {
    match kind {
        NoteKind::Sales => NoteType::Sales,
        NoteKind::Technician => NoteType::Technician,
        NoteKind::Lead => NoteType::Lead,
    }
}

fn service_type(kind: AppointmentKind) -> ServiceType {
    match kind {
        AppointmentKind::Install => ServiceType::Install,
        AppointmentKind::Service => ServiceType::Service,
        AppointmentKind::Removal => ServiceType::RipOut,
    }
}

/// The SecurityTrax note for a neutral one: a plain note (no ticket).
pub(crate) fn to_note(note: AddCustomerNote) -> CreateCustomerNote {
    CreateCustomerNote::new(
        note.customer.as_str(),
        note.subject,
        note.text,
        note_type(note.kind),
    )
}

/// The SecurityTrax appointment for a neutral one: slot-scheduled (no tech).
pub(crate) fn to_appointment(appointment: BookAppointment) -> CreateTechSchedule {
    let mut schedule = CreateTechSchedule::new(
        appointment.customer.as_str(),
        appointment.start,
        appointment.end,
        service_type(appointment.kind),
    );
    schedule.notes = appointment.notes;
    schedule
}

impl<T> Capabilities for Client<T> {
    fn service(&self) -> Service {
        Service::SecurityTrax
    }

    fn operations(&self) -> &'static [Operation] {
        &[Operation::AddNote, Operation::BookAppointment]
    }
}

impl<T: Transport> CustomerNotes for Client<T> {
    async fn add_note(&self, note: AddCustomerNote) -> Result<NoteAdded, Error> {
        self.add_customer_note(to_note(note)).await?;
        Ok(NoteAdded::default())
    }
}

impl<T: Transport> AppointmentBooking for Client<T> {
    async fn book_appointment(
        &self,
        appointment: BookAppointment,
    ) -> Result<AppointmentBooked, Error> {
        let created = self
            .create_tech_schedule(to_appointment(appointment))
            .await?;
        Ok(AppointmentBooked {
            status: created.confirmation_status_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;
    use crate::neutral::CustomerRef;

    #[test]
    fn neutral_requests_map_to_securitytrax_operations() {
        let note = to_note(AddCustomerNote::new(
            CustomerRef::new("9710"),
            "Subject",
            "Text",
            NoteKind::Lead,
        ));
        assert_eq!(
            note,
            CreateCustomerNote::new("9710", "Subject", "Text", NoteType::Lead)
        );
        assert_eq!(note_type(NoteKind::Sales), NoteType::Sales);
        assert_eq!(note_type(NoteKind::Technician), NoteType::Technician);

        let start = date(2026, 3, 2).at(9, 0, 0, 0);
        let end = date(2026, 3, 2).at(11, 30, 0, 0);
        let booked = to_appointment(
            BookAppointment::new(
                CustomerRef::new("2237"),
                start,
                end,
                AppointmentKind::Removal,
            )
            .with_notes("Gate code 4711"),
        );
        assert_eq!(booked.security_trax_unique_id, "2237");
        assert_eq!((booked.start_time, booked.end_time), (start, end));
        assert_eq!(booked.service_type, ServiceType::RipOut);
        assert_eq!(booked.notes.as_deref(), Some("Gate code 4711"));
        assert_eq!(booked.tech_id, None);
        assert_eq!(service_type(AppointmentKind::Install), ServiceType::Install);
        assert_eq!(service_type(AppointmentKind::Service), ServiceType::Service);
    }
}
