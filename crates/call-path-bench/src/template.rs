//! The operation measured, the facade client that sends it, and the exact
//! request it becomes on the wire.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use facade::securitytrax::{Client, CreateCustomerNote, Credentials, Endpoint, NoteType};
use facade::transport::{Backend, HttpTransport, TransportConfig};
use http::{HeaderMap, Method, header};
use sandbox::securitytrax::{
    DEMO_PARTNER_ID, DEMO_PASSWORD, DEMO_SITE, DEMO_USERNAME, SecurityTraxService,
};
use sandbox::{SandboxConfig, SandboxError, SandboxHandle};

use crate::minimal::MinimalServer;

/// The demo customer every operation is about.
pub const CUSTOMER: &str = "9710";

/// The SecurityTrax operation each request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Operation {
    /// `CreateCustomerNoteBySecurityTraxUniqueID` (a write, to the poster
    /// script; the answer is a short `<data/>`): crmwire's main job.
    Note,
    /// `GetCustomerStatusBySecurityTraxUniqueID` (a read, to the requester
    /// script; the answer carries the whole customer record).
    Status,
}

impl Operation {
    /// The name used on the command line and in the table.
    pub fn name(self) -> &'static str {
        match self {
            Self::Note => "note",
            Self::Status => "status",
        }
    }

    /// The facade method this operation is measured through.
    pub fn facade_method(self) -> &'static str {
        match self {
            Self::Note => "Client::add_customer_note",
            Self::Status => "Client::customer_status",
        }
    }

    /// Sends the operation through `client` and checks it succeeded; the
    /// error is the facade error's message (it never holds the password).
    ///
    /// # Errors
    /// The facade's error, as text.
    pub async fn call(self, client: &Client<HttpTransport>) -> Result<(), String> {
        match self {
            Self::Note => client
                .add_customer_note(CreateCustomerNote::new(
                    CUSTOMER,
                    "Yard sign",
                    "Wants a new yard sign by the side gate",
                    NoteType::Sales,
                ))
                .await
                .map_err(|error| error.to_string()),
            Self::Status => match client.customer_status(CUSTOMER).await {
                Ok(customer) if customer.security_trax_unique_id.as_deref() == Some(CUSTOMER) => {
                    Ok(())
                }
                Ok(_) => Err("the answer is about another customer".to_owned()),
                Err(error) => Err(error.to_string()),
            },
        }
    }
}

/// A facade SecurityTrax client of the server at `addr` (the sandbox's demo
/// account, SecurityTrax mounted at `/securitytrax`) over `backend`, with the
/// default transport configuration and retry policy.
///
/// # Errors
/// When the backend cannot be built.
pub fn facade_client(addr: SocketAddr, backend: Backend) -> Result<Client<HttpTransport>, String> {
    let endpoint = Endpoint::new(&format!("http://{addr}/securitytrax"), DEMO_SITE)
        .map_err(|error| format!("endpoint: {error}"))?;
    let credentials = Credentials::new(DEMO_USERNAME, DEMO_PASSWORD, DEMO_PARTNER_ID);
    let transport = HttpTransport::new(backend, TransportConfig::default())
        .map_err(|error| format!("transport: {error}"))?;
    Ok(Client::new(endpoint, credentials, transport))
}

/// Starts the sandbox with the SecurityTrax demo account on `addr`, on the
/// current tokio runtime.
///
/// # Errors
/// When it cannot bind.
pub async fn start_sandbox(addr: SocketAddr) -> Result<SandboxHandle, SandboxError> {
    sandbox::start(
        SandboxConfig::new()
            .addr(addr)
            .shutdown_timeout(Duration::from_secs(1))
            .service(Arc::new(SecurityTraxService::demo())),
    )
    .await
}

/// The request the facade sends for one operation, as received by a server:
/// what the bare clients send, byte for byte, to the same route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestTemplate {
    /// The method (`POST`).
    pub method: Method,
    /// The route (`/securitytrax/demo/informationposter.php` or
    /// `…/informationrequester.php`).
    pub path: String,
    /// The headers the facade sets, without `host` and `content-length`
    /// (every client sets those itself).
    pub headers: HeaderMap,
    /// The document.
    pub body: Bytes,
}

/// Captures the request the facade (hyper backend) sends for `operation`:
/// one call to an in-process [`MinimalServer`] that records it (its answer is
/// not a SecurityTrax document, so the call itself fails; only the request
/// matters).
///
/// # Errors
/// When the recorder cannot start or the facade sent nothing.
pub async fn capture_template(operation: Operation) -> Result<RequestTemplate, String> {
    let recorder = MinimalServer::start(
        SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
        None,
        None,
        Bytes::from_static(b"<root/>"),
        1,
    )
    .await
    .map_err(|error| format!("recorder: {error}"))?;
    let client = facade_client(recorder.local_addr(), Backend::Hyper)?
        .with_request_timeout(Duration::from_secs(5));
    let _ = operation.call(&client).await;
    drop(client);
    let recorded = recorder.recorded();
    recorder.shutdown().await;
    let mut request = recorded
        .into_iter()
        .next()
        .ok_or("the facade sent no request to the recorder")?;
    request.headers.remove(header::HOST);
    request.headers.remove(header::CONTENT_LENGTH);
    Ok(RequestTemplate {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
    })
}
