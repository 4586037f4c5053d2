//! The service's in-memory state, and the execution of valid operations against it.
//!
//! The seeded customers never change, so they live outside any lock
//! ([`Customers`]); what operations add (notes, appointments, confirmation
//! numbers) lives in the [`Store`], behind the service's read-write lock.

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

/// What executing one operation answers: a success to write, or the customer
/// record a status read answers, borrowed from the seeded customers (never cloned).
#[derive(Debug)]
pub(crate) enum Executed<'c> {
    /// Any success but a customer status.
    Success(OperationSuccess),
    /// A customer status read: the record to write.
    Customer(&'c Customer),
}

/// How much of the [`Store`] a document needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Needs {
    /// Only the seeded customers: no lock at all.
    Nothing,
    /// Reads the stored appointments.
    Read,
    /// Stores something.
    Write,
}

impl Needs {
    /// What executing `operation` needs.
    pub(crate) fn of(operation: &Operation) -> Self {
        match operation {
            Operation::GetCustomerStatus(_) | Operation::GetSecurityTraxUniqueId(_) => {
                Self::Nothing
            }
            Operation::GetAppointmentAvailability(_) => Self::Read,
            // Writes, and anything not simulated (answered as a failure either way).
            _ => Self::Write,
        }
    }
}

/// The seeded customers, keyed by `SecurityTraxUniqueID`; never changed.
/// Kept in order rather than hashed: a look-up among the few customers a
/// sandbox seeds is a few string comparisons.
#[derive(Debug)]
pub(crate) struct Customers {
    by_id: BTreeMap<String, SeededCustomer>,
    /// Ids in seeding order, for look-ups that scan (phone, account number).
    order: Vec<String>,
}

impl Customers {
    /// The customers; a later one with the same id replaces an earlier one.
    pub(crate) fn new(customers: &[SeededCustomer]) -> Self {
        let mut by_id = BTreeMap::new();
        let mut order = Vec::with_capacity(customers.len());
        for customer in customers {
            let id = customer.security_trax_unique_id().to_owned();
            if by_id.insert(id.clone(), customer.clone()).is_none() {
                order.push(id);
            }
        }
        order.sort();
        Self { by_id, order }
    }

    /// The customer `id`, or the failure message naming the field.
    pub(crate) fn existing(&self, id: &str) -> Result<&SeededCustomer, String> {
        self.by_id.get(id).ok_or_else(|| {
            format!(
                "field `SecurityTraxUniqueID` must name an existing customer: there is no customer {id}"
            )
        })
    }

    /// A customer's record.
    pub(crate) fn record(&self, id: &str) -> Option<&Customer> {
        self.by_id.get(id).map(SeededCustomer::record)
    }

    fn in_order(&self) -> impl Iterator<Item = &SeededCustomer> {
        self.order.iter().filter_map(|id| self.by_id.get(id))
    }

