//! Public file access: resolving a file URL to a blob, refusing deleted media.

use std::sync::Arc;

use super::MediaService;
use crate::error::{Error, Result};
use crate::ids;
use crate::model::Media;
use crate::ports::Backend;

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
    async fn live_file(&self, id: &str) -> Result<Arc<Media>> {
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
