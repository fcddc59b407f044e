//! Animated WebP, through image-webp directly rather than `image`'s frame
//! iterator, which allocates a new canvas-sized image for every frame (and
//! converts it to RGBA): the first frame is kept, every later one is
//! decoded into one reused buffer, which validates it.
//!
//! image-webp composes each frame onto the whole canvas and copies the
//! canvas out, so a frame costs the canvas however small its rectangle:
//! the pixel budget over all frames counts the canvas per frame. The frame
//! count and that budget are checked before the first frame is decoded,
//! the deadline before each.

use std::io::Cursor;

use image_webp::{DecodingError, WebPDecoder};

use crate::decoded::{DecodeRequest, Decoded, decoder_memory_limit};
use crate::error::{ErrorKind, ImageError, Result};
use crate::limits::check_deadline;
use crate::pixels::Pixels;

fn webp_error(e: DecodingError) -> ImageError {
    match e {
        DecodingError::ImageTooLarge | DecodingError::MemoryLimitExceeded => ImageError::new(
            ErrorKind::TooManyPixels,
            format!("the WebP is too large: {e}"),
        ),
        DecodingError::NoMoreFrames => ImageError::corrupt("WebP: an animation without frames"),
        other => ImageError::corrupt(format!("the WebP cannot be decoded: {other}")),
    }
}

/// The first frame of an animation whose container holds `frames` ANMF
/// chunks; every other frame decoded too.
pub(super) fn decode(bytes: &[u8], frames: u32, request: &DecodeRequest<'_>) -> Result<Decoded> {
    let limits = &request.limits;
    let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(webp_error)?;
    let (width, height) = decoder.dimensions();
    limits.check_pixels(width, height)?;
    // Our walk and image-webp's count the same chunks; the larger count
    // is held to the limits in case they ever disagree.
    let frames = frames.max(decoder.num_frames());
    limits.check_frames(frames)?;
    if frames > 1 {
        let canvas = u64::from(width) * u64::from(height);
        limits.check_total_pixels(frames, canvas.saturating_mul(u64::from(frames)))?;
    }
    let memory_limit = usize::try_from(decoder_memory_limit(limits)).unwrap_or(usize::MAX);
    decoder.set_memory_limit(memory_limit);
    // A broken profile is no reason to refuse the image: it is then treated as sRGB.
    let icc = decoder.icc_profile().ok().flatten();
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    let len = decoder
        .output_buffer_size()
        .ok_or_else(|| ImageError::too_large("the WebP canvas is too large"))?;

    check_deadline(request.deadline)?;
    let mut first = vec![0u8; len];
    decoder.read_frame(&mut first).map_err(webp_error)?;
    let mut scratch = Vec::new();
    for _ in 1..decoder.num_frames() {
        check_deadline(request.deadline)?;
        scratch.resize(len, 0);
        decoder.read_frame(&mut scratch).map_err(webp_error)?;
    }
    Ok(Decoded {
        pixels: Pixels {
            width,
            height,
            channels,
            data: first,
        },
        full_size: (width, height),
        icc,
    })
}
