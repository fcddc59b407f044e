//! Wire shapes of the CMS dialect (seed 001): `GET /media`,
//! `POST /media/edit/:id`, `POST /media/add`, `DELETE /media/delete/:id`.
//! Bodies are `{"data": …, "code": <HTTP status>}`; ids are the numeric
//! ones (`Media::seq`).

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use mediakit_core::model::{Media, SortOrder};
use mediakit_core::time::to_rfc3339;
use mediakit_core::{Error, Result};
use serde::{Deserialize, Serialize};

pub const MISSING: &str = "Required parameters missing";
pub const NOT_FOUND: &str = "Media not found";
pub const UPDATED: &str = "Media updated successfully";
pub const ADDED: &str = "Media added successfully";
pub const DELETED: &str = "Media deleted successfully";
pub const UPDATE_FAILED: &str = "Error updating media";
pub const ADD_FAILED: &str = "Error adding media";
pub const DELETE_FAILED: &str = "Error deleting media";
pub const LIST_FAILED: &str = "Error listing media";

/// The seed's required-parameter error, with the stable code of every other
/// malformed request.
pub fn missing() -> Error {
    Error::invalid(MISSING)
}

/// A success body: `{"data": "Media updated successfully", "code": 200}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub data: String,
    pub code: u16,
    /// The new item's numeric id, on `POST /media/add` only (mediakit's
    /// addition, so that a client can edit what it just added).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
}

impl Message {
    pub fn ok(data: &str) -> Self {
        Self {
            data: data.to_owned(),
            code: 200,
            id: None,
        }
    }
}

/// One item of `GET /media`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CmsMedia {
    pub id: i64,
    pub name: String,
    /// Path of the original below the site root, e.g.
    /// `/uploads/media/{uuid}.jpg` (public, no token needed).
    pub path: String,
    /// Upload time, RFC 3339 UTC with milliseconds.
    pub timestamp: String,
    pub tags: Vec<String>,
}

impl From<&Media> for CmsMedia {
    fn from(m: &Media) -> Self {
        Self {
            id: m.seq,
            name: m.name.clone(),
            path: format!("/{}", m.public_path()),
            timestamp: to_rfc3339(m.created_at),
            tags: m.tags.clone(),
        }
    }
}

/// `GET /media`: one window of the listing.
///
/// - `max`: how many items match over all pages;
/// - `from`: the 1-based position of the first item returned (`offset + 1`);
/// - `to`: the 1-based position of the last item returned
///   (`offset + media.len()`), so `to - from + 1` items came back and an
///   empty window has `to = from - 1`. More pages follow while `to < max`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListResponse {
    pub media: Vec<CmsMedia>,
    pub max: u64,
    pub from: u64,
    pub to: u64,
}

impl ListResponse {
    pub fn new(items: &[Media], offset: u64, total: u64) -> Self {
        Self {
            media: items.iter().map(CmsMedia::from).collect(),
            max: total,
            from: offset.saturating_add(1),
            to: offset.saturating_add(items.len() as u64),
        }
    }
}

/// The query of `GET /media`. Unknown parameters are refused, as in every
/// listing: a misspelt `serach` must not return everything.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListParams {
    /// `added-desc` (default) or `added-asc`.
    pub order: Option<String>,
    /// Default and most: `service::MAX_PAGE` items.
    pub limit: Option<u64>,
    #[serde(default)]
    pub offset: u64,
    /// Case-insensitive substring of the name or a tag (and, as everywhere
    /// in mediakit, of the original filename or alt text).
    pub search: Option<String>,
}

/// The `order` values of `GET /media`.
pub fn parse_order(s: &str) -> Result<SortOrder> {
    match s {
        "added-desc" => Ok(SortOrder::Newest),
        "added-asc" => Ok(SortOrder::Oldest),
        _ => Err(Error::invalid(format!(
            "order must be added-asc or added-desc, not `{s}`"
        ))),
    }
}

/// Tags as the seed allows them: one comma-separated string or an array.
/// Normalising (trim, split, drop empties, dedupe) is core's `metadata::tags`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tags {
    Text(String),
    List(Vec<String>),
}

/// Entries a tag array may have. Core takes at most 32 tags; empty
/// entries are dropped there, so a few more are tolerated. The limit is
/// checked while the array is parsed: `/media/add` bodies are megabytes
/// (they carry the image), and an array of millions of `""` would
/// otherwise become millions of `String`s before any rule saw them.
pub const MAX_TAG_ENTRIES: usize = 1024;

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TagsVisitor)
    }
}

struct TagsVisitor;

impl<'de> serde::de::Visitor<'de> for TagsVisitor {
    type Value = Tags;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a comma-separated string or an array of strings")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Tags, E> {
        Ok(Tags::Text(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Tags, E> {
        Ok(Tags::Text(v))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Tags, A::Error> {
        let mut tags = Vec::new();
        while let Some(tag) = seq.next_element::<String>()? {
            if tags.len() == MAX_TAG_ENTRIES {
                return Err(serde::de::Error::custom(format!(
                    "tags: at most {MAX_TAG_ENTRIES} array entries"
                )));
            }
            tags.push(tag);
        }
        Ok(Tags::List(tags))
    }
}

impl Tags {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            Tags::Text(s) => vec![s],
            Tags::List(v) => v,
        }
    }
}

/// `POST /media/edit/:id`. Both fields are required; `Option` only so that
/// a missing one gets the seed's "Required parameters missing" rather than
/// a parser message. Other fields (a client posting back a whole listed
/// item) are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EditRequest {
    pub name: Option<String>,
    pub tags: Option<Tags>,
}

