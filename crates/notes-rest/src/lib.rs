//! # notes-rest
//!
//! Builds the Peoplevine customer-notes requests (list, create, read, update notes; `POST /api/token` and its refresh), decodes their JSON and error bodies, and follows the `pagination` header, as state machines that return the next request to send.
//!
//! This crate is **sans-IO**: it turns typed values into `http::Request`s and
//! `http::Response`s into typed values, and never does IO itself. It must never depend
//! on tokio or any async runtime, reqwest, hyper, sockets, or crmwire's `transport`
//! crate (`cargo xtask tidy` enforces this), so it can be driven by any HTTP stack.
//!
//! Status: a placeholder in the workspace; its operations land with their own issue.
