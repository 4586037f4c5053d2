//! SecurityTrax legacy XML API, sans-IO: typed operations, batch encoding to an
//! [`http::Request`], response decoding from an [`http::Response`], and the
//! server side of both for simulators.
//!
//! # The flow of one batch
//! ```text
//! Batch (credentials + operations) ──encode──▶ http::Request<Bytes> ──your HTTP stack──▶
//! http::Response<Bytes> ──Batch::decode_response──▶ Vec<OperationOutcome> (one per operation)
//! ```
//! Nothing here does IO or reads a clock. Reads go to the requester script and
//! writes to the poster script ([`Script`]); [`split_by_script`] splits a mixed list.
//!
//! ```
//! use bytes::Bytes;
//! use strax_xml_protocol::{Batch, CreateTechSchedule, Credentials, Endpoint, OperationSuccess, ServiceType};
//! use jiff::civil::date;
//!
//! let appointment = CreateTechSchedule::new(
//!     "9710",
//!     date(2014, 1, 23).at(7, 30, 0, 0),
//!     date(2014, 1, 23).at(9, 0, 0, 0),
//!     ServiceType::Install,
//! );
//! let batch = Batch::new(Credentials::new("user", "secret", "77"), [appointment.into()]);
//! let request = batch.encode(&Endpoint::securitytrax("acme")?)?;
//! assert!(std::str::from_utf8(request.body())?.contains(">01/23/2014 7:30<"));
//!
//! // …send `request` with any HTTP client, then:
//! let response = http::Response::new(Bytes::from_static(br#"<root><responses>
//!   <response type="GetSystemAuthentication" success="true"><data><message>Authenticated To System</message></data></response>
//!   <response type="CreateTechScheduleBySecurityTraxUniqueID" success="true"><data><ConfirmationStatusName>Not Confirmed</ConfirmationStatusName></data></response>
//! </responses></root>"#));
//! let outcomes = batch.decode_response(&response)?;
//! assert_eq!(
//!     outcomes[0],
//!     Ok(OperationSuccess::AppointmentCreated { confirmation_status_name: Some("Not Confirmed".into()) })
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Retries: the API documents no idempotency; a retried write may create a
//! second note or appointment.

mod batch;
mod credentials;
mod datetime;
mod decode;
mod endpoint;
mod generated;
mod operation;
mod outcome;
pub mod server;
mod spec;
mod validate;

pub use batch::{Batch, EncodeError, REQUEST_CONTENT_TYPE, ScriptBatch, split_by_script};
pub use credentials::Credentials;
pub use decode::{DecodeError, decode_response, decode_response_body};
pub use endpoint::{
    DEFAULT_BASE_URL, DEFAULT_POSTER_SCRIPT, DEFAULT_REQUESTER_SCRIPT, Endpoint, EndpointError,
    Script,
};
pub use generated::{Customer, IdType, NoteType, RequestType, ServiceType, TicketType};
pub use jiff;
pub use operation::{
    CreateCustomerNote, CreateTechSchedule, GetAppointmentAvailability, GetCustomerStatus,
    GetSecurityTraxUniqueId, Operation, UpdateConfirmationNumber,
};
pub use outcome::{Availability, DataText, OperationFailure, OperationOutcome, OperationSuccess};
pub use spec::{FieldKind, FieldSpec};
pub use strict_xml::{ReadError, WriteError, XmlElement};
pub use validate::{FieldError, FieldRule, ValidationError, ValidationErrors};
