//! The trait a simulated service implements to be mounted in the sandbox.

use bytes::Bytes;

/// A simulated service mounted under `/{name}`.
///
/// Handlers are synchronous over in-memory state: the sandbox has already read the
/// whole request body (within its size cap) and applies faults around the call. A
/// handler that panics is answered with a 500 and the sandbox keeps serving.
///
/// Time-dependent behaviour (token expiry, rate windows, stamps) reads the
/// sandbox's clock from the request, `Clock::of(&request)`, never the system
/// clock, so a test can move time with a [`ManualClock`](crate::ManualClock).
///
/// Mounting one is a single line: `SandboxConfig::new().service(Arc::new(MyService))`.
///
/// ```
/// use bytes::Bytes;
/// use sandbox::Service;
///
/// /// Answers every request with the path it was given.
/// struct PathEcho;
///
/// impl Service for PathEcho {
///     fn name(&self) -> &'static str {
///         "pathecho"
///     }
///
///     fn handle(&self, path: &str, _request: http::Request<Bytes>) -> http::Response<Bytes> {
///         http::Response::new(Bytes::copy_from_slice(path.as_bytes()))
///     }
/// }
///
/// let response = PathEcho.handle("/a/b", http::Request::new(Bytes::new()));
/// assert_eq!(response.body().as_ref(), b"/a/b");
/// ```
pub trait Service: Send + Sync + 'static {
    /// The first path segment the service is mounted at, e.g. `"securitytrax"` for
    /// `/securitytrax/...`. Non-empty, made of ASCII letters, digits, `-`, `_` and `.`,
    /// and not starting with `__` (reserved for the sandbox's own routes).
    fn name(&self) -> &'static str;

    /// Answers one request. `path` is the request path after `/{name}`, always starting
    /// with `/` (a request for exactly `/{name}` gets `/`); the query stays in
    /// `request.uri()`.
    fn handle(&self, path: &str, request: http::Request<Bytes>) -> http::Response<Bytes>;

    /// The names of the request headers that carry this service's secrets (any
    /// case), e.g. `["NETOAPI_KEY"]`. The sandbox hides their values wherever it
    /// shows headers (the `/__sandbox/echo` route), on top of every name that
    /// [looks secret](wire_core::headers::is_secret_header). The default declares none.
    fn secret_headers(&self) -> &'static [&'static str] {
        &[]
    }

    /// A JSON view of the service's state named `what`, served at
    /// `GET /__sandbox/services/{name}/{what}` and by
    /// [`SandboxHandle::control`](crate::SandboxHandle::control), so that
    /// tests and users can check what the service received (e.g. how many
    /// times each lead arrived). `None` for a name the service does not know;
    /// the default knows none.
    fn control(&self, what: &str) -> Option<serde_json::Value> {
        let _ = what;
        None
    }

    /// The names [`control`](Self::control) answers, for error messages.
    fn control_names(&self) -> &'static [&'static str] {
        &[]
    }
}
