//! Variants and thumbnails: decode once, then per size resize → orient →
//! sRGB → encode.

use std::cmp::Reverse;

use crate::color::ToSrgb;
use crate::decoded::{DecodeMode, DecodeRequest};
use crate::encode::encode;
use crate::error::{ErrorKind, ImageError, Result};
use crate::header::ImageHeader;
use crate::limits::{Deadline, Limits, check_deadline};
use crate::orient;
use crate::output::{EncodeSettings, OutputFormat};
use crate::parsed::Parsed;
use crate::pixels::Pixels;
use crate::placeholder::{PLACEHOLDER_SIDE, thumbhash};
use crate::rendition::{self, Plan, RenditionBox};
use crate::resize::{Resizer, fit};
use crate::saliency::{SALIENCY_SIDE, salient_focus};

/// A named variant size: the longest side of the oriented image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariantSpec {
    pub name: String,
    pub max_side: u32,
}

/// One encoded variant. `width`/`height` are as displayed (oriented).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub name: String,
    pub width: u32,
    pub height: u32,
    pub format: OutputFormat,
    pub bytes: Vec<u8>,
}

/// The default variant presets: longest side in pixels. The service's
/// defaults, here so that the pipeline's own tests and benchmarks render
/// what an upload renders.
pub fn default_presets() -> Vec<VariantSpec> {
    [
        ("thumb", 256),
        ("small", 640),
        ("medium", 1280),
        ("large", 2048),
    ]
    .into_iter()
    .map(|(name, max_side)| VariantSpec {
        name: name.to_owned(),
        max_side,
    })
    .collect()
}

fn invalid(message: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::InvalidArgument, message)
}

/// Decodes the image once — always fully, since this is also the validation
/// that the file is neither truncated nor corrupt — applies the EXIF
/// orientation, drops an alpha channel that is fully opaque, and renders one
/// variant per spec whose `max_side` is below the oriented longest side
/// (specs at or above the image size are skipped: never upscale). Animated
/// images give variants of their first frame.
///
/// A JPEG is shrunk on load when even the largest variant is at most half its
/// size, and a variant is resized from a larger variant when that one is at
/// least twice its size (see `SHRINK_MARGIN`); otherwise from the decoded
/// image.
///
/// `TooComplex` once `deadline` has expired: it is asked during decoding
/// and before each resize and encode.
pub fn render_variants(
    image: &Parsed,
    specs: &[VariantSpec],
    settings: &EncodeSettings,
    limits: &Limits,
    deadline: &dyn Deadline,
) -> Result<Vec<Rendered>> {
    render_with(image, specs, settings, limits, deadline, false).map(|set| set.variants)
}

/// The variants of an upload and its placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedSet {
    pub variants: Vec<Rendered>,
    /// A ThumbHash of the image ([`crate::placeholder`]).
    pub placeholder: Vec<u8>,
}

/// [`render_variants`], and the image's placeholder computed from the
/// smallest variant (or the decoded image when it is that small already):
/// the same decode, a resize of at most a few hundred pixels more.
pub fn render_set(
    image: &Parsed,
    specs: &[VariantSpec],
    settings: &EncodeSettings,
    limits: &Limits,
    deadline: &dyn Deadline,
) -> Result<RenderedSet> {
    render_with(image, specs, settings, limits, deadline, true)
}

fn render_with(
    image: &Parsed,
    specs: &[VariantSpec],
    settings: &EncodeSettings,
    limits: &Limits,
    deadline: &dyn Deadline,
    with_placeholder: bool,
) -> Result<RenderedSet> {
    if let Some(spec) = specs.iter().find(|s| s.max_side == 0) {
        return Err(invalid(format!(
            "variant {:?} has a max_side of 0",
            spec.name
        )));
    }
    let header = &image.raster()?.header;
    limits.check_pixels(header.width, header.height)?;
    let header_longest = header.width.max(header.height);
    let largest = specs
        .iter()
        .map(|s| s.max_side)
        .filter(|&side| side < header_longest)
        .max();
    let mut source = Source::decode(image, limits, largest, DecodeMode::Validate, deadline)?;
    source.render_all(specs, settings, with_placeholder)
}

