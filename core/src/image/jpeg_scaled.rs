//! JPEG shrink-on-load: decoding at 1/2, 1/4 or 1/8 scale by running a
//! smaller inverse DCT (jpeg-decoder's `scale`). Every coefficient is still
//! entropy-decoded, so this validates the file as fully as a full decode.
//!
//! Measured on this machine (release, one thread), whole 256 px thumbnail vs
//! zune-jpeg at full size + resize: 6028×3391 baseline 146 → 90 ms,
//! 6000×4000 baseline 104 → 40 ms, 4096×2304 baseline 36 → 21 ms; a 4096²
//! progressive JPEG got slower (435 → 460 ms: its time goes into coefficient
//! decoding, where jpeg-decoder is slower than zune-jpeg). So this path is
//! taken only for sequential (baseline) JPEGs whose scale actually drops;
//! everything else is decoded at full size by zune-jpeg.

use super::corrupt;
use super::decode::{Decoded, check_pixel_limit};
use super::pixels::Pixels;
use crate::Result;

/// Decodes at the smallest DCT scale whose output is still at least
/// `min_width` × `min_height`. `None` when that scale is 1, the JPEG is
/// progressive, or not plain 8-bit grey/RGB (CMYK, 12-bit): the caller then
/// decodes it in full. Header errors also give `None` so that one decoder reports them.
pub(crate) fn decode(
    bytes: &[u8],
    min_width: u32,
    min_height: u32,
    max_pixels: u64,
) -> Option<Result<Decoded>> {
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    // Progressive images keep every coefficient at full size while decoding.
    let limit = max_pixels.saturating_mul(4).saturating_add(64 << 20);
    decoder.set_max_decoding_buffer_size(usize::try_from(limit).unwrap_or(usize::MAX));
    decoder.read_info().ok()?;
    let info = decoder.info()?;
    let full_size = (u32::from(info.width), u32::from(info.height));
    if let Err(e) = check_pixel_limit(full_size.0, full_size.1, max_pixels) {
        return Some(Err(e));
    }
    if info.coding_process != jpeg_decoder::CodingProcess::DctSequential {
        return None;
    }
    let channels = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        _ => return None,
    };
    let clamp = |v: u32| u16::try_from(v.max(1)).unwrap_or(u16::MAX);
    let (width, height) = decoder.scale(clamp(min_width), clamp(min_height)).ok()?;
    if (width, height) == (info.width, info.height) {
        return None;
    }
    let data = match decoder.decode() {
        Ok(data) => data,
        Err(e) => return Some(Err(corrupt(format!("the JPEG cannot be decoded: {e}")))),
    };
    let (width, height) = (u32::from(width), u32::from(height));
    if data.len() as u64 != u64::from(width) * u64::from(height) * channels as u64 {
        return Some(Err(corrupt("the JPEG decoded to an unexpected size")));
    }
    Some(Ok(Decoded {
        pixels: Pixels {
            width,
            height,
            channels,
            data,
        },
        full_size,
        icc: decoder.icc_profile(),
    }))
}
