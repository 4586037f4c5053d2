#![doc = include_str!("../README.md")]
//!
//! # The parts
//! - [`Codec`]: encode a typed action ([`AddCustomerLog`], [`UpdateCustomerLog`],
//!   [`GetCustomer`]) into an `http::Request<Bytes>`, and decode the
//!   `http::Response` into an [`Answer`] (the output with its warnings) or a
//!   [`DecodeError`] (`Ack=Error` as [`NetoFailure`], HTTP status, unreadable).
//! - [`Action`]: the generic layer; [`ActionName`] and the field table come
//!   from `fixtures/neto/actions.toml` (`cargo xtask codegen`).
//! - [`read`]: answers read straight into the typed structs, from JSON
//!   (serde) or XML (the strict reader's events), with the service's quirks
//!   tolerated the same way in both.
//! - [`document::Node`]: the tree requests are written from and read into
//!   (server side), in both wire formats.
//! - [`server`]: read requests and write answers, for simulators and tests.
//!
//! This crate is **sans-IO**: it turns typed values into `http::Request`s and
//! `http::Response`s into typed values, and never does IO itself. It must never depend
//! on tokio or any async runtime, reqwest, hyper, sockets, or crmwire's `transport`
//! crate (`cargo xtask tidy` enforces this), so it can be driven by any HTTP stack.

mod action;
mod answer;
mod codec;
mod credentials;
mod datetime;
pub mod document;
mod endpoint;
mod format;
mod generated;
mod log;
pub mod read;
pub mod server;

pub use action::{
    Action, AddCustomerLog, AddedAnswer, AddedLogs, CustomerLogs, Customers, CustomersAnswer,
    GetCustomer, UpdateCustomerLog,
};
pub use answer::{Ack, Answer, Message, NetoFailure};
pub use codec::{Codec, DecodeError, EncodeError, action_of};
pub use credentials::{
    ACCESS_KEY_HEADER, ACTION_HEADER, Credentials, KEY_HEADER, SECRET_HEADERS, SECRET_KEY_HEADER,
    USERNAME_HEADER,
};
pub use datetime::{DATE_TIME_FORMAT, DateTimeError, NO_DATE, NetoDateTime};
pub use endpoint::{API_PATH, Endpoint, EndpointError};
pub use format::{UnknownFormat, WireFormat};
pub use generated::{ActionName, LogStatus};
pub use log::{CustomerLog, CustomerLogUpdate, LOG_RECORD, NewCustomerLog};
