//! The canonical REST dialect: `/api/v1/...`. One file per group of
//! handlers, their wire types in `wire`, errors in `error`'s shape.

mod error;
mod limits;
mod media;
mod tokens;
mod upload;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

pub use error::{ApiError, ApiResult};

/// Every route whose request is short.
pub fn routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    Router::new()
        .route("/api/v1/limits", get(limits::limits::<P>))
        .route("/api/v1/media", get(media::list::<P>))
        .route("/api/v1/media/images", get(media::list_images::<P>))
        .route(
            "/api/v1/media/{id}",
            get(media::get_one::<P>)
                .patch(media::patch::<P>)
                .delete(media::delete::<P>),
        )
        .route("/api/v1/media/{id}/restore", post(media::restore::<P>))
        .route(
            "/api/v1/tokens",
            get(tokens::list::<P>).post(tokens::create::<P>),
        )
        .route(
            "/api/v1/tokens/{id}",
            axum::routing::delete(tokens::revoke::<P>),
        )
}

/// The upload, which lasts as long as the client's link takes to send it.
pub fn upload_routes<P: Backend>(max_upload_bytes: u64) -> Router<Arc<MediaService<P>>> {
    let body_limit = crate::body::transport_limit(max_upload_bytes);
    Router::new().route(
        "/api/v1/media/upload",
        post(upload::upload::<P>).layer(DefaultBodyLimit::max(body_limit)),
    )
}
