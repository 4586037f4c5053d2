//! What every HTTP backend does around its own exchange: request checks and
//! defaults, the total deadline, and the per-request tracing span.

use std::future::Future;

use bytes::Bytes;
use http::{Request, Response};
use tokio::time::Instant;
use tracing::Instrument;
use tracing::field::Empty;

use crate::prepare::prepare;
use crate::{RequestTimeout, TimeoutPhase, TransportConfig, TransportError};

/// Runs `exchange` (the backend's send-and-read-body) for `request` under the
/// configuration's rules, inside a span named `http_request` with fields
/// `method`, `host`, `path` (never the query), `status` and `duration_ms`.
/// Header values and bodies are never recorded.
pub(crate) async fn run<F, Fut>(
    config: &TransportConfig,
    request: Request<Bytes>,
    exchange: F,
) -> Result<Response<Bytes>, TransportError>
where
    F: FnOnce(Request<Bytes>) -> Fut,
    Fut: Future<Output = Result<Response<Bytes>, TransportError>>,
{
    let span = tracing::debug_span!(
        "http_request",
        method = %request.method(),
        host = %request.uri().host().unwrap_or_default(),
        path = %request.uri().path(),
        status = Empty,
        duration_ms = Empty,
    );
    let started = Instant::now();
    let result = async {
        let request = prepare(request, config)?;
        let total = request
            .extensions()
            .get::<RequestTimeout>()
            .map_or(config.total_timeout(), |timeout| timeout.0);
        match tokio::time::timeout(total, exchange(request)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(TransportError::timeout(TimeoutPhase::Total, total)),
        }
    }
    .instrument(span.clone())
    .await;

    let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("duration_ms", duration_ms);
    span.in_scope(|| match &result {
        Ok(response) => {
            let status = response.status().as_u16();
            span.record("status", status);
            tracing::debug!(status, duration_ms, "response received");
        }
        Err(error) => tracing::debug!(%error, duration_ms, "request failed"),
    });
    result
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn request(uri: &str) -> Request<Bytes> {
        Request::builder().uri(uri).body(Bytes::new()).unwrap()
    }

    #[tokio::test(start_paused = true)]
    async fn total_timeout_comes_from_config_or_the_request_extension() {
        let config = TransportConfig::default().with_total_timeout(Duration::from_secs(2));
        let slow = |_request: Request<Bytes>| async {
            tokio::time::sleep(Duration::from_secs(5)).await;
            Ok(Response::new(Bytes::new()))
        };
        let error = run(&config, request("https://example.com/"), slow)
            .await
            .unwrap_err();
        assert_eq!(
            error,
            TransportError::timeout(TimeoutPhase::Total, Duration::from_secs(2))
        );
        assert!(!error.is_retry_safe());

        let mut patient = request("https://example.com/");
        patient
            .extensions_mut()
            .insert(RequestTimeout(Duration::from_secs(10)));
        assert!(run(&config, patient, slow).await.is_ok());

        let mut hasty = request("https://example.com/");
        hasty
            .extensions_mut()
            .insert(RequestTimeout(Duration::from_millis(100)));
        assert_eq!(
            run(&config, hasty, slow).await.unwrap_err(),
            TransportError::timeout(TimeoutPhase::Total, Duration::from_millis(100))
        );
    }

    #[tokio::test]
    async fn refused_requests_never_reach_the_backend() {
        let config = TransportConfig::default();
        let called = std::sync::atomic::AtomicBool::new(false);
        let backend = |_request: Request<Bytes>| {
            called.store(true, std::sync::atomic::Ordering::SeqCst);
            async { Ok(Response::new(Bytes::new())) }
        };
        let error = run(&config, request("http://example.com/"), backend)
            .await
            .unwrap_err();
        assert!(matches!(
            error.kind(),
            crate::ErrorKind::InvalidRequest { .. }
        ));
        assert!(!called.load(std::sync::atomic::Ordering::SeqCst));
    }
}
