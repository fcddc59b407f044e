//! mediakit-api: the one HTTP surface of mediakit. Every endpoint of every
//! dialect is written here once, as an axum [`Router`] over the core
//! service, generic over the backend ports. The native server mounts it
//! under tokio; the edge worker calls it from its fetch handler.
//!
//! axum is used with default features off (no tokio, no hyper server), so
//! this crate compiles for wasm32 too.

pub mod auth;
pub mod cms;
pub mod error;
pub mod files;
pub mod multipart;
pub mod rest;
pub mod rpc;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::routing::get;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use mediakit_core::{Error, ErrorCode};

use crate::error::ApiError;

/// The whole API over one service.
pub fn router<P: Backend>(service: Arc<MediaService<P>>) -> Router {
    let max_upload = service.config().limits.max_upload_bytes;
    Router::new()
        .merge(rest::routes::<P>(max_upload))
        .merge(rpc::routes::<P>(max_upload))
        .merge(cms::routes::<P>())
        .merge(files::routes::<P>())
        .route("/healthz", get(health))
        .route("/api/v1/limits", get(limits::<P>))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service)
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn limits<P: Backend>(
    axum::extract::State(service): axum::extract::State<Arc<MediaService<P>>>,
) -> Json<mediakit_core::dto::rest::LimitsResponse> {
    Json(service.config().into())
}

async fn not_found() -> ApiError {
    ApiError(Error::new(ErrorCode::NotFound, "no such endpoint"))
}

async fn method_not_allowed() -> ApiError {
    ApiError(Error::new(
        ErrorCode::MethodNotAllowed,
        "this endpoint does not support that method",
    ))
}
