//! What a raster image's header says, read by the container parse without
//! decoding pixel data, so that a decompression bomb is refused before
//! anything is allocated for it.

/// What the header says, read WITHOUT decoding pixel data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    /// As stored (before EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// EXIF orientation 1..=8 (1 when absent or unknown), from JPEG APP1
    /// Exif, PNG eXIf or WebP EXIF.
    pub orientation: u8,
    /// Best knowledge from the header: PNG colour type or tRNS, WebP
    /// VP8L/ALPH/VP8X flag, GIF transparency (or a first frame that does not
    /// cover the screen).
    pub has_alpha: bool,
    /// A GIF with more than one frame, an animated WebP with more than one
    /// frame, or an APNG with more than one frame.
    pub animated: bool,
}

impl ImageHeader {
    /// Orientations 5..=8 turn the image a quarter, swapping its sides.
    fn swaps_sides(&self) -> bool {
        matches!(self.orientation, 5..=8)
    }

    /// The size as displayed (EXIF orientation applied).
    pub fn display_size(&self) -> (u32, u32) {
        if self.swaps_sides() {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }
}
