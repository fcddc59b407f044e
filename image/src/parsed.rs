//! Lossless removal of metadata from an original before it is stored.

use super::{gif_blocks, header::ImageHeader, jpeg_markers, not_raster, png_chunks, webp_riff};
use crate::Result;
use crate::kind::MediaKind;

/// Removes metadata from an ORIGINAL: no GPS, camera make/model, XMP, IPTC or
/// comments leave the server. What rendering needs stays: ICC profiles and
/// colour chunks, JPEG JFIF/Adobe segments, the GIF loop count, WebP
/// animation and alpha. When `header.orientation != 1` a minimal Exif block
/// holding only Orientation is written back (so browsers still show the
/// image upright); otherwise there is no Exif at all.
///
/// Image data bytes are copied untouched, never re-encoded, so the output
/// decodes to exactly the same pixels.
pub fn strip_metadata(kind: MediaKind, bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>> {
    let orientation = if (1..=8).contains(&header.orientation) {
        header.orientation
    } else {
        1
    };
    match kind {
        MediaKind::Jpeg => jpeg_markers::strip(bytes, orientation),
        MediaKind::Png => png_chunks::strip(bytes, orientation),
        // GIF has no orientation metadata.
        MediaKind::Gif => gif_blocks::strip(bytes),
        MediaKind::Webp => webp_riff::strip(
            bytes,
            &ImageHeader {
                orientation,
                ..*header
            },
        ),
        other => Err(not_raster(other)),
    }
}
