//! State shared by the server and its handle: mounted services, queued faults, request log.

use std::collections::{BTreeMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
use std::time::Duration;

use crate::Service;
use crate::clock::Clock;
use crate::error::SandboxError;
use crate::fault::FaultPlan;

/// A fault waiting for the next `remaining` requests under `path_prefix`.
#[derive(Debug)]
struct QueuedFault {
    path_prefix: String,
    plan: FaultPlan,
    remaining: usize,
}

/// How many distinct request paths the request log remembers; requests to
/// further paths are counted in one "other" bucket.
pub(crate) const MAX_LOGGED_PATHS: usize = 10_000;

/// Counts of fully read requests per path, bounded in memory: the first
/// `max_paths` distinct paths are counted one by one, requests to any later
/// path only in the `other` bucket, which counts towards prefixes every path
/// has (`""` and `"/"`) and no other. A long-running sandbox hit by many
/// distinct paths (ids in paths, scanners) so keeps a fixed-size log.
///
/// Counting a path already seen takes only a shared lock and an atomic
/// increment, so concurrent requests do not queue behind each other. The
/// paths are kept in order rather than hashed: a look-up among the few paths
/// a sandbox usually sees is a string comparison or two, and never worse than
/// logarithmic whatever paths arrive.
#[derive(Debug)]
struct RequestLog {
    by_path: RwLock<BTreeMap<String, AtomicUsize>>,
    other: AtomicUsize,
    max_paths: usize,
}

impl RequestLog {
    fn new(max_paths: usize) -> Self {
        Self {
            by_path: RwLock::new(BTreeMap::new()),
            other: AtomicUsize::new(0),
            max_paths,
        }
    }

    fn record(&self, path: &str) {
        if let Some(count) = read(&self.by_path).get(path) {
            count.fetch_add(1, Ordering::AcqRel);
            return;
        }
        let mut by_path = write(&self.by_path);
        if let Some(count) = by_path.get(path) {
            count.fetch_add(1, Ordering::AcqRel);
        } else if by_path.len() < self.max_paths {
            by_path.insert(path.to_owned(), AtomicUsize::new(1));
        } else {
            self.other.fetch_add(1, Ordering::AcqRel);
        }
    }

    fn count(&self, path_prefix: &str) -> usize {
        let remembered: usize = read(&self.by_path)
            .iter()
            .filter(|(path, _)| path.starts_with(path_prefix))
            .map(|(_, count)| count.load(Ordering::Acquire))
            .sum();
        let other = if path_prefix.is_empty() || path_prefix == "/" {
            self.other.load(Ordering::Acquire)
        } else {
            0
        };
        remembered + other
    }

    #[cfg(test)]
    fn remembered_paths(&self) -> usize {
        read(&self.by_path).len()
    }
}

/// Everything the request handler and the [`crate::SandboxHandle`] share.
pub(crate) struct Shared {
    services: BTreeMap<&'static str, Arc<dyn Service>>,
    faults: Mutex<VecDeque<QueuedFault>>,
    /// Whether `faults` may hold anything: requests skip its lock when not.
    faults_queued: AtomicBool,
    requests: RequestLog,
    /// Every mounted service's declared secret header names, sorted, without repeats.
    secret_headers: Vec<&'static str>,
    pub(crate) max_request_body: usize,
    /// How long a request body may take to arrive after its head.
    pub(crate) body_read_timeout: Duration,
    /// The time the sandbox and its services read.
    pub(crate) clock: Clock,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // The protected data stays consistent across a panic (single-step updates).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Checks the service names and builds the shared state.
    pub(crate) fn new(
        services: &[Arc<dyn Service>],
        max_request_body: usize,
        body_read_timeout: Duration,
        clock: Clock,
    ) -> Result<Self, SandboxError> {
        let mut by_name = BTreeMap::new();
        for service in services {
            let name = service.name();
            check_service_name(name)?;
            if by_name.insert(name, Arc::clone(service)).is_some() {
                return Err(SandboxError::DuplicateService {
                    name: name.to_owned(),
                });
            }
        }
        let mut secret_headers: Vec<&'static str> = services
            .iter()
            .flat_map(|service| service.secret_headers().iter().copied())
            .collect();
        secret_headers.sort_unstable();
        secret_headers.dedup();
        Ok(Self {
            services: by_name,
            secret_headers,
            faults: Mutex::new(VecDeque::new()),
            faults_queued: AtomicBool::new(false),
            requests: RequestLog::new(MAX_LOGGED_PATHS),
            max_request_body,
            body_read_timeout,
            clock,
        })
    }

    /// The service mounted under `name`.
    pub(crate) fn service(&self, name: &str) -> Option<&Arc<dyn Service>> {
        self.services.get(name)
    }

    /// Mounted service names, sorted.
    pub(crate) fn service_names(&self) -> Vec<&'static str> {
        self.services.keys().copied().collect()
    }

    /// The secret header names the mounted services declare (their union).
    pub(crate) fn secret_headers(&self) -> &[&'static str] {
        &self.secret_headers
    }

    /// Queues `plan` for the next `times` requests under `path_prefix`.
    pub(crate) fn queue_fault(&self, path_prefix: &str, plan: FaultPlan, times: usize) {
        if times == 0 {
            return;
        }
        let mut faults = lock(&self.faults);
        faults.push_back(QueuedFault {
            path_prefix: path_prefix.to_owned(),
            plan,
            remaining: times,
        });
        self.faults_queued.store(true, Ordering::Release);
    }

    /// Drops every queued fault.
    pub(crate) fn clear_faults(&self) {
        let mut faults = lock(&self.faults);
        faults.clear();
        self.faults_queued.store(false, Ordering::Release);
    }

    /// Takes one use of the oldest queued fault whose prefix matches `path`.
    pub(crate) fn take_fault(&self, path: &str) -> Option<FaultPlan> {
        // The common case, nothing queued, takes no lock.
        if !self.faults_queued.load(Ordering::Acquire) {
            return None;
        }
        let mut faults = lock(&self.faults);
        let index = faults
            .iter()
            .position(|queued| path.starts_with(&queued.path_prefix))?;
        let queued = &mut faults[index];
        queued.remaining -= 1;
        let plan = if queued.remaining == 0 {
            faults.remove(index).map(|queued| queued.plan)
        } else {
            Some(queued.plan.clone())
        };
        self.faults_queued
            .store(!faults.is_empty(), Ordering::Release);
        plan
    }

    /// Counts one fully read request for `path`. Only the first
    /// [`MAX_LOGGED_PATHS`] distinct paths are remembered one by one; requests
    /// to later paths are counted in an "other" bucket.
    pub(crate) fn record_request(&self, path: &str) {
        self.requests.record(path);
    }

    /// Fully read requests whose path starts with `path_prefix`. Requests in
    /// the "other" bucket (paths beyond the first [`MAX_LOGGED_PATHS`] distinct
    /// ones) count only for the prefixes `""` and `"/"`.
    pub(crate) fn requests_received(&self, path_prefix: &str) -> usize {
        self.requests.count(path_prefix)
    }
}

