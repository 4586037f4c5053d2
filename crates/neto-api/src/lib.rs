//! # neto-api
//!
//! Encodes Neto `AddCustomerLog`, `UpdateCustomerLog` and `GetCustomer` (customer logs) requests in XML or JSON with their `NETOAPI_*` headers, and decodes `Ack`, `Messages` and the one-or-many JSON fields of the responses.
//!
//! This crate is **sans-IO**: it turns typed values into `http::Request`s and
//! `http::Response`s into typed values, and never does IO itself. It must never depend
//! on tokio or any async runtime, reqwest, hyper, sockets, or crmwire's `transport`
//! crate (`cargo xtask tidy` enforces this), so it can be driven by any HTTP stack.
//!
//! Status: a placeholder in the workspace; its operations land with their own issue.
