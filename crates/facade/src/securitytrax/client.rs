//! [`Client`]: one method per SecurityTrax operation.

use std::fmt;
use std::time::Duration;

use strax_xml_protocol::{
    Availability, CreateCustomerNote, CreateTechSchedule, Credentials, Customer, Endpoint,
    GetAppointmentAvailability, GetCustomerStatus, GetSecurityTraxUniqueId, IdType, Operation,
    OperationSuccess, UpdateConfirmationNumber,
};
use tracing::Instrument;
use transport::{Backend, HttpTransport, Transport, TransportBuildError, TransportConfig};

use super::batch::BatchBuilder;
use super::exchange::{Exchange, Scope};
use super::prepared::PreparedRequest;
use super::results::{self, AppointmentCreated, ConfirmationNumberUpdated};
use super::trace;
use crate::{Error, RetryConfig};

/// A typed SecurityTrax client over any [`Transport`].
///
/// Each method validates its input (every broken rule at once, before
/// anything is sent), posts one document (the authentication plus the
/// operation) to the operation's script, retries on the [`RetryConfig`]'s
/// schedule by the crate's [retry rules](crate#retries) (reads after transient
/// failures, writes only when provably not sent) and returns the operation's typed result. A
/// `success="false"` answer is [`Error::OperationFailed`] with the service's
/// texts; so is an answer that leaves this operation without a readable
/// response (of unknown outcome for a write: [`Error::outcome_unknown`]).
///
/// A test transport is a closure:
///
/// ```
/// use bytes::Bytes;
/// use facade::securitytrax::{Client, CreateCustomerNote, Credentials, Endpoint, NoteType};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let fake = |request: http::Request<Bytes>| async move {
///     assert_eq!(request.uri().path(), "/acme/informationposter.php");
///     Ok(http::Response::new(Bytes::from_static(br#"<root><responses>
///       <response type="GetSystemAuthentication" success="true"><data><message>Authenticated To System</message></data></response>
///       <response type="CreateCustomerNoteBySecurityTraxUniqueID" success="true"><data/></response>
///     </responses></root>"#)))
/// };
/// let client = Client::new(
///     Endpoint::new("https://crm.example.com", "acme").unwrap(),
///     Credentials::new("api-user", "secret", "77"),
///     fake,
/// );
/// let note = CreateCustomerNote::new("9710", "Yard sign", "Wants a new yard sign", NoteType::Sales);
/// client.add_customer_note(note).await.unwrap();
/// # });
/// ```
///
/// Against a real service, pick an HTTP backend:
///
/// ```no_run
/// use facade::securitytrax::{Client, Credentials, Endpoint};
/// use facade::transport::{Backend, TransportConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::over_http(
///     Endpoint::securitytrax("acme")?,
///     Credentials::new("api-user", "secret", "77"),
///     Backend::Reqwest,
///     TransportConfig::default(),
/// )?;
/// let customer = client.customer_status("9710").await?;
/// println!("{:?}", customer.last_name);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client<T> {
    endpoint: Endpoint,
    credentials: Credentials,
    transport: T,
    retry: RetryConfig,
    request_timeout: Option<Duration>,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

impl Client<HttpTransport> {
    /// A client over the HTTP `backend` (cargo features `reqwest`, on by
    /// default, and `hyper`) built with `config`.
    ///
    /// # Errors
    /// [`TransportBuildError`] when the backend is not compiled in or cannot
    /// be built.
    pub fn over_http(
        endpoint: Endpoint,
        credentials: Credentials,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, TransportBuildError> {
        Ok(Self::new(
            endpoint,
            credentials,
            HttpTransport::new(backend, config)?,
        ))
    }
}

impl<T: Transport> Client<T> {
    /// A client of `endpoint` authenticating with `credentials`, sending
    /// through `transport`, with the default [`RetryConfig`].
    pub fn new(endpoint: Endpoint, credentials: Credentials, transport: T) -> Self {
        Self {
            endpoint,
            credentials,
            transport,
            retry: RetryConfig::default(),
            request_timeout: None,
        }
    }

    /// Uses `policy`'s schedule (attempts, delays) for every request; which
    /// failures are retried follows the crate's [retry rules](crate#retries).
    #[must_use]
    pub fn with_retry_policy(mut self, policy: RetryConfig) -> Self {
        self.retry = policy;
        self
    }

    /// Bounds each attempt of each request by `timeout` (the transport's
    /// total timeout otherwise). Running out gives a total
    /// [`Error::Timeout`], whose outcome is unknown.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The credentials (`Debug` hides the password).
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryConfig {
        &self.retry
    }

    pub(crate) fn exchange(&self) -> Exchange<'_, T> {
        Exchange {
            endpoint: &self.endpoint,
            credentials: &self.credentials,
            transport: &self.transport,
            retry: &self.retry,
            request_timeout: self.request_timeout,
        }
    }