/// One thumbnail (the `mediakit thumbnail` CLI, like vipsthumbnail): fits
/// within `max_side` × `max_side`, never upscales (an image already that
/// small is re-encoded at its oriented size).
///
/// Unlike [`render_variants`] (the upload path, which validates every
/// byte), it decodes only what the output depends on: a progressive JPEG
/// shrunk to 1/8 on load skips its AC scans, as their coefficients cannot
/// change a 1/8-scale pixel. Truncated files are still refused.
pub fn thumbnail(
    image: &Parsed,
    max_side: u32,
    settings: &EncodeSettings,
    limits: &Limits,
    deadline: &dyn Deadline,
) -> Result<Rendered> {
    if max_side == 0 {
        return Err(invalid("the thumbnail size must be above 0"));
    }
    let header = &image.raster()?.header;
    limits.check_pixels(header.width, header.height)?;
    let resize = max_side < header.width.max(header.height);
    let mut source = Source::decode(
        image,
        limits,
        resize.then_some(max_side),
        DecodeMode::OutputOnly,
        deadline,
    )?;
    const NAME: &str = "thumbnail";
    if max_side < source.longest_side() {
        source.render(NAME, max_side, settings)
    } else {
        source.render_full_size(NAME, settings)
    }
}

/// One rendition of an image: the box and fit of `request` (see
/// [`crate::rendition`]), a `cover` crop placed on `focus` (fractions of
/// the displayed image) or, without one, on its most salient region.
/// Like [`thumbnail`], it decodes only what the output depends on (a
/// JPEG shrunk on load to twice the output's scale): renditions are made
/// from stored files, which were validated whole at upload.
pub fn render_rendition(
    image: &Parsed,
    request: &RenditionBox,
    focus: Option<(f64, f64)>,
    settings: &EncodeSettings,
    limits: &Limits,
    deadline: &dyn Deadline,
) -> Result<Rendered> {
    let header = &image.raster()?.header;
    limits.check_pixels(header.width, header.height)?;
    let display = header.display_size();
    let plan = rendition::plan(display, request)?;
    // An upscaled output is held to the limit its source is.
    limits.check_pixels(plan.width, plan.height)?;
    let longest = header.width.max(header.height);
    let needed = (f64::from(longest) * plan.scale(display)).ceil() as u32;
    let mut source = Source::decode(
        image,
        limits,
        (needed < longest).then_some(needed),
        DecodeMode::OutputOnly,
        deadline,
    )?;
    source.render_plan(&plan, focus, settings)
}

/// The rectangle `(left, top, width, height)` (fractions) of the stored
/// image that shows the displayed rectangle given, under an EXIF
/// `orientation` (the inverse of `orient::apply`).
fn stored_rect(orientation: u8, left: f64, top: f64, w: f64, h: f64) -> (f64, f64, f64, f64) {
    let map = |u: f64, v: f64| match orientation {
        2 => (1.0 - u, v),
        3 => (1.0 - u, 1.0 - v),
        4 => (u, 1.0 - v),
        5 => (v, u),
        6 => (v, 1.0 - u),
        7 => (1.0 - v, 1.0 - u),
        8 => (1.0 - v, u),
        _ => (u, v),
    };
    let (x0, y0) = map(left, top);
    let (x1, y1) = map(left + w, top + h);
    (x0.min(x1), y0.min(y1), (x1 - x0).abs(), (y1 - y0).abs())
}

/// How much larger than an output its source must stay, both for JPEG
/// shrink-on-load (the DCT scaling averages 2×2…8×8 blocks) and for deriving
/// a variant from a larger one: with a final Lanczos3 reduction of at least
/// 2, the result matches a single full-size Lanczos3 resize (measured: 43–49
/// dB PSNR against it on 8–24 MP photos for shrink-on-load, see the bench
/// test; 55 dB for a 256 px variant derived from the 640 px one of an 800 px
/// photo, see the tests).
const SHRINK_MARGIN: u32 = 2;

/// The stored-orientation size whose oriented longest side is `max_side`.
fn stored_fit(width: u32, height: u32, orientation: u8, max_side: u32) -> (u32, u32) {
    if matches!(orientation, 5..=8) {
        let (display_w, display_h) = fit(height, width, max_side);
        (display_h, display_w)
    } else {
        fit(width, height, max_side)
    }
}

/// The decoded original and what every variant of it shares.
struct Source<'d> {
    /// As stored (not yet oriented), alpha only when some pixel uses it;
    /// possibly shrunk on load.
    pixels: Pixels,
    /// The real size of the image (stored orientation): variant sizes are
    /// computed from it, not from a shrunk `pixels`.
    full_size: (u32, u32),
    orientation: u8,
    to_srgb: Option<ToSrgb>,
    resizer: Resizer,
    /// Asked before each resize and encode: each is bounded by the pixel
    /// limit (a few hundred ms at most), so that is often enough.
    deadline: &'d dyn Deadline,
}

