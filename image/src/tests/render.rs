//! render_variants and thumbnail: sizes, orientation, alpha, quality, colour.

use image::imageops::{self, FilterType};
use image::{ColorType, GenericImageView, RgbImage};

use super::*;
use crate::decoded::{DecodeMode, DecodeRequest, Decoded};
use crate::limits::{Limits, NoDeadline};
use crate::output::OutputFormat;
use crate::render::{Rendered, render_variants, thumbnail};

fn render(
    kind: MediaKind,
    bytes: &[u8],
    specs: &[VariantSpec],
    settings: &EncodeSettings,
) -> Vec<Rendered> {
    let parsed = parse(kind, bytes).unwrap();
    render_variants(&parsed, specs, settings, &Limits::default(), &NoDeadline).unwrap()
}

fn thumb(kind: MediaKind, bytes: &[u8], max_side: u32, settings: &EncodeSettings) -> Rendered {
    let parsed = parse(kind, bytes).unwrap();
    thumbnail(&parsed, max_side, settings, &Limits::default(), &NoDeadline).unwrap()
}

/// Decodes as the pipeline does, shrunk on load to no less than `shrink_to`.
fn decode(bytes: &[u8], shrink_to: Option<(u32, u32)>) -> Decoded {
    let request = DecodeRequest {
        limits: Limits::default(),
        shrink_to,
        mode: DecodeMode::Validate,
        deadline: &NoDeadline,
    };
    parse(MediaKind::Jpeg, bytes)
        .unwrap()
        .decode(&request)
        .unwrap()
}

/// Decodes an output and checks it has the size it claims.
fn decoded(r: &Rendered) -> image::DynamicImage {
    let img = reference(&r.bytes);
    assert_eq!(
        (img.width(), img.height()),
        (r.width, r.height),
        "{}",
        r.name
    );
    let format = image::guess_format(&r.bytes).unwrap();
    let expected = match r.format {
        OutputFormat::Jpeg => image::ImageFormat::Jpeg,
        OutputFormat::Png => image::ImageFormat::Png,
        OutputFormat::Webp => image::ImageFormat::WebP,
        OutputFormat::Avif => image::ImageFormat::Avif,
    };
    assert_eq!(format, expected);
    img
}

#[test]
fn presets_on_800x450_give_thumb_and_small_only() {
    let out = render(MediaKind::Jpeg, JPEG_800, &presets(), &auto());
    let sizes: Vec<_> = out
        .iter()
        .map(|r| (r.name.as_str(), r.width, r.height))
        .collect();
    assert_eq!(sizes, vec![("thumb", 256, 144), ("small", 640, 360)]);
    for r in &out {
        assert_eq!(r.format, OutputFormat::Jpeg);
        decoded(r);
    }
}

#[test]
fn a_spec_equal_to_the_image_size_is_skipped_but_decoding_still_validates() {
    let out = render(MediaKind::Jpeg, JPEG_800, &spec("same", 800), &auto());
    assert!(out.is_empty());
    let truncated = parse(MediaKind::Jpeg, &JPEG_800[..JPEG_800.len() / 2]).unwrap();
    let r = render_variants(&truncated, &[], &auto(), &Limits::default(), &NoDeadline);
    assert_eq!(code(r), ErrorKind::Corrupt);
}

#[test]
fn thumbnail_is_close_to_a_lanczos3_reference() {
    let t = thumb(MediaKind::Jpeg, JPEG_800, 256, &auto());
    assert_eq!(
        (t.width, t.height, t.format),
        (256, 144, OutputFormat::Jpeg)
    );
    let ours = decoded(&t).to_rgb8();
    let original = reference(JPEG_800).to_rgb8();
    let expected = imageops::resize(&original, 256, 144, FilterType::Lanczos3);
    let db = psnr(ours.as_raw(), expected.as_raw());
    println!("PSNR of the q80 thumbnail against image's Lanczos3 resize: {db:.2} dB");
    assert!(db >= 30.0, "PSNR {db:.2} dB");
}

