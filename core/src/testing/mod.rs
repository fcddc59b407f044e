//! In-memory and deterministic adapters, so that the service runs in a unit
//! test without a server, a disk or a network: blobs in a map, a clock that
//! moves only when told, reproducible randomness. Behind the `testing`
//! feature (never in a normal build). The catalog needs no double: SQLite
//! `:memory:` runs the real SQL (see core/tests/service/support.rs).

mod memory_blobs;

pub use memory_blobs::MemoryBlobs;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use crate::ports::{Clock, Entropy};
use crate::time::Millis;

/// A clock that stands still until [`Self::advance`]d. Its clones share
/// the time: advancing one advances all.
#[derive(Debug, Clone)]
pub struct ManualClock {
    now: Arc<AtomicI64>,
}

impl ManualClock {
    pub fn at(now: Millis) -> Self {
        Self {
            now: Arc::new(AtomicI64::new(now)),
        }
    }

    pub fn advance(&self, ms: Millis) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Millis {
        self.now.load(Ordering::SeqCst)
    }
}

/// Bytes that differ on every call and repeat across runs: a counter
/// stirred with SplitMix64, so ids and token secrets are unique within a
/// test and the same in every run.
#[derive(Debug, Default)]
pub struct SeededEntropy {
    state: AtomicU64,
}

impl SeededEntropy {
    /// Where the sequence is; [`Self::restart_at`] goes back there, so
    /// that a fuzzed request always sees the same ids.
    pub fn position(&self) -> u64 {
        self.state.load(Ordering::SeqCst)
    }

    pub fn restart_at(&self, position: u64) {
        self.state.store(position, Ordering::SeqCst);
    }
}

impl Entropy for SeededEntropy {
    fn fill(&self, buf: &mut [u8]) {
        for chunk in buf.chunks_mut(8) {
            let mut z = self
                .state
                .fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::SeqCst)
                .wrapping_add(0x9e37_79b9_7f4a_7c15);
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes()[..chunk.len()]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_moves_only_when_told() {
        let clock = ManualClock::at(1_000);
        assert_eq!(clock.now_ms(), 1_000);
        clock.advance(500);
        assert_eq!(clock.now_ms(), 1_500);
    }

    #[test]
    fn entropy_differs_per_call_and_repeats_per_run() {
        let fill = |e: &SeededEntropy| {
            let mut b = [0u8; 10];
            e.fill(&mut b);
            b
        };
        let (a, b) = (SeededEntropy::default(), SeededEntropy::default());
        let first = fill(&a);
        assert_ne!(first, fill(&a), "each call gives new bytes");
        assert_eq!(first, fill(&b), "a fresh source repeats the sequence");
    }
}
