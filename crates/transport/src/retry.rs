//! [`Retrying`]: the one place crmwire decides whether to send a request
//! again.

use std::collections::hash_map::RandomState;
use std::future::Future;
use std::hash::BuildHasher;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::{Request, Response, StatusCode, header};
use wire_core::Resend;

use crate::{ErrorKind, TimeoutPhase, Transport, TransportError, parse_retry_after};

/// How [`Retrying`] retries: how often, and how long it pauses.
///
/// ```
/// use std::time::Duration;
/// use transport::RetryConfig;
///
/// let config = RetryConfig::default()
///     .with_max_attempts(5)
///     .with_initial_delay(Duration::from_millis(200))
///     .with_max_delay(Duration::from_secs(5));
/// assert_eq!(config.max_attempts(), 5);
/// assert_eq!(config.max_delay(), Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: usize,
    initial_delay: Duration,
    max_delay: Duration,
}

impl Default for RetryConfig {
    /// 3 attempts in all, first delay 100 ms, delays capped at 2 s.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        }
    }
}

impl RetryConfig {
    /// How many times a request is sent at most, the first time included
    /// (at least 1: a smaller value is treated as 1).
    #[must_use]
    pub fn with_max_attempts(mut self, attempts: usize) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry; each later delay doubles, and random
    /// jitter adds up to as much again (all capped by
    /// [`max_delay`](Self::max_delay)).
    #[must_use]
    pub fn with_initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest pause between two attempts, jitter included: no pause is
    /// ever longer than this. A `Retry-After` asking for longer ends the
    /// retries (the answer carrying it is returned).
    #[must_use]
    pub fn with_max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// One attempt only: never send again.
    #[must_use]
    pub fn never() -> Self {
        Self::default().with_max_attempts(1)
    }

    /// How many times a request is sent at most, the first time included.
    pub fn max_attempts(&self) -> usize {
        self.max_attempts
    }

    /// The delay before the first retry (before jitter).
    pub fn initial_delay(&self) -> Duration {
        self.initial_delay
    }

    /// The longest pause between two attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The backoff pauses before each retry, one per retry
    /// (`max_attempts - 1` in all): the initial delay doubling each time,
    /// plus random jitter of up to as much again, each capped at
    /// `max_delay` after the jitter. [`Retrying`] waits the longer of this
    /// and a `Retry-After`.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + Send + Sync + Unpin + use<> {
        let Self {
            max_attempts,
            initial_delay,
            max_delay,
        } = *self;
        let random = RandomState::new();
        (0..max_attempts - 1).map(move |retry| {
            let base = initial_delay
                .checked_mul(1 << retry.min(31))
                .unwrap_or(max_delay)
                .min(max_delay);
            // A fraction in [0, 1) from the 53 high bits of a random hash.
            let fraction = (random.hash_one(retry) >> 11) as f64 / (1u64 << 53) as f64;
            let jitter = Duration::try_from_secs_f64(base.as_secs_f64() * fraction)
                .unwrap_or(Duration::ZERO);
            base.saturating_add(jitter).min(max_delay)
        })
    }
}

/// How many times a request was sent: set by [`Retrying`] on every response
/// it returns, in the response's extensions (a failure carries the count in
/// [`TransportError::attempts`]).
///
/// ```
/// use transport::Attempts;
///
/// # let response = http::Response::new(bytes::Bytes::new());
/// // No extension: the request went through no `Retrying`, so once.
/// let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
/// assert_eq!(attempts, 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attempts(pub usize);

