//! Targets over the image crate's public entry points: sniffing and
//! `inspect`, each container parser (through [`Parsed`], as an upload
//! reaches it), and the whole render of variants.
//!
//! Only public functions are called, so that the targets survive rewrites
//! of the formats' internals. Besides "no panic", each target checks what
//! the API promises: a sniffed kind is the parsed kind, a stripped file is
//! the same image and stripping it again changes nothing, rendered variants
//! are no larger than asked and are themselves valid images.

use bytes::Bytes;
use mediakit_core::config::Limits as CoreLimits;
use mediakit_core::validate;
use mediakit_image::{
    EncodeSettings, ErrorKind, Fit, Limits, MediaKind, NoDeadline, OutputFormat, Parsed,
    RenditionBox, VariantSpec, plan_rendition, render_rendition, render_variants, sniff, thumbnail,
};

/// A pixel limit that keeps one input to milliseconds (1 MP) while
/// leaving every code path reachable.
pub(crate) const SMALL_PIXELS: u64 = 1 << 20;

/// The image limits of the targets: [`SMALL_PIXELS`], the rest default.
// The struct update stays although `Limits` has one field today: the
// decoder limits are gaining fields (scans, frames), and the targets must
// keep compiling and take their defaults.
#[allow(clippy::needless_update)]
pub(crate) fn small_limits() -> Limits {
    Limits {
        max_pixels: SMALL_PIXELS,
        ..Limits::default()
    }
}

/// core's upload limits, tight. The struct update keeps it compiling when
/// `Limits` gains fields (the memory budget work).
#[allow(clippy::needless_update)]
fn tight_core_limits() -> CoreLimits {
    CoreLimits {
        max_upload_bytes: 1 << 20,
        max_pixels: SMALL_PIXELS,
        max_processing_memory: 16 << 20,
        ..CoreLimits::default()
    }
}

/// Everything a parsed file answers without decoding.
fn read_all(parsed: &Parsed) {
    let _ = parsed.kind().mime_type();
    let _ = parsed.display_size();
    let _ = parsed.processing_memory();
    if let Some(header) = parsed.header() {
        assert!(header.width > 0 && header.height > 0, "{header:?}");
    }
}

/// `sniff`, `Parsed::parse` and core's `validate::inspect` (default and
/// tight limits) on any bytes.
pub fn sniff_inspect(data: &[u8]) {
    let sniffed = sniff(data);
    let bytes = Bytes::copy_from_slice(data);
    match Parsed::parse(bytes.clone()) {
        Ok(parsed) => {
            assert_eq!(Some(parsed.kind()), sniffed, "parse and sniff disagree");
            read_all(&parsed);
        }
        Err(e) if sniffed.is_none() => assert_eq!(e.kind, ErrorKind::UnsupportedType, "{e}"),
        Err(_) => {}
    }
    for limits in [CoreLimits::default(), tight_core_limits()] {
        match validate::inspect(bytes.clone(), &limits) {
            Ok(parsed) => {
                if let Some(header) = parsed.header() {
                    assert!(header.pixels() <= limits.max_pixels, "{header:?}");
                    let memory = parsed.processing_memory().expect("rasters have a cost");
                    assert!(memory <= limits.max_processing_memory, "{memory}");
                }
            }
            // Nothing a client sends is the server's fault.
            Err(e) => assert!(e.code.http_status() < 500, "{e:?}"),
        }
    }
}

/// One container parser: the bytes parsed as `kind` when they sniff as it
/// (the only way an upload reaches a parser), then everything the parse
/// allows without decoding, and stripping checked to keep the image.
pub fn container(kind: MediaKind, data: &[u8]) {
    if sniff(data) != Some(kind) {
        return;
    }
    let Ok(parsed) = Parsed::parse_as(kind, Bytes::copy_from_slice(data)) else {
        return;
    };
    read_all(&parsed);
    let Some(&header) = parsed.header() else {
        assert!(!kind.is_raster(), "a raster image without a header");
        return;
    };
    let Ok(stripped) = parsed.strip_metadata() else {
        return;
    };
    let again = Parsed::parse(Bytes::from(stripped.clone()))
        .unwrap_or_else(|e| panic!("the stripped file does not parse: {e}"));
    assert_eq!(again.kind(), kind, "stripping changed the type");
    let after = again.header().expect("still a raster image");
    assert_eq!(
        (after.width, after.height),
        (header.width, header.height),
        "stripping changed the size"
    );
    let orientation = if (1..=8).contains(&header.orientation) {
        header.orientation
    } else {
        1
    };
    assert_eq!(
        after.orientation, orientation,
        "stripping lost the orientation"
    );
    let twice = again
        .strip_metadata()
        .unwrap_or_else(|e| panic!("a stripped file cannot be stripped again: {e}"));
    assert_eq!(twice, stripped, "stripping is not idempotent");
}

pub fn container_jpeg(data: &[u8]) {
    container(MediaKind::Jpeg, data);
}

pub fn container_png(data: &[u8]) {
    container(MediaKind::Png, data);
}

pub fn container_gif(data: &[u8]) {
    container(MediaKind::Gif, data);
}

