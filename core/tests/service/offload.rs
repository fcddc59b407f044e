//! CPU work of an upload runs through the offload port (natively tokio's
//! blocking pool), never on the task that answers the request: parsing and
//! the SVG policy included, not only the raster decoding after them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use mediakit_core::ErrorCode;
use mediakit_core::Result;
use mediakit_core::auth::Scope;
use mediakit_core::catalog::Catalog;
use mediakit_core::config::ServiceConfig;
use mediakit_core::ports::{Adapters, Offload};
use mediakit_core::service::{MediaService, Ports};
use mediakit_core::testing::{ManualClock, MemoryBlobs, SeededEntropy};
use mediakit_sqlx::SqliteExecutor;

use crate::support::{START, principal, sqlite_in_memory, upload_of};

/// Runs each job inline, counting them.
#[derive(Clone, Default)]
struct CountingOffload(Arc<AtomicUsize>);

impl Offload for CountingOffload {
    async fn run<F, R>(&self, job: F) -> Result<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(job())
    }
}

type Counted = Adapters<MemoryBlobs, SqliteExecutor, ManualClock, SeededEntropy, CountingOffload>;

#[tokio::test]
async fn the_svg_policy_runs_through_the_offload_port() {
    let jobs = CountingOffload::default();
    let ports = Ports {
        blobs: MemoryBlobs::default(),
        catalog: Catalog::new(sqlite_in_memory().await),
        clock: ManualClock::at(START),
        entropy: SeededEntropy::default(),
        offload: jobs.clone(),
    };
    let s: MediaService<Counted> = MediaService::new(ports, ServiceConfig::default());
    let uploader = principal(&s, &[Scope::Upload]).await;

    // Refused by the policy: the check itself was a job.
    let err = s
        .upload(&uploader, upload_of("script.svg"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::SvgUnsafe);
    assert_eq!(
        jobs.0.load(Ordering::SeqCst),
        1,
        "the refusal came from a job"
    );

    // Accepted: checked in one job, stored as sent in another.
    s.upload(&uploader, upload_of("logo.svg")).await.unwrap();
    assert_eq!(jobs.0.load(Ordering::SeqCst), 3);
}
