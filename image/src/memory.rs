//! How much memory processing an image takes, estimated from its header
//! before anything is decoded. A pixel limit alone cannot bound memory: at
//! the same pixel count a baseline JPEG needs a third of what an RGBA PNG or
//! a progressive 4:4:4 JPEG needs. Hosts with a hard memory ceiling (a
//! Cloudflare isolate has 128 MB for everything, and wasm memory never
//! shrinks) refuse an upload whose estimate exceeds their budget instead of
//! being killed half-way through it.
//!
//! The model is `FIXED + COPIES × file size + pixels × per_pixel(format)`,
//! fitted as an upper
//! bound to the wasm memory peaks measured under workerd for the corpus and
//! for worst-case files (`scripts/measure-edge-upload --peaks`, table in
//! docs/benchmarks.md): decoded pixels, the resize pyramid, encoder buffers
//! and allocator fragmentation are all in the constants.

use super::jpeg_markers;
use crate::kind::MediaKind;

use super::header::ImageHeader;

/// Memory that does not scale with the image: the runtime, the service,
/// the variants' output buffers.
const FIXED: u64 = 28_000_000;

/// The file is in memory several times over: the request body as it
/// arrived, the original after metadata stripping, the copy handed to
/// storage.
const COPIES: u64 = 3;

/// Bytes per pixel of a baseline JPEG: the decoded RGB image at the scale
/// the largest variant needs, plus the resize buffers.
const JPEG_BASELINE: u64 = 4;
/// A progressive JPEG keeps its DCT coefficients (2 bytes each, only those
/// its decode scale needs) until the last scan: measured at up to 1.5 bytes
/// per pixel and full-size component plane (see [`coefficient_planes_x2`]),
/// so 0.75 per half plane.
const JPEG_COEFFICIENT_BYTES_PER_HALF_PLANE_X4: u64 = 3;
/// RGBA (or 16-bit) decode, its 8-bit RGBA copy, premultiplication.
const PNG: u64 = 13;
/// The canvas of the first frame as RGBA and its composed copy.
const GIF: u64 = 9;
/// The `image` crate's WebP decoder: the RGBA canvas and, for animations,
/// the frame it composes onto it.
const WEBP: u64 = 15;

/// The estimated peak memory (bytes) of turning this image into its
/// variants. `bytes` is the file (for JPEG, whose frame header says whether
/// it is progressive and how its chroma is sampled).
pub fn processing_memory(kind: MediaKind, header: &ImageHeader, bytes: &[u8]) -> u64 {
    let pixels = header.pixels();
    // In quarter bytes per pixel: the progressive JPEG term is fractional.
    let per_pixel_x4 = match kind {
        MediaKind::Jpeg => {
            4 * JPEG_BASELINE
                + jpeg_markers::progressive_planes_x2(bytes).map_or(0, |planes_x2| {
                    JPEG_COEFFICIENT_BYTES_PER_HALF_PLANE_X4 * u64::from(planes_x2)
                })
        }
        MediaKind::Png => 4 * PNG,
        MediaKind::Gif => 4 * GIF,
        MediaKind::Webp => 4 * WEBP,
        // Not decoded.
        _ => 0,
    };
    let file = COPIES.saturating_mul(bytes.len() as u64);
    FIXED
        .saturating_add(file)
        .saturating_add(pixels.saturating_mul(per_pixel_x4) / 4)
}

/// Twice the number of full-size component planes of a JPEG with
/// `components` as (horizontal, vertical) sampling factors: 3 planes (6) for
/// 4:4:4, 1.5 (3) for 4:2:0, 1 (2) for greyscale.
pub(crate) fn coefficient_planes_x2(components: &[(u8, u8)]) -> u8 {
    let h_max = components.iter().map(|c| c.0).max().unwrap_or(1).max(1);
    let v_max = components.iter().map(|c| c.1).max().unwrap_or(1).max(1);
    let full = u32::from(h_max) * u32::from(v_max);
    let sum: u32 = components
        .iter()
        .map(|&(h, v)| u32::from(h) * u32::from(v))
        .sum();
    // Rounded up: an estimate that is an upper bound.
    u8::try_from((2 * sum).div_ceil(full)).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planes_follow_the_chroma_sampling() {
        assert_eq!(coefficient_planes_x2(&[(1, 1), (1, 1), (1, 1)]), 6);
        assert_eq!(coefficient_planes_x2(&[(2, 2), (1, 1), (1, 1)]), 3);
        assert_eq!(coefficient_planes_x2(&[(2, 1), (1, 1), (1, 1)]), 4);
        assert_eq!(coefficient_planes_x2(&[(1, 1)]), 2);
        assert_eq!(coefficient_planes_x2(&[]), 0);
    }

    fn header(width: u32, height: u32) -> ImageHeader {
        ImageHeader {
            width,
            height,
            orientation: 1,
            has_alpha: false,
            animated: false,
        }
    }

    #[test]
    fn a_baseline_jpeg_costs_less_than_a_png_of_the_same_size() {
        let jpeg = include_bytes!("../../../tests/fixtures/photo-seeding-800.jpg");
        let h = header(4000, 3000);
        let as_jpeg = processing_memory(MediaKind::Jpeg, &h, jpeg);
        let as_png = processing_memory(MediaKind::Png, &h, b"");
        let file = COPIES * jpeg.len() as u64;
        assert_eq!(as_jpeg, FIXED + file + 12_000_000 * JPEG_BASELINE);
        assert_eq!(as_png, FIXED + 12_000_000 * PNG);
        assert!(as_png > 2 * as_jpeg);
        assert_eq!(processing_memory(MediaKind::Pdf, &h, b""), FIXED);
    }

    #[test]
    fn a_progressive_jpeg_pays_for_its_coefficients() {
        // 4:2:0: 1.5 planes (3 half planes) at 0.75 bytes each.
        let progressive = include_bytes!("../../../tests/fixtures/photo-progressive.jpg");
        let h = header(4000, 3000);
        assert_eq!(
            processing_memory(MediaKind::Jpeg, &h, progressive),
            FIXED + COPIES * progressive.len() as u64 + 12_000_000 * (4 * JPEG_BASELINE + 9) / 4
        );
    }

    #[test]
    fn huge_headers_saturate_instead_of_overflowing() {
        let h = header(u32::MAX, u32::MAX);
        assert!(processing_memory(MediaKind::Webp, &h, b"") > 1 << 62);
    }
}
