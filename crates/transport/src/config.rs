//! Settings shared by the HTTP backends.

use std::time::Duration;

use http::HeaderValue;

/// The User-Agent sent when a request carries none: `crmwire/<version>`.
pub const DEFAULT_USER_AGENT: &str = concat!("crmwire/", env!("CARGO_PKG_VERSION"));

/// The default response body limit: 4 MiB.
pub const DEFAULT_BODY_LIMIT: usize = 4 * 1024 * 1024;

/// Timeouts, limits and policies of an HTTP backend
/// ([`ReqwestTransport`](crate::ReqwestTransport),
/// [`HyperTransport`](crate::HyperTransport), [`HttpTransport`](crate::HttpTransport)).
///
/// Redirects are never followed: a `3xx` response is returned as is.
///
/// ```
/// use std::time::Duration;
/// use transport::TransportConfig;
///
/// let config = TransportConfig::default()
///     .with_connect_timeout(Duration::from_secs(5))
///     .with_total_timeout(Duration::from_secs(20))
///     .with_body_limit(1024 * 1024);
/// assert_eq!(config.connect_timeout(), Duration::from_secs(5));
/// assert_eq!(config.body_limit(), 1024 * 1024);
/// assert!(!config.plain_http_allowed());
/// ```
#[derive(Debug, Clone)]
pub struct TransportConfig {
    connect_timeout: Duration,
    total_timeout: Duration,
    body_limit: usize,
    allow_plain_http: bool,
    user_agent: HeaderValue,
}

impl Default for TransportConfig {
    /// Connect timeout 10 s, total timeout 30 s, body limit 4 MiB, plain
    /// `http://` only to loopback, User-Agent [`DEFAULT_USER_AGENT`].
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            body_limit: DEFAULT_BODY_LIMIT,
            allow_plain_http: false,
            user_agent: HeaderValue::from_static(DEFAULT_USER_AGENT),
        }
    }
}

impl TransportConfig {
    /// The same as [`TransportConfig::default`].
    pub fn new() -> Self {
        Self::default()
    }

    /// How long opening a connection may take: name resolution, TCP connect
    /// and TLS handshake together, on both backends.
    /// Running out gives a retry-safe [`Timeout`](crate::ErrorKind::Timeout)
    /// with phase [`Connect`](crate::TimeoutPhase::Connect).
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one whole exchange (one attempt) may take, body included;
    /// policies that resend may make a call take several. A request can
    /// override it with a [`RequestTimeout`] extension. Running out gives a
    /// [`Timeout`](crate::ErrorKind::Timeout) with phase
    /// [`Total`](crate::TimeoutPhase::Total), whose outcome is unknown.
    #[must_use]
    pub fn with_total_timeout(mut self, timeout: Duration) -> Self {
        self.total_timeout = timeout;
        self
    }

    /// The largest response body accepted, in bytes. A larger body (by its
    /// `Content-Length` or as it streams in) gives
    /// [`BodyTooLarge`](crate::ErrorKind::BodyTooLarge) and is not read
    /// any further.
    #[must_use]
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Whether plain `http://` may be used to hosts other than loopback
    /// (`127.0.0.0/8`, `::1`, `localhost`). Off by default: such a request is
    /// refused with [`InvalidRequest`](crate::ErrorKind::InvalidRequest).
    #[must_use]
    pub fn with_allow_plain_http(mut self, allow: bool) -> Self {
        self.allow_plain_http = allow;
        self
    }

    /// The User-Agent set on requests that carry none.
    #[must_use]
    pub fn with_user_agent(mut self, value: HeaderValue) -> Self {
        self.user_agent = value;
        self
    }

    /// The configured connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The configured total timeout.
    pub fn total_timeout(&self) -> Duration {
        self.total_timeout
    }

    /// The configured body limit in bytes.
    pub fn body_limit(&self) -> usize {
        self.body_limit
    }

    /// Whether plain `http://` to non-loopback hosts is allowed.
    pub fn plain_http_allowed(&self) -> bool {
        self.allow_plain_http
    }

    /// The User-Agent set on requests that carry none.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }
}

/// A per-request total timeout, overriding
/// [`TransportConfig::with_total_timeout`]. Put it in the request's extensions.
///
/// Like the configured timeouts it bounds **one attempt**, not the whole
/// call: through [`Retrying`](crate::Retrying) and [`Paced`](crate::Paced) a
/// call can take attempts × timeout, plus the backoff pauses between
/// attempts, plus the pauses after `429` answers.
///
/// ```
/// use std::time::Duration;
/// use transport::RequestTimeout;
///
/// let request = http::Request::builder()
///     .uri("https://example.com/slow-report")
///     .extension(RequestTimeout(Duration::from_secs(120)))
///     .body(bytes::Bytes::new())
///     .unwrap();
/// assert!(request.extensions().get::<RequestTimeout>().is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestTimeout(pub Duration);