/// A [`Transport`] that sends a request again when that is safe and may
/// help: the **one** place crmwire decides. The rules, what is retried,
/// when and how often, are the table
/// [in `docs/decisions.md`](https://github.com/crmwire/crmwire/blob/main/docs/decisions.md#retries-decided-once).
///
/// It reads the request's [`wire_core::Resend`] tag (an untagged request is
/// judged by its method: [`Resend::of`]), the failure's kind or the answer's
/// status, and decides:
///
/// - a request that provably never left ([`NotSent`](ErrorKind::NotSent), a
///   connect [`Timeout`](ErrorKind::Timeout)) and a `429` (refused
///   unprocessed) are sent again whatever the tag;
/// - [`MaybeReceived`](ErrorKind::MaybeReceived) and `502`, `503`, `504` are
///   sent again only for [`Resend::Read`] and [`Resend::IdempotentWrite`];
/// - never after a total timeout, [`BodyTooLarge`](ErrorKind::BodyTooLarge)
///   or [`InvalidRequest`](ErrorKind::InvalidRequest); any other answer is
///   returned as is.
///
/// The pause before a resend is the [backoff](RetryConfig::delays), or the
/// answer's `Retry-After` (delay-seconds or an HTTP-date; a date in the past
/// asks for no wait) when that is longer. A `Retry-After` above
/// [`RetryConfig::max_delay`] ends the retries: that answer is returned.
///
/// The number of attempts reaches the caller: a failure says it in
/// [`TransportError::attempts`] (and its message, "after 3 attempts"), a
/// response in its [`Attempts`] extension.
///
/// The inner transport's timeouts bound **one attempt**, not the call: a call
/// through `Retrying` can take up to `max_attempts` × (connect or total
/// timeout) plus the pauses between attempts (each at most
/// [`RetryConfig::max_delay`]). Put [`Paced`](crate::Paced) inside
/// (`Retrying<Paced<_>>`) so that every attempt waits its turn.
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::time::Duration;
/// use bytes::Bytes;
/// use transport::{Attempts, Retrying, RetryConfig, Transport, TransportError};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let calls = AtomicUsize::new(0);
/// let flaky = |_request: http::Request<Bytes>| {
///     let call = calls.fetch_add(1, Ordering::SeqCst);
///     async move {
///         if call == 0 {
///             Err(TransportError::not_sent("connection refused"))
///         } else {
///             Ok(http::Response::new(Bytes::from_static(b"done")))
///         }
///     }
/// };
/// let retrying = Retrying::new(&flaky, RetryConfig::default().with_initial_delay(Duration::from_millis(1)));
/// // A POST is never resent blindly, but a request that never left is.
/// let request = http::Request::post("https://crm.example.com/notes").body(Bytes::new()).unwrap();
/// let response = retrying.send(request).await.unwrap();
/// assert_eq!(response.body(), "done");
/// assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Retrying<T> {
    inner: T,
    config: RetryConfig,
}

impl<T: Transport> Retrying<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, config: RetryConfig) -> Self {
        Self { inner, config }
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// The retry configuration.
    pub fn config(&self) -> &RetryConfig {
        &self.config
    }

    async fn send_retrying(
        &self,
        request: Request<Bytes>,
    ) -> Result<Response<Bytes>, TransportError> {
        let resend = Resend::of(&request);
        let mut delays = self.config.delays();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let Some(backoff) = delays.next() else {
                // The last attempt: no copy of the request is kept.
                return counted(self.inner.send(request).await, attempt);
            };
            let result = self.inner.send(request.clone()).await;
            let Some(pause) = pause_before_resend(
                resend,
                &result,
                backoff,
                self.config.max_delay,
                SystemTime::now(),
            ) else {
                return counted(result, attempt);
            };
            let pause_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
            match &result {
                Ok(response) => tracing::debug!(
                    attempt,
                    status = response.status().as_u16(),
                    pause_ms,
                    "sending again after a transient status"
                ),
                Err(error) => tracing::debug!(
                    attempt,
                    %error,
                    pause_ms,
                    "sending again after a transport failure"
                ),
            }
            tokio::time::sleep(pause).await;
        }
    }
}

/// `result` saying it took `attempts` attempts.
fn counted(
    result: Result<Response<Bytes>, TransportError>,
    attempts: usize,
) -> Result<Response<Bytes>, TransportError> {
    match result {
        Ok(mut response) => {
            response.extensions_mut().insert(Attempts(attempts));
            Ok(response)
        }
        Err(error) => Err(error.with_attempts(attempts)),
    }
}

