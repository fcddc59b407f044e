//! The registry: the one place that lists the accepted formats. Each lives
//! in its own module (its signature, its container parse, its metadata
//! stripping, its decoding) and exports a [`Format`] descriptor; this
//! module gives each a [`MediaKind`], fixes the order sniffing tries them
//! in, and maps a kind to its descriptor. Adding a format is a new module
//! plus a variant, a descriptor arm and a sniffing slot here.

pub(crate) mod gif;
pub(crate) mod jpeg;
mod mp4;
mod pdf;
pub(crate) mod png;
mod svg;
#[cfg(test)]
mod tests;
mod webm;
pub(crate) mod webp;

use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, ImageError};
use crate::format::{Format, Parse};

/// Every accepted type (the list of the canonical REST API), as told by
/// the bytes. Anything else is rejected with `UnsupportedType`.
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

/// The order sniffing tries the formats in: binary signatures first, the
/// text check of SVG last.
const SNIFF_ORDER: [MediaKind; 8] = [
    MediaKind::Jpeg,
    MediaKind::Png,
    MediaKind::Gif,
    MediaKind::Webp,
    MediaKind::Pdf,
    MediaKind::Mp4,
    MediaKind::Webm,
    MediaKind::Svg,
];

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

    pub(crate) const fn format(self) -> &'static Format {
        match self {
            Self::Jpeg => &jpeg::FORMAT,
            Self::Png => &png::FORMAT,
            Self::Gif => &gif::FORMAT,
            Self::Webp => &webp::FORMAT,
            Self::Svg => &svg::FORMAT,
            Self::Pdf => &pdf::FORMAT,
            Self::Mp4 => &mp4::FORMAT,
            Self::Webm => &webm::FORMAT,
        }
    }

    /// The kind's name on the wire (its serde name): `jpeg`, `png`, …
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Svg => "svg",
            Self::Pdf => "pdf",
            Self::Mp4 => "mp4",
            Self::Webm => "webm",
        }
    }

    pub const fn mime_type(self) -> &'static str {
        self.format().mime_type
    }

    /// The canonical extension used for stored names.
    pub const fn extension(self) -> &'static str {
        self.format().extensions[0]
    }

    pub fn from_mime_type(mime: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.mime_type() == mime)
    }

    /// Any extension the kind is known by (`jpeg` as well as `jpg`), in any
    /// letter case.
    pub fn from_extension(ext: &str) -> Option<Self> {
        let ext = ext.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.format().extensions.contains(&ext.as_str()))
    }

    /// Raster images: decoded, checked against the pixel limit, and given
    /// resized variants.
    pub const fn is_raster(self) -> bool {
        matches!(self.format().parse, Parse::Raster(_))
    }
}

/// The accepted type the bytes are, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<MediaKind> {
    SNIFF_ORDER
        .into_iter()
        .find(|kind| (kind.format().sniff)(bytes))
}

/// The error for bytes [`sniff`] does not recognise, naming what is accepted.
pub(crate) fn not_accepted() -> ImageError {
    let names: Vec<&str> = MediaKind::ALL.iter().map(|k| k.format().name).collect();
    let (last, rest) = names.split_last().expect("formats are registered");
    ImageError::new(
        ErrorKind::UnsupportedType,
        format!(
            "file type not allowed: accepted are {} and {last}",
            rest.join(", ")
        ),
    )
}
