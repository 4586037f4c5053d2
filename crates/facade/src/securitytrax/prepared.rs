//! [`PreparedRequest`]: the exact request a call would send, for dry runs.

use std::fmt;

use bytes::Bytes;
use http::Request;
pub use strax_xml_protocol::REDACTED_PASSWORD;
use strax_xml_protocol::{RequestType, Script};

/// One request document exactly as it would be sent, built without sending
/// anything (for a `--dry-run`).
///
/// [`request`](Self::request) is the real request, password included: hand it
/// to a transport, never print it. [`redacted`](Self::redacted) is the same
/// request with the password replaced by [`REDACTED_PASSWORD`] (built by
/// [`Batch::encode_redacted_for_display`](strax_xml_protocol::Batch::encode_redacted_for_display)):
/// print that.
/// `Debug` shows the redacted one.
///
/// The transport adds its `User-Agent` (and the HTTP stack its
/// `Content-Length` and `Host`) when sending.
pub struct PreparedRequest {
    script: Script,
    request_types: Vec<RequestType>,
    request: Request<Bytes>,
    redacted: Request<Bytes>,
}

impl PreparedRequest {
    pub(crate) fn new(
        script: Script,
        request_types: Vec<RequestType>,
        request: Request<Bytes>,
        redacted: Request<Bytes>,
    ) -> Self {
        Self {
            script,
            request_types,
            request,
            redacted,
        }
    }

    /// The script the document goes to (reads: requester, writes: poster).
    #[must_use]
    pub fn script(&self) -> Script {
        self.script
    }

    /// The request types of the document's operations, in order.
    #[must_use]
    pub fn request_types(&self) -> &[RequestType] {
        &self.request_types
    }

    /// The exact request, password included. Do not print or log it.
    #[must_use]
    pub fn request(&self) -> &Request<Bytes> {
        &self.request
    }

    /// The exact request, password included.
    #[must_use]
    pub fn into_request(self) -> Request<Bytes> {
        self.request
    }

    /// The same request with the password replaced by
    /// [`REDACTED_PASSWORD`]: safe to print.
    #[must_use]
    pub fn redacted(&self) -> &Request<Bytes> {
        &self.redacted
    }
}

impl fmt::Debug for PreparedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PreparedRequest")
            .field("script", &self.script)
            .field("request_types", &self.request_types)
            .field("method", self.redacted.method())
            .field("uri", self.redacted.uri())
            .field("headers", self.redacted.headers())
            .field("body", &String::from_utf8_lossy(self.redacted.body()))
            .finish()
    }
}
