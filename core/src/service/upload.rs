//! Upload: validate by bytes, strip metadata, share the files of an upload
//! of the same bytes or render variants, then store.
//!
//! Order matters for crash safety: every blob is written before the row that
//! points at it. A crash in between leaves unreferenced blobs, which orphan
//! collection removes, never a row without its files. An upload whose
//! stored original is already stored writes no blob (see `shared_files`).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use futures_util::future::join_all;
use mediakit_image::{ClockDeadline, Deadline, Parsed, Rendered, render_set};
use sha2::{Digest, Sha256};

use super::import::{Imported, Origin};
use super::{MediaService, UploadOutcome};
use crate::MediaKind;
use crate::admission::Permit;
use crate::auth::{Principal, Scope};
use crate::config::ServiceConfig;
use crate::error::{Error, ErrorCode, Result};
use crate::metadata;
use crate::model::{Media, Variant, variant_key};
use crate::ports::{Backend, BlobStore, Clock, Offload};
use crate::validate;

/// What a client sends with a file.
#[derive(Debug, Default)]
pub struct UploadRequest {
    pub filename: Option<String>,
    pub bytes: Bytes,
    pub name: Option<String>,
    pub tags: Vec<String>,
    pub alt_text: Option<String>,
    pub unlisted: bool,
    /// The memory budget's permit for `bytes`, taken by the HTTP layer
    /// before it read them ([`crate::admission::Budget::admit_body`]);
    /// `None` when the bytes did not come as a request body.
    pub permit: Option<Permit>,
}

/// The stored original, its rendered variants and its placeholder.
#[derive(Debug)]
pub struct Processed {
    pub original: Bytes,
    pub variants: Vec<Rendered>,
    /// A ThumbHash, for images.
    pub placeholder: Option<Vec<u8>>,
}

/// The CPU-bound part of an upload, on the file [`validate::inspect`]
/// parsed: [`strip_original`] and [`render_variants`].
pub fn process_upload(
    file: Parsed,
    config: &ServiceConfig,
    deadline: &dyn Deadline,
) -> Result<Processed> {
    let original = strip_original(&file)?;
    let (variants, placeholder) = render_variants(&file, config, deadline)?;
    Ok(Processed {
        original,
        variants,
        placeholder,
    })
}

/// The original as stored: a raster image without its metadata (which
/// also refuses an incomplete one), any other type as sent. Its hash is
/// what an upload is deduplicated by.
pub fn strip_original(file: &Parsed) -> Result<Bytes> {
    if file.kind().is_raster() {
        Ok(Bytes::from(file.strip_metadata()?))
    } else {
        Ok(file.bytes().clone())
    }
}