    pub(crate) fn find_unique_id(
        &self,
        query: &GetSecurityTraxUniqueId,
    ) -> Result<OperationSuccess, String> {
        let found = match query.id_type {
            IdType::PhoneNumber => {
                let wanted = digits(&query.id);
                self.in_order().find(|customer| {
                    !wanted.is_empty() && phones(customer.record()).any(|p| digits(p) == wanted)
                })
            }
            IdType::AccountNumber => self
                .in_order()
                .find(|customer| customer.account_number() == Some(query.id.trim())),
            // An id type the sandbox does not know finds no customer.
            _ => None,
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
}

/// Notes, appointments and confirmation numbers, keyed by `SecurityTraxUniqueID`.
#[derive(Debug, Default)]
pub(crate) struct Store {
    notes: BTreeMap<String, Vec<StoredNote>>,
    appointments: BTreeMap<String, Vec<StoredAppointment>>,
    confirmation_numbers: BTreeMap<String, String>,
    last_sequence: u64,
}

/// The [`Store`] as far as a document needs it (see [`Needs`]).
#[derive(Debug)]
pub(crate) enum Access<'s> {
    /// No access: the document only reads seeded customers.
    None,
    /// Shared access.
    Read(&'s Store),
    /// Exclusive access.
    Write(&'s mut Store),
}

impl Access<'_> {
    fn read(&self) -> Option<&Store> {
        match self {
            Self::None => None,
            Self::Read(store) => Some(store),
            Self::Write(store) => Some(store),
        }
    }

    fn write(&mut self) -> Option<&mut Store> {
        match self {
            Self::Write(store) => Some(store),
            _ => None,
        }
    }
}

/// Executes one operation whose fields are valid. `Err` holds the failure
/// message (naming the field and the rule) for a `success="false"` answer.
/// `now` stamps what it stores. `store` must give what [`Needs::of`] says the
/// operation needs.
pub(crate) fn execute<'c>(
    operation: Operation,
    customers: &'c Customers,
    store: &mut Access<'_>,
    now: SystemTime,
) -> Result<Executed<'c>, String> {
    let missing_lock = || "the sandbox ran an operation without its lock".to_owned();
    let success = match operation {
        Operation::GetCustomerStatus(query) => {
            let customer = customers.existing(&query.security_trax_unique_id)?;
            return Ok(Executed::Customer(customer.record()));
        }
        Operation::GetSecurityTraxUniqueId(query) => customers.find_unique_id(&query)?,
        Operation::GetAppointmentAvailability(query) => store
            .read()
            .ok_or_else(missing_lock)?
            .availability(query.start_time, query.end_time),
        Operation::CreateCustomerNote(note) => {
            customers.existing(&note.security_trax_unique_id)?;
            store
                .write()
                .ok_or_else(missing_lock)?
                .create_note(note, now)
        }
        Operation::CreateTechSchedule(appointment) => {
            customers.existing(&appointment.security_trax_unique_id)?;
            store
                .write()
                .ok_or_else(missing_lock)?
                .create_appointment(appointment, now)
        }
        Operation::UpdateConfirmationNumber(update) => {
            customers.existing(&update.security_trax_unique_id)?;
            store
                .write()
                .ok_or_else(missing_lock)?
                .update_confirmation_number(update)
        }
        other => {
            return Err(format!(
                "request type {} is not simulated by the sandbox",
                other.request_type().wire_name()
            ));
        }
    };
    Ok(Executed::Success(success))
}

impl Store {
    fn next_sequence(&mut self) -> u64 {
        self.last_sequence += 1;
        self.last_sequence
    }

    fn create_note(&mut self, note: CreateCustomerNote, now: SystemTime) -> OperationSuccess {
        let sequence = self.next_sequence();
        // The customer's id is copied only for its first note.
        match self.notes.get_mut(note.security_trax_unique_id.as_str()) {
            Some(notes) => notes.push(StoredNote::new(sequence, now, note)),
            None => {
                let id = note.security_trax_unique_id.clone();
                self.notes
                    .insert(id, vec![StoredNote::new(sequence, now, note)]);
            }
        }
        OperationSuccess::NoteCreated
    }

