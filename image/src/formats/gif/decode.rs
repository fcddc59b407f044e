//! GIF through the `gif` crate directly: the first frame is composited onto
//! a transparent screen (as browsers and `image` do), every later frame is
//! LZW-decoded into a scratch buffer without compositing, which validates it
//! at a fraction of the cost.

use std::num::NonZeroU64;

use crate::decoded::Decoded;
use crate::error::{ImageError, Result};
use crate::limits::{Deadline, Limits, check_deadline};
use crate::pixels::Pixels;

fn gif_error(e: gif::DecodingError) -> ImageError {
    ImageError::corrupt(format!("the GIF cannot be decoded: {e}"))
}

/// Decodes the first frame and validates every other one, each frame held
/// to the pixel limit (the frame count and the pixels of all frames were
/// checked from the container walk); the deadline is asked before each.
pub(super) fn decode(bytes: &[u8], limits: &Limits, deadline: &dyn Deadline) -> Result<Decoded> {
    let frame_bytes_limit = limits.max_pixels.saturating_mul(4);
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        NonZeroU64::new(frame_bytes_limit).unwrap_or(NonZeroU64::MIN),
    ));
    let mut decoder = options.read_info(bytes).map_err(gif_error)?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    limits.check_pixels(width, height)?;

    let screen_len = usize::try_from(u64::from(width) * u64::from(height) * 4)
        .map_err(|_| ImageError::too_large("the GIF screen is too large"))?;
    let mut screen = vec![0u8; screen_len];
    check_deadline(deadline)?;
    let frame = decoder
        .read_next_frame()
        .map_err(gif_error)?
        .ok_or_else(|| ImageError::corrupt("GIF: no image data"))?;
    blit(&mut screen, width as usize, frame);
    let icc = decoder.icc_profile().map(<[u8]>::to_vec);

    let mut scratch = Vec::new();
    while let Some(frame) = decoder.next_frame_info().map_err(gif_error)? {
        check_deadline(deadline)?;
        limits.check_pixels(u32::from(frame.width), u32::from(frame.height))?;
        let size = usize::try_from(u64::from(frame.width) * u64::from(frame.height) * 4)
            .map_err(|_| ImageError::too_large("a GIF frame is too large"))?;
        scratch.resize(size, 0);
        decoder.read_into_buffer(&mut scratch).map_err(gif_error)?;
    }
    Ok(Decoded {
        pixels: Pixels {
            width,
            height,
            channels: 4,
            data: screen,
        },
        full_size: (width, height),
        icc,
    })
}

/// Copies an RGBA frame onto the screen at its offset, clipped to the screen.
fn blit(screen: &mut [u8], screen_width: usize, frame: &gif::Frame<'_>) {
    let screen_height = screen.len() / 4 / screen_width.max(1);
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let frame_width = usize::from(frame.width);
    if left >= screen_width || frame_width == 0 {
        return;
    }
    let copy_width = frame_width.min(screen_width - left);
    for (y, row) in frame.buffer.chunks_exact(frame_width * 4).enumerate() {
        let sy = top + y;
        if sy >= screen_height {
            break;
        }
        let start = (sy * screen_width + left) * 4;
        screen[start..start + copy_width * 4].copy_from_slice(&row[..copy_width * 4]);
    }
}
