//! Editing metadata and the unlisted state.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, ErrorCode, Result};
use crate::metadata;
use crate::model::{Media, MediaPatch, MetadataUpdate};
use crate::ports::Backend;

/// The new values of the editable fields, validated. Pure, so that a
/// request is refused whole before anything is written.
fn resolve(current: &Media, patch: &MediaPatch) -> Result<MetadataUpdate> {
    Ok(MetadataUpdate {
        name: match &patch.name {
            Some(n) => metadata::name(n)?,
            None => current.name.clone(),
        },
        tags: match &patch.tags {
            Some(t) => metadata::tags(t)?,
            None => current.tags.clone(),
        },
        alt_text: match &patch.alt_text {
            Some(Some(a)) => metadata::alt_text(a)?,
            Some(None) => None,
            None => current.alt_text.clone(),
        },
        credit: match &patch.credit {
            Some(Some(c)) => metadata::credit(c)?,
            Some(None) => None,
            None => current.credit.clone(),
        },
        original_filename: match (&patch.original_filename, &patch.filename_stem) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "rename with a filename or with a stem, not both",
                ));
            }
            (Some(f), None) => metadata::sanitize_filename(Some(f))?,
            (None, Some(stem)) => {
                metadata::sanitize_filename(Some(&with_stem(&current.original_filename, stem)?))?
            }
            (None, None) => current.original_filename.clone(),
        },
        focal_point: match patch.focal_point {
            Some(Some(_)) if !current.kind.is_raster() => {
                return Err(Error::invalid(format!(
                    "only raster images have a focal point; this item is {}",
                    current.mime_type
                )));
            }
            Some(point) => point,
            None => current.focal_point,
        },
    })
}

/// `holiday` on `IMG_1.jpg` is `holiday.jpg`: the extension stays.
fn with_stem(current: &str, new_stem: &str) -> Result<String> {
    let new_stem = new_stem.trim();
    if new_stem.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidFilename,
            "the filename must not be empty",
        ));
    }
    let ext = current
        .strip_prefix(metadata::stem(current))
        .unwrap_or_default();
    Ok(format!("{new_stem}{ext}"))
}

fn is_empty(patch: &MediaPatch) -> bool {
    patch == &MediaPatch::default()
}

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
        let update = resolve(&current, &patch)?;
        self.write_patch(&current, update, patch.unlisted).await?;
        self.row(&current.id).await
    }

    /// Writes validated values; the catalog is touched only for what
    /// changed.
    async fn write_patch(
        &self,
        current: &Media,
        update: MetadataUpdate,
        unlisted: Option<bool>,
    ) -> Result<()> {
        let now = self.now();
        let unchanged = update.name == current.name
            && update.tags == current.tags
            && update.alt_text == current.alt_text
            && update.credit == current.credit
            && update.original_filename == current.original_filename
            && update.focal_point == current.focal_point;
        if !unchanged
            && !self
                .ports
                .catalog
                .update_metadata(&current.id, &update, now)
                .await?
        {
            return Err(Error::not_found());
        }
        if let Some(unlisted) = unlisted {
            self.ports
                .catalog
                .set_unlisted(&current.id, unlisted.then_some(now), now)
                .await?;
        }
        Ok(())
    }

    /// A patch that may also delete (`Some(true)`) or restore
    /// (`Some(false)`) the item, as one request of the RPC dialect carries
    /// both. Every scope and value is checked before anything is written;
    /// a restore happens before the edit and a delete after it, so the
    /// edit always applies to a live item. A deleted item can only be
    /// restored (with or without edits) or deleted again (a no-op).
    pub async fn update_with_state(
        &self,
        principal: &Principal,
        allowed: &[Scope],
        id: &str,
        patch: MediaPatch,
        deleted: Option<bool>,
    ) -> Result<Media> {
        if !is_empty(&patch) {
            principal.require_any(allowed)?;
        }
        if deleted.is_some() {
            principal.require(Scope::Delete)?;
            self.require_uploads()?;
        }
        let current = self.row(id).await?;
        if current.is_deleted() && deleted != Some(false) {
            if deleted == Some(true) && is_empty(&patch) {
                return Ok(current);
            }
            return Err(Error::not_found());
        }
        let update = resolve(&current, &patch)?;
        let now = self.now();
        if deleted == Some(false) {
            self.ports
                .catalog
                .set_deleted(&current.id, None, now)
                .await?;
        }
        self.write_patch(&current, update, patch.unlisted).await?;
        if deleted == Some(true) {
            self.ports
                .catalog
                .set_deleted(&current.id, Some(now), now)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renaming_a_stem_keeps_the_extension() {
        assert_eq!(with_stem("IMG_1.jpg", " holiday ").unwrap(), "holiday.jpg");
        assert_eq!(with_stem("scan", "page").unwrap(), "page");
        assert_eq!(with_stem("a.tar.gz", "b").unwrap(), "b.gz");
        assert_eq!(
            with_stem("a.jpg", "  ").unwrap_err().code,
            ErrorCode::InvalidFilename
        );
    }
}
