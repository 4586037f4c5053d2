#![doc = include_str!("../README.md")]
//!
//! This crate is **sans-IO**: it turns typed values into `http::Request`s and
//! `http::Response`s into typed values, and never does IO itself. It must never depend
//! on tokio or any async runtime, reqwest, hyper, sockets, or crmwire's `transport`
//! crate (`cargo xtask tidy` enforces this), so it can be driven by any HTTP stack.

mod auth;
mod call;
mod decode;
mod endpoint;
mod error;
mod generated;
mod pager;
mod patch;
mod subject;
mod time;

pub use auth::{Auth, Bearer, Grant, REFRESH_MARGIN, TOKEN_LIFETIME, TokenGrant, refresh_request};
pub use call::{Call, CallOutcome, Decoder};
pub use decode::{Answer, NotesPage, PAGINATION_HEADER, decode, decode_note, decode_notes};
pub use endpoint::{
    DEFAULT_BASE_URL, Endpoint, MAX_PAGE_SIZE, PageRequest, REGION_HEADER, segment,
};
pub use error::{EXCERPT_CHARS, Error, RetryAfter, ServiceError, excerpt};
pub use generated::operations::Operation;
pub use pager::{List, MAX_PAGES, Pager};
pub use patch::Patch;
pub use subject::{AboutSubject, Subject, check_answer};
pub use time::{Timestamp, TimestampError};

/// The models of `fixtures/peoplevine/openapi.json` (generated).
pub mod models {
    pub use crate::generated::models::*;
}
pub use models::{
    CustomerSummary, ErrorBody, NewNote, Note, NoteAssignee, NoteMessage, NoteReferenceType,
    NoteStatus, NoteUpdate, Pagination, Phone, User,
};
