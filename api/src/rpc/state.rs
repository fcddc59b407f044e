//! `POST /media/mark_media_as_deleted` and `POST /media/mark_media_as_unlisted`:
//! both reversible, both answer `true` when the state changed and `false`
//! when it already was as asked.

use axum::Json;
use axum::extract::State;
use mediakit_core::ports::Backend;

use super::error::RpcResult;
use super::params::Params;
use crate::Svc;

/// `mark_as_deleted=true` soft-deletes (files answer 404 at once, the item
/// stays restorable for the retention window); `false` restores the item
/// and its files.
pub async fn mark_media_as_deleted<P: Backend>(
    State(service): Svc<P>,
    mut params: Params,
) -> RpcResult<Json<bool>> {
    let principal = params.principal(&service).await?;
    let id = params.required("media_ID")?;
    let deleted = params.required_boolean("mark_as_deleted")?;
    params.finish()?;
    let changed = if deleted {
        service.delete(&principal, &id).await?
    } else {
        service.restore(&principal, &id).await?
    };
    Ok(Json(changed))
}

/// Unlisted items stay served by URL and readable by id, but leave every
/// listing.
pub async fn mark_media_as_unlisted<P: Backend>(
    State(service): Svc<P>,
    mut params: Params,
) -> RpcResult<Json<bool>> {
    let principal = params.principal(&service).await?;
    let id = params.required("media_ID")?;
    let unlisted = params.required_boolean("mark_as_unlisted")?;
    params.finish()?;
    Ok(Json(service.set_unlisted(&principal, &id, unlisted).await?))
}
