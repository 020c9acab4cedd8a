//! Measuring tools: summaries of repeated samples, the process's CPU time
//! and peak memory, and an allocation-counting global allocator.

use std::{
    alloc::{GlobalAlloc, Layout, System},
    sync::atomic::{AtomicBool, AtomicU64, Ordering},
    time::Duration,
};

/// Order statistics of a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The smallest sample.
    pub min: f64,
    /// The 25th percentile.
    pub p25: f64,
    /// The median.
    pub median: f64,
    /// The 75th percentile.
    pub p75: f64,
    /// The largest sample.
    pub max: f64,
    /// The arithmetic mean.
    pub mean: f64,
}

impl Summary {
    /// Summarizes `samples` (linear interpolation between ranks); `None`
    /// when there are none or one is NaN.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() || samples.iter().any(|x| x.is_nan()) {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |q: f64| {
            let at = q * (sorted.len() - 1) as f64;
            let (low, high) = (at.floor() as usize, at.ceil() as usize);
            sorted[low] + (sorted[high] - sorted[low]) * (at - low as f64)
        };
        Some(Summary {
            min: sorted[0],
            p25: rank(0.25),
            median: rank(0.5),
            p75: rank(0.75),
            max: sorted[sorted.len() - 1],
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
        })
    }
}

/// CPU time and peak memory of this process so far (`getrusage`).
#[derive(Clone, Copy, Debug)]
pub struct ProcessUsage {
    /// Time on the CPU in user mode.
    pub user: Duration,
    /// Time on the CPU in the kernel.
    pub system: Duration,
    /// The peak resident set size, in bytes.
    pub max_rss: u64,
}

impl ProcessUsage {
    /// Reads the counters now; `None` if the kernel refuses.
    pub fn now() -> Option<ProcessUsage> {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::uninit();
        // SAFETY: getrusage writes a whole `rusage` into the pointer on success.
        let usage = unsafe {
            if libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) != 0 {
                return None;
            }
            usage.assume_init()
        };
        let time = |t: libc::timeval| {
            Duration::from_secs(u64::try_from(t.tv_sec).unwrap_or(0))
                + Duration::from_micros(u64::try_from(t.tv_usec).unwrap_or(0))
        };
        Some(ProcessUsage {
            user: time(usage.ru_utime),
            system: time(usage.ru_stime),
            // Linux reports kilobytes.
            max_rss: u64::try_from(usage.ru_maxrss).unwrap_or(0) * 1024,
        })
    }

    /// User plus system time.
    pub fn cpu(&self) -> Duration {
        self.user + self.system
    }
}

/// A line of `/proc/self/status` in bytes, e.g. `VmRSS` (now) or `VmHWM`
/// (the peak); `None` off Linux.
pub fn proc_status_bytes(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status
        .lines()
        .find(|line| line.split(':').next() == Some(field))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// A global allocator that counts allocations and bytes while counting is
/// on: install it with `#[global_allocator]` in a benchmark binary.
#[derive(Debug)]
pub struct CountingAlloc {
    on: AtomicBool,
    allocations: AtomicU64,
    bytes: AtomicU64,
}

impl Default for CountingAlloc {
    fn default() -> Self {
        CountingAlloc::new()
    }
}

impl CountingAlloc {
    /// Not counting yet.
    pub const fn new() -> Self {
        CountingAlloc {
            on: AtomicBool::new(false),
            allocations: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
        }
    }

    /// Starts counting from zero.
    pub fn start(&self) {
        self.allocations.store(0, Ordering::Relaxed);
        self.bytes.store(0, Ordering::Relaxed);
        self.on.store(true, Ordering::Relaxed);
    }

    /// Stops counting and returns (allocations, bytes) since [`Self::start`]
    /// (reallocations count as allocations of their new size).
    pub fn stop(&self) -> (u64, u64) {
        self.on.store(false, Ordering::Relaxed);
        (
            self.allocations.load(Ordering::Relaxed),
            self.bytes.load(Ordering::Relaxed),
        )
    }

    fn count(&self, size: usize) {
        if self.on.load(Ordering::Relaxed) {
            self.allocations.fetch_add(1, Ordering::Relaxed);
            self.bytes.fetch_add(size as u64, Ordering::Relaxed);
        }
    }
}

// SAFETY: every call is passed straight to the system allocator.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.count(layout.size());
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.count(layout.size());
        // SAFETY: the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.count(new_size);
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// `d` in seconds, as text short enough for a table: `850 ms`, `12.3 s`,
/// `4.5 min`, `2.0 h`.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs < 1.0 {
        format!("{:.0} ms", secs * 1000.0)
    } else if secs < 120.0 {
        format!("{secs:.1} s")
    } else if secs < 7200.0 {
        format!("{:.1} min", secs / 60.0)
    } else {
        format!("{:.1} h", secs / 3600.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_interpolates_percentiles() {
        let s = Summary::of(&[4.0, 1.0, 3.0, 2.0, 5.0]).unwrap();
        assert_eq!(
            (s.min, s.p25, s.median, s.p75, s.max),
            (1.0, 2.0, 3.0, 4.0, 5.0)
        );
        assert_eq!(s.mean, 3.0);
        let even = Summary::of(&[1.0, 2.0]).unwrap();
        assert_eq!(even.median, 1.5);
        assert_eq!(Summary::of(&[]), None);
        assert_eq!(Summary::of(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn reads_this_process_usage() {
        let usage = ProcessUsage::now().unwrap();
        assert!(usage.max_rss > 0);
        // RSS first: other test threads may grow it between the two reads,
        // and the peak read afterwards still covers the earlier RSS.
        let now = proc_status_bytes("VmRSS").unwrap();
        let peak = proc_status_bytes("VmHWM").unwrap();
        assert!(peak >= now, "{peak} < {now}");
        assert_eq!(proc_status_bytes("NoSuchField"), None);
    }

    #[test]
    fn human_durations_pick_a_readable_unit() {
        assert_eq!(human(Duration::from_millis(850)), "850 ms");
        assert_eq!(human(Duration::from_secs(75)), "75.0 s");
        assert_eq!(human(Duration::from_secs(300)), "5.0 min");
        assert_eq!(human(Duration::from_secs(7200)), "2.0 h");
    }
}
