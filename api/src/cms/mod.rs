//! The CMS dialect (seed 001): `GET /media`, `POST /media/edit/:id`,
//! `POST /media/add`, `DELETE /media/delete/:id`. Numeric ids, `{data,
//! code}` bodies, the `refreshToken` cookie. Handlers only translate; every
//! rule is the core service's. Wire types are in `wire`, errors in
//! `error`'s shape.

mod add;
mod auth;
mod body;
mod csrf;
mod delete;
mod edit;
mod error;
mod list;
mod wire;

use std::sync::Arc;

use axum::Router;
use axum::routing::{MethodRouter, get, post};
use mediakit_core::Error;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

pub use add::body_limit;
pub use error::CmsError;

/// The numeric id in a path.
fn numeric_id(s: &str) -> Result<i64, Error> {
    s.parse::<i64>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| Error::invalid(format!("the id must be a positive integer, not `{s}`")))
}

/// A route whose other methods answer in this dialect's error shape.
fn cms<P: Backend>(
    route: MethodRouter<Arc<MediaService<P>>>,
) -> MethodRouter<Arc<MediaService<P>>> {
    route.fallback(error::method_not_allowed)
}

/// Every route whose request is short.
pub fn routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    Router::new()
        .route("/media", cms(get(list::list::<P>)))
        .route("/media/edit/{id}", cms(post(edit::edit::<P>)))
        .route(
            "/media/delete/{id}",
            cms(axum::routing::delete(delete::delete::<P>)),
        )
}

/// The upload (a base64 image in JSON), which lasts as long as the
/// client's link takes to send it. Its body is read with its own limit
/// ([`body_limit`]), not axum's.
pub fn upload_routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    Router::new().route("/media/add", cms(post(add::add::<P>)))
}