/// Mean colour of a `n`×`n` block at (x, y).
fn block_mean(img: &RgbImage, x: u32, y: u32, n: u32) -> [f64; 3] {
    let mut sum = [0.0; 3];
    for (_, _, p) in img.view(x, y, n, n).pixels() {
        for c in 0..3 {
            sum[c] += f64::from(p[c]);
        }
    }
    sum.map(|s| s / f64::from(n * n))
}

#[test]
fn orientation_6_variants_are_portrait_and_really_rotated() {
    let out = render(MediaKind::Jpeg, JPEG_ORIENT6, &spec("thumb", 256), &auto());
    assert_eq!(out.len(), 1);
    let t = &out[0];
    assert_eq!((t.width, t.height), (170, 256));
    let ours = decoded(t).to_rgb8();

    // The source decoded by `image` (which does not orient), rotated by hand.
    let stored = reference(JPEG_ORIENT6).to_rgb8();
    assert_eq!(stored.dimensions(), (640, 426));
    let rotated = imageops::resize(&imageops::rotate90(&stored), 170, 256, FilterType::Lanczos3);
    let db = psnr(ours.as_raw(), rotated.as_raw());
    assert!(db >= 30.0, "PSNR against the rotated source {db:.2} dB");
    let wrong = imageops::resize(
        &imageops::rotate270(&stored),
        170,
        256,
        FilterType::Lanczos3,
    );
    assert!(
        psnr(ours.as_raw(), wrong.as_raw()) < db - 5.0,
        "the check can tell rotations apart"
    );

    let n = 8;
    for (x, y) in [(0, 0), (170 - n, 0), (0, 256 - n), (170 - n, 256 - n)] {
        let (a, b) = (block_mean(&ours, x, y, n), block_mean(&rotated, x, y, n));
        for c in 0..3 {
            assert!(
                (a[c] - b[c]).abs() < 12.0,
                "corner ({x},{y}): {a:?} vs {b:?}"
            );
        }
    }
}

#[test]
fn thumbnail_never_upscales_and_keeps_orientation() {
    let t = thumb(MediaKind::Png, PNG_ALPHA, 1000, &auto());
    assert_eq!((t.width, t.height, t.format), (400, 225, OutputFormat::Png));
    decoded(&t);
    let t = thumb(MediaKind::Jpeg, JPEG_ORIENT6, 640, &auto());
    assert_eq!((t.width, t.height), (426, 640));
    decoded(&t);
    let t = thumb(MediaKind::Jpeg, JPEG_ORIENT6, 256, &auto());
    assert_eq!((t.width, t.height), (170, 256));
    assert_eq!(t.name, "thumbnail");
}

#[test]
fn alpha_png_variants_stay_png_with_alpha() {
    let out = render(MediaKind::Png, PNG_ALPHA, &spec("thumb", 200), &auto());
    let t = &out[0];
    assert_eq!((t.width, t.height, t.format), (200, 113, OutputFormat::Png));
    let img = decoded(t);
    assert!(img.color().has_alpha());
    assert!(img.to_rgba8().pixels().any(|p| p[3] < 255));
}

#[test]
fn opaque_inputs_become_jpeg() {
    for (kind, bytes) in [
        (MediaKind::Jpeg, JPEG_PROGRESSIVE),
        (MediaKind::Webp, WEBP),
        (MediaKind::Gif, GIF_ANIMATED),
    ] {
        let out = render(kind, bytes, &spec("thumb", 100), &auto());
        assert_eq!(out[0].format, OutputFormat::Jpeg, "{kind:?}");
        assert_eq!(out[0].width, 100);
        decoded(&out[0]);
    }
}

#[test]
fn grayscale_jpeg_stays_grayscale() {
    let out = render(MediaKind::Jpeg, JPEG_GRAY, &spec("thumb", 256), &auto());
    let img = decoded(&out[0]);
    assert_eq!(img.color(), ColorType::L8);
    let expected = imageops::resize(
        &reference(JPEG_GRAY).to_luma8(),
        256,
        144,
        FilterType::Lanczos3,
    );
    let db = psnr(img.to_luma8().as_raw(), expected.as_raw());
    assert!(db >= 30.0, "{db:.2} dB");
}

