//! When a request is sent again (the rules are in the crate docs, under
//! "Retries"), and the bounded loop that does it, on a [`RetryConfig`]'s
//! schedule (the same schedule `transport::Retrying` uses).

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Request, Response, StatusCode};
use transport::{RetryConfig, Transport, TransportError, parse_retry_after};

/// Whether a request can change the service's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestKind {
    /// Reads only: sending it twice changes nothing.
    Read,
    /// Contains writes: sending it twice may write twice.
    Write,
}

/// Whether `result` may be followed by another attempt of a `kind` request.
fn is_retryable(kind: RequestKind, result: &Result<Response<Bytes>, TransportError>) -> bool {
    match (result, kind) {
        (Err(error), _) if error.is_retry_safe() => true,
        (Err(error), RequestKind::Read) if error.kind() == &transport::ErrorKind::MaybeReceived => {
            true
        }
        (Ok(response), RequestKind::Read) => matches!(
            response.status(),
            StatusCode::TOO_MANY_REQUESTS
                | StatusCode::BAD_GATEWAY
                | StatusCode::SERVICE_UNAVAILABLE
                | StatusCode::GATEWAY_TIMEOUT
        ),
        _ => false,
    }
}

/// A response's `Retry-After`, if it carries a readable one.
fn retry_after(result: &Result<Response<Bytes>, TransportError>) -> Option<Duration> {
    let value = result
        .as_ref()
        .ok()?
        .headers()
        .get(http::header::RETRY_AFTER)?;
    parse_retry_after(value, SystemTime::now())
}

/// What [`send_with_retries`] ended with.
pub(crate) struct Sent {
    /// The last attempt's result.
    pub(crate) result: Result<Response<Bytes>, TransportError>,
    /// How many attempts were made.
    pub(crate) attempts: usize,
}