    fn create_appointment(
        &mut self,
        appointment: CreateTechSchedule,
        now: SystemTime,
    ) -> OperationSuccess {
        let sequence = self.next_sequence();
        match self
            .appointments
            .get_mut(appointment.security_trax_unique_id.as_str())
        {
            Some(appointments) => {
                appointments.push(StoredAppointment::new(sequence, now, appointment));
            }
            None => {
                let id = appointment.security_trax_unique_id.clone();
                self.appointments
                    .insert(id, vec![StoredAppointment::new(sequence, now, appointment)]);
            }
        }
        OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some(NOT_CONFIRMED.to_owned()),
        }
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
        OperationSuccess::Availability(Availability::from_data(vec![
            DataText {
                element: AVAILABLE_ELEMENT.to_owned(),
                text: flag.to_owned(),
            },
            DataText {
                element: "message".to_owned(),
                text: message.to_owned(),
            },
        ]))
    }

    fn update_confirmation_number(&mut self, update: UpdateConfirmationNumber) -> OperationSuccess {
        let message = format!(
            "Successfully set customer Receiver Number: {}",
            update.confirmation_number
        );
        self.confirmation_numbers
            .insert(update.security_trax_unique_id, update.confirmation_number);
        OperationSuccess::ConfirmationNumberUpdated {
            message: Some(message),
        }
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

    fn demo() -> Customers {
        Customers::new(SecurityTraxConfig::demo().customers())
    }

    fn run(
        operation: Operation,
        customers: &Customers,
        store: &mut Store,
    ) -> Result<OperationSuccess, String> {
        execute(
            operation,
            customers,
            &mut Access::Write(store),
            SystemTime::UNIX_EPOCH,
        )
        .map(|executed| match executed {
            Executed::Success(success) => success,
            Executed::Customer(customer) => {
                OperationSuccess::CustomerStatus(Box::new(customer.clone()))
            }
        })
    }

    #[test]
    fn phone_numbers_match_on_digits_only() {
        let customers = demo();
        let query = |id: &str| GetSecurityTraxUniqueId {
            id_type: IdType::PhoneNumber,
            id: id.to_owned(),
        };
        assert_eq!(
            customers.find_unique_id(&query("(217) 555-0111")),
            Ok(OperationSuccess::SecurityTraxUniqueId("2237".into()))
        );
        assert_eq!(
            customers.find_unique_id(&query("217.555.0134")),
            Ok(OperationSuccess::SecurityTraxUniqueId("4418".into()))
        );
        let missing = customers.find_unique_id(&query("2175550199")).unwrap_err();
        assert!(
            missing.contains("field `ID`") && missing.contains("PhoneNumber"),
            "{missing}"
        );
        assert!(customers.find_unique_id(&query("no digits")).is_err());
    }

    #[test]
    fn notes_and_appointments_get_one_sequence_across_customers() {
        let customers = demo();
        let mut store = Store::default();
        let note = CreateCustomerNote::new("9710", "s", "t", NoteType::Lead);
        run(note.into(), &customers, &mut store).unwrap();
        let day = date(2030, 1, 2);
        let visit = CreateTechSchedule::new(
            "2237",
            day.at(8, 0, 0, 0),
            day.at(9, 0, 0, 0),
            ServiceType::Service,
        );
        run(visit.into(), &customers, &mut store).unwrap();
        assert_eq!(store.notes("9710")[0].sequence, 1);
        assert_eq!(store.appointments("2237")[0].sequence, 2);
        assert!(store.notes("2237").is_empty());
    }

    #[test]
    fn unknown_customers_are_refused_naming_the_field() {
        let customers = demo();
        let mut store = Store::default();
        let status = GetCustomerStatus {
            security_trax_unique_id: "1".into(),
        };
        let failure = run(status.into(), &customers, &mut store).unwrap_err();
        assert_eq!(
            failure,
            "field `SecurityTraxUniqueID` must name an existing customer: there is no customer 1"
        );
        let note = CreateCustomerNote::new("1", "s", "t", NoteType::Lead);
        assert!(run(note.into(), &customers, &mut store).is_err());
        assert!(store.notes("1").is_empty());
    }

    #[test]
    fn a_status_read_borrows_the_seeded_record_and_needs_no_lock() {
        let customers = demo();
        let status: Operation = GetCustomerStatus {
            security_trax_unique_id: "9710".into(),
        }
        .into();
        assert_eq!(Needs::of(&status), Needs::Nothing);
        let executed = execute(
            status,
            &customers,
            &mut Access::None,
            SystemTime::UNIX_EPOCH,
        );
        match executed {
            Ok(Executed::Customer(record)) => {
                assert!(std::ptr::eq(record, customers.record("9710").unwrap()));
            }
            other => panic!("expected the seeded record, got {other:?}"),
        }
        // A write without its lock is refused, never executed.
        let note: Operation = CreateCustomerNote::new("9710", "s", "t", NoteType::Lead).into();
        assert_eq!(Needs::of(&note), Needs::Write);
        assert!(execute(note, &customers, &mut Access::None, SystemTime::UNIX_EPOCH).is_err());
    }
}
