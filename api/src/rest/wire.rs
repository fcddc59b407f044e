//! Wire shapes of the canonical REST dialect (`/api/v1/...`). Field names
//! follow the REST seed; mediakit's additions come after them.

use mediakit_core::MediaKind;
use mediakit_core::config::ServiceConfig;
use mediakit_core::metadata::MAX_ALT_TEXT_CHARS;
use mediakit_core::model::{Media, TokenRecord, Variant};
use mediakit_core::time::to_rfc3339;
use serde::{Deserialize, Serialize};

/// `MediaResponse` of the seed, plus variants and the other metadata.
/// Listings return the same shape (a superset of the seed's summary).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MediaResponse {
    pub id: String,
    pub filename: String,
    pub original_filename: String,
    pub mime_type: String,
    pub size: u64,
    pub path: String,
    pub alt_text: Option<String>,
    pub uploaded_by: Option<String>,
    pub created_at: String,
    pub updated_at: Option<String>,
    // --- mediakit additions ---
    /// Numeric id (used by the CMS dialect).
    pub number: i64,
    pub name: String,
    pub tags: Vec<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub sha256: String,
    pub unlisted: bool,
    pub deleted_at: Option<String>,
    pub variants: Vec<VariantResponse>,
    /// A ThumbHash (base64) to draw while the image loads; `null` for
    /// media without pixels.
    pub placeholder: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantResponse {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub mime_type: String,
    pub size: u64,
    pub path: String,
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
        }
    }
}

/// `PATCH /api/v1/media/{id}`. Absent fields are left as they are; `null`
/// alt text clears it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaPatchRequest {
    #[serde(default, deserialize_with = "double_option")]
    pub alt_text: Option<Option<String>>,
    pub name: Option<String>,
    pub tags: Option<Vec<String>>,
    pub unlisted: Option<bool>,
}

/// Distinguishes an absent field (`None`) from `null` (`Some(None)`).
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /api/v1/tokens`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTokenRequest {
    pub scopes: Vec<String>,
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenResponse {
    pub id: String,
    pub label: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
    /// Present only in the response that created the token.
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LimitsResponse {
    pub max_upload_bytes: u64,
    pub max_pixels: u64,
    /// The memory budget for processing one image (bytes), `null` when
    /// unlimited (see core's `image::processing_memory`).
    pub max_processing_memory_bytes: Option<u64>,
    pub max_alt_text_chars: usize,
    pub accepted_types: Vec<String>,
    pub variant_presets: Vec<PresetResponse>,
    pub uploads_enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        }
    }
}
