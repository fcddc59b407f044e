//! `POST /api/v1/media/{id}/url`: a signed URL for a rendition of any size
//! (core's `rendition` module says what is signed and why).

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use mediakit_core::auth::Scope;
use mediakit_core::ports::Backend;
use mediakit_core::rendition::RenditionRequest;

use super::error::ApiResult;
use super::openapi::error_responses;
use super::path::PathParam;
use super::wire::{RenditionUrlRequest, RenditionUrlResponse};
use crate::Svc;
use crate::auth::Auth;

error_responses!(
    UrlErrors = [
        InvalidRequest,
        ImageTooManyPixels,
        Unauthorized,
        Forbidden,
        NotFound,
        RenditionsUnavailable,
        StorageUnavailable,
    ]
);

/// Sign a rendition URL
///
/// A public, token-free URL for the image at another size, fit, format or
/// quality. The signature covers every parameter (changing one in the URL
/// answers 403 `forbidden`). The file is rendered on its first request and
/// stored; every later request is served from storage. Without `upscale`
/// the output is never larger than the image (a larger box gives the
/// image's size, keeping the box's aspect ratio for `cover`). With
/// `format` `auto` (the default) the URL has no extension and each request
/// gets WebP when its `Accept` allows it, else the image's base format,
/// with `Vary: Accept`. Only raster images have renditions.
#[utoipa::path(
    post,
    path = "/api/v1/media/{id}/url",
    operation_id = "signRenditionUrl",
    tag = "media",
    params(("id" = String, Path, description = "The media id")),
    request_body = RenditionUrlRequest,
    security(("bearer" = [Scope::Read.as_str()])),
    responses(
        (status = 200, description = "The signed URL and the size of its file",
            body = RenditionUrlResponse,
            links(("File" = (operation_id = "getRendition", parameters(
                ("id" = "$request.path.id"),
                ("signature" = "$response.body#/signature"),
                ("file" = "$response.body#/file"),
            ))))),
        UrlErrors,
    ),
)]
pub async fn sign_url<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
    body: Result<Json<RenditionUrlRequest>, JsonRejection>,
) -> ApiResult<Json<RenditionUrlResponse>> {
    let Json(req) = body?;
    let request = RenditionRequest {
        width: req.width,
        height: req.height,
        fit: req.fit,
        format: req.format,
        quality: req.quality,
        upscale: req.upscale,
    };
    let signed = service.rendition_url(&principal, &id, &request).await?;
    Ok(Json(RenditionUrlResponse::from(signed)))
}
