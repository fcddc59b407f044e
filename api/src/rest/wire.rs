//! Wire shapes of the canonical REST dialect (`/api/v1/...`). Field names
//! follow the REST seed; mediakit's additions come after them. Each derives
//! `ToSchema`: these types are the OpenAPI document's schemas (see
//! `rest::openapi`), their doc comments its descriptions.

use mediakit_core::MediaKind;
use mediakit_core::config::ServiceConfig;
use mediakit_core::metadata::MAX_ALT_TEXT_CHARS;
use mediakit_core::model::{FocalPoint, Media, TokenRecord, Variant};
use mediakit_core::rendition::OutputFormat;
use mediakit_core::service::{SignedRendition, variant_formats};
use mediakit_core::time::to_rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `MediaResponse` of the seed, plus variants and the other metadata.
/// Listings return the same shape (a superset of the seed's summary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = Media)]
pub struct MediaResponse {
    /// A UUIDv7 (time-ordered).
    #[schema(format = "uuid")]
    pub id: String,
    /// The stored original's file name: `{id}.{ext}`.
    pub filename: String,
    /// The name the file was uploaded with.
    pub original_filename: String,
    /// The stored type, decided by the file's bytes.
    pub mime_type: String,
    /// Bytes of the stored original (private metadata removed).
    pub size: u64,
    /// The original's public URL path (no leading slash, no token needed).
    pub path: String,
    // Optional values are always there, as `null` when unset: `required`
    // tells clients so.
    #[schema(required = true)]
    pub alt_text: Option<String>,
    /// The id of the token that uploaded it.
    #[schema(required = true)]
    pub uploaded_by: Option<String>,
    /// RFC 3339 UTC, millisecond precision.
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime, required = true)]
    pub updated_at: Option<String>,
    // --- mediakit additions ---
    /// Numeric id (used by the CMS dialect).
    pub number: i64,
    pub name: String,
    pub tags: Vec<String>,
    /// Display size (EXIF orientation applied); `null` for PDF and video.
    #[schema(required = true)]
    pub width: Option<u32>,
    #[schema(required = true)]
    pub height: Option<u32>,
    /// SHA-256 of the stored original, hex (also the files' `ETag`).
    pub sha256: String,
    /// Left out of listings, still readable by id and served by URL.
    pub unlisted: bool,
    /// When it was soft-deleted; `null` while it is live.
    #[schema(format = DateTime, required = true)]
    pub deleted_at: Option<String>,
    /// Resized copies, those smaller than the original.
    pub variants: Vec<VariantResponse>,
    /// A ThumbHash (base64) to draw while the image loads; `null` for
    /// media without pixels.
    #[schema(required = true)]
    pub placeholder: Option<String>,
    /// What `cover` renditions keep in frame (`PATCH` sets it); `null`:
    /// the image's most salient region.
    #[schema(required = true)]
    pub focal_point: Option<FocalPointWire>,
}

/// A point of the displayed image: `x` from 0 (left) to 1 (right), `y`
/// from 0 (top) to 1 (bottom).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = FocalPoint)]
pub struct FocalPointWire {
    #[schema(minimum = 0, maximum = 1)]
    pub x: f64,
    #[schema(minimum = 0, maximum = 1)]
    pub y: f64,
}

impl From<FocalPoint> for FocalPointWire {
    fn from(f: FocalPoint) -> Self {
        let (x, y) = f.fractions();
        Self { x, y }
    }
}

impl FocalPointWire {
    /// Checked by core's one rule (0 to 1).
    pub fn to_model(self) -> Result<FocalPoint, mediakit_core::Error> {
        FocalPoint::from_fractions(self.x, self.y)
    }
}

/// A resized copy of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Variant)]
pub struct VariantResponse {
    /// The preset's name (`thumb`, `small`, `medium`, `large`).
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub mime_type: String,
    pub size: u64,
    /// Its public URL path: `uploads/media/{id}/{name}.{ext}`.
    pub path: String,
    /// The extensions it is served in: the stored one, then WebP and,
    /// natively, AVIF (made on first request). Without an extension
    /// (`uploads/media/{id}/{name}`) the best one `Accept` takes is sent.
    pub formats: Vec<String>,
}

