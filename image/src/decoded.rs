//! What decoding is asked for and what it gives, shared by every format's
//! decoder; and decoding through the `image` crate's decoders (PNG, WebP,
//! the JPEGs our own decoder leaves), with its limits as a second line of
//! defence.

use image::{DynamicImage, ImageDecoder};

use crate::error::{ErrorKind, ImageError, Result};
use crate::limits::{Deadline, Limits};
use crate::pixels::Pixels;

/// A decoded image (first frame of an animation) and its ICC profile.
pub(crate) struct Decoded {
    /// Possibly shrunk on load (see [`DecodeRequest::shrink_to`]).
    pub pixels: Pixels,
    /// The image's real size, which is `pixels`' size unless shrunk on load.
    pub full_size: (u32, u32),
    pub icc: Option<Vec<u8>>,
}

/// How much of the entropy-coded data a decode covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DecodeMode {
    /// Everything: decoding is the validation of an upload.
    Validate,
    /// Only what the output can depend on: a progressive JPEG decoded at
    /// 1/8 scale skips its AC scans (a 1/8-scale block is its DC
    /// coefficient alone, so the pixels are the same). The container is
    /// still checked to be complete.
    OutputOnly,
}

/// One decode of a parsed image.
#[derive(Clone, Copy)]
pub(crate) struct DecodeRequest<'a> {
    pub limits: Limits,
    /// A JPEG may come out smaller by a power of two, but never smaller
    /// than this size (stored orientation); other formats ignore it.
    pub shrink_to: Option<(u32, u32)>,
    pub mode: DecodeMode,
    /// Asked between bounded pieces of work (see [`Deadline`]).
    pub deadline: &'a dyn Deadline,
}

/// The allocation limit handed to the `image` decoders as a second line of
/// defence: the largest buffer is the image at 16 bits × 4 channels, plus
/// room for the decoders' own working buffers.
pub(crate) fn decoder_memory_limit(limits: &Limits) -> u64 {
    limits.max_pixels.saturating_mul(8).saturating_add(64 << 20)
}

fn image_crate_limits(limits: &Limits) -> image::Limits {
    let mut out = image::Limits::default();
    out.max_alloc = Some(decoder_memory_limit(limits));
    out
}

pub(crate) fn image_crate_error(e: image::ImageError) -> ImageError {
    match e {
        image::ImageError::Limits(e) => ImageError::new(ErrorKind::TooManyPixels, e.to_string()),
        other => ImageError::corrupt(format!("the image cannot be decoded: {other}")),
    }
}

/// What one of the `image` crate's decoders says before it decodes.
pub(crate) struct Prepared {
    pub full_size: (u32, u32),
    pub icc: Option<Vec<u8>>,
}

/// Readies one of the `image` crate's decoders: its size checked against
/// the limits before anything is allocated for the pixels, its own limits
/// set.
pub(crate) fn prepare(decoder: &mut impl ImageDecoder, limits: &Limits) -> Result<Prepared> {
    let (width, height) = decoder.dimensions();
    limits.check_pixels(width, height)?;
    decoder
        .set_limits(image_crate_limits(limits))
        .map_err(image_crate_error)?;
    // A broken profile is no reason to refuse the image: it is then treated as sRGB.
    let icc = decoder.icc_profile().ok().flatten();
    Ok(Prepared {
        full_size: (width, height),
        icc,
    })
}

/// A still image through one of the `image` crate's decoders.
pub(crate) fn decode_still(
    decoder: image::ImageResult<impl ImageDecoder>,
    limits: &Limits,
) -> Result<Decoded> {
    let mut decoder = decoder.map_err(image_crate_error)?;
    let Prepared { full_size, icc } = prepare(&mut decoder, limits)?;
    let image = DynamicImage::from_decoder(decoder).map_err(image_crate_error)?;
    Ok(Decoded {
        pixels: Pixels::from_dynamic(image),
        full_size,
        icc,
    })
}
