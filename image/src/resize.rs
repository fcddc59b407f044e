//! Downscaling with fast_image_resize (SIMD: AVX2/SSE4.1 picked at run time
//! on x86_64, NEON on aarch64, simd128 on wasm32).

use fast_image_resize::images::{Image, ImageRef};
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions};

use crate::error::{ImageError, Result};
use crate::pixels::Pixels;

/// The filter for every variant: Lanczos3, as vipsthumbnail and sharp use,
/// and the reference of the quality guard (src/tests/quality.rs).
pub(crate) const FILTER: FilterType = FilterType::Lanczos3;

/// The size that fits `max_side` on the longest side, keeping the aspect
/// ratio (rounded to nearest, at least 1 px). Callers only ask for sizes
/// smaller than the source (never upscale).
pub(crate) fn fit(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let longest = u64::from(width.max(height)).max(1);
    let scale = |side: u32| {
        let scaled = (u64::from(side) * u64::from(max_side) + longest / 2) / longest;
        scaled.clamp(1, u64::from(max_side)) as u32
    };
    (scale(width), scale(height))
}

fn pixel_type(channels: usize) -> PixelType {
    match channels {
        1 => PixelType::U8,
        2 => PixelType::U8x2,
        3 => PixelType::U8x3,
        _ => PixelType::U8x4,
    }
}

/// Reuses its working buffers across the variants of one image.
#[derive(Default)]
pub(crate) struct Resizer {
    inner: fast_image_resize::Resizer,
}

impl Resizer {
    /// Resizes to exactly `width` × `height`. Alpha is premultiplied during
    /// the convolution so that transparent pixels do not bleed colour.
    pub fn resize(&mut self, src: &Pixels, width: u32, height: u32) -> Result<Pixels> {
        self.resize_region(src, None, width, height)
    }

    /// Resizes the top-left `extent` (in source pixels, possibly
    /// fractional) of `src`. A JPEG shrunk on load by 8 is `ceil(w / 8)`
    /// pixels wide, its last column standing for only the `w % 8` pixels of
    /// a partial block: resizing the whole width would stretch the picture
    /// by up to 7/w and shift it by almost half an output pixel (measured:
    /// 36 dB against a reference instead of 49).
    pub fn resize_region(
        &mut self,
        src: &Pixels,
        extent: Option<(f64, f64)>,
        width: u32,
        height: u32,
    ) -> Result<Pixels> {
        self.resize_rect(src, extent.map(|(w, h)| (0.0, 0.0, w, h)), width, height)
    }

    /// Resizes the rectangle `(left, top, width, height)` of `src` (in
    /// source pixels, possibly fractional; all of it when `None`) to
    /// exactly `width` × `height`: a crop and a resize in one pass.
    pub fn resize_rect(
        &mut self,
        src: &Pixels,
        rect: Option<(f64, f64, f64, f64)>,
        width: u32,
        height: u32,
    ) -> Result<Pixels> {
        let pixel_type = pixel_type(src.channels);
        let src_view = ImageRef::new(src.width, src.height, &src.data, pixel_type)
            .map_err(ImageError::internal)?;
        let mut dst = Image::new(width, height, pixel_type);
        let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FILTER));
        if let Some((left, top, w, h)) = rect {
            options = options.crop(left, top, w, h);
        }
        self.inner
            .resize(&src_view, &mut dst, &options)
            .map_err(ImageError::internal)?;
        Ok(Pixels {
            width,
            height,
            channels: src.channels,
            data: dst.into_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_longest_side_and_rounds_to_nearest() {
        assert_eq!(fit(800, 450, 256), (256, 144));
        assert_eq!(fit(800, 450, 640), (640, 360));
        assert_eq!(fit(426, 640, 256), (170, 256)); // 170.4
        assert_eq!(fit(640, 426, 256), (256, 170));
        assert_eq!(fit(10_000, 3, 100), (100, 1)); // never 0 px
        assert_eq!(fit(3, 10_000, 100), (1, 100));
    }
}
