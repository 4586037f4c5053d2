//! # strax-leads
//!
//! Encodes SecurityTrax lead documents (`<leads><lead>…</lead></leads>`) and customer documents (`<customers>…`), validates their fields (required fields, digits-only phones, two-letter states, enumerated ownership and lead types; optional fields sent as empty elements), and decodes the per-lead responses.
//!
//! This crate is **sans-IO**: it turns typed values into `http::Request`s and
//! `http::Response`s into typed values, and never does IO itself. It must never depend
//! on tokio or any async runtime, reqwest, hyper, sockets, or crmwire's `transport`
//! crate (`cargo xtask tidy` enforces this), so it can be driven by any HTTP stack.
//!
//! Status: a placeholder in the workspace; its operations land with their own issue.
