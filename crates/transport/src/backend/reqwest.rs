//! The reqwest backend.

use std::future::Future;

use bytes::Bytes;
use http::{Request, Response};

use crate::body::CappedBody;
use crate::classify::{Failure, Stage, classify, describe_chain};
use crate::{Transport, TransportBuildError, TransportConfig, TransportError, pipeline, tls};

/// A [`Transport`] over a pooled `reqwest::Client`, with rustls (ring
/// provider, `webpki-roots`), no proxy, no redirects (a `3xx` is returned as
/// is) and no automatic retries.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    config: TransportConfig,
}

impl ReqwestTransport {
    /// Builds the client for `config`. Building needs no runtime; sending
    /// must happen within a tokio runtime.
    ///
    /// ```
    /// let transport = transport::ReqwestTransport::new(transport::TransportConfig::default())?;
    /// # drop(transport);
    /// # Ok::<(), transport::TransportBuildError>(())
    /// ```
    pub fn new(config: TransportConfig) -> Result<Self, TransportBuildError> {
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls::client_config()?)
            .connect_timeout(config.connect_timeout_value())
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .no_proxy()
            .build()
            .map_err(|error| TransportBuildError::Client {
                detail: describe_chain(&error.without_url()),
            })?;
        Ok(Self { client, config })
    }

    /// The configuration this transport was built with.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }

    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let connect_timeout = self.config.connect_timeout_value();
        let method = request.method().clone();
        let request = reqwest::Request::try_from(request)
            .map_err(|error| TransportError::invalid(describe_chain(&error.without_url())))?;
        let mut response = self
            .client
            .execute(request)
            .await
            .map_err(|error| classify(failure(error, Stage::Exchanging), connect_timeout))?;
        let mut body = CappedBody::new(
            self.config.body_limit_bytes(),
            &method,
            response.status(),
            response.headers(),
        )?;
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|error| classify(failure(error, Stage::ReadingBody), connect_timeout))?
        {
            body.push(&chunk)?;
        }
        let mut head = Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = std::mem::take(response.headers_mut());
        let (parts, ()) = head.into_parts();
        Ok(Response::from_parts(parts, body.finish()))
    }
}

/// Reduces a reqwest error (URL removed) to a [`Failure`]; `stage` is where
/// the caller was when it happened, refined by what reqwest reports.
fn failure(error: reqwest::Error, stage: Stage) -> Failure {
    let error = error.without_url();
    let stage = if error.is_builder() {
        Stage::Refused
    } else if error.is_connect() {
        Stage::Connecting
    } else {
        stage
    };
    Failure {
        stage,
        timed_out: error.is_timeout(),
        detail: describe_chain(&error),
    }
}

impl Transport for ReqwestTransport {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        pipeline::run(&self.config, request, |request| self.exchange(request))
    }
}

crate::transport::forward_transport_for_ref! {
    impl for ReqwestTransport;
}
