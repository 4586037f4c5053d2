//! [`Paced`]: a client-side rate limit that also obeys the server's `429`s.

use std::future::Future;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use governor::clock::Clock;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use http::{Request, Response, StatusCode, header};
use tokio::time::Instant;

use crate::{Transport, TransportError, parse_retry_after};

/// How [`Paced`] paces.
///
/// The rate is a token bucket of `burst` requests refilled at one request per
/// `per / requests`. Within any window of length `t` at most
/// `burst + t / (per / requests)` requests start, so the default burst of 1
/// keeps "500 per minute" true for every 60 s window (give or take one).
///
/// ```
/// use std::num::NonZeroU32;
/// use std::time::Duration;
/// use transport::PaceConfig;
///
/// let neto = PaceConfig::per_minute(NonZeroU32::new(500).unwrap());
/// assert_eq!(neto.interval(), Duration::from_millis(120));
/// let peoplevine = PaceConfig::new(NonZeroU32::new(3600).unwrap(), Duration::from_secs(15 * 60))
///     .with_max_retry_after(Duration::from_secs(60));
/// assert_eq!(peoplevine.interval(), Duration::from_millis(250));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceConfig {
    requests: NonZeroU32,
    per: Duration,
    burst: NonZeroU32,
    max_retry_after: Duration,
    default_retry_after: Duration,
}

impl PaceConfig {
    /// At most `requests` per `per`; burst 1, a `429`'s `Retry-After`
    /// pause capped at 120 s, a 1 s pause after a `429` without a (readable)
    /// `Retry-After`.
    pub fn new(requests: NonZeroU32, per: Duration) -> Self {
        Self {
            requests,
            per,
            burst: NonZeroU32::MIN,
            max_retry_after: Duration::from_secs(120),
            default_retry_after: Duration::from_secs(1),
        }
    }

    /// At most `requests` per minute.
    pub fn per_minute(requests: NonZeroU32) -> Self {
        Self::new(requests, Duration::from_secs(60))
    }

    /// At most `requests` per second.
    pub fn per_second(requests: NonZeroU32) -> Self {
        Self::new(requests, Duration::from_secs(1))
    }

    /// How many requests may start back to back before pacing applies.
    #[must_use]
    pub fn with_burst(mut self, burst: NonZeroU32) -> Self {
        self.burst = burst;
        self
    }

    /// The longest pause a `429`'s `Retry-After` can impose on every caller;
    /// longer values are cut to this.
    #[must_use]
    pub fn with_max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The pause after a `429` without a readable `Retry-After`.
    #[must_use]
    pub fn with_default_retry_after(mut self, wait: Duration) -> Self {
        self.default_retry_after = wait;
        self
    }

    /// How many requests may start back to back.
    pub fn burst(&self) -> NonZeroU32 {
        self.burst
    }

    /// The longest pause a `Retry-After` can impose.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// The pause after a `429` without a readable `Retry-After`.
    pub fn default_retry_after(&self) -> Duration {
        self.default_retry_after
    }

    /// The steady-state gap between two requests: `per / requests`.
    pub fn interval(&self) -> Duration {
        self.per / self.requests.get()
    }

    fn quota(&self) -> Quota {
        Quota::with_period(self.interval())
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MAX))
            .allow_burst(self.burst)
    }
}

/// A [`Transport`] that starts requests no faster than a configured rate, and
/// honours `429 Too Many Requests`: it reads `Retry-After` (seconds or an
/// HTTP-date, capped by [`PaceConfig::max_retry_after`]) and pauses
/// **every** request going through it until then.
///
/// `Paced` never sends a request again by itself: the `429` is returned, and
/// whether to resend is [`Retrying`](crate::Retrying)'s decision (a `429`
/// means the service refused the request unprocessed, so it does). Stack
/// them as `Retrying<Paced<HttpTransport>>`: each attempt, resends included,
/// then waits for its turn and for any pause a `429` set.
///
/// Share one `Paced` (by reference or [`Arc`](std::sync::Arc)) among all
/// callers of one service account so they share its budget.
///
/// The inner transport's timeouts bound **one attempt**, not the call: a call
/// through `Paced` takes the wait for its turn (and any `429` pause, at most
/// [`PaceConfig::max_retry_after`]) plus one attempt.
///
/// ```
/// use std::num::NonZeroU32;
/// use bytes::Bytes;
/// use transport::{PaceConfig, Paced, Transport};
///
/// # tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
/// let server = |_request: http::Request<Bytes>| async { Ok(http::Response::new(Bytes::from_static(b"ok"))) };
/// let paced = Paced::new(server, PaceConfig::per_second(NonZeroU32::new(100).unwrap()));
/// assert_eq!(paced.send(http::Request::new(Bytes::new())).await.unwrap().body(), "ok");
/// # });
/// ```
#[derive(Debug)]
pub struct Paced<T> {
    inner: T,
    config: PaceConfig,
    limiter: DefaultDirectRateLimiter,
    paused_until: Mutex<Option<Instant>>,
}

