//! The media types mediakit accepts, as told by their bytes.

use serde::{Deserialize, Serialize};

/// Every accepted type (the list of the canonical REST API). Anything else is
/// rejected with `unsupported_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Jpeg,
    Png,
    Gif,
    Webp,
    Svg,
    Pdf,
    Mp4,
    Webm,
}

impl MediaKind {
    pub const ALL: [MediaKind; 8] = [
        Self::Jpeg,
        Self::Png,
        Self::Gif,
        Self::Webp,
        Self::Svg,
        Self::Pdf,
        Self::Mp4,
        Self::Webm,
    ];

    pub const fn mime_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Svg => "image/svg+xml",
            Self::Pdf => "application/pdf",
            Self::Mp4 => "video/mp4",
            Self::Webm => "video/webm",
        }
    }

    /// The canonical extension used for stored names.
    pub const fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Svg => "svg",
            Self::Pdf => "pdf",
            Self::Mp4 => "mp4",
            Self::Webm => "webm",
        }
    }

    pub fn from_mime_type(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.mime_type() == mime)
    }

    pub fn from_extension(ext: &str) -> Option<Self> {
        let ext = ext.to_ascii_lowercase();
        match ext.as_str() {
            "jpeg" => Some(Self::Jpeg),
            _ => Self::ALL.into_iter().find(|k| k.extension() == ext),
        }
    }

    /// Raster images: decoded, checked against the pixel limit, and given
    /// resized variants.
    pub const fn is_raster(self) -> bool {
        matches!(self, Self::Jpeg | Self::Png | Self::Gif | Self::Webp)
    }

    /// Anything with an `image/*` type (raster or SVG).
    pub const fn is_image(self) -> bool {
        self.is_raster() || matches!(self, Self::Svg)
    }

    /// The coarse class the RPC dialect reports as `content_type`.
    pub const fn content_class(self) -> &'static str {
        match self {
            Self::Jpeg | Self::Png | Self::Gif | Self::Webp | Self::Svg => "image",
            Self::Pdf => "document",
            Self::Mp4 | Self::Webm => "video",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mime_and_extension_round_trip() {
        for k in MediaKind::ALL {
            assert_eq!(MediaKind::from_mime_type(k.mime_type()), Some(k));
            assert_eq!(MediaKind::from_extension(k.extension()), Some(k));
        }
        assert_eq!(MediaKind::from_extension("JPEG"), Some(MediaKind::Jpeg));
        assert_eq!(MediaKind::from_extension("exe"), None);
    }
}
