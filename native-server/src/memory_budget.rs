//! The native server's memory budget for uploads (core's
//! [`mediakit_core::admission::Budget`]): its size, how many uploads may
//! wait for room and how long, and the default sized to the machine.
//!
//! The default is a quarter of the memory the process may use (the
//! machine's `MemTotal`, or the cgroup's `memory.max` when a container
//! sets a lower one), at most 512 MiB: enough for a dozen 10 MB photos
//! processed at once on the two image workers of a small server, while a
//! flood of uploads stays far from what the machine has.

use std::time::Duration;

use mediakit_core::admission::Budget;

const MIB: u64 = 1024 * 1024;

/// The cap of the default budget.
pub const DEFAULT_MAX_MIB: u64 = 512;
/// The budget when the machine's memory cannot be read.
pub const FALLBACK_MIB: u64 = 512;
/// Uploads that may wait for room at once; more are answered 503 at once.
/// Waiting costs no memory: a waiting body is not read yet.
pub const DEFAULT_QUEUE: usize = 32;
/// How long an upload waits for room before it is answered 503.
pub const DEFAULT_QUEUE_WAIT: Duration = Duration::from_secs(5);

/// `memory_budget_mib`, `upload_queue`, `upload_queue_wait_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoryBudget {
    pub total_bytes: u64,
    pub queue: usize,
    pub queue_wait: Duration,
}

impl MemoryBudget {
    /// The budget itself, waiting on tokio's timer. One per server: every
    /// request admits its upload against it.
    pub fn budget(&self) -> Budget {
        let wait = self.queue_wait;
        Budget::new(
            self.total_bytes,
            self.queue,
            Box::new(move || Box::pin(tokio::time::sleep(wait))),
        )
    }
}

/// The default budget in MiB for this machine.
pub fn default_mib() -> u64 {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max").ok();
    default_mib_from(meminfo.as_deref(), cgroup.as_deref())
}

/// [`default_mib`] from the text of `/proc/meminfo` and of the cgroup's
/// `memory.max` (`max` when unlimited).
fn default_mib_from(meminfo: Option<&str>, cgroup_max: Option<&str>) -> u64 {
    let machine = meminfo.and_then(mem_total_bytes);
    let cgroup = cgroup_max.and_then(|v| v.trim().parse::<u64>().ok());
    let usable = match (machine, cgroup) {
        (Some(m), Some(c)) => m.min(c),
        (Some(m), None) => m,
        (None, Some(c)) => c,
        (None, None) => return FALLBACK_MIB,
    };
    (usable / 4 / MIB).clamp(1, DEFAULT_MAX_MIB)
}

/// `MemTotal:  24563112 kB` in bytes.
fn mem_total_bytes(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

pub fn mib_to_bytes(mib: u64) -> u64 {
    mib.saturating_mul(MIB)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MEMINFO_24G: &str = "MemTotal:       25165824 kB\nMemFree:  1000 kB\n";

    #[test]
    fn a_quarter_of_the_memory_at_most_512_mib() {
        assert_eq!(default_mib_from(Some(MEMINFO_24G), None), 512);
        assert_eq!(default_mib_from(Some(MEMINFO_24G), Some("max\n")), 512);
        let one_gib = "MemTotal: 1048576 kB\n";
        assert_eq!(default_mib_from(Some(one_gib), None), 256);
        // A container limit lower than the machine wins.
        assert_eq!(
            default_mib_from(Some(MEMINFO_24G), Some("1073741824\n")),
            256
        );
        assert_eq!(default_mib_from(None, Some("536870912")), 128);
        assert_eq!(default_mib_from(None, None), FALLBACK_MIB);
        assert_eq!(default_mib_from(Some("garbage"), None), FALLBACK_MIB);
    }

    #[test]
    fn this_machine_gets_a_budget() {
        let mib = default_mib();
        assert!((1..=DEFAULT_MAX_MIB).contains(&mib), "{mib}");
    }
}
