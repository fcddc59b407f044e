//! Wiring the native adapters into the core service.

use std::sync::Arc;

use mediakit_core::blob_cache::BlobCache;
use mediakit_core::catalog::{DEFAULT_FILE_CACHE_CAPACITY, FileCache};
use mediakit_core::config::{Limits, ServiceConfig};
use mediakit_core::ports::Adapters;
use mediakit_core::service::{MediaService, Ports};

use crate::adapters::blobs::ObjectStoreBlobs;
use crate::adapters::catalog::{self, NativeSql};
use crate::adapters::runtime::{BlockingPool, OsEntropy, SystemClock};
use crate::metrics::Metrics;
use crate::settings::Settings;
use crate::stores::Storage;

/// Blobs through object_store (local disk or S3), the catalog on SQLite or
/// Postgres, the system clock and the OS's randomness, image work on a
/// blocking thread pool.
pub type NativeBackend =
    Adapters<ObjectStoreBlobs, NativeSql, SystemClock, OsEntropy, BlockingPool>;

pub type NativeService = MediaService<NativeBackend>;

/// Opens the store described by the settings (creating a local one on
/// first use, migrating the database schema).
pub async fn open(settings: &Settings) -> anyhow::Result<Arc<NativeService>> {
    Ok(open_with_metrics(settings).await?.0)
}

/// [`open`], and the metrics the service's uploads and image jobs report
/// to (the server serves them at `/metrics`).
pub async fn open_with_metrics(
    settings: &Settings,
) -> anyhow::Result<(Arc<NativeService>, Arc<Metrics>)> {
    std::fs::create_dir_all(&settings.data)?;
    let catalog = catalog::open(&settings.database, settings.database_connections)
        .await?
        .with_file_cache(Arc::new(FileCache::new(
            settings.file_cache_ttl_ms,
            DEFAULT_FILE_CACHE_CAPACITY,
        )));
    let blobs = ObjectStoreBlobs::open(&settings.storage)?;
    let config = ServiceConfig {
        limits: Limits {
            max_upload_bytes: settings.max_upload_bytes,
            max_pixels: settings.max_pixels,
            // An image that needs more than the whole budget could never be
            // admitted: it is refused (422) instead of waiting for a 503.
            max_processing_memory: settings.memory.total_bytes,
            image_deadline_ms: settings.image_deadline_ms,
        },
        retention_ms: settings.retention_ms,
        uploads_enabled: settings.uploads_enabled,
        file_cache_control: settings.file_cache_control.clone(),
        unlisted_file_cache_control: settings.unlisted_file_cache_control.clone(),
        signing_key: Some(crate::signing_key::load_or_create(&settings.data)?),
        ..ServiceConfig::default()
    };
    let pool = BlockingPool::new(settings.image_workers);
    let metrics = Arc::new(Metrics::new(pool.jobs()));
    let ports: Ports<NativeBackend> = Ports {
        blobs,
        catalog,
        clock: SystemClock,
        entropy: OsEntropy,
        offload: pool,
    };
    let service = MediaService::new(ports, config)
        .with_budget(settings.memory.budget())
        .with_blob_cache(Arc::new(BlobCache::new(settings.file_memory_cache_bytes)))
        .with_upload_observer(metrics.upload_observer());
    Ok((Arc::new(service), metrics))
}

/// For stores that are written to (the server, a storage migration's
/// target): a remote store must refuse to overwrite keys. Local disk always
/// does (object_store creates with a hard link), so only S3 is probed.
pub async fn check_storage(blobs: &ObjectStoreBlobs, storage: &Storage) -> anyhow::Result<()> {
    match storage {
        Storage::Local(_) => Ok(()),
        Storage::S3 { .. } => blobs.check_create_only(&storage.to_string()).await,
    }
}
