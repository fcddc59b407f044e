//! The placeholder of an image: a ThumbHash (~25 bytes) a page draws, blurred,
//! while the real thumbnail loads.
//!
//! ThumbHash rather than BlurHash: it keeps the aspect ratio and alpha,
//! renders more detail in the same size, and needs no parameters chosen per
//! image (BlurHash's component counts); both are a handful of bytes per item
//! in a listing. The `thumbhash` crate is its authors' own implementation.

use crate::pixels::Pixels;

/// ThumbHash encodes from at most 100 × 100 pixels (more would be slower for
/// the same hash); images are brought down to this first.
pub const PLACEHOLDER_SIDE: u32 = 100;

/// The small RGBA image a ThumbHash stands for (width, height, pixels), to
/// draw blurred and scaled up; `None` for bytes that are not one. Runs in
/// the browser, on hashes the server sent.
pub fn decode(hash: &[u8]) -> Option<(u32, u32, Vec<u8>)> {
    // The format's header takes 5 bytes; its decoder reads past a shorter
    // or truncated hash's end only through checked accessors, and sizes
    // its output from the header's 3-bit counts (at most 32 × 32 pixels).
    if hash.len() < 5 {
        return None;
    }
    let (w, h, rgba) = thumbhash::thumb_hash_to_rgba(hash).ok()?;
    Some((u32::try_from(w).ok()?, u32::try_from(h).ok()?, rgba))
}

/// The ThumbHash of an oriented sRGB image no larger than
/// [`PLACEHOLDER_SIDE`] on either side.
pub(crate) fn thumbhash(pixels: &Pixels) -> Vec<u8> {
    debug_assert!(pixels.width <= PLACEHOLDER_SIDE && pixels.height <= PLACEHOLDER_SIDE);
    let rgba: Vec<u8> = match pixels.channels {
        1 => pixels
            .data
            .iter()
            .flat_map(|&g| [g, g, g, u8::MAX])
            .collect(),
        2 => pixels
            .data
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        3 => pixels
            .data
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], u8::MAX])
            .collect(),
        _ => pixels.data.clone(),
    };
    thumbhash::rgba_to_thumb_hash(pixels.width as usize, pixels.height as usize, &rgba)
}
