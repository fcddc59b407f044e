//! strip_metadata: private data goes, pixels stay identical.

use super::*;
use crate::exif;
use crate::format::Container;
use crate::formats::jpeg::Jpeg;
use crate::formats::png::Png;
use crate::formats::webp::write_chunk;
use crate::header::ImageHeader;

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Both decode (with the `image` crate) to exactly the same pixels.
fn assert_same_pixels(a: &[u8], b: &[u8]) {
    let (a, b) = (reference(a), reference(b));
    assert_eq!(a.color(), b.color());
    assert_eq!(a.as_bytes(), b.as_bytes());
}

fn strip(kind: MediaKind, bytes: &[u8]) -> Vec<u8> {
    parse(kind, bytes).unwrap().strip_metadata().unwrap()
}

/// `strip`, told that the orientation is `orientation`.
fn strip_oriented(kind: MediaKind, bytes: &[u8], orientation: u8) -> Vec<u8> {
    parse(kind, bytes)
        .unwrap()
        .with_header(|h| h.orientation = orientation)
        .strip_metadata()
        .unwrap()
}

fn read_header(kind: MediaKind, bytes: &[u8]) -> ImageHeader {
    *parse(kind, bytes).unwrap().header().unwrap()
}

fn jpeg_markers_of(bytes: &[u8]) -> Vec<u8> {
    let (_, jpeg) = Jpeg::parse(bytes).unwrap();
    jpeg.segments(bytes).map(|s| s.marker).collect()
}

#[test]
fn jpeg_loses_gps_camera_and_artist_but_keeps_orientation() {
    assert!(contains(JPEG_ORIENT6, b"TestCam") && contains(JPEG_ORIENT6, b"Aitzol"));
    let out = strip(MediaKind::Jpeg, JPEG_ORIENT6);
    for private in [&b"GPS"[..], b"TestCam", b"Aitzol"] {
        assert!(
            !contains(&out, private),
            "{}",
            String::from_utf8_lossy(private)
        );
    }
    let h = read_header(MediaKind::Jpeg, &out);
    assert_eq!(h.orientation, 6);
    // The minimal block: one APP1 of 2 + 6 + 26 bytes.
    let (_, jpeg) = Jpeg::parse(&out).unwrap();
    let app1: Vec<_> = jpeg.segments(&out).filter(|s| s.marker == 0xE1).collect();
    assert_eq!(app1.len(), 1);
    assert_eq!(app1[0].body.len(), 34);
    assert!(out.len() < JPEG_ORIENT6.len());
    assert_same_pixels(JPEG_ORIENT6, &out);
}

#[test]
fn upright_jpeg_has_no_exif_at_all() {
    for bytes in [JPEG_800, JPEG_PROGRESSIVE, JPEG_GRAY] {
        let out = strip(MediaKind::Jpeg, bytes);
        assert!(!jpeg_markers_of(&out).contains(&0xE1));
        assert!(!contains(&out, b"Exif"));
        assert_same_pixels(bytes, &out);
    }
    // The rotated photo told it is upright: the whole Exif block goes.
    let out = strip_oriented(MediaKind::Jpeg, JPEG_ORIENT6, 1);
    assert!(!jpeg_markers_of(&out).contains(&0xE1));
    assert_eq!(read_header(MediaKind::Jpeg, &out).orientation, 1);
}

