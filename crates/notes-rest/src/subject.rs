//! What an answer must be about: the customer or the note its request named.
//!
//! A service that answers about another record than the one asked about (a
//! note of another customer in a customer's list, another note than the one
//! fetched or changed) is not believed: the call ends with
//! [`Error::Mismatch`] instead of handing the record to the caller as if it
//! were the one asked for. A note that does not name its customer or its id
//! (the vendor's samples leave both out) cannot contradict the question and
//! passes.

use crate::decode::NotesPage;
use crate::error::Error;
use crate::models::Note;
use crate::pager::List;

/// The record a request names, which its answer must be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Subject {
    /// A customer (listing or adding their notes): every note that names its
    /// customer names this one.
    Customer(i64),
    /// One note (getting or changing it): the note, when it names its id,
    /// has this one.
    Note(i64),
}

impl List {
    /// What each page of this list must be about: `None` for every note of
    /// the business.
    #[must_use]
    pub fn subject(self) -> Option<Subject> {
        match self {
            Self::Customer(customer_id) => Some(Subject::Customer(customer_id)),
            Self::All => None,
        }
    }
}

/// An answer that can be checked against the [`Subject`] of its request.
///
/// ```
/// use notes_rest::{AboutSubject, Subject};
/// use notes_rest::models::Note;
///
/// let note: Note = serde_json::from_str(
///     r#"{"id": 7, "customer_id": 999, "confidential": false, "priority": false,
///         "created_on": "2024-10-06T20:35:16.983Z", "reference_type": "customer", "status": "open"}"#,
/// )
/// .unwrap();
/// assert!(note.check_subject(Subject::Note(7)).is_ok());
/// let error = note.check_subject(Subject::Customer(501)).unwrap_err();
/// assert_eq!(error, "note 7 belongs to customer 999, not to customer 501");
/// ```
pub trait AboutSubject {
    /// `Err` with what contradicts `subject` (ids only, never texts).
    ///
    /// # Errors
    /// A record of the answer names another customer or note.
    fn check_subject(&self, subject: Subject) -> Result<(), String>;
}

impl AboutSubject for Note {
    fn check_subject(&self, subject: Subject) -> Result<(), String> {
        let named =
            |id: Option<i64>| id.map_or_else(|| "a note".to_owned(), |id| format!("note {id}"));
        match subject {
            Subject::Customer(asked) => match self.customer_id {
                Some(other) if other != asked => Err(format!(
                    "{} belongs to customer {other}, not to customer {asked}",
                    named(self.id)
                )),
                _ => Ok(()),
            },
            Subject::Note(asked) => match self.id {
                Some(other) if other != asked => {
                    Err(format!("the answer is note {other}, not note {asked}"))
                }
                _ => Ok(()),
            },
        }
    }
}

impl AboutSubject for NotesPage {
    fn check_subject(&self, subject: Subject) -> Result<(), String> {
        self.notes
            .iter()
            .try_for_each(|note| note.check_subject(subject))
    }
}

/// Checks `answer` against `subject`, as [`Call::about`](crate::Call::about)
/// does: [`Error::Mismatch`] when it is about another record.
///
/// # Errors
/// [`Error::Mismatch`], naming `status` and what contradicts the question.
pub fn check_answer<T: AboutSubject>(
    answer: &T,
    subject: Subject,
    status: http::StatusCode,
) -> Result<(), Error> {
    answer
        .check_subject(subject)
        .map_err(|detail| Error::Mismatch { status, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(id: Option<i64>, customer_id: Option<i64>) -> Note {
        let mut value = serde_json::json!({
            "confidential": false, "priority": false,
            "created_on": "2024-10-06T20:35:16.983Z", "reference_type": "customer", "status": "open"
        });
        if let Some(id) = id {
            value["id"] = id.into();
        }
        if let Some(customer_id) = customer_id {
            value["customer_id"] = customer_id.into();
        }
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_note_of_another_customer_is_refused_and_one_without_a_customer_passes() {
        assert!(
            note(Some(1), Some(501))
                .check_subject(Subject::Customer(501))
                .is_ok()
        );
        assert!(
            note(Some(1), None)
                .check_subject(Subject::Customer(501))
                .is_ok()
        );
        assert_eq!(
            note(None, Some(999)).check_subject(Subject::Customer(501)),
            Err("a note belongs to customer 999, not to customer 501".to_owned())
        );
    }

    #[test]
    fn another_note_than_the_one_asked_for_is_refused() {
        assert!(
            note(Some(7), Some(999))
                .check_subject(Subject::Note(7))
                .is_ok()
        );
        assert!(note(None, None).check_subject(Subject::Note(7)).is_ok());
        assert_eq!(
            note(Some(8), None).check_subject(Subject::Note(7)),
            Err("the answer is note 8, not note 7".to_owned())
        );
    }

    #[test]
    fn one_foreign_note_refuses_the_whole_page() {
        let page = NotesPage {
            notes: vec![
                note(Some(1), Some(501)),
                note(Some(2), Some(999)),
                note(Some(3), None),
            ],
            pagination: None,
        };
        let error = check_answer(&page, Subject::Customer(501), http::StatusCode::OK).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the answer (200 OK) is about another record than the request: \
             note 2 belongs to customer 999, not to customer 501"
        );
        assert!(check_answer(&page, Subject::Customer(999), http::StatusCode::OK).is_err());
        assert_eq!(List::All.subject(), None);
        assert_eq!(List::Customer(501).subject(), Some(Subject::Customer(501)));
    }
}
