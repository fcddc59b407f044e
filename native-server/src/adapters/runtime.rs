//! Clock, entropy and CPU offload from the operating system and tokio.

use std::sync::Arc;
use std::time::Instant;

use mediakit_core::ports::{Clock, Entropy, Offload};
use mediakit_core::{Error, Result};
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
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
    jobs: ImageJobs,
}

/// What the pool's jobs are doing, for metrics: how many wait for a
/// permit, how many run, and how long each ran.
#[derive(Clone, Debug)]
pub struct ImageJobs {
    pub waiting: Gauge,
    pub running: Gauge,
    pub seconds: Histogram,
}

impl Default for ImageJobs {
    fn default() -> Self {
        Self {
            waiting: Gauge::default(),
            running: Gauge::default(),
            // 1 ms to ~16 s: a thumbnail to the image deadline.
            seconds: Histogram::new(exponential_buckets(0.001, 2.0, 15)),
        }
    }
}

impl BlockingPool {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            jobs: ImageJobs::default(),
        }
    }

    /// The pool's job metrics (shared: clones see the same values).
    pub fn jobs(&self) -> &ImageJobs {
        &self.jobs
    }
}

/// Decrements a gauge when dropped: a cancelled wait or job is counted
/// out as surely as a finished one.
struct Counted<'a>(&'a Gauge);

impl<'a> Counted<'a> {
    fn new(gauge: &'a Gauge) -> Self {
        gauge.inc();
        Self(gauge)
    }
}

impl Drop for Counted<'_> {
    fn drop(&mut self) {
        self.0.dec();
    }
}

impl Offload for BlockingPool {
    async fn run<F, R>(&self, job: F) -> Result<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let waiting = Counted::new(&self.jobs.waiting);
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::internal(format!("offload pool closed: {e}")))?;
        drop(waiting);
        let _running = Counted::new(&self.jobs.running);
        let seconds = self.jobs.seconds.clone();
        tokio::task::spawn_blocking(move || {
            let start = Instant::now();
            let out = job();
            seconds.observe(start.elapsed().as_secs_f64());
            out
        })
        .await
        .map_err(|e| Error::internal(format!("image job failed: {e}")))
    }
}
