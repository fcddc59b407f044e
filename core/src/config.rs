//! Service settings with the defaults a new user gets.

use mediakit_image::{EncodeSettings, VariantSpec};

use crate::rendition::SigningKey;
use crate::time::Millis;

/// The default variant presets (thumb 256, small 640, medium 1280, large
/// 2048: longest side in pixels), defined with the pipeline that renders them.
pub use mediakit_image::default_presets;

pub const DEFAULT_MAX_UPLOAD_BYTES: u64 = 10 * 1024 * 1024;
pub const DEFAULT_MAX_PIXELS: u64 = mediakit_image::DEFAULT_MAX_PIXELS;
pub const DEFAULT_QUALITY: u8 = 80;
/// How long processing one image (decoding, resizing, encoding its
/// variants) may take before it is abandoned with `image_too_complex`: a
/// 50 MP photo takes about 2 s on one core of a small server.
pub const DEFAULT_IMAGE_DEADLINE_MS: u64 = 10_000;
/// Soft-deleted media stays restorable this long, then is purged.
pub const DEFAULT_RETENTION_MS: Millis = 30 * 24 * 3600 * 1000;
/// Collection leaves blobs without a row alone until they are this old:
/// a younger one may belong to an upload in flight, whose row is written
/// after its files. Every host collects with it.
pub const ORPHAN_MIN_AGE_MS: Millis = 3600 * 1000;

/// `Cache-Control` of file responses: stored files never change (keys are
/// never rewritten), so browsers and CDNs may keep them for a year. A
/// cache keeps a file it fetched even after the item is deleted, which is
/// why unlisted media (shared by link, more often withdrawn) gets an hour.
pub const DEFAULT_FILE_CACHE_CONTROL: &str = "public, max-age=31536000, immutable";
pub const DEFAULT_UNLISTED_FILE_CACHE_CONTROL: &str = "public, max-age=3600";

/// Limits every upload is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_upload_bytes: u64,
    /// Checked from the image header, before any pixel is decoded.
    pub max_pixels: u64,
    /// The most memory (bytes) processing one image may take, estimated
    /// from its header ([`mediakit_image::Parsed::processing_memory`]).
    /// Unlimited by default; hosts with a hard ceiling (the edge worker) set
    /// it.
    pub max_processing_memory: u64,
    /// How long processing one image may take, in milliseconds of the
    /// service's clock, counted from when a worker starts on it.
    pub image_deadline_ms: u64,
}

impl Limits {
    /// What the image pipeline holds every decode to.
    pub fn image(&self) -> mediakit_image::Limits {
        mediakit_image::Limits {
            max_pixels: self.max_pixels,
            ..mediakit_image::Limits::default()
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            max_pixels: DEFAULT_MAX_PIXELS,
            max_processing_memory: u64::MAX,
            image_deadline_ms: DEFAULT_IMAGE_DEADLINE_MS,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ServiceConfig {
    pub limits: Limits,
    pub presets: Vec<VariantSpec>,
    /// Variant encoding; the format is chosen per image (JPEG when opaque,
    /// PNG with alpha) unless set.
    pub encode: EncodeSettings,
    pub retention_ms: Millis,
    /// `false` for a read-only instance: uploads and deletions answer
    /// `uploads_disabled` (503).
    pub uploads_enabled: bool,
    /// SHA-256 (hex, as [`crate::auth::token_hash`]) of an admin token that
    /// lives outside the catalog: the edge worker's `ADMIN_TOKEN` secret,
    /// which has no first-start bootstrap to create one in the database.
    /// `None` natively, where the admin token is a catalog row.
    pub static_admin_token_hash: Option<String>,
    /// `Cache-Control` of files of listed media.
    pub file_cache_control: String,
    /// `Cache-Control` of files of unlisted media.
    pub unlisted_file_cache_control: String,
    /// The key rendition URLs are signed with ([`crate::rendition`]);
    /// without one they answer `renditions_unavailable`.
    pub signing_key: Option<SigningKey>,
}

impl Default for ServiceConfig {
    fn default() -> Self {
        Self {
            limits: Limits::default(),
            presets: default_presets(),
            encode: EncodeSettings {
                format: None,
                quality: DEFAULT_QUALITY,
            },
            retention_ms: DEFAULT_RETENTION_MS,
            uploads_enabled: true,
            static_admin_token_hash: None,
            file_cache_control: DEFAULT_FILE_CACHE_CONTROL.to_owned(),
            unlisted_file_cache_control: DEFAULT_UNLISTED_FILE_CACHE_CONTROL.to_owned(),
            signing_key: None,
        }
    }
}
