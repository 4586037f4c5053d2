//! The time the sandbox and its services read: the real clock by default, or a
//! manual clock a test moves forward, so time-dependent behaviour (token expiry,
//! rate windows, stamps on stored records) is testable without sleeping.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

/// The clock a sandbox and its mounted services read.
///
/// [`Clock::real`] (the default) reads the system's clocks. A clock made from a
/// [`ManualClock`] stands still until the test moves it with
/// [`ManualClock::advance`]. The sandbox attaches its clock to every request it
/// hands to a mounted service (as a request extension); a service reads it with
/// [`Clock::of`]. Cloning is cheap and clones share the same time.
///
/// Wire timing (the `delay` and `stall-body` faults, the read timeouts) always
/// uses real time: it is about what a client sees on the socket.
///
/// ```
/// use std::time::Duration;
/// use sandbox::{Clock, ManualClock, SandboxConfig};
///
/// let manual = ManualClock::new();
/// let clock = Clock::from(manual.clone());
/// let before = clock.now();
/// manual.advance(Duration::from_secs(30 * 60));
/// assert_eq!(clock.now() - before, Duration::from_secs(30 * 60));
///
/// // Every mounted service reads this clock: `Clock::of(&request)`.
/// let config = SandboxConfig::new().clock(manual);
/// # let _ = config;
/// ```
#[derive(Clone, Default)]
pub struct Clock {
    /// `None`: the real clock.
    manual: Option<Arc<ManualState>>,
}

impl Clock {
    /// The system's clocks.
    #[must_use]
    pub fn real() -> Self {
        Self { manual: None }
    }

    /// The clock the sandbox attached to `request`, or the real clock when the
    /// request did not come through a sandbox (a service called directly in a test).
    #[must_use]
    pub fn of<B>(request: &http::Request<B>) -> Self {
        request
            .extensions()
            .get::<Self>()
            .cloned()
            .unwrap_or_default()
    }

    /// Monotonic time, for durations: token lifetimes, rate windows.
    #[must_use]
    pub fn now(&self) -> Instant {
        match &self.manual {
            None => Instant::now(),
            Some(state) => state.start_instant + state.offset(),
        }
    }

    /// Wall-clock time, for stamps a service shows or stores.
    #[must_use]
    pub fn system_time(&self) -> SystemTime {
        match &self.manual {
            None => SystemTime::now(),
            Some(state) => state.start_system + state.offset(),
        }
    }

    /// Whether this clock only moves when a test moves it.
    #[must_use]
    pub fn is_manual(&self) -> bool {
        self.manual.is_some()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.manual {
            None => f.write_str("Clock::Real"),
            Some(state) => f
                .debug_struct("Clock::Manual")
                .field("advanced", &state.offset())
                .finish(),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(manual: ManualClock) -> Self {
        Self {
            manual: Some(manual.state),
        }
    }
}

/// A clock that stands still until a test moves it forward.
///
/// It starts at the moment it is made (or at a chosen wall-clock time, see
/// [`ManualClock::starting_at`]); [`ManualClock::advance`] moves it and every
/// [`Clock`] made from it (clones share the time). Give it to the sandbox with
/// [`SandboxConfig::clock`](crate::SandboxConfig::clock), keep a clone, and
/// advance it between requests:
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use sandbox::{Clock, ManualClock};
///
/// let manual = ManualClock::starting_at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
/// let clock: Clock = manual.clone().into();
/// manual.advance(Duration::from_secs(61));
/// assert_eq!(
///     clock.system_time(),
///     SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_061)
/// );
/// ```
#[derive(Clone)]
pub struct ManualClock {
    state: Arc<ManualState>,
}

impl ManualClock {
    /// A manual clock reading the current real time until it is advanced.
    #[must_use]
    pub fn new() -> Self {
        Self::starting_at(SystemTime::now())
    }

    /// A manual clock whose wall-clock time starts at `system_time` (its
    /// monotonic time starts at the real current instant).
    #[must_use]
    pub fn starting_at(system_time: SystemTime) -> Self {
        Self {
            state: Arc::new(ManualState {
                start_instant: Instant::now(),
                start_system: system_time,
                offset_nanos: AtomicU64::new(0),
                advancing: Mutex::new(()),
            }),
        }
    }

    /// Moves the clock forward by `by` (saturating after about 584 years).
    pub fn advance(&self, by: Duration) {
        let by = u64::try_from(by.as_nanos()).unwrap_or(u64::MAX);
        // One writer at a time, so concurrent advances add up exactly.
        let _guard = self
            .state
            .advancing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let now = self.state.offset_nanos.load(Ordering::Acquire);
        self.state
            .offset_nanos
            .store(now.saturating_add(by), Ordering::Release);
    }

    /// How far the clock has been moved since it was made.
    #[must_use]
    pub fn advanced(&self) -> Duration {
        self.state.offset()
    }

    /// A [`Clock`] reading this manual clock.
    #[must_use]
    pub fn clock(&self) -> Clock {
        Clock::from(self.clone())
    }
}

impl Default for ManualClock {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ManualClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ManualClock")
            .field("advanced", &self.advanced())
            .finish()
    }
}

struct ManualState {
    start_instant: Instant,
    start_system: SystemTime,
    offset_nanos: AtomicU64,
    advancing: Mutex<()>,
}

impl ManualState {
    fn offset(&self) -> Duration {
        Duration::from_nanos(self.offset_nanos.load(Ordering::Acquire))
    }
}

/// A fixed-window request budget: at most `limit` admissions per `window`,
/// measured on a [`Clock`]; for simulated services that enforce a rate limit
/// (e.g. "500 requests per minute, then 429").
///
/// The first admission opens a window; once it has lasted `window`, the next
/// admission opens a new one. A refusal says how long until the window ends
/// (what a `Retry-After` would carry).
///
/// ```
/// use std::time::Duration;
/// use sandbox::{ManualClock, RateWindow};
///
/// let manual = ManualClock::new();
/// let clock = manual.clock();
/// let window = RateWindow::new(2, Duration::from_secs(60));
/// assert_eq!(window.admit(clock.now()), Ok(()));
/// assert_eq!(window.admit(clock.now()), Ok(()));
/// manual.advance(Duration::from_secs(45));
/// assert_eq!(window.admit(clock.now()), Err(Duration::from_secs(15)));
/// manual.advance(Duration::from_secs(15));
/// assert_eq!(window.admit(clock.now()), Ok(()));
/// ```
#[derive(Debug)]
pub struct RateWindow {
    limit: u32,
    window: Duration,
    state: Mutex<Option<WindowState>>,
}

#[derive(Debug, Clone, Copy)]
struct WindowState {
    opened: Instant,
    admitted: u32,
}

impl RateWindow {
    /// At most `limit` admissions per `window`.
    #[must_use]
    pub fn new(limit: u32, window: Duration) -> Self {
        Self {
            limit,
            window,
            state: Mutex::new(None),
        }
    }

