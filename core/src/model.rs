//! The domain model: media items, their variants, API tokens, listing queries.

use serde::{Deserialize, Serialize};

use crate::MediaKind;
use crate::time::Millis;

/// One stored media item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    /// UUIDv7, the canonical id.
    pub id: String,
    /// The id whose keys (`media/{blob_id}/…`) hold the files: the row's
    /// own for an upload stored as new, its twin's for an upload of bytes
    /// already stored (dedup). File URLs keep `id`; only keys use this.
    pub blob_id: String,
    /// Numeric id (the CMS dialect's), assigned by the catalog on insert;
    /// 0 before that.
    pub seq: i64,
    /// The sanitised filename the client sent.
    pub original_filename: String,
    /// The public name of the original: `{id}.{ext}`.
    pub stored_filename: String,
    pub kind: MediaKind,
    pub mime_type: String,
    pub extension: String,
    /// Bytes of the stored original (after metadata stripping).
    pub size: u64,
    /// Display dimensions (EXIF orientation applied); images only.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Hex SHA-256 of the stored original.
    pub sha256: String,
    pub name: String,
    pub tags: Vec<String>,
    pub alt_text: Option<String>,
    /// Id of the token that uploaded it.
    pub uploaded_by: Option<String>,
    /// Free text credit line (the RPC dialect's `author_credit_subtext`).
    pub credit: Option<String>,
    pub created_at: Millis,
    pub updated_at: Option<Millis>,
    pub deleted_at: Option<Millis>,
    pub unlisted_at: Option<Millis>,
    pub variants: Vec<Variant>,
    /// A ThumbHash of an image (base64), for a page to draw while the
    /// image loads; `None` for media without pixels.
    pub placeholder: Option<String>,
    /// What `cover` renditions keep in frame; without one they use the
    /// image's most salient region. Images only.
    pub focal_point: Option<FocalPoint>,
}

/// A point of the displayed image as fractions of its width and height,
/// kept in ten-thousandths (0..=10000) so that a row compares exactly and
/// stores as text without rounding surprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub x: u16,
    pub y: u16,
}

impl FocalPoint {
    const SCALE: f64 = 10_000.0;

    /// `x` and `y` from 0 (left, top) to 1 (right, bottom).
    pub fn from_fractions(x: f64, y: f64) -> crate::Result<Self> {
        let part = |v: f64| {
            (v.is_finite() && (0.0..=1.0).contains(&v)).then(|| (v * Self::SCALE).round() as u16)
        };
        match (part(x), part(y)) {
            (Some(x), Some(y)) => Ok(Self { x, y }),
            _ => Err(crate::Error::invalid(
                "focal_point x and y must be numbers from 0 to 1",
            )),
        }
    }

    pub fn fractions(self) -> (f64, f64) {
        (
            f64::from(self.x) / Self::SCALE,
            f64::from(self.y) / Self::SCALE,
        )
    }

    /// `x,y` in ten-thousandths: the catalog column and the rendition
    /// spec's spelling.
    pub fn to_text(self, separator: char) -> String {
        format!("{}{separator}{}", self.x, self.y)
    }

    pub fn parse_text(text: &str, separator: char) -> Option<Self> {
        let (x, y) = text.split_once(separator)?;
        let part = |v: &str| v.parse::<u16>().ok().filter(|&v| v <= 10_000);
        let point = Self {
            x: part(x)?,
            y: part(y)?,
        };
        // One spelling: no leading zeros or signs.
        (point.to_text(separator) == text).then_some(point)
    }
}

impl Media {
    pub fn is_deleted(&self) -> bool {
        self.deleted_at.is_some()
    }

    pub fn is_unlisted(&self) -> bool {
        self.unlisted_at.is_some()
    }

    /// Blob key of the original.
    pub fn original_key(&self) -> String {
        original_key(&self.blob_id, &self.extension)
    }

    /// Every blob key this item's files are at (shared with its twins,
    /// see [`Self::blob_id`]).
    pub fn blob_keys(&self) -> Vec<String> {
        std::iter::once(self.original_key())
            .chain(self.variants.iter().map(|v| v.key.clone()))
            .collect()
    }

    /// Bytes of storage this item uses: its original and variants.
    pub fn stored_bytes(&self) -> u64 {
        self.size + self.variants.iter().map(|v| v.size).sum::<u64>()
    }

    /// Public path of the original, relative to the site root (no leading
    /// slash, as the REST dialect's `path` field).
    pub fn public_path(&self) -> String {
        format!("uploads/media/{}", self.stored_filename)
    }

    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }
}

/// A resized rendition of an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    /// Preset name, e.g. `thumb`.
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub mime_type: String,
    pub size: u64,
    /// Blob key: `media/{blob_id}/{name}.{ext}`.
    pub key: String,
    pub sha256: String,
}

