//! Variants are sRGB without an embedded profile: an original tagged with
//! another RGB profile (Display P3 from phones, Adobe RGB from cameras) is
//! converted, so that a browser shows the variant like the original while the
//! variant does not carry a profile that can weigh as much as a thumbnail.
//!
//! The conversion runs on the resized image (cheaper, and the difference from
//! converting before resizing is far below 8-bit precision for the mild
//! non-linearity between RGB profiles).

use std::sync::Arc;

use moxcms::{ColorProfile, DataColorSpace, Layout, Transform8BitExecutor, TransformOptions, Xyzd};

use crate::pixels::Pixels;

/// A transform from the original's profile to sRGB, for one pixel layout.
pub(crate) struct ToSrgb {
    transform: Arc<Transform8BitExecutor>,
}

impl ToSrgb {
    /// `None` when nothing needs doing: no profile, an sRGB profile, a grey
    /// image (grey profiles are close to sRGB's curve), or a profile that
    /// cannot be used (then the data is taken as sRGB, as browsers do).
    pub fn new(icc: Option<&[u8]>, channels: usize) -> Option<Self> {
        let layout = match channels {
            3 => Layout::Rgb,
            4 => Layout::Rgba,
            _ => return None,
        };
        let profile = ColorProfile::new_from_slice(icc?).ok()?;
        if profile.color_space != DataColorSpace::Rgb || has_srgb_primaries(&profile) {
            return None;
        }
        let srgb = ColorProfile::new_srgb();
        let transform = profile
            .create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
            .ok()?;
        Some(Self { transform })
    }

    /// Converts in place (through one buffer of the same size). On a
    /// transform failure the pixels are left as they were.
    pub fn apply(&self, pixels: &mut Pixels) {
        let mut out = vec![0; pixels.data.len()];
        if self.transform.transform(&pixels.data, &mut out).is_ok() {
            pixels.data = out;
        }
    }
}

/// Profiles with sRGB's primaries and white (camera "sRGB IEC61966-2.1",
/// sRGB v4, …) are treated as sRGB without a transform. Their curves may
/// differ a little (e.g. a pure 2.2 gamma); that is below what 8-bit output
/// and browsers distinguish in practice.
fn has_srgb_primaries(profile: &ColorProfile) -> bool {
    let srgb = ColorProfile::new_srgb();
    let close = |a: Xyzd, b: Xyzd| {
        (a.x - b.x).abs() < 2e-3 && (a.y - b.y).abs() < 2e-3 && (a.z - b.z).abs() < 2e-3
    };
    close(profile.red_colorant, srgb.red_colorant)
        && close(profile.green_colorant, srgb.green_colorant)
        && close(profile.blue_colorant, srgb.blue_colorant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_p3_is_converted_and_srgb_is_not() {
        let p3 = ColorProfile::new_display_p3().encode().unwrap();
        let srgb = ColorProfile::new_srgb().encode().unwrap();
        assert!(ToSrgb::new(Some(&srgb), 3).is_none());
        assert!(ToSrgb::new(None, 3).is_none());
        assert!(ToSrgb::new(Some(b"not a profile"), 3).is_none());
        let to_srgb = ToSrgb::new(Some(&p3), 3).expect("P3 needs a transform");
        let convert = |rgb: [u8; 3]| {
            let mut px = Pixels {
                width: 1,
                height: 1,
                channels: 3,
                data: rgb.to_vec(),
            };
            to_srgb.apply(&mut px);
            px.data
        };
        // Pure P3 red lies outside sRGB: it clips to full red.
        assert_eq!(convert([255, 0, 0])[0], 255);
        // A mid P3 green becomes a more saturated sRGB green.
        let green = convert([100, 150, 100]);
        assert!(green[1] > 150 && green[0] < 100, "{green:?}");
    }
}
