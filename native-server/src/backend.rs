//! Wiring the native adapters into the core service.

use std::sync::Arc;

use mediakit_core::config::{Limits, ServiceConfig};
use mediakit_core::ports::Backend;
use mediakit_core::service::{MediaService, Ports};

use crate::adapters::blobs::ObjectStoreBlobs;
use crate::adapters::runtime::{BlockingPool, OsEntropy, SystemClock};
use crate::adapters::sqlite::SqliteCatalog;
use crate::settings::Settings;

pub struct NativeBackend;

impl Backend for NativeBackend {
    type Blobs = ObjectStoreBlobs;
    type Catalog = SqliteCatalog;
    type Clock = SystemClock;
    type Entropy = OsEntropy;
    type Offload = BlockingPool;
}

pub type NativeService = MediaService<NativeBackend>;

/// Opens the store described by the settings (creating it on first use).
pub async fn open(settings: &Settings) -> anyhow::Result<Arc<NativeService>> {
    std::fs::create_dir_all(&settings.data)?;
    let catalog = SqliteCatalog::open(&settings.database_file()).await?;
    let blobs = ObjectStoreBlobs::local(&settings.blobs_dir())?;
    let config = ServiceConfig {
        limits: Limits {
            max_upload_bytes: settings.max_upload_bytes,
            max_pixels: settings.max_pixels,
        },
        retention_ms: settings.retention_ms,
        uploads_enabled: settings.uploads_enabled,
        ..ServiceConfig::default()
    };
    let ports = Ports {
        blobs,
        catalog,
        clock: SystemClock,
        entropy: OsEntropy,
        offload: BlockingPool::new(settings.image_workers),
    };
    Ok(Arc::new(MediaService::new(ports, config)))
}