impl<T: Transport> Paced<T> {
    /// Wraps `inner`.
    pub fn new(inner: T, config: PaceConfig) -> Self {
        Self {
            inner,
            limiter: RateLimiter::direct(config.quota()),
            config,
            paused_until: Mutex::new(None),
        }
    }

    /// The wrapped transport.
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// When the current `429` pause ends, if one is in force.
    pub fn paused_until(&self) -> Option<Instant> {
        let until = *self.lock_pause();
        until.filter(|until| *until > Instant::now())
    }

    fn lock_pause(&self) -> std::sync::MutexGuard<'_, Option<Instant>> {
        // The guarded value is a plain Instant: a panic elsewhere cannot leave
        // it half-written, so a poisoned lock is still usable.
        self.paused_until
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Extends the shared pause to at least `until`.
    fn pause_until(&self, until: Instant) {
        let mut paused = self.lock_pause();
        if paused.is_none_or(|current| current < until) {
            *paused = Some(until);
        }
    }

    /// Waits out any `429` pause, then for a slot in the rate.
    async fn wait_turn(&self) {
        loop {
            if let Some(until) = self.paused_until() {
                tokio::time::sleep_until(until).await;
                continue;
            }
            match self.limiter.check() {
                Ok(()) => return,
                Err(not_until) => {
                    let wait = not_until.wait_time_from(self.limiter.clock().now());
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    /// The pause a `429` response asks for, capped.
    fn retry_after(&self, response: &Response<Bytes>) -> Duration {
        response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|value| parse_retry_after(value, SystemTime::now()))
            .unwrap_or(self.config.default_retry_after)
            .min(self.config.max_retry_after)
    }

    async fn send_paced(&self, request: Request<Bytes>) -> Result<Response<Bytes>, TransportError> {
        self.wait_turn().await;
        let response = self.inner.send(request).await?;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            let wait = self.retry_after(&response);
            self.pause_until(deadline_after(wait));
            tracing::debug!(
                wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                "429 received, pausing every request"
            );
        }
        Ok(response)
    }
}

/// The instant `wait` from now; a wait too long to represent (a cap of
/// [`Duration::MAX`] and an absurd `Retry-After`) ends at [`FAR_FUTURE`].
fn deadline_after(wait: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(wait.min(FAR_FUTURE))
        .or_else(|| now.checked_add(FAR_FUTURE))
        .unwrap_or(now)
}

/// About thirty years: the longest pause [`Paced`] ever sets.
const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);

impl<T: Transport> Transport for Paced<T> {
    fn send(
        &self,
        request: Request<Bytes>,
    ) -> impl Future<Output = Result<Response<Bytes>, TransportError>> + Send {
        self.send_paced(request)
    }
}

crate::transport::forward_transport_for_ref! {
    impl<T> for Paced<T>;
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn status(code: u16, retry_after: Option<&str>) -> Response<Bytes> {
        let mut response = Response::builder().status(code);
        if let Some(value) = retry_after {
            response = response.header(header::RETRY_AFTER, value);
        }
        response.body(Bytes::new()).unwrap()
    }

    fn fast() -> PaceConfig {
        PaceConfig::per_second(NonZeroU32::new(1000).unwrap())
            .with_burst(NonZeroU32::new(100).unwrap())
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_is_returned_and_pauses_every_later_request() {
        let calls = AtomicUsize::new(0);
        let server = |_request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(if call == 0 {
                    status(429, Some("7"))
                } else {
                    status(200, None)
                })
            }
        };
        let paced = Paced::new(&server, fast());
        let started = Instant::now();
        let response = paced.send(Request::new(Bytes::new())).await.unwrap();
        assert_eq!(response.status(), 429, "not resent by Paced");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert_eq!(started.elapsed(), Duration::ZERO);
        // The next request, from any caller, waits out the pause.
        let response = paced.send(Request::new(Bytes::new())).await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(started.elapsed() >= Duration::from_secs(7));
    }

