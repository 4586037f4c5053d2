//! The clients compared: the facade over either backend, and the two bare
//! clients posting the same bytes.

use std::net::SocketAddr;

use bytes::Bytes;
use facade::securitytrax::Client;
use facade::transport::{Backend, HttpTransport};
use http::{Request, StatusCode, Uri};
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client as LegacyClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use crate::template::{Operation, RequestTemplate, facade_client};

/// Which client sends the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ClientKind {
    /// `facade::securitytrax::Client` over `transport`'s hyper backend.
    FacadeHyper,
    /// `facade::securitytrax::Client` over `transport`'s reqwest backend.
    FacadeReqwest,
    /// A bare `hyper_util::client::legacy::Client` (plain `HttpConnector`,
    /// `TCP_NODELAY` as the hyper backend sets it) posting the template.
    BareHyper,
    /// A bare `reqwest::Client` (no proxy) posting the template to a URL
    /// parsed once.
    BareReqwest,
}

impl ClientKind {
    /// Every client, facade first.
    pub const ALL: [Self; 4] = [
        Self::FacadeHyper,
        Self::BareHyper,
        Self::FacadeReqwest,
        Self::BareReqwest,
    ];

    /// The name in the table.
    pub fn label(self) -> &'static str {
        match self {
            Self::FacadeHyper => "facade+hyper",
            Self::FacadeReqwest => "facade+reqwest",
            Self::BareHyper => "bare hyper-util",
            Self::BareReqwest => "bare reqwest",
        }
    }
}

/// The command-line name (`facade-hyper`, …).
impl std::fmt::Display for ClientKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::FacadeHyper => "facade-hyper",
            Self::FacadeReqwest => "facade-reqwest",
            Self::BareHyper => "bare-hyper",
            Self::BareReqwest => "bare-reqwest",
        })
    }
}

/// One built client, ready to send its request again and again.
pub struct Driver {
    inner: Inner,
}

enum Inner {
    Facade {
        client: Client<HttpTransport>,
        operation: Operation,
    },
    BareHyper {
        client: LegacyClient<HttpConnector, Full<Bytes>>,
        uri: Uri,
        template: RequestTemplate,
    },
    BareReqwest {
        client: reqwest::Client,
        url: reqwest::Url,
        template: RequestTemplate,
    },
}

impl std::fmt::Debug for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.inner {
            Inner::Facade { .. } => "facade",
            Inner::BareHyper { .. } => "bare hyper-util",
            Inner::BareReqwest { .. } => "bare reqwest",
        };
        f.debug_struct("Driver")
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

impl Driver {
    /// A `kind` client of the server at `addr`: the facade sends `operation`,
    /// the bare clients post `template` (the same bytes) to its route.
    ///
    /// # Errors
    /// When a client cannot be built or the route is not a valid URI.
    pub fn new(
        kind: ClientKind,
        addr: SocketAddr,
        operation: Operation,
        template: &RequestTemplate,
    ) -> Result<Self, String> {
        let url = format!("http://{addr}{}", template.path);
        let inner = match kind {
            ClientKind::FacadeHyper => Inner::Facade {
                client: facade_client(addr, Backend::Hyper)?,
                operation,
            },
            ClientKind::FacadeReqwest => Inner::Facade {
                client: facade_client(addr, Backend::Reqwest)?,
                operation,
            },
            ClientKind::BareHyper => {
                let mut connector = HttpConnector::new();
                connector.set_nodelay(true);
                Inner::BareHyper {
                    client: LegacyClient::builder(TokioExecutor::new()).build(connector),
                    uri: url.parse().map_err(|error| format!("{url}: {error}"))?,
                    template: template.clone(),
                }
            }
            ClientKind::BareReqwest => {
                // reqwest is built without a default TLS provider (as `transport`
                // uses it); plain HTTP needs none, but building a client does.
                let _ = rustls::crypto::ring::default_provider().install_default();
                Inner::BareReqwest {
                    client: reqwest::Client::builder()
                        .no_proxy()
                        .build()
                        .map_err(|error| format!("reqwest: {error}"))?,
                    url: url.parse().map_err(|error| format!("{url}: {error}"))?,
                    template: template.clone(),
                }
            }
        };
        Ok(Self { inner })
    }

    /// Sends one request and reads its whole answer; the bare clients check
    /// the status is 200, the facade decodes the answer.
    ///
    /// # Errors
    /// Whatever went wrong, as text.
    pub async fn send_one(&self) -> Result<(), String> {
        match &self.inner {
            Inner::Facade { client, operation } => operation.call(client).await,
            Inner::BareHyper {
                client,
                uri,
                template,
            } => {
                let mut builder = Request::builder()
                    .method(template.method.clone())
                    .uri(uri.clone());
                for (name, value) in &template.headers {
                    builder = builder.header(name, value);
                }
                let request = builder
                    .body(Full::new(template.body.clone()))
                    .map_err(|error| error.to_string())?;
                let response = client
                    .request(request)
                    .await
                    .map_err(|error| error.to_string())?;
                let status = response.status();
                let body = response
                    .into_body()
                    .collect()
                    .await
                    .map_err(|error| error.to_string())?
                    .to_bytes();
                check(status, &body)
            }
            Inner::BareReqwest {
                client,
                url,
                template,
            } => {
                let mut builder = client.request(template.method.clone(), url.clone());
                for (name, value) in &template.headers {
                    builder = builder.header(name, value);
                }
                let response = builder
                    .body(template.body.clone())
                    .send()
                    .await
                    .map_err(|error| error.to_string())?;
                let status = response.status();
                let body = response.bytes().await.map_err(|error| error.to_string())?;
                check(status, &body)
            }
        }
    }
}

fn check(status: StatusCode, body: &Bytes) -> Result<(), String> {
    if status == StatusCode::OK && !body.is_empty() {
        Ok(())
    } else {
        Err(format!("answered {status} with {} bytes", body.len()))
    }
}
