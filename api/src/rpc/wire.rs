//! Wire shapes of the RPC dialect (seed 000) for its media: instance ids
//! and URLs, `fetch_media`'s metadata, `update_media_metadata`'s echo.
//! Field names, including the seed's spellings (`file_extention`), are part
//! of the contract: clients match on them. The upload and task shapes are
//! beside their handlers (`upload.rs`), the error body in `error.rs`.

use mediakit_core::ids;
use mediakit_core::metadata;
use mediakit_core::model::Media;
use mediakit_core::time::to_epoch_seconds;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The instance id of an item's original file.
pub const ORIGINAL_INSTANCE: &str = "original";

/// An instance id names one stored file of one item: `{media_id}-{name}`,
/// where `name` is `original` or a variant preset (`thumb`, `small`…).
/// `fetch_media_instance` receives nothing but this id, so it must carry
/// the media id; media ids are UUIDs (36 characters), so the split is
/// unambiguous.
pub fn instance_id(media_id: &str, variant: Option<&str>) -> String {
    format!("{media_id}-{}", variant.unwrap_or(ORIGINAL_INSTANCE))
}

/// One stored file of one item, as named by an instance id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRef {
    /// The normalised media id.
    pub media_id: String,
    /// `None` for the original.
    pub variant: Option<String>,
}

/// Parses an instance id; `None` for anything that is not one (clients then
/// get the same 404 as for an unknown id).
pub fn parse_instance_id(s: &str) -> Option<InstanceRef> {
    let media_id = ids::parse_uuid(s.get(..36)?)?;
    let name = s.get(36..)?.strip_prefix('-')?;
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    Some(InstanceRef {
        media_id,
        variant: (name != ORIGINAL_INSTANCE).then(|| name.to_owned()),
    })
}

/// What `fetch_media_instance` accepts: an instance id, or (as the seed's
/// own example passes) a bare media id, which names the original. File
/// URLs take instance ids only, so that each file keeps one URL.
pub fn parse_instance_param(s: &str) -> Option<InstanceRef> {
    parse_instance_id(s).or_else(|| {
        Some(InstanceRef {
            media_id: ids::parse_uuid(s)?,
            variant: None,
        })
    })
}

/// `POST /media/fetch_media`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchMediaResponse {
    pub instances: Vec<Instance>,
    pub metadata: Metadata,
}

/// One stored file: the original or a variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Instance {
    pub instance_id: String,
    pub parent_id: String,
    pub url: String,
    /// Pixel size; `null` for files without one (PDF, video).
    pub x_dimension: Option<u32>,
    pub y_dimension: Option<u32>,
}

/// The path of an instance's file, below the site root.
pub fn instance_path(media_id: &str, instance_id: &str, ext: &str) -> String {
    format!("/volume/media/files/{media_id}/{instance_id}.{ext}")
}

/// Every stored file of an item, original first, with absolute URLs built
/// on `origin` (`http://host:port`, no trailing slash; empty gives paths).
pub fn instances(media: &Media, origin: &str) -> Vec<Instance> {
    let original = {
        let id = instance_id(&media.id, None);
        Instance {
            url: format!(
                "{origin}{}",
                instance_path(&media.id, &id, &media.extension)
            ),
            instance_id: id,
            parent_id: media.id.clone(),
            x_dimension: media.width,
            y_dimension: media.height,
        }
    };
    std::iter::once(original)
        .chain(media.variants.iter().map(|v| {
            let id = instance_id(&media.id, Some(&v.name));
            Instance {
                url: format!("{origin}{}", instance_path(&media.id, &id, v.extension())),
                instance_id: id,
                parent_id: media.id.clone(),
                x_dimension: Some(v.width),
                y_dimension: Some(v.height),
            }
        }))
        .collect()
}

/// An item's metadata in the seed's names, plus the fields this dialect
/// can edit (`alt_text`, `author_credit_subtext`, `is_unlisted`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Metadata {
    /// The top-level type: `image`, `video` or `application`.
    pub content_type: String,
    /// Seconds since the epoch, with millisecond fraction.
    pub creation_time: f64,
    /// Seconds since the epoch; the integer 0 when not deleted, as the
    /// seed shows it.
    #[serde(serialize_with = "zero_as_integer")]
    pub deletion_time: f64,
    pub file_extention: String,
    pub file_mimetype: String,
    /// The original filename without its extension.
    pub filename: String,
    pub id: String,
    pub is_deleted: bool,
    pub is_unlisted: bool,
    /// The id of the token that uploaded it.
    pub uploader_user_id: Option<String>,
    pub alt_text: Option<String>,
    pub author_credit_subtext: Option<String>,
    /// mediakit's addition: a ThumbHash (base64) to draw while the image
    /// loads; `null` for media without pixels.
    pub placeholder: Option<String>,
}

/// Writes `0` rather than `0.0`; other times as floats.
fn zero_as_integer<S: serde::Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if *v == 0.0 {
        s.serialize_u64(0)
    } else {
        s.serialize_f64(*v)
    }
}

impl From<&Media> for Metadata {
    fn from(m: &Media) -> Self {
        Self {
            content_type: m.mime_type.split('/').next().unwrap_or_default().to_owned(),
            creation_time: to_epoch_seconds(m.created_at),
            deletion_time: m.deleted_at.map_or(0.0, to_epoch_seconds),
            file_extention: m.extension.clone(),
            file_mimetype: m.mime_type.clone(),
            filename: metadata::stem(&m.original_filename).to_owned(),
            id: m.id.clone(),
            is_deleted: m.is_deleted(),
            is_unlisted: m.is_unlisted(),
            uploader_user_id: m.uploaded_by.clone(),
            alt_text: m.alt_text.clone(),
            author_credit_subtext: m.credit.clone(),
            placeholder: m.placeholder.clone(),
        }
    }
}