#[test]
fn gif_variant_comes_from_the_first_frame() {
    let out = render(MediaKind::Gif, GIF_ANIMATED, &spec("thumb", 80), &auto());
    let t = &out[0];
    assert_eq!((t.width, t.height), (80, 50));
    let ours = decoded(t).to_rgb8();
    // `image` decodes a GIF's first frame as a still image.
    let first = reference(GIF_ANIMATED).to_rgb8();
    let expected = imageops::resize(&first, 80, 50, FilterType::Lanczos3);
    let db = psnr(ours.as_raw(), expected.as_raw());
    assert!(db >= 28.0, "{db:.2} dB against the first frame");
}

#[test]
fn forced_formats_are_honoured() {
    let jpeg = EncodeSettings {
        format: Some(OutputFormat::Jpeg),
        quality: 70,
    };
    let t = thumb(MediaKind::Png, PNG_ALPHA, 100, &jpeg);
    assert_eq!(t.format, OutputFormat::Jpeg);
    assert!(!decoded(&t).color().has_alpha());

    for format in [OutputFormat::Webp, OutputFormat::Png] {
        let settings = EncodeSettings {
            format: Some(format),
            ..auto()
        };
        let t = thumb(MediaKind::Jpeg, JPEG_800, 128, &settings);
        assert_eq!((t.format, t.width, t.height), (format, 128, 72));
        decoded(&t);
        let t = thumb(MediaKind::Png, PNG_ALPHA, 128, &settings);
        assert!(decoded(&t).color().has_alpha());
    }
}

#[test]
fn display_p3_originals_are_converted_to_srgb() {
    let mut p3 = Vec::new();
    let solid: Vec<u8> = [100u8, 150, 100].repeat(32 * 32);
    display_p3_jpeg_encoder(&mut p3, 95)
        .encode(&solid, 32, 32, jpeg_encoder::ColorType::Rgb)
        .unwrap();

    let t = thumb(MediaKind::Jpeg, &p3, 16, &auto());
    assert!(
        !t.bytes.windows(12).any(|w| w == b"ICC_PROFILE\0"),
        "no profile in variants"
    );
    let px = decoded(&t).to_rgb8().get_pixel(8, 8).0;
    // Display P3 (100,150,100) is a more saturated green in sRGB.
    assert!(px[0] < 95 && px[1] > 152, "{px:?}");

    // The stored original keeps its profile instead.
    let stripped = parse(MediaKind::Jpeg, &p3)
        .unwrap()
        .strip_metadata()
        .unwrap();
    assert!(stripped.windows(12).any(|w| w == b"ICC_PROFILE\0"));
}

#[test]
fn invalid_requests_and_non_raster_kinds() {
    let limits = Limits::default();
    let jpeg = parse(MediaKind::Jpeg, JPEG_800).unwrap();
    let r = render_variants(&jpeg, &spec("zero", 0), &auto(), &limits, &NoDeadline);
    assert_eq!(code(r), ErrorKind::InvalidArgument);
    assert_eq!(
        code(thumbnail(&jpeg, 0, &auto(), &limits, &NoDeadline)),
        ErrorKind::InvalidArgument
    );
    for (kind, bytes) in [(MediaKind::Svg, SVG), (MediaKind::Pdf, PDF)] {
        let parsed = parse(kind, bytes).unwrap();
        let r = render_variants(&parsed, &presets(), &auto(), &limits, &NoDeadline);
        assert_eq!(code(r), ErrorKind::UnsupportedType);
        assert_eq!(
            code(thumbnail(&parsed, 256, &auto(), &limits, &NoDeadline)),
            ErrorKind::UnsupportedType
        );
        assert_eq!(code(parsed.strip_metadata()), ErrorKind::UnsupportedType);
    }
}

