//! Process CPU time, and pinning a process to one CPU.

use std::time::Duration;

use rustix::thread::{CpuSet, sched_getaffinity, sched_setaffinity};
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

/// The CPUs this thread may run on, in increasing order.
///
/// # Errors
/// When the kernel does not say.
pub fn allowed_cpus() -> Result<Vec<usize>, String> {
    let set =
        sched_getaffinity(None).map_err(|error| format!("reading the CPU affinity: {error}"))?;
    Ok((0..CpuSet::MAX_CPU)
        .filter(|&cpu| set.is_set(cpu))
        .collect())
}

/// Keeps the calling thread, and every thread it starts afterwards, on `cpu`
/// alone. Called first thing in `main` (before any runtime starts its
/// threads) it pins the whole process.
///
/// # Errors
/// When `cpu` is not one this thread may run on, or the kernel refuses.
pub fn pin_to(cpu: usize) -> Result<(), String> {
    if cpu >= CpuSet::MAX_CPU {
        return Err(format!(
            "CPU {cpu} is past the largest CPU number the kernel accepts"
        ));
    }
    let mut set = CpuSet::new();
    set.set(cpu);
    sched_setaffinity(None, &set).map_err(|error| format!("pinning to CPU {cpu}: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_pinned_to_an_allowed_cpu_runs_there_alone() {
        // On a thread of its own, so the test harness's threads keep their affinity.
        std::thread::spawn(|| {
            let allowed = allowed_cpus().unwrap();
            let last = *allowed.last().expect("a thread may run on some CPU");
            pin_to(last).unwrap();
            assert_eq!(allowed_cpus().unwrap(), [last]);
            // A thread started afterwards inherits it.
            let inherited = std::thread::spawn(allowed_cpus).join().unwrap().unwrap();
            assert_eq!(inherited, [last]);
            assert!(pin_to(CpuSet::MAX_CPU).is_err());
        })
        .join()
        .unwrap();
    }

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
