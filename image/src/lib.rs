//! The raster image pipeline: read a header without decoding, strip private
//! metadata from an original without re-encoding it, and render resized
//! variants (decode once with limits → EXIF orientation → resize → sRGB →
//! encode).
//!
//! Everything here is pure computation on byte slices, so it runs the same
//! natively, in a Worker and in a browser (wasm32).
//!
//! The container parsers (`jpeg_markers`, `png_chunks`, `gif_blocks`,
//! `webp_riff`) are our own: they are what makes truncation detection strict
//! (the decoders fill missing data silently) and what lets metadata be removed
//! while the image data is copied byte for byte.

mod color;
mod decode;
mod encode;
mod exif;
mod format;
mod gif_blocks;
mod header;
mod jpeg;
mod jpeg_markers;
mod memory;
mod orient;
mod pixels;
mod png_chunks;
mod render;
mod resize;
mod strip;
mod webp_riff;

#[cfg(test)]
mod tests;

pub use format::{EncodeSettings, OutputFormat};
pub use header::{ImageHeader, read_header};
pub use memory::processing_memory;
pub use render::{DecodeLimits, Rendered, VariantSpec, render_variants, thumbnail};
pub use strip::strip_metadata;

use crate::error::{Error, ErrorCode};
use crate::kind::MediaKind;

/// The error for any malformed, truncated or undecodable image.
pub(crate) fn corrupt(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::ImageCorrupt, message)
}

/// The error for data that ends before its structure does.
pub(crate) fn truncated(what: &str) -> Error {
    corrupt(format!("{what} is truncated"))
}

/// Only raster kinds go through this pipeline.
pub(crate) fn not_raster(kind: MediaKind) -> Error {
    Error::new(
        ErrorCode::UnsupportedType,
        format!("{} is not a raster image", kind.mime_type()),
    )
}

/// Big-endian u16 at `at`, `None` past the end.
pub(crate) fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([s[0], s[1]]))
}

/// Big-endian u32 at `at`, `None` past the end.
pub(crate) fn be32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
}

/// Little-endian u16 at `at`, `None` past the end.
pub(crate) fn le16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([s[0], s[1]]))
}

/// Little-endian u24 at `at` (WebP sizes), `None` past the end.
pub(crate) fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(3)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], 0]))
}

/// Little-endian u32 at `at`, `None` past the end.
pub(crate) fn le32(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}
