//! The canonical REST dialect: `/api/v1/...`. One file per group of
//! handlers, their wire types in `wire`, errors in `error`'s shape, and
//! the OpenAPI description of it all in `openapi`.

mod error;
mod limits;
mod media;
pub mod openapi;
mod path;
mod renditions;
mod tokens;
mod upload;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, delete, get, post};
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

pub use error::{ApiError, ApiResult};
pub use path::PathParam;

/// A route: its path and what answers there.
pub(crate) type Route<P> = (&'static str, MethodRouter<Arc<MediaService<P>>>);

const UPLOAD_PATH: &str = "/api/v1/media/upload";

/// Every route whose request is short, as a list, so that the paths can
/// be compared with the OpenAPI document ([`paths`]).
fn short_routes<P: Backend>() -> Vec<Route<P>> {
    vec![
        ("/api/v1/limits", get(limits::limits::<P>)),
        ("/api/v1/media", get(media::list::<P>)),
        ("/api/v1/media/images", get(media::list_images::<P>)),
        (
            "/api/v1/media/{id}",
            get(media::get_one::<P>)
                .patch(media::patch::<P>)
                .delete(media::delete::<P>),
        ),
        ("/api/v1/media/{id}/restore", post(media::restore::<P>)),
        ("/api/v1/media/{id}/url", post(renditions::sign_url::<P>)),
        (
            "/api/v1/tokens",
            get(tokens::list::<P>).post(tokens::create::<P>),
        ),
        ("/api/v1/tokens/{id}", delete(tokens::revoke::<P>)),
        (openapi::SPEC_PATH, openapi::spec_route()),
        (openapi::DOCS_PATH, openapi::docs_route()),
    ]
}

/// Every route whose request is short.
pub fn routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    crate::into_router(short_routes::<P>())
}

/// The upload, which lasts as long as the client's link takes to send it.
pub fn upload_routes<P: Backend>(max_upload_bytes: u64) -> Router<Arc<MediaService<P>>> {
    let body_limit = crate::body::transport_limit(max_upload_bytes);
    Router::new().route(
        UPLOAD_PATH,
        post(upload::upload::<P>).layer(DefaultBodyLimit::max(body_limit)),
    )
}

/// The path of every route of this dialect, upload included.
pub fn paths<P: Backend>() -> Vec<&'static str> {
    let short = short_routes::<P>().into_iter().map(|(path, _)| path);
    short.chain([UPLOAD_PATH]).collect()
}
