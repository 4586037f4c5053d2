//! The Neto by Maropost client: customer logs over any [`Transport`].
//!
//! ```no_run
//! # async fn demo() -> Result<(), facade::Error> {
//! use facade::neto::{Client, Codec, Credentials, Endpoint, NewCustomerLog, WireFormat};
//! use facade::transport::{Backend, TransportConfig};
//!
//! let codec = Codec::new(
//!     Endpoint::for_store("www.example-store.com.au")?,
//!     Credentials::api_key("api-user", std::env::var("NETO_KEY").unwrap_or_default()),
//!     WireFormat::Json,
//! );
//! // Paced under Neto's 500 requests per minute, retried by the one policy.
//! let client = Client::over_http(codec, Backend::Reqwest, TransportConfig::default())?;
//! let added = client
//!     .add_logs(vec![NewCustomerLog { username: Some("jo.citizen".into()), ..Default::default() }])
//!     .await?;
//! println!("log ids {:?}, warnings {:?}", added.output.log_ids, added.warnings);
//! # Ok(())
//! # }
//! ```

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderValue, Request};
pub use neto_api::{
    Ack, Action, AddCustomerLog, AddedLogs, Answer, Codec, Credentials, CustomerLog,
    CustomerLogUpdate, CustomerLogs, Customers, Endpoint, GetCustomer, LogStatus, Message,
    NetoDateTime, NetoFailure, NewCustomerLog, UpdateCustomerLog, WireFormat,
};
use neto_api::{DecodeError, EncodeError, SECRET_HEADERS};
use tracing::Instrument;
use transport::{
    Backend, HttpTransport, PaceConfig, Paced, RequestTimeout, RetryConfig, Retrying, Transport,
    TransportBuildError, TransportConfig,
};
use wire_core::Resend;

use crate::{Error, ServiceError};

pub(crate) mod neutral;

/// Neto's documented limit: 500 requests per minute per store.
pub const RATE_LIMIT: u32 = 500;
/// The window of [`RATE_LIMIT`].
pub const RATE_WINDOW: Duration = Duration::from_secs(60);

/// The pace that keeps a client under `limit` requests per `window` as the
/// service counts them: the window stretched by 2%, so that the jitter
/// between when a request leaves and when the service counts it never makes
/// one request too many in any window.
///
/// ```
/// use std::time::Duration;
/// let pace = facade::neto::pace_under(500, Duration::from_secs(60));
/// assert_eq!(pace.interval(), Duration::from_micros(122_400));
/// ```
#[must_use]
pub fn pace_under(limit: u32, window: Duration) -> PaceConfig {
    let limit = NonZeroU32::new(limit).unwrap_or(NonZeroU32::MIN);
    PaceConfig::new(limit, window * 51 / 50)
}

/// The transport [`Client::over_http`] builds: retried by the one policy,
/// each attempt paced under Neto's limit.
pub type PacedHttp = Retrying<Paced<HttpTransport>>;

/// A Neto client: one typed call per action, over any [`Transport`].
#[derive(Clone)]
pub struct Client<T> {
    codec: Codec,
    transport: Arc<T>,
    request_timeout: Option<Duration>,
}

impl<T> fmt::Debug for Client<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("codec", &self.codec)
            .field("request_timeout", &self.request_timeout)
            .finish_non_exhaustive()
    }
}

impl Client<PacedHttp> {
    /// A client over a real HTTP backend, paced under Neto's documented 500
    /// requests per minute ([`pace_under`]) and retried by the default
    /// [`RetryConfig`] (a `429` pauses every caller sharing the client).
    ///
    /// # Errors
    /// The backend is not compiled in, or cannot be built.
    pub fn over_http(
        codec: Codec,
        backend: Backend,
        config: TransportConfig,
    ) -> Result<Self, TransportBuildError> {
        let paced = Paced::new(
            HttpTransport::new(backend, config)?,
            pace_under(RATE_LIMIT, RATE_WINDOW),
        );
        Ok(Self::new(
            codec,
            Retrying::new(paced, RetryConfig::default()),
        ))
    }
}

impl<T: Transport> Client<T> {
    /// A client that sends with `transport`.
    pub fn new(codec: Codec, transport: T) -> Self {
        Self {
            codec,
            transport: Arc::new(transport),
            request_timeout: None,
        }
    }

