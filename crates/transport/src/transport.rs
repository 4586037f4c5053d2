//! The [`Transport`] trait and its blanket implementations.

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use http::{Request, Response};

use crate::TransportError;

/// Sends one HTTP request and returns the whole response.
///
/// This is the only way crmwire does IO. Implementations:
/// - any closure `Fn(Request<Bytes>) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send`
///   (so a test transport is a closure), and references to such closures;
/// - [`Arc<T>`] for any transport `T`;
/// - the HTTP backends [`ReqwestTransport`](crate::ReqwestTransport),
///   [`HyperTransport`](crate::HyperTransport) and their run-time choice
///   [`HttpTransport`](crate::HttpTransport);
/// - the policies [`Retrying`](crate::Retrying) and [`Paced`](crate::Paced),
///   which wrap another transport, and the test double [`Replay`](crate::Replay);
/// - `&T` for every transport type of this crate. (A blanket `&T` impl would
///   overlap with the closure impl, so a transport type of your own needs its
///   own `impl Transport for &MyTransport` to be passed by reference, or wrap
///   it in an [`Arc`].)
///
/// A response with any status, 4xx and 5xx included, is `Ok`: interpreting the
/// status is the caller's job. `Err` means no complete response was obtained;
/// see [`TransportError`] for what is known about the request's fate.
pub trait Transport: Send + Sync {
    /// Sends `request` and returns the response with its body fully read.
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send;
}

impl<F, Fut> Transport for F
where
    F: Fn(Request<Bytes>) -> Fut + Send + Sync,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>> + Send,
{
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        self(request)
    }
}

impl<T: Transport + ?Sized> Transport for Arc<T> {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        (**self).send(request)
    }
}

/// Implements `Transport for &Type` by forwarding to `Type`.
macro_rules! forward_transport_for_ref {
    ($(impl$(<$($generic:ident),+>)? for $ty:ty;)+) => {$(
        impl<$($($generic: $crate::Transport),+)?> $crate::Transport for &$ty {
            fn send(
                &self,
                request: ::http::Request<::bytes::Bytes>,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<::http::Response<::bytes::Bytes>, $crate::TransportError>,
            > + Send {
                (**self).send(request)
            }
        }
    )+};
}
pub(crate) use forward_transport_for_ref;

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &'static str) -> Result<Response<Bytes>, TransportError> {
        Ok(Response::new(Bytes::from_static(body.as_bytes())))
    }

    async fn call<T: Transport>(transport: T) -> Result<Response<Bytes>, TransportError> {
        transport
            .send(Request::new(Bytes::from_static(b"ping")))
            .await
    }

    #[tokio::test]
    async fn closures_references_and_arcs_are_transports() {
        let echo = |request: Request<Bytes>| async move { Ok(Response::new(request.into_body())) };
        assert_eq!(call(&echo).await.unwrap().body(), "ping");
        assert_eq!(call(Arc::new(echo)).await.unwrap().body(), "ping");
        assert_eq!(call(echo).await.unwrap().body(), "ping");
        assert_eq!(call(|_| async { ok("pong") }).await.unwrap().body(), "pong");
    }

    #[tokio::test]
    async fn errors_pass_through_unchanged() {
        let refused = |_| async { Err(TransportError::not_sent("refused")) };
        let error = call(Arc::new(refused)).await.unwrap_err();
        assert!(error.is_retry_safe());
    }
}
