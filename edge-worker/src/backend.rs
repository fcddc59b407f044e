//! The edge's adapters plugged into the core service.

use std::sync::Arc;

use mediakit_core::catalog::{Catalog, FileCache};
use mediakit_core::config::ServiceConfig;
use mediakit_core::ports::{Adapters, InlineOffload};
use mediakit_core::service::{MediaService, Ports};
use worker::Env;

use crate::d1_executor::D1Executor;
use crate::r2_blobs::R2Blobs;
use crate::runtime::{JsClock, JsEntropy};

/// Binding names, as in wrangler.toml.
pub const BUCKET: &str = "BUCKET";
pub const DB: &str = "DB";
/// The scratch bucket and database of the port conformance route (the `ci`
/// environment only; the suites empty them first).
pub const TEST_BUCKET: &str = "TEST_BUCKET";
pub const TEST_DB: &str = "TEST_DB";

/// Blobs in R2, the catalog in D1, the isolate's clock and crypto, image
/// work inline (an isolate has one thread).
pub type EdgeBackend = Adapters<R2Blobs, D1Executor, JsClock, JsEntropy, InlineOffload>;

pub type EdgeService = MediaService<EdgeBackend>;

thread_local! {
    /// The file cache of this isolate, shared by the catalogs of its
    /// requests: a write in one request invalidates what the others read.
    /// Other isolates see a change within the cache's time to live.
    static FILE_CACHE: Arc<FileCache> = Arc::new(FileCache::default());
}

/// The service over this request's bindings. Cheap: the bindings are
/// handles, nothing is opened or read here.
pub fn service(env: &Env, config: ServiceConfig) -> worker::Result<EdgeService> {
    let ports = Ports {
        blobs: R2Blobs::new(env.bucket(BUCKET)?),
        catalog: Catalog::new(D1Executor::new(env.d1(DB)?))
            .with_file_cache(FILE_CACHE.with(Arc::clone)),
        clock: JsClock,
        entropy: JsEntropy,
        offload: InlineOffload,
    };
    Ok(MediaService::new(ports, config))
}
