//! The memory estimate: the model's exact values for each format's cost.

use super::*;
use crate::formats::{jpeg, png, webp};
use crate::memory::{COPIES, FIXED, estimate};

/// The format's term of the model, as the parse of `bytes` gives it.
fn per_pixel_x4(kind: MediaKind, bytes: &[u8]) -> u64 {
    let parsed = parse(kind, bytes).unwrap();
    parsed.raster().unwrap().container.memory_per_pixel_x4()
}

/// 4000 × 3000.
const PIXELS: u64 = 12_000_000;

#[test]
fn a_baseline_jpeg_costs_less_than_a_png_of_the_same_size() {
    let jpeg = JPEG_800;
    let as_jpeg = estimate(
        per_pixel_x4(MediaKind::Jpeg, jpeg),
        PIXELS,
        jpeg.len() as u64,
    );
    let as_png = estimate(per_pixel_x4(MediaKind::Png, PNG_ALPHA), PIXELS, 0);
    let file = COPIES * jpeg.len() as u64;
    assert_eq!(
        as_jpeg,
        FIXED + file + PIXELS * jpeg::BASELINE_BYTES_PER_PIXEL
    );
    assert_eq!(as_png, FIXED + PIXELS * png::BYTES_PER_PIXEL);
    assert!(as_png > 2 * as_jpeg);
    // Types that are not decoded have no such cost.
    assert_eq!(
        parse(MediaKind::Pdf, PDF).unwrap().processing_memory(),
        None
    );
}

#[test]
fn the_estimate_of_a_parsed_file_uses_its_header_and_size() {
    let parsed = parse(MediaKind::Jpeg, JPEG_800).unwrap();
    let len = JPEG_800.len() as u64;
    assert_eq!(
        parsed.processing_memory(),
        Some(FIXED + COPIES * len + 800 * 450 * jpeg::BASELINE_BYTES_PER_PIXEL)
    );
}

#[test]
fn a_progressive_jpeg_pays_for_its_coefficients() {
    // 4:2:0: 1.5 planes (3 half planes) at 0.75 bytes each.
    let progressive = JPEG_PROGRESSIVE;
    let per_pixel_x4 = per_pixel_x4(MediaKind::Jpeg, progressive);
    assert_eq!(
        estimate(per_pixel_x4, PIXELS, progressive.len() as u64),
        FIXED
            + COPIES * progressive.len() as u64
            + PIXELS * (4 * jpeg::BASELINE_BYTES_PER_PIXEL + 9) / 4
    );
}

#[test]
fn huge_headers_saturate_instead_of_overflowing() {
    let pixels = u64::from(u32::MAX) * u64::from(u32::MAX);
    assert!(estimate(4 * webp::BYTES_PER_PIXEL, pixels, 0) > 1 << 62);
}
