//! The in-memory adapters the other tests run on are held to the same
//! contracts as the real ones.

use mediakit_core::catalog::Catalog;
use mediakit_core::conformance;
use mediakit_core::testing::MemoryBlobs;

use crate::support::sqlite_in_memory;

#[tokio::test]
async fn memory_blobs_pass_the_blob_contract() {
    let blobs = MemoryBlobs::default();
    conformance::blobs::run_all(&blobs).await;
    conformance::blobs::streams_in_chunks(&blobs, 64 * 1024).await;
}

#[tokio::test]
async fn the_catalog_over_sqlite_in_memory_passes_the_catalog_contract() {
    conformance::catalog::run_all(&Catalog::new(sqlite_in_memory().await)).await;
}
