//! The mounted service: HTTP checks, document decoding, execution, encoding, and
//! read access to what it stored.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard};

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{Method, Request, Response, StatusCode};
use strax_xml_protocol::server::{
    DecodedRequest, PreparedEcho, RequestDecodeError, ResponseSink, decode_request_for_accounts,
    write_prepared_response, write_response,
};
use strax_xml_protocol::{Customer, WriteError};

use super::config::SecurityTraxConfig;
use super::document::{Reply, answer};
use super::leads::{LeadStore, Posted, answer_post, lead_post_site};
use super::records::{StoredAppointment, StoredNote};
use super::reply::{check_content_type, method_not_allowed, text, xml};
use super::route::resolve;
use super::store::{Customers, Executed, Store};
use crate::{Clock, Service};

/// The simulated SecurityTrax legacy XML API, mounted at `/securitytrax`.
///
/// Documents are posted to `/securitytrax/{site}/informationrequester.php` (reads)
/// and `/securitytrax/{site}/informationposter.php` (writes). State lives in memory
/// behind a read-write lock; keep an `Arc` of the service to read it back in a test.
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
    /// The seeded customers: never changed, so read without a lock.
    customers: Customers,
    store: RwLock<Store>,
    leads: Mutex<LeadStore>,
    /// The `<system_request>` echo of each account (`config.accounts`, same
    /// order), written once; `None` for an account whose credentials cannot
    /// be written (the echo is then written, and refused, per request).
    echoes: Vec<Option<PreparedEcho>>,
}

impl SecurityTraxService {
    /// The path segment the service is mounted at.
    pub const NAME: &'static str = "securitytrax";

    /// A service set up by `config`.
    #[must_use]
    pub fn new(config: SecurityTraxConfig) -> Self {
        Self {
            customers: Customers::new(&config.customers),
            echoes: config
                .accounts
                .iter()
                .map(|account| PreparedEcho::new(account).ok())
                .collect(),
            config,
            store: RwLock::new(Store::default()),
            leads: Mutex::new(LeadStore::default()),
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
        self.customers.record(security_trax_unique_id).cloned()
    }

    /// The leads accepted by the lead post, in order, with their customer ids.
    #[must_use]
    pub fn posted_leads(&self) -> Vec<Posted<strax_leads::Lead>> {
        self.lead_store().leads().to_vec()
    }

    /// The customers accepted by the customer post, in order, with their ids.
    #[must_use]
    pub fn posted_customers(&self) -> Vec<Posted<strax_leads::Customer>> {
        self.lead_store().customers().to_vec()
    }

    /// How many times each `lead_company_unique_id` arrived in a lead post,
    /// accepted or not (leads without one are not counted).
    #[must_use]
    pub fn lead_arrivals(&self) -> BTreeMap<String, usize> {
        self.lead_store().lead_arrivals().clone()
    }

    /// How many times each `partner_company_unique_id` arrived in a customer post.
    #[must_use]
    pub fn customer_arrivals(&self) -> BTreeMap<String, usize> {
        self.lead_store().customer_arrivals().clone()
    }

    /// How many posted leads and customers were refused.
    #[must_use]
    pub fn posted_records_rejected(&self) -> usize {
        self.lead_store().rejected()
    }

    fn lead_store(&self) -> MutexGuard<'_, LeadStore> {
        // Each post updates the store under one lock, in single steps.
        self.leads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn store(&self) -> RwLockReadGuard<'_, Store> {
        // Every update is a single push or insert, so the state stays consistent
        // even if a panic poisoned the lock.
        self.store.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn respond(&self, path: &str, request: &Request<Bytes>) -> Response<Bytes> {
        if lead_post_site(path, &self.config.lead_script, &self.config.sites).is_some() {
            if request.method() != Method::POST {
                return method_not_allowed(request.method());
            }
            if let Err(message) = check_content_type(request.headers().get(CONTENT_TYPE)) {
                return text(StatusCode::BAD_REQUEST, &message);
            }
            return answer_post(request.body(), self.config.max_records, &self.leads);
        }
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
        // Credentials equal to an account's come back as that account's (shared, not copied).
        let decoded = match decode_request_for_accounts(
            request.body(),
            self.config.max_operations,
            &self.config.accounts,
        ) {
            Ok(decoded) => decoded,
            Err(
                error @ (RequestDecodeError::MissingAuthentication { .. }
                | RequestDecodeError::MissingCredential { .. }),
            ) => {
                tracing::info!("securitytrax sandbox refused a document without authentication");
                return refusal(&error);
            }
            Err(error @ RequestDecodeError::TooManyOperations { .. }) => {
                // Refused before anything is decoded or answered in full.
                tracing::info!(
                    limit = self.config.max_operations,
                    "securitytrax sandbox refused a document over its operation limit"
                );
                return refusal(&error);
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
        let DecodedRequest {
            credentials,
            operations,
        } = decoded;
        let now = Clock::of(request).system_time();
        let (replies, account) = answer(
            &credentials,
            operations,
            target.script,
            &self.config,
            &self.customers,
            &self.store,
            now,
        );
        let write = |sink: &mut ResponseSink<'_>| {
            replies.iter().try_for_each(|reply| match reply {
                Reply::Authenticated => sink.authenticated(),
                Reply::AuthenticationFailed(message) => sink.authentication_failed(message),
                Reply::Executed(Executed::Success(success)) => sink.success(success),
                Reply::Executed(Executed::Customer(customer)) => sink.customer_status(customer),
                Reply::Failure {
                    request_type,
                    messages,
                } => sink.failure(request_type, messages),
            })
        };
        if !self.config.echo_system_request {
            return respond_with(write_response(None, write));
        }
        // Credentials that matched an account are byte for byte the
        // account's: their echo was written once.
        match account.and_then(|index| self.echoes.get(index)?.as_ref()) {
            Some(prepared) => respond_with(write_prepared_response(prepared, write)),
            None => respond_with(write_response(Some(&credentials), write)),
        }
    }
}

/// A document refused as a whole: one failed authentication naming why, no echo.
fn refusal(error: &RequestDecodeError) -> Response<Bytes> {
    respond_with(write_response(None, |sink| {
        sink.authentication_failed(&error.to_string())
    }))
}

/// 200 with the written document, or 500 when it could not be written.
fn respond_with(written: Result<Bytes, WriteError>) -> Response<Bytes> {
    match written {
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

impl Service for SecurityTraxService {
    fn name(&self) -> &'static str {
        Self::NAME
    }

    fn handle(&self, path: &str, request: Request<Bytes>) -> Response<Bytes> {
        self.respond(path, &request)
    }

    fn control(&self, what: &str) -> Option<serde_json::Value> {
        match what {
            "lead-arrivals" => Some(serde_json::json!(self.lead_arrivals())),
            "customer-arrivals" => Some(serde_json::json!(self.customer_arrivals())),
            _ => None,
        }
    }

    fn control_names(&self) -> &'static [&'static str] {
        &["lead-arrivals", "customer-arrivals"]
    }
}
