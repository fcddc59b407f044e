//! mediakit's JPEG decoder against zune-jpeg (the decoder the `image` crate
//! uses, and the one ours hands unusual frames to).
//!
//! Our decoder is reached through the public pipeline only: a full-size
//! `thumbnail` encoded losslessly as PNG, so that this target keeps working
//! whatever the decoder's internals become. The thumbnail applies the EXIF
//! orientation and the ICC profile, which zune-jpeg does not: sizes are
//! compared after orientation, pixels only for upright images without a
//! profile.
//!
//! When both decode, they must agree on the size, and on the pixels within
//! what two correct decoders may differ by: IDCT rounding (a few levels per
//! pixel) and chroma upsampling (ours scales chroma with the IDCT, zune
//! interpolates; on noise-like fuzzed data that can move single pixels a
//! lot, but not the average of a region). So the check is per 16×16 cell
//! mean for colour images, and per pixel for greyscale ones. Our decoder
//! refusing what zune-jpeg accepts is allowed (ours refuses truncated and
//! corrupt data that zune fills in).

use std::io::Cursor;

use bytes::Bytes;
use image::ImageFormat;
use mediakit_image::{
    EncodeSettings, MediaKind, NoDeadline, OutputFormat, Parsed, sniff, thumbnail,
};
use zune_core::colorspace::ColorSpace;
use zune_core::options::DecoderOptions;
use zune_jpeg::JpegDecoder;

use crate::images::{SMALL_PIXELS, small_limits};

/// Largest difference of a 16×16 cell's mean, per channel, in levels.
pub const CELL_TOLERANCE: f64 = 12.0;
/// Largest difference of one greyscale pixel, in levels.
pub const GREY_PIXEL_TOLERANCE: u8 = 8;
const CELL: usize = 16;

pub fn jpeg_differential(data: &[u8]) {
    if sniff(data) != Some(MediaKind::Jpeg) {
        return;
    }
    let Ok(parsed) = Parsed::parse_as(MediaKind::Jpeg, Bytes::copy_from_slice(data)) else {
        return;
    };
    let header = *parsed.header().expect("a JPEG has a header");

    // Ours first: its refusing what zune-jpeg accepts is allowed, and a
    // file ours refuses is not handed to zune at all (zune-jpeg 0.5.15
    // panics inside its AVX2 IDCT on some corrupt baseline files that ours
    // refuses as truncated; fuzz/regressions/jpeg_differential/crash-e3ff…).
    let png = EncodeSettings {
        format: Some(OutputFormat::Png),
        quality: 100,
    };
    let Ok(ours) = thumbnail(&parsed, u32::MAX, &png, &small_limits(), &NoDeadline) else {
        return;
    };

    // Strict: zune refuses what libjpeg only warns about (a bad Huffman
    // code, bytes before a marker). How a decoder fills in corrupt data is
    // its own choice, so pixels are only compared on streams both read
    // as valid.
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGB)
        .set_strict_mode(true);
    let mut zune = JpegDecoder::new_with_options(Cursor::new(data), options);
    if zune.decode_headers().is_err() {
        return;
    }
    let info = zune.info().expect("headers were decoded");
    let (zw, zh) = (u32::from(info.width), u32::from(info.height));
    if u64::from(zw) * u64::from(zh) > SMALL_PIXELS {
        return;
    }
    let Ok(theirs) = zune.decode() else {
        return;
    };

    let rotated = matches!(header.orientation, 5..=8);
    let expected = if rotated { (zh, zw) } else { (zw, zh) };
    assert_eq!(
        (ours.width, ours.height),
        expected,
        "the decoders disagree on the size (orientation {})",
        header.orientation
    );
    let upright = !(2..=8).contains(&header.orientation);
    let has_icc = memchr_find(data, b"ICC_PROFILE\0");
    if !upright
        || has_icc
        || !matches!(info.components, 1 | 3)
        || odd_sequential_scan(data)
        || tables_redefined_after_a_scan(data)
    {
        return;
    }
    let ours = image::load_from_memory_with_format(&ours.bytes, ImageFormat::Png)
        .expect("our PNG decodes")
        .to_rgb8()
        .into_raw();
    assert_eq!(
        ours.len(),
        theirs.len(),
        "zune-jpeg gave another buffer size"
    );
    let (w, h) = (zw as usize, zh as usize);
    if info.components == 1 {
        let clipped = clipped_cells(&ours, w, h);
        let worst = ours
            .iter()
            .zip(&theirs)
            .enumerate()
            .filter(|&(i, _)| !clipped[cell_index(w, (i / 3) % w, (i / 3) / w)])
            .map(|(_, (a, b))| a.abs_diff(*b))
            .max()
            .unwrap_or(0);
        assert!(
            worst <= GREY_PIXEL_TOLERANCE,
            "greyscale pixels differ by up to {worst} levels"
        );
    }
    let worst = worst_cell_difference(&ours, &theirs, w, h);
    assert!(
        worst <= CELL_TOLERANCE,
        "a 16x16 cell's mean differs by {worst:.1} levels"
    );
}

