//! Operations to decode answers against, for tests that think in request
//! types: one valid operation of each type, about customer 1.

#![allow(dead_code, unreachable_pub)]

use jiff::civil::date;
use strax_xml_protocol::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, IdType, NoteType, Operation, RequestType, ServiceType,
    UpdateConfirmationNumber,
};

/// The customer every operation of [`operation`] is about.
pub const CUSTOMER: &str = "1";

/// A valid operation of type `request_type`, about customer [`CUSTOMER`].
pub fn operation(request_type: RequestType) -> Operation {
    let start = date(2026, 3, 1).at(8, 0, 0, 0);
    let end = date(2026, 3, 1).at(9, 0, 0, 0);
    match request_type {
        RequestType::CreateCustomerNote => {
            CreateCustomerNote::new(CUSTOMER, "s", "t", NoteType::Sales).into()
        }
        RequestType::CreateTechSchedule => {
            CreateTechSchedule::new(CUSTOMER, start, end, ServiceType::Install).into()
        }
        RequestType::GetAppointmentAvailability => {
            let mut query = GetAppointmentAvailability::new(start, end);
            query.city = Some("Springfield".into());
            query.into()
        }
        RequestType::GetSecurityTraxUniqueId => GetSecurityTraxUniqueId {
            id_type: IdType::PhoneNumber,
            id: "5555550100".into(),
        }
        .into(),
        RequestType::UpdateConfirmationNumber => UpdateConfirmationNumber {
            security_trax_unique_id: CUSTOMER.into(),
            confirmation_number: "206".into(),
        }
        .into(),
        _ => GetCustomerStatus {
            security_trax_unique_id: CUSTOMER.into(),
        }
        .into(),
    }
}

/// One operation of each of `types`.
pub fn operations(types: &[RequestType]) -> Vec<Operation> {
    types.iter().copied().map(operation).collect()
}
