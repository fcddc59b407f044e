//! `POST /media/fetch_media?media_ID=` and `POST /media/fetch_all_media_metadata`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use mediakit_core::auth::Scope;
use mediakit_core::model::{ListQuery, Visibility};
use mediakit_core::ports::Backend;
use mediakit_core::service::{MAX_PAGE, page_size};

use super::error::RpcResult;
use super::origin::origin;
use super::params::Params;
use super::wire::{FetchMediaResponse, Metadata, instances};
use crate::Svc;

/// One item's files and metadata (`media:read`). A token that may also
/// restore media sees deleted items (with `is_deleted` and `deletion_time`
/// set), as the seed's metadata carries both; for everyone else a deleted
/// item is 404. `media:delete` alone reads nothing.
pub async fn fetch_media<P: Backend>(
    State(service): Svc<P>,
    uri: Uri,
    headers: HeaderMap,
    mut params: Params,
) -> RpcResult<Json<FetchMediaResponse>> {
    let principal = params.principal(&service).await?;
    let id = params.required("media_ID")?;
    params.finish()?;
    let media = if principal.has(Scope::Delete) && principal.has(Scope::Read) {
        service.get_any(&principal, &id).await?
    } else {
        service.get(&principal, &id).await?
    };
    Ok(Json(FetchMediaResponse {
        instances: instances(&media, &origin(&headers, &uri)),
        metadata: Metadata::from(&media),
    }))
}

/// Live, listed items' metadata, newest first; deleted and unlisted items
/// are left out. The seed returns every item; here one answer holds at
/// most [`MAX_PAGE`] (also the default), and the optional `limit` and
/// `offset` parameters page through the rest. `X-Total-Count` says how
/// many match, as in the REST dialect.
pub async fn fetch_all_media_metadata<P: Backend>(
    State(service): Svc<P>,
    mut params: Params,
) -> RpcResult<Response> {
    let principal = params.principal(&service).await?;
    let limit = params.count("limit")?;
    let offset = params.count("offset")?.unwrap_or(0);
    params.finish()?;
    let query = ListQuery {
        offset,
        limit: page_size(limit, MAX_PAGE),
        visibility: Visibility::Listed,
        ..ListQuery::default()
    };
    let page = service.list(&principal, &query).await?;
    let items: Vec<Metadata> = page.items.iter().map(Metadata::from).collect();
    let mut res = Json(items).into_response();
    res.headers_mut()
        .insert("x-total-count", HeaderValue::from(page.total));
    Ok(res)
}
