//! Signed renditions ([`crate::rendition`]): signing a URL, and answering
//! one by the stored rendition or by rendering it once.
//!
//! A rendition is stored under its original's files
//! (`media/{blob_id}/r/{spec}.{ext}`), so media sharing an original share
//! its renditions, and releasing the files (purge, collection) deletes
//! them with the rest. Keys are create-only, so concurrent first requests
//! across instances store one file; within an instance they also render
//! once (a lock per key).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};

use bytes::Bytes;
use futures_util::lock::Mutex as AsyncMutex;
use mediakit_image::{
    ClockDeadline, EncodeSettings, Fit, OutputFormat, RenditionBox, plan_rendition,
    render_rendition,
};
use sha2::{Digest, Sha256};

use super::{FileBody, MediaService};
use crate::auth::Principal;
use crate::error::{Error, ErrorCode, Result};
use crate::model::{Media, variant_key};
use crate::ports::{Backend, BlobStore, Clock, Offload};
use crate::rendition::{RenditionRequest, RenditionSpec, SigningKey};

/// A signed URL and what its file will be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRendition {
    /// Relative to the site root: `uploads/media/{id}/r/{signature}/{file}`.
    pub path: String,
    pub signature: String,
    /// The spec and, unless the format is automatic, its extension.
    pub file: String,
    pub width: u32,
    pub height: u32,
    /// `None` when chosen per request from `Accept`.
    pub format: Option<OutputFormat>,
}

/// A variant as asked for: the stored file, or one in another format.
pub enum VariantFile {
    Stored {
        file: super::FileRef,
        /// Chosen by `Accept` (the response varies on it).
        negotiated: bool,
    },
    Derived(RenditionFile),
}

/// A rendition (or a variant in another format) to send: stored (streamed
/// from storage by its key) or just rendered (its bytes).
pub struct RenditionFile {
    pub key: String,
    pub mime_type: String,
    /// Strong: the bytes under a key never change.
    pub etag: String,
    pub download_name: String,
    pub unlisted: bool,
    /// Whether the format followed `Accept` (the response varies on it).
    pub negotiated: bool,
    /// The stored file's stream, or the bytes this request rendered.
    pub body: FileBody,
}

/// One async lock per rendition key being rendered on this instance.
#[derive(Default)]
pub(crate) struct RenderLocks(Mutex<HashMap<String, Weak<AsyncMutex<()>>>>);

impl RenderLocks {
    fn lock_for(&self, key: &str) -> Arc<AsyncMutex<()>> {
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(lock) = map.get(key).and_then(Weak::upgrade) {
            return lock;
        }
        // Entries of finished renders are dropped as new ones come, so the
        // map holds about as many keys as renders in flight.
        map.retain(|_, lock| lock.strong_count() > 0);
        let lock = Arc::new(AsyncMutex::new(()));
        map.insert(key.to_owned(), Arc::downgrade(&lock));
        lock
    }
}

fn unavailable() -> Error {
    Error::new(
        ErrorCode::RenditionsUnavailable,
        "this server has no key to sign rendition URLs with",
    )
}

fn bad_signature() -> Error {
    Error::new(
        ErrorCode::Forbidden,
        "the URL's signature does not match its parameters",
    )
}

impl<P: Backend> MediaService<P> {
    fn signing_key(&self) -> Result<&SigningKey> {
        self.config.signing_key.as_ref().ok_or_else(unavailable)
    }

    /// A signed URL for a rendition of `id` (a token with `media:read`;
    /// live or unlisted media), with the size its file will have.
    pub async fn rendition_url(
        &self,
        principal: &Principal,
        id: &str,
        request: &RenditionRequest,
    ) -> Result<SignedRendition> {
        let media = self.get(principal, id).await?;
        let key = self.signing_key()?;
        let spec = request
            .resolve(self.config.encode.quality)?
            .with_focus(media.focal_point);
        let (Some(width), Some(height)) = (media.width, media.height) else {
            return Err(not_an_image(&media));
        };
        if !media.kind.is_raster() {
            return Err(not_an_image(&media));
        }
        let plan = plan_rendition((width, height), &spec.area)?;
        self.config
            .limits
            .image()
            .check_pixels(plan.width, plan.height)?;
        let file = spec.file_name();
        let signature = key.sign(&media.id, &file);
        Ok(SignedRendition {
            path: format!("uploads/media/{}/r/{signature}/{file}", media.id),
            signature,
            file,
            width: plan.width,
            height: plan.height,
            format: spec.format,
        })
    }