/// `POST /media/add`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddRequest {
    pub name: Option<String>,
    pub tags: Option<Tags>,
    /// Base64, optionally as a `data:<type>;base64,` URL.
    pub image: Option<String>,
}

/// How many base64 characters encode `bytes` bytes (with padding).
pub fn base64_len(bytes: u64) -> u64 {
    bytes.div_ceil(3).saturating_mul(4)
}

/// Decodes the `image` field: plain base64 or a `data:` URL, standard or
/// URL-safe alphabet, padding optional, ASCII whitespace (line breaks of
/// MIME-style base64) ignored. The client's declared type is ignored: the
/// bytes decide, as for every upload.
pub fn decode_image(field: &str) -> Result<Vec<u8>> {
    let field = field.trim();
    let payload = match field.strip_prefix("data:") {
        Some(rest) => {
            let (meta, data) = rest
                .split_once(',')
                .ok_or_else(|| Error::invalid("the image data URL has no `,` before its data"))?;
            if !meta.ends_with(";base64") {
                return Err(Error::invalid(
                    "the image data URL must be base64 (`;base64,`)",
                ));
            }
            data
        }
        None => field,
    };
    let compact: Vec<u8> = payload
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let unpadded = compact
        .strip_suffix(b"==")
        .or_else(|| compact.strip_suffix(b"="));
    let unpadded = unpadded.unwrap_or(&compact);
    let bad = || Error::invalid("the image is not valid base64");
    if unpadded.iter().any(|&b| b == b'-' || b == b'_') {
        URL_SAFE_NO_PAD.decode(unpadded).map_err(|_| bad())
    } else {
        STANDARD_NO_PAD.decode(unpadded).map_err(|_| bad())
    }
}

/// The filename recorded for an image that came without one: its name,
/// with path separators replaced (a name may contain `/`, a filename may
/// not). `None` when nothing usable is left; the upload then uses its
/// default.
pub fn filename_for(name: &str) -> Option<String> {
    let f: String = name
        .trim()
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    (!f.is_empty() && f != "." && f != "..").then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::STANDARD;
    use mediakit_core::ErrorCode;

    #[test]
    fn images_decode_with_or_without_a_data_url() {
        let bytes: Vec<u8> = (0u8..=255).collect();
        let b64 = STANDARD.encode(&bytes);
        assert_eq!(decode_image(&b64).unwrap(), bytes);
        assert_eq!(
            decode_image(&format!("data:image/png;base64,{b64}")).unwrap(),
            bytes
        );
        assert_eq!(decode_image(b64.trim_end_matches('=')).unwrap(), bytes);
        let wrapped: String = b64
            .as_bytes()
            .chunks(76)
            .map(|c| format!("{}\r\n", std::str::from_utf8(c).unwrap()))
            .collect();
        assert_eq!(decode_image(&wrapped).unwrap(), bytes);
        assert_eq!(
            decode_image(&URL_SAFE_NO_PAD.encode(&bytes)).unwrap(),
            bytes
        );
        for bad in [
            "not base64!",
            "data:image/png,abc",
            "data:image/png;base64",
            "QUJD=A",
        ] {
            assert_eq!(
                decode_image(bad).unwrap_err().code,
                ErrorCode::InvalidRequest,
                "{bad}"
            );
        }
        assert_eq!(base64_len(3), 4);
        assert_eq!(base64_len(4), 8);
        assert_eq!(base64_len(0), 0);
        assert_eq!(base64_len(256), b64.len() as u64);
    }

    #[test]
    fn list_window_positions() {
        let r = ListResponse::new(&[], 0, 0);
        assert_eq!((r.max, r.from, r.to), (0, 1, 0));
        let r = ListResponse::new(&[], 20, 5);
        assert_eq!((r.from, r.to), (21, 20), "past the end: empty window");
    }

    #[test]
    fn tags_accept_a_string_or_a_list() {
        let t: Tags = serde_json::from_str("\"a, b\"").unwrap();
        assert_eq!(t.into_vec(), vec!["a, b"]);
        let t: Tags = serde_json::from_str("[\"a\", \"b\"]").unwrap();
        assert_eq!(t.into_vec(), vec!["a", "b"]);
        assert!(serde_json::from_str::<Tags>("3").is_err());
        assert!(serde_json::from_str::<Tags>("[3]").is_err());
        let full = serde_json::to_string(&vec![""; MAX_TAG_ENTRIES]).unwrap();
        assert!(serde_json::from_str::<Tags>(&full).is_ok());
        let over = serde_json::to_string(&vec![""; MAX_TAG_ENTRIES + 1]).unwrap();
        let err = serde_json::from_str::<Tags>(&over).unwrap_err();
        assert!(err.to_string().contains("at most 1024"), "{err}");
    }

    #[test]
    fn filenames_from_names() {
        assert_eq!(filename_for(" a/b "), Some("a_b".into()));
        assert_eq!(filename_for(".."), None);
        assert_eq!(filename_for(""), None);
    }
}
