//! Public file access: resolving a file URL to a blob, refusing deleted media.

use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use futures_util::TryStreamExt;

use super::MediaService;
use crate::error::{Error, Result};
use crate::ids;
use crate::model::Media;
use crate::ports::{Backend, BlobStore, ByteRange, ByteStream};

/// A servable file: where it is and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub key: String,
    pub mime_type: String,
    pub size: u64,
    /// Hex SHA-256 of the bytes: the strong ETag.
    pub sha256: String,
    /// The name offered to a browser saving the file.
    pub download_name: String,
    /// Whether the item is unlisted (served anyway, but not indexed).
    pub unlisted: bool,
}

impl<P: Backend> MediaService<P> {
    /// The original (`variant` = `None`) or a variant of a live item, as
    /// named in its URL: `{id}.{ext}` or `{id}/{variant}.{ext}`. No token is
    /// needed (file URLs are public); deleted media is never served.
    pub async fn file(&self, id: &str, variant: Option<&str>, ext: &str) -> Result<FileRef> {
        let media = self.live_file(id).await?;
        file_ref(&media, variant, ext)
    }

    /// Like [`Self::file`] for callers that name a file without its
    /// extension (the RPC dialect's instance ids): whatever is stored.
    pub async fn stored_file(&self, id: &str, variant: Option<&str>) -> Result<FileRef> {
        let media = self.live_file(id).await?;
        let ext = match variant {
            None => media.extension.clone(),
            Some(name) => media
                .variant(name)
                .ok_or_else(Error::not_found)?
                .extension()
                .to_owned(),
        };
        file_ref(&media, variant, &ext)
    }

    /// The row of a live item for a file request, through the catalog's
    /// file cache: no database round trip when it was read recently.
    pub(super) async fn live_file(&self, id: &str) -> Result<Arc<Media>> {
        let id = ids::parse_uuid(id).ok_or_else(Error::not_found)?;
        let media = self
            .ports
            .catalog
            .media_for_file(&id, self.now())
            .await?
            .ok_or_else(Error::not_found)?;
        if media.is_deleted() {
            return Err(Error::not_found());
        }
        Ok(media)
    }
}

/// A file's bytes (or the requested range of them), as a response sends
/// them.
pub enum FileBody {
    /// Held in memory: a small file, from the [`crate::blob_cache`].
    Bytes(Bytes),
    /// Streamed from storage chunk by chunk.
    Stream(ByteStream),
}

impl<P: Backend> MediaService<P> {
    /// The bytes of `file` (a [`FileRef`] this service resolved) in
    /// `range`: small files from memory when they were read before, every
    /// other file streamed from storage. A missing blob is `NotFound` here,
    /// before any byte.
    pub async fn file_body(&self, file: &FileRef, range: Option<ByteRange>) -> Result<FileBody> {
        if !self.blob_cache.admits(file.size) {
            let chunks = self.ports.blobs.get_stream(&file.key, range).await?;
            return Ok(FileBody::Stream(chunks));
        }
        let whole = match self.blob_cache.get(&file.key, file.size, &file.sha256) {
            Some(bytes) => bytes,
            None => {
                let bytes = self.read_small(file).await?;
                self.blob_cache
                    .insert(&file.key, &file.sha256, bytes.clone());
                bytes
            }
        };
        Ok(FileBody::Bytes(match range {
            // The range was checked against `file.size`, which `whole` has.
            Some(r) => whole.slice(r.start as usize..r.end as usize),
            None => whole,
        }))
    }

    /// Reads a small file whole, refusing one whose length is not the
    /// catalog's (a truncated or replaced blob must not be cached).
    async fn read_small(&self, file: &FileRef) -> Result<Bytes> {
        let mut chunks = self.ports.blobs.get_stream(&file.key, None).await?;
        // Admitted sizes are at most MAX_CACHED_BLOB_BYTES: the cast holds.
        let mut buf = BytesMut::with_capacity(file.size as usize);
        while let Some(chunk) = chunks.try_next().await? {
            if (buf.len() + chunk.len()) as u64 > file.size {
                break;
            }
            buf.extend_from_slice(&chunk);
        }
        if buf.len() as u64 != file.size {
            return Err(Error::storage(format!(
                "{}: stored size differs from the catalog's {} bytes",
                file.key, file.size
            )));
        }
        Ok(buf.freeze())
    }
}

/// Resolves within one item; the extension must match what is stored so
/// that every file has exactly one URL.
pub fn file_ref(media: &Media, variant: Option<&str>, ext: &str) -> Result<FileRef> {
    let stem = crate::metadata::stem(&media.original_filename);
    match variant {
        None if ext.eq_ignore_ascii_case(&media.extension) => Ok(FileRef {
            key: media.original_key(),
            mime_type: media.mime_type.clone(),
            size: media.size,
            sha256: media.sha256.clone(),
            download_name: media.original_filename.clone(),
            unlisted: media.is_unlisted(),
        }),
        Some(name) => {
            let v = media
                .variant(name)
                .filter(|v| v.extension().eq_ignore_ascii_case(ext))
                .ok_or_else(Error::not_found)?;
            Ok(FileRef {
                key: v.key.clone(),
                mime_type: v.mime_type.clone(),
                size: v.size,
                sha256: v.sha256.clone(),
                download_name: format!("{stem}-{}.{}", v.name, v.extension()),
                unlisted: media.is_unlisted(),
            })
        }
        None => Err(Error::not_found()),
    }
}
