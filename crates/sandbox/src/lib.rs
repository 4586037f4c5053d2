//! An embedded simulator of the CRM services crmwire speaks, for demos, tests and
//! users' own integration tests.
//!
//! [`start`] binds a hyper 1 HTTP/1.1 server (by default on `127.0.0.1:0`) on the
//! current tokio runtime and returns a [`SandboxHandle`] with its base URL, fault
//! injection, a request log and graceful shutdown.
//!
//! # Routes
//! Requests are routed in this order:
//! 1. the built-in routes under `/__sandbox/`:
//!    - `GET /__sandbox/health` → 200 `ok`;
//!    - `ANY /__sandbox/echo` → 200 with JSON `{"method", "path", "query", "headers",
//!      "body"}`; the values of the headers the mounted services declare secret
//!      ([`Service::secret_headers`]) and of every header whose name looks secret
//!      ([`wire_core::headers::is_secret_header`]) are replaced by `"<redacted>"`;
//!      `query` is `""` when absent; repeated headers are joined with `", "`;
//!    - `ANY /__sandbox/bytes/<n>` → 200 with `n` bytes of `x`, streamed, Content-Length set;
//!    - `POST /__sandbox/faults` with JSON `{"path_prefix": "/securitytrax/", "fault":
//!      "status=429;retry-after=1", "times": 1}` queues a fault (`times` defaults to 1);
//!      `DELETE /__sandbox/faults` clears them all;
//!    - `GET /__sandbox/services/<service>/<view>` → 200 with a mounted service's JSON
//!      view of its state ([`Service::control`]), e.g.
//!      `/__sandbox/services/securitytrax/lead-arrivals` → `{"00001A321": 1}`: how
//!      many times each `lead_company_unique_id` arrived (also
//!      [`SandboxHandle::lead_arrivals`]);
//! 2. mounted [`Service`]s by their first path segment (`/{name}/...`);
//! 3. anything else → 404 with a JSON error.
//!
//! Request bodies are capped ([`DEFAULT_MAX_REQUEST_BODY`], 8 MiB, by default) → 413.
//! Reading is bounded in time: a body not fully arrived [`DEFAULT_BODY_READ_TIMEOUT`]
//! (10 s) after its head → 408 and the connection closed; a request head not fully
//! arrived within [`DEFAULT_HEADER_READ_TIMEOUT`] (10 s) → the connection closed
//! (both configurable on [`SandboxConfig`]).
//! Every request read in full is counted per path; see [`SandboxHandle::requests_received`].
//!
//! # Faults
//! A request can ask for faults with the [`FAULT_HEADER`] header `x-sandbox-fault`,
//! whose value is `directive(;directive)*`:
//!
//! | directive | effect |
//! |---|---|
//! | `delay=<ms>` | wait, then answer normally |
//! | `status=<code>` | answer that status (200–599) with a short JSON error body |
//! | `retry-after=<value>` | with `status`: add the `Retry-After` header |
//! | `close` | read the request, then close the connection without a response |
//! | `close-after-processing` | let the mounted service act on the request, then close without its response |
//! | `truncate` | send the Content-Length of the full body, half of it, then close |
//! | `garbage` | 200 with a body that is neither XML nor JSON |
//! | `oversize=<bytes>` | 200 with a streamed body of that many bytes |
//! | `stall-body=<ms>` | headers at once, the body after the delay |
//!
//! A list may hold one `delay` plus one answer-shaping directive. An unknown or
//! malformed directive is answered 400 with a message naming it. Faults queued with
//! [`SandboxHandle::inject_fault`] or the control endpoint apply before the header's:
//! delays add up and the queued answer wins. See [`Fault`] for which faults still call
//! the mounted service.
//!
//! # Using it in your own integration test
//! ```
//! use sandbox::{Fault, SandboxConfig};
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = sandbox::start(SandboxConfig::new()).await?;
//! // Point your client at `sandbox.base_url()`; here a raw HTTP/1.1 request will do.
//! sandbox.inject_fault("/__sandbox/echo", Fault::Status { status: 503, retry_after: None }, 1);
//!
//! let mut stream = tokio::net::TcpStream::connect(sandbox.local_addr()).await?;
//! stream
//!     .write_all(b"GET /__sandbox/echo HTTP/1.1\r\nhost: sandbox\r\nconnection: close\r\n\r\n")
//!     .await?;
//! let mut answer = String::new();
//! stream.read_to_string(&mut answer).await?;
//! assert!(answer.starts_with("HTTP/1.1 503"));
//! assert_eq!(sandbox.requests_received("/__sandbox/echo"), 1);
//!
//! sandbox.shutdown().await;
//! # Ok(())
//! # }
//! ```
//!
//! # Simulated services
//! [`SandboxConfig::with_all_services`] mounts every simulated service this crate has,
//! each with its demo data:
//! - [`securitytrax`]: the SecurityTrax legacy XML API at `/securitytrax`, and its
//!   lead and customer post at `/securitytrax/{site}/leadpostxml.php`.
//! - [`peoplevine`]: the Peoplevine customer-notes REST API at `/peoplevine`.
//! - [`neto`]: the Neto by Maropost API (customer logs, XML and JSON) at `/neto`.
//!
//! # Time
//! The sandbox and its services read time from one [`Clock`]: the real one by
//! default, or a [`ManualClock`] given with [`SandboxConfig::clock`] that a test
//! moves forward with [`ManualClock::advance`], so that token expiry, rate windows
//! ([`RateWindow`]) and stored stamps are testable without sleeping. The sandbox
//! attaches the clock to every request it hands to a service; the service reads it
//! with [`Clock::of`]. Wire timing (fault delays, read timeouts) stays real.
//!
//! # Mounting a simulated service
//! Implement [`Service`] and pass it to [`SandboxConfig::service`]; it then answers
//! everything under `/{name}/`.
//!
//! This crate must never depend on `transport` or `facade`: their tests depend on it.

mod body;
mod builtin;
mod clock;
mod config;
mod error;
mod fault;
mod handler;
pub mod neto;
pub mod peoplevine;
pub mod securitytrax;
mod server;
mod service;
mod state;

pub use clock::{Clock, ManualClock, RateWindow};
pub use config::{
    DEFAULT_BODY_READ_TIMEOUT, DEFAULT_HEADER_READ_TIMEOUT, DEFAULT_MAX_REQUEST_BODY,
    DEFAULT_SHUTDOWN_TIMEOUT, SandboxConfig,
};
pub use error::SandboxError;
pub use fault::{FAULT_HEADER, Fault, FaultDirectiveError, MAX_FAULT_DELAY_MS};
pub use neto::NetoService;
pub use peoplevine::PeoplevineService;
pub use securitytrax::SecurityTraxService;
pub use server::{SandboxHandle, serve_until, start};
pub use service::Service;
