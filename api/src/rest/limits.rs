//! `GET /api/v1/limits`: what this instance accepts, public, so that
//! clients (the web demo among them) can refuse a file before sending it.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use super::wire::LimitsResponse;

pub async fn limits<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
) -> Json<LimitsResponse> {
    Json(service.config().into())
}
