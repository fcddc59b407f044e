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
use utoipa::IntoParams;

use super::error::{ApiError, ApiResult};
use super::openapi::{SortOrderSchema, error_responses};
use super::path::PathParam;
use super::wire::{MediaPatchRequest, MediaResponse};
use crate::Svc;
use crate::auth::Auth;

/// Query of the listing endpoints. `skip`/`limit` are the seed's names.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// How many matches to skip.
    #[serde(default)]
    skip: u64,
    /// Page size: 100 by default, at most 1000 (larger values are capped,
    /// not refused).
    limit: Option<u64>,
    /// `newest` (the default) or `oldest` first, by upload time.
    #[serde(default)]
    #[param(value_type = Option<SortOrderSchema>)]
    order: SortOrder,
    /// Case-insensitive substring of the name, original filename, tags or
    /// alt text.
    q: Option<String>,
    /// An exact tag (case-insensitive).
    tag: Option<String>,
    /// `true`: the trash instead (soft-deleted items; needs `media:delete`
    /// too).
    #[serde(default)]
    deleted: bool,
    /// `true`: unlisted items too, so that they can be managed (needs
    /// `media:edit` or `media:upload` too); each says `"unlisted": true`.
    #[serde(default)]
    include_unlisted: bool,
}

error_responses!(ListErrors = [InvalidRequest, Unauthorized, Forbidden, StorageUnavailable]);
error_responses!(GetErrors = [Unauthorized, Forbidden, NotFound, StorageUnavailable]);
error_responses!(
    PatchErrors = [
        InvalidRequest,
        InvalidFilename,
        AltTextTooLong,
        InvalidName,
        InvalidTags,
        Unauthorized,
        Forbidden,
        NotFound,
        StorageUnavailable,
    ]
);
error_responses!(
    DeleteErrors = [
        InvalidRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        UploadsDisabled,
        StorageUnavailable,
    ]
);
error_responses!(
    RestoreErrors = [
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        UploadsDisabled,
        StorageUnavailable,
    ]
);

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

/// List media
///
/// Live, listed items (unless `deleted` or `include_unlisted` say
/// otherwise), newest first. The body is a bare array (the seed's shape):
/// the number of matches over all pages is in `X-Total-Count`.
#[utoipa::path(
    get,
    path = "/api/v1/media",
    operation_id = "listMedia",
    tag = "media",
    params(ListParams),
    security(("bearer" = [Scope::Read.as_str()])),
    responses(
        (status = 200, description = "One page of media objects", body = [MediaResponse],
            headers(("X-Total-Count" = u64, description = "Matches over all pages")),
            links(("GetFirst" = (operation_id = "getMedia",
                parameters(("id" = "$response.body#/0/id")))))),
        ListErrors,
    ),
)]
pub async fn list<P: Backend>(
    State(service): Svc<P>,
    auth: Auth,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ApiResult<Response> {
    list_with(&service, auth, params, false).await
}

/// List images
///
/// As `listMedia`, `image/*` types only.
#[utoipa::path(
    get,
    path = "/api/v1/media/images",
    operation_id = "listImages",
    tag = "media",
    params(ListParams),
    security(("bearer" = [Scope::Read.as_str()])),
    responses(
        (status = 200, description = "One page of media objects", body = [MediaResponse],
            headers(("X-Total-Count" = u64, description = "Matches over all pages")),
            links(("GetFirst" = (operation_id = "getMedia",
                parameters(("id" = "$response.body#/0/id")))))),
        ListErrors,
    ),
)]
pub async fn list_images<P: Backend>(
    State(service): Svc<P>,
    auth: Auth,
    params: Result<Query<ListParams>, QueryRejection>,
) -> ApiResult<Response> {
    list_with(&service, auth, params, true).await
}

