//! Full decoding with limits. Decoding is also the validation of an upload,
//! so it is strict: the container must be whole (see
//! [`check_complete`](super::header::check_complete)) and every frame of an
//! animation is decoded, not only the first.

use std::io::Cursor;
use std::num::NonZeroU64;

use image::codecs::jpeg::JpegDecoder;
use image::codecs::png::PngDecoder;
use image::codecs::webp::WebPDecoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageError};

use super::header::check_complete;
use super::pixels::Pixels;
use super::{corrupt, jpeg, not_raster};
use crate::Result;
use crate::error::{Error, ErrorCode};
use crate::kind::MediaKind;

/// A decoded image (first frame of an animation) and its ICC profile.
pub(crate) struct Decoded {
    /// Possibly shrunk on load (see [`decode`]).
    pub pixels: Pixels,
    /// The image's real size, which is `pixels`' size unless shrunk on load.
    pub full_size: (u32, u32),
    pub icc: Option<Vec<u8>>,
}

/// How much of the entropy-coded data must be decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entropy {
    /// Everything: decoding is the validation of an upload.
    All,
    /// Only what the output can depend on: a progressive JPEG decoded at
    /// 1/8 scale skips its AC scans (a 1/8-scale block is its DC
    /// coefficient alone, so the pixels are the same). The container is
    /// still checked to be complete.
    OutputOnly,
}

/// Decodes the whole image. With `shrink_to`, a JPEG may come out smaller by
/// a power of two, but never smaller than that size (stored orientation).
pub(crate) fn decode(
    kind: MediaKind,
    bytes: &[u8],
    max_pixels: u64,
    shrink_to: Option<(u32, u32)>,
    entropy: Entropy,
) -> Result<Decoded> {
    check_complete(kind, bytes)?;
    match kind {
        MediaKind::Jpeg => {
            if let Some(decoded) = jpeg::decode(bytes, shrink_to, max_pixels, entropy) {
                return decoded;
            }
            // What our decoder leaves (CMYK, 12-bit, ...): zune-jpeg through image.
            decode_still(JpegDecoder::new(Cursor::new(bytes)), max_pixels)
        }
        // An APNG decodes to its default image; the other frames are only
        // checked structurally (chunk CRCs) by `check_complete`.
        MediaKind::Png => decode_still(PngDecoder::new(Cursor::new(bytes)), max_pixels),
        MediaKind::Webp => decode_webp(bytes, max_pixels),
        MediaKind::Gif => decode_gif(bytes, max_pixels),
        other => Err(not_raster(other)),
    }
}

/// `ImageTooManyPixels` above the limit, checked on the decoder's own idea
/// of the size before anything is allocated for the pixels.
pub(crate) fn check_pixel_limit(width: u32, height: u32, max_pixels: u64) -> Result<()> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > max_pixels {
        return Err(Error::new(
            ErrorCode::ImageTooManyPixels,
            format!("the image has {pixels} pixels, more than the limit of {max_pixels}"),
        ));
    }
    Ok(())
}

/// Limits handed to the `image` decoders as a second line of defence: the
/// largest buffer is the image at 16 bits × 4 channels, plus room for the
/// decoders' own working buffers.
fn limits(max_pixels: u64) -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_pixels.saturating_mul(8).saturating_add(64 << 20));
    limits
}

fn decode_error(e: ImageError) -> Error {
    match e {
        ImageError::Limits(e) => Error::new(ErrorCode::ImageTooManyPixels, e.to_string()),
        other => corrupt(format!("the image cannot be decoded: {other}")),
    }
}

fn decode_still(
    decoder: image::ImageResult<impl ImageDecoder>,
    max_pixels: u64,
) -> Result<Decoded> {
    let mut decoder = decoder.map_err(decode_error)?;
    let (width, height) = decoder.dimensions();
    check_pixel_limit(width, height, max_pixels)?;
    decoder
        .set_limits(limits(max_pixels))
        .map_err(decode_error)?;
    // A broken profile is no reason to refuse the image: it is then treated as sRGB.
    let icc = decoder.icc_profile().ok().flatten();
    let image = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    Ok(Decoded {
        pixels: Pixels::from_dynamic(image),
        full_size: (width, height),
        icc,
    })
}

fn decode_webp(bytes: &[u8], max_pixels: u64) -> Result<Decoded> {
    let mut decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(decode_error)?;
    if !decoder.has_animation() {
        return decode_still(Ok(decoder), max_pixels);
    }
    let (width, height) = decoder.dimensions();
    check_pixel_limit(width, height, max_pixels)?;
    decoder
        .set_limits(limits(max_pixels))
        .map_err(decode_error)?;
    let icc = decoder.icc_profile().ok().flatten();
    let mut frames = decoder.into_frames();
    let first = frames
        .next()
        .ok_or_else(|| corrupt("WebP: animation without frames"))?
        .map_err(decode_error)?
        .into_buffer();
    // Decoding the rest is the validation of their data.
    for frame in frames {
        frame.map_err(decode_error)?;
    }
    Ok(Decoded {
        pixels: Pixels::from_dynamic(DynamicImage::ImageRgba8(first)),
        full_size: (width, height),
        icc,
    })
}

fn gif_error(e: gif::DecodingError) -> Error {
    corrupt(format!("the GIF cannot be decoded: {e}"))
}

/// GIF through the `gif` crate directly: the first frame is composited onto
/// a transparent screen (as browsers and `image` do), every later frame is
/// LZW-decoded into a scratch buffer without compositing, which validates it
/// at a fraction of the cost.
fn decode_gif(bytes: &[u8], max_pixels: u64) -> Result<Decoded> {
    let frame_limit = max_pixels.saturating_mul(4);
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    options.set_memory_limit(gif::MemoryLimit::Bytes(
        NonZeroU64::new(frame_limit).unwrap_or(NonZeroU64::MIN),
    ));
    let mut decoder = options.read_info(bytes).map_err(gif_error)?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    check_pixel_limit(width, height, max_pixels)?;

    let screen_len = usize::try_from(u64::from(width) * u64::from(height) * 4)
        .map_err(|_| Error::new(ErrorCode::ImageTooManyPixels, "the GIF screen is too large"))?;
    let mut screen = vec![0u8; screen_len];
    let frame = decoder
        .read_next_frame()
        .map_err(gif_error)?
        .ok_or_else(|| corrupt("GIF: no image data"))?;
    blit(&mut screen, width as usize, frame);
    let icc = decoder.icc_profile().map(<[u8]>::to_vec);

    let mut scratch = Vec::new();
    while let Some(frame) = decoder.next_frame_info().map_err(gif_error)? {
        let size = u64::from(frame.width) * u64::from(frame.height) * 4;
        if size > frame_limit {
            return Err(Error::new(
                ErrorCode::ImageTooManyPixels,
                "a GIF frame is larger than the pixel limit",
            ));
        }
        scratch.resize(size as usize, 0);
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
