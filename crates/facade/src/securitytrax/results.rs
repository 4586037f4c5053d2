//! The typed result of each single-operation call, taken out of the
//! protocol's [`OperationSuccess`].

use strax_xml_protocol::{Availability, Customer, OperationSuccess, RequestType, Script};

use crate::Error;

/// A tech appointment was created.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AppointmentCreated {
    /// The service's `<ConfirmationStatusName>` (e.g. `Not Confirmed`), if sent.
    pub confirmation_status_name: Option<String>,
}

/// A confirmation number was set.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfirmationNumberUpdated {
    /// The service's `<message>` (e.g. `Successfully set customer Receiver
    /// Number: 206`), if sent.
    pub message: Option<String>,
}

/// The error for a success of another type than the request's. The decoder
/// checks response types against the request types, so this only guards
/// against a mismatch between the decoder and this crate.
fn mismatch(expected: RequestType, found: &OperationSuccess) -> Error {
    Error::Protocol {
        detail: format!(
            "a `{}` result came for a `{}` request",
            found.request_type().wire_name(),
            expected.wire_name()
        ),
        may_have_executed: expected.script() == Script::Poster,
    }
}

pub(crate) fn note_created(success: OperationSuccess) -> Result<(), Error> {
    match success {
        OperationSuccess::NoteCreated => Ok(()),
        other => Err(mismatch(RequestType::CreateCustomerNote, &other)),
    }
}

pub(crate) fn appointment_created(success: OperationSuccess) -> Result<AppointmentCreated, Error> {
    match success {
        OperationSuccess::AppointmentCreated {
            confirmation_status_name,
        } => Ok(AppointmentCreated {
            confirmation_status_name,
        }),
        other => Err(mismatch(RequestType::CreateTechSchedule, &other)),
    }
}

pub(crate) fn availability(success: OperationSuccess) -> Result<Availability, Error> {
    match success {
        OperationSuccess::Availability(availability) => Ok(availability),
        other => Err(mismatch(RequestType::GetAppointmentAvailability, &other)),
    }
}

pub(crate) fn customer(success: OperationSuccess) -> Result<Customer, Error> {
    match success {
        OperationSuccess::CustomerStatus(customer) => Ok(*customer),
        other => Err(mismatch(RequestType::GetCustomerStatus, &other)),
    }
}

pub(crate) fn unique_id(success: OperationSuccess) -> Result<String, Error> {
    match success {
        OperationSuccess::SecurityTraxUniqueId(id) => Ok(id),
        other => Err(mismatch(RequestType::GetSecurityTraxUniqueId, &other)),
    }
}

pub(crate) fn confirmation_number_updated(
    success: OperationSuccess,
) -> Result<ConfirmationNumberUpdated, Error> {
    match success {
        OperationSuccess::ConfirmationNumberUpdated { message } => {
            Ok(ConfirmationNumberUpdated { message })
        }
        other => Err(mismatch(RequestType::UpdateConfirmationNumber, &other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_extractor_takes_its_own_result() {
        assert_eq!(note_created(OperationSuccess::NoteCreated), Ok(()));
        let created = OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some("Not Confirmed".into()),
        };
        assert_eq!(
            appointment_created(created)
                .unwrap()
                .confirmation_status_name
                .as_deref(),
            Some("Not Confirmed")
        );
        assert_eq!(
            unique_id(OperationSuccess::SecurityTraxUniqueId("2237".into())),
            Ok("2237".into())
        );
        let updated = OperationSuccess::ConfirmationNumberUpdated { message: None };
        assert_eq!(
            confirmation_number_updated(updated),
            Ok(ConfirmationNumberUpdated { message: None })
        );
        assert!(customer(OperationSuccess::CustomerStatus(Box::default())).is_ok());
    }

    #[test]
    fn a_result_of_another_type_is_a_protocol_error() {
        let error = note_created(OperationSuccess::SecurityTraxUniqueId("1".into())).unwrap_err();
        assert_eq!(
            error,
            Error::Protocol {
                detail: "a `AllAccess-GetSecurityTraxUniqueID` result came for a \
                         `CreateCustomerNoteBySecurityTraxUniqueID` request"
                    .into(),
                may_have_executed: true,
            }
        );
        assert!(error.outcome_unknown());
        let read = availability(OperationSuccess::NoteCreated).unwrap_err();
        assert!(matches!(
            read,
            Error::Protocol {
                may_have_executed: false,
                ..
            }
        ));
        assert!(customer(OperationSuccess::NoteCreated).is_err());
        assert!(unique_id(OperationSuccess::NoteCreated).is_err());
        assert!(appointment_created(OperationSuccess::NoteCreated).is_err());
        assert!(confirmation_number_updated(OperationSuccess::NoteCreated).is_err());
    }
}