/// Whether a `resend` request that ended in `result` may be sent again
/// (the rules of [`Retrying`], before any `Retry-After`).
fn may_resend(resend: Resend, result: &Result<Response<Bytes>, TransportError>) -> bool {
    match result {
        Err(error) => match error.kind() {
            ErrorKind::NotSent
            | ErrorKind::Timeout {
                phase: TimeoutPhase::Connect,
                ..
            } => true,
            ErrorKind::MaybeReceived => resend.resend_after_possible_receipt(),
            _ => false,
        },
        Ok(response) => match response.status() {
            StatusCode::TOO_MANY_REQUESTS => true,
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => resend.resend_after_possible_receipt(),
            _ => false,
        },
    }
}

/// The pause before sending again, or `None` to return `result`: the
/// longer of `backoff` and the answer's `Retry-After` (read at `now`); a
/// `Retry-After` above `max_delay` ends the retries.
fn pause_before_resend(
    resend: Resend,
    result: &Result<Response<Bytes>, TransportError>,
    backoff: Duration,
    max_delay: Duration,
    now: SystemTime,
) -> Option<Duration> {
    if !may_resend(resend, result) {
        return None;
    }
    let asked = result
        .as_ref()
        .ok()
        .and_then(|response| response.headers().get(header::RETRY_AFTER))
        .and_then(|value| parse_retry_after(value, now));
    match asked {
        Some(asked) if asked > max_delay => {
            tracing::debug!(
                asked_ms = u64::try_from(asked.as_millis()).unwrap_or(u64::MAX),
                "Retry-After is longer than the longest pause: not sending again"
            );
            None
        }
        Some(asked) => Some(asked.max(backoff)),
        None => Some(backoff),
    }
}

impl<T: Transport> Transport for Retrying<T> {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        self.send_retrying(request)
    }
}

