//! The registry: kinds by name, extension and bytes.

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

#[test]
fn the_wire_name_is_the_serde_name() {
    for k in MediaKind::ALL {
        let json = serde_json::to_string(&k).unwrap();
        assert_eq!(json, format!("\"{}\"", k.as_str()));
        assert_eq!(serde_json::from_str::<MediaKind>(&json).unwrap(), k);
    }
}

#[test]
fn only_raster_kinds_are_decoded() {
    let raster: Vec<_> = MediaKind::ALL
        .into_iter()
        .filter(|k| k.is_raster())
        .collect();
    assert_eq!(
        raster,
        [
            MediaKind::Jpeg,
            MediaKind::Png,
            MediaKind::Gif,
            MediaKind::Webp
        ]
    );
}

#[test]
fn the_refusal_names_every_accepted_type() {
    let e = not_accepted();
    assert_eq!(e.kind, ErrorKind::UnsupportedType);
    assert_eq!(
        e.message,
        "file type not allowed: accepted are JPEG, PNG, GIF, WebP, SVG, PDF, MP4 and WebM"
    );
}

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
