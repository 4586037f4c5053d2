//! [`Retrying`]: resend requests that provably never left.

use std::future::Future;
use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder, Retryable};
use bytes::Bytes;
use http::{Request, Response};

use crate::{Transport, TransportError};

/// How [`Retrying`] retries.
///
/// ```
/// use std::time::Duration;
/// use transport::RetryConfig;
///
/// let config = RetryConfig::default()
///     .max_attempts(5)
///     .initial_delay(Duration::from_millis(200))
///     .max_delay(Duration::from_secs(5));
/// assert_eq!(config.max_attempts_value(), 5);
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
    pub fn max_attempts(mut self, attempts: usize) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The delay before the first retry; each later delay doubles, and random
    /// jitter adds up to as much again (all capped by
    /// [`max_delay`](Self::max_delay)).
    #[must_use]
    pub fn initial_delay(mut self, delay: Duration) -> Self {
        self.initial_delay = delay;
        self
    }

    /// The longest delay between two attempts, jitter included: no pause is
    /// ever longer than this.
    #[must_use]
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The configured number of attempts.
    pub fn max_attempts_value(&self) -> usize {
        self.max_attempts
    }

    /// The longest delay between two attempts.
    #[must_use]
    pub fn max_delay_value(&self) -> Duration {
        self.max_delay
    }

    /// One attempt only: never send again.
    #[must_use]
    pub fn never() -> Self {
        Self::default().max_attempts(1)
    }

    /// The pauses before each retry, one per retry (`max_attempts - 1` in all):
    /// exponential with jitter, each capped at `max_delay` after the jitter
    /// (backon's jitter is added on top of its own cap and could nearly double
    /// it). Callers with their own retry rules (such as `facade`) use this
    /// schedule so every crmwire retry loop backs off the same way.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + Send + Sync + Unpin + use<> {
        let max = self.max_delay;
        ExponentialBuilder::default()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_max_times(self.max_attempts - 1)
            .with_jitter()
            .build()
            .map(move |delay| delay.min(max))
    }
}

/// A [`Transport`] that sends again, with exponential backoff and jitter,
/// when the inner transport fails in a way that proves the request was not
/// sent ([`TransportError::is_retry_safe`]: connection refused, DNS, TLS
/// handshake, connect timeout).
///
/// It never resends after [`MaybeReceived`](TransportError::MaybeReceived) or
/// a total [`Timeout`](TransportError::Timeout), and never looks at response
/// statuses: a `503` is returned to the caller, who knows whether the
/// operation is idempotent. For `429` see [`Paced`](crate::Paced).
///
/// The inner transport's timeouts bound **one attempt**, not the call: a call
/// through `Retrying` can take up to `max_attempts` × (connect or total
/// timeout) plus the pauses between attempts (each at most
/// [`RetryConfig::max_delay`]).
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use std::time::Duration;
/// use bytes::Bytes;
/// use transport::{Retrying, RetryConfig, Transport, TransportError};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let calls = AtomicUsize::new(0);
/// let flaky = |_request: http::Request<Bytes>| {
///     let call = calls.fetch_add(1, Ordering::SeqCst);
///     async move {
///         if call == 0 {
///             Err(TransportError::NotSent { detail: "connection refused".into() })
///         } else {
///             Ok(http::Response::new(Bytes::from_static(b"done")))
///         }
///     }
/// };
/// let retrying = Retrying::new(&flaky, RetryConfig::default().initial_delay(Duration::from_millis(1)));
/// let response = retrying.send(http::Request::new(Bytes::new())).await.unwrap();
/// assert_eq!(response.body(), "done");
/// assert_eq!(calls.load(Ordering::SeqCst), 2);
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
}

impl<T: Transport> Transport for Retrying<T> {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        let attempt = move || self.inner.send(request.clone());
        attempt
            .retry(self.config.delays())
            .when(TransportError::is_retry_safe)
            .notify(|error, delay| {
                tracing::debug!(%error, delay_ms = delay.as_millis() as u64, "retrying unsent request");
            })
    }
}

