#![doc = include_str!("../README.md")]
//!
//! # The flow of one batch
//! ```text
//! Batch (credentials + operations) ──encode──▶ http::Request<Bytes> ──your HTTP stack──▶
//! http::Response<Bytes> ──Batch::decode_response──▶ Vec<OperationOutcome> (one per operation)
//! ```
//! Nothing here does IO or reads a clock. Reads go to the requester script and
//! writes to the poster script ([`Script`]); [`split_by_script`] splits a mixed list.
//!
//! # What a decode error means, and what a failed outcome means
//! [`decode_response`] says as much as it can per operation. It returns
//! `Ok` with exactly one [`OperationOutcome`] per operation sent, in order,
//! whenever the authentication response reads as a success and there are not
//! more responses than requests; an operation without a result is an `Err`
//! outcome whose [`FailureKind`] says why:
//!
//! | kind | the service… | [`OperationFailure::outcome_unknown`] |
//! |---|---|---|
//! | [`FailureKind::Refused`] | answered `success="false"` (its texts are kept) | `false` |
//! | [`FailureKind::Undecodable`] | answered, but unreadably: a success without its result element, a response of another type, a `success` that is not `true`/`false` | `true` |
//! | [`FailureKind::NoResponse`] | ended its list of responses before this operation | `true` |
//!
//! An unknown outcome matters for writes: the note or appointment may or may
//! not exist, so check the CRM before sending it again (reads change nothing).
//! Operations answered properly keep their results whatever happened to the
//! others.
//!
//! A [`DecodeError`] is left only for answers about which nothing can be said
//! per operation: a non-2xx status, a body that is not XML or has another
//! root, no `<responses>`, a missing, mistyped or unreadable authentication
//! response, failed authentication ([`DecodeError::AuthenticationFailed`]:
//! nothing was executed), or more responses than requests (they cannot be
//! matched to the operations).
//!
//! Texts the service sent are kept exactly (entities resolved, line ends
//! normalised as XML requires, nothing trimmed); only the best-effort
//! availability reading and the SecurityTrax unique id are trimmed, and a
//! blank optional result (e.g. an empty `<ConfirmationStatusName/>`) is `None`.
//!
//! # Secrets and personal data
//! - The password is a [`secrecy::SecretString`]; [`Credentials`]' `Debug`
//!   redacts it. The request document and [`Batch::encode`]'s request hold it
//!   in clear text (and `http::Request`'s `Debug` prints the body): print
//!   [`Batch::encode_redacted_for_display`] instead.
//! - Every `<system_request>` echo in a response (it repeats the request,
//!   password included) is dropped unread, at any depth; body excerpts in
//!   errors are cut at the first `password` or `<system_request`.
//! - [`Batch::decode_response`] passes every text the service sent (messages,
//!   results, customer fields known and unknown, availability texts, names
//!   quoted in errors, body excerpts) through the credentials'
//!   [`Redactor`]: a password quoted back, as is or
//!   XML-escaped, reads `[redacted]`. The free [`decode_response`] knows no
//!   secret and redacts nothing.
//! - `Debug` of [`Customer`] and of the operations shows addresses, phones,
//!   email and coordinates as `[personal]`, note texts as `[text]`, and only
//!   the names of a customer's undocumented fields.
//!
//! Retries: the API documents no idempotency; a retried write may create a
//! second note or appointment.

mod batch;
mod credentials;
mod datetime;
mod decode;
mod endpoint;
pub mod envelope;
mod generated;
mod operation;
mod outcome;
pub mod server;
mod spec;
mod validate;

pub use batch::{
    Batch, EncodeError, REDACTED_PASSWORD, REQUEST_CONTENT_TYPE, REQUESTS_FIELD, ScriptBatch,
    split_by_script,
};
pub use credentials::Credentials;
pub use datetime::{format_wire as format_wire_datetime, parse_wire as parse_wire_datetime};
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
pub use outcome::{
    Availability, DataText, FailureKind, OperationFailure, OperationOutcome, OperationSuccess,
};
pub use spec::{FieldKind, FieldSpec};
pub use strict_xml::{ReadError, WriteError, XmlElement};
pub use validate::{OPERATION_RECORD, operation_record};
pub use wire_core::validation::{Record, Rule, Violation, Violations};
pub use wire_core::{self, Redactor};
