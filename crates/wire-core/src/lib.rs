#![doc = include_str!("../README.md")]
//!
//! This crate is **sans-IO**: it never depends on tokio, reqwest, hyper,
//! sockets or crmwire's `transport` crate (`cargo xtask tidy` enforces this).

pub mod flow;
pub mod headers;
pub mod redact;
pub mod resend;
pub mod text;
pub mod validation;

pub use redact::Redactor;
pub use resend::Resend;
pub use validation::{Record, Rule, Violation, Violations};
