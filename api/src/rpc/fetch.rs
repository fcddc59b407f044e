//! `POST /media/fetch_media?media_ID=` and `POST /media/fetch_all_media_metadata`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use mediakit_core::auth::Scope;
use mediakit_core::model::{ListQuery, Visibility};
use mediakit_core::ports::Backend;

use super::error::RpcResult;
use super::origin::origin;
use super::params::Params;
use super::wire::{FetchMediaResponse, Metadata, instances};
use crate::Svc;

/// One item's files and metadata. A token that may restore media also sees
/// deleted items (with `is_deleted` and `deletion_time` set), as the seed's
/// metadata carries both; for everyone else a deleted item is 404.
pub async fn fetch_media<P: Backend>(
    State(service): Svc<P>,
    uri: Uri,
    headers: HeaderMap,
    mut params: Params,
) -> RpcResult<Json<FetchMediaResponse>> {
    let principal = params.principal(&service).await?;
    let id = params.required("media_ID")?;
    params.finish()?;
    let media = if principal.has(Scope::Delete) {
        service.get_any(&principal, &id).await?
    } else {
        service.get(&principal, &id).await?
    };
    Ok(Json(FetchMediaResponse {
        instances: instances(&media, &origin(&headers, &uri)),
        metadata: Metadata::from(&media),
    }))
}

/// Every live, listed item's metadata, newest first; deleted and unlisted
/// items are left out.
pub async fn fetch_all_media_metadata<P: Backend>(
    State(service): Svc<P>,
    params: Params,
) -> RpcResult<Json<Vec<Metadata>>> {
    let principal = params.principal(&service).await?;
    params.finish()?;
    let query = ListQuery {
        visibility: Visibility::Listed,
        ..ListQuery::default()
    };
    let page = service.list_span(&principal, &query, None).await?;
    Ok(Json(page.items.iter().map(Metadata::from).collect()))
}
