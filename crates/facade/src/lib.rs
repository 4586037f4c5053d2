//! Typed async clients for the CRM services crmwire speaks, and one
//! service-neutral API over them.
//!
//! A facade call is the whole flow of the workspace in one method:
//!
//! ```text
//! typed operation ──validate + encode (protocol crate)──▶ http::Request<Bytes>
//!   ──Transport, with the retry policy──▶ http::Response<Bytes>
//!   ──decode (protocol crate)──▶ typed result, or facade::Error
//! ```
//!
//! - [`securitytrax::Client`]: the SecurityTrax legacy XML API, one method
//!   per operation, batches, and dry-run requests.
//! - [`neutral`]: small capability traits ([`neutral::CustomerNotes`],
//!   [`neutral::AppointmentBooking`]) that any service's client implements.
//! - [`Error`]: invalid input, not sent (safe to retry), outcome unknown
//!   (check the CRM before resending), timeout, HTTP status, undecodable
//!   answer, authentication failure, refused operation; with
//!   [`Error::is_retry_safe`] and [`Error::outcome_unknown`].
//! - [`RetryConfig`] (from `transport`): how often and how long to wait; see
//!   [Retries](#retries) for which failures are retried.
//!
//! # Retries
//!
//! *Which* failures may be followed by another attempt depends on the kind of
//! request, not on configuration:
//!
//! - **reads** (idempotent) are retried after a transport failure that says the
//!   request was not sent, a connection that broke after sending, a connect
//!   timeout, and the statuses `429`, `502`, `503` and `504` (honouring
//!   `Retry-After` up to the schedule's maximum delay; a longer `Retry-After`
//!   ends the retries);
//! - **writes** (notes, appointments, confirmation numbers) are retried **only**
//!   when the transport proves the request was not sent (connection refused, DNS
//!   or TLS failure, connect timeout). Never after a connection broke
//!   mid-exchange, a total timeout or any HTTP status: the write may have been
//!   executed.
//!
//! A total timeout is never retried, for reads either: a slow service is not
//! helped by more load.
//!
//! Clients are generic over [`transport::Transport`], so a test transport is
//! a closure (see [`securitytrax::Client`]), a [`transport::Replay`], or a
//! real backend ([`transport::HttpTransport`]: cargo features `reqwest`, on
//! by default, and `hyper`).
//!
//! # Tracing
//! Each operation runs in an `INFO` span `securitytrax_operation` with the
//! field `operation` (the request type); a batch in `securitytrax_batch`
//! with the number of operations, each document in a `DEBUG` span
//! `securitytrax_document` with its `script`. The `customer_id` field (a
//! SecurityTrax unique id) is filled only when `DEBUG` is enabled for this
//! crate. Passwords are never recorded; phone numbers, account numbers, note
//! texts and the service's answers never above `TRACE`. The transport adds
//! its `http_request` span inside.

pub mod neutral;
pub mod securitytrax;

mod error;
mod retry;

pub use error::Error;
pub use transport;
pub use transport::RetryConfig;