impl<'d> Source<'d> {
    /// `largest_side`: the largest output that will be asked for, if any
    /// (then a JPEG may be shrunk on load down to twice that).
    fn decode(
        image: &Parsed,
        limits: &Limits,
        largest_side: Option<u32>,
        mode: DecodeMode,
        deadline: &'d dyn Deadline,
    ) -> Result<Self> {
        let header: &ImageHeader = &image.raster()?.header;
        let shrink_to = largest_side
            .map(|side| side.saturating_mul(SHRINK_MARGIN))
            .filter(|&side| side < header.width.max(header.height))
            .map(|side| stored_fit(header.width, header.height, header.orientation, side));
        let request = DecodeRequest {
            limits: *limits,
            shrink_to,
            mode,
            deadline,
        };
        check_deadline(deadline)?;
        let decoded = image.decode(&request)?;
        let pixels = decoded.pixels.drop_opaque_alpha();
        let to_srgb = ToSrgb::new(decoded.icc.as_deref(), pixels.channels);
        Ok(Self {
            pixels,
            full_size: decoded.full_size,
            orientation: header.orientation,
            to_srgb,
            resizer: Resizer::default(),
            deadline,
        })
    }

    /// The part of `pixels` that is the picture, in its pixels: all of it,
    /// except after a shrink-on-load by r, where the last row and column
    /// stand for a partial block (see [`Resizer::resize_region`]).
    fn extent(&self) -> Option<(f64, f64)> {
        let (fw, fh) = self.full_size;
        let (w, h) = (self.pixels.width, self.pixels.height);
        if (w, h) == (fw, fh) {
            return None;
        }
        let shrink = [2u32, 4, 8]
            .into_iter()
            .find(|&r| fw.div_ceil(r) == w && fh.div_ceil(r) == h)?;
        Some((
            f64::from(fw) / f64::from(shrink),
            f64::from(fh) / f64::from(shrink),
        ))
    }

    fn longest_side(&self) -> u32 {
        self.full_size.0.max(self.full_size.1)
    }

    /// The stored-orientation size of an output whose oriented longest side
    /// is `max_side`.
    fn target(&self, max_side: u32) -> (u32, u32) {
        let (w, h) = self.full_size;
        stored_fit(w, h, self.orientation, max_side)
    }

    /// Renders the specs smaller than the image, largest first so that the
    /// smaller ones can be resized from a larger one (the 2048 px variant of a
    /// 24 MP photo is 6× cheaper to resize than the photo); returned in the
    /// order of `specs`.
    fn render_all(
        &mut self,
        specs: &[VariantSpec],
        settings: &EncodeSettings,
        with_placeholder: bool,
    ) -> Result<RenderedSet> {
        let longest = self.longest_side();
        let mut order: Vec<usize> = (0..specs.len())
            .filter(|&i| specs[i].max_side < longest)
            .collect();
        order.sort_by_key(|&i| Reverse(specs[i].max_side));
        // Resized images kept as sources, from the largest to the smallest.
        let mut sources: Vec<Pixels> = Vec::new();
        let mut out = Vec::with_capacity(order.len());
        for (n, &i) in order.iter().enumerate() {
            check_deadline(self.deadline)?;
            let (w, h) = self.target(specs[i].max_side);
            let derived_from = sources.iter().rev().find(|p| {
                p.width >= w.saturating_mul(SHRINK_MARGIN)
                    && p.height >= h.saturating_mul(SHRINK_MARGIN)
            });
            let resized = match derived_from {
                Some(from) => self.resizer.resize(from, w, h)?,
                None => {
                    let extent = self.extent();
                    self.resizer.resize_region(&self.pixels, extent, w, h)?
                }
            };
            if n + 1 < order.len() || with_placeholder {
                sources.push(resized.clone());
            }
            check_deadline(self.deadline)?;
            let rendered = finish(
                resized,
                self.orientation,
                self.to_srgb.as_ref(),
                &specs[i].name,
                settings,
            )?;
            out.push((i, rendered));
        }
        out.sort_by_key(|(i, _)| *i);
        let placeholder = if with_placeholder {
            check_deadline(self.deadline)?;
            self.placeholder(&sources)?
        } else {
            Vec::new()
        };
        Ok(RenderedSet {
            variants: out.into_iter().map(|(_, r)| r).collect(),
            placeholder,
        })
    }

