//! What crmwire's call path costs, measured beside bare baselines in the same
//! run, on loopback.
//!
//! The `call-path-bench` command (see the crate README and
//! `docs/benchmarks.md`) is built from these pieces:
//!
//! - [`cpu::process_cpu_time`]: user + system CPU time of the whole process;
//! - [`RequestTemplate`]: the exact request the facade sends for an
//!   [`Operation`], captured on the wire, so the bare clients post the same
//!   bytes to the same route;
//! - [`Driver`]: one way of sending that request (facade over the hyper or
//!   reqwest backend, a bare hyper-util client, a bare reqwest client);
//! - [`run_load`]: a bounded load (request count, in-flight requests, deadline)
//!   that counts what completed;
//! - [`MinimalServer`] and [`start_sandbox`]: the two servers compared;
//! - [`child::ServerProcess`] and [`child::serve`]: either server in a child
//!   process that reports its own CPU time, so client and server CPU are
//!   measured apart;
//! - [`mod@bench`]: the runs, the ratios and the table.

pub mod bench;
pub mod child;
pub mod cpu;
mod driver;
mod load;
mod minimal;
mod stats;
mod template;

pub use driver::{ClientKind, Driver};
pub use load::{LoadOutcome, LoadSpec, run_load};
pub use minimal::{MinimalServer, RecordedRequest};
pub use stats::Spread;
pub use template::{
    CUSTOMER, Operation, RequestTemplate, capture_template, facade_client, start_sandbox,
};
