//! Headers read by the parse on the fixtures and on decompression bombs.

use super::*;
use crate::decoded::{DecodeMode, DecodeRequest};
use crate::formats::png::{SIGNATURE, write_chunk};
use crate::header::ImageHeader;
use crate::limits::{Limits, NoDeadline};
use crate::render::{render_variants, thumbnail};

/// The header the parse reads.
fn read_header(kind: MediaKind, bytes: &[u8]) -> Result<ImageHeader> {
    parse(kind, bytes).map(|p| *p.header().expect("a raster kind"))
}

fn header(size: (u32, u32), orientation: u8, has_alpha: bool, animated: bool) -> ImageHeader {
    ImageHeader {
        width: size.0,
        height: size.1,
        orientation,
        has_alpha,
        animated,
    }
}

#[test]
fn fixtures_headers() {
    let cases = [
        (
            MediaKind::Jpeg,
            JPEG_800,
            header((800, 450), 1, false, false),
        ),
        (
            MediaKind::Jpeg,
            JPEG_ORIENT6,
            header((640, 426), 6, false, false),
        ),
        (
            MediaKind::Jpeg,
            JPEG_PROGRESSIVE,
            header((800, 450), 1, false, false),
        ),
        (
            MediaKind::Jpeg,
            JPEG_GRAY,
            header((800, 450), 1, false, false),
        ),
        (
            MediaKind::Png,
            PNG_ALPHA,
            header((400, 225), 1, true, false),
        ),
        (MediaKind::Webp, WEBP, header((400, 225), 1, false, false)),
        (
            MediaKind::Gif,
            GIF_ANIMATED,
            header((160, 100), 1, false, true),
        ),
    ];
    for (kind, bytes, expected) in cases {
        assert_eq!(read_header(kind, bytes).unwrap(), expected, "{kind:?}");
    }
}

#[test]
fn orientation_6_swaps_the_display_size() {
    let h = read_header(MediaKind::Jpeg, JPEG_ORIENT6).unwrap();
    assert_eq!(h.orientation, 6);
    assert_eq!(h.display_size(), (426, 640));
    assert_eq!(h.pixels(), 640 * 426);
    let upright = ImageHeader {
        orientation: 3,
        ..h
    };
    assert_eq!(upright.display_size(), (640, 426));
}

#[test]
fn non_raster_kinds_are_unsupported() {
    for (kind, bytes) in [(MediaKind::Svg, SVG), (MediaKind::Pdf, PDF)] {
        let parsed = parse(kind, bytes).unwrap();
        assert_eq!(parsed.header(), None);
        assert_eq!(code(parsed.strip_metadata()), ErrorKind::UnsupportedType);
    }
}

#[test]
fn wrong_kind_or_garbage_is_corrupt() {
    assert_eq!(
        code(read_header(MediaKind::Png, JPEG_800)),
        ErrorKind::Corrupt
    );
    assert_eq!(
        code(read_header(MediaKind::Jpeg, PNG_ALPHA)),
        ErrorKind::Corrupt
    );
    for kind in [
        MediaKind::Jpeg,
        MediaKind::Png,
        MediaKind::Gif,
        MediaKind::Webp,
    ] {
        assert_eq!(code(read_header(kind, b"")), ErrorKind::Corrupt);
        assert_eq!(
            code(read_header(kind, b"hello world, not an image")),
            ErrorKind::Corrupt
        );
    }
}

/// A PNG whose IHDR claims `width` × `height`, with a token IDAT.
pub(super) fn png_bomb(width: u32, height: u32) -> Vec<u8> {
    let mut png = SIGNATURE.to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA
    write_chunk(&mut png, b"IHDR", &ihdr);
    write_chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    write_chunk(&mut png, b"IEND", &[]);
    png
}

/// A JPEG whose frame header claims `width` × `height`.
pub(super) fn jpeg_bomb(width: u16, height: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let [hh, hl] = height.to_be_bytes();
    let [wh, wl] = width.to_be_bytes();
    j.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, hh, hl, wh, wl, 1, 1, 0x11, 0]);
    j.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0]);
    j.extend_from_slice(&[0x12, 0x34, 0xFF, 0xD9]);
    j
}

#[test]
fn png_bomb_header_is_read_without_allocating_and_refused() {
    let bomb = png_bomb(100_000, 100_000);
    let h = read_header(MediaKind::Png, &bomb).unwrap();
    assert_eq!((h.width, h.height), (100_000, 100_000));
    assert_eq!(h.pixels(), 10_000_000_000);
    let parsed = parse(MediaKind::Png, &bomb).unwrap();
    let limits = Limits::default();
    let r = render_variants(&parsed, &presets(), &auto(), &limits, &NoDeadline);
    assert_eq!(code(r), ErrorKind::TooManyPixels);
    let r = thumbnail(&parsed, 256, &auto(), &limits, &NoDeadline);
    assert_eq!(code(r), ErrorKind::TooManyPixels);
}

#[test]
fn the_decoder_enforces_the_limit_even_with_a_lying_header() {
    let bomb = png_bomb(100_000, 100_000);
    let lie = parse(MediaKind::Png, &bomb).unwrap().with_header(|h| {
        *h = ImageHeader {
            width: 10,
            height: 10,
            orientation: 1,
            has_alpha: true,
            animated: false,
        }
    });
    let limits = Limits::default();
    let r = render_variants(&lie, &presets(), &auto(), &limits, &NoDeadline);
    assert_eq!(code(r), ErrorKind::TooManyPixels);

    // A real image above a tight limit.
    let tight = Limits {
        max_pixels: 1000,
        ..Limits::default()
    };
    for (kind, bytes) in [
        (MediaKind::Jpeg, JPEG_800),
        (MediaKind::Png, PNG_ALPHA),
        (MediaKind::Webp, WEBP),
        (MediaKind::Gif, GIF_ANIMATED),
    ] {
        let small_lie = parse(kind, bytes).unwrap().with_header(|h| {
            h.width = 10;
            h.height = 10;
        });
        let r = render_variants(&small_lie, &presets(), &auto(), &tight, &NoDeadline);
        assert_eq!(code(r), ErrorKind::TooManyPixels, "{kind:?}");
    }
    // The shrink-on-load decoder too.
    let r = parse(MediaKind::Jpeg, JPEG_800)
        .unwrap()
        .decode(&DecodeRequest {
            limits: tight,
            shrink_to: Some((100, 56)),
            mode: DecodeMode::Validate,
            deadline: &NoDeadline,
        });
    assert_eq!(code(r.map(|d| d.full_size)), ErrorKind::TooManyPixels);
}

#[test]
fn jpeg_bomb_header_is_read_and_refused() {
    let bomb = jpeg_bomb(60_000, 60_000);
    let h = read_header(MediaKind::Jpeg, &bomb).unwrap();
    assert_eq!((h.width, h.height), (60_000, 60_000));
    let parsed = parse(MediaKind::Jpeg, &bomb).unwrap();
    let r = render_variants(
        &parsed,
        &presets(),
        &auto(),
        &Limits::default(),
        &NoDeadline,
    );
    assert_eq!(code(r), ErrorKind::TooManyPixels);
}
