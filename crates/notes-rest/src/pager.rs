//! Page after page of a list, as a state machine that always ends.

use bytes::Bytes;
use http::Request;

use crate::decode::NotesPage;
use crate::endpoint::{Endpoint, PageRequest};

/// The most pages a pager asks for, whatever the headers say (at 50 notes a
/// page, five million notes).
pub const MAX_PAGES: u32 = 100_000;

/// Which list a [`Pager`] walks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// One customer's notes.
    Customer(i64),
    /// Every note.
    All,
}

/// Yields the request for each page of a list until the last one.
///
/// After each page, [`advance`](Self::advance) with what it held; the pager
/// asks for the next page only when the `pagination` header says there is
/// one, its page number is the one asked for, and the page was not empty.
/// Page numbers only go up and stop at [`MAX_PAGES`]: a pager ends on any
/// sequence of headers.
///
/// ```
/// use notes_rest::{Endpoint, List, NotesPage, PageRequest, Pager};
///
/// let mut pager = Pager::new(Endpoint::default(), List::Customer(501), PageRequest::default());
/// let first = pager.next_request().unwrap();
/// assert!(first.uri().to_string().ends_with("page_number=1&page_size=50"));
/// pager.advance(&NotesPage::default()); // no header: that was the last page
/// assert!(pager.next_request().is_none());
/// ```
#[derive(Debug, Clone)]
pub struct Pager {
    endpoint: Endpoint,
    list: List,
    next: Option<PageRequest>,
    awaiting: Option<u32>,
    pages: u32,
}

impl Pager {
    /// The list this pager walks.
    #[must_use]
    pub fn list(&self) -> List {
        self.list
    }

    /// A pager starting at `first`.
    #[must_use]
    pub fn new(endpoint: Endpoint, list: List, first: PageRequest) -> Self {
        Self {
            endpoint,
            list,
            next: Some(first),
            awaiting: None,
            pages: 0,
        }
    }

    /// The request for the next page; `None` when the list is over. Asking
    /// again before [`advance`](Self::advance) gives the same request.
    #[must_use]
    pub fn next_request(&mut self) -> Option<Request<Bytes>> {
        let page = self.next?;
        self.awaiting = Some(page.page_number());
        Some(match self.list {
            List::Customer(id) => self.endpoint.list_customer_notes(id, page),
            List::All => self.endpoint.list_notes(page),
        })
    }

    /// Takes in the page just received and decides whether another follows.
    pub fn advance(&mut self, page: &NotesPage) {
        let (Some(asked), Some(current)) = (self.awaiting.take(), self.next) else {
            self.next = None;
            return;
        };
        self.pages += 1;
        let more = page.pagination.as_ref().is_some_and(|p| {
            p.has_next_page
                && p.page_number == i64::from(asked)
                && (p.total_pages <= 0 || i64::from(asked) < p.total_pages)
        }) && !page.notes.is_empty();
        self.next = if more && self.pages < MAX_PAGES {
            asked.checked_add(1).and_then(|n| current.at(n))
        } else {
            None
        };
    }

    /// Whether the list is over.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }

    /// How many pages were taken in so far.
    #[must_use]
    pub fn pages(&self) -> u32 {
        self.pages
    }
}