pub fn container_webp(data: &[u8]) {
    container(MediaKind::Webp, data);
}

/// The SVG policy (through the container parse) and, for an accepted
/// document, an independent look for active content (see [`crate::svg`]).
pub fn container_svg(data: &[u8]) {
    container(MediaKind::Svg, data);
    if sniff(data) == Some(MediaKind::Svg)
        && Parsed::parse_as(MediaKind::Svg, Bytes::copy_from_slice(data)).is_ok()
        && let Some(found) = crate::svg::active_content(data)
    {
        panic!("the SVG policy accepted active content: {found}");
    }
}

pub fn container_pdf(data: &[u8]) {
    container(MediaKind::Pdf, data);
}

pub fn container_mp4(data: &[u8]) {
    container(MediaKind::Mp4, data);
}

pub fn container_webm(data: &[u8]) {
    container(MediaKind::Webm, data);
}

/// The whole upload render with small limits: the first byte chooses the
/// output format, the quality and the variant sizes; the rest is the file.
/// Variants must fit their size and be valid images of their format.
pub fn render(data: &[u8]) {
    let Some((&choice, file)) = data.split_first() else {
        return;
    };
    let Ok(parsed) = Parsed::parse(Bytes::copy_from_slice(file)) else {
        return;
    };
    if !parsed.kind().is_raster() {
        return;
    }
    let format = [
        None,
        Some(OutputFormat::Jpeg),
        Some(OutputFormat::Png),
        Some(OutputFormat::Webp),
    ][usize::from(choice & 3)];
    let settings = EncodeSettings {
        format,
        quality: [1, 50, 80, 100][usize::from((choice >> 2) & 3)],
    };
    // Sizes from 1 px up, so that rounding at tiny sizes is reached too.
    let base = u32::from(choice >> 4) + 1;
    let specs: Vec<VariantSpec> = [base, base * 4, base * 16]
        .into_iter()
        .enumerate()
        .map(|(i, max_side)| VariantSpec {
            name: format!("v{i}"),
            max_side,
        })
        .collect();
    let limits = small_limits();
    if let Ok(variants) = render_variants(&parsed, &specs, &settings, &limits, &NoDeadline) {
        for v in &variants {
            let spec = specs.iter().find(|s| s.name == v.name).expect("a spec");
            check_output(&v.bytes, v.format, v.width, v.height, spec.max_side);
        }
    }
    if let Ok(thumb) = thumbnail(&parsed, base * 2, &settings, &limits, &NoDeadline) {
        check_output(
            &thumb.bytes,
            thumb.format,
            thumb.width,
            thumb.height,
            base * 2,
        );
    }
    rendition(&parsed, choice, &settings, &limits);
}

/// A rendition of the image: a box, fit, upscaling and focus from the
/// choice byte; the output has the size the plan promised (what the
/// signing endpoint tells clients).
fn rendition(parsed: &Parsed, choice: u8, settings: &EncodeSettings, limits: &Limits) {
    let side = u32::from(choice >> 4) * 7 + 1;
    let area = RenditionBox {
        width: (choice & 1 == 0).then_some(side),
        height: Some(side / 2 + 1),
        fit: [Fit::Contain, Fit::Cover, Fit::Fill][usize::from(choice >> 1) % 3],
        upscale: choice & 8 != 0,
    };
    let focus =
        (choice & 4 != 0).then_some((f64::from(choice) / 255.0, 1.0 - f64::from(choice) / 255.0));
    let Some(header) = parsed.header() else {
        return;
    };
    let Ok(plan) = plan_rendition(header.display_size(), &area) else {
        return;
    };
    if let Ok(out) = render_rendition(parsed, &area, focus, settings, limits, &NoDeadline) {
        assert_eq!(
            (out.width, out.height),
            (plan.width, plan.height),
            "{area:?}"
        );
        let longest = plan.width.max(plan.height);
        check_output(&out.bytes, out.format, out.width, out.height, longest);
    }
}

/// An encoded output: within `max_side`, not empty, and parsed back as its
/// format with its size.
fn check_output(bytes: &[u8], format: OutputFormat, width: u32, height: u32, max_side: u32) {
    assert!(width > 0 && height > 0, "an empty output {width}x{height}");
    assert!(
        width.max(height) <= max_side,
        "{width}x{height} over {max_side}"
    );
    let parsed = Parsed::parse(Bytes::copy_from_slice(bytes))
        .unwrap_or_else(|e| panic!("an encoded {format:?} does not parse: {e}"));
    assert_eq!(parsed.kind().mime_type(), format.mime_type());
    let header = parsed.header().expect("an encoded raster image");
    assert_eq!((header.width, header.height), (width, height));
}

/// A placeholder (ThumbHash) as the web page decodes the API's: any bytes
/// give a small image or nothing, never a panic or a large allocation.
pub fn placeholder(data: &[u8]) {
    if let Some((w, h, rgba)) = mediakit_image::placeholder::decode(data) {
        assert!(w <= 32 && h <= 32, "a {w}x{h} placeholder");
        assert_eq!(rgba.len(), (w * h * 4) as usize);
    }
}