    /// Bounds each attempt of each request by `timeout`.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = Some(timeout);
        self
    }

    /// The codec (store, credentials, wire format).
    pub fn codec(&self) -> &Codec {
        &self.codec
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The request `action` would be sent as, with every secret header's
    /// value replaced by `[redacted]`, for showing (a dry run). Nothing is sent.
    ///
    /// # Errors
    /// [`Error::InvalidInput`] with every broken rule.
    pub fn preview<A: Action>(&self, action: &A) -> Result<Request<Bytes>, Error> {
        let mut request = self.codec.encode(action).map_err(from_encode)?;
        for name in SECRET_HEADERS {
            if let Some(value) = request.headers_mut().get_mut(*name) {
                *value = HeaderValue::from_static("[redacted]");
            }
        }
        Ok(request)
    }

    /// Sends `action` and returns its answer: the output with any warnings.
    ///
    /// # Errors
    /// One [`Error`] whose fate says what is known of the request;
    /// `Ack=Error` is [`Error::Refused`] with [`ServiceError::Neto`].
    pub async fn call<A: Action>(&self, action: &A) -> Result<Answer<A::Output>, Error> {
        let mut request = self.codec.encode(action).map_err(from_encode)?;
        if let Some(timeout) = self.request_timeout {
            request.extensions_mut().insert(RequestTimeout(timeout));
        }
        let writes = Resend::of(&request).writes();
        let span = tracing::info_span!("neto_action", action = A::NAME.as_str());
        let response = self
            .transport
            .send(request)
            .instrument(span)
            .await
            .map_err(|error| Error::from_transport(error, writes))?;
        self.codec
            .decode(action, &response)
            .map_err(|error| error_of(error, writes))
    }

    /// Adds `logs` (`AddCustomerLog`); the answer holds one `LogID` per log.
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub async fn add_logs(&self, logs: Vec<NewCustomerLog>) -> Result<Answer<AddedLogs>, Error> {
        self.call(&AddCustomerLog::new(logs)).await
    }

    /// Applies `updates` (`UpdateCustomerLog`).
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub async fn update_logs(&self, updates: Vec<CustomerLogUpdate>) -> Result<Answer<()>, Error> {
        self.call(&UpdateCustomerLog::new(updates)).await
    }

    /// The logs of the customer `username` (`GetCustomer` with the
    /// `CustomerLog` output selector).
    ///
    /// # Errors
    /// As [`call`](Self::call).
    pub async fn logs_of(&self, username: impl Into<String>) -> Result<Answer<Customers>, Error> {
        self.call(&GetCustomer::logs_of(username)).await
    }
}

fn from_encode(error: EncodeError) -> Error {
    match error {
        EncodeError::Invalid(violations) => Error::InvalidInput(violations),
        other => Error::NotSendable {
            reason: other.to_string(),
            source: Some(Arc::new(other)),
        },
    }
}

/// The [`Error`] a decoding failure becomes, as [`Client::call`] returns it;
/// `writes` says whether the request may have changed data (a `5xx` or an
/// unreadable answer to a write is of unknown outcome). For decoding captured
/// answers the way a real call would.
#[must_use]
pub fn error_of(error: DecodeError, writes: bool) -> Error {
    match error {
        DecodeError::Refused(failure) => Error::Refused {
            service: ServiceError::Neto(failure),
        },
        DecodeError::HttpStatus {
            status,
            failure,
            excerpt,
        } => Error::HttpStatus {
            status,
            service: failure.map(ServiceError::Neto),
            body_excerpt: excerpt,
            may_have_executed: writes && status >= 500,
        },
        other => {
            let detail = match &other {
                DecodeError::Unreadable { detail, .. } => detail.clone(),
                _ => other.to_string(),
            };
            Error::Unreadable {
                detail,
                may_have_executed: writes,
                source: Some(Arc::new(other)),
            }
        }
    }
}

impl From<neto_api::EndpointError> for Error {
    fn from(error: neto_api::EndpointError) -> Self {
        Self::Setup {
            what: error.to_string(),
            source: Some(Arc::new(error)),
        }
    }
}