/// The variants and placeholder of a raster image; nothing for SVG, PDF
/// and video. Decoding the whole image here is also what rejects corrupt
/// files; past the `deadline` the work is abandoned (`image_too_complex`).
pub fn render_variants(
    file: &Parsed,
    config: &ServiceConfig,
    deadline: &dyn Deadline,
) -> Result<(Vec<Rendered>, Option<Vec<u8>>)> {
    if !file.kind().is_raster() {
        return Ok((Vec::new(), None));
    }
    let set = render_set(
        file,
        &config.presets,
        &config.encode,
        &config.limits.image(),
        deadline,
    )?;
    Ok((set.variants, Some(set.placeholder)))
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl<P: Backend> MediaService<P> {
    /// `UploadsDisabled` on a read-only instance. Dialects whose seed
    /// answers it before anything else (the CMS's delete) call it first.
    pub fn require_uploads(&self) -> Result<()> {
        if self.config.uploads_enabled {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::UploadsDisabled,
                "This service is not handling file uploads.",
            ))
        }
    }

    /// Whether this principal may upload here at all. HTTP layers call it
    /// before reading a request body, so a refused client does not have to
    /// send megabytes first.
    pub fn check_can_upload(&self, principal: &Principal) -> Result<()> {
        principal.require(Scope::Upload)?;
        self.require_uploads()
    }

    /// Validates, processes and stores one file. Nothing is stored unless
    /// every check passes. Processing waits for its estimated memory in
    /// the budget (or answers `server_busy`), and holds it until the files
    /// are stored.
    pub async fn upload(&self, principal: &Principal, req: UploadRequest) -> Result<Media> {
        match self.upload_from(principal, req, Origin::Upload).await? {
            Imported::Stored(media) | Imported::AlreadyThere(media) => Ok(media),
        }
    }

    /// An upload from `origin`, told to the upload observer.
    pub(super) async fn upload_from(
        &self,
        principal: &Principal,
        req: UploadRequest,
        origin: Origin<'_>,
    ) -> Result<Imported> {
        let mut kind = None;
        let result = self
            .upload_and_tell_kind(principal, req, &origin, &mut kind)
            .await;
        if let Some(observe) = &self.upload_observer {
            observe(&UploadOutcome {
                kind,
                result: result
                    .as_ref()
                    .map(|(_, stored)| *stored)
                    .map_err(|e| e.code),
            });
        }
        result.map(|(imported, _)| imported)
    }

    /// [`Self::upload_from`] and the bytes it wrote to storage (none when
    /// it shares another upload's files); `kind_seen` is set as soon as
    /// the bytes are identified, so that a refusal after that is counted
    /// by type.
    async fn upload_and_tell_kind(
        &self,
        principal: &Principal,
        mut req: UploadRequest,
        origin: &Origin<'_>,
        kind_seen: &mut Option<MediaKind>,
    ) -> Result<(Imported, u64)> {
        self.check_can_upload(principal)?;
        let filename = metadata::sanitize_filename(req.filename.as_deref())?;
        let alt_text = match &req.alt_text {
            Some(a) => metadata::alt_text(a)?,
            None => None,
        };
        let tags = metadata::tags(&req.tags)?;
        let name = match req.name.as_deref().map(str::trim) {
            Some(n) if !n.is_empty() => metadata::name(n)?,
            _ => metadata::name(metadata::stem(&filename)).unwrap_or_else(|_| filename.clone()),
        };
        let body = req
            .permit
            .take()
            .unwrap_or_else(|| self.budget.empty_permit());
        let file = self.inspect_off_executor(req.bytes).await?;
        *kind_seen = Some(file.kind());
        // Types that are not decoded keep the body's share.
        let permit = match file.processing_memory() {
            Some(estimate) => self.budget.admit_processing(body, estimate).await?,
            None => body,
        };
        let kind = file.kind();
        let (width, height) = file.display_size();

        // The stored original first: its hash finds an upload of the same
        // bytes before any image work is done.
        let (file, original, sha256) = self
            .ports
            .offload
            .run(move || {
                let original = strip_original(&file)?;
                let sha256 = sha256_hex(&original);
                Ok::<_, Error>((file, original, sha256))
            })
            .await??;
        if let Origin::NewFile = origin {
            let catalog = &self.ports.catalog;
            if let Some(twin) = catalog
                .media_with_content(&sha256, original.len() as u64, kind)
                .await?
            {
                return Ok((Imported::AlreadyThere(twin), 0));
            }
        }
        let identity = self.identity(origin, principal, req.unlisted, &sha256)?;
        let id = identity.id;
        let mut media = Media {
            seq: 0,
            original_filename: filename,
            stored_filename: format!("{id}.{}", kind.extension()),
            kind,
            mime_type: kind.mime_type().to_owned(),
            extension: kind.extension().to_owned(),
            size: original.len() as u64,
            width,
            height,
            sha256,
            name,
            tags,
            alt_text,
            credit: identity.credit,
            uploaded_by: identity.uploaded_by,
            created_at: identity.created_at,
            updated_at: identity.updated_at,
            deleted_at: None,
            unlisted_at: identity.unlisted_at,
            variants: Vec::new(),
            placeholder: None,
            // Only images have one (an export's sidecar could name one for
            // anything).
            focal_point: identity.focal_point.filter(|_| kind.is_raster()),
            blob_id: id.clone(),
            id,
        };
        if let Some(shared) = self.insert_sharing_files(&media).await? {
            return Ok((Imported::Stored(shared), 0));
        }

        let (rendered, placeholder) = if kind.is_raster() {
            let config = self.config.clone();
            let clock = self.ports.clock.clone();
            self.ports
                .offload
                .run(move || {
                    // Started by the worker: time spent waiting for one is
                    // not the image's.
                    let allowance = config.limits.image_deadline_ms;
                    let deadline = ClockDeadline::start(|| clock.now_ms(), allowance);
                    render_variants(&file, &config, &deadline)
                })
                .await??
        } else {
            (Vec::new(), None)
        };
        media.variants = rendered
            .iter()
            .map(|r| Variant {
                name: r.name.clone(),
                width: r.width,
                height: r.height,
                mime_type: r.format.mime_type().to_owned(),
                size: r.bytes.len() as u64,
                key: variant_key(&media.blob_id, &r.name, r.format.extension()),
                sha256: sha256_hex(&r.bytes),
            })
            .collect();
        media.placeholder = placeholder.as_deref().map(|p| STANDARD.encode(p));

        let mut writes = vec![(media.original_key(), original, media.mime_type.clone())];
        for (v, r) in media.variants.iter().zip(rendered) {
            writes.push((v.key.clone(), Bytes::from(r.bytes), v.mime_type.clone()));
        }
        self.store_blobs(&writes).await?;
        // The rendered files are stored: their memory is free again.
        drop(writes);
        drop(permit);

        match self.ports.catalog.insert_media(&media).await {
            Ok(seq) => {
                let stored = media.stored_bytes();
                Ok((Imported::Stored(Media { seq, ..media }), stored))
            }
            Err(e) => {
                self.delete_blobs(&media.blob_keys()).await;
                Err(e)
            }
        }
    }

    /// [`validate::inspect`] where raster work runs (the offload port): it
    /// is linear, but parsing a 10 MB container or holding a 10 MB SVG to
    /// its policy takes milliseconds to tens of milliseconds, too long for
    /// an async worker thread that other requests are waiting on.
    pub(super) async fn inspect_off_executor(&self, bytes: Bytes) -> Result<Parsed> {
        let limits = self.config.limits;
        self.ports
            .offload
            .run(move || validate::inspect(bytes, &limits))
            .await?
    }

    /// Writes all blobs concurrently; on any failure removes those written.
    async fn store_blobs(&self, writes: &[(String, Bytes, String)]) -> Result<()> {
        let blobs = &self.ports.blobs;
        let results = join_all(
            writes
                .iter()
                .map(|(key, bytes, mime)| blobs.put_new(key, bytes.clone(), mime)),
        )
        .await;
        if let Some(err) = results.iter().find_map(|r| r.as_ref().err()) {
            let keys: Vec<String> = writes.iter().map(|(k, _, _)| k.clone()).collect();
            self.delete_blobs(&keys).await;
            return Err(err.clone());
        }
        Ok(())
    }

    /// Best effort: a blob left behind is an orphan that collection removes.
    pub(crate) async fn delete_blobs(&self, keys: &[String]) -> Vec<Error> {
        let blobs = &self.ports.blobs;
        join_all(keys.iter().map(|k| blobs.delete(k)))
            .await
            .into_iter()
            .filter_map(Result::err)
            .collect()
    }
}