impl Variant {
    pub fn extension(&self) -> &str {
        self.key.rsplit('.').next().unwrap_or("")
    }

    /// Public path relative to the site root.
    pub fn public_path(&self, media_id: &str) -> String {
        format!(
            "uploads/media/{media_id}/{}.{}",
            self.name,
            self.extension()
        )
    }
}

/// All blobs of a set of files live under `media/{blob_id}/`, so one
/// prefix lists them.
pub fn media_prefix(blob_id: &str) -> String {
    format!("media/{blob_id}/")
}

pub fn original_key(blob_id: &str, ext: &str) -> String {
    format!("media/{blob_id}/original.{ext}")
}

pub fn variant_key(blob_id: &str, name: &str, ext: &str) -> String {
    format!("media/{blob_id}/{name}.{ext}")
}

/// The marker a purge writes before it deletes the files under `blob_id`
/// (see `service::shared_blobs`). No extension, so no file has this key.
pub fn purge_marker_key(blob_id: &str) -> String {
    format!("media/{blob_id}/purging")
}

/// The metadata fields a client may change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaPatch {
    pub name: Option<String>,
    pub tags: Option<Vec<String>>,
    /// `Some(None)` clears the alt text.
    pub alt_text: Option<Option<String>>,
    pub credit: Option<Option<String>>,
    /// Rename the original filename.
    pub original_filename: Option<String>,
    /// Rename keeping the current extension (the RPC dialect's `filename`,
    /// which it shows without extension).
    pub filename_stem: Option<String>,
    pub unlisted: Option<bool>,
    /// `Some(None)` clears it.
    pub focal_point: Option<Option<FocalPoint>>,
}

/// The new values of the editable fields, written by the catalog in one
/// update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetadataUpdate {
    pub name: String,
    pub tags: Vec<String>,
    pub alt_text: Option<String>,
    pub credit: Option<String>,
    pub original_filename: String,
    pub focal_point: Option<FocalPoint>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Newest,
    Oldest,
}

impl SortOrder {
    /// Every order, for documentation (the API's OpenAPI description).
    pub const ALL: [SortOrder; 2] = [SortOrder::Newest, SortOrder::Oldest];

    /// The wire name, as serde reads and writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
        }
    }
}

/// Which lifecycle state a listing shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Visibility {
    /// Live and listed: what every public listing shows.
    #[default]
    Listed,
    /// Live, listed or not (an owner's view).
    Live,
    /// Soft-deleted items only (the trash).
    Deleted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub offset: u64,
    pub limit: u64,
    pub order: SortOrder,
    /// Case-insensitive substring over name, original filename, tags and
    /// alt text.
    pub search: Option<String>,
    /// Exact tag (case-insensitive).
    pub tag: Option<String>,
    pub images_only: bool,
    pub visibility: Visibility,
}

/// The most items one listing page returns, whatever `limit` asks for:
/// every dialect's listing is capped, so one request never reads the whole
/// catalog.
pub const MAX_PAGE: u64 = 1000;

/// The page size of a REST listing without `limit`. The RPC and CMS
/// dialects, whose seeds return everything by default, default to
/// [`MAX_PAGE`] (see [`page_size`]).
pub const DEFAULT_PAGE: u64 = 100;

/// The page size a listing returns: the requested `limit`, else the
/// dialect's `default`, never more than [`MAX_PAGE`].
pub fn page_size(limit: Option<u64>, default: u64) -> u64 {
    limit.unwrap_or(default).min(MAX_PAGE)
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: DEFAULT_PAGE,
            order: SortOrder::Newest,
            search: None,
            tag: None,
            images_only: false,
            visibility: Visibility::Listed,
        }
    }
}

/// One page of a listing plus the number of matches over all pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
}

/// A stored API token. The secret itself is never stored: only its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    pub id: String,
    /// Hex SHA-256 of the secret.
    pub hash: String,
    pub label: String,
    pub scopes: Vec<String>,
    pub created_at: Millis,
    pub revoked_at: Option<Millis>,
}

/// A batch upload's record (the RPC dialect's `task_ID`): what happened to
/// each file, readable afterwards.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    pub id: String,
    pub created_at: Millis,
    /// The token that started it.
    pub created_by: Option<String>,
    pub items: Vec<TaskItem>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskItem {
    pub original_filename: String,
    pub state: TaskState,
    /// Set when the file was stored.
    pub media_id: Option<String>,
    /// Set when it was refused: the stable error code and message.
    pub error_code: Option<String>,
    pub error_message: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TaskState {
    Pending,
    Done,
    Failed,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_orders_are_named_as_serde_names_them() {
        for order in SortOrder::ALL {
            let json = serde_json::to_string(&order).unwrap();
            assert_eq!(json, format!("\"{}\"", order.as_str()));
        }
    }
}