crate::transport::forward_transport_for_ref! {
    impl<T> for Retrying<T>;
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use http::Method;

    use super::*;

    fn config(attempts: usize) -> RetryConfig {
        RetryConfig::default()
            .with_max_attempts(attempts)
            .with_initial_delay(Duration::from_millis(10))
            .with_max_delay(Duration::from_millis(40))
    }

    fn request(resend: Resend) -> Request<Bytes> {
        resend.tagged(Request::new(Bytes::new()))
    }

    fn status(code: u16, retry_after: Option<&str>) -> Result<Response<Bytes>, TransportError> {
        let mut response = Response::builder().status(code);
        if let Some(value) = retry_after {
            response = response.header(header::RETRY_AFTER, value);
        }
        Ok(response.body(Bytes::new()).unwrap())
    }

    /// Sends one `resend` request through `Retrying` over a transport that
    /// answers `make()` every time; the final result and the call count.
    async fn always(
        resend: Resend,
        attempts: usize,
        make: impl Fn() -> Result<Response<Bytes>, TransportError> + Sync,
    ) -> (Result<Response<Bytes>, TransportError>, usize) {
        let calls = AtomicUsize::new(0);
        let transport = |_request: Request<Bytes>| {
            calls.fetch_add(1, Ordering::SeqCst);
            let result = make();
            async move { result }
        };
        let result = Retrying::new(&transport, config(attempts))
            .send(request(resend))
            .await;
        (result, calls.load(Ordering::SeqCst))
    }

    const ALL: [Resend; 3] = [Resend::Read, Resend::IdempotentWrite, Resend::NeverBlindly];

    #[tokio::test(start_paused = true)]
    async fn unsent_requests_are_resent_whatever_their_tag_up_to_the_bound() {
        for resend in ALL {
            let (result, calls) =
                always(resend, 4, || Err(TransportError::not_sent("refused"))).await;
            assert_eq!(calls, 4, "{resend:?}");
            let error = result.unwrap_err();
            assert_eq!(error, TransportError::not_sent("refused").with_attempts(4));
            assert_eq!(error.to_string(), "request not sent (after 4 attempts)");

            let connect = TransportError::timeout(TimeoutPhase::Connect, Duration::from_secs(1));
            let (result, calls) = always(resend, 2, || Err(connect.clone())).await;
            assert_eq!(
                (result.unwrap_err().attempts(), calls),
                (2, 2),
                "{resend:?}"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_broken_connection_is_resent_only_for_reads_and_idempotent_writes() {
        for (resend, expected) in [
            (Resend::Read, 3),
            (Resend::IdempotentWrite, 3),
            (Resend::NeverBlindly, 1),
        ] {
            let (result, calls) =
                always(resend, 3, || Err(TransportError::maybe_received("reset"))).await;
            assert_eq!(calls, expected, "{resend:?}");
            assert_eq!(result.unwrap_err().attempts(), expected, "{resend:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn total_timeouts_large_bodies_and_invalid_requests_are_never_resent() {
        for resend in ALL {
            for error in [
                TransportError::timeout(TimeoutPhase::Total, Duration::from_secs(1)),
                TransportError::body_too_large(1, 201),
                TransportError::invalid_request("bad"),
            ] {
                let (result, calls) = always(resend, 5, || Err(error.clone())).await;
                assert_eq!(result.unwrap_err(), error, "{resend:?}");
                assert_eq!(calls, 1, "{resend:?}");
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn transient_statuses_are_resent_by_tag_and_429_always() {
        for code in [502, 503, 504] {
            for (resend, expected) in [
                (Resend::Read, 3),
                (Resend::IdempotentWrite, 3),
                (Resend::NeverBlindly, 1),
            ] {
                let (result, calls) = always(resend, 3, || status(code, None)).await;
                let response = result.unwrap();
                assert_eq!(response.status(), code);
                assert_eq!(calls, expected, "{code} {resend:?}");
                assert_eq!(
                    response.extensions().get::<Attempts>(),
                    Some(&Attempts(expected))
                );
            }
        }
        for resend in ALL {
            let (result, calls) = always(resend, 3, || status(429, None)).await;
            assert_eq!(result.unwrap().status(), 429);
            assert_eq!(calls, 3, "{resend:?}");
        }
        for code in [200, 400, 401, 404, 500, 501] {
            let (result, calls) = always(Resend::Read, 3, || status(code, None)).await;
            assert_eq!(result.unwrap().status(), code);
            assert_eq!(calls, 1, "{code}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn an_untagged_request_is_judged_by_its_method() {
        for (method, expected) in [(Method::GET, 3), (Method::PUT, 3), (Method::POST, 1)] {
            let calls = AtomicUsize::new(0);
            let transport = |_request: Request<Bytes>| {
                calls.fetch_add(1, Ordering::SeqCst);
                async { status(503, None) }
            };
            let untagged = Request::builder()
                .method(method.clone())
                .body(Bytes::new())
                .unwrap();
            Retrying::new(&transport, config(3))
                .send(untagged)
                .await
                .unwrap();
            assert_eq!(calls.load(Ordering::SeqCst), expected, "{method}");
        }
    }

    #[test]
    fn retry_after_sets_the_pause_and_a_long_one_ends_the_retries() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        let backoff = Duration::from_millis(100);
        let max = Duration::from_secs(20);
        let pause = |result| pause_before_resend(Resend::Read, &result, backoff, max, now);
        assert_eq!(pause(status(503, Some("7"))), Some(Duration::from_secs(7)));
        // 10 s after `now`.
        assert_eq!(
            pause(status(503, Some("Wed, 21 Oct 2015 07:28:00 GMT"))),
            Some(Duration::from_secs(10))
        );
        // A date in the past asks for no wait: the backoff alone.
        assert_eq!(
            pause(status(429, Some("Wed, 21 Oct 2015 07:00:00 GMT"))),
            Some(backoff)
        );
        // Unreadable, or shorter than the backoff: the backoff.
        assert_eq!(pause(status(503, Some("soon"))), Some(backoff));
        assert_eq!(pause(status(503, Some("0"))), Some(backoff));
        // Above the cap, in either form: return the answer.
        assert_eq!(pause(status(503, Some("21"))), None);
        assert_eq!(
            pause(status(429, Some("Wed, 21 Oct 2015 08:28:00 GMT"))),
            None
        );
        // A Retry-After never makes a non-retryable answer retryable.
        assert_eq!(
            pause_before_resend(
                Resend::NeverBlindly,
                &status(503, Some("1")),
                backoff,
                max,
                now
            ),
            None
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_above_the_maximum_returns_that_answer_at_once() {
        let started = tokio::time::Instant::now();
        let (result, calls) = always(Resend::Read, 3, || status(503, Some("3600"))).await;
        let response = result.unwrap();
        assert_eq!(response.status(), 503);
        assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(1)));
        assert_eq!(calls, 1);
        assert_eq!(started.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_retry_after_within_the_maximum_is_waited_for() {
        let calls = AtomicUsize::new(0);
        let transport = |_request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if call == 0 {
                    status(429, Some("1"))
                } else {
                    status(200, None)
                }
            }
        };
        let started = tokio::time::Instant::now();
        let retrying = Retrying::new(&transport, config(3).with_max_delay(Duration::from_secs(2)));
        let response = retrying.send(request(Resend::NeverBlindly)).await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(2)));
        assert!(started.elapsed() >= Duration::from_secs(1));
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn never_schedules_no_retry() {
        let never = RetryConfig::never();
        assert_eq!(never.max_attempts(), 1);
        assert_eq!(never.delays().count(), 0);
    }

    #[test]
    fn delays_double_with_jitter_and_none_exceeds_the_maximum() {
        let config = RetryConfig::default()
            .with_max_attempts(20)
            .with_initial_delay(Duration::from_millis(400))
            .with_max_delay(Duration::from_millis(500));
        for _ in 0..50 {
            let delays: Vec<Duration> = config.delays().collect();
            assert_eq!(delays.len(), 19);
            assert!(
                delays.iter().all(|d| *d <= Duration::from_millis(500)),
                "{delays:?}"
            );
            assert!(delays[0] >= Duration::from_millis(400), "{delays:?}");
        }
        let config = RetryConfig::default()
            .with_max_attempts(4)
            .with_initial_delay(Duration::from_millis(100))
            .with_max_delay(Duration::from_secs(10));
        let mut jittered = false;
        for _ in 0..50 {
            let delays: Vec<Duration> = config.delays().collect();
            for (delay, base) in delays.iter().zip([100, 200, 400]) {
                let base = Duration::from_millis(base);
                assert!(*delay >= base && *delay < base * 2, "{delays:?}");
                jittered |= *delay != base;
            }
        }
        assert!(jittered, "jitter varies the pauses");
    }

    #[tokio::test(start_paused = true)]
    async fn the_pauses_of_a_call_respect_the_maximum() {
        let started = tokio::time::Instant::now();
        let (_, calls) = always(Resend::NeverBlindly, 6, || {
            Err(TransportError::not_sent("refused"))
        })
        .await;
        assert_eq!(calls, 6);
        // config(): 10 ms first delay, 40 ms cap: five pauses of at most 40 ms.
        let elapsed = started.elapsed();
        assert!(elapsed <= Duration::from_millis(5 * 40), "{elapsed:?}");
        assert!(
            elapsed >= Duration::from_millis(10 + 20 + 40 + 40 + 40),
            "{elapsed:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn a_single_attempt_means_no_retry() {
        let (result, calls) =
            always(Resend::Read, 0, || Err(TransportError::not_sent("refused"))).await;
        assert_eq!(calls, 1);
        assert_eq!(result.unwrap_err(), TransportError::not_sent("refused"));
    }

    #[tokio::test(start_paused = true)]
    async fn success_after_failures_returns_the_response_and_the_same_request() {
        let calls = AtomicUsize::new(0);
        let flaky = |request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                assert_eq!(
                    Resend::of(&request),
                    Resend::NeverBlindly,
                    "the tag travels"
                );
                if call < 2 {
                    Err(TransportError::not_sent("refused"))
                } else {
                    Ok(Response::new(request.into_body()))
                }
            }
        };
        let started = tokio::time::Instant::now();
        let response = Retrying::new(&flaky, config(3))
            .send(Resend::NeverBlindly.tagged(Request::new(Bytes::from_static(b"payload"))))
            .await
            .unwrap();
        assert_eq!(response.body(), "payload");
        assert_eq!(response.extensions().get::<Attempts>(), Some(&Attempts(3)));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // Two backoff pauses happened, each at least the initial delay.
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
