//! [`Client`]: one method per SecurityTrax operation.

use std::fmt;
use std::time::Duration;

use strax_xml_protocol::{
    Availability, CreateCustomerNote, CreateTechSchedule, Credentials, Customer, Endpoint,
    GetAppointmentAvailability, GetCustomerStatus, GetSecurityTraxUniqueId, IdType, Operation,
    UpdateConfirmationNumber,
};
use tracing::Instrument;
use transport::{
    Backend, HttpTransport, RetryConfig, Retrying, Transport, TransportBuildError, TransportConfig,
};

use super::batch::BatchBuilder;
use super::call::{AppointmentCreated, Call, ConfirmationNumberUpdated, output_of};
use super::exchange::{Exchange, Scope};
use super::prepared::PreparedRequest;
use super::trace;
use crate::Error;

/// A typed SecurityTrax client over any [`Transport`].
///
/// [`Client::call`] (and the named method of each operation) validates its
/// input once (every broken rule at once, before anything is sent), posts
/// one document (the authentication plus the operation) to the operation's
/// script, tagged with what resending it would mean
/// ([`wire_core::Resend`]), and returns the operation's own result type. A
/// `success="false"` answer is [`Error::Refused`] with the service's texts;
/// an answer that leaves the operation without a readable response is
/// [`Error::Unreadable`] (of unknown outcome for a write:
/// [`Error::outcome_unknown`]).
///
/// The client itself never sends a request twice: retrying is the
/// transport's, decided in one place ([`transport::Retrying`], see
/// [retries](crate#retries)). [`Client::over_http`] builds that stack; a
/// transport passed to [`Client::new`] is used as it is.
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
    request_timeout: Option<Duration>,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

impl Client<Retrying<HttpTransport>> {
    /// A client over the HTTP `backend` (cargo features `reqwest`, on by
    /// default, and `hyper`) built with `config`, retrying by the default
    /// [`RetryConfig`] (see [retries](crate#retries)).
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
            Retrying::new(HttpTransport::new(backend, config)?, RetryConfig::default()),
        ))
    }
}

impl<T: Transport> Client<T> {
    /// A client of `endpoint` authenticating with `credentials`, sending
    /// through `transport` as it is (wrap it in [`Retrying`] to retry).
    pub fn new(endpoint: Endpoint, credentials: Credentials, transport: T) -> Self {
        // Builds the password's redactor once, here: every call's copy of
        // the credentials carries it, instead of building it per answer.
        let _ = credentials.redactor();
        Self {
            endpoint,
            credentials,
            transport,
            request_timeout: None,
        }
    }

    /// Bounds each attempt of each request by `timeout` (the transport's
    /// total timeout otherwise). Running out gives a total
    /// [`Error::Timeout`], whose outcome is unknown for a batch that writes
    /// (a read changes nothing: safe to send again).
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

    pub(crate) fn exchange(&self) -> Exchange<'_, T> {
        Exchange {
            endpoint: &self.endpoint,
            credentials: &self.credentials,
            transport: &self.transport,
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

    /// Sends one operation and returns its own result type (see [`Call`]):
    /// validated once, posted as one document (the authentication plus the
    /// operation) to the operation's script, decoded, and checked against
    /// the question.
    ///
    /// ```
    /// use bytes::Bytes;
    /// use facade::securitytrax::{Client, Credentials, Endpoint, UpdateConfirmationNumber};
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let fake = |_request: http::Request<Bytes>| async move {
    ///     Ok(http::Response::new(Bytes::from_static(br#"<root><responses>
    ///       <response type="GetSystemAuthentication" success="true"><data/></response>
    ///       <response type="UpdateConfirmationNumberBySecurityTraxUniqueID" success="true"><data><message>Successfully set customer Receiver Number: 206</message></data></response>
    ///     </responses></root>"#)))
    /// };
    /// let client = Client::new(
    ///     Endpoint::new("https://crm.example.com", "acme").unwrap(),
    ///     Credentials::new("api-user", "secret", "77"),
    ///     fake,
    /// );
    /// let update = UpdateConfirmationNumber {
    ///     security_trax_unique_id: "9710".into(),
    ///     confirmation_number: "206".into(),
    /// };
    /// let updated = client.call(update).await.unwrap();
    /// assert_eq!(updated.message.as_deref(), Some("Successfully set customer Receiver Number: 206"));
    /// # });
    /// ```
    ///
    /// # Errors
    /// See [`Error`]: a `success="false"` answer is [`Error::Refused`] with
    /// the service's texts; an unreadable or missing answer for the
    /// operation is [`Error::Unreadable`] (of unknown outcome for a write).
    pub async fn call<C: Call>(&self, operation: C) -> Result<C::Output, Error> {
        let operation: Operation = operation.into();
        let span = trace::operation_span(&operation);
        let outcome = self
            .exchange()
            .run(vec![operation], Scope::Single)
            .instrument(span)
            .await?
            .into_iter()
            .next()
            .expect("the decoder returns one outcome per operation");
        output_of::<C>(outcome)
    }

    /// `CreateCustomerNoteBySecurityTraxUniqueID`: adds a note (or a ticket)
    /// to a customer. A write: never resent blindly.
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn add_customer_note(&self, note: CreateCustomerNote) -> Result<(), Error> {
        self.call(note).await
    }

    /// `CreateTechScheduleBySecurityTraxUniqueID`: books a tech appointment.
    /// A write: never resent blindly.
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn create_tech_schedule(
        &self,
        appointment: CreateTechSchedule,
    ) -> Result<AppointmentCreated, Error> {
        self.call(appointment).await
    }

    /// `GetIfAppointmentAvailableByLocationInfo`: whether a slot is available
    /// at a location. A read.
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn appointment_availability(
        &self,
        query: GetAppointmentAvailability,
    ) -> Result<Availability, Error> {
        self.call(query).await
    }

    /// `AllAccess-GetCustomerStatusBySecurityTraxUniqueID`: a customer's
    /// record. A read. (`Customer`'s `Debug` hides its personal fields.)
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn customer_status(
        &self,
        security_trax_unique_id: impl Into<String>,
    ) -> Result<Customer, Error> {
        self.call(GetCustomerStatus {
            security_trax_unique_id: security_trax_unique_id.into(),
        })
        .await
    }

    /// `AllAccess-GetSecurityTraxUniqueID`: a customer's SecurityTrax unique
    /// id from a phone or account number. A read. The number is never
    /// logged.
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn find_unique_id(
        &self,
        id_type: IdType,
        id: impl Into<String>,
    ) -> Result<String, Error> {
        self.call(GetSecurityTraxUniqueId {
            id_type,
            id: id.into(),
        })
        .await
    }

    /// `UpdateConfirmationNumberBySecurityTraxUniqueID`: sets a customer's
    /// confirmation (receiver) number. An idempotent write.
    ///
    /// # Errors
    /// See [`Client::call`].
    pub async fn update_confirmation_number(
        &self,
        security_trax_unique_id: impl Into<String>,
        confirmation_number: impl Into<String>,
    ) -> Result<ConfirmationNumberUpdated, Error> {
        self.call(UpdateConfirmationNumber {
            security_trax_unique_id: security_trax_unique_id.into(),
            confirmation_number: confirmation_number.into(),
        })
        .await
    }
}
