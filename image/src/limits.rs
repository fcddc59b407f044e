//! The bounds every decode runs within, checked in one place: the header
//! check before decoding, the counts the container parses leave (JPEG
//! scans, animation frames and their pixels) and the decoders' own checks
//! on what they are about to allocate call the functions here, so each
//! limit and its message are the same whoever hits it.
//!
//! Pixels bound memory; they do not bound work. A progressive JPEG may
//! carry any number of scans over the same pixels and an animation any
//! number of frames, so those are counted (at parse time, before any
//! decoding) and held to limits of their own; whatever work is left is
//! bounded by a [`Deadline`] the caller injects (this crate has no clock).

use crate::error::{ErrorKind, ImageError, Result};

/// 50 megapixels.
pub const DEFAULT_MAX_PIXELS: u64 = 50_000_000;
/// Pixels decoded over all the frames of an animation: 4 default-sized
/// images, or 200 frames of 1 MP (a 1000 × 1000 GIF). Real animations stay
/// far below it (a 640 × 360 clip of 300 frames is 69 MP).
pub const DEFAULT_MAX_TOTAL_PIXELS: u64 = 200_000_000;
/// Frames of an animation (GIF, WebP): 40 s at 25 frames per second.
pub const DEFAULT_MAX_FRAMES: u32 = 1_000;
/// Scans of a JPEG. A progressive JPEG from libjpeg or mozjpeg has 6 to 13;
/// libjpeg-turbo's `djpeg -maxscans` exists for files made of thousands.
pub const DEFAULT_MAX_SCANS: u32 = 100;

/// What decoding an image may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Pixels of the image, and of any one frame of an animation.
    pub max_pixels: u64,
    /// Pixels decoded over all frames of an animation (a still image is
    /// held to `max_pixels` alone). What a frame counts is what its
    /// decoder produces: a GIF frame its rectangle, a WebP frame the whole
    /// canvas it is composed onto.
    pub max_total_pixels: u64,
    /// Frames of an animation.
    pub max_frames: u32,
    /// Scans of a JPEG (counted at parse time, before decoding).
    pub max_scans: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_pixels: DEFAULT_MAX_PIXELS,
            max_total_pixels: DEFAULT_MAX_TOTAL_PIXELS,
            max_frames: DEFAULT_MAX_FRAMES,
            max_scans: DEFAULT_MAX_SCANS,
        }
    }
}

/// A pixel count for a message: in megapixels with one decimal, or in
/// pixels below 0.1 MP (which would read as "0.0").
fn pixel_count(pixels: u64) -> String {
    if pixels < 100_000 {
        format!("{pixels} pixels")
    } else {
        format!("{:.1} megapixels", pixels as f64 / 1_000_000.0)
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
                    "the image is {width}x{height} ({}); the limit is {}",
                    pixel_count(pixels),
                    pixel_count(self.max_pixels)
                ),
            ));
        }
        Ok(())
    }

    /// `TooManyPixels` when the frames of an animation add up to more
    /// pixels than the limit.
    pub fn check_total_pixels(&self, frames: u32, total: u64) -> Result<()> {
        if total > self.max_total_pixels {
            return Err(ImageError::new(
                ErrorKind::TooManyPixels,
                format!(
                    "the {frames} frames of the animation decode to {}; the limit over all \
                     frames is {}",
                    pixel_count(total),
                    pixel_count(self.max_total_pixels)
                ),
            ));
        }
        Ok(())
    }

    /// `TooComplex` when an animation has more frames than the limit.
    pub fn check_frames(&self, frames: u32) -> Result<()> {
        if frames > self.max_frames {
            return Err(ImageError::new(
                ErrorKind::TooComplex,
                format!(
                    "the animation has {frames} frames; the limit is {}",
                    self.max_frames
                ),
            ));
        }
        Ok(())
    }

    /// `TooComplex` when a JPEG has more scans than the limit.
    pub fn check_scans(&self, scans: u32) -> Result<()> {
        if scans > self.max_scans {
            return Err(ImageError::new(
                ErrorKind::TooComplex,
                format!(
                    "the JPEG has {scans} scans; the limit is {}",
                    self.max_scans
                ),
            ));
        }
        Ok(())
    }
}

