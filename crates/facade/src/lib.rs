#![doc = include_str!("../README.md")]
//!
//! # The parts
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
//! - [`leads::LeadClient`]: SecurityTrax lead and customer posting in
//!   chunks of a configurable size, each record's outcome accounted for.
//! - [`peoplevine::Client`]: the Peoplevine customer-notes REST API: tokens
//!   obtained and renewed by themselves (one renewal in flight however many
//!   tasks share the client), lists streamed page after page.
//! - [`flow::drive`]: the one driver that runs any sans-IO multi-step flow
//!   (`wire_core::flow::Flow`: a token grant, a refresh, a call, a page) over
//!   a transport.
//! - [`neto::Client`]: the Neto by Maropost API (customer logs, XML or
//!   JSON), paced under its rate limit.
//! - [`neutral`]: the service-neutral API: one small trait per operation
//!   (add a note, list notes, post leads, book an appointment, log a
//!   follow-up) that each service's client implements where it can,
//!   [`neutral::Crm`] over any service (what it lacks is
//!   [`Error::Unsupported`]), and [`neutral::CrmSet`], many CRMs side by
//!   side, each at its own pace.
//! - [`Error`]: one error for every service, whose [`Error::fate`] says what
//!   is known about the request ([`Fate`]: rejected before sending, not
//!   sent, outcome unknown, answered), with what the service said in a
//!   per-service [`ServiceError`], and the underlying error as its
//!   `source()`.
//! - [`RetryConfig`] (from `transport`): how often and how long to wait; see
//!   [Retries](#retries) for which failures are retried.
//!
//! # Retries
//!
//! A facade client never sends a request twice by itself. Each request the
//! protocol crate encodes carries a [`wire_core::Resend`] tag saying what sending it again
//! would mean (a read, an idempotent write, a write never resent blindly),
//! and the transport's one retry policy, [`transport::Retrying`], reads that
//! tag, the failure and the status, and decides. The table of what is
//! retried, when and how often is in `docs/decisions.md` ("Retries decided
//! once"); [`securitytrax::Client::over_http`] uses that policy with the
//! default [`RetryConfig`].
//!
//! Clients are generic over [`transport::Transport`], so a test transport is
//! a closure (see [`securitytrax::Client`]), `transport::Replay` (its feature `replay`), or a
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

pub mod flow;
pub mod leads;
pub mod neto;
pub mod neutral;
pub mod peoplevine;
pub mod securitytrax;

mod error;

pub use error::{Error, Fate, Service, ServiceError, Source, StraxFailure, Unsupported};
pub use transport;
pub use transport::{RetryConfig, Retrying};
pub use wire_core;
