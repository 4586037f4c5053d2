#![doc = include_str!("../README.md")]
//!
//! # The driving contract
//!
//! 1. The caller builds a complete `http::Request<Bytes>` with an absolute
//!    `https://` URI (plain `http://` only to loopback unless
//!    [`TransportConfig::with_allow_plain_http`]).
//! 2. [`Transport::send`] returns `Ok` with the **whole** response, whatever
//!    its status: `4xx`, `5xx` and `3xx` (redirects are never followed) are
//!    answers for the caller to interpret.
//! 3. `Err(`[`TransportError`]`)` means no complete response; its
//!    [`kind`](TransportError::kind) says whether the request provably never
//!    left ([`is_retry_safe`](TransportError::is_retry_safe)) or may have been
//!    acted on ([`outcome_unknown`](TransportError::outcome_unknown)); the
//!    HTTP stack's own error is its [`source`](std::error::Error::source).
//! 4. Policies wrap transports and are transports. [`Retrying`] is the one
//!    place crmwire decides whether to send a request again: it reads the
//!    request's [`wire_core::Resend`] tag, the failure and the status (the
//!    rules: [one table in `docs/decisions.md`][retries]). [`Paced`] keeps a
//!    request rate and, on a `429` with `Retry-After`, pauses every caller;
//!    it never resends by itself.
//!
//!    **Stack order:** `Retrying<Paced<HttpTransport>>`, so that every
//!    attempt, resends included, waits for its turn in the rate and for any
//!    `429` pause. The configured timeouts bound one attempt: a call through
//!    the policies can take attempts × timeout plus backoff and `429`
//!    pauses. How many attempts a call took reaches the caller:
//!    [`TransportError::attempts`], or the [`Attempts`] extension of a
//!    response.
//!
//! [retries]: https://github.com/crmwire/crmwire/blob/main/docs/decisions.md#retries-decided-once
//!
//! Any closure from request to future of result is a transport, so tests need
//! no sockets (the example at the top of this page).
//!
//! With a real backend (cargo features `reqwest`, on by default, and `hyper`;
//! both use rustls with the ring provider and the `webpki-roots` trust store):
//!
//! ```no_run
//! use std::num::NonZeroU32;
//! use transport::{Backend, HttpTransport, PaceConfig, Paced, RetryConfig, Retrying, TransportConfig};
//!
//! let http = HttpTransport::new(Backend::Reqwest, TransportConfig::default())?;
//! let transport = Retrying::new(
//!     Paced::new(http, PaceConfig::per_minute(NonZeroU32::new(500).unwrap())),
//!     RetryConfig::default(),
//! );
//! # drop(transport);
//! # Ok::<(), transport::TransportBuildError>(())
//! ```
//!
//! # Your own HTTP stack
//!
//! - An existing `reqwest::Client`: [`ReqwestTransport::from_client`].
//! - Any `tower::Service<http::Request<Bytes>, Response = http::Response<B>>`:
//!   [`ServiceTransport`].
//!
//! Either way the body cap, the total timeout and the classification of
//! failures still apply.
//!
//! # Cargo features
//!
//! - `reqwest` (default): [`ReqwestTransport`].
//! - `hyper`: [`HyperTransport`].
//! - `replay` (off): [`Replay`], a test transport answering from recorded
//!   exchanges; brings `serde`, `serde_json` and `base64`. Crates whose
//!   tests use it enable it in their dev-dependencies.
//!
//! # Tracing
//!
//! The HTTP backends open one `http_request` span (level `DEBUG`) per request
//! with the fields `method`, `host`, `path` (never the query string),
//! `status` and `duration_ms`. Header values and bodies are never recorded.

mod backend;
mod body;
#[cfg(any(feature = "reqwest", feature = "hyper"))]
mod classify;
mod config;
mod error;
mod pace;
mod pipeline;
mod prepare;
#[cfg(feature = "replay")]
mod replay;
mod retry;
mod retry_after;
mod service;
#[cfg(any(feature = "reqwest", feature = "hyper"))]
mod tls;
mod transport;

#[cfg(feature = "hyper")]
pub use backend::hyper::HyperTransport;
#[cfg(feature = "reqwest")]
pub use backend::reqwest::ReqwestTransport;
pub use backend::{Backend, HttpTransport, UnknownBackend};
pub use config::{DEFAULT_BODY_LIMIT, DEFAULT_USER_AGENT, RequestTimeout, TransportConfig};
pub use error::{Cause, ErrorKind, TimeoutPhase, TransportBuildError, TransportError};
pub use pace::{PaceConfig, Paced};
#[cfg(feature = "replay")]
pub use replay::{
    Exchange, ExpectedRequest, RecordedError, RecordedOutcome, RecordedResponse, Replay,
    ReplayError, ReplayMismatch,
};
pub use retry::{Attempts, RetryConfig, Retrying};
pub use retry_after::parse_retry_after;
pub use service::ServiceTransport;
pub use transport::Transport;
