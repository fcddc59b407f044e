//! The bounds every decode runs within, checked in one place: the header
//! check before decoding and the decoders' own checks on what they are
//! about to allocate call the same function, so the limit and its message
//! are the same whoever hits it.

use crate::error::{ErrorKind, ImageError, Result};

/// 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;

/// What decoding an image may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Pixels of the image, and of any one frame of an animation.
    pub max_pixels: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: DEFAULT_MAX_PIXELS,
        }
    }
}

impl Limits {
    /// `TooManyPixels` when `width` × `height` is above the limit.
    pub fn check_pixels(&self, width: u32, height: u32) -> Result<()> {
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Err(ImageError::new(
                ErrorKind::TooManyPixels,
                format!(
                    "the image is {width}x{height} ({} megapixels); the limit is {} megapixels",
                    pixels / 1_000_000,
                    self.max_pixels / 1_000_000
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_itself_passes_and_one_more_pixel_does_not() {
        let limits = Limits { max_pixels: 100 };
        assert!(limits.check_pixels(10, 10).is_ok());
        let err = limits.check_pixels(101, 1).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooManyPixels);
        assert!(err.message.contains("101x1"), "{err}");
        // No overflow at the largest sides.
        assert!(limits.check_pixels(u32::MAX, u32::MAX).is_err());
    }
}
