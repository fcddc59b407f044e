//! Dedup: an upload whose stored original is already stored becomes a
//! media item of its own (id, names, tags, state) whose row names the
//! files of the first (`Media::blob_id`); nothing is written to storage.
//! Files are deleted only when no row uses them any more.
//!
//! The race to get right: an upload starts sharing the files under `B`
//! while the last row using them is being purged. The catalog and the
//! blob store are two systems with no transaction across them, so the two
//! sides follow a protocol in which at least one of them sees the other.
//!
//! Releasing `B` (purge, retention, orphan collection: [`release_files`]):
//! 1. if a row uses `B`, keep the files (the common case when shared);
//! 2. write the marker `media/B/purging` (create-only; one already there
//!    is as good);
//! 3. if a row uses `B` now, keep the files, and the marker;
//! 4. delete every file under `B`, then the marker, last, and only once
//!    every file is gone.
//!
//! Sharing `B` ([`insert_sharing_files`]):
//! a. insert the new row, naming `B`;
//! b. read the marker: there means `B` is being released;
//! c. read the original: gone means `B` was released.
//!
//! Either way (b or c) the upload takes its row back and stores files of its
//! own, under its own id. Why no file an upload kept is ever deleted: say
//! it passed b and c and a release of `B` then deletes. That release saw no
//! row in step 3, so step 3 ran before step a, and its marker (step 2) was
//! written before that. The marker was absent at step b, so it had been
//! deleted, which happens only after every file under `B` is gone (step 4),
//! so the original was gone before step c, which would have failed. This
//! needs each store to be read-after-write consistent, which all are
//! (SQLite, Postgres, D1; local disk, S3, R2), and each step to finish
//! before the next begins; no clock is shared. Nothing writes the original
//! under `B` after its first row was inserted, so once gone it stays gone.
//!
//! A marker left in step 3 only stops further sharing of `B`: the next
//! upload stores its own files, which later ones share (the twin query
//! takes the newest row). Two uploads of
//! the same new bytes at the same time each store their own files: a
//! missed saving, never an error.
//!
//! [`release_files`]: MediaService::release_files
//! [`insert_sharing_files`]: MediaService::insert_sharing_files

use std::collections::BTreeSet;

use super::MediaService;
use crate::error::{ErrorCode, Result};
use crate::model::{Media, media_prefix, purge_marker_key};
use crate::ports::{Backend, BlobStore, ByteRange};

impl<P: Backend> MediaService<P> {
    /// Inserts `draft` (a new upload, not yet stored, with no variants) as
    /// a row sharing the files of the newest row with the same stored
    /// original, and returns it. `None` when there is no such row, or its
    /// files are being deleted: the caller then stores its own.
    pub(super) async fn insert_sharing_files(&self, draft: &Media) -> Result<Option<Media>> {
        let catalog = &self.ports.catalog;
        let Some(twin) = catalog
            .media_with_content(&draft.sha256, draft.size, draft.kind)
            .await?
        else {
            return Ok(None);
        };
        // The same stored bytes render to the same variants and
        // placeholder: the twin's are this upload's (made with the presets
        // of its day: a change of presets applies to files stored after
        // it, as it does for every stored item).
        let media = Media {
            blob_id: twin.blob_id,
            variants: twin.variants,
            placeholder: twin.placeholder,
            ..draft.clone()
        };
        let seq = catalog.insert_media(&media).await?;
        if self.files_kept(&media).await {
            return Ok(Some(Media { seq, ..media }));
        }
        // Lost to a release: this row must not name the files. It was
        // listable for these few requests; its id was never returned.
        catalog.remove_media(&media.id).await?;
        Ok(None)
    }

    /// Steps b and c of the module's protocol, after the row is inserted:
    /// no marker, and the original still there. A failed read counts as
    /// "not kept" (the upload then stores its own files: safe either way).
    async fn files_kept(&self, media: &Media) -> bool {
        let blobs = &self.ports.blobs;
        match blobs.get(&purge_marker_key(&media.blob_id), None).await {
            Err(e) if e.code == ErrorCode::NotFound => {}
            _ => return false,
        }
        let first_byte = ByteRange { start: 0, end: 1 };
        blobs
            .get(&media.original_key(), Some(first_byte))
            .await
            .is_ok()
    }

    /// Deletes the files under `blob_id` (`known` and whatever else is
    /// listed there) unless a row uses them: the module's release
    /// protocol. Returns how many files it deleted. Failures to delete
    /// are left to orphan collection; a catalog error keeps every file.
    pub(super) async fn release_files(&self, blob_id: &str, known: &[String]) -> Result<u64> {
        let catalog = &self.ports.catalog;
        if catalog.blob_in_use(blob_id).await? {
            return Ok(0);
        }
        let marker = purge_marker_key(blob_id);
        let blobs = &self.ports.blobs;
        match blobs
            .put_new(&marker, bytes::Bytes::from_static(b"purging"), "text/plain")
            .await
        {
            Ok(()) => {}
            Err(e) if e.code == ErrorCode::Conflict => {}
            // Without a marker an upload could start sharing unseen.
            Err(e) => return Err(e),
        }
        if catalog.blob_in_use(blob_id).await? {
            return Ok(0);
        }
        let mut keys: BTreeSet<String> = known.iter().cloned().collect();
        let listed = blobs.list(&media_prefix(blob_id)).await;
        if let Ok(listed) = &listed {
            keys.extend(listed.iter().cloned());
        }
        keys.remove(&marker);
        let keys: Vec<String> = keys.into_iter().collect();
        let errors = self.delete_blobs(&keys).await;
        if listed.is_ok() && errors.is_empty() {
            let _ = blobs.delete(&marker).await;
        }
        Ok((keys.len() - errors.len()) as u64)
    }
}
