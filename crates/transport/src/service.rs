//! [`ServiceTransport`]: any `tower::Service` over HTTP as a [`Transport`].

use std::error::Error;
use std::future::{Future, poll_fn};
use std::pin::pin;

use bytes::{Buf, Bytes};
use http::{Request, Response};
use http_body::Body;
use http_body_util::BodyExt;
use tower_service::Service;

use crate::body::CappedBody;
use crate::{ErrorKind, Transport, TransportConfig, TransportError, pipeline};

/// The error type tower services commonly use.
type BoxError = Box<dyn Error + Send + Sync>;

/// A [`Transport`] over your own HTTP stack: any
/// `tower::Service<http::Request<Bytes>, Response = http::Response<B>>`
/// whose body `B` is an [`http_body::Body`] (a hyper-util client behind a
/// request mapping, a tower stack with your own layers, a test double).
///
/// What still applies from the [`TransportConfig`]: the request checks
/// (absolute `https://` URI, plain `http://` only to loopback unless
/// allowed), the default User-Agent, the total timeout (per attempt, or the
/// request's [`RequestTimeout`](crate::RequestTimeout)), the body cap
/// ([`BodyTooLarge`](ErrorKind::BodyTooLarge)) and the `http_request`
/// tracing span. The connect timeout does not: connecting is the service's
/// business.
///
/// **Errors.** An error of the service (from `poll_ready`, `call` or the
/// body) that is a [`TransportError`] is returned as is, so a service that
/// knows a request's fate can say it. Any other error is classified
/// cautiously and kept as the source: a readiness error means the request was
/// never handed over ([`NotSent`](ErrorKind::NotSent)); an error from `call`
/// or while reading the body leaves the outcome unknown
/// ([`MaybeReceived`](ErrorKind::MaybeReceived)).
///
/// **Readiness and `Clone`.** `Transport::send` takes `&self` while a
/// service needs `&mut self`, so each request uses its own clone of the
/// service, following tower's rule: that clone is driven to `poll_ready`
/// before `call`. The service must therefore be `Clone`, and its clones
/// should share their resources (a connection pool), as hyper-util's client
/// or a `tower::buffer::Buffer` do; a service whose clones share nothing
/// starts afresh for every request.
///
/// ```
/// use std::convert::Infallible;
/// use bytes::Bytes;
/// use http_body_util::Full;
/// use transport::{ServiceTransport, Transport, TransportConfig};
///
/// /// A service answering every request itself.
/// #[derive(Clone)]
/// struct Hello;
///
/// impl tower_service::Service<http::Request<Bytes>> for Hello {
///     type Response = http::Response<Full<Bytes>>;
///     type Error = Infallible;
///     type Future = std::future::Ready<Result<Self::Response, Infallible>>;
///
///     fn poll_ready(&mut self, _: &mut std::task::Context<'_>) -> std::task::Poll<Result<(), Infallible>> {
///         std::task::Poll::Ready(Ok(()))
///     }
///
///     fn call(&mut self, _request: http::Request<Bytes>) -> Self::Future {
///         std::future::ready(Ok(http::Response::new(Full::new(Bytes::from_static(b"hello")))))
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let transport = ServiceTransport::new(Hello, TransportConfig::default());
/// let request = http::Request::get("https://crm.example.com/").body(Bytes::new()).unwrap();
/// assert_eq!(transport.send(request).await.unwrap().body(), "hello");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct ServiceTransport<S> {
    service: S,
    config: TransportConfig,
}

impl<S> ServiceTransport<S> {
    /// Drives `service` under `config`'s rules (its connect timeout aside).
    pub fn new(service: S, config: TransportConfig) -> Self {
        Self { service, config }
    }

    /// The wrapped service.
    pub fn service(&self) -> &S {
        &self.service
    }

    /// The configuration this transport applies.
    pub fn config(&self) -> &TransportConfig {
        &self.config
    }
}

impl<S, B> ServiceTransport<S>
where
    S: Service<Request<Bytes>, Response = Response<B>> + Clone,
    S::Error: Into<BoxError>,
    B: Body,
    B::Error: Into<BoxError>,
{
    async fn exchange(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        let method = request.method().clone();
        let mut service = self.service.clone();
        poll_fn(|cx| service.poll_ready(cx))
            .await
            .map_err(|error| service_error(error.into(), ErrorKind::NotSent))?;
        let response = service
            .call(request)
            .await
            .map_err(|error| service_error(error.into(), ErrorKind::MaybeReceived))?;
        let (parts, incoming) = response.into_parts();
        let mut body = CappedBody::new(
            self.config.body_limit(),
            &method,
            parts.status,
            &parts.headers,
        )?;
        let mut incoming = pin!(incoming);
        while let Some(frame) = incoming.frame().await {
            let frame =
                frame.map_err(|error| service_error(error.into(), ErrorKind::MaybeReceived))?;
            if let Ok(mut data) = frame.into_data() {
                body.push(data.copy_to_bytes(data.remaining()))?;
            }
        }
        Ok(Response::from_parts(parts, body.finish()))
    }
}

/// A service's error: a [`TransportError`] inside is kept, anything else
/// becomes a `fallback` error with it as the source.
fn service_error(error: BoxError, fallback: ErrorKind) -> TransportError {
    match error.downcast::<TransportError>() {
        Ok(transport) => *transport,
        Err(other) => TransportError::new(fallback).with_source(other),
    }
}

impl<S, B> Transport for ServiceTransport<S>
where
    S: Service<Request<Bytes>, Response = Response<B>> + Clone + Send + Sync,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Body + Send,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        pipeline::run(&self.config, request, |request| self.exchange(request))
    }
}

impl<S, B> Transport for &ServiceTransport<S>
where
    S: Service<Request<Bytes>, Response = Response<B>> + Clone + Send + Sync,
    S::Future: Send,
    S::Error: Into<BoxError>,
    B: Body + Send,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        (**self).send(request)
    }
}
