//! The service's in-memory state, and the execution of valid operations against it.

use std::collections::BTreeMap;
use std::time::SystemTime;

use strax_xml_protocol::jiff::civil::DateTime;
use strax_xml_protocol::{
    Availability, CreateCustomerNote, CreateTechSchedule, Customer, DataText,
    GetSecurityTraxUniqueId, IdType, Operation, OperationSuccess, UpdateConfirmationNumber,
};

use super::config::SeededCustomer;
use super::records::{NOT_CONFIRMED, StoredAppointment, StoredNote};

/// The element of an availability answer that carries `true` or `false`.
pub(crate) const AVAILABLE_ELEMENT: &str = "Available";

/// Customers, notes, appointments and confirmation numbers, keyed by `SecurityTraxUniqueID`.
#[derive(Debug)]
pub(crate) struct Store {
    customers: BTreeMap<String, SeededCustomer>,
    notes: BTreeMap<String, Vec<StoredNote>>,
    appointments: BTreeMap<String, Vec<StoredAppointment>>,
    confirmation_numbers: BTreeMap<String, String>,
    last_sequence: u64,
}

impl Store {
    /// A store holding `customers` and nothing else.
    pub(crate) fn new(customers: &[SeededCustomer]) -> Self {
        Self {
            customers: customers
                .iter()
                .map(|c| (c.security_trax_unique_id().to_owned(), c.clone()))
                .collect(),
            notes: BTreeMap::new(),
            appointments: BTreeMap::new(),
            confirmation_numbers: BTreeMap::new(),
            last_sequence: 0,
        }
    }

    /// Executes one operation whose fields are valid. `Err` holds the failure
    /// message (naming the field and the rule) for a `success="false"` answer.
    /// `now` stamps what it stores.
    pub(crate) fn execute(
        &mut self,
        operation: Operation,
        now: SystemTime,
    ) -> Result<OperationSuccess, String> {
        match operation {
            Operation::CreateCustomerNote(note) => self.create_note(note, now),
            Operation::CreateTechSchedule(appointment) => self.create_appointment(appointment, now),
            Operation::GetAppointmentAvailability(query) => {
                Ok(self.availability(query.start_time, query.end_time))
            }
            Operation::GetCustomerStatus(query) => self
                .existing_customer(&query.security_trax_unique_id)
                .map(|customer| {
                    OperationSuccess::CustomerStatus(Box::new(customer.record().clone()))
                }),
            Operation::GetSecurityTraxUniqueId(query) => self.find_unique_id(&query),
            Operation::UpdateConfirmationNumber(update) => self.update_confirmation_number(update),
            other => Err(format!(
                "request type {} is not simulated by the sandbox",
                other.request_type().wire_name()
            )),
        }
    }

    fn next_sequence(&mut self) -> u64 {
        self.last_sequence += 1;
        self.last_sequence
    }

    fn existing_customer(&self, id: &str) -> Result<&SeededCustomer, String> {
        self.customers.get(id).ok_or_else(|| {
            format!(
                "field `SecurityTraxUniqueID` must name an existing customer: there is no customer {id}"
            )
        })
    }

    fn create_note(
        &mut self,
        note: CreateCustomerNote,
        now: SystemTime,
    ) -> Result<OperationSuccess, String> {
        self.existing_customer(&note.security_trax_unique_id)?;
        let sequence = self.next_sequence();
        self.notes
            .entry(note.security_trax_unique_id.clone())
            .or_default()
            .push(StoredNote::new(sequence, now, note));
        Ok(OperationSuccess::NoteCreated)
    }

