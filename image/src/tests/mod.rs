//! Pipeline tests on the committed fixtures (tests/fixtures at the repo root).

mod header;
mod limits;
mod memory;
mod placeholder;
mod quality;
mod render;
mod rendition;
mod robustness;
mod strip;

pub(crate) use crate::forge;
use bytes::Bytes;

use crate::error::{ErrorKind, Result};
use crate::formats::MediaKind;
use crate::output::EncodeSettings;
use crate::parsed::Parsed;
use crate::render::VariantSpec;

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../../../tests/fixtures/", $name)).as_slice()
    };
}

pub(crate) const JPEG_800: &[u8] = fixture!("photo-seeding-800.jpg");
pub(crate) const JPEG_ORIENT6: &[u8] = fixture!("photo-orient6.jpg");
pub(crate) const JPEG_PROGRESSIVE: &[u8] = fixture!("photo-progressive.jpg");
pub(crate) const JPEG_GRAY: &[u8] = fixture!("photo-grayscale.jpg");
pub(crate) const PNG_ALPHA: &[u8] = fixture!("photo-alpha.png");
pub(crate) const WEBP: &[u8] = fixture!("photo.webp");
pub(crate) const GIF_ANIMATED: &[u8] = fixture!("animated.gif");
pub(crate) const SVG: &[u8] = fixture!("logo.svg");
pub(crate) const PDF: &[u8] = fixture!("document.pdf");

/// The service's presets (the one definition of them).
pub(crate) use crate::render::default_presets as presets;

pub(crate) fn spec(name: &str, max_side: u32) -> Vec<VariantSpec> {
    vec![VariantSpec {
        name: name.into(),
        max_side,
    }]
}

pub(crate) fn auto() -> EncodeSettings {
    EncodeSettings::default()
}

/// The service's preset variants of `parsed`, default limits and settings.
pub(crate) fn preset_variants(parsed: &Parsed) -> Vec<crate::render::Rendered> {
    let limits = crate::limits::Limits::default();
    crate::render::render_variants(
        parsed,
        &presets(),
        &auto(),
        &limits,
        &crate::limits::NoDeadline,
    )
    .unwrap()
}

/// The error kind of a result that must be an error.
pub(crate) fn code<T: std::fmt::Debug>(r: Result<T>) -> ErrorKind {
    r.expect_err("expected an error").kind
}

/// `bytes` parsed as `kind` (the type sniffing would tell, or another).
pub(crate) fn parse(kind: MediaKind, bytes: &[u8]) -> Result<Parsed> {
    Parsed::parse_as(kind, Bytes::copy_from_slice(bytes))
}

/// A JPEG encoder writing to `out` whose file carries a Display P3 ICC
/// profile.
pub(crate) fn display_p3_jpeg_encoder(
    out: &mut Vec<u8>,
    quality: u8,
) -> jpeg_encoder::Encoder<&mut Vec<u8>> {
    let icc = moxcms::ColorProfile::new_display_p3().encode().unwrap();
    let mut encoder = jpeg_encoder::Encoder::new(out, quality);
    encoder.add_icc_profile(&icc).unwrap();
    encoder
}

/// Decodes with the `image` crate, as an independent reference.
pub(crate) fn reference(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("reference decode")
}

/// Peak signal-to-noise ratio of two equally sized 8-bit buffers, in dB.
pub(crate) fn psnr(a: &[u8], b: &[u8]) -> f64 {
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
