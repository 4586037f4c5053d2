//! [`LeadClient`]: SecurityTrax lead and customer posting in chunks, each
//! record's outcome accounted for.
//!
//! ```
//! use bytes::Bytes;
//! use facade::leads::{Endpoint, Lead, LeadClient};
//! use facade::Fate;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
//! // A test transport: accepts the first lead of every post, and answers nothing for the rest.
//! let fake = |request: http::Request<Bytes>| async move {
//!     assert_eq!(request.uri().path(), "/acme/leadpostxml.php");
//!     Ok(http::Response::new(Bytes::from_static(br#"<root><responses>
//!       <response success="true"><data><customer_id>1003</customer_id></data></response>
//!     </responses></root>"#)))
//! };
//! let client = LeadClient::new(Endpoint::new("https://crm.example.com", "acme").unwrap(), fake)
//!     .with_chunk_size(2);
//! let lead = |id: &str| Lead {
//!     source_id: Some("77".into()), fname: Some("Sue".into()), lname: Some("Doe".into()),
//!     city: Some("Notus".into()), state: Some("ID".into()), phone1: Some("801 312 7735".into()),
//!     lead_company_unique_id: Some(id.into()), ..Lead::default()
//! };
//! let report = client.post(&[lead("A"), lead("B"), Lead::default()]).await;
//! assert_eq!(report.outcomes()[0].as_ref().unwrap().customer_id.as_deref(), Some("1003"));
//! assert_eq!(report.outcomes()[1].as_ref().unwrap_err().fate(), Fate::Unknown); // no answer for B
//! assert_eq!(report.outcomes()[2].as_ref().unwrap_err().fate(), Fate::Rejected); // invalid: never sent
//! assert_eq!(report.requests_sent(), 1);
//! # });
//! ```

use std::fmt;
use std::time::Duration;

use strax_leads::PostOutcome;
use tracing::Instrument;
use transport::{
    Backend, HttpTransport, RequestTimeout, RetryConfig, Retrying, Transport, TransportBuildError,
    TransportConfig, TransportError,
};
use wire_core::Redactor;

pub use strax_leads::{Customer, EmergencyContact, Endpoint, Lead, Mode, PostRecord};

use crate::{Error, ServiceError, StraxFailure};

pub(crate) mod neutral;

/// How many records one post holds unless told otherwise.
pub const DEFAULT_CHUNK_SIZE: usize = 50;

/// A record the service accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Accepted {
    /// The SecurityTrax customer id it was given (`None` when the answer
    /// names none: it exists all the same).
    pub customer_id: Option<String>,
}

/// What became of one record: [`Accepted`], or an [`Error`] whose
/// [`fate`](Error::fate) says what is known:
///
/// | fate | the record… |
/// |---|---|
/// | [`Rejected`](crate::Fate::Rejected) | broke a rule ([`Error::InvalidInput`]) and was never sent |
/// | [`NotSent`](crate::Fate::NotSent) | provably never left (its post could not connect, or an earlier post failed and the rest were not sent): safe to send again |
/// | [`Unknown`](crate::Fate::Unknown) | was in a post that may have been processed (connection lost after sending, a timeout, a `5xx`, an answer without its `<response>`): check before sending again |
/// | [`Answered`](crate::Fate::Answered) | was refused by the service ([`Error::Refused`] with its texts, or a `4xx` to its post) |
pub type RecordOutcome = Result<Accepted, Error>;

/// The outcome of every record of a [`LeadClient::post`], in the order given.
#[derive(Debug, Clone)]
pub struct PostReport {
    outcomes: Vec<RecordOutcome>,
    requests_sent: usize,
}

impl PostReport {
    /// One outcome per record, in order.
    pub fn outcomes(&self) -> &[RecordOutcome] {
        &self.outcomes
    }

    /// The outcomes, by value.
    #[must_use]
    pub fn into_outcomes(self) -> Vec<RecordOutcome> {
        self.outcomes
    }

    /// How many posts were handed to the transport.
    #[must_use]
    pub fn requests_sent(&self) -> usize {
        self.requests_sent
    }