#[test]
fn jpegs_are_shrunk_on_load_for_small_outputs() {
    let d = decode(JPEG_800, Some((256, 144)));
    assert_eq!((d.pixels.width, d.pixels.height), (400, 225));
    assert_eq!(d.full_size, (800, 450));
    // Progressive ones too, down to 1/8 (only their DC coefficients kept).
    let d = decode(JPEG_PROGRESSIVE, Some((256, 144)));
    assert_eq!((d.pixels.width, d.pixels.height), (400, 225));
    let d = decode(JPEG_PROGRESSIVE, Some((100, 50)));
    assert_eq!((d.pixels.width, d.pixels.height), (100, 57));

    // The result keeps the quality of a full-size Lanczos3 resize.
    let t = thumb(MediaKind::Jpeg, JPEG_800, 128, &auto());
    assert_eq!((t.width, t.height), (128, 72));
    let expected = imageops::resize(
        &reference(JPEG_800).to_rgb8(),
        128,
        72,
        FilterType::Lanczos3,
    );
    let db = psnr(decoded(&t).to_rgb8().as_raw(), expected.as_raw());
    assert!(db >= 30.0, "{db:.2} dB");

    let t = thumb(MediaKind::Jpeg, JPEG_GRAY, 128, &auto());
    assert_eq!(decoded(&t).color(), ColorType::L8);

    let out = render(MediaKind::Jpeg, JPEG_ORIENT6, &spec("tiny", 100), &auto());
    assert_eq!((out[0].width, out[0].height), (67, 100));
    let rotated = imageops::rotate90(&reference(JPEG_ORIENT6).to_rgb8());
    let expected = imageops::resize(&rotated, 67, 100, FilterType::Lanczos3);
    let db = psnr(decoded(&out[0]).to_rgb8().as_raw(), expected.as_raw());
    assert!(db >= 28.0, "{db:.2} dB");
}

#[test]
fn variants_derived_from_larger_ones_match_direct_resizes() {
    use crate::resize::Resizer;
    let src = decode(JPEG_800, None).pixels;
    let mut resizer = Resizer::default();
    let direct = resizer.resize(&src, 256, 144).unwrap();
    let small = resizer.resize(&src, 640, 360).unwrap();
    let derived = resizer.resize(&small, 256, 144).unwrap();
    let db = psnr(&direct.data, &derived.data);
    println!("thumb derived from small vs direct: {db:.1} dB");
    assert!(db >= 40.0, "{db:.1} dB");

    // Through the API: with the presets, thumb comes from small (640 ≥ 2 × 256).
    let with_presets = render(MediaKind::Jpeg, JPEG_800, &presets(), &auto());
    let alone = render(MediaKind::Jpeg, JPEG_800, &spec("thumb", 256), &auto());
    let a = decoded(&with_presets[0]).to_rgb8();
    let b = decoded(&alone[0]).to_rgb8();
    assert!(psnr(a.as_raw(), b.as_raw()) >= 38.0);
}

#[test]
fn variants_come_back_in_the_order_of_the_specs() {
    let specs: Vec<VariantSpec> = [("a", 100), ("b", 700), ("c", 900), ("d", 300), ("e", 100)]
        .into_iter()
        .map(|(name, max_side)| VariantSpec {
            name: name.into(),
            max_side,
        })
        .collect();
    let out = render(MediaKind::Jpeg, JPEG_800, &specs, &auto());
    let got: Vec<_> = out.iter().map(|r| (r.name.as_str(), r.width)).collect();
    assert_eq!(got, vec![("a", 100), ("b", 700), ("d", 300), ("e", 100)]);
}

/// The `ispe` (image spatial extents) of an AVIF file: its width and height.
#[cfg(all(feature = "avif", not(target_arch = "wasm32")))]
fn avif_size(bytes: &[u8]) -> (u32, u32) {
    let at = bytes
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("an ispe box");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    // Box type, then version and flags (4 bytes), then width and height.
    (be(at + 8), be(at + 12))
}

#[cfg(all(feature = "avif", not(target_arch = "wasm32")))]
#[test]
fn avif_variants_are_avif_files_of_their_size() {
    let avif = EncodeSettings {
        format: Some(OutputFormat::Avif),
        ..auto()
    };
    for (kind, bytes) in [(MediaKind::Jpeg, JPEG_800), (MediaKind::Png, PNG_ALPHA)] {
        let out = render(kind, bytes, &spec("small", 300), &avif);
        let v = &out[0];
        assert_eq!(v.format, OutputFormat::Avif);
        assert_eq!(&v.bytes[4..12], b"ftypavif", "an AVIF file");
        assert_eq!(avif_size(&v.bytes), (v.width, v.height));
    }
}
