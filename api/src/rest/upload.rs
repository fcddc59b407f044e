//! `POST /api/v1/media/upload`: multipart with a `file` field, plus optional
//! `name`, `alt_text`, `tags` (comma-separated or repeated) and `unlisted`.

use std::sync::Arc;

use axum::Json;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::ports::Backend;
use mediakit_core::service::{MediaService, UploadRequest};
use mediakit_core::{Error, ErrorCode};

use super::error::{ApiError, ApiResult};
use super::openapi::error_responses;
use super::wire::{MediaResponse, UploadForm};
use crate::admission::admit_file;
use crate::auth::Auth;
use crate::multipart::{Form, read_file, read_text};
use utoipa::openapi::schema::{AnyOfBuilder, ObjectBuilder, Schema, Type};

error_responses!(
    UploadErrors = [
        InvalidRequest,
        MalformedMultipart,
        FileMissing,
        FileEmpty,
        FileTooLarge,
        UnsupportedType,
        ImageTooManyPixels,
        ImageCorrupt,
        ImageTooComplex,
        SvgInvalid,
        SvgUnsafe,
        InvalidFilename,
        AltTextTooLong,
        InvalidName,
        InvalidTags,
        Unauthorized,
        Forbidden,
        UploadsDisabled,
        StorageUnavailable,
        ServerBusy,
    ]
);

/// Upload a file
///
/// Raster images are decoded fully, rotated upright, stripped of private
/// metadata and resized into the variants below their size; SVG (held to
/// an allow-list), PDF and video are stored as sent. A refused upload
/// stores nothing. When the uploads in flight fill the server's memory
/// budget, it answers 503 `server_busy` with `Retry-After`.
#[utoipa::path(
    post,
    path = "/api/v1/media/upload",
    operation_id = "uploadMedia",
    tag = "media",
    request_body(content = UploadForm, content_type = "multipart/form-data",
        example = json!({
            "file": "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"8\" height=\"8\"/>",
            "name": "example",
            "tags": "example"
        })),
    security(("bearer" = [Scope::Upload.as_str()])),
    responses(
        (status = 201, description = "Stored", body = MediaResponse,
            headers(("Location" = String, description = "The new item's URL path")),
            links(
                ("Get" = (operation_id = "getMedia", parameters(("id" = "$response.body#/id")))),
                ("Update" = (operation_id = "updateMedia", parameters(("id" = "$response.body#/id")))),
                ("Delete" = (operation_id = "deleteMedia", parameters(("id" = "$response.body#/id")))),
                ("File" = (operation_id = "getOriginal", parameters(("file" = "$response.body#/filename")))),
            )),
        UploadErrors,
    ),
)]
pub async fn upload<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    auth: Result<Auth, ApiError>,
    headers: HeaderMap,
    form: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let mut form = Form::new(form.map_err(|r| {
        Error::new(
            ErrorCode::MalformedMultipart,
            format!("expected a multipart/form-data body: {}", r.body_text()),
        )
    })?);
    let outcome = match auth {
        Ok(Auth(principal)) => handle(&service, &principal, &headers, &mut form).await,
        Err(e) => Err(e),
    };
    if outcome.is_err() {
        form.drain().await;
    }
    outcome
}

async fn handle<P: Backend>(
    service: &MediaService<P>,
    principal: &Principal,
    headers: &HeaderMap,
    form: &mut Form,
) -> ApiResult<Response> {
    service.check_can_upload(principal)?;
    let limits = service.config().limits;
    let mut req = UploadRequest::default();
    let mut got_file = false;
    while let Some(field) = form.next_field(&limits).await? {
        match field.name().unwrap_or("") {
            "file" if got_file => {
                return Err(ApiError::from(Error::invalid(
                    "send one `file` per request",
                )));
            }
            "file" => {
                // Room for the file before a byte of it is read; a body
                // that cannot get it is drained and answered 503.
                let permit = admit_file(service, headers).await?;
                let part = read_file(field, &limits, permit).await?;
                req.filename = part.filename;
                req.bytes = part.bytes;
                req.permit = Some(part.permit);
                got_file = true;
            }
            "name" => req.name = Some(read_text(field, &limits).await?),
            "alt_text" => req.alt_text = Some(read_text(field, &limits).await?),
            "tags" => req.tags.push(read_text(field, &limits).await?),
            "unlisted" => req.unlisted = flag("unlisted", &read_text(field, &limits).await?)?,
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

/// The spellings of a boolean form field: JSON's, and what HTML forms and
/// shell scripts send (`on` is an unchecked-value checkbox).
const TRUE: [&str; 4] = ["true", "1", "yes", "on"];
const FALSE: [&str; 4] = ["false", "0", "no", "off"];

/// A boolean form field, one of [`TRUE`] or [`FALSE`] (around spaces
/// aside). Anything else is refused: read as `false`, a typo would
/// silently list what was meant to be unlisted.
fn flag(name: &str, value: &str) -> Result<bool, Error> {
    let value = value.trim();
    if TRUE.contains(&value) {
        Ok(true)
    } else if FALSE.contains(&value) {
        Ok(false)
    } else {
        Err(Error::invalid(format!(
            "`{name}` must be true or false (or {})",
            TRUE[1..]
                .iter()
                .zip(&FALSE[1..])
                .map(|(t, f)| format!("{t}/{f}"))
                .collect::<Vec<_>>()
                .join(", ")
        )))
    }
}

/// The schema of such a field: a boolean, or one of the other spellings.
pub(super) fn flag_schema() -> Schema {
    let spellings = TRUE[1..].iter().chain(&FALSE[1..]).copied();
    AnyOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(spellings)),
        )
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_true_or_false_in_a_few_spellings_and_nothing_else() {
        for v in ["true", " 1", "yes", "on"] {
            assert_eq!(flag("f", v), Ok(true), "{v}");
        }
        for v in ["false", "0", "no", "off "] {
            assert_eq!(flag("f", v), Ok(false), "{v}");
        }
        for v in ["", "ture", "True", "{}", "2"] {
            let e = flag("f", v).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidRequest, "{v}");
        }
    }
}
