//! The mounted service: HTTP checks, document decoding, execution, encoding, and
//! read access to what it stored.

use std::sync::{Mutex, MutexGuard, PoisonError};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{Method, Request, Response, StatusCode};
use strax_xml_protocol::Customer;
use strax_xml_protocol::server::{
    RequestDecodeError, ResponseEntry, decode_request_limited, encode_response,
    encode_response_echoing, system_request_echo,
};

use super::config::SecurityTraxConfig;
use super::document::answer;
use super::records::{StoredAppointment, StoredNote};
use super::reply::{check_content_type, method_not_allowed, text, xml};
use super::route::resolve;
use super::store::Store;
use crate::{Clock, Service};

/// The simulated SecurityTrax legacy XML API, mounted at `/securitytrax`.
///
/// Documents are posted to `/securitytrax/{site}/informationrequester.php` (reads)
/// and `/securitytrax/{site}/informationposter.php` (writes). State lives in memory
/// behind a mutex; keep an `Arc` of the service to read it back in a test.
///
/// ```
/// use std::sync::Arc;
/// use sandbox::securitytrax::SecurityTraxService;
/// use sandbox::{SandboxConfig, Service};
///
/// let service = Arc::new(SecurityTraxService::demo());
/// let config = SandboxConfig::new().service(service.clone());
/// assert_eq!(service.name(), "securitytrax");
/// assert!(service.notes("9710").is_empty());
/// # let _ = config;
/// ```
#[derive(Debug)]
pub struct SecurityTraxService {
    config: SecurityTraxConfig,
    store: Mutex<Store>,
}

impl SecurityTraxService {
    /// The path segment the service is mounted at.
    pub const NAME: &'static str = "securitytrax";

    /// A service set up by `config`.
    #[must_use]
    pub fn new(config: SecurityTraxConfig) -> Self {
        let store = Store::new(&config.customers);
        Self {
            config,
            store: Mutex::new(store),
        }
    }

    /// A service set up by [`SecurityTraxConfig::demo`].
    #[must_use]
    pub fn demo() -> Self {
        Self::new(SecurityTraxConfig::demo())
    }

    /// The set-up it was built with.
    #[must_use]
    pub fn config(&self) -> &SecurityTraxConfig {
        &self.config
    }

    /// The notes stored for the customer `security_trax_unique_id`, oldest first.
    #[must_use]
    pub fn notes(&self, security_trax_unique_id: &str) -> Vec<StoredNote> {
        self.store().notes(security_trax_unique_id)
    }

    /// The appointments stored for the customer, oldest first.
    #[must_use]
    pub fn appointments(&self, security_trax_unique_id: &str) -> Vec<StoredAppointment> {
        self.store().appointments(security_trax_unique_id)
    }

    /// The confirmation (receiver) number last set for the customer.
    #[must_use]
    pub fn confirmation_number(&self, security_trax_unique_id: &str) -> Option<String> {
        self.store().confirmation_number(security_trax_unique_id)
    }

    /// The customer's record, as a status look-up answers it.
    #[must_use]
    pub fn customer(&self, security_trax_unique_id: &str) -> Option<Customer> {
        self.store().customer(security_trax_unique_id)
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // Every update is a single push or insert, so the state stays consistent
        // even if a panic poisoned the lock.
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn respond(&self, path: &str, request: &Request<Bytes>) -> Response<Bytes> {
        let target = match resolve(path, &self.config) {
            Ok(target) => target,
            Err(message) => return text(StatusCode::NOT_FOUND, &message),
        };
        if request.method() != Method::POST {
            return method_not_allowed(request.method());
        }
        if let Err(message) = check_content_type(request.headers().get(CONTENT_TYPE)) {
            return text(StatusCode::BAD_REQUEST, &message);
        }
        if request.body().iter().all(u8::is_ascii_whitespace) {
            return text(
                StatusCode::BAD_REQUEST,
                "the body is empty: expected an XML request document <root><requests>...",
            );
        }
        let decoded = match decode_request_limited(request.body(), self.config.max_operations) {
            Ok(decoded) => decoded,
            Err(
                error @ (RequestDecodeError::MissingAuthentication { .. }
                | RequestDecodeError::MissingCredential { .. }),
            ) => {
                tracing::info!("securitytrax sandbox refused a document without authentication");
                let refusal = ResponseEntry::authentication_failed(error.to_string());
                return self.encode(&[refusal], None);
            }
            Err(error @ RequestDecodeError::TooManyOperations { .. }) => {
                // Refused before anything is decoded or answered in full.
                tracing::info!(
                    limit = self.config.max_operations,
                    "securitytrax sandbox refused a document over its operation limit"
                );
                let refusal = ResponseEntry::authentication_failed(error.to_string());
                return self.encode(&[refusal], None);
            }
            Err(error) => {
                // The reason goes to the client only: parser messages may quote the document.
                tracing::info!("securitytrax sandbox refused an unreadable document");
                return text(StatusCode::BAD_REQUEST, &error.to_string());
            }
        };
        tracing::debug!(
            site = %target.site,
            script = ?target.script,
            operations = decoded.operations.len(),
            "securitytrax sandbox document"
        );
        let echo = self
            .config
            .echo_system_request
            .then(|| system_request_echo(&decoded.credentials));
        let now = Clock::of(request).system_time();
        let entries = answer(decoded, target.script, &self.config, &mut self.store(), now);
        self.encode(&entries, echo.as_ref())
    }

    fn encode(
        &self,
        entries: &[ResponseEntry],
        echo: Option<&strax_xml_protocol::XmlElement>,
    ) -> Response<Bytes> {
        let encoded = match echo {
            Some(echo) => encode_response_echoing(entries, echo),
            None => encode_response(entries),
        };
        match encoded {
            Ok(document) => xml(document),
            Err(error) => {
                tracing::error!(error = %error, "securitytrax sandbox could not write its response");
                text(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    &format!("the sandbox could not write the response document: {error}"),
                )
            }
        }
    }
}

impl Service for SecurityTraxService {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn handle(&self, path: &str, request: Request<Bytes>) -> Response<Bytes> {
        self.respond(path, &request)
    }
}
