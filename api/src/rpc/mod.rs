//! The RPC dialect (seed 000): `/media/upload_media`, `/media/fetch_media`,
//! `/media/fetch_media_instance`, `/media/fetch_all_media_metadata`,
//! `/media/mark_media_as_deleted`, `/media/mark_media_as_unlisted`,
//! `/update_media_metadata`, instance files under `/volume/media/files/`,
//! and mediakit's `/media/task_status`. Handlers only translate parameters
//! and shapes; every rule is the core service's. The media shapes are in
//! `wire`, the upload and task shapes beside their handlers in `upload`,
//! errors in `error`'s shape.

mod error;
mod fetch;
mod instance;
mod origin;
mod params;
mod state;
mod update;
mod upload;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, get, post};
use mediakit_core::ports::Backend;
use mediakit_core::service::{MAX_BATCH_FILES, MediaService};

pub use error::{RpcError, RpcResult};
pub use origin::origin;
/// The parameter parsing, reachable for the fuzz targets (fuzz-targets/),
/// which drive it without a server; handlers take it as an extractor.
#[doc(hidden)]
pub use params::Params;

/// The body size accepted by `upload_media`: a full batch of files at the
/// limit plus one more (so that a file over the limit can be read past and
/// answered per file), plus the multipart framing. Files stream in one at
/// a time, so memory holds one file whatever this is.
pub fn batch_transport_limit(max_upload_bytes: u64) -> usize {
    let files = u64::try_from(MAX_BATCH_FILES + 1).unwrap_or(u64::MAX);
    usize::try_from(max_upload_bytes.saturating_mul(files))
        .unwrap_or(usize::MAX)
        .saturating_add(256 * 1024)
}

/// A route whose other methods answer in this dialect's error shape.
fn rpc<P: Backend>(
    route: MethodRouter<Arc<MediaService<P>>>,
) -> MethodRouter<Arc<MediaService<P>>> {
    route.fallback(error::method_not_allowed)
}

/// Every route whose request is short.
pub fn routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    Router::new()
        .route("/media/task_status", rpc(get(upload::task_status::<P>)))
        .route("/media/fetch_media", rpc(post(fetch::fetch_media::<P>)))
        .route(
            "/media/fetch_all_media_metadata",
            rpc(post(fetch::fetch_all_media_metadata::<P>)),
        )
        .route(
            "/media/fetch_media_instance",
            rpc(get(instance::fetch_media_instance::<P>)),
        )
        .route(
            "/volume/media/files/{media_id}/{file}",
            rpc(get(instance::instance_url::<P>)),
        )
        .route(
            "/media/mark_media_as_deleted",
            rpc(post(state::mark_media_as_deleted::<P>)),
        )
        .route(
            "/media/mark_media_as_unlisted",
            rpc(post(state::mark_media_as_unlisted::<P>)),
        )
        .route(
            "/update_media_metadata",
            rpc(post(update::update_media_metadata::<P>)),
        )
}

/// The batch upload, which lasts as long as the client's link takes to
/// send it.
pub fn upload_routes<P: Backend>(max_upload_bytes: u64) -> Router<Arc<MediaService<P>>> {
    let upload_limit = batch_transport_limit(max_upload_bytes);
    Router::new().route(
        "/media/upload_media",
        rpc(post(upload::upload_media::<P>).layer(DefaultBodyLimit::max(upload_limit))),
    )
}
