//! The geometry of a rendition: an output of any size cut from an image,
//! as `contain`, `cover` or `fill` (the CSS `object-fit` words). Pure
//! arithmetic in the image's displayed orientation; `render` maps it onto
//! the stored pixels.

use crate::error::{ErrorKind, ImageError, Result};

/// How an image is fitted to a requested box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fit {
    /// The whole image, as large as fits in the box (aspect kept).
    Contain,
    /// The box filled, aspect kept: the image is cropped along one side,
    /// keeping its focus (a focal point, else the most salient region).
    Cover,
    /// Exactly the box, the image stretched to it.
    Fill,
}

impl Fit {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contain => "contain",
            Self::Cover => "cover",
            Self::Fill => "fill",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "contain" => Some(Self::Contain),
            "cover" => Some(Self::Cover),
            "fill" => Some(Self::Fill),
            _ => None,
        }
    }
}

/// What a client asks for: a box (one side may be open) and a fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RenditionBox {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub fit: Fit,
    /// Whether the output may be larger than the image. Without it, a box
    /// larger than the image gives the image's size (`cover` and `fill`
    /// keep the box's aspect ratio or size, reduced to what the image
    /// has).
    pub upscale: bool,
}

/// The output size and which part of the displayed image it shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plan {
    pub width: u32,
    pub height: u32,
    /// The shown part's size as a fraction of the image's width and
    /// height (1 when not cropped along that side).
    pub crop_w: f64,
    pub crop_h: f64,
}

impl Plan {
    /// Whether part of the image is cut away (a `cover` of another aspect
    /// ratio): only then does the focus matter.
    pub fn crops(&self) -> bool {
        self.crop_w < 0.999_999 || self.crop_h < 0.999_999
    }

    /// The scale from the full displayed image to the output, along its
    /// longer scaled side: what decoding may shrink to.
    pub fn scale(&self, display: (u32, u32)) -> f64 {
        let sx = f64::from(self.width) / (self.crop_w * f64::from(display.0));
        let sy = f64::from(self.height) / (self.crop_h * f64::from(display.1));
        sx.max(sy)
    }

    /// The shown part's top-left corner (fractions of the image) for a
    /// focus at (`fx`, `fy`) (fractions): centred on it, moved inside the
    /// image where the focus is near an edge.
    pub fn place(&self, focus: (f64, f64)) -> (f64, f64) {
        let at = |f: f64, size: f64| (f.clamp(0.0, 1.0) - size / 2.0).clamp(0.0, 1.0 - size);
        (at(focus.0, self.crop_w), at(focus.1, self.crop_h))
    }
}

/// The plan for `request` on an image displayed at `display` pixels.
/// `InvalidArgument` without any side, or with a side of 0.
pub fn plan(display: (u32, u32), request: &RenditionBox) -> Result<Plan> {
    if request.width.is_none() && request.height.is_none() {
        return Err(invalid("a rendition needs a width, a height or both"));
    }
    if request.width == Some(0) || request.height == Some(0) {
        return Err(invalid("a rendition's width and height must be above 0"));
    }
    let (sw, sh) = (f64::from(display.0.max(1)), f64::from(display.1.max(1)));
    let px = |v: f64| (v.round() as u32).max(1);
    let full = |width: f64, height: f64| Plan {
        width: px(width),
        height: px(height),
        crop_w: 1.0,
        crop_h: 1.0,
    };
    let (Some(w), Some(h)) = (request.width, request.height) else {
        return Ok(contain(sw, sh, request, full));
    };
    let (w, h) = (f64::from(w), f64::from(h));
    Ok(match request.fit {
        Fit::Contain => contain(sw, sh, request, full),
        Fit::Fill if request.upscale => full(w, h),
        Fit::Fill => full(w.min(sw), h.min(sh)),
        Fit::Cover => {
            let mut s = (w / sw).max(h / sh);
            let (mut w, mut h) = (w, h);
            if s > 1.0 && !request.upscale {
                // The box's aspect ratio at the image's own resolution.
                w /= s;
                h /= s;
                s = 1.0;
            }
            let (width, height) = (px(w), px(h));
            Plan {
                width,
                height,
                crop_w: (f64::from(width) / (s * sw)).min(1.0),
                crop_h: (f64::from(height) / (s * sh)).min(1.0),
            }
        }
    })
}

