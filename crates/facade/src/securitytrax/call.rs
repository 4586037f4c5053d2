//! [`Call`]: each SecurityTrax operation with its own result type, so
//! [`Client::call`](super::Client::call) returns what that operation gives.

use strax_xml_protocol::{
    Availability, CreateCustomerNote, CreateTechSchedule, Customer, GetAppointmentAvailability,
    GetCustomerStatus, GetSecurityTraxUniqueId, Operation, OperationOutcome, OperationSuccess,
    RequestType, Script, UpdateConfirmationNumber,
};

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

mod sealed {
    pub trait Sealed {}
}

/// A SecurityTrax operation and the type of its result.
///
/// | operation | request type | kind | [`Output`](Self::Output) |
/// |---|---|---|---|
/// | [`CreateCustomerNote`] | `CreateCustomerNoteBySecurityTraxUniqueID` | write | `()` |
/// | [`CreateTechSchedule`] | `CreateTechScheduleBySecurityTraxUniqueID` | write | [`AppointmentCreated`] |
/// | [`GetAppointmentAvailability`] | `GetIfAppointmentAvailableByLocationInfo` | read | [`Availability`] |
/// | [`GetCustomerStatus`] | `AllAccess-GetCustomerStatusBySecurityTraxUniqueID` | read | [`Customer`] |
/// | [`GetSecurityTraxUniqueId`] | `AllAccess-GetSecurityTraxUniqueID` | read | the id (`String`) |
/// | [`UpdateConfirmationNumber`] | `UpdateConfirmationNumberBySecurityTraxUniqueID` | write | [`ConfirmationNumberUpdated`] |
///
/// Sealed: the operations are the protocol's.
pub trait Call: Into<Operation> + sealed::Sealed {
    /// What the operation gives back.
    type Output;

    /// The operation's request type.
    const REQUEST_TYPE: RequestType;

    /// The result, when `success` answers this operation's request type
    /// (the decoder pairs answers with requests by type, so `None` means the
    /// decoder and this table disagree).
    #[doc(hidden)]
    fn output(success: OperationSuccess) -> Option<Self::Output>;
}

/// `outcome`, the answer to a `C`, as `C`'s own result: a failed operation
/// is its [`Error`], and a success of another request type (the decoder and
/// [`Call`]'s table disagreeing) an unreadable answer.
pub(crate) fn output_of<C: Call>(outcome: OperationOutcome) -> Result<C::Output, Error> {
    let success = outcome.map_err(Error::from_strax_operation)?;
    let found = success.request_type();
    C::output(success).ok_or_else(|| Error::Unreadable {
        detail: format!(
            "a `{}` result came for a `{}` request",
            found.wire_name(),
            C::REQUEST_TYPE.wire_name()
        ),
        may_have_executed: C::REQUEST_TYPE.script() == Script::Poster,
        source: None,
    })
}

macro_rules! call {
    ($operation:ty, $request_type:ident, $output:ty, |$success:ident| $body:expr) => {
        impl sealed::Sealed for $operation {}
        impl Call for $operation {
            type Output = $output;
            const REQUEST_TYPE: RequestType = RequestType::$request_type;
            fn output($success: OperationSuccess) -> Option<Self::Output> {
                $body
            }
        }
    };
}

call!(
    CreateCustomerNote,
    CreateCustomerNote,
    (),
    |success| match success {
        OperationSuccess::NoteCreated => Some(()),
        _ => None,
    }
);
call!(
    CreateTechSchedule,
    CreateTechSchedule,
    AppointmentCreated,
    |success| match success {
        OperationSuccess::AppointmentCreated {
            confirmation_status_name,
        } => Some(AppointmentCreated {
            confirmation_status_name,
        }),
        _ => None,
    }
);
call!(
    GetAppointmentAvailability,
    GetAppointmentAvailability,
    Availability,
    |success| match success {
        OperationSuccess::Availability(availability) => Some(availability),
        _ => None,
    }
);
call!(
    GetCustomerStatus,
    GetCustomerStatus,
    Customer,
    |success| match success {
        OperationSuccess::CustomerStatus(customer) => Some(*customer),
        _ => None,
    }
);
call!(
    GetSecurityTraxUniqueId,
    GetSecurityTraxUniqueId,
    String,
    |success| match success {
        OperationSuccess::SecurityTraxUniqueId(id) => Some(id),
        _ => None,
    }
);
call!(
    UpdateConfirmationNumber,
    UpdateConfirmationNumber,
    ConfirmationNumberUpdated,
    |success| match success {
        OperationSuccess::ConfirmationNumberUpdated { message } => {
            Some(ConfirmationNumberUpdated { message })
        }
        _ => None,
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_takes_its_own_result_and_no_other() {
        assert_eq!(
            CreateCustomerNote::output(OperationSuccess::NoteCreated),
            Some(())
        );
        let created = OperationSuccess::AppointmentCreated {
            confirmation_status_name: Some("Not Confirmed".into()),
        };
        assert_eq!(
            CreateTechSchedule::output(created)
                .unwrap()
                .confirmation_status_name
                .as_deref(),
            Some("Not Confirmed")
        );
        assert_eq!(
            GetSecurityTraxUniqueId::output(OperationSuccess::SecurityTraxUniqueId("2237".into())),
            Some("2237".into())
        );
        assert!(
            GetCustomerStatus::output(OperationSuccess::CustomerStatus(Box::default())).is_some()
        );
        assert_eq!(
            UpdateConfirmationNumber::output(OperationSuccess::ConfirmationNumberUpdated {
                message: None
            }),
            Some(ConfirmationNumberUpdated { message: None })
        );
        assert_eq!(
            CreateCustomerNote::output(OperationSuccess::SecurityTraxUniqueId("1".into())),
            None
        );
        assert!(GetAppointmentAvailability::output(OperationSuccess::NoteCreated).is_none());
        assert!(GetCustomerStatus::output(OperationSuccess::NoteCreated).is_none());
    }

    #[test]
    fn each_operation_names_its_request_type() {
        assert_eq!(
            CreateCustomerNote::REQUEST_TYPE,
            RequestType::CreateCustomerNote
        );
        assert_eq!(
            GetCustomerStatus::REQUEST_TYPE,
            RequestType::GetCustomerStatus
        );
    }
}
