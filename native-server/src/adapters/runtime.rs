//! Clock, entropy and CPU offload from the operating system and tokio.

use std::sync::Arc;

use mediakit_core::ports::{Clock, Entropy, Offload};
use mediakit_core::{Error, Result};
use tokio::sync::Semaphore;

#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        i64::try_from(now.as_millis()).unwrap_or(i64::MAX)
    }
}

#[derive(Clone, Copy, Debug, Default)]
pub struct OsEntropy;

impl Entropy for OsEntropy {
    fn fill(&self, buf: &mut [u8]) {
        // The OS generator failing is unrecoverable: ids and tokens would
        // not be unique or secret.
        getrandom::fill(buf).expect("the operating system's random source failed");
    }
}

/// Image work on tokio's blocking pool, at most `permits` jobs at once so
/// that concurrent uploads cannot multiply peak memory without bound.
#[derive(Clone, Debug)]
pub struct BlockingPool {
    permits: Arc<Semaphore>,
}

impl BlockingPool {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }
}

impl Offload for BlockingPool {
    async fn run<F, R>(&self, job: F) -> Result<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::internal(format!("offload pool closed: {e}")))?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| Error::internal(format!("image job failed: {e}")))
    }
}
