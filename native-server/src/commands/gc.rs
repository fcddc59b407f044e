//! `mediakit gc`: purges media deleted longer ago than the retention
//! window and removes orphaned files now. `serve` runs the same collection
//! every hour ([`collect_once`]).

use std::time::Duration;

use mediakit_core::config::ORPHAN_MIN_AGE_MS;

use crate::adapters::catalog::Lock;
use crate::backend::{self, NativeService};
use crate::cli::StoreArgs;
use crate::settings::{self, Settings};

pub async fn run(store: &StoreArgs) -> anyhow::Result<()> {
    let settings = settings::resolve_store(store)?;
    let service = backend::open(&settings).await?;
    // Waits for a collection another instance may be running.
    let (media, files) = service
        .ports()
        .catalog
        .executor()
        .exclusively(Lock::Collect, collect_once(&service, &settings))
        .await??;
    println!("purged {media} expired deleted media, removed {files} orphaned files");
    Ok(())
}

/// Purges expired deletions, orphaned blobs and crashed-write leftovers.
/// Returns (media purged, files removed).
pub async fn collect_once(
    service: &NativeService,
    settings: &Settings,
) -> anyhow::Result<(u64, u64)> {
    let done = service
        .collect(ORPHAN_MIN_AGE_MS)
        .await
        .map_err(|e| anyhow::anyhow!(e.message))?;
    // Staging-file leftovers are a local-disk matter; S3 writes are atomic.
    let temps = match settings.storage.local_dir() {
        Some(dir) => {
            let min_age = Duration::from_millis(ORPHAN_MIN_AGE_MS.unsigned_abs());
            let dir = dir.to_path_buf();
            tokio::task::spawn_blocking(move || {
                crate::adapters::temp_files::remove_stale(&dir, min_age)
            })
            .await??
        }
        None => 0,
    };
    Ok((done.purged_media, done.orphan_blobs + temps))
}
