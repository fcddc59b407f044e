//! `GET /api/v1/limits`: what this instance accepts, public, so that
//! clients (the web demo among them) can refuse a file before sending it.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use super::openapi::errors::NoErrors;
use super::wire::LimitsResponse;

/// What this instance accepts
///
/// Public. Clients use it to refuse a file before sending it.
#[utoipa::path(
    get,
    path = "/api/v1/limits",
    operation_id = "getLimits",
    tag = "instance",
    security(()),
    responses(
        (status = 200, description = "The limits", body = LimitsResponse),
        NoErrors,
    ),
)]
pub async fn limits<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
) -> Json<LimitsResponse> {
    Json(service.config().into())
}
