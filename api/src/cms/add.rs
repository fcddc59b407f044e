//! `POST /media/add` `{name, tags, image}` (permission `add-media`): the
//! image is base64, with or without a `data:` URL prefix.
//!
//! The body is JSON carrying a base64 file, so its limit is the base64 size
//! of the upload limit plus room for the other fields. A larger body is
//! `file_too_large`, answered with 413 like every dialect's oversized
//! upload (status from core's one table): it is a client error, and 413
//! says which one, where the seed's 400 would read as "missing field".

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use mediakit_core::Error;
use mediakit_core::metadata;
use mediakit_core::ports::Backend;
use mediakit_core::service::{MediaService, UploadRequest};
use mediakit_core::validate::too_large;

use super::auth::principal;
use super::body::parse;
use super::error::CmsError;
use super::wire::{
    ADD_FAILED, ADDED, AddRequest, Message, base64_len, decode_image, filename_for, missing,
};
use crate::admission;
use crate::body::{drain, read, read_through};

/// Room for the JSON around the image: name (≤ 255 characters, escaped),
/// tags, a `data:` prefix.
const FIELDS_SLACK: u64 = 64 * 1024;

/// A body is in memory about three times over at its peak: as read and as
/// parsed, then as parsed, compacted and decoded (¾).
const BODY_COPIES: u64 = 3;

/// The largest body accepted: the base64 of a file at the limit, plus the
/// other fields.
pub fn body_limit(max_upload_bytes: u64) -> u64 {
    base64_len(max_upload_bytes).saturating_add(FIELDS_SLACK)
}

pub async fn add<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    request: Parts,
    body: Body,
) -> Result<Json<Message>, CmsError> {
    run(&service, &request, body)
        .await
        .map(|seq| {
            Json(Message {
                id: Some(seq),
                ..Message::ok(ADDED)
            })
        })
        .map_err(|e| CmsError::new(e, ADD_FAILED))
}

async fn run<P: Backend>(
    service: &MediaService<P>,
    request: &Parts,
    body: Body,
) -> Result<i64, Error> {
    let headers = &request.headers;
    let limits = service.config().limits;
    let accept = body_limit(limits.max_upload_bytes);
    // Read through to answer cleanly, as for multipart.
    let drain_to = read_through(accept);
    let allowed = match principal(service, request).await {
        Ok(p) => service.check_can_upload(&p).map(|()| p),
        Err(e) => Err(e),
    };
    // Room in the memory budget before reading: the body, its parsed copy
    // and, once the body is gone, the image's base64 compacted and decoded.
    let admitted = match allowed {
        Ok(p) => {
            let charge = admission::charge(headers, accept).saturating_mul(BODY_COPIES);
            service
                .budget()
                .admit_body(charge)
                .await
                .map(|permit| (p, permit))
        }
        Err(e) => Err(e),
    };
    let (principal, mut permit) = match admitted {
        Ok(admitted) => admitted,
        Err(e) => {
            drain(headers, body, drain_to).await;
            return Err(e);
        }
    };
    let req: AddRequest = {
        let bytes = read(headers, body, accept, drain_to, || too_large(&limits)).await?;
        parse(headers, &bytes)?
    };
    let (Some(name), Some(tags), Some(image)) = (req.name, req.tags, req.image) else {
        return Err(missing());
    };
    // The name is checked before the image is decoded: it is cheap, and an
    // upload must not fall back to a default name when this one is blank.
    metadata::name(&name)?;
    let bytes = decode_image(&image)?;
    drop(image);
    permit.shrink_body(bytes.len() as u64);
    let media = service
        .upload(
            &principal,
            UploadRequest {
                filename: filename_for(&name),
                bytes: bytes.into(),
                name: Some(name),
                tags: tags.into_vec(),
                permit: Some(permit),
                ..UploadRequest::default()
            },
        )
        .await?;
    Ok(media.seq)
}
