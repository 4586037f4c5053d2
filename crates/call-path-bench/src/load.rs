//! A bounded load: so many requests, so many in flight, no longer than a deadline.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::driver::Driver;

/// How much load to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadSpec {
    /// Requests to send in all.
    pub requests: usize,
    /// Requests in flight at once (each on its own task).
    pub in_flight: usize,
    /// No request is started after this much time.
    pub deadline: Duration,
    /// Each request is abandoned (and counted failed) after this long.
    pub request_timeout: Duration,
}

/// What a load achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOutcome {
    /// Requests that succeeded.
    pub completed: usize,
    /// Requests that failed or timed out.
    pub failed: usize,
    /// The first failure's message.
    pub first_error: Option<String>,
    /// Wall-clock time from the first request to the last answer.
    pub elapsed: Duration,
}

/// Sends `spec.requests` requests through `driver`, `spec.in_flight` at a
/// time, starting none after `spec.deadline`, and counts the outcomes.
pub async fn run_load(driver: Arc<Driver>, spec: &LoadSpec) -> LoadOutcome {
    let issued = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let stop_at = started + spec.deadline;
    let mut workers = JoinSet::new();
    for _ in 0..spec.in_flight.clamp(1, spec.requests.max(1)) {
        let driver = Arc::clone(&driver);
        let issued = Arc::clone(&issued);
        let (requests, timeout) = (spec.requests, spec.request_timeout);
        workers.spawn(async move {
            let (mut completed, mut failed, mut first_error) = (0usize, 0usize, None);
            while issued.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < stop_at {
                match tokio::time::timeout(timeout, driver.send_one()).await {
                    Ok(Ok(())) => completed += 1,
                    Ok(Err(error)) => {
                        failed += 1;
                        first_error.get_or_insert(error);
                    }
                    Err(_elapsed) => {
                        failed += 1;
                        first_error.get_or_insert_with(|| format!("no answer within {timeout:?}"));
                    }
                }
            }
            (completed, failed, first_error)
        });
    }
    let mut outcome = LoadOutcome {
        completed: 0,
        failed: 0,
        first_error: None,
        elapsed: Duration::ZERO,
    };
    while let Some(joined) = workers.join_next().await {
        match joined {
            Ok((completed, failed, first_error)) => {
                outcome.completed += completed;
                outcome.failed += failed;
                if outcome.first_error.is_none() {
                    outcome.first_error = first_error;
                }
            }
            Err(error) => {
                outcome.failed += 1;
                outcome
                    .first_error
                    .get_or_insert_with(|| format!("a load task failed: {error}"));
            }
        }
    }
    outcome.elapsed = started.elapsed();
    outcome
}
