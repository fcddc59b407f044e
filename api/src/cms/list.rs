//! `GET /media?order=&limit=&offset=&search=` (permission `view-media`):
//! `{media: [...], max, from, to}`, live and listed items only. The seed
//! returns everything without `limit`; here a page holds at most
//! [`MAX_PAGE`] items, the default too (`to < max` says more follow).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::request::Parts;
use mediakit_core::Error;
use mediakit_core::model::{ListQuery, SortOrder, Visibility};
use mediakit_core::ports::Backend;
use mediakit_core::service::{MAX_PAGE, MediaService, page_size};

use super::auth::principal;
use super::error::CmsError;
use super::wire::{LIST_FAILED, ListParams, ListResponse, parse_order};

pub async fn list<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    request: Parts,
) -> Result<Json<ListResponse>, CmsError> {
    run(&service, &request)
        .await
        .map(Json)
        .map_err(|e| CmsError::new(e, LIST_FAILED))
}

async fn run<P: Backend>(
    service: &MediaService<P>,
    request: &Parts,
) -> Result<ListResponse, Error> {
    let principal = principal(service, request).await?;
    let params: ListParams = serde_urlencoded::from_str(request.uri.query().unwrap_or_default())
        .map_err(|e| Error::invalid(format!("invalid query: {e}")))?;
    let order = match params.order.as_deref() {
        Some(o) => parse_order(o)?,
        None => SortOrder::Newest,
    };
    let query = ListQuery {
        offset: params.offset,
        limit: page_size(params.limit, MAX_PAGE),
        order,
        search: params.search,
        visibility: Visibility::Listed,
        ..ListQuery::default()
    };
    let page = service.list(&principal, &query).await?;
    Ok(ListResponse::new(&page.items, params.offset, page.total))
}
