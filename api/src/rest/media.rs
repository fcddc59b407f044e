//! Listing, reading, editing and deleting media.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use mediakit_core::auth::Scope;
use mediakit_core::model::{ListQuery, MediaPatch, SortOrder, Visibility};
use mediakit_core::ports::Backend;
use mediakit_core::service::{DEFAULT_PAGE, MediaService, page_size};
use mediakit_core::{Error, ErrorCode};
use serde::Deserialize;

use super::error::{ApiError, ApiResult};
use super::wire::{MediaPatchRequest, MediaResponse};
use crate::Svc;
use crate::auth::Auth;
use crate::path::{PathParam, path_param};

/// Query of the listing endpoints. `skip`/`limit` are the seed's names.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    #[serde(default)]
    skip: u64,
    /// Default [`DEFAULT_PAGE`], at most `service::MAX_PAGE` (larger values are
    /// capped, not refused).
    limit: Option<u64>,
    #[serde(default)]
    order: SortOrder,
    /// Substring over name, filename, tags and alt text.
    q: Option<String>,
    tag: Option<String>,
    /// `true`: the trash (soft-deleted items; needs `media:delete`).
    #[serde(default)]
    deleted: bool,
    /// `true`: unlisted items too, so that they can be managed (needs
    /// `media:edit` or `media:upload`).
    #[serde(default)]
    include_unlisted: bool,
}

async fn list_with<P: Backend>(
    service: &MediaService<P>,
    auth: Auth,
    params: Result<Query<ListParams>, QueryRejection>,
    images_only: bool,
) -> ApiResult<Response> {
    let Query(p) = params?;
    let query = ListQuery {
        offset: p.skip,
        limit: page_size(p.limit, DEFAULT_PAGE),
        order: p.order,
        search: p.q,
        tag: p.tag,
        images_only,
        visibility: if p.deleted {
            Visibility::Deleted
        } else if p.include_unlisted {
            Visibility::Live
        } else {
            Visibility::Listed
        },
    };
    let page = service.list(&auth.0, &query).await?;
    let body: Vec<MediaResponse> = page.items.iter().map(MediaResponse::from).collect();
    let mut res = Json(body).into_response();
    // The seed's body is a bare array, so the total travels in a header.
    res.headers_mut()
        .insert("x-total-count", HeaderValue::from(page.total));
    Ok(res)
}

pub async fn list<P: Backend>(
    State(service): Svc<P>,
    auth: Auth,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ApiResult<Response> {
    list_with(&service, auth, params, false).await
}

pub async fn list_images<P: Backend>(
    State(service): Svc<P>,
    auth: Auth,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ApiResult<Response> {
    list_with(&service, auth, params, true).await
}

pub async fn get_one<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    id: PathParam<String>,
) -> ApiResult<Json<MediaResponse>> {
    let id = path_param(id)?;
    let media = service.get(&principal, &id).await?;
    Ok(Json(MediaResponse::from(&media)))
}

pub async fn patch<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    id: PathParam<String>,
    body: Result<Json<MediaPatchRequest>, JsonRejection>,
) -> ApiResult<Json<MediaResponse>> {
    let id = path_param(id)?;
    let Json(req) = body?;
    let patch = MediaPatch {
        name: req.name,
        tags: req.tags,
        alt_text: req.alt_text,
        unlisted: req.unlisted,
        ..MediaPatch::default()
    };
    // The seed lets `media:upload` edit; `media:edit` is mediakit's own.
    let allowed = [Scope::Edit, Scope::Upload];
    let media = service.update(&principal, &allowed, &id, patch).await?;
    Ok(Json(MediaResponse::from(&media)))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeleteParams {
    #[serde(default)]
    purge: bool,
}

/// Soft delete (204), or `?purge=true` to remove for good. Deleting an
/// already deleted item is 404, as it is no longer there for clients.
pub async fn delete<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    id: PathParam<String>,
    params: Result<Query<DeleteParams>, QueryRejection>,
) -> ApiResult<StatusCode> {
    let id = path_param(id)?;
    let Query(p) = params?;
    if p.purge {
        service.purge(&principal, &id).await?;
    } else if !service.delete(&principal, &id).await? {
        return Err(ApiError::from(Error::not_found()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Undoes a soft delete; restoring a live item is a no-op. The answer is
/// the media object (200) for a token that may read it, and 204 without a
/// body for one with `media:delete` alone: restoring is its right, reading
/// metadata is not.
pub async fn restore<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    id: PathParam<String>,
) -> ApiResult<Response> {
    let id = path_param(id)?;
    service.restore(&principal, &id).await?;
    if !principal.has(Scope::Read) {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    let media = service.get_any(&principal, &id).await?;
    if media.is_deleted() {
        return Err(ApiError::from(Error::new(
            ErrorCode::Conflict,
            "the media could not be restored",
        )));
    }
    Ok(Json(MediaResponse::from(&media)).into_response())
}