    /// The rendition a URL names, if its signature holds and the item is
    /// live: from storage, or rendered now (once) and stored. `accept` is
    /// the request's `Accept`, for specs of automatic format.
    pub async fn rendition(
        &self,
        id: &str,
        signature: &str,
        file: &str,
        accept: Option<&str>,
    ) -> Result<RenditionFile> {
        let spec = RenditionSpec::parse_file_name(file).ok_or_else(Error::not_found)?;
        if !self.signing_key()?.verify(id, file, signature) {
            return Err(bad_signature());
        }
        let media = self.live_file(id).await?;
        if !media.kind.is_raster() {
            return Err(Error::not_found());
        }
        let format = spec
            .format
            .or_else(|| negotiate(accept))
            .unwrap_or_else(|| base_format(&media));
        let stem = file.split('.').next().unwrap_or(file);
        let key = format!("media/{}/r/{stem}.{}", media.blob_id, format.extension());
        let stem_name = crate::metadata::stem(&media.original_filename);
        let settings = EncodeSettings {
            format: Some(format),
            quality: spec.quality,
        };
        let focus = spec.focus.map(|f| f.fractions());
        let body = self
            .stored_or_rendered(&media, &key, spec.area, focus, settings)
            .await?;
        Ok(RenditionFile {
            etag: etag_of(&key),
            mime_type: format.mime_type().to_owned(),
            download_name: format!("{stem_name}-{stem}.{}", format.extension()),
            unlisted: media.is_unlisted(),
            negotiated: spec.format.is_none(),
            body,
            key,
        })
    }

    /// A variant as a URL names it: `ext` the stored one's (served as
    /// stored), another format this build encodes (rendered on first
    /// request, like a rendition), or `None`: the best format `accept`
    /// takes ([`OutputFormat::NEGOTIABLE`]), else the stored one.
    pub async fn variant_file(
        &self,
        id: &str,
        name: &str,
        ext: Option<&str>,
        accept: Option<&str>,
    ) -> Result<VariantFile> {
        let media = self.live_file(id).await?;
        let variant = media.variant(name).ok_or_else(Error::not_found)?;
        let base = variant.extension();
        let format = match ext {
            Some(ext) if ext.eq_ignore_ascii_case(base) => None,
            Some(ext) => Some(
                OutputFormat::parse(ext)
                    .filter(|f| derivable(*f))
                    .ok_or_else(Error::not_found)?,
            ),
            None => negotiate(accept),
        };
        let negotiated = ext.is_none();
        let Some(format) = format else {
            return Ok(VariantFile::Stored {
                file: super::file_ref(&media, Some(name), base)?,
                negotiated,
            });
        };
        let key = variant_key(&media.blob_id, name, format.extension());
        let stem = crate::metadata::stem(&media.original_filename);
        // Exactly the stored variant's size: no crop, no rounding of its own.
        let area = RenditionBox {
            width: Some(variant.width),
            height: Some(variant.height),
            fit: Fit::Fill,
            upscale: false,
        };
        let settings = EncodeSettings {
            format: Some(format),
            quality: self.config.encode.quality,
        };
        let body = self
            .stored_or_rendered(&media, &key, area, None, settings)
            .await?;
        Ok(VariantFile::Derived(RenditionFile {
            etag: etag_of(&key),
            mime_type: format.mime_type().to_owned(),
            download_name: format!("{stem}-{name}.{}", format.extension()),
            unlisted: media.is_unlisted(),
            negotiated,
            body,
            key,
        }))
    }

    /// The stored file under `key`, opened for streaming (one storage
    /// read); else renders it (once on this instance: a request that
    /// waited for another's render finds it stored), stores it and returns
    /// its bytes.
    async fn stored_or_rendered(
        &self,
        media: &Arc<Media>,
        key: &str,
        area: RenditionBox,
        focus: Option<(f64, f64)>,
        settings: EncodeSettings,
    ) -> Result<FileBody> {
        if let Some(stored) = self.open_stored(key).await? {
            return Ok(stored);
        }
        let lock = self.render_locks.lock_for(key);
        let _rendering = lock.lock().await;
        if let Some(stored) = self.open_stored(key).await? {
            return Ok(stored);
        }
        let mime = settings.format.map_or("", |f| f.mime_type());
        let bytes = self.render(media, area, focus, settings).await?;
        // Served whatever the store answers: a conflict means another
        // instance stored the same file, and any other failure only costs
        // the next request a render (which shows a lasting one).
        let _ = self.ports.blobs.put_new(key, bytes.clone(), mime).await;
        Ok(FileBody::Bytes(bytes))
    }

