//! Logging a follow-up: someone must contact the customer again.

use super::CustomerRef;

/// Records that a customer must be contacted again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFollowUp {
    /// The customer.
    pub customer: CustomerRef,
    /// What happened and what to follow up on.
    pub notes: String,
    /// By when the follow-up is due.
    pub due: Option<jiff::Timestamp>,
    /// Who follows up.
    pub assigned_to: Option<String>,
    /// How to follow up (e.g. `Phone call`).
    pub method: Option<String>,
    /// When the customer was last contacted.
    pub last_contacted: Option<jiff::Timestamp>,
}

impl LogFollowUp {
    /// A follow-up of `customer` about `notes`, with no date, assignee or method.
    pub fn new(customer: CustomerRef, notes: impl Into<String>) -> Self {
        Self {
            customer,
            notes: notes.into(),
            due: None,
            assigned_to: None,
            method: None,
            last_contacted: None,
        }
    }

    /// Due by `due`.
    #[must_use]
    pub fn due(mut self, due: jiff::Timestamp) -> Self {
        self.due = Some(due);
        self
    }

    /// Assigned to `who`.
    #[must_use]
    pub fn assigned_to(mut self, who: impl Into<String>) -> Self {
        self.assigned_to = Some(who.into());
        self
    }

    /// Done by `method` (e.g. `Phone call`).
    #[must_use]
    pub fn method(mut self, method: impl Into<String>) -> Self {
        self.method = Some(method.into());
        self
    }
}

/// A follow-up was logged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct FollowUpLogged {
    /// The service's id of the new entry, when it returns one.
    pub id: Option<String>,
}
