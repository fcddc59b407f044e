//! Tells a file's real type from its first bytes. The client's content type
//! and filename extension are never consulted: a text file named `.jpg` is
//! text.

use crate::kind::MediaKind;

/// How many leading bytes [`sniff`] may look at (enough for an MP4 `ftyp`
/// box with many compatible brands, an EBML header, and an SVG prolog).
pub const SNIFF_WINDOW: usize = 4096;

/// The accepted type the bytes are, or `None`.
pub fn sniff(bytes: &[u8]) -> Option<MediaKind> {
    let b = bytes;
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(MediaKind::Jpeg);
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(MediaKind::Png);
    }
    if b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a") {
        return Some(MediaKind::Gif);
    }
    if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some(MediaKind::Webp);
    }
    if b.starts_with(b"%PDF-") {
        return Some(MediaKind::Pdf);
    }
    if is_mp4(b) {
        return Some(MediaKind::Mp4);
    }
    if is_webm(b) {
        return Some(MediaKind::Webm);
    }
    if looks_like_svg(b) {
        return Some(MediaKind::Svg);
    }
    None
}

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

/// An EBML document whose DocType is `webm` (plain Matroska is not accepted).
fn is_webm(b: &[u8]) -> bool {
    if !b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return false;
    }
    let Some((header_len, mut pos)) = read_vint(b, 4) else {
        return false;
    };
    let end = (pos + header_len as usize).min(b.len());
    while pos < end {
        // Element ids in the EBML header are two bytes long.
        let Some(id) = b.get(pos..pos + 2) else {
            return false;
        };
        let Some((len, data)) = read_vint(b, pos + 2) else {
            return false;
        };
        let data_end = data.saturating_add(len as usize);
        if id == [0x42, 0x82] {
            return b.get(data..data_end).is_some_and(|t| {
                let t = t.strip_suffix(&[0]).unwrap_or(t);
                t == b"webm"
            });
        }
        pos = data_end;
    }
    false
}

/// Reads an EBML variable-length integer at `pos`: (value, position after).
fn read_vint(b: &[u8], pos: usize) -> Option<(u64, usize)> {
    let first = *b.get(pos)?;
    let len = first.leading_zeros() as usize + 1;
    if len > 8 {
        return None;
    }
    let mut value = u64::from(first) & (0xFF >> len);
    for i in 1..len {
        value = (value << 8) | u64::from(*b.get(pos + i)?);
    }
    Some((value, pos + len))
}

/// Text whose first element (after an XML declaration, comments and a
/// doctype) is `<svg`. [`crate::svg`] parses it fully afterwards.
fn looks_like_svg(b: &[u8]) -> bool {
    let window = &b[..b.len().min(SNIFF_WINDOW)];
    let window = window.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(window);
    // A multi-byte character may be cut at the window's end.
    let text = match std::str::from_utf8(window) {
        Ok(t) => t,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&window[..e.valid_up_to()]).unwrap_or("")
        }
        Err(_) => return false,
    };
    let mut rest = text.trim_start();
    loop {
        if let Some(r) = rest.strip_prefix("<?") {
            match r.find("?>") {
                Some(i) => rest = r[i + 2..].trim_start(),
                None => return false,
            }
        } else if let Some(r) = rest.strip_prefix("<!--") {
            match r.find("-->") {
                Some(i) => rest = r[i + 3..].trim_start(),
                None => return false,
            }
        } else if rest.starts_with("<!DOCTYPE") || rest.starts_with("<!doctype") {
            match rest.find('>') {
                Some(i) => rest = rest[i + 1..].trim_start(),
                None => return false,
            }
        } else {
            break;
        }
    }
    let Some(r) = rest.strip_prefix("<svg") else {
        return false;
    };
    r.starts_with(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mp4_with(major: &[u8; 4], compat: &[&[u8; 4]]) -> Vec<u8> {
        let len = 16 + 4 * compat.len();
        let mut v = (len as u32).to_be_bytes().to_vec();
        v.extend_from_slice(b"ftyp");
        v.extend_from_slice(major);
        v.extend_from_slice(&[0, 0, 2, 0]);
        for c in compat {
            v.extend_from_slice(*c);
        }
        v.extend_from_slice(&[0, 0, 0, 8, b'f', b'r', b'e', b'e']);
        v
    }

    fn ebml(doctype: &[u8]) -> Vec<u8> {
        let mut body = vec![0x42, 0x86, 0x81, 0x01]; // EBMLVersion 1
        body.extend_from_slice(&[0x42, 0x82, 0x80 | doctype.len() as u8]);
        body.extend_from_slice(doctype);
        let mut v = vec![0x1A, 0x45, 0xDF, 0xA3, 0x80 | body.len() as u8];
        v.extend(body);
        v
    }

    #[test]
    fn image_signatures() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 16]),
            Some(MediaKind::Jpeg)
        );
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(MediaKind::Png)
        );
        assert_eq!(sniff(b"GIF89a\x01\x00"), Some(MediaKind::Gif));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some(MediaKind::Webp));
        assert_eq!(
            sniff(b"RIFF\x10\0\0\0WAVEfmt "),
            None,
            "WAV is RIFF but not WebP"
        );
    }

    #[test]
    fn documents_and_video() {
        assert_eq!(sniff(b"%PDF-1.7\n"), Some(MediaKind::Pdf));
        assert_eq!(
            sniff(&mp4_with(b"isom", &[b"isom", b"avc1"])),
            Some(MediaKind::Mp4)
        );
        assert_eq!(sniff(&mp4_with(b"XYZ1", &[b"mp42"])), Some(MediaKind::Mp4));
        assert_eq!(
            sniff(&mp4_with(b"heic", &[b"mif1"])),
            None,
            "HEIC is not MP4"
        );
        assert_eq!(
            sniff(&mp4_with(b"qt  ", &[b"qt  "])),
            None,
            "QuickTime is not MP4"
        );
        assert_eq!(
            sniff(&mp4_with(b"M4A ", &[b"isom"])),
            None,
            "audio is not accepted"
        );
        assert_eq!(sniff(&ebml(b"webm")), Some(MediaKind::Webm));
        assert_eq!(sniff(&ebml(b"matroska")), None);
    }

    #[test]
    fn svg_by_its_root_element() {
        assert_eq!(
            sniff(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Some(MediaKind::Svg)
        );
        let prolog = b"\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- hi -->\n<!DOCTYPE svg>\n<svg>";
        assert_eq!(sniff(prolog), Some(MediaKind::Svg));
        assert_eq!(sniff(b"<svgfoo/>"), None);
        assert_eq!(sniff(b"<html><svg></svg></html>"), None);
    }

    #[test]
    fn text_and_garbage_are_rejected() {
        assert_eq!(sniff(b""), None);
        assert_eq!(
            sniff(b"This is plain text pretending to be a JPEG.\n"),
            None
        );
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(&[0xFF, 0xD8]), None, "two bytes are not a JPEG");
    }
}