crate::transport::forward_transport_for_ref! {
    impl<T> for Retrying<T>;
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::TimeoutPhase;

    fn config(attempts: usize) -> RetryConfig {
        RetryConfig::default()
            .max_attempts(attempts)
            .initial_delay(Duration::from_millis(10))
            .max_delay(Duration::from_millis(40))
    }

    /// Fails with `error` every time; returns the result and the call count.
    async fn always(error: TransportError, attempts: usize) -> (TransportError, usize) {
        let calls = AtomicUsize::new(0);
        let failing = |_request: Request<Bytes>| {
            calls.fetch_add(1, Ordering::SeqCst);
            let error = error.clone();
            async move { Err(error) }
        };
        let result = Retrying::new(&failing, config(attempts))
            .send(Request::new(Bytes::new()))
            .await;
        (result.unwrap_err(), calls.load(Ordering::SeqCst))
    }

    #[tokio::test(start_paused = true)]
    async fn retry_safe_errors_are_retried_up_to_the_bound() {
        let not_sent = TransportError::NotSent {
            detail: "refused".into(),
        };
        assert_eq!(always(not_sent.clone(), 4).await, (not_sent, 4));
        let connect = TransportError::Timeout {
            phase: TimeoutPhase::Connect,
            after: Duration::from_secs(1),
        };
        assert_eq!(always(connect.clone(), 2).await, (connect, 2));
    }

    #[tokio::test(start_paused = true)]
    async fn requests_that_may_have_arrived_are_never_resent() {
        for error in [
            TransportError::MaybeReceived {
                detail: "reset".into(),
            },
            TransportError::Timeout {
                phase: TimeoutPhase::Total,
                after: Duration::from_secs(1),
            },
            TransportError::BodyTooLarge {
                limit: 1,
                status: 201,
            },
            TransportError::invalid("bad"),
        ] {
            assert_eq!(always(error.clone(), 5).await, (error, 1));
        }
    }

    #[test]
    fn never_schedules_no_retry() {
        let never = RetryConfig::never();
        assert_eq!(never.max_attempts_value(), 1);
        assert_eq!(never.delays().count(), 0);
    }

    #[test]
    fn no_delay_exceeds_the_maximum_even_with_jitter() {
        // With the first delay at the cap, backon's jitter alone would give
        // pauses between 1x and 2x the cap.
        let config = RetryConfig::default()
            .max_attempts(20)
            .initial_delay(Duration::from_millis(400))
            .max_delay(Duration::from_millis(500));
        for _ in 0..50 {
            let delays: Vec<Duration> = config.delays().collect();
            assert_eq!(delays.len(), 19);
            assert!(
                delays.iter().all(|d| *d <= Duration::from_millis(500)),
                "{delays:?}"
            );
            assert!(delays[0] >= Duration::from_millis(400), "{delays:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn the_pauses_of_a_call_respect_the_maximum() {
        let started = tokio::time::Instant::now();
        let (_, calls) = always(
            TransportError::NotSent {
                detail: "refused".into(),
            },
            6,
        )
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
        let not_sent = TransportError::NotSent {
            detail: "refused".into(),
        };
        assert_eq!(always(not_sent.clone(), 0).await, (not_sent, 1));
    }

    #[tokio::test(start_paused = true)]
    async fn success_after_failures_returns_the_response_and_the_same_request() {
        let calls = AtomicUsize::new(0);
        let flaky = |request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                if call < 2 {
                    Err(TransportError::NotSent {
                        detail: "refused".into(),
                    })
                } else {
                    Ok(Response::new(request.into_body()))
                }
            }
        };
        let started = tokio::time::Instant::now();
        let response = Retrying::new(&flaky, config(3))
            .send(Request::new(Bytes::from_static(b"payload")))
            .await
            .unwrap();
        assert_eq!(response.body(), "payload");
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        // Two backoff pauses happened, each at least the initial delay.
        assert!(started.elapsed() >= Duration::from_millis(20));
    }
}