    /// Starts a batch: several operations sent together; see
    /// [`BatchBuilder`].
    pub fn batch(&self) -> BatchBuilder<'_, T> {
        BatchBuilder::new(self)
    }

    /// The exact request `operation` would be sent as, built without sending
    /// anything (for `--dry-run`).
    ///
    /// ```
    /// use bytes::Bytes;
    /// use facade::securitytrax::{Client, Credentials, Endpoint, UpdateConfirmationNumber};
    ///
    /// let never = |_request: http::Request<Bytes>| async {
    ///     Err::<http::Response<Bytes>, _>(facade::transport::TransportError::not_sent("unused"))
    /// };
    /// let client = Client::new(
    ///     Endpoint::new("https://crm.example.com", "acme").unwrap(),
    ///     Credentials::new("api-user", "hunter2", "77"),
    ///     never,
    /// );
    /// let prepared = client.prepare(UpdateConfirmationNumber {
    ///     security_trax_unique_id: "9710".into(),
    ///     confirmation_number: "206".into(),
    /// })?;
    /// assert_eq!(prepared.request().uri(), "https://crm.example.com/acme/informationposter.php");
    /// let printable = String::from_utf8_lossy(prepared.redacted().body()).into_owned();
    /// assert!(printable.contains(">206<") && printable.contains(">********<"));
    /// assert!(!printable.contains("hunter2"));
    /// # Ok::<(), facade::Error>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidInput`] with every broken rule.
    pub fn prepare(&self, operation: impl Into<Operation>) -> Result<PreparedRequest, Error> {
        let mut prepared = self.exchange().prepare(vec![operation.into()])?;
        Ok(prepared.remove(0))
    }

    /// Sends one operation of any type and returns its result.
    ///
    /// # Errors
    /// See [`Error`]; a `success="false"` answer, or an unreadable or
    /// missing response for the operation, is [`Error::OperationFailed`].
    pub async fn execute(
        &self,
        operation: impl Into<Operation>,
    ) -> Result<OperationSuccess, Error> {
        let operation = operation.into();
        let span = trace::operation_span(&operation);
        let outcomes = self
            .exchange()
            .run(vec![operation], Scope::Single)
            .instrument(span)
            .await?;
        let outcome = outcomes
            .into_iter()
            .next()
            .expect("the decoder checks there is one outcome per operation");
        outcome.map_err(Error::OperationFailed)
    }

    /// `CreateCustomerNoteBySecurityTraxUniqueID`: adds a note (or a ticket)
    /// to a customer. A write: retried only when provably not sent.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn add_customer_note(&self, note: CreateCustomerNote) -> Result<(), Error> {
        results::note_created(self.execute(note).await?)
    }

    /// `CreateTechScheduleBySecurityTraxUniqueID`: books a tech appointment.
    /// A write: retried only when provably not sent.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn create_tech_schedule(
        &self,
        appointment: CreateTechSchedule,
    ) -> Result<AppointmentCreated, Error> {
        results::appointment_created(self.execute(appointment).await?)
    }

    /// `GetIfAppointmentAvailableByLocationInfo`: whether a slot is available
    /// at a location. A read.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn appointment_availability(
        &self,
        query: GetAppointmentAvailability,
    ) -> Result<Availability, Error> {
        results::availability(self.execute(query).await?)
    }

    /// `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`: a customer's
    /// record. A read. (`Customer`'s `Debug` hides its personal fields.)
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn customer_status(
        &self,
        security_trax_unique_id: impl Into<String>,
    ) -> Result<Customer, Error> {
        let query = GetCustomerStatus {
            security_trax_unique_id: security_trax_unique_id.into(),
        };
        results::customer(self.execute(query).await?)
    }

    /// `AllAccess-GetSecurityTraxUniqueID`: a customer's SecurityTrax unique
    /// id from a phone or account number. A read. The number is never
    /// logged.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn find_unique_id(
        &self,
        id_type: IdType,
        id: impl Into<String>,
    ) -> Result<String, Error> {
        let query = GetSecurityTraxUniqueId {
            id_type,
            id: id.into(),
        };
        results::unique_id(self.execute(query).await?)
    }

    /// `UpdateConfirmationNumberBySecurityTraxUniqueID`: sets a customer's
    /// confirmation (receiver) number. A write: retried only when provably
    /// not sent.
    ///
    /// # Errors
    /// See [`Error`].
    pub async fn update_confirmation_number(
        &self,
        security_trax_unique_id: impl Into<String>,
        confirmation_number: impl Into<String>,
    ) -> Result<ConfirmationNumberUpdated, Error> {
        let update = UpdateConfirmationNumber {
            security_trax_unique_id: security_trax_unique_id.into(),
            confirmation_number: confirmation_number.into(),
        };
        results::confirmation_number_updated(self.execute(update).await?)
    }
}
