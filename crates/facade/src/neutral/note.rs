//! Customer notes: adding one, listing a customer's.

use std::fmt;

/// A customer, by the service's own id for it: for SecurityTrax the
/// SecurityTrax unique id, for Peoplevine the customer's id (digits), for
/// Neto the customer's username.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CustomerRef(String);

impl CustomerRef {
    /// The customer with the service's id `id`.
    pub fn new(id: impl Into<String>) -> Self {
        Self(id.into())
    }

    /// The id.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CustomerRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoteKind {
    /// Sales: offers, contracts, follow-ups.
    Sales,
    /// Technical: installation and service work.
    Technician,
    /// About a lead not yet a customer.
    Lead,
}

impl NoteKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Sales, Self::Technician, Self::Lead];

    /// A short, stable name (`sales`, `technician`, `lead`): also the
    /// Peoplevine note `type` it is written as.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sales => "sales",
            Self::Technician => "technician",
            Self::Lead => "lead",
        }
    }

    /// The kind named `name` (as [`as_str`](Self::as_str) writes it,
    /// ASCII case ignored).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

impl fmt::Display for NoteKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Adds a note to a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddCustomerNote {
    /// The customer.
    pub customer: CustomerRef,
    /// A short subject line.
    pub subject: String,
    /// The note itself.
    pub text: String,
    /// What the note is about.
    pub kind: NoteKind,
}

impl AddCustomerNote {
    /// A note about `customer`.
    pub fn new(
        customer: CustomerRef,
        subject: impl Into<String>,
        text: impl Into<String>,
        kind: NoteKind,
    ) -> Self {
        Self {
            customer,
            subject: subject.into(),
            text: text.into(),
            kind,
        }
    }
}

/// A note was added.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct NoteAdded {
    /// The service's id of the new note, when the service returns one
    /// (SecurityTrax does not).
    pub note_id: Option<String>,
}

/// Lists a customer's notes, at most [`limit`](Self::limit) of them.
///
/// The bound holds whatever the service sends: a service that pages its
/// lists is not asked for more pages once the limit is reached, and a longer
/// answer is cut at the limit, so a server that never stops paging cannot
/// fill the caller's memory.
///
/// ```
/// use facade::neutral::{CustomerRef, ListNotes};
///
/// let request = ListNotes::new(CustomerRef::new("501")).with_limit(50);
/// assert_eq!(request.limit, 50);
/// assert_eq!(ListNotes::new(CustomerRef::new("501")).limit, ListNotes::DEFAULT_LIMIT);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ListNotes {
    /// The customer.
    pub customer: CustomerRef,
    /// The most notes returned (the first ones, in the service's order).
    pub limit: usize,
}

impl ListNotes {
    /// How many notes a listing returns unless told otherwise.
    pub const DEFAULT_LIMIT: usize = 1_000;

    /// The notes of `customer`, at most [`ListNotes::DEFAULT_LIMIT`].
    pub fn new(customer: CustomerRef) -> Self {
        Self {
            customer,
            limit: Self::DEFAULT_LIMIT,
        }
    }

    /// At most `limit` notes.
    #[must_use]
    pub fn with_limit(mut self, limit: usize) -> Self {
        self.limit = limit;
        self
    }
}

/// A note as a service lists it; what a service does not keep is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CustomerNote {
    /// The service's id of the note.
    pub id: Option<String>,
    /// Its subject (Neto logs have none).
    pub subject: Option<String>,
    /// The note itself.
    pub text: Option<String>,
    /// Its kind, when the service keeps one this crate knows.
    pub kind: Option<NoteKind>,
    /// When it was written (Peoplevine) or the customer last contacted (Neto).
    pub at: Option<jiff::Timestamp>,
}
