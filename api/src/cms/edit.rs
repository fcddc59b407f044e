//! `POST /media/edit/:id` `{name, tags}` (permission `edit-media`).

use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::request::Parts;
use mediakit_core::Error;
use mediakit_core::auth::Scope;
use mediakit_core::model::MediaPatch;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use super::auth::principal;
use super::body::parse;
use super::error::CmsError;
use super::numeric_id;
use super::wire::{EditRequest, Message, UPDATE_FAILED, UPDATED, missing};
use crate::body::read;
use crate::path::{PathResult, path_param};

const EDIT_SCOPES: &[Scope] = &[Scope::Edit];
/// Names and tags are short; this is plenty.
const MAX_BODY: u64 = 64 * 1024;

pub async fn edit<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    id: PathResult<String>,
    request: Parts,
    body: Body,
) -> Result<Json<Message>, CmsError> {
    let id = path_param(id).map_err(|e| CmsError::new(e, UPDATE_FAILED))?;
    run(&service, &id, &request, body)
        .await
        .map(|()| Json(Message::ok(UPDATED)))
        .map_err(|e| CmsError::new(e, UPDATE_FAILED))
}

async fn run<P: Backend>(
    service: &MediaService<P>,
    id: &str,
    request: &Parts,
    body: Body,
) -> Result<(), Error> {
    let principal = principal(service, request).await?;
    let headers = &request.headers;
    principal.require_any(EDIT_SCOPES)?;
    let seq = numeric_id(id)?;
    let too_large = || Error::invalid(format!("the body is over {} KiB", MAX_BODY / 1024));
    let bytes = read(headers, body, MAX_BODY, MAX_BODY, too_large).await?;
    let req: EditRequest = parse(headers, &bytes)?;
    let (Some(name), Some(tags)) = (req.name, req.tags) else {
        return Err(missing());
    };
    let id = service.id_for_seq(&principal, EDIT_SCOPES, seq).await?;
    let patch = MediaPatch {
        name: Some(name),
        tags: Some(tags.into_vec()),
        ..MediaPatch::default()
    };
    service.update(&principal, EDIT_SCOPES, &id, patch).await?;
    Ok(())
}
