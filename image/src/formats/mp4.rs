//! MP4 video: sniffed by its `ftyp` box, stored as sent.

use crate::format::{Format, Parse, SNIFF_WINDOW, nothing_declared};

pub(crate) const FORMAT: Format = Format {
    name: "MP4",
    mime_type: "video/mp4",
    extensions: &["mp4"],
    sniff: is_mp4,
    parse: Parse::Stored(nothing_declared),
};

/// ISO base media files whose brands say MP4 video. HEIC/AVIF images,
/// QuickTime movies and M4A audio share the container but are other types.
fn is_mp4(b: &[u8]) -> bool {
    if b.len() < 16 || &b[4..8] != b"ftyp" {
        return false;
    }
    let box_len = u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize;
    if !(16..=SNIFF_WINDOW).contains(&box_len) || !box_len.is_multiple_of(4) {
        return false;
    }
    let major = &b[8..12];
    const VIDEO: [&[u8; 4]; 13] = [
        b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71", b"avc1", b"dash",
        b"msnv", b"M4V ", b"MSNV",
    ];
    const OTHER: [&[u8; 4]; 10] = [
        b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis", b"qt  ",
    ];
    if VIDEO.iter().any(|v| v.as_slice() == major) {
        return true;
    }
    if OTHER.iter().any(|v| v.as_slice() == major) || major == b"M4A " {
        return false;
    }
    // Unknown major brand: accept when a compatible brand is a plain MP4 one.
    let end = box_len.min(b.len());
    b[16..end]
        .chunks_exact(4)
        .any(|c| matches!(c, b"isom" | b"mp41" | b"mp42"))
}
