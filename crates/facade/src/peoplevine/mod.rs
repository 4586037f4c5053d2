//! The Peoplevine customer-notes REST API: [`Client`].
//!
//! The protocol is `notes_rest`'s (re-exported here): requests, models, the
//! token machine ([`notes_rest::Auth`]) and the call machine
//! ([`notes_rest::Call`]). This module runs them with [`drive`]
//! over a [`Transport`].

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use notes_rest::{Auth, Bearer, Call, CallOutcome, Pager, Subject};
pub use notes_rest::{
    Endpoint, Grant, List, NewNote, Note, NoteReferenceType, NoteStatus, NoteUpdate, NotesPage,
    Operation, PageRequest, Pagination, Patch,
};
use tokio::sync::Mutex;
use transport::{
    Backend, HttpTransport, PaceConfig, Paced, RetryConfig, Retrying, Transport,
    TransportBuildError, TransportConfig,
};
use wire_core::Redactor;

use crate::Error;
use crate::flow::{ClockFn, drive, real_clock};

pub(crate) mod neutral;

/// Peoplevine's documented limit: requests per [`RATE_WINDOW`].
pub const RATE_LIMIT: u32 = 3600;
/// Peoplevine's documented rate window.
pub const RATE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The pacing that keeps one client under Peoplevine's limit whatever the
/// concurrency: 3599 requests per 15 minutes, one every 250.07 ms, so that
/// with the burst of one at most 3600 start in any 15-minute window.
#[must_use]
pub fn pace() -> PaceConfig {
    PaceConfig::new(
        NonZeroU32::new(RATE_LIMIT - 1).unwrap_or(NonZeroU32::MIN),
        RATE_WINDOW,
    )
    .with_max_retry_after(Duration::from_secs(60))
}

/// A Peoplevine failure as a facade [`Error`] (for a tool that decodes a
/// captured answer itself); `writes` says whether the request may change the
/// service's data (`Operation::resend().writes()`).
#[must_use]
pub fn error_of(error: notes_rest::Error, writes: bool) -> Error {
    Error::from_peoplevine(error, writes)
}

/// A typed Peoplevine client over any [`Transport`].
///
/// It gets its own tokens: the first call obtains one with the [`Grant`],
/// later calls reuse it, and it is renewed through `/api/token/refresh`
/// before its 30 minutes run out. A call answered `401` renews the token
/// once and is sent once more; a second `401` is [`Error::Authentication`].
/// Clones share the token, and however many tasks call at once, one renewal
/// is in flight: the others wait for it and use its token.
///
/// The client never sends a request twice by itself beyond that one `401`
/// resend; retrying is the transport's ([`Retrying`], [retries](crate#retries)).
///
/// ```
/// use bytes::Bytes;
/// use facade::peoplevine::{Client, Endpoint, Grant};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let fake = |request: http::Request<Bytes>| async move {
///     let body: &'static [u8] = match request.uri().path() {
///         "/api/token" => br#"{"access_token":"t1","refresh_token":"r1"}"#,
///         _ => {
///             assert_eq!(request.headers()["authorization"], "Bearer t1");
///             br#"{"id":7,"reference_type":"customer","created_on":"2024-10-06T20:35:16.983Z","status":"open","confidential":false,"priority":false}"#
///         }
///     };
///     Ok(http::Response::new(Bytes::from_static(body)))
/// };
/// let client = Client::new(
///     Endpoint::default(),
///     Grant::Password { username: "ops".into(), password: "secret".into() },
///     fake,
/// );
/// let note = client.note(7).await.unwrap();
/// assert_eq!(note.id, Some(7));
/// # });
/// ```
pub struct Client<T> {
    endpoint: Endpoint,
    transport: Arc<T>,
    auth: Arc<Mutex<Auth>>,
    clock: ClockFn,
}

impl<T> Clone for Client<T> {
    fn clone(&self) -> Self {
        Self {
            endpoint: self.endpoint.clone(),
            transport: Arc::clone(&self.transport),
            auth: Arc::clone(&self.auth),
            clock: Arc::clone(&self.clock),
        }
    }
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .finish_non_exhaustive()
    }
}

impl Client<Retrying<Paced<HttpTransport>>> {
    /// A client over the HTTP `backend`, paced under Peoplevine's limit
    /// ([`pace`]) and retrying by the default [`RetryConfig`].
    ///
    /// # Errors
    /// [`TransportBuildError`] when the backend is not compiled in or cannot
    /// be built.
    pub fn over_http(
        endpoint: Endpoint,
        grant: Grant,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, TransportBuildError> {
        let http = HttpTransport::new(backend, config)?;
        Ok(Self::new(
            endpoint,
            grant,
            Retrying::new(Paced::new(http, pace()), RetryConfig::default()),
        ))
    }
}

impl<T: Transport> Client<T> {
    /// A client of `endpoint` getting tokens with `grant`, sending through
    /// `transport` as it is.
    pub fn new(endpoint: Endpoint, grant: Grant, transport: T) -> Self {
        Self {
            auth: Arc::new(Mutex::new(Auth::new(endpoint.clone(), grant))),
            endpoint,
            transport: Arc::new(transport),
            clock: real_clock(),
        }
    }

    /// Reads token lifetimes on `clock` instead of the real clock (a test
    /// moving a sandbox's manual clock).
    #[must_use]
    pub fn with_clock(mut self, clock: ClockFn) -> Self {
        self.clock = clock;
        self
    }

    /// The endpoint (builds the exact requests, for `--dry-run`).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// How many token grants and refreshes this client (and its clones) sent.
    pub async fn token_counts(&self) -> (u64, u64) {
        self.auth.lock().await.counts()
    }

