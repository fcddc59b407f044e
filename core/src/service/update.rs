//! Editing metadata and the unlisted state.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::model::{Media, MediaPatch, MetadataUpdate};
use crate::ports::{Backend, Catalog};
use crate::text;

impl<P: Backend> MediaService<P> {
    /// Applies a patch to a live item and returns the item as stored.
    /// `allowed` are the scopes that may edit through the calling dialect
    /// (the REST seed lets `media:upload` edit alt text, for instance).
    pub async fn update(
        &self,
        principal: &Principal,
        allowed: &[Scope],
        id: &str,
        patch: MediaPatch,
    ) -> Result<Media> {
        principal.require_any(allowed)?;
        let current = self.live(id).await?;
        let update = MetadataUpdate {
            name: match &patch.name {
                Some(n) => text::name(n)?,
                None => current.name.clone(),
            },
            tags: match &patch.tags {
                Some(t) => text::tags(t)?,
                None => current.tags.clone(),
            },
            alt_text: match &patch.alt_text {
                Some(Some(a)) => text::alt_text(a)?,
                Some(None) => None,
                None => current.alt_text.clone(),
            },
            credit: match &patch.credit {
                Some(Some(c)) => text::credit(c)?,
                Some(None) => None,
                None => current.credit.clone(),
            },
            original_filename: match &patch.original_filename {
                Some(f) => text::sanitize_filename(Some(f))?,
                None => current.original_filename.clone(),
            },
        };
        let now = self.now();
        let unchanged = update.name == current.name
            && update.tags == current.tags
            && update.alt_text == current.alt_text
            && update.credit == current.credit
            && update.original_filename == current.original_filename;
        if !unchanged
            && !self
                .ports
                .catalog
                .update_metadata(&current.id, &update, now)
                .await?
        {
            return Err(Error::not_found());
        }
        if let Some(unlisted) = patch.unlisted {
            self.ports
                .catalog
                .set_unlisted(&current.id, unlisted.then_some(now), now)
                .await?;
        }
        self.row(&current.id).await
    }

    /// Hides (`true`) or re-lists (`false`) a live item. Returns whether the
    /// state changed.
    pub async fn set_unlisted(
        &self,
        principal: &Principal,
        id: &str,
        unlisted: bool,
    ) -> Result<bool> {
        principal.require(Scope::Edit)?;
        let media = self.live(id).await?;
        let now = self.now();
        self.ports
            .catalog
            .set_unlisted(&media.id, unlisted.then_some(now), now)
            .await
    }
}