    /// How many records were accepted.
    #[must_use]
    pub fn accepted(&self) -> usize {
        self.outcomes.iter().filter(|o| o.is_ok()).count()
    }

    /// How many records have the fate `fate`.
    #[must_use]
    pub fn count(&self, fate: crate::Fate) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.as_ref().err().is_some_and(|e| e.fate() == fate))
            .count()
    }
}

/// Posts leads and customers in chunks over any [`Transport`].
///
/// [`post`](Self::post) checks and normalises every record first: an
/// invalid one is [`Error::InvalidInput`] and never sent; the valid ones go
/// in posts of at most [`chunk size`](Self::with_chunk_size) records, one
/// after the other, each tagged [`wire_core::Resend::NeverBlindly`] (a post
/// is never resent blindly, whatever the retry policy). Every record gets
/// its own outcome ([`RecordOutcome`]). A post that fails as a whole (a
/// transport error, a non-2xx status) gives each of its records that
/// failure, and the records of later posts are not sent
/// ([`Error::NotSent`]): the service is not hammered while it fails, and
/// nothing unknown piles up.
#[derive(Clone)]
pub struct LeadClient<T> {
    endpoint: Endpoint,
    transport: T,
    chunk_size: usize,
    mode: Mode,
    redactor: Redactor,
    request_timeout: Option<Duration>,
    source_id: Option<String>,
}

impl<T> fmt::Debug for LeadClient<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeadClient")
            .field("endpoint", &self.endpoint)
            .field("chunk_size", &self.chunk_size)
            .field("mode", &self.mode)
            .field("request_timeout", &self.request_timeout)
            .field("source_id", &self.source_id)
            .finish_non_exhaustive()
    }
}

impl LeadClient<Retrying<HttpTransport>> {
    /// A client over the HTTP `backend` built with `config`, under the
    /// default retry policy (which never resends a post that may have
    /// arrived).
    ///
    /// # Errors
    /// [`TransportBuildError`] when the backend is not compiled in or cannot be built.
    pub fn over_http(
        endpoint: Endpoint,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, TransportBuildError> {
        Ok(Self::new(
            endpoint,
            Retrying::new(HttpTransport::new(backend, config)?, RetryConfig::default()),
        ))
    }
}

impl<T: Transport> LeadClient<T> {
    /// A client posting to `endpoint` through `transport` as it is,
    /// [`DEFAULT_CHUNK_SIZE`] records per post, formatting normalised
    /// ([`Mode::Normalise`]), no secret to redact.
    pub fn new(endpoint: Endpoint, transport: T) -> Self {
        Self {
            endpoint,
            transport,
            chunk_size: DEFAULT_CHUNK_SIZE,
            mode: Mode::Normalise,
            redactor: Redactor::none(),
            request_timeout: None,
            source_id: None,
        }
    }

    /// Fills `source_id` (the partner id SecurityTrax gave the sender) into
    /// the leads of the service-neutral [`post_leads`](crate::neutral::LeadPosting::post_leads),
    /// which have no such field. [`post`](Self::post) sends records as they are.
    #[must_use]
    pub fn with_source_id(mut self, source_id: impl Into<String>) -> Self {
        self.source_id = Some(source_id.into());
        self
    }

    /// The `source_id` neutral leads are posted with, when set.
    pub fn source_id(&self) -> Option<&str> {
        self.source_id.as_deref()
    }

    /// At most `size` records per post (at least 1).
    #[must_use]
    pub fn with_chunk_size(mut self, size: usize) -> Self {
        self.chunk_size = size.max(1);
        self
    }

    /// Checks records in `mode` ([`Mode::Strict`] refuses formatting instead of removing it).
    #[must_use]
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// Removes these secrets from every text the service sends back.
    #[must_use]
    pub fn with_redactor(mut self, redactor: Redactor) -> Self {
        self.redactor = redactor;
        self
    }

    /// Bounds each post by `timeout` (running out: outcome unknown).
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Posts `records` (leads or customers) in chunks; see [`LeadClient`].
    pub async fn post<R: PostRecord>(&self, records: &[R]) -> PostReport {
        let span = tracing::info_span!(
            "securitytrax_lead_post",
            records = records.len(),
            chunk_size = self.chunk_size
        );
        self.post_inner(records).instrument(span).await
    }