    /// Admits one request at `now`, or says how long until the current window
    /// ends. A `now` earlier than the window's start counts as its start.
    ///
    /// # Errors
    /// The time left in the current window when its budget is spent.
    pub fn admit(&self, now: Instant) -> Result<(), Duration> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let current = match *state {
            Some(open) if now.saturating_duration_since(open.opened) < self.window => open,
            _ => WindowState {
                opened: now,
                admitted: 0,
            },
        };
        if current.admitted < self.limit {
            *state = Some(WindowState {
                admitted: current.admitted + 1,
                ..current
            });
            Ok(())
        } else {
            *state = Some(current);
            Err(self.window - now.saturating_duration_since(current.opened))
        }
    }

    /// The most admissions per window.
    #[must_use]
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// The window's length.
    #[must_use]
    pub fn window(&self) -> Duration {
        self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_real_clock_moves_and_a_manual_one_only_when_advanced() {
        let real = Clock::real();
        let first = real.now();
        std::thread::sleep(Duration::from_millis(5));
        assert!(real.now() > first);
        assert!(!real.is_manual());

        let manual = ManualClock::new();
        let clock = manual.clock();
        let (instant, wall) = (clock.now(), clock.system_time());
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(clock.now(), instant);
        assert_eq!(clock.system_time(), wall);
        manual.advance(Duration::from_secs(90));
        manual.clone().advance(Duration::from_millis(500));
        assert_eq!(clock.now() - instant, Duration::from_millis(90_500));
        assert_eq!(
            clock.system_time().duration_since(wall).unwrap(),
            Duration::from_millis(90_500)
        );
        assert_eq!(manual.advanced(), Duration::from_millis(90_500));
        assert!(clock.is_manual());
    }

    #[test]
    fn a_request_carries_the_sandbox_clock_or_reads_the_real_one() {
        let manual = ManualClock::new();
        let mut request = http::Request::new(());
        assert!(!Clock::of(&request).is_manual());
        request.extensions_mut().insert(manual.clock());
        let clock = Clock::of(&request);
        let before = clock.now();
        manual.advance(Duration::from_secs(1));
        assert_eq!(clock.now() - before, Duration::from_secs(1));
    }

    #[test]
    fn a_rate_window_refuses_past_its_limit_until_the_window_ends() {
        let manual = ManualClock::new();
        let clock = manual.clock();
        let window = RateWindow::new(3, Duration::from_secs(60));
        for _ in 0..3 {
            assert_eq!(window.admit(clock.now()), Ok(()));
        }
        assert_eq!(window.admit(clock.now()), Err(Duration::from_secs(60)));
        manual.advance(Duration::from_secs(59));
        assert_eq!(window.admit(clock.now()), Err(Duration::from_secs(1)));
        manual.advance(Duration::from_secs(1));
        // A new window: the full budget again, counted from now.
        for _ in 0..3 {
            assert_eq!(window.admit(clock.now()), Ok(()));
        }
        manual.advance(Duration::from_secs(10));
        assert_eq!(window.admit(clock.now()), Err(Duration::from_secs(50)));
        assert_eq!(
            (window.limit(), window.window()),
            (3, Duration::from_secs(60))
        );
    }

    #[test]
    fn a_zero_limit_refuses_everything() {
        let window = RateWindow::new(0, Duration::from_secs(1));
        let now = Instant::now();
        assert_eq!(window.admit(now), Err(Duration::from_secs(1)));
    }
}
