//! The service: every use case of mediakit, over the ports. HTTP dialects,
//! CLIs and tests all call these methods; none re-implements a rule.

mod batch;
mod files;
mod import;
mod lifecycle;
mod query;
mod renditions;
mod shared_files;
mod tokens;
mod update;
mod upload;

pub use crate::model::{DEFAULT_PAGE, MAX_PAGE, page_size};
pub use batch::{Batch, MAX_BATCH_FILES};
pub use files::{FileBody, FileRef, file_ref};
pub use import::{ExportedItem, Imported};
pub use lifecycle::Collected;
pub use renditions::{RenditionFile, SignedRendition, VariantFile, variant_formats};
pub use tokens::CreatedToken;
pub use upload::{UploadRequest, process_upload, render_variants, strip_original};

use std::sync::Arc;

use crate::MediaKind;
use crate::admission::Budget;
use crate::blob_cache::BlobCache;
use crate::catalog::Catalog;
use crate::config::ServiceConfig;
use crate::error::ErrorCode;
use crate::ids;
use crate::ports::{Backend, Clock, Entropy};
use crate::time::Millis;

/// The ports a frontend provides.
pub struct Ports<P: Backend> {
    pub blobs: P::Blobs,
    pub catalog: Catalog<P::Sql>,
    pub clock: P::Clock,
    pub entropy: P::Entropy,
    pub offload: P::Offload,
}

pub struct MediaService<P: Backend> {
    pub(crate) ports: Ports<P>,
    pub(crate) config: ServiceConfig,
    pub(crate) budget: Budget,
    pub(crate) blob_cache: Arc<BlobCache>,
    pub(crate) upload_observer: Option<UploadObserver>,
    pub(crate) render_locks: renditions::RenderLocks,
}

/// What became of one upload, for a host's metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadOutcome {
    /// Known once the bytes were identified; `None` for uploads refused
    /// before (bad metadata, unknown type).
    pub kind: Option<MediaKind>,
    /// Bytes stored (original and variants; none for an upload that
    /// shares the files of one of the same bytes), or why it was refused.
    pub result: std::result::Result<u64, ErrorCode>,
}

/// Called once per upload with its outcome (a host's metrics; no I/O).
pub type UploadObserver = Arc<dyn Fn(&UploadOutcome) + Send + Sync>;

impl<P: Backend> MediaService<P> {
    /// A service with no memory budget ([`Budget::unlimited`]); servers
    /// set theirs with [`Self::with_budget`].
    pub fn new(ports: Ports<P>, config: ServiceConfig) -> Self {
        Self {
            ports,
            config,
            budget: Budget::unlimited(),
            blob_cache: Arc::default(),
            upload_observer: None,
            render_locks: Default::default(),
        }
    }

    /// Uploads are admitted against `budget` (shared with whatever else
    /// holds a clone of it: the edge keeps one per isolate).
    pub fn with_budget(mut self, budget: Budget) -> Self {
        self.budget = budget;
        self
    }

    /// Small files are served from `cache` once read (shared with whatever
    /// else holds it). Without one, every file GET reads storage.
    pub fn with_blob_cache(mut self, cache: Arc<BlobCache>) -> Self {
        self.blob_cache = cache;
        self
    }

    /// `observer` hears of every upload's outcome.
    pub fn with_upload_observer(mut self, observer: UploadObserver) -> Self {
        self.upload_observer = Some(observer);
        self
    }

    /// The small-file cache (for a host's metrics).
    pub fn blob_cache(&self) -> &BlobCache {
        &self.blob_cache
    }

    /// The memory budget uploads are admitted against. HTTP layers take a
    /// body's permit from it before reading the body.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    pub fn config(&self) -> &ServiceConfig {
        &self.config
    }

    pub fn ports(&self) -> &Ports<P> {
        &self.ports
    }

    pub(crate) fn now(&self) -> Millis {
        self.ports.clock.now_ms()
    }

    pub(crate) fn new_id(&self) -> String {
        let mut random = [0u8; 10];
        self.ports.entropy.fill(&mut random);
        ids::uuid_v7(self.now(), random)
    }
}
