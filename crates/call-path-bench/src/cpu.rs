//! Process CPU time.

use std::time::Duration;

use rustix::time::{ClockId, clock_gettime};

/// The CPU time (user + system, every thread) this process has used so far,
/// from `CLOCK_PROCESS_CPUTIME_ID` (nanosecond resolution on Linux).
///
/// With `CALL_PATH_BENCH_NO_CPU` set in the environment it is always zero:
/// for runs under valgrind (callgrind counts instructions instead), where
/// the vDSO clock this reads crashes the process.
pub fn process_cpu_time() -> Duration {
    if std::env::var_os("CALL_PATH_BENCH_NO_CPU").is_some() {
        return Duration::ZERO;
    }
    let now = clock_gettime(ClockId::ProcessCPUTime);
    Duration::new(
        u64::try_from(now.tv_sec).unwrap_or(0),
        u32::try_from(now.tv_nsec).unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_with_work() {
        let before = process_cpu_time();
        let started = std::time::Instant::now();
        let mut x = 0u64;
        // Spin until the clock has moved by a millisecond of CPU, for at most 5 s.
        while process_cpu_time() < before + Duration::from_millis(1)
            && started.elapsed() < Duration::from_secs(5)
        {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        assert!(process_cpu_time() >= before + Duration::from_millis(1));
    }
}