/// The parameters `/update_media_metadata` accepts (besides `media_ID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataField {
    AltText,
    Filename,
    AuthorCreditSubtext,
    IsUnlisted,
    IsDeleted,
}

impl MetadataField {
    pub const ALL: [MetadataField; 5] = [
        Self::AltText,
        Self::Filename,
        Self::AuthorCreditSubtext,
        Self::IsUnlisted,
        Self::IsDeleted,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AltText => "alt_text",
            Self::Filename => "filename",
            Self::AuthorCreditSubtext => "author_credit_subtext",
            Self::IsUnlisted => "is_unlisted",
            Self::IsDeleted => "is_deleted",
        }
    }

    /// The field's value as stored now, in the shape `fetch_media` shows.
    pub fn stored_value(self, media: &Media) -> Value {
        let m = Metadata::from(media);
        match self {
            Self::AltText => m.alt_text.map_or(Value::Null, Value::String),
            Self::Filename => Value::String(m.filename),
            Self::AuthorCreditSubtext => m.author_credit_subtext.map_or(Value::Null, Value::String),
            Self::IsUnlisted => Value::Bool(m.is_unlisted),
            Self::IsDeleted => Value::Bool(m.is_deleted),
        }
    }
}

/// `POST /update_media_metadata` → `{"new_metadata": {...}, "success": 1}`:
/// each requested field with the value now stored (after trimming and
/// validation), never the raw input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateResponse {
    pub new_metadata: Map<String, Value>,
    pub success: u8,
}

impl UpdateResponse {
    pub fn new(media: &Media, fields: &[MetadataField]) -> Self {
        Self {
            new_metadata: fields
                .iter()
                .map(|f| (f.as_str().to_owned(), f.stored_value(media)))
                .collect(),
            success: 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mediakit_core::conformance::catalog::sample_media;

    /// A JPEG with a square thumbnail, uploaded at the seed's example time.
    fn media() -> Media {
        let mut m = Media {
            original_filename: "upload_image.jpg".into(),
            uploaded_by: Some("tok".into()),
            created_at: 1_726_829_477_547,
            ..sample_media(3)
        };
        m.variants[0].height = 256;
        m
    }

    #[test]
    fn instance_ids_round_trip_and_reject_junk() {
        let m = media();
        let orig = instance_id(&m.id, None);
        assert_eq!(
            parse_instance_id(&orig),
            Some(InstanceRef {
                media_id: m.id.clone(),
                variant: None
            })
        );
        let thumb = format!("{}-thumb", m.id.to_uppercase());
        assert_eq!(
            parse_instance_id(&thumb),
            Some(InstanceRef {
                media_id: m.id.clone(),
                variant: Some("thumb".into())
            }),
            "the media id part is normalised"
        );
        for junk in [
            "",
            "original",
            &m.id,
            &format!("{}-", m.id),
            &format!("{}_thumb", m.id),
            &format!("{}-../x", m.id),
            "1726829477543921-De1ySZKWvQEN",
        ] {
            assert_eq!(parse_instance_id(junk), None, "{junk:?}");
        }
    }

    #[test]
    fn a_bare_media_id_names_the_original() {
        let m = media();
        assert_eq!(
            parse_instance_param(&m.id),
            Some(InstanceRef {
                media_id: m.id.clone(),
                variant: None
            })
        );
        assert_eq!(parse_instance_id(&m.id), None, "not in file URLs");
        assert_eq!(parse_instance_param("1726829477543921-De1ySZKWvQEN"), None);
    }

    #[test]
    fn metadata_uses_the_seed_names_and_units() {
        let mut m = media();
        let v = serde_json::to_value(Metadata::from(&m)).unwrap();
        assert_eq!(v["content_type"], "image");
        assert_eq!(v["creation_time"], 1_726_829_477.547);
        assert!(v["deletion_time"].is_u64(), "0, not 0.0");
        assert_eq!(v["deletion_time"], 0);
        assert_eq!(v["file_extention"], "jpg");
        assert_eq!(v["file_mimetype"], "image/jpeg");
        assert_eq!(v["filename"], "upload_image");
        assert_eq!(v["is_deleted"], false);
        assert_eq!(v["uploader_user_id"], "tok");
        m.deleted_at = Some(1_726_829_480_000);
        let v = serde_json::to_value(Metadata::from(&m)).unwrap();
        assert_eq!(v["deletion_time"], 1_726_829_480.0);
        assert_eq!(v["is_deleted"], true);
    }

    #[test]
    fn instances_list_the_original_then_variants_with_absolute_urls() {
        let m = media();
        let list = instances(&m, "http://localhost:8080");
        assert_eq!(list.len(), 2);
        assert_eq!(
            list[0].url,
            format!(
                "http://localhost:8080/volume/media/files/{0}/{0}-original.jpg",
                m.id
            )
        );
        assert_eq!(list[1].instance_id, format!("{}-thumb", m.id));
        assert_eq!(
            (list[1].x_dimension, list[1].y_dimension),
            (Some(256), Some(256))
        );
        assert!(list.iter().all(|i| i.parent_id == m.id));
    }
}