    #[tokio::test(start_paused = true)]
    async fn a_429_without_retry_after_pauses_for_the_default() {
        let server = |_request: Request<Bytes>| async { Ok(status(429, None)) };
        let paced = Paced::new(&server, fast());
        let started = Instant::now();
        paced.send(Request::new(Bytes::new())).await.unwrap();
        let until = paced.paused_until().expect("a pause is in force");
        assert_eq!(until - started, Duration::from_secs(1));
    }

    #[tokio::test(start_paused = true)]
    async fn an_absurd_retry_after_is_capped() {
        let server = |_request: Request<Bytes>| async { Ok(status(429, Some("86400"))) };
        let paced = Paced::new(&server, fast().with_max_retry_after(Duration::from_secs(5)));
        let started = Instant::now();
        paced.send(Request::new(Bytes::new())).await.unwrap();
        let until = paced.paused_until().expect("a pause is in force");
        assert_eq!(until - started, Duration::from_secs(5));
    }

    #[tokio::test(start_paused = true)]
    async fn an_unbounded_cap_and_a_huge_retry_after_do_not_overflow() {
        let server =
            |_request: Request<Bytes>| async { Ok(status(429, Some("18446744073709551615"))) };
        let paced = Paced::new(&server, fast().with_max_retry_after(Duration::MAX));
        let response = paced.send(Request::new(Bytes::new())).await.unwrap();
        assert_eq!(response.status(), 429);
        let until = paced.paused_until().expect("a pause is in force");
        assert!(until >= Instant::now() + Duration::from_secs(365 * 24 * 60 * 60));
        // Extending the pause with another huge wait does not overflow either.
        paced.pause_until(deadline_after(Duration::MAX));
        assert_eq!(paced.paused_until(), Some(until));
    }

    #[tokio::test(start_paused = true)]
    async fn stacked_under_retrying_a_429_is_resent_after_the_shared_pause() {
        let calls = AtomicUsize::new(0);
        let server = |_request: Request<Bytes>| {
            let call = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                Ok(if call == 0 {
                    status(429, Some("2"))
                } else {
                    status(201, None)
                })
            }
        };
        let stack = crate::Retrying::new(
            Paced::new(&server, fast()),
            crate::RetryConfig::default().with_max_delay(Duration::from_secs(5)),
        );
        let started = Instant::now();
        // A POST: never resent blindly, but a 429 was refused unprocessed.
        let post = Request::post("https://crm.example.com/notes")
            .body(Bytes::new())
            .unwrap();
        let response = stack.send(post).await.unwrap();
        assert_eq!(response.status(), 201);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(started.elapsed() >= Duration::from_secs(2));
    }

    #[test]
    fn deadlines_are_clamped_to_the_far_future() {
        let now = Instant::now();
        let short = deadline_after(Duration::from_secs(5));
        assert!(short >= now + Duration::from_secs(5));
        assert!(short < now + Duration::from_secs(6));
        let huge = deadline_after(Duration::MAX);
        assert!(huge >= now + FAR_FUTURE);
        assert!(huge <= Instant::now() + FAR_FUTURE);
    }

    #[tokio::test(start_paused = true)]
    async fn a_pause_holds_back_every_request() {
        let server = |_request: Request<Bytes>| async { Ok(status(200, None)) };
        let paced = Paced::new(&server, fast());
        paced.pause_until(Instant::now() + Duration::from_secs(3));
        let started = Instant::now();
        paced.send(Request::new(Bytes::new())).await.unwrap();
        assert!(started.elapsed() >= Duration::from_secs(3));
        assert!(paced.paused_until().is_none());
    }

    #[tokio::test(start_paused = true)]
    async fn transport_errors_are_not_resent() {
        let calls = AtomicUsize::new(0);
        let server = |_request: Request<Bytes>| {
            calls.fetch_add(1, Ordering::SeqCst);
            async { Err(TransportError::maybe_received("reset")) }
        };
        let paced = Paced::new(&server, fast());
        assert!(paced.send(Request::new(Bytes::new())).await.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    // The rate limiter runs on a real clock, so this one uses real time.
    #[tokio::test]
    async fn the_rate_spaces_requests_out() {
        let server = |_request: Request<Bytes>| async { Ok(status(200, None)) };
        let paced = Paced::new(
            &server,
            PaceConfig::per_second(NonZeroU32::new(20).unwrap()),
        );
        let started = std::time::Instant::now();
        for _ in 0..4 {
            paced.send(Request::new(Bytes::new())).await.unwrap();
        }
        // Burst 1 at 50 ms intervals: the 4th request starts >= 150 ms in.
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(140), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }
}