    /// A valid token, renewing it when `stale` (refused with `401`) is still
    /// the one held or when it is near its end. One task renews at a time;
    /// the others wait for the lock and find the new token.
    async fn bearer(&self, stale: Option<Bearer>) -> Result<(Bearer, Redactor), Error> {
        let mut auth = self.auth.lock().await;
        if let Some(stale) = &stale {
            auth.invalidate(stale);
        }
        match drive(&*self.transport, &mut *auth, &self.clock).await {
            Ok(Ok(bearer)) => Ok((bearer, auth.redactor())),
            Ok(Err(error)) => Err(Error::from_peoplevine(error, false)),
            Err(error) => {
                auth.abort_round();
                Err(Error::from_transport(error, false))
            }
        }
    }

    /// Runs one call to its end: token, send, one renewal and resend on `401`.
    async fn run<O>(&self, mut call: Call<O>, writes: bool) -> Result<O, Error> {
        loop {
            match drive(&*self.transport, &mut call, &self.clock).await {
                Err(error) => return Err(Error::from_transport(error, writes)),
                Ok(CallOutcome::Done(outcome)) => {
                    return outcome.map_err(|error| Error::from_peoplevine(error, writes));
                }
                Ok(CallOutcome::NeedToken { stale }) => {
                    let (bearer, redactor) = self.bearer(stale).await?;
                    call.set_bearer(bearer);
                    call.set_redactor(redactor);
                }
            }
        }
    }

    /// One page of a customer's notes (`204`: an empty page).
    ///
    /// # Errors
    /// [`Error`]: the service's refusal in [`ServiceError::Peoplevine`](crate::ServiceError::Peoplevine).
    pub async fn customer_notes_page(
        &self,
        customer_id: i64,
        page: PageRequest,
    ) -> Result<NotesPage, Error> {
        let request = self.endpoint.list_customer_notes(customer_id, page);
        let call = Call::notes(request, Redactor::none()).about(Subject::Customer(customer_id));
        self.run(call, false).await
    }

    /// One page of every note.
    ///
    /// # Errors
    /// As [`customer_notes_page`](Self::customer_notes_page).
    pub async fn notes_page(&self, page: PageRequest) -> Result<NotesPage, Error> {
        let request = self.endpoint.list_notes(page);
        self.run(Call::notes(request, Redactor::none()), false)
            .await
    }

    /// Every page of `list`, one after another, from `first` (see [`Pages`]).
    pub fn pages(&self, list: List, first: PageRequest) -> Pages<T> {
        Pages {
            client: self.clone(),
            pager: Pager::new(self.endpoint.clone(), list, first),
            failed: false,
        }
    }

    /// Adds a note to a customer.
    ///
    /// # Errors
    /// As [`customer_notes_page`](Self::customer_notes_page); a `5xx` or a
    /// broken connection leaves the outcome unknown ([`Error::outcome_unknown`]).
    pub async fn create_note(&self, customer_id: i64, note: &NewNote) -> Result<Note, Error> {
        let request = self.endpoint.create_customer_note(customer_id, note);
        let call = Call::note(request, Redactor::none()).about(Subject::Customer(customer_id));
        self.run(call, true).await
    }

    /// One note.
    ///
    /// # Errors
    /// As [`customer_notes_page`](Self::customer_notes_page).
    pub async fn note(&self, note_id: i64) -> Result<Note, Error> {
        let request = self.endpoint.get_customer_note(note_id);
        let call = Call::note(request, Redactor::none()).about(Subject::Note(note_id));
        self.run(call, false).await
    }

    /// Changes the fields `update` does not leave unchanged.
    ///
    /// # Errors
    /// As [`create_note`](Self::create_note).
    pub async fn update_note(&self, note_id: i64, update: &NoteUpdate) -> Result<Note, Error> {
        let request = self.endpoint.update_customer_note(note_id, update);
        let call = Call::note(request, Redactor::none()).about(Subject::Note(note_id));
        self.run(call, true).await
    }
}

/// The pages of a list, fetched one at a time as they are asked for:
/// [`next`](Self::next) until it gives `None`. It ends on the last page the
/// `pagination` header names, on an empty page, after an error, and in any
/// case (the pager ends on any sequence of headers).
///
/// ```no_run
/// # async fn run(client: facade::peoplevine::Client<impl facade::transport::Transport>) -> Result<(), facade::Error> {
/// use facade::peoplevine::{List, PageRequest};
///
/// let mut pages = client.pages(List::Customer(501), PageRequest::default());
/// while let Some(page) = pages.next().await {
///     for note in page?.notes {
///         println!("{:?}", note.subject);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Pages<T> {
    client: Client<T>,
    pager: Pager,
    failed: bool,
}

impl<T: Transport> Pages<T> {
    /// The next page; `None` when the list is over.
    pub async fn next(&mut self) -> Option<Result<NotesPage, Error>> {
        if self.failed {
            return None;
        }
        let request = self.pager.next_request()?;
        let mut call = Call::notes(request, Redactor::none());
        if let Some(subject) = self.pager.list().subject() {
            call = call.about(subject);
        }
        let outcome = self.client.run(call, false).await;
        match &outcome {
            Ok(page) => self.pager.advance(page),
            Err(_) => self.failed = true,
        }
        Some(outcome)
    }

    /// Every remaining page's notes, in order.
    ///
    /// # Errors
    /// The first page's error.
    pub async fn collect_notes(mut self) -> Result<Vec<Note>, Error> {
        let mut notes = Vec::new();
        while let Some(page) = self.next().await {
            notes.extend(page?.notes);
        }
        Ok(notes)
    }
}
