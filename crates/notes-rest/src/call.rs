//! One API call as a sans-IO state machine: send with a token, renew the
//! token once on `401`, resend once, then give up.

use std::fmt;
use std::time::Instant;

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use wire_core::Redactor;
use wire_core::flow::{Flow, Step};

use crate::Operation;
use crate::auth::Bearer;
use crate::decode::{NotesPage, decode_note, decode_notes};
use crate::error::Error;
use crate::models::Note;
use crate::subject::{AboutSubject, Subject, check_answer};

/// Reads a success answer into the operation's type.
pub type Decoder<T> = fn(&Response<Bytes>, &Redactor) -> Result<T, Error>;

/// What a [`Call`] reports when polled to its end.
#[derive(Debug)]
pub enum CallOutcome<T> {
    /// The call is over.
    Done(Result<T, Error>),
    /// The call needs a token: give it one with [`Call::set_bearer`] and run it
    /// again. `stale` is the token the service refused with `401`, to pass to
    /// [`Auth::invalidate`](crate::Auth::invalidate) first.
    NeedToken {
        /// The refused token, after a `401`.
        stale: Option<Bearer>,
    },
}

/// One call: the request, its decoder and the `401` rule.
///
/// Run it as a [`Flow`]: it asks for a token ([`CallOutcome::NeedToken`]),
/// sends the request with `Authorization: Bearer`, and decodes the answer. On
/// the first `401` it asks for a renewed token and resends once; a second
/// `401` ends it with [`Error::Authentication`]. It never loops.
pub struct Call<T> {
    request: Request<Bytes>,
    decode: Decoder<T>,
    redactor: Redactor,
    bearer: Option<Bearer>,
    stale: Option<Bearer>,
    sends: u8,
    outcome: Option<Result<T, Error>>,
    about: Option<About<T>>,
}

/// The record an answer must be about, and how to check it.
struct About<T> {
    subject: Subject,
    check: fn(&T, Subject, StatusCode) -> Result<(), Error>,
}

impl<T> fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", self.request.method())
            .field("uri", self.request.uri())
            .field("sends", &self.sends)
            .finish_non_exhaustive()
    }
}

impl Call<NotesPage> {
    /// A call whose answer is a page of notes.
    #[must_use]
    pub fn notes(request: Request<Bytes>, redactor: Redactor) -> Self {
        Self::new(request, decode_notes, redactor)
    }
}

impl Call<Note> {
    /// A call whose answer is one note.
    #[must_use]
    pub fn note(request: Request<Bytes>, redactor: Redactor) -> Self {
        Self::new(request, decode_note, redactor)
    }
}

impl<T> Call<T> {
    /// A call of `request`, its answer read by `decode`, service text
    /// redacted with `redactor`.
    #[must_use]
    pub fn new(request: Request<Bytes>, decode: Decoder<T>, redactor: Redactor) -> Self {
        Self {
            request,
            decode,
            redactor,
            bearer: None,
            stale: None,
            sends: 0,
            outcome: None,
            about: None,
        }
    }

    /// Gives the call the token to send with.
    pub fn set_bearer(&mut self, bearer: Bearer) {
        self.bearer = Some(bearer);
    }

    /// Redacts service text with `redactor` from now on (one that knows the
    /// tokens obtained since the call was made).
    pub fn set_redactor(&mut self, redactor: Redactor) {
        self.redactor = redactor;
    }

    /// The request without its token.
    #[must_use]
    pub fn request(&self) -> &Request<Bytes> {
        &self.request
    }

    /// How many times the request was sent.
    #[must_use]
    pub fn sends(&self) -> u8 {
        self.sends
    }

    fn authorized(&self, bearer: &Bearer) -> Request<Bytes> {
        let mut request = Request::new(self.request.body().clone());
        *request.method_mut() = self.request.method().clone();
        *request.uri_mut() = self.request.uri().clone();
        *request.version_mut() = self.request.version();
        *request.headers_mut() = self.request.headers().clone();
        if let Some(operation) = self.request.extensions().get::<Operation>() {
            request.extensions_mut().insert(*operation);
        }
        wire_core::Resend::of(&self.request).tag(&mut request);
        bearer.authorize(&mut request);
        request
    }
}

impl<T: AboutSubject> Call<T> {
    /// Refuses an answer about another record than `subject` (a note of
    /// another customer, another note) with [`Error::Mismatch`] instead of
    /// returning it.
    ///
    /// ```
    /// use notes_rest::{Call, Endpoint, PageRequest, Subject};
    /// use wire_core::Redactor;
    ///
    /// let request = Endpoint::default().list_customer_notes(501, PageRequest::default());
    /// let call = Call::notes(request, Redactor::none()).about(Subject::Customer(501));
    /// # let _ = call;
    /// ```
    #[must_use]
    pub fn about(mut self, subject: Subject) -> Self {
        self.about = Some(About {
            subject,
            check: check_answer::<T>,
        });
        self
    }
}

impl<T> Flow for Call<T> {
    type Output = CallOutcome<T>;

    fn poll(&mut self, _now: Instant) -> Step<Self::Output> {
        if let Some(outcome) = self.outcome.take() {
            return Step::Done(CallOutcome::Done(outcome));
        }
        match &self.bearer {
            None => Step::Done(CallOutcome::NeedToken {
                stale: self.stale.take(),
            }),
            Some(bearer) => {
                let request = self.authorized(bearer);
                self.sends += 1;
                Step::Send(request)
            }
        }
    }

    fn handle(&mut self, response: Response<Bytes>, _now: Instant) {
        if response.status() == StatusCode::UNAUTHORIZED && self.sends < 2 {
            self.stale = self.bearer.take();
            return;
        }
        let mut outcome = (self.decode)(&response, &self.redactor);
        if let (Ok(answer), Some(about)) = (&outcome, &self.about)
            && let Err(mismatch) = (about.check)(answer, about.subject, response.status())
        {
            outcome = Err(mismatch);
        }
        self.outcome = Some(outcome);
    }
}