/// The whole image in the box (an open side does not constrain).
fn contain(sw: f64, sh: f64, request: &RenditionBox, full: impl Fn(f64, f64) -> Plan) -> Plan {
    let bound = |side: Option<u32>, size: f64| side.map_or(f64::INFINITY, |s| f64::from(s) / size);
    let mut s = bound(request.width, sw).min(bound(request.height, sh));
    if !request.upscale {
        s = s.min(1.0);
    }
    full(sw * s, sh * s)
}

fn invalid(message: &str) -> ImageError {
    ImageError::new(ErrorKind::InvalidArgument, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(width: Option<u32>, height: Option<u32>, fit: Fit, upscale: bool) -> RenditionBox {
        RenditionBox {
            width,
            height,
            fit,
            upscale,
        }
    }

    fn size(p: Plan) -> (u32, u32) {
        (p.width, p.height)
    }

    #[test]
    fn contain_fits_the_box_and_never_upscales_unless_asked() {
        let d = (800, 450);
        let p = |w, h, up| plan(d, &boxed(w, h, Fit::Contain, up)).unwrap();
        assert_eq!(size(p(Some(400), Some(400), false)), (400, 225));
        assert_eq!(size(p(None, Some(90), false)), (160, 90));
        assert_eq!(size(p(Some(1600), None, false)), (800, 450));
        assert_eq!(size(p(Some(1600), None, true)), (1600, 900));
        assert!(!p(Some(400), Some(400), false).crops());
    }

    #[test]
    fn cover_fills_the_box_by_cropping_one_side() {
        let p = plan((800, 450), &boxed(Some(300), Some(300), Fit::Cover, false)).unwrap();
        assert_eq!(size(p), (300, 300));
        assert!((p.crop_w - 450.0 / 800.0).abs() < 1e-9, "{p:?}");
        assert_eq!(p.crop_h, 1.0);
        assert!(p.crops());
        // Larger than the image: the box's shape at the image's resolution.
        let p = plan(
            (800, 450),
            &boxed(Some(1000), Some(1000), Fit::Cover, false),
        )
        .unwrap();
        assert_eq!(size(p), (450, 450));
        let p = plan((800, 450), &boxed(Some(1000), Some(1000), Fit::Cover, true)).unwrap();
        assert_eq!(size(p), (1000, 1000));
    }

    #[test]
    fn fill_stretches_to_the_box() {
        let p = plan((800, 450), &boxed(Some(100), Some(300), Fit::Fill, false)).unwrap();
        assert_eq!(size(p), (100, 300));
        assert!(!p.crops());
        let p = plan((800, 450), &boxed(Some(1000), Some(300), Fit::Fill, false)).unwrap();
        assert_eq!(size(p), (800, 300));
    }

    #[test]
    fn one_side_given_is_contain_whatever_the_fit() {
        for fit in [Fit::Cover, Fit::Fill] {
            let p = plan((800, 450), &boxed(Some(400), None, fit, false)).unwrap();
            assert_eq!(size(p), (400, 225));
        }
    }

    #[test]
    fn no_side_or_a_zero_side_is_refused() {
        assert!(plan((8, 8), &boxed(None, None, Fit::Contain, false)).is_err());
        assert!(plan((8, 8), &boxed(Some(0), Some(4), Fit::Cover, false)).is_err());
    }

    #[test]
    fn the_window_centres_on_the_focus_and_stays_inside() {
        let p = plan((800, 400), &boxed(Some(100), Some(100), Fit::Cover, false)).unwrap();
        assert_eq!(p.crop_w, 0.5);
        assert_eq!(p.place((0.5, 0.5)), (0.25, 0.0));
        assert_eq!(p.place((0.0, 0.9)), (0.0, 0.0));
        assert_eq!(p.place((0.9, 0.5)), (0.5, 0.0));
        assert_eq!(p.place((0.6, 0.5)), (0.35, 0.0));
    }
}
