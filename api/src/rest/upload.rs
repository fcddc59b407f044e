//! `POST /api/v1/media/upload`: multipart with a `file` field, plus optional
//! `name`, `alt_text`, `tags` (comma-separated or repeated) and `unlisted`.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::{MediaService, UploadRequest};
use mediakit_core::{Error, ErrorCode};

use super::error::{ApiError, ApiResult};
use super::wire::MediaResponse;
use crate::auth::Auth;
use crate::multipart::{drain, next_field, read_file, read_text};

pub async fn upload<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    auth: Result<Auth, ApiError>,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let mut form = form.map_err(|r| {
        Error::new(
            ErrorCode::MalformedMultipart,
            format!("expected a multipart/form-data body: {}", r.body_text()),
        )
    })?;
    let outcome = match auth {
        Ok(Auth(principal)) => handle(&service, &principal, &mut form).await,
        Err(e) => Err(e),
    };
    if outcome.is_err() {
        drain(&mut form).await;
    }
    outcome
}

async fn handle<P: Backend>(
    service: &MediaService<P>,
    principal: &Principal,
    form: &mut Multipart,
) -> ApiResult<Response> {
    service.check_can_upload(principal)?;
    let limits = service.config().limits;
    let mut req = UploadRequest::default();
    let mut got_file = false;
    while let Some(field) = next_field(form, &limits).await? {
        match field.name().unwrap_or("") {
            "file" if got_file => {
                return Err(ApiError::from(Error::invalid(
                    "send one `file` per request",
                )));
            }
            "file" => {
                let part = read_file(field, &limits).await?;
                req.filename = part.filename;
                req.bytes = part.bytes;
                got_file = true;
            }
            "name" => req.name = Some(read_text(field, &limits).await?),
            "alt_text" => req.alt_text = Some(read_text(field, &limits).await?),
            "tags" => req.tags.push(read_text(field, &limits).await?),
            "unlisted" => {
                let v = read_text(field, &limits).await?;
                req.unlisted = matches!(v.trim(), "true" | "1" | "yes" | "on");
            }
            // Unknown fields are read and ignored, as browsers add their own.
            _ => {
                read_text(field, &limits).await?;
            }
        }
    }
    if !got_file {
        return Err(ApiError::from(Error::new(
            ErrorCode::FileMissing,
            "the multipart body has no `file` field",
        )));
    }
    let media = service.upload(principal, req).await?;
    let location = format!("/api/v1/media/{}", media.id);
    let mut res = (StatusCode::CREATED, Json(MediaResponse::from(&media))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}
