#![doc = include_str!("../README.md")]
//!
//! # The parts
//!
//! [`start`] binds a hyper 1 HTTP/1.1 server (by default on `127.0.0.1:0`) on the
//! current tokio runtime and returns a [`SandboxHandle`] with its base URL, fault
//! injection ([`Fault`], [`FAULT_HEADER`]), a request log
//! ([`SandboxHandle::requests_received`]) and graceful shutdown. Request bodies are
//! capped at [`DEFAULT_MAX_REQUEST_BODY`] and reads bounded by
//! [`DEFAULT_BODY_READ_TIMEOUT`] and [`DEFAULT_HEADER_READ_TIMEOUT`] (all set on
//! [`SandboxConfig`]); time comes from a [`Clock`] ([`ManualClock`] in tests,
//! [`RateWindow`] for rate limits).
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
