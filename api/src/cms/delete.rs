//! `DELETE /media/delete/:id` (permission `delete-media`): a soft delete
//! like every dialect's. Files answer 404 at once and the item leaves every
//! listing; it can be restored (REST `restore`, RPC
//! `mark_media_as_deleted=false`) until the retention window purges it.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::request::Parts;
use mediakit_core::Error;
use mediakit_core::auth::Scope;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use super::auth::principal;
use super::error::CmsError;
use super::numeric_id;
use super::wire::{DELETE_FAILED, DELETED, Message};
use crate::path::{PathResult, path_param};

pub async fn delete<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    id: PathResult<String>,
    request: Parts,
) -> Result<Json<Message>, CmsError> {
    let id = path_param(id).map_err(|e| CmsError::new(e, DELETE_FAILED))?;
    run(&service, &id, &request)
        .await
        .map(|()| Json(Message::ok(DELETED)))
        .map_err(|e| CmsError::new(e, DELETE_FAILED))
}

async fn run<P: Backend>(
    service: &MediaService<P>,
    id: &str,
    request: &Parts,
) -> Result<(), Error> {
    let principal = principal(service, request).await?;
    // The seed answers 503 on a read-only instance whatever the id.
    principal.require(Scope::Delete)?;
    service.require_uploads()?;
    let seq = numeric_id(id)?;
    let id = service
        .id_for_seq(&principal, &[Scope::Delete], seq)
        .await?;
    // Deleting what is already deleted: it is not there for clients.
    if !service.delete(&principal, &id).await? {
        return Err(Error::not_found());
    }
    Ok(())
}