/// Sends `request` through `transport`, again while `policy` and the
/// request's `kind` allow it. Bounded by the policy's attempt count.
pub(crate) async fn send_with_retries<T: Transport>(
    transport: &T,
    request: Request<Bytes>,
    kind: RequestKind,
    policy: &RetryConfig,
) -> Sent {
    let mut delays = policy.delays();
    let mut attempts = 0;
    loop {
        attempts += 1;
        let result = transport.send(clone_request(&request)).await;
        if !is_retryable(kind, &result) {
            return Sent { result, attempts };
        }
        let Some(backoff) = delays.next() else {
            return Sent { result, attempts };
        };
        let delay = match retry_after(&result) {
            Some(asked) if asked > policy.max_delay() => return Sent { result, attempts },
            Some(asked) => asked.max(backoff),
            None => backoff,
        };
        match &result {
            Ok(response) => tracing::debug!(
                attempt = attempts,
                status = response.status().as_u16(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying after a transient status"
            ),
            Err(error) => tracing::debug!(
                attempt = attempts,
                %error,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                "retrying after a transport failure"
            ),
        }
        tokio::time::sleep(delay).await;
    }
}

/// A copy of `request` with its method, URI, version, headers, extensions
/// that the facade sets, and body (the body is reference-counted).
fn clone_request(request: &Request<Bytes>) -> Request<Bytes> {
    let mut copy = Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    if let Some(timeout) = request.extensions().get::<transport::RequestTimeout>() {
        copy.extensions_mut().insert(*timeout);
    }
    copy
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use transport::{RequestTimeout, TimeoutPhase};

    use super::*;

    fn policy(attempts: usize) -> RetryConfig {
        RetryConfig::default()
            .with_max_attempts(attempts)
            .with_initial_delay(Duration::from_millis(10))
            .with_max_delay(Duration::from_millis(100))
    }

    fn status(code: u16) -> Result<Response<Bytes>, TransportError> {
        let mut response = Response::new(Bytes::new());
        *response.status_mut() = StatusCode::from_u16(code).unwrap();
        Ok(response)
    }

    /// Answers `results` in turn (the last one forever); returns the final
    /// result's status or error and the number of calls.
    async fn run(
        kind: RequestKind,
        attempts: usize,
        results: Vec<Result<Response<Bytes>, TransportError>>,
    ) -> (Result<u16, TransportError>, usize) {
        let calls = AtomicUsize::new(0);
        let transport = |_request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            let result = match &results[call.min(results.len() - 1)] {
                Ok(response) => status(response.status().as_u16()),
                Err(error) => Err(error.clone()),
            };
            async move { result }
        };
        let sent = send_with_retries(
            &transport,
            Request::new(Bytes::new()),
            kind,
            &policy(attempts),
        )
        .await;
        assert_eq!(sent.attempts, calls.load(Ordering::SeqCst));
        (
            sent.result.map(|response| response.status().as_u16()),
            sent.attempts,
        )
    }

    fn not_sent() -> Result<Response<Bytes>, TransportError> {
        Err(TransportError::not_sent("refused"))
    }

    fn maybe_received() -> Result<Response<Bytes>, TransportError> {
        Err(TransportError::maybe_received("closed"))
    }

    fn total_timeout() -> Result<Response<Bytes>, TransportError> {
        Err(TransportError::timeout(
            TimeoutPhase::Total,
            Duration::from_secs(1),
        ))
    }

    #[tokio::test(start_paused = true)]
    async fn writes_are_retried_only_when_provably_not_sent() {
        assert_eq!(
            run(RequestKind::Write, 3, vec![not_sent(), status(200)]).await,
            (Ok(200), 2)
        );
        assert_eq!(
            run(RequestKind::Write, 3, vec![not_sent()]).await.1,
            3,
            "bounded by max_attempts"
        );
        for once in [maybe_received(), total_timeout(), status(503), status(429)] {
            let expected = once
                .as_ref()
                .map(|r| r.status().as_u16())
                .map_err(Clone::clone);
            assert_eq!(
                run(RequestKind::Write, 5, vec![once, status(200)]).await,
                (expected, 1)
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn reads_are_retried_after_transient_failures_but_not_total_timeouts() {
        for transient in [
            not_sent(),
            maybe_received(),
            status(429),
            status(502),
            status(503),
            status(504),
        ] {
            assert_eq!(
                run(RequestKind::Read, 3, vec![transient, status(200)]).await,
                (Ok(200), 2)
            );
        }
        assert_eq!(
            run(RequestKind::Read, 3, vec![status(503)]).await,
            (Ok(503), 3)
        );
        assert_eq!(
            run(RequestKind::Read, 3, vec![status(500)]).await,
            (Ok(500), 1)
        );
        assert_eq!(
            run(RequestKind::Read, 3, vec![status(404)]).await,
            (Ok(404), 1)
        );
        assert_eq!(
            run(RequestKind::Read, 3, vec![total_timeout(), status(200)])
                .await
                .1,
            1
        );
        assert_eq!(
            run(RequestKind::Read, 1, vec![status(503), status(200)])
                .await
                .1,
            1
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retry_after_is_honoured_up_to_the_maximum_delay() {
        let calls = AtomicUsize::new(0);
        let retry_after = |seconds: &'static str| {
            let mut response = Response::new(Bytes::new());
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            response.headers_mut().insert(
                http::header::RETRY_AFTER,
                http::HeaderValue::from_static(seconds),
            );
            response
        };
        let transport = |_request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            let response = if call == 0 {
                retry_after("2")
            } else {
                Response::new(Bytes::new())
            };
            async move { Ok(response) }
        };
        let patient = RetryConfig::default().with_max_delay(Duration::from_secs(3));
        let started = tokio::time::Instant::now();
        let sent = send_with_retries(
            &transport,
            Request::new(Bytes::new()),
            RequestKind::Read,
            &patient,
        )
        .await;
        assert_eq!(sent.attempts, 2);
        assert!(started.elapsed() >= Duration::from_secs(2));

        let impatient = RetryConfig::default().with_max_delay(Duration::from_secs(1));
        calls.store(0, Ordering::SeqCst);
        let sent = send_with_retries(
            &transport,
            Request::new(Bytes::new()),
            RequestKind::Read,
            &impatient,
        )
        .await;
        assert_eq!(
            sent.attempts, 1,
            "a Retry-After beyond max_delay ends the retries"
        );
        assert_eq!(sent.result.unwrap().status(), 503);
    }

    #[tokio::test]
    async fn every_attempt_sends_the_same_request() {
        let seen = std::sync::Mutex::new(Vec::new());
        let transport = |request: Request<Bytes>| {
            let mut seen = seen.lock().unwrap();
            seen.push(request);
            let result = if seen.len() == 1 {
                not_sent()
            } else {
                status(200)
            };
            async move { result }
        };
        let request = Request::post("http://127.0.0.1:1/site/script.php")
            .header("content-type", "text/xml")
            .extension(RequestTimeout(Duration::from_secs(7)))
            .body(Bytes::from_static(b"<root/>"))
            .unwrap();
        let sent = send_with_retries(&transport, request, RequestKind::Write, &policy(2)).await;
        assert_eq!(sent.attempts, 2);
        let seen = seen.into_inner().unwrap();
        for request in &seen {
            assert_eq!(request.method(), http::Method::POST);
            assert_eq!(request.uri(), "http://127.0.0.1:1/site/script.php");
            assert_eq!(request.headers()["content-type"], "text/xml");
            assert_eq!(request.body(), "<root/>");
            assert_eq!(
                request.extensions().get::<RequestTimeout>(),
                Some(&RequestTimeout(Duration::from_secs(7)))
            );
        }
    }
}