    async fn post_inner<R: PostRecord>(&self, records: &[R]) -> PostReport {
        let mut outcomes: Vec<Option<RecordOutcome>> = vec![None; records.len()];
        let mut valid = Vec::with_capacity(records.len());
        for (index, record) in records.iter().enumerate() {
            match record.normalised(index, self.mode) {
                Ok(record) => valid.push((index, record)),
                Err(violations) => outcomes[index] = Some(Err(Error::InvalidInput(violations))),
            }
        }
        let mut requests_sent = 0;
        let mut failed: Option<usize> = None;
        for chunk in valid.chunks(self.chunk_size) {
            if let Some(after) = failed {
                for (index, _) in chunk {
                    outcomes[*index] = Some(Err(Error::NotSent(TransportError::not_sent(
                        format!(
                            "not sent: post {after} failed as a whole, so the posts after it were not sent"
                        ),
                    ))));
                }
                continue;
            }
            let records: Vec<R> = chunk.iter().map(|(_, r)| r.clone()).collect();
            requests_sent += 1;
            match self.post_chunk(&records).await {
                Ok(chunk_outcomes) => {
                    for ((index, _), outcome) in chunk.iter().zip(chunk_outcomes) {
                        outcomes[*index] = Some(outcome);
                    }
                }
                Err(error) => {
                    tracing::info!(error = error.kind(), fate = %error.fate(), "securitytrax lead post failed as a whole");
                    failed = Some(requests_sent);
                    for (index, _) in chunk {
                        outcomes[*index] = Some(Err(error.clone()));
                    }
                }
            }
        }
        let outcomes: Vec<RecordOutcome> = outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    Err(Error::NotSendable {
                        reason: "no outcome".into(),
                        source: None,
                    })
                })
            })
            .collect();
        PostReport {
            outcomes,
            requests_sent,
        }
    }

    /// Posts one chunk of already normalised `records` as one request:
    /// one outcome per record, or the failure of the post as a whole.
    ///
    /// # Errors
    /// The post's failure: [`Error::InvalidInput`] (nothing sent), a
    /// transport error, or a non-2xx status; its [`fate`](Error::fate)
    /// applies to every record of the chunk.
    pub async fn post_chunk<R: PostRecord>(
        &self,
        records: &[R],
    ) -> Result<Vec<RecordOutcome>, Error> {
        let mut request = strax_leads::encode_request(&self.endpoint, records, self.mode)
            .map_err(Error::InvalidInput)?;
        if let Some(timeout) = self.request_timeout {
            request.extensions_mut().insert(RequestTimeout(timeout));
        }
        let response = self
            .transport
            .send(request)
            .await
            .map_err(|error| Error::from_transport(error, true))?;
        let status = response.status();
        if !status.is_success() {
            return Err(Error::HttpStatus {
                status: status.as_u16(),
                service: None,
                body_excerpt: wire_core::text::excerpt(response.body(), 200, &self.redactor, &[]),
                may_have_executed: !status.is_client_error(),
            });
        }
        let outcomes = strax_leads::decode_response(&response, records.len(), &self.redactor);
        Ok(outcomes.into_iter().map(record_outcome).collect())
    }
}

/// A decoded outcome in the facade's vocabulary.
fn record_outcome(outcome: PostOutcome) -> RecordOutcome {
    match outcome {
        PostOutcome::Accepted { customer_id } => Ok(Accepted { customer_id }),
        PostOutcome::Rejected { errors } => Err(Error::Refused {
            service: ServiceError::SecurityTrax(StraxFailure::new(
                None,
                errors
                    .into_iter()
                    .map(|e| strax_xml_protocol::DataText {
                        element: e.element,
                        text: e.text,
                    })
                    .collect(),
            )),
        }),
        PostOutcome::Unknown { reason } => Err(Error::Unreadable {
            detail: reason,
            may_have_executed: true,
            source: None,
        }),
        // A future outcome is not understood: assume the worst.
        _ => Err(Error::Unreadable {
            detail: "an outcome this version does not know".into(),
            may_have_executed: true,
            source: None,
        }),
    }
}