/// Get a media object
///
/// Unlisted items are returned; deleted ones are 404.
#[utoipa::path(
    get,
    path = "/api/v1/media/{id}",
    operation_id = "getMedia",
    tag = "media",
    params(("id" = String, Path, description = "The media id")),
    security(("bearer" = [Scope::Read.as_str()])),
    responses(
        (status = 200, description = "The media object", body = MediaResponse,
            links(
                ("Update" = (operation_id = "updateMedia", parameters(("id" = "$response.body#/id")))),
                ("Delete" = (operation_id = "deleteMedia", parameters(("id" = "$response.body#/id")))),
                ("File" = (operation_id = "getOriginal", parameters(("file" = "$response.body#/filename")))),
            )),
        GetErrors,
    ),
)]
pub async fn get_one<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Json<MediaResponse>> {
    let media = service.get(&principal, &id).await?;
    Ok(Json(MediaResponse::from(&media)))
}

/// Edit a media object
///
/// Any of name, tags, alt text and the unlisted state; absent fields stay
/// as they are. Every value is checked before anything is written.
#[utoipa::path(
    patch,
    path = "/api/v1/media/{id}",
    operation_id = "updateMedia",
    tag = "media",
    params(("id" = String, Path, description = "The media id")),
    request_body = MediaPatchRequest,
    security(("bearer" = [Scope::Edit.as_str()]), ("bearer" = [Scope::Upload.as_str()])),
    responses(
        (status = 200, description = "The updated media object", body = MediaResponse,
            links(
                ("Get" = (operation_id = "getMedia", parameters(("id" = "$response.body#/id")))),
                ("Delete" = (operation_id = "deleteMedia", parameters(("id" = "$response.body#/id")))),
            )),
        PatchErrors,
    ),
)]
pub async fn patch<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
    body: Result<Json<MediaPatchRequest>, JsonRejection>,
) -> ApiResult<Json<MediaResponse>> {
    let Json(req) = body?;
    let patch = MediaPatch {
        name: req.name,
        tags: req.tags,
        alt_text: req.alt_text,
        unlisted: req.unlisted,
        focal_point: req
            .focal_point
            .map(|point| point.map(|p| p.to_model()).transpose())
            .transpose()?,
        ..MediaPatch::default()
    };
    // The seed lets `media:upload` edit; `media:edit` is mediakit's own.
    let allowed = [Scope::Edit, Scope::Upload];
    let media = service.update(&principal, &allowed, &id, patch).await?;
    Ok(Json(MediaResponse::from(&media)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// `true`: remove the item and its files for good, at once, whatever
    /// its state.
    #[serde(default)]
    purge: bool,
}

/// Delete a media object
///
/// A soft delete: the item leaves every listing and its files answer 404
/// at once; it stays restorable for the retention window (30 days by
/// default). Deleting an already deleted item is 404, as it is no longer
/// there for clients.
#[utoipa::path(
    delete,
    path = "/api/v1/media/{id}",
    operation_id = "deleteMedia",
    tag = "media",
    params(("id" = String, Path, description = "The media id"), DeleteParams),
    security(("bearer" = [Scope::Delete.as_str()])),
    responses(
        (status = 204, description = "Deleted",
            links(("Restore" = (operation_id = "restoreMedia",
                parameters(("id" = "$request.path.id")))))),
        DeleteErrors,
    ),
)]
pub async fn delete<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
    params: Result<Query<DeleteParams>, QueryRejection>,
) -> ApiResult<StatusCode> {
    let Query(p) = params?;
    if p.purge {
        service.purge(&principal, &id).await?;
    } else if !service.delete(&principal, &id).await? {
        return Err(ApiError::from(Error::not_found()));
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Restore a deleted media object
///
/// Undoes a soft delete; restoring a live item is a no-op. The answer is
/// the media object (200) for a token that may read it, and 204 without a
/// body for one with `media:delete` alone: restoring is its right, reading
/// metadata is not.
#[utoipa::path(
    post,
    path = "/api/v1/media/{id}/restore",
    operation_id = "restoreMedia",
    tag = "media",
    params(("id" = String, Path, description = "The media id")),
    security(("bearer" = [Scope::Delete.as_str()])),
    responses(
        (status = 200, description = "The restored media object (with `media:read`)",
            body = MediaResponse,
            links(("Get" = (operation_id = "getMedia", parameters(("id" = "$response.body#/id")))))),
        (status = 204, description = "Restored (a token without `media:read`)"),
        RestoreErrors,
    ),
)]
pub async fn restore<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<Response> {
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