    /// The file under `key` as a stream, `None` when there is none.
    async fn open_stored(&self, key: &str) -> Result<Option<FileBody>> {
        match self.ports.blobs.get_stream(key, None).await {
            Ok(chunks) => Ok(Some(FileBody::Stream(chunks))),
            Err(e) if e.code == ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Renders from the stored original, within the memory budget and the
    /// image deadline, off the executor.
    async fn render(
        &self,
        media: &Arc<Media>,
        area: RenditionBox,
        focus: Option<(f64, f64)>,
        settings: EncodeSettings,
    ) -> Result<Bytes> {
        let permit = self.budget.admit_body(media.size).await?;
        let original = self.ports.blobs.get(&media.original_key(), None).await?;
        let file = self.inspect_off_executor(original).await?;
        let _permit = match file.processing_memory() {
            Some(estimate) => self.budget.admit_processing(permit, estimate).await?,
            None => permit,
        };
        let limits = self.config.limits;
        let clock = self.ports.clock.clone();
        let rendered = self
            .ports
            .offload
            .run(move || {
                let deadline = ClockDeadline::start(|| clock.now_ms(), limits.image_deadline_ms);
                render_rendition(&file, &area, focus, &settings, &limits.image(), &deadline)
            })
            .await??;
        Ok(Bytes::from(rendered.bytes))
    }
}

fn not_an_image(media: &Media) -> Error {
    Error::invalid(format!(
        "only raster images have renditions; this item is {}",
        media.mime_type
    ))
}

/// The format of the item's variants (JPEG for opaque images, PNG with
/// alpha), or, without variants, JPEG for JPEGs and PNG for the rest.
fn base_format(media: &Media) -> OutputFormat {
    media
        .variants
        .first()
        .and_then(|v| OutputFormat::parse(v.extension()))
        .unwrap_or(match media.extension.as_str() {
            "jpg" => OutputFormat::Jpeg,
            _ => OutputFormat::Png,
        })
}

/// A strong ETag for a file whose key names its bytes for good.
fn etag_of(key: &str) -> String {
    format!("\"{}\"", &hex::encode(Sha256::digest(key.as_bytes()))[..32])
}

/// Formats a variant may be asked for besides its stored one: the ones
/// this build encodes that make sense for the web (WebP, AVIF).
fn derivable(format: OutputFormat) -> bool {
    matches!(format, OutputFormat::Webp | OutputFormat::Avif) && format.encodable()
}

/// The extensions a variant is served in: its stored one, then the
/// derivable formats (the REST `formats` of a variant).
pub fn variant_formats(stored_ext: &str) -> Vec<&'static str> {
    let stored = OutputFormat::parse(stored_ext);
    let derived = [OutputFormat::Webp, OutputFormat::Avif]
        .into_iter()
        .filter(|f| derivable(*f) && Some(*f) != stored);
    stored
        .map(OutputFormat::extension)
        .into_iter()
        .chain(derived.map(OutputFormat::extension))
        .collect()
}

/// The best of [`OutputFormat::NEGOTIABLE`] that `accept` takes (a
/// non-zero `q`), if any.
fn negotiate(accept: Option<&str>) -> Option<OutputFormat> {
    let accept = accept?;
    OutputFormat::NEGOTIABLE
        .iter()
        .copied()
        .find(|f| accepts(accept, f.mime_type()))
}

fn accepts(accept: &str, mime: &str) -> bool {
    accept.split(',').any(|item| {
        let mut parts = item.split(';').map(str::trim);
        let named = parts.next().is_some_and(|t| t.eq_ignore_ascii_case(mime));
        let refused = parts.any(|p| {
            p.strip_prefix("q=")
                .and_then(|q| q.parse::<f32>().ok())
                .is_some_and(|q| q <= 0.0)
        });
        named && !refused
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Natively; AVIF when the build has it (the native server's does).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_best_accepted_format_wins() {
        let chrome = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
        let best = if OutputFormat::Avif.encodable() {
            OutputFormat::Avif
        } else {
            OutputFormat::Webp
        };
        assert_eq!(negotiate(Some(chrome)), Some(best));
        assert_eq!(negotiate(Some("image/WebP,*/*")), Some(OutputFormat::Webp));
        let no_avif = "image/avif;q=0, image/webp;q=0.5";
        assert_eq!(negotiate(Some(no_avif)), Some(OutputFormat::Webp));
        assert_eq!(negotiate(Some("image/webp;q=0")), None);
        assert_eq!(negotiate(Some("image/png,*/*")), None);
        assert_eq!(negotiate(None), None);
        if OutputFormat::Avif.encodable() {
            assert_eq!(variant_formats("jpg"), ["jpg", "webp", "avif"]);
            assert_eq!(variant_formats("webp"), ["webp", "avif"]);
        } else {
            assert_eq!(variant_formats("jpg"), ["jpg", "webp"]);
        }
    }
}
