//! Request ids made up for requests that arrive without one.
//!
//! tower-http's `MakeRequestUuid` asks the operating system for 16 random
//! bytes per request: a system call that showed up at ~2 % of the CPU of
//! a small-file GET in `perf` (`scripts/bench-serve`). A request id needs
//! to be unique, not secret, so here the system is asked once per process
//! and every id is a counter run through a bijective mixer: distinct in a
//! process by construction, distinct across processes (and instances
//! sharing a log sink) as random UUIDs are. Still a version-4 UUID in
//! form, so log tooling that expects one keeps working.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::http::{HeaderValue, Request};
use tower_http::request_id::{MakeRequestId, RequestId};

#[derive(Clone, Debug)]
pub struct CountingIds {
    seed: [u64; 2],
    next: Arc<AtomicU64>,
}

impl CountingIds {
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        let (a, b) = bytes.split_at(8);
        Self {
            seed: [
                u64::from_le_bytes(a.try_into().expect("8 bytes")),
                u64::from_le_bytes(b.try_into().expect("8 bytes")),
            ],
            next: Arc::new(AtomicU64::new(0)),
        }
    }

    fn id(&self, n: u64) -> uuid::Uuid {
        let high = splitmix64(self.seed[0] ^ n);
        let low = splitmix64(self.seed[1].wrapping_add(n));
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&high.to_be_bytes());
        bytes[8..].copy_from_slice(&low.to_be_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid()
    }
}

impl Default for CountingIds {
    fn default() -> Self {
        Self::new()
    }
}

impl MakeRequestId for CountingIds {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let text = self.id(n).hyphenated().to_string();
        HeaderValue::from_str(&text).ok().map(RequestId::new)
    }
}

/// SplitMix64's finaliser: a bijection on u64, so distinct inputs give
/// distinct outputs.
fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_distinct_version_4_uuids() {
        let mut ids = CountingIds::new();
        let req = Request::new(());
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = ids.make_request_id(&req).expect("an id");
            let text = id.header_value().to_str().unwrap().to_owned();
            let parsed = uuid::Uuid::parse_str(&text).expect("a UUID");
            assert_eq!(parsed.get_version_num(), 4, "{text}");
            assert!(seen.insert(text), "repeated id");
        }
    }

    #[test]
    fn two_processes_start_from_different_ids() {
        let req = Request::new(());
        let a = CountingIds::new().make_request_id(&req).unwrap();
        let b = CountingIds::new().make_request_id(&req).unwrap();
        assert_ne!(a.header_value(), b.header_value());
    }
}