fn check_service_name(name: &str) -> Result<(), SandboxError> {
    let rule = if name.is_empty() {
        Some("must not be empty")
    } else if name.starts_with("__") {
        Some("must not start with `__` (reserved for the sandbox's own routes)")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        Some("must contain only ASCII letters, digits, `-`, `_` and `.`")
    } else {
        None
    };
    match rule {
        Some(rule) => Err(SandboxError::InvalidServiceName {
            name: name.to_owned(),
            rule,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Fault;

    #[test]
    fn queued_faults_are_taken_oldest_matching_first_and_expire() {
        let shared = Shared::new(&[], 10, Duration::from_secs(1), Clock::real()).unwrap();
        shared.queue_fault("/a/", FaultPlan::single(Fault::GarbageBody), 2);
        shared.queue_fault("/", FaultPlan::single(Fault::TruncatedBody), 1);
        shared.queue_fault("/never", FaultPlan::single(Fault::GarbageBody), 0);
        let outcome = |plan: Option<FaultPlan>| plan.and_then(|p| p.outcome);
        assert_eq!(outcome(shared.take_fault("/b")), Some(Fault::TruncatedBody));
        assert_eq!(outcome(shared.take_fault("/b")), None);
        assert_eq!(outcome(shared.take_fault("/a/x")), Some(Fault::GarbageBody));
        assert_eq!(outcome(shared.take_fault("/a/y")), Some(Fault::GarbageBody));
        assert_eq!(outcome(shared.take_fault("/a/z")), None);
        assert_eq!(outcome(shared.take_fault("/never")), None);
    }

    #[test]
    fn request_counts_sum_over_matching_paths() {
        let shared = Shared::new(&[], 10, Duration::from_secs(1), Clock::real()).unwrap();
        shared.record_request("/svc/a");
        shared.record_request("/svc/a");
        shared.record_request("/svc/b");
        shared.record_request("/other");
        assert_eq!(shared.requests_received("/svc/"), 3);
        assert_eq!(shared.requests_received("/svc/a"), 2);
        assert_eq!(shared.requests_received("/"), 4);
        assert_eq!(shared.requests_received("/nothing"), 0);
    }

    #[test]
    fn the_log_remembers_a_bounded_number_of_paths() {
        let log = RequestLog::new(2);
        log.record("/a");
        log.record("/b");
        log.record("/c");
        log.record("/d/1");
        // Remembered paths keep counting after the log is full.
        log.record("/a");
        assert_eq!(log.remembered_paths(), 2);
        assert_eq!(log.count("/a"), 2);
        assert_eq!(log.count("/b"), 1);
        // Later paths land in the "other" bucket: counted in the total only.
        assert_eq!(log.count("/c"), 0);
        assert_eq!(log.count("/d"), 0);
        assert_eq!(log.count("/"), 5);
        assert_eq!(log.count(""), 5);
    }

    #[test]
    fn the_shared_log_stops_growing_at_the_limit() {
        let shared = Shared::new(&[], 10, Duration::from_secs(1), Clock::real()).unwrap();
        for id in 0..MAX_LOGGED_PATHS + 50 {
            shared.record_request(&format!("/items/{id}"));
        }
        shared.record_request("/items/0");
        assert_eq!(shared.requests.remembered_paths(), MAX_LOGGED_PATHS);
        assert_eq!(shared.requests.other.load(Ordering::Acquire), 50);
        assert_eq!(shared.requests_received("/items/0"), 2);
        assert_eq!(shared.requests_received("/"), MAX_LOGGED_PATHS + 51);
    }
}