    fn create_appointment(
        &mut self,
        appointment: CreateTechSchedule,
        now: SystemTime,
    ) -> Result<OperationSuccess, String> {
        self.existing_customer(&appointment.security_trax_unique_id)?;
        let sequence = self.next_sequence();
        self.appointments
            .entry(appointment.security_trax_unique_id.clone())
            .or_default()
            .push(StoredAppointment::new(sequence, now, appointment));
        Ok(OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some(NOT_CONFIRMED.to_owned()),
        })
    }

    /// Available unless a stored appointment (of any customer, anywhere) overlaps the window.
    fn availability(&self, start: DateTime, end: DateTime) -> OperationSuccess {
        let busy = self
            .appointments
            .values()
            .flatten()
            .any(|appointment| appointment.overlaps(start, end));
        let (flag, message) = if busy {
            (
                "false",
                "No appointment available: the window overlaps a booked appointment",
            )
        } else {
            ("true", "Appointment available")
        };
        OperationSuccess::Availability(Availability {
            available: Some(!busy),
            data: vec![
                DataText {
                    element: AVAILABLE_ELEMENT.to_owned(),
                    text: flag.to_owned(),
                },
                DataText {
                    element: "message".to_owned(),
                    text: message.to_owned(),
                },
            ],
        })
    }

    fn find_unique_id(&self, query: &GetSecurityTraxUniqueId) -> Result<OperationSuccess, String> {
        let found = match query.id_type {
            IdType::PhoneNumber => {
                let wanted = digits(&query.id);
                self.customers.values().find(|customer| {
                    !wanted.is_empty() && phones(customer.record()).any(|p| digits(p) == wanted)
                })
            }
            IdType::AccountNumber => self
                .customers
                .values()
                .find(|customer| customer.account_number() == Some(query.id.trim())),
        };
        found
            .map(|customer| {
                OperationSuccess::SecurityTraxUniqueId(
                    customer.security_trax_unique_id().to_owned(),
                )
            })
            .ok_or_else(|| {
                format!(
                    "field `ID` must match the {} of a customer: no customer matches",
                    query.id_type.code()
                )
            })
    }

    fn update_confirmation_number(
        &mut self,
        update: UpdateConfirmationNumber,
    ) -> Result<OperationSuccess, String> {
        self.existing_customer(&update.security_trax_unique_id)?;
        let message = format!(
            "Successfully set customer Receiver Number: {}",
            update.confirmation_number
        );
        self.confirmation_numbers
            .insert(update.security_trax_unique_id, update.confirmation_number);
        Ok(OperationSuccess::ConfirmationNumberUpdated {
            message: Some(message),
        })
    }

    /// The notes stored for a customer, oldest first.
    pub(crate) fn notes(&self, id: &str) -> Vec<StoredNote> {
        self.notes.get(id).cloned().unwrap_or_default()
    }

    /// The appointments stored for a customer, oldest first.
    pub(crate) fn appointments(&self, id: &str) -> Vec<StoredAppointment> {
        self.appointments.get(id).cloned().unwrap_or_default()
    }

    /// The confirmation number last set for a customer.
    pub(crate) fn confirmation_number(&self, id: &str) -> Option<String> {
        self.confirmation_numbers.get(id).cloned()
    }

    /// A customer's record.
    pub(crate) fn customer(&self, id: &str) -> Option<Customer> {
        self.customers.get(id).map(|c| c.record().clone())
    }
}

fn phones(record: &Customer) -> impl Iterator<Item = &str> {
    [
        &record.phone1,
        &record.phone2,
        &record.phone3,
        &record.phone4,
    ]
    .into_iter()
    .filter_map(|phone| phone.as_deref())
}

fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::securitytrax::SecurityTraxConfig;
    use strax_xml_protocol::jiff::civil::date;
    use strax_xml_protocol::{GetCustomerStatus, NoteType, ServiceType};

    fn demo() -> Store {
        Store::new(SecurityTraxConfig::demo().customers())
    }

    #[test]
    fn phone_numbers_match_on_digits_only() {
        let store = demo();
        let query = |id: &str| GetSecurityTraxUniqueId {
            id_type: IdType::PhoneNumber,
            id: id.to_owned(),
        };
        assert_eq!(
            store.find_unique_id(&query("(217) 555-0111")),
            Ok(OperationSuccess::SecurityTraxUniqueId("2237".into()))
        );
        assert_eq!(
            store.find_unique_id(&query("217.555.0134")),
            Ok(OperationSuccess::SecurityTraxUniqueId("4418".into()))
        );
        let missing = store.find_unique_id(&query("2175550199")).unwrap_err();
        assert!(
            missing.contains("field `ID`") && missing.contains("PhoneNumber"),
            "{missing}"
        );
        assert!(store.find_unique_id(&query("no digits")).is_err());
    }

    #[test]
    fn notes_and_appointments_get_one_sequence_across_customers() {
        let mut store = demo();
        let note = CreateCustomerNote::new("9710", "s", "t", NoteType::Lead);
        store.execute(note.into(), SystemTime::UNIX_EPOCH).unwrap();
        let day = date(2030, 1, 2);
        let visit = CreateTechSchedule::new(
            "2237",
            day.at(8, 0, 0, 0),
            day.at(9, 0, 0, 0),
            ServiceType::Service,
        );
        store.execute(visit.into(), SystemTime::UNIX_EPOCH).unwrap();
        assert_eq!(store.notes("9710")[0].sequence, 1);
        assert_eq!(store.appointments("2237")[0].sequence, 2);
        assert!(store.notes("2237").is_empty());
    }

    #[test]
    fn unknown_customers_are_refused_naming_the_field() {
        let mut store = demo();
        let failure = store
            .execute(
                GetCustomerStatus {
                    security_trax_unique_id: "1".into(),
                }
                .into(),
                SystemTime::UNIX_EPOCH,
            )
            .unwrap_err();
        assert_eq!(
            failure,
            "field `SecurityTraxUniqueID` must name an existing customer: there is no customer 1"
        );
        let note = CreateCustomerNote::new("1", "s", "t", NoteType::Lead);
        assert!(store.execute(note.into(), SystemTime::UNIX_EPOCH).is_err());
        assert!(store.notes("1").is_empty());
    }
}
