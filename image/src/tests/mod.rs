//! Pipeline tests on the committed fixtures (tests/fixtures at the repo root).

mod header;
mod quality;
mod render;
mod robustness;
mod strip;

use super::{EncodeSettings, VariantSpec};
use crate::error::ErrorCode;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../../tests/fixtures/", $name)).as_slice()
    };
}

pub(super) const JPEG_800: &[u8] = fixture!("photo-seeding-800.jpg");
pub(super) const JPEG_ORIENT6: &[u8] = fixture!("photo-orient6.jpg");
pub(super) const JPEG_PROGRESSIVE: &[u8] = fixture!("photo-progressive.jpg");
pub(super) const JPEG_GRAY: &[u8] = fixture!("photo-grayscale.jpg");
pub(super) const PNG_ALPHA: &[u8] = fixture!("photo-alpha.png");
pub(super) const WEBP: &[u8] = fixture!("photo.webp");
pub(super) const GIF_ANIMATED: &[u8] = fixture!("animated.gif");
pub(super) const SVG: &[u8] = fixture!("logo.svg");
pub(super) const PDF: &[u8] = fixture!("document.pdf");

/// The service's presets (core's defaults, the one definition of them).
pub(super) use crate::config::default_presets as presets;

pub(super) fn spec(name: &str, max_side: u32) -> Vec<VariantSpec> {
    vec![VariantSpec {
        name: name.into(),
        max_side,
    }]
}

pub(super) fn auto() -> EncodeSettings {
    EncodeSettings::default()
}

/// The error code of a result that must be an error.
pub(super) fn code<T: std::fmt::Debug>(r: crate::Result<T>) -> ErrorCode {
    r.expect_err("expected an error").code
}

/// Decodes with the `image` crate, as an independent reference.
pub(super) fn reference(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("reference decode")
}

/// Peak signal-to-noise ratio of two equally sized 8-bit buffers, in dB.
pub(super) fn psnr(a: &[u8], b: &[u8]) -> f64 {
    assert_eq!(a.len(), b.len());
    let se: f64 = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum();
    let mse = se / a.len() as f64;
    if mse == 0.0 {
        return f64::INFINITY;
    }
    10.0 * (255.0f64 * 255.0 / mse).log10()
}