/// When an image job must be abandoned. The crate has no clock: the caller
/// injects one through this trait (mediakit's core from its `Clock` port).
/// The decoders ask at points a bounded amount of work apart (each MCU row
/// and scan of a JPEG, each frame of an animation, each step of rendering),
/// so a job stops soon after its time is up.
pub trait Deadline {
    /// Whether the time is up.
    fn expired(&self) -> bool;

    /// The time the job was given, in milliseconds, for the message.
    fn allowance_ms(&self) -> u64;
}

/// No deadline: for tools and tests, where the caller can stop the work.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoDeadline;

impl Deadline for NoDeadline {
    fn expired(&self) -> bool {
        false
    }

    fn allowance_ms(&self) -> u64 {
        u64::MAX
    }
}

/// A deadline `allowance_ms` after it is started, read from a millisecond
/// clock the caller provides (wall-clock time: on a thread that does
/// nothing else it is the job's CPU time, and when the machine is busy it
/// only ends the job sooner).
pub struct ClockDeadline<F: Fn() -> i64> {
    now_ms: F,
    until: i64,
    allowance_ms: u64,
}

impl<F: Fn() -> i64> ClockDeadline<F> {
    pub fn start(now_ms: F, allowance_ms: u64) -> Self {
        let allowance = i64::try_from(allowance_ms).unwrap_or(i64::MAX);
        let until = now_ms().saturating_add(allowance);
        Self {
            now_ms,
            until,
            allowance_ms,
        }
    }
}

impl<F: Fn() -> i64> Deadline for ClockDeadline<F> {
    fn expired(&self) -> bool {
        (self.now_ms)() >= self.until
    }

    fn allowance_ms(&self) -> u64 {
        self.allowance_ms
    }
}

/// `TooComplex` once the deadline has passed.
pub(crate) fn check_deadline(deadline: &dyn Deadline) -> Result<()> {
    if deadline.expired() {
        return Err(ImageError::new(
            ErrorKind::TooComplex,
            format!(
                "processing the image took longer than the {} ms allowed; it was abandoned",
                deadline.allowance_ms()
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn the_limit_itself_passes_and_one_more_pixel_does_not() {
        let limits = Limits {
            max_pixels: 100,
            ..Limits::default()
        };
        assert!(limits.check_pixels(10, 10).is_ok());
        let err = limits.check_pixels(101, 1).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooManyPixels);
        assert!(err.message.contains("101x1"), "{err}");
        // No overflow at the largest sides.
        assert!(limits.check_pixels(u32::MAX, u32::MAX).is_err());
    }

    #[test]
    fn counts_at_their_limit_pass_and_above_it_are_too_complex() {
        let limits = Limits {
            max_frames: 10,
            max_scans: 20,
            max_total_pixels: 1_000,
            ..Limits::default()
        };
        assert!(limits.check_frames(10).is_ok());
        let err = limits.check_frames(11).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooComplex);
        assert!(err.message.contains("11 frames; the limit is 10"), "{err}");

        assert!(limits.check_scans(20).is_ok());
        let err = limits.check_scans(5_000).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooComplex);
        assert!(err.message.contains("5000 scans; the limit is 20"), "{err}");

        assert!(limits.check_total_pixels(3, 1_000).is_ok());
        let err = limits.check_total_pixels(3, 1_001).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooManyPixels);
        assert!(err.message.contains("3 frames"), "{err}");
    }

    #[test]
    fn a_clock_deadline_expires_when_its_clock_reaches_it() {
        let now = Cell::new(1_000i64);
        let deadline = ClockDeadline::start(|| now.get(), 250);
        assert!(!deadline.expired());
        assert!(check_deadline(&deadline).is_ok());
        now.set(1_249);
        assert!(!deadline.expired());
        now.set(1_250);
        let err = check_deadline(&deadline).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooComplex);
        assert!(err.message.contains("250 ms"), "{err}");
        // An allowance too large for the clock saturates instead of wrapping.
        let forever = ClockDeadline::start(|| i64::MAX - 1, u64::MAX);
        assert!(!forever.expired());
        assert!(!NoDeadline.expired());
    }
}