#[test]
fn jpeg_keeps_jfif_icc_and_adobe_and_drops_comments_and_trailers() {
    let mut encoded = Vec::new();
    let mut encoder = display_p3_jpeg_encoder(&mut encoded, 90);
    encoder
        .add_app_segment(14, b"Adobe\0\x64\0\0\0\0\x01".to_vec())
        .unwrap();
    encoder
        .add_app_segment(13, b"Photoshop 3.0\0secret IPTC".to_vec())
        .unwrap();
    encoder
        .encode(&[90u8; 16 * 16 * 3], 16, 16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    // A comment before the frame and a trailer after EOI.
    let mut with_extras = encoded[..2].to_vec();
    with_extras.extend_from_slice(&[0xFF, 0xFE, 0, 8, b's', b'e', b'c', b'r', b'e', b't']);
    with_extras.extend_from_slice(&encoded[2..]);
    with_extras.extend_from_slice(b"trailing secret");

    let out = strip(MediaKind::Jpeg, &with_extras);
    assert!(!contains(&out, b"secret"));
    let markers = jpeg_markers_of(&out);
    assert_eq!(markers[0], 0xE0, "JFIF APP0 stays first");
    assert!(markers.contains(&0xE2) && contains(&out, b"ICC_PROFILE\0"));
    assert!(markers.contains(&0xEE));
    assert!(!markers.contains(&0xED) && !markers.contains(&0xFE));
    assert!(out.ends_with(&[0xFF, 0xD9]));
    assert_same_pixels(&with_extras, &out);

    // Rotated: the Exif segment goes right after the leading JFIF APP0.
    let out = strip_oriented(MediaKind::Jpeg, &with_extras, 8);
    assert_eq!(&jpeg_markers_of(&out)[..2], &[0xE0, 0xE1]);
    assert_eq!(read_header(MediaKind::Jpeg, &out).orientation, 8);
}

/// A small RGB PNG with text, time and Exif chunks (built with the png crate).
fn png_with_metadata(orientation: u8) -> Vec<u8> {
    let (w, h) = (24u32, 16u32);
    let pixels: Vec<u8> = (0..w * h * 3).map(|i| (i * 13 % 256) as u8).collect();
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, w, h);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    encoder.set_source_gamma(::png::ScaledFloat::new(1.0 / 2.2));
    encoder
        .add_text_chunk("Author".into(), "Aitzol".into())
        .unwrap();
    encoder
        .add_ztxt_chunk("Comment".into(), "zsecret".into())
        .unwrap();
    encoder
        .add_itxt_chunk("Location".into(), "isecret".into())
        .unwrap();
    let mut writer = encoder.write_header().unwrap();
    let mut tiff = exif::minimal_tiff(orientation);
    tiff.extend_from_slice(b"TestCam GPS"); // trailing private data in the Exif chunk
    writer.write_chunk(::png::chunk::eXIf, &tiff).unwrap();
    writer
        .write_chunk(::png::chunk::tIME, &[7, 234, 11, 22, 17, 31, 0])
        .unwrap();
    writer.write_image_data(&pixels).unwrap();
    writer.finish().unwrap();
    out
}

fn png_chunk_types(bytes: &[u8]) -> Vec<[u8; 4]> {
    let (_, png) = Png::parse(bytes).unwrap();
    png.chunks(bytes).map(|c| c.kind).collect()
}

#[test]
fn png_loses_text_time_and_exif() {
    let input = png_with_metadata(1);
    let kinds = png_chunk_types(&input);
    for k in [b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"] {
        assert!(
            kinds.contains(k),
            "fixture lacks {}",
            String::from_utf8_lossy(k)
        );
    }
    let out = strip(MediaKind::Png, &input);
    let kinds = png_chunk_types(&out);
    for k in [b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"] {
        assert!(!kinds.contains(k), "{} left", String::from_utf8_lossy(k));
    }
    assert!(kinds.contains(b"gAMA"), "colour chunks stay");
    assert!(!contains(&out, b"Aitzol") && !contains(&out, b"TestCam"));
    assert_same_pixels(&input, &out);
}

#[test]
fn png_keeps_a_minimal_exif_for_orientation() {
    let input = png_with_metadata(6);
    assert_eq!(read_header(MediaKind::Png, &input).orientation, 6);
    let out = strip(MediaKind::Png, &input);
    let kinds = png_chunk_types(&out);
    assert_eq!(kinds.iter().filter(|k| *k == b"eXIf").count(), 1);
    assert_eq!(&kinds[..2], &[*b"IHDR", *b"eXIf"]);
    assert!(!contains(&out, b"TestCam"));
    assert_eq!(read_header(MediaKind::Png, &out).orientation, 6);
    Png::parse(&out).unwrap().1.completeness().unwrap();
    assert_same_pixels(&input, &out);
}

#[test]
fn png_fixture_with_alpha_is_unchanged_in_pixels() {
    let out = strip(MediaKind::Png, PNG_ALPHA);
    assert_same_pixels(PNG_ALPHA, &out);
}

