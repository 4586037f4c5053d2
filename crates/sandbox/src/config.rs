//! What to start: address, mounted services and limits.

use std::fmt;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use crate::Service;
use crate::clock::Clock;
use crate::neto::NetoService;
use crate::securitytrax::SecurityTraxService;

/// The default cap on a request body: 8 MiB; larger requests get 413.
pub const DEFAULT_MAX_REQUEST_BODY: usize = 8 * 1024 * 1024;

/// The default bound on how long [`SandboxHandle::shutdown`](crate::SandboxHandle::shutdown)
/// waits for in-flight requests before cutting their connections.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(5);

/// The default bound on reading a request body once its head has arrived: 10 s.
/// A body that has not fully arrived by then is answered 408 and its connection closed.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The default bound on reading a request head (the request line and headers),
/// counted from when the connection starts waiting for it (idle keep-alive
/// connections included): 10 s. The connection is then closed without an answer.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How to start a sandbox; build it with the chained setters.
///
/// ```
/// use std::time::Duration;
/// use sandbox::SandboxConfig;
///
/// let config = SandboxConfig::new()
///     .addr("127.0.0.1:0".parse().unwrap())
///     .max_request_body(1024)
///     .shutdown_timeout(Duration::from_secs(1))
///     .body_read_timeout(Duration::from_secs(2))
///     .header_read_timeout(Duration::from_secs(2));
/// assert_eq!(config.local_addr().port(), 0);
/// ```
#[derive(Clone)]
pub struct SandboxConfig {
    pub(crate) addr: SocketAddr,
    pub(crate) services: Vec<Arc<dyn Service>>,
    pub(crate) max_request_body: usize,
    pub(crate) shutdown_timeout: Duration,
    pub(crate) body_read_timeout: Duration,
    pub(crate) header_read_timeout: Duration,
    pub(crate) clock: Clock,
}

impl SandboxConfig {
    /// Listen on `127.0.0.1:0` (a free loopback port), no services mounted, default limits.
    pub fn new() -> Self {
        Self {
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            services: Vec::new(),
            max_request_body: DEFAULT_MAX_REQUEST_BODY,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            clock: Clock::real(),
        }
    }

    /// Like [`SandboxConfig::new`], with every simulated service this crate has
    /// mounted with its demo data: [`SecurityTraxService::demo`] at
    /// `/securitytrax`, [`PeoplevineService::demo`](crate::PeoplevineService::demo) at
    /// `/peoplevine` and [`NetoService::demo`] at `/neto`. To read a service's state back in a test, mount your own
    /// `Arc` of it with [`SandboxConfig::service`] instead.
    ///
    /// ```
    /// let config = sandbox::SandboxConfig::with_all_services();
    /// assert!(format!("{config:?}").contains("securitytrax"));
    /// ```
    pub fn with_all_services() -> Self {
        Self::new()
            .service(Arc::new(SecurityTraxService::demo()))
            .service(Arc::new(crate::peoplevine::PeoplevineService::demo()))
            .service(Arc::new(NetoService::demo()))
    }

    /// Listen on this address instead.
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Mount a service under `/{service.name()}`.
    pub fn service(mut self, service: Arc<dyn Service>) -> Self {
        self.services.push(service);
        self
    }

    /// Answer 413 to request bodies larger than this many bytes.
    pub fn max_request_body(mut self, bytes: usize) -> Self {
        self.max_request_body = bytes;
        self
    }

    /// Bound the wait for in-flight requests on shutdown.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Answer 408 (and close the connection) when a request body has not fully
    /// arrived this long after its head ([`DEFAULT_BODY_READ_TIMEOUT`] by default),
    /// so a client that stalls mid-body cannot hold a connection forever.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// Close a connection whose request head has not fully arrived this long after
    /// the connection started waiting for it ([`DEFAULT_HEADER_READ_TIMEOUT`] by
    /// default). This also bounds how long an idle keep-alive connection is kept.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Read time from `clock` instead of the real clock: pass a
    /// [`ManualClock`](crate::ManualClock) (keep a clone) and move it forward with
    /// [`ManualClock::advance`](crate::ManualClock::advance) to expire tokens or
    /// open rate windows without sleeping. Every mounted service reads it from the
    /// requests it gets ([`Clock::of`]).
    ///
    /// ```
    /// use std::time::Duration;
    /// use sandbox::{ManualClock, SandboxConfig};
    ///
    /// let manual = ManualClock::new();
    /// let config = SandboxConfig::with_all_services().clock(manual.clone());
    /// // ... start the sandbox, send requests ...
    /// manual.advance(Duration::from_secs(31 * 60)); // a 30-minute token is now expired
    /// # let _ = config;
    /// ```
    pub fn clock(mut self, clock: impl Into<Clock>) -> Self {
        self.clock = clock.into();
        self
    }

    /// The address the sandbox will bind (port 0 means "any free port").
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for SandboxConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.services.iter().map(|s| s.name()).collect();
        f.debug_struct("SandboxConfig")
            .field("addr", &self.addr)
            .field("services", &names)
            .field("max_request_body", &self.max_request_body)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("clock", &self.clock)
            .finish()
    }
}