impl VariantResponse {
    pub fn new(media_id: &str, v: &Variant) -> Self {
        Self {
            name: v.name.clone(),
            width: v.width,
            height: v.height,
            mime_type: v.mime_type.clone(),
            size: v.size,
            path: v.public_path(media_id),
            formats: variant_formats(v.extension())
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }
}

impl From<&Media> for MediaResponse {
    fn from(m: &Media) -> Self {
        Self {
            id: m.id.clone(),
            filename: m.stored_filename.clone(),
            original_filename: m.original_filename.clone(),
            mime_type: m.mime_type.clone(),
            size: m.size,
            path: m.public_path(),
            alt_text: m.alt_text.clone(),
            uploaded_by: m.uploaded_by.clone(),
            created_at: to_rfc3339(m.created_at),
            updated_at: m.updated_at.map(to_rfc3339),
            number: m.seq,
            name: m.name.clone(),
            tags: m.tags.clone(),
            width: m.width,
            height: m.height,
            sha256: m.sha256.clone(),
            unlisted: m.is_unlisted(),
            deleted_at: m.deleted_at.map(to_rfc3339),
            variants: m
                .variants
                .iter()
                .map(|v| VariantResponse::new(&m.id, v))
                .collect(),
            placeholder: m.placeholder.clone(),
            focal_point: m.focal_point.map(FocalPointWire::from),
        }
    }
}

/// `POST /api/v1/media/upload`'s `multipart/form-data` body, for the
/// OpenAPI document only: the handler reads the fields one by one as they
/// stream in (`rest::upload`), so this type is never built. Fields other
/// than these are read and ignored (browsers add their own).
#[derive(ToSchema)]
#[schema(as = UploadForm)]
#[allow(dead_code)]
pub struct UploadForm {
    /// The file, one per request. Its type is decided by its bytes (JPEG,
    /// PNG, GIF, WebP, SVG, PDF, MP4 or WebM), not by its name or declared
    /// type. Its part's filename is kept as `original_filename`.
    #[schema(value_type = String, format = Binary, content_media_type = "application/octet-stream")]
    pub file: Vec<u8>,
    /// The display name (default: the filename without extension); 1 to
    /// 255 characters.
    pub name: Option<String>,
    /// At most 255 characters.
    pub alt_text: Option<String>,
    /// Comma-separated; the field may be repeated. At most 32 tags, each
    /// at most 64 characters. (One string per field rather than an array:
    /// a form's field is text, whatever the array encoding.)
    pub tags: Option<String>,
    /// `true`: left out of listings. Any other value than these spellings
    /// is refused.
    #[schema(schema_with = super::upload::flag_schema)]
    pub unlisted: Option<bool>,
}

/// `PATCH /api/v1/media/{id}`. Absent fields (and `null` ones, except alt
/// text) are left as they are; unknown fields are refused.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = MediaPatch)]
pub struct MediaPatchRequest {
    /// At most 255 characters; `null` or blank clears it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub alt_text: Option<Option<String>>,
    /// 1 to 255 characters (after trimming).
    pub name: Option<String>,
    /// Replaces the tags: at most 32, each at most 64 characters.
    pub tags: Option<Vec<String>>,
    pub unlisted: Option<bool>,
    /// What `cover` renditions keep in frame (images only); `null` clears
    /// it. Rendition URLs signed before keep the focus they were signed
    /// with.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<FocalPointWire>)]
    pub focal_point: Option<Option<FocalPointWire>>,
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /api/v1/media/{id}/url`. At least one of `width` and `height`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = RenditionUrl)]
pub struct RenditionUrlRequest {
    /// 1 to 4096 pixels.
    #[schema(minimum = 1, maximum = 4096)]
    pub width: Option<u32>,
    /// 1 to 4096 pixels.
    #[schema(minimum = 1, maximum = 4096)]
    pub height: Option<u32>,
    /// `contain` (the default: the whole image inside the box), `cover`
    /// (the box filled, cropped around the image's most salient region) or
    /// `fill` (stretched to the box). With one side given, always `contain`.
    #[schema(value_type = Option<String>, pattern = "^(contain|cover|fill)$")]
    pub fit: Option<String>,
    /// `auto` (the default: AVIF or WebP for browsers that take them, as
    /// `negotiated_formats` of `/api/v1/limits` says, else JPEG, or PNG for
    /// images with transparency), `jpeg`, `png`, `webp` or (natively)
    /// `avif`.
    #[schema(value_type = Option<String>, pattern = "^(auto|jpeg|jpg|png|webp|avif)$")]
    pub format: Option<String>,
    /// 1 to 100 (JPEG and lossy WebP); the server's variant quality by
    /// default.
    #[schema(minimum = 1, maximum = 100)]
    pub quality: Option<u8>,
    /// Allow an output larger than the image.
    #[serde(default)]
    pub upscale: bool,
}

/// A signed rendition URL.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SignedRenditionUrl)]
pub struct RenditionUrlResponse {
    /// Relative to the site root, like every `path`:
    /// `uploads/media/{id}/r/{signature}/{file}`.
    pub path: String,
    pub signature: String,
    /// The spec (`w640_h480_cover_q80`) and, unless the format is `auto`,
    /// its extension.
    pub file: String,
    /// The size the file will have.
    pub width: u32,
    pub height: u32,
    /// `jpg`, `png`, `webp`, `avif`, or `auto` (chosen per request by
    /// `Accept`).
    pub format: String,
}

impl From<SignedRendition> for RenditionUrlResponse {
    fn from(s: SignedRendition) -> Self {
        Self {
            signature: s.signature,
            file: s.file,
            width: s.width,
            height: s.height,
            format: s.format.map_or("auto", |f| f.extension()).to_owned(),
            path: s.path,
        }
    }
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = CreateToken)]
pub struct CreateTokenRequest {
    /// At least one scope name (the CMS dialect's permission names, e.g.
    /// `view-media`, are accepted too); an unknown name is refused.
    #[schema(value_type = Vec<crate::rest::openapi::ScopeName>, min_items = 1)]
    pub scopes: Vec<String>,
    /// At most 100 characters (after trimming), no control characters.
    #[serde(default)]
    pub label: String,
}

/// An API token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Token)]
pub struct TokenResponse {
    #[schema(format = "uuid")]
    pub id: String,
    pub label: String,
    #[schema(value_type = Vec<crate::rest::openapi::ScopeName>)]
    pub scopes: Vec<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime, required = true)]
    pub revoked_at: Option<String>,
    /// The secret (`mk_…`), present only in the response that created the
    /// token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

impl From<&TokenRecord> for TokenResponse {
    fn from(t: &TokenRecord) -> Self {
        Self {
            id: t.id.clone(),
            label: t.label.clone(),
            scopes: t.scopes.clone(),
            created_at: to_rfc3339(t.created_at),
            revoked_at: t.revoked_at.map(to_rfc3339),
            token: None,
        }
    }
}

/// `GET /api/v1/limits`: what this instance accepts, so that clients (the
/// web demo among them) can refuse a file before sending it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = Limits)]
pub struct LimitsResponse {
    /// The largest file accepted (bytes).
    pub max_upload_bytes: u64,
    /// The most pixels an image may declare.
    pub max_pixels: u64,
    /// The memory budget for processing one image (bytes), `null` when
    /// unlimited (see core's `image::processing_memory`).
    #[schema(required = true)]
    pub max_processing_memory_bytes: Option<u64>,
    pub max_alt_text_chars: usize,
    /// MIME types, decided by a file's bytes.
    pub accepted_types: Vec<String>,
    pub variant_presets: Vec<PresetResponse>,
    /// `false` on a read-only instance (`--no-uploads`).
    pub uploads_enabled: bool,
    /// What a variant URL without extension (and an `auto` rendition) may
    /// be sent as, best first, by the client's `Accept`: `avif`, `webp`
    /// natively; none on the edge, whose WebP is lossless (larger than
    /// JPEG for photos), so it sends the stored format.
    pub negotiated_formats: Vec<String>,
}

/// A variant preset: images larger than `max_side` (longest side) get a
/// variant of this name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(as = VariantPreset)]
pub struct PresetResponse {
    pub name: String,
    pub max_side: u32,
}

impl From<&ServiceConfig> for LimitsResponse {
    fn from(c: &ServiceConfig) -> Self {
        Self {
            max_upload_bytes: c.limits.max_upload_bytes,
            max_pixels: c.limits.max_pixels,
            max_processing_memory_bytes: Some(c.limits.max_processing_memory)
                .filter(|&m| m != u64::MAX),
            max_alt_text_chars: MAX_ALT_TEXT_CHARS,
            accepted_types: MediaKind::ALL
                .iter()
                .map(|k| k.mime_type().to_owned())
                .collect(),
            variant_presets: c
                .presets
                .iter()
                .map(|p| PresetResponse {
                    name: p.name.clone(),
                    max_side: p.max_side,
                })
                .collect(),
            uploads_enabled: c.uploads_enabled,
            negotiated_formats: OutputFormat::NEGOTIABLE
                .iter()
                .map(|f| f.extension().to_owned())
                .collect(),
        }
    }
}
