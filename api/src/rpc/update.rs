//! `POST /update_media_metadata?media_ID=&alt_text=…`: any of `alt_text`,
//! `filename`, `author_credit_subtext`, `is_unlisted`, `is_deleted`.
//!
//! `new_metadata` echoes each field sent with the value now stored, which
//! is exactly what the client sent after the shared text rules (trimmed;
//! blank alt text or credit clears it). The seed's example shows
//! `"\"HEISANN!!\""`: its client sent the quotes as part of the value, and
//! so does ours if it does: nothing is added or stripped.

use axum::Json;
use axum::extract::State;
use mediakit_core::Error;
use mediakit_core::auth::Scope;
use mediakit_core::model::MediaPatch;
use mediakit_core::ports::Backend;

use super::error::RpcResult;
use super::params::Params;
use super::wire::{MetadataField, UpdateResponse};
use crate::Svc;

/// Editing metadata needs `media:edit`; `is_deleted` also `media:delete`
/// (checked by the core use case).
const EDIT_SCOPES: &[Scope] = &[Scope::Edit];

pub async fn update_media_metadata<P: Backend>(
    State(service): Svc<P>,
    mut params: Params,
) -> RpcResult<Json<UpdateResponse>> {
    let principal = params.principal(&service).await?;
    let id = params.required("media_ID")?;
    let sent: Vec<MetadataField> = MetadataField::ALL
        .into_iter()
        .filter(|f| params.has(f.as_str()))
        .collect();
    let patch = MediaPatch {
        alt_text: params.text("alt_text")?.map(Some),
        credit: params.text("author_credit_subtext")?.map(Some),
        filename_stem: params.text("filename")?,
        unlisted: params.boolean("is_unlisted")?,
        ..MediaPatch::default()
    };
    let deleted = params.boolean("is_deleted")?;
    params.finish()?;
    if sent.is_empty() {
        return Err(Error::invalid(
            "nothing to update: send alt_text, filename, author_credit_subtext, \
             is_unlisted or is_deleted",
        )
        .into());
    }
    let media = service
        .update_with_state(&principal, EDIT_SCOPES, &id, patch, deleted)
        .await?;
    Ok(Json(UpdateResponse::new(&media, &sent)))
}
