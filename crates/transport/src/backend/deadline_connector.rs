//! One deadline over the hyper backend's whole connect: DNS, TCP, TLS.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use tower_service::Service;

/// The error type of hyper-util connectors.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Wraps a connector so that opening a connection (name resolution, TCP
/// connect, TLS handshake) runs under one deadline. When it runs out the
/// connect fails with an [`io::Error`] of kind [`TimedOut`](io::ErrorKind::TimedOut),
/// which [`classify`](crate::classify::classify) turns into a retry-safe
/// connect [`Timeout`](crate::ErrorKind::Timeout).
///
/// hyper-util's `HttpConnector::set_connect_timeout` bounds only the TCP
/// connect, and hyper-rustls puts no bound on the handshake; without this a
/// server that accepts and then stalls the handshake would hold the request
/// until the total deadline, and be reported as "outcome unknown".
#[derive(Debug, Clone)]
pub(crate) struct DeadlineConnector<C> {
    inner: C,
    timeout: Duration,
}

impl<C> DeadlineConnector<C> {
    /// `inner` with every connect bounded by `timeout`.
    pub(crate) fn new(inner: C, timeout: Duration) -> Self {
        Self { inner, timeout }
    }
}

impl<C> Service<Uri> for DeadlineConnector<C>
where
    C: Service<Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
{
    type Response = C::Response;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<C::Response, BoxError>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let timeout = self.timeout;
        let connecting = tokio::time::timeout(timeout, self.inner.call(destination));
        Box::pin(async move {
            match connecting.await {
                Ok(connected) => connected.map_err(Into::into),
                Err(_elapsed) => Err(Box::new(io::Error::new(
                    io::ErrorKind::TimedOut,
                    format!(
                        "connect (DNS, TCP and TLS handshake) did not complete within {} ms",
                        timeout.as_millis()
                    ),
                )) as BoxError),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use std::future::{Ready, ready};

    use super::*;
    use crate::classify::chain_has_io_timeout;

    /// A connector whose connects take `delay`, then succeed with `"conn"` or
    /// fail with a refusal.
    #[derive(Clone)]
    struct Slow {
        delay: Duration,
        refuse: bool,
    }

    impl Service<Uri> for Slow {
        type Response = &'static str;
        type Error = io::Error;
        type Future = Pin<Box<dyn Future<Output = Result<&'static str, io::Error>> + Send>>;

        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), io::Error>> {
            Poll::Ready(Ok(()))
        }

        fn call(&mut self, _destination: Uri) -> Self::Future {
            let (delay, refuse) = (self.delay, self.refuse);
            Box::pin(async move {
                tokio::time::sleep(delay).await;
                if refuse {
                    Err(io::Error::from(io::ErrorKind::ConnectionRefused))
                } else {
                    Ok("conn")
                }
            })
        }
    }

    /// A connector that is never ready.
    #[derive(Clone)]
    struct Busy;

    impl Service<Uri> for Busy {
        type Response = ();
        type Error = io::Error;
        type Future = Ready<Result<(), io::Error>>;

        fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), io::Error>> {
            Poll::Ready(Err(io::Error::other("busy")))
        }

        fn call(&mut self, _destination: Uri) -> Self::Future {
            ready(Ok(()))
        }
    }

    fn uri() -> Uri {
        Uri::from_static("https://127.0.0.1:1/")
    }

    async fn connect(delay_ms: u64, refuse: bool) -> Result<&'static str, BoxError> {
        let slow = Slow {
            delay: Duration::from_millis(delay_ms),
            refuse,
        };
        DeadlineConnector::new(slow, Duration::from_millis(300))
            .call(uri())
            .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_connect_within_the_deadline_passes_through() {
        assert_eq!(connect(299, false).await.unwrap(), "conn");
        let refused = connect(10, true).await.unwrap_err();
        assert!(!chain_has_io_timeout(refused.as_ref()), "{refused}");
        assert_eq!(
            refused.downcast_ref::<io::Error>().map(io::Error::kind),
            Some(io::ErrorKind::ConnectionRefused)
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_connect_past_the_deadline_is_an_io_timeout() {
        let started = tokio::time::Instant::now();
        let error = connect(60_000, false).await.unwrap_err();
        assert_eq!(started.elapsed(), Duration::from_millis(300));
        assert!(chain_has_io_timeout(error.as_ref()), "{error}");
        assert_eq!(
            error.to_string(),
            "connect (DNS, TCP and TLS handshake) did not complete within 300 ms"
        );
    }

    #[test]
    fn readiness_errors_pass_through() {
        let waker = std::task::Waker::noop();
        let mut context = Context::from_waker(waker);
        let mut connector = DeadlineConnector::new(Busy, Duration::from_secs(1));
        match connector.poll_ready(&mut context) {
            Poll::Ready(Err(error)) => assert_eq!(error.to_string(), "busy"),
            other => panic!("expected a readiness error, got {other:?}"),
        }
    }
}