/// photo.webp turned into the extended format with EXIF (the rotated
/// photo's full Exif: GPS, camera, artist) and XMP chunks.
fn webp_with_metadata() -> Vec<u8> {
    let header = read_header(MediaKind::Webp, WEBP);
    let vp8 = &WEBP[12..];
    // SOI, APP1 marker, a length that counts itself, "Exif\0\0", then TIFF.
    let app1_len = usize::from(u16::from_be_bytes([JPEG_ORIENT6[4], JPEG_ORIENT6[5]]));
    let tiff = &JPEG_ORIENT6[12..4 + app1_len];
    assert!(tiff.starts_with(b"MM\0*"));
    let xmp = b"<x:xmpmeta><dc:creator>Aitzol</dc:creator></x:xmpmeta>";

    let mut body = Vec::new();
    let mut vp8x = [0u8; 10];
    vp8x[0] = 0x08 | 0x04; // EXIF | XMP
    vp8x[4..7].copy_from_slice(&(header.width - 1).to_le_bytes()[..3]);
    vp8x[7..10].copy_from_slice(&(header.height - 1).to_le_bytes()[..3]);
    write_chunk(&mut body, b"VP8X", &vp8x);
    body.extend_from_slice(vp8);
    write_chunk(&mut body, b"EXIF", tiff);
    write_chunk(&mut body, b"XMP ", xmp);
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
    out.extend_from_slice(b"WEBP");
    out.extend_from_slice(&body);
    out
}

fn vp8x_flags(webp: &[u8]) -> u8 {
    assert_eq!(&webp[12..16], b"VP8X");
    webp[20]
}

#[test]
fn webp_loses_exif_and_xmp_and_flags_follow() {
    let input = webp_with_metadata();
    let h = read_header(MediaKind::Webp, &input);
    assert_eq!((h.width, h.height, h.orientation), (400, 225, 6));
    let out = strip(MediaKind::Webp, &input);
    for private in [&b"GPS"[..], b"TestCam", b"Aitzol", b"XMP "] {
        assert!(
            !contains(&out, private),
            "{}",
            String::from_utf8_lossy(private)
        );
    }
    assert_eq!(
        vp8x_flags(&out),
        0x08,
        "EXIF flag kept for the orientation, XMP cleared"
    );
    // Whole: a RIFF size or chunk beyond the data would not parse.
    assert_eq!(read_header(MediaKind::Webp, &out).orientation, 6);
    assert_same_pixels(&input, &out);

    // Upright: no EXIF chunk and no EXIF flag.
    let out = strip_oriented(MediaKind::Webp, &input, 1);
    assert!(!contains(&out, b"EXIF"));
    assert_eq!(vp8x_flags(&out), 0);
    assert_same_pixels(&input, &out);
}

#[test]
fn simple_webp_gets_an_extended_header_only_when_rotated() {
    let out = strip(MediaKind::Webp, WEBP);
    assert_eq!(out, WEBP, "nothing to strip in a simple lossy WebP");

    let out = strip_oriented(MediaKind::Webp, WEBP, 5);
    assert_eq!(vp8x_flags(&out), 0x08);
    let back = read_header(MediaKind::Webp, &out);
    assert_eq!((back.width, back.height, back.orientation), (400, 225, 5));
    assert_same_pixels(WEBP, &out);
}

#[test]
fn gif_loses_comments_but_keeps_loop_and_frames() {
    // Insert a comment extension and an unknown application extension after
    // the logical screen (header 13 bytes + global colour table).
    let packed = GIF_ANIMATED[10];
    let screen_end = 13
        + if packed & 0x80 != 0 {
            3 << ((packed & 7) + 1)
        } else {
            0
        };
    let mut input = GIF_ANIMATED[..screen_end].to_vec();
    input.extend_from_slice(b"\x21\xFE\x06Aitzol\x00");
    input.extend_from_slice(b"\x21\xFF\x0BXMP DataXMP\x05GPS42\x00");
    input.extend_from_slice(&GIF_ANIMATED[screen_end..]);

    let out = strip(MediaKind::Gif, &input);
    assert!(!contains(&out, b"Aitzol") && !contains(&out, b"XMP") && !contains(&out, b"GPS"));
    assert!(contains(&out, b"NETSCAPE2.0"));
    assert_eq!(out, GIF_ANIMATED, "the fixture itself has nothing to strip");
    let h = read_header(MediaKind::Gif, &out);
    assert!(h.animated);
    assert_same_pixels(&input, &out);
}