    /// The ThumbHash, from the smallest of `resized` that is at least its
    /// size, else from the decoded image.
    fn placeholder(&mut self, resized: &[Pixels]) -> Result<Vec<u8>> {
        let small = if self.longest_side() > PLACEHOLDER_SIDE {
            let (w, h) = self.target(PLACEHOLDER_SIDE);
            match resized.iter().rev().find(|p| p.width >= w && p.height >= h) {
                Some(from) => self.resizer.resize(from, w, h)?,
                None => self
                    .resizer
                    .resize_region(&self.pixels, self.extent(), w, h)?,
            }
        } else {
            self.pixels.clone()
        };
        let mut small = orient::apply(small, self.orientation);
        if let Some(to_srgb) = &self.to_srgb {
            to_srgb.apply(&mut small);
        }
        Ok(thumbhash(&small))
    }

    /// Resizes so that the oriented longest side is `max_side` (smaller than
    /// the image), then finishes. The resize happens in stored orientation
    /// (same result, and only the small image gets rotated afterwards).
    fn render(&mut self, name: &str, max_side: u32, settings: &EncodeSettings) -> Result<Rendered> {
        check_deadline(self.deadline)?;
        let (target_w, target_h) = self.target(max_side);
        let extent = self.extent();
        let resized = self
            .resizer
            .resize_region(&self.pixels, extent, target_w, target_h)?;
        check_deadline(self.deadline)?;
        finish(
            resized,
            self.orientation,
            self.to_srgb.as_ref(),
            name,
            settings,
        )
    }

    /// Crops and resizes as `plan` says, the crop placed on `focus` or on
    /// the most salient region, then finishes.
    fn render_plan(
        &mut self,
        plan: &Plan,
        focus: Option<(f64, f64)>,
        settings: &EncodeSettings,
    ) -> Result<Rendered> {
        check_deadline(self.deadline)?;
        let focus = match focus {
            Some(focus) => focus,
            None if plan.crops() => self.salient_focus(plan)?,
            None => (0.5, 0.5),
        };
        let (left, top) = plan.place(focus);
        let (x, y, w, h) = stored_rect(self.orientation, left, top, plan.crop_w, plan.crop_h);
        let (ew, eh) = self
            .extent()
            .unwrap_or((f64::from(self.pixels.width), f64::from(self.pixels.height)));
        let (out_w, out_h) = if matches!(self.orientation, 5..=8) {
            (plan.height, plan.width)
        } else {
            (plan.width, plan.height)
        };
        let rect = (x * ew, y * eh, w * ew, h * eh);
        let resized = self
            .resizer
            .resize_rect(&self.pixels, Some(rect), out_w, out_h)?;
        check_deadline(self.deadline)?;
        finish(
            resized,
            self.orientation,
            self.to_srgb.as_ref(),
            "rendition",
            settings,
        )
    }

    /// The focus of the most salient window of the plan's crop size,
    /// computed on a copy of at most `SALIENCY_SIDE` pixels a side.
    fn salient_focus(&mut self, plan: &Plan) -> Result<(f64, f64)> {
        let small = if self.longest_side() > SALIENCY_SIDE {
            let (w, h) = self.target(SALIENCY_SIDE);
            self.resizer
                .resize_region(&self.pixels, self.extent(), w, h)?
        } else {
            self.pixels.clone()
        };
        let small = orient::apply(small, self.orientation);
        Ok(salient_focus(&small, plan.crop_w, plan.crop_h))
    }

    /// The whole image, oriented and re-encoded (only called without
    /// shrink-on-load, so `pixels` is full size).
    fn render_full_size(self, name: &str, settings: &EncodeSettings) -> Result<Rendered> {
        check_deadline(self.deadline)?;
        let Self {
            pixels,
            orientation,
            to_srgb,
            ..
        } = self;
        finish(pixels, orientation, to_srgb.as_ref(), name, settings)
    }
}

/// Orient, convert to sRGB, encode.
fn finish(
    pixels: Pixels,
    orientation: u8,
    to_srgb: Option<&ToSrgb>,
    name: &str,
    settings: &EncodeSettings,
) -> Result<Rendered> {
    let mut pixels = orient::apply(pixels, orientation);
    if let Some(to_srgb) = to_srgb {
        to_srgb.apply(&mut pixels);
    }
    let format = settings.format_for(pixels.has_alpha());
    let (width, height) = (pixels.width, pixels.height);
    let bytes = encode(pixels, format, settings.quality)?;
    Ok(Rendered {
        name: name.to_owned(),
        width,
        height,
        format,
        bytes,
    })
}
