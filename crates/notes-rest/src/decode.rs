//! Answers into models: notes, pages, errors.

use bytes::Bytes;
use http::{Response, StatusCode};
use serde::de::DeserializeOwned;
use wire_core::Redactor;

use crate::Operation;
use crate::auth::TokenGrant;
use crate::error::{Error, ServiceError, excerpt};
use crate::models::{Note, Pagination};

/// The name of the response header that describes a page.
pub const PAGINATION_HEADER: &str = "pagination";

/// One page of a list: its notes and, when the service sent it, the
/// `pagination` header.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct NotesPage {
    /// The notes of this page.
    pub notes: Vec<Note>,
    /// The page as the service describes it; `None` when the header is absent
    /// or unreadable (and on `204`).
    pub pagination: Option<Pagination>,
}

/// Any operation's decoded answer ([`decode`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Answer {
    /// A list's page.
    Notes(NotesPage),
    /// One note.
    Note(Box<Note>),
    /// A token.
    Token(TokenGrant),
}

impl Pagination {
    /// Reads the `pagination` header of `response`: `None` when absent or not
    /// the documented JSON.
    #[must_use]
    pub fn of<B>(response: &Response<B>) -> Option<Self> {
        let value = response.headers().get(PAGINATION_HEADER)?;
        serde_json::from_slice(value.as_bytes()).ok()
    }
}

/// Decodes a list's answer: a JSON array of notes, or `204 No Content` as an
/// empty page.
///
/// # Errors
/// [`Error::Service`] for an error status (and [`Error::Authentication`] for
/// `401`), [`Error::Undecodable`] for a body that is not a list of notes.
pub fn decode_notes(response: &Response<Bytes>, redactor: &Redactor) -> Result<NotesPage, Error> {
    check_status(response, redactor)?;
    let pagination = Pagination::of(response);
    if response.status() == StatusCode::NO_CONTENT {
        return Ok(NotesPage {
            notes: Vec::new(),
            pagination,
        });
    }
    let notes = body::<Vec<Note>>(response, redactor)?;
    Ok(NotesPage { notes, pagination })
}

/// Decodes a one-note answer (get, create, update): a JSON object, or an
/// array of exactly one note (the vendor's sample for create is one).
///
/// # Errors
/// As [`decode_notes`]; an empty body or an array of another length is
/// [`Error::Undecodable`].
pub fn decode_note(response: &Response<Bytes>, redactor: &Redactor) -> Result<Note, Error> {
    check_status(response, redactor)?;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OneOrList {
        One(Box<Note>),
        List(Vec<Note>),
    }
    match body::<OneOrList>(response, redactor)? {
        OneOrList::One(note) => Ok(*note),
        OneOrList::List(mut notes) if notes.len() == 1 => Ok(notes.remove(0)),
        OneOrList::List(notes) => Err(Error::Undecodable {
            status: response.status(),
            reason: format!("expected one note, found a list of {}", notes.len()),
            excerpt: excerpt(response.body(), redactor),
        }),
    }
}

/// Decodes the answer to `operation`, whatever it is (for tools that decode
/// captured answers).
///
/// # Errors
/// As the operation's own decoder.
pub fn decode(
    operation: Operation,
    response: &Response<Bytes>,
    redactor: &Redactor,
) -> Result<Answer, Error> {
    match operation {
        Operation::ListCustomerNotes | Operation::ListNotes => {
            decode_notes(response, redactor).map(Answer::Notes)
        }
        Operation::CreateToken | Operation::RefreshToken => {
            TokenGrant::decode(response, redactor).map(Answer::Token)
        }
        Operation::CreateCustomerNote
        | Operation::GetCustomerNote
        | Operation::UpdateCustomerNote => {
            decode_note(response, redactor).map(|note| Answer::Note(Box::new(note)))
        }
    }
}

/// `Ok` for a success status; the error answer otherwise.
pub(crate) fn check_status(response: &Response<Bytes>, redactor: &Redactor) -> Result<(), Error> {
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let error = ServiceError::from_response(response, redactor);
    Err(if status == StatusCode::UNAUTHORIZED {
        Error::Authentication(Box::new(error))
    } else {
        Error::Service(Box::new(error))
    })
}

pub(crate) fn body<T: DeserializeOwned>(
    response: &Response<Bytes>,
    redactor: &Redactor,
) -> Result<T, Error> {
    serde_json::from_slice(response.body()).map_err(|error| Error::Undecodable {
        status: response.status(),
        // serde_json's messages name types and positions, never values.
        reason: error.to_string(),
        excerpt: excerpt(response.body(), redactor),
    })
}
