//! Forged decoder inputs for the hostile suite: images that are valid, or
//! nearly so, and small, but would make a decoder without limits work far
//! beyond their size — a progressive JPEG of thousands of scans,
//! coefficients the bit reader cannot hold, GIF frames outside the screen
//! the pixel limit reads, animations of thousands of frames or of a huge
//! canvas per frame. Built by the image crate's `forge` module (one
//! forger for its unit tests and this suite); named here for what the
//! suite sends.
//!
//! Each image's data decodes (DC differences of 0, end-of-band runs over
//! every block, frames of one colour), so a refusal can only come from the
//! limit under test: the e2e tests upload a version below each limit too
//! and expect it accepted.

use mediakit_image::forge;

/// The side of the forged JPEGs: 64 × 64 grey, 64 blocks.
const JPEG_SIDE: u16 = 64;

/// A grey progressive JPEG of `scans` scans (at least 1): its DC scan,
/// then first scans of the AC band 1..=63, the same one again and again,
/// each an end-of-band run over every block (so each is cheap to carry and,
/// without limits, a pass over the image to decode). Two scans are a valid
/// progression; more repeat a scan (refused as corrupt when under the scan
/// limit, as too complex above it).
pub fn jpeg_many_scans(scans: u32) -> Vec<u8> {
    forge::progressive_eob_runs(JPEG_SIDE, JPEG_SIDE, scans.saturating_sub(1))
}

/// A grey baseline JPEG whose block holds AC coefficients of category 15
/// (8-bit data has at most 10): more extra bits than the decoder's bit
/// reader guarantees per refill.
pub fn jpeg_ac_category_15() -> Vec<u8> {
    forge::baseline_category_15()
}

/// A GIF whose logical screen is 1 × 1 and whose one frame is 64 × 64:
/// what the header says (and the pixel limit reads) is not what is decoded.
pub fn gif_frame_beyond_screen() -> Vec<u8> {
    forge::gif((1, 1), &[(0, 0, 64, 64)])
}

/// The same frame inside a screen of its size: accepted.
pub fn gif_frame_within_screen() -> Vec<u8> {
    forge::gif((64, 64), &[(0, 0, 64, 64)])
}

/// A 1 × 1 GIF animation of `frames` frames.
pub fn gif_many_frames(frames: usize) -> Vec<u8> {
    forge::gif((1, 1), &vec![(0, 0, 1, 1); frames])
}

/// An animated WebP: a `width` × `height` canvas and `frames` lossless
/// 1 × 1 frames at its corner, alternately red and blue.
pub fn webp_animation(width: u32, height: u32, frames: usize) -> Vec<u8> {
    let colors: Vec<[u8; 4]> = (0..frames)
        .map(|n| {
            if n % 2 == 0 {
                [255, 0, 0, 255]
            } else {
                [0, 0, 255, 255]
            }
        })
        .collect();
    forge::animated_webp((width, height), &colors)
}

/// A 1 × 1 WebP animation of `frames` frames.
pub fn webp_many_frames(frames: usize) -> Vec<u8> {
    webp_animation(1, 1, frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent decoder (the `image` crate) reads the forged files,
    /// so a refusal by the server is the limit's, not broken data's.
    #[test]
    fn the_forged_images_decode() {
        let decode = |bytes: &[u8]| image::load_from_memory(bytes).expect("decodes");
        let jpeg = decode(&jpeg_many_scans(2)).to_luma8();
        assert_eq!(jpeg.dimensions(), (64, 64));
        assert!(jpeg.pixels().all(|p| p.0 == [128]));
        let gif = decode(&gif_frame_within_screen()).to_rgba8();
        assert_eq!(gif.dimensions(), (64, 64));
        assert!(gif.pixels().all(|p| p.0 == [0, 0, 0, 255]));
        let webp = decode(&webp_animation(3, 2, 2)).to_rgba8();
        assert_eq!(webp.dimensions(), (3, 2));
        assert_eq!(webp.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(decode(&gif_many_frames(3)).width(), 1);
    }
}