/// Whether a quantization table is defined after the first scan. Ours
/// keeps the table each component had at its first scan, as libjpeg does
/// (djpeg and ours agree within 3 levels on
/// fuzz/regressions/jpeg_differential/crash-ec32…, a progressive image
/// whose tables are redefined between scans); zune-jpeg uses the last one
/// defined. Found by bytes as in [`odd_sequential_scan`]: a false match
/// inside another segment only skips the comparison.
fn tables_redefined_after_a_scan(data: &[u8]) -> bool {
    let Some(first_scan) = data.windows(2).position(|w| w == [0xFF, 0xDA]) else {
        return false;
    };
    data[first_scan..].windows(2).any(|w| w == [0xFF, 0xDB])
}

/// Whether a sequential (SOF0/SOF1) frame has a scan whose header says
/// other than the full band at full precision (Ss 0, Se 63, Ah 0, Al 0).
/// Ours ignores those fields as libjpeg does; zune-jpeg reads them, so
/// the two may differ with neither wrong. Markers are found by their bytes:
/// entropy-coded data stuffs every 0xFF, so `FF DA` is always a scan.
fn odd_sequential_scan(data: &[u8]) -> bool {
    let sequential = data
        .windows(2)
        .any(|w| w == [0xFF, 0xC0] || w == [0xFF, 0xC1]);
    sequential
        && data.windows(2).enumerate().any(|(i, w)| {
            if w != [0xFF, 0xDA] {
                return false;
            }
            let Some(&count) = data.get(i + 4) else {
                return false;
            };
            let tail = i + 5 + 2 * usize::from(count);
            data.get(tail..tail + 3).is_some_and(|t| t != [0, 63, 0])
        })
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The largest difference of per-channel means over 16×16 cells (smaller
/// at the right and bottom edges) of two RGB images of `w`×`h`.
pub fn worst_cell_difference(a: &[u8], b: &[u8], w: usize, h: usize) -> f64 {
    let clipped = clipped_cells(a, w, h);
    let mut worst = 0f64;
    for cy in (0..h).step_by(CELL) {
        for cx in (0..w).step_by(CELL) {
            let mut sums = [0i64; 3];
            let mut count = 0i64;
            for y in cy..(cy + CELL).min(h) {
                for x in cx..(cx + CELL).min(w) {
                    let i = (y * w + x) * 3;
                    for (c, sum) in sums.iter_mut().enumerate() {
                        *sum += i64::from(a[i + c]) - i64::from(b[i + c]);
                    }
                    count += 1;
                }
            }
            if clipped[cell_index(w, cx, cy)] {
                continue;
            }
            for sum in sums {
                worst = worst.max((sum as f64 / count as f64).abs());
            }
        }
    }
    worst
}

/// Per 16×16 cell of RGB image `a` (row by row), whether it has a clipped
/// sample (0 or 255), in one pass. Corrupt streams can carry coefficients
/// no 8-bit image produces (a category-10 AC value times a quantiser of
/// 255); libjpeg and zune wrap or clamp them at different points of their
/// integer IDCTs, ours clamps its float IDCT's output, so such cells have
/// no single right answer. Valid streams clip only where the image is
/// black or white, and decoders agree there anyway.
fn clipped_cells(a: &[u8], w: usize, h: usize) -> Vec<bool> {
    let mut clipped = vec![false; w.div_ceil(CELL) * h.div_ceil(CELL)];
    for (i, px) in a.chunks_exact(3).enumerate() {
        if px.iter().any(|&v| v == 0 || v == 255) {
            clipped[cell_index(w, i % w, i / w)] = true;
        }
    }
    clipped
}

/// The index in [`clipped_cells`] of the cell holding (`x`, `y`).
fn cell_index(w: usize, x: usize, y: usize) -> usize {
    (y / CELL) * w.div_ceil(CELL) + x / CELL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_means_hide_moved_pixels_but_not_shifted_regions() {
        let (w, h) = (32, 16);
        let a = vec![100u8; w * h * 3];
        // One pixel off by 200 in a cell of 256: 0.8 levels on average.
        let mut b = a.clone();
        b[0] = 255;
        assert!(worst_cell_difference(&a, &b, w, h) < 1.0);
        // A whole cell brighter by 20.
        let mut c = a.clone();
        for y in 0..16 {
            for x in 16..32 {
                c[(y * w + x) * 3 + 1] = 120;
            }
        }
        assert_eq!(worst_cell_difference(&a, &c, w, h), 20.0);
    }
}
