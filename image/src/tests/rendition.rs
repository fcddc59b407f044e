//! render_rendition: box and fit, orientation, focus and saliency, limits.

use image::imageops::{self, FilterType};
use image::{GenericImageView, Rgb, RgbImage};

use super::*;
use crate::limits::{Limits, NoDeadline};
use crate::render::{Rendered, render_rendition};
use crate::rendition::{Fit, RenditionBox};

fn rendition(
    kind: MediaKind,
    bytes: &[u8],
    request: RenditionBox,
    focus: Option<(f64, f64)>,
) -> Rendered {
    let parsed = parse(kind, bytes).unwrap();
    render_rendition(
        &parsed,
        &request,
        focus,
        &auto(),
        &Limits::default(),
        &NoDeadline,
    )
    .unwrap()
}

fn boxed(width: u32, height: u32, fit: Fit) -> RenditionBox {
    RenditionBox {
        width: Some(width),
        height: Some(height),
        fit,
        upscale: false,
    }
}

fn size(r: &Rendered) -> (u32, u32) {
    let img = reference(&r.bytes);
    assert_eq!(img.dimensions(), (r.width, r.height));
    (r.width, r.height)
}

#[test]
fn each_fit_gives_its_size() {
    // 400 × 225, with alpha.
    let contain = rendition(
        MediaKind::Png,
        PNG_ALPHA,
        boxed(200, 200, Fit::Contain),
        None,
    );
    assert_eq!(size(&contain), (200, 113));
    let cover = rendition(MediaKind::Png, PNG_ALPHA, boxed(200, 200, Fit::Cover), None);
    assert_eq!(size(&cover), (200, 200));
    let fill = rendition(MediaKind::Png, PNG_ALPHA, boxed(50, 200, Fit::Fill), None);
    assert_eq!(size(&fill), (50, 200));
    assert!(reference(&fill.bytes).color().has_alpha(), "alpha kept");
    // Not larger than the image unless asked, and then held to the limit.
    let big = rendition(
        MediaKind::Png,
        PNG_ALPHA,
        boxed(800, 800, Fit::Contain),
        None,
    );
    assert_eq!(size(&big), (400, 225));
    let up = RenditionBox {
        upscale: true,
        ..boxed(800, 800, Fit::Contain)
    };
    assert_eq!(
        size(&rendition(MediaKind::Png, PNG_ALPHA, up, None)),
        (800, 450)
    );
    let parsed = parse(MediaKind::Png, PNG_ALPHA).unwrap();
    let tight = Limits {
        max_pixels: 400 * 225,
        ..Limits::default()
    };
    let refused = render_rendition(&parsed, &up, None, &auto(), &tight, &NoDeadline);
    assert_eq!(code(refused), ErrorKind::TooManyPixels);
}

/// A cover crop of an EXIF-rotated photo shows the displayed image's part
/// that the focus asks for (checked against the source rotated by hand).
#[test]
fn cover_crops_in_displayed_orientation_around_the_focus() {
    // Stored 640 × 426, displayed 426 × 640 (orientation 6).
    let stored = reference(JPEG_ORIENT6).to_rgb8();
    let displayed = imageops::rotate90(&stored);
    let expected = |top: u32| {
        let square = imageops::crop_imm(&displayed, 0, top, 426, 426).to_image();
        imageops::resize(&square, 200, 200, FilterType::Lanczos3)
    };
    let top = rendition(
        MediaKind::Jpeg,
        JPEG_ORIENT6,
        boxed(200, 200, Fit::Cover),
        Some((0.5, 0.0)),
    );
    assert_eq!(size(&top), (200, 200));
    let ours = reference(&top.bytes).to_rgb8();
    let right = psnr(ours.as_raw(), expected(0).as_raw());
    let wrong = psnr(ours.as_raw(), expected(640 - 426).as_raw());
    assert!(right >= 28.0, "PSNR against the top square {right:.2} dB");
    assert!(
        right > wrong + 5.0,
        "top {right:.2} dB vs bottom {wrong:.2} dB"
    );
}

/// Without a focus, a cover crop goes to what draws the eye.
#[test]
fn cover_without_focus_keeps_the_salient_part() {
    // A wide grey image with a small, busy red patch near its right end.
    let (w, h) = (800u32, 200u32);
    let img = RgbImage::from_fn(w, h, |x, y| {
        if (680..760).contains(&x) && (60..140).contains(&y) {
            if (x / 4 + y / 4) % 2 == 0 {
                Rgb([230, 20, 20])
            } else {
                Rgb([20, 20, 200])
            }
        } else {
            Rgb([120, 120, 120])
        }
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let out = rendition(MediaKind::Png, &png, boxed(100, 100, Fit::Cover), None);
    assert_eq!(size(&out), (100, 100));
    let out = reference(&out.bytes).to_rgb8();
    // At 1/8 scale the patch's squares blend: count what is not grey.
    let coloured = |img: &RgbImage| {
        img.pixels()
            .filter(|p| p[0].abs_diff(p[1]) > 40 || p[2].abs_diff(p[1]) > 40)
            .count()
    };
    let found = coloured(&out);
    assert!(
        found > 50,
        "the patch is in the crop ({found} coloured pixels)"
    );
    // The centre crop would have none of it.
    let centred = rendition(
        MediaKind::Png,
        &png,
        boxed(100, 100, Fit::Cover),
        Some((0.5, 0.5)),
    );
    let centred = reference(&centred.bytes).to_rgb8();
    assert_eq!(coloured(&centred), 0);
}
