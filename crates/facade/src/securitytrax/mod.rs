//! The typed SecurityTrax client (legacy XML API).
//!
//! [`Client`] wires the sans-IO [`strax_xml_protocol`] codec to a
//! [`Transport`](transport::Transport): [`Client::call`] with each operation's
//! own result type ([`Call`]), a named method per documented operation,
//! a [`BatchBuilder`] for several operations in one call (each result read
//! with its own type through a [`Slot`]), and
//! [`PreparedRequest`]s for dry runs. The protocol's types needed to call it
//! are re-exported here; the whole protocol crate is [`protocol`].
//!
//! | method | request type | kind | result |
//! |---|---|---|---|
//! | [`Client::add_customer_note`] | `CreateCustomerNoteBySecurityTraxUniqueID` | write | `()` |
//! | [`Client::create_tech_schedule`] | `CreateTechScheduleBySecurityTraxUniqueID` | write | [`AppointmentCreated`] |
//! | [`Client::appointment_availability`] | `GetIfAppointmentAvailableByLocationInfo` | read | [`Availability`] |
//! | [`Client::customer_status`] | `AllAccess-GetCustomerStatusBySecurityTraxUniqueID` | read | [`Customer`] |
//! | [`Client::find_unique_id`] | `AllAccess-GetSecurityTraxUniqueID` | read | the id |
//! | [`Client::update_confirmation_number`] | `UpdateConfirmationNumberBySecurityTraxUniqueID` | write | [`ConfirmationNumberUpdated`] |
//!
//! The client also implements the service-neutral traits of
//! [`crate::neutral`].

mod batch;
mod call;
mod client;
mod exchange;
pub(crate) mod neutral;
mod prepared;
mod trace;

pub use batch::{BatchBuilder, BatchResults, Slot};
pub use call::{AppointmentCreated, Call, ConfirmationNumberUpdated};
pub use client::Client;
pub use prepared::{PreparedRequest, REDACTED_PASSWORD};
pub use strax_xml_protocol as protocol;
pub use strax_xml_protocol::{
    Availability, CreateCustomerNote, CreateTechSchedule, Credentials, Customer, DataText,
    Endpoint, EndpointError, FailureKind, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, IdType, NoteType, Operation, OperationFailure, OperationOutcome,
    OperationSuccess, RequestType, Script, ServiceType, TicketType, UpdateConfirmationNumber,
};

#[cfg(test)]
mod tests;
