//! Soft delete, restore, purge, and collection of expired and orphaned data.
//!
//! Delete hides an item at once (its files answer 404, listings skip it) but
//! keeps its blobs for the retention window so that it can be restored.
//! Purge removes the row first and the blobs second: a failure in between
//! leaves orphan blobs (collected later), never a row without its files.
//! Blobs another row shares (dedup) are kept: see `shared_files`.

use super::MediaService;
use crate::auth::{Principal, Scope};
use crate::error::{Error, Result};
use crate::ids;
use crate::model::Media;
use crate::ports::{Backend, BlobStore};
use crate::time::Millis;

/// What a collection pass did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Collected {
    pub purged_media: u64,
    pub orphan_blobs: u64,
}

impl<P: Backend> MediaService<P> {
    /// Soft-deletes. `Ok(false)` when it already was deleted; `NotFound`
    /// when it does not exist.
    pub async fn delete(&self, principal: &Principal, id: &str) -> Result<bool> {
        principal.require(Scope::Delete)?;
        self.require_uploads()?;
        let media = self.row(id).await?;
        let now = self.now();
        self.ports
            .catalog
            .set_deleted(&media.id, Some(now), now)
            .await
    }

    /// Undoes a soft delete. `Ok(false)` when it was not deleted.
    pub async fn restore(&self, principal: &Principal, id: &str) -> Result<bool> {
        principal.require(Scope::Delete)?;
        self.require_uploads()?;
        let media = self.row(id).await?;
        self.ports
            .catalog
            .set_deleted(&media.id, None, self.now())
            .await
    }

    /// Removes an item and its files for good, whatever its state.
    pub async fn purge(&self, principal: &Principal, id: &str) -> Result<()> {
        principal.require(Scope::Delete)?;
        self.require_uploads()?;
        let media = self.row(id).await?;
        self.purge_row(&media).await
    }

    pub(super) async fn purge_row(&self, media: &Media) -> Result<()> {
        if !self.ports.catalog.remove_media(&media.id).await? {
            return Err(Error::not_found());
        }
        self.delete_files_of(media).await;
        Ok(())
    }

    /// Deletes the files of an item whose row is gone, unless another row
    /// shares them. Best effort: the row is gone, so the item is purged;
    /// blobs that fail to delete are orphans for the next collection pass.
    /// (The release also lists the prefix: it finds blobs a crashed upload
    /// of the same id left behind.)
    async fn delete_files_of(&self, media: &Media) {
        let _ = self.release_files(&media.blob_id, &media.blob_keys()).await;
    }

    /// Purges items deleted longer ago than the retention window.
    ///
    /// Each row is removed only if it is still deleted and expired when the
    /// removal runs (one conditional statement), and its files are deleted
    /// only if the row was: a restore between the query and the removal
    /// keeps the item and its files.
    pub async fn purge_expired(&self) -> Result<u64> {
        let cutoff = self.now() - self.config.retention_ms;
        let mut purged = 0;
        loop {
            let batch = self.ports.catalog.deleted_before(cutoff, 100).await?;
            let mut purged_in_batch = 0;
            for media in &batch {
                if self
                    .ports
                    .catalog
                    .remove_expired_media(&media.id, cutoff)
                    .await?
                {
                    self.delete_files_of(media).await;
                    purged_in_batch += 1;
                }
            }
            purged += purged_in_batch;
            // An empty batch is the end. So is one of which nothing could be
            // purged (all restored meanwhile): the loop must end even if
            // the query keeps returning rows the removal will not take, and
            // the next pass picks up whatever is left.
            if purged_in_batch == 0 {
                return Ok(purged);
            }
        }
    }

    /// Deletes blobs under `media/{id}/` that no row uses (its own or
    /// shared) and whose id was created more than `min_age_ms` ago (younger
    /// ones may belong to an upload whose row is about to be written: ids
    /// are UUIDv7, so their age is known).
    pub async fn collect_orphans(&self, min_age_ms: Millis) -> Result<u64> {
        let keys = self.ports.blobs.list("media/").await?;
        let cutoff = self.now() - min_age_ms;
        let mut by_id: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for key in keys {
            if let Some(id) = key.strip_prefix("media/").and_then(|k| k.split('/').next()) {
                by_id.entry(id.to_owned()).or_default().push(key.clone());
            }
        }
        let mut removed = 0;
        for (id, keys) in by_id {
            let created = ids::parse_uuid(&id).and_then(|u| uuid_v7_millis(&u));
            if created.is_none_or(|ms| ms >= cutoff) {
                continue;
            }
            removed += self.release_files(&id, &keys).await?;
        }
        Ok(removed)
    }

    /// Both passes, for a periodic background task.
    pub async fn collect(&self, orphan_min_age_ms: Millis) -> Result<Collected> {
        Ok(Collected {
            purged_media: self.purge_expired().await?,
            orphan_blobs: self.collect_orphans(orphan_min_age_ms).await?,
        })
    }
}

/// The millisecond timestamp in a hyphenated UUIDv7.
fn uuid_v7_millis(id: &str) -> Option<Millis> {
    let hex: String = id.chars().filter(|c| *c != '-').take(12).collect();
    if id.as_bytes().get(14) != Some(&b'7') {
        return None;
    }
    i64::from_str_radix(&hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_time_back_from_uuid_v7() {
        let id = ids::uuid_v7(1_726_829_477_543, [1; 10]);
        assert_eq!(uuid_v7_millis(&id), Some(1_726_829_477_543));
        assert_eq!(uuid_v7_millis("00000000-0000-4000-8000-000000000000"), None);
    }
}
