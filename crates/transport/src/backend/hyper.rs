//! The hyper backend: hyper-util's pooled legacy client over hyper-rustls.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};
use http_body_util::{BodyExt, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::deadline_connector::DeadlineConnector;
use super::host_header::HostHeaderCache;
use crate::body::CappedBody;
use crate::classify::{Failure, Stage, chain_has_io_timeout, classify};
use crate::{Transport, TransportBuildError, TransportConfig, TransportError, pipeline, tls};

/// A [`Transport`] over hyper-util's pooled client (HTTP/1.1) with
/// hyper-rustls (ring provider, `webpki-roots`); no proxy, no redirects (a
/// `3xx` is returned as is), no automatic retries of requests that were sent.
#[derive(Debug, Clone)]
pub struct HyperTransport {
    // Behind an Arc: the client is large, and this keeps `HttpTransport` small
    // and clones cheap.
    client: Arc<Client<DeadlineConnector<HttpsConnector<HttpConnector>>, Full<Bytes>>>,
    // The `Host` value of the last authority, shared by the clones.
    host: Arc<HostHeaderCache>,
    config: TransportConfig,
}

impl HyperTransport {
    /// Builds the client for `config`. Building needs no runtime; sending
    /// must happen within a tokio runtime.
    ///
    /// ```
    /// let transport = transport::HyperTransport::new(transport::TransportConfig::default())?;
    /// # drop(transport);
    /// # Ok::<(), transport::TransportBuildError>(())
    /// ```
    pub fn new(config: TransportConfig) -> Result<Self, TransportBuildError> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        // Bounds each TCP connect attempt (so a second address gets a turn);
        // the DeadlineConnector bounds the whole connect, TLS included.
        http.set_connect_timeout(Some(config.connect_timeout()));
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_tls_config(tls::client_config()?)
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        let connector = DeadlineConnector::new(https, config.connect_timeout());
        let client = Client::builder(TokioExecutor::new())
            .pool_timer(TokioTimer::new())
            .build(connector);
        Ok(Self {
            client: Arc::new(client),
            host: Arc::default(),
            config,
        })
    }

    /// The configuration this transport was built with.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let connect_timeout = self.config.connect_timeout();
        let method = request.method().clone();
        let (mut parts, body) = request.into_parts();
        self.host.fill(&mut parts.headers, &parts.uri);
        let response = self
            .client
            .request(Request::from_parts(parts, Full::new(body)))
            .await
            .map_err(|error| classify(send_failure(error), connect_timeout))?;
        let (parts, mut incoming) = response.into_parts();
        let mut body = CappedBody::new(
            self.config.body_limit(),
            &method,
            parts.status,
            &parts.headers,
        )?;
        while let Some(frame) = incoming.frame().await {
            let frame = frame.map_err(|error| {
                classify(
                    Failure {
                        stage: Stage::ReadingBody,
                        timed_out: error.is_timeout(),
                        source: Box::new(error),
                    },
                    connect_timeout,
                )
            })?;
            if let Ok(chunk) = frame.into_data() {
                body.push(chunk)?;
            }
        }
        Ok(Response::from_parts(parts, body.finish()))
    }
}

/// Reduces a client error to a [`Failure`]: connector errors happened while
/// connecting; an error without a cause is one of hyper-util's refusals of
/// the request itself (unsupported method or version); anything else came
/// after the connection was handed the request.
fn send_failure(error: hyper_util::client::legacy::Error) -> Failure {
    use std::error::Error as _;
    let stage = if error.is_connect() {
        Stage::Connecting
    } else if error.source().is_none() {
        Stage::Refused
    } else {
        Stage::Exchanging
    };
    Failure {
        stage,
        timed_out: chain_has_io_timeout(&error),
        source: Box::new(error),
    }
}

impl Transport for HyperTransport {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        pipeline::run(&self.config, request, |request| self.exchange(request))
    }
}

crate::transport::forward_transport_for_ref! {
    impl for HyperTransport;
}
