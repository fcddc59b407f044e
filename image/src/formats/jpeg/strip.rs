//! A JPEG without metadata, rebuilt from the segment index: entropy-coded
//! data is copied untouched and anything after EOI (trailers, MPF secondary
//! images) is dropped.

use super::segments::{APP0, APP1, APP2, APP14, COM, SOI, Segment};
use crate::exif;

/// What a stripped JPEG keeps besides the image data: what decoding and colour
/// need. Exif/XMP (APP1), IPTC (APP13), comments, MPF and every other
/// application segment go.
fn keep(segment: &Segment<'_>) -> bool {
    let payload = segment.payload();
    match segment.marker {
        APP0 => payload.starts_with(b"JFIF\0"),
        APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        APP14 => payload.starts_with(b"Adobe"),
        APP1 | 0xE3..=0xED | 0xEF | COM => false,
        _ => true,
    }
}

/// The kept `segments` after SOI, with a minimal Exif block holding only
/// `orientation` when it is not 1. `capacity`: the original's size.
pub(super) fn strip<'a>(
    segments: impl Iterator<Item = Segment<'a>>,
    capacity: usize,
    orientation: u8,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(capacity);
    out.extend_from_slice(&[0xFF, SOI]);
    let mut exif = (orientation != 1).then(|| app1_exif(orientation));
    for segment in segments.filter(keep) {
        // The Exif segment goes first, except that JFIF wants its APP0 right
        // after SOI.
        let leading_jfif = segment.marker == APP0 && out.len() == 2;
        if !leading_jfif && let Some(e) = exif.take() {
            out.extend_from_slice(&e);
        }
        segment.write_to(&mut out);
    }
    out
}

/// An APP1 segment with a minimal Exif block (marker included).
fn app1_exif(orientation: u8) -> Vec<u8> {
    let tiff = exif::minimal_tiff(orientation);
    let len = 2 + exif::EXIF_PREFIX.len() + tiff.len();
    let mut s = vec![0xFF, APP1];
    s.extend_from_slice(&(len as u16).to_be_bytes());
    s.extend_from_slice(exif::EXIF_PREFIX);
    s.extend_from_slice(&tiff);
    s
}
