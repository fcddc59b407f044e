//! What the page asks of the core, as plain Rust: inspect a file against the
//! server's limits, and resize an image the way the server makes variants.

use mediakit_core::config::Limits;
use mediakit_core::validate;
use mediakit_core::{Error, MediaKind, Result};
use mediakit_image::{EncodeSettings, NoDeadline, OutputFormat, Parsed, Rendered, thumbnail};

/// What the page shows about a file before doing anything with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    pub kind: MediaKind,
    /// Display size (EXIF orientation applied), when known.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// EXIF orientation 1..=8 of a raster image (1 otherwise).
    pub orientation: u8,
    pub has_alpha: bool,
    pub animated: bool,
}

impl Probe {
    /// Whether resizing in the browser keeps what the server would keep: a
    /// still raster image. An animation would lose its frames (the pipeline
    /// renders the first), so it is sent as is, like SVG, PDF and video.
    pub fn resizable(&self) -> bool {
        self.kind.is_raster() && !self.animated
    }
}

impl From<&Parsed> for Probe {
    fn from(file: &Parsed) -> Self {
        let header = file.header();
        let (width, height) = file.display_size();
        Self {
            kind: file.kind(),
            width,
            height,
            orientation: header.map_or(1, |h| h.orientation),
            has_alpha: header.is_some_and(|h| h.has_alpha),
            animated: header.is_some_and(|h| h.animated),
        }
    }
}

/// The upload checks of the server (size, type by magic bytes, pixel limit
/// from the header, SVG safety), nothing decoded.
pub fn inspect(bytes: Vec<u8>, limits: &Limits) -> Result<Probe> {
    validate::inspect(bytes.into(), limits).map(|file| Probe::from(&file))
}

/// How the page wants an image resized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResizeRequest {
    /// Longest side of the output (never upscaled).
    pub max_side: u32,
    pub settings: EncodeSettings,
}

/// `"auto"` (or empty) lets the pipeline choose as it does for variants:
/// JPEG when opaque, PNG with transparency.
pub fn parse_format(name: &str) -> Result<Option<OutputFormat>> {
    match name.trim() {
        "" | "auto" => Ok(None),
        other => OutputFormat::parse(other).map(Some).ok_or_else(|| {
            Error::invalid(format!(
                "unknown output format {other:?}: use auto, jpeg, png or webp"
            ))
        }),
    }
}

/// Inspects (the same refusals as an upload), then renders one image whose
/// oriented longest side is at most `max_side`: the server's variant
/// pipeline (decode with the pixel limit → orient → resize → sRGB → encode,
/// metadata dropped).
pub fn resize(bytes: Vec<u8>, limits: &Limits, request: &ResizeRequest) -> Result<Rendered> {
    // The encoder would clamp it; a page sending 0 or 200 has a bug to see.
    if !(1..=100).contains(&request.settings.quality) {
        return Err(Error::invalid("quality must be between 1 and 100"));
    }
    let file = validate::inspect(bytes.into(), limits)?;
    if !file.kind().is_raster() {
        return Err(image_only(file.kind()));
    }
    Ok(thumbnail(
        &file,
        request.max_side,
        &request.settings,
        &limits.image(),
        // In the visitor's own browser, which can stop the page.
        &NoDeadline,
    )?)
}

fn image_only(kind: MediaKind) -> Error {
    Error::new(
        mediakit_core::ErrorCode::UnsupportedType,
        format!(
            "{} is not a raster image: it is uploaded as is",
            kind.mime_type()
        ),
    )
}

#[cfg(test)]
mod tests {
    use mediakit_core::ErrorCode;
    use mediakit_core::config::DEFAULT_QUALITY;

    use super::*;

    /// The package's directory, read when the test runs (cargo sets it) rather
    /// than baked in at compile time: a build reused from a checkout elsewhere
    /// (a shared target directory) must still read this checkout's files.
    fn manifest_dir() -> String {
        std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/../tests/fixtures/{name}", manifest_dir());
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn request(max_side: u32) -> ResizeRequest {
        ResizeRequest {
            max_side,
            settings: EncodeSettings {
                format: None,
                quality: DEFAULT_QUALITY,
            },
        }
    }

    #[test]
    fn inspect_reports_display_size_and_orientation() {
        let p = inspect(fixture("photo-orient6.jpg"), &Limits::default()).unwrap();
        assert_eq!(
            (p.kind, p.width, p.height, p.orientation),
            (MediaKind::Jpeg, Some(426), Some(640), 6)
        );
        assert!(p.resizable());
        assert_eq!(p.kind.as_str(), "jpeg");
        let gif = inspect(fixture("animated.gif"), &Limits::default()).unwrap();
        assert!(
            gif.animated && !gif.resizable(),
            "animations are sent as is"
        );
        let svg = inspect(fixture("logo.svg"), &Limits::default()).unwrap();
        assert_eq!(svg.kind, MediaKind::Svg);
        assert!(!svg.resizable());
    }

    #[test]
    fn inspect_refuses_what_the_server_refuses() {
        let text = inspect(fixture("not-a-jpeg.txt"), &Limits::default()).unwrap_err();
        assert_eq!(text.code, ErrorCode::UnsupportedType);
        let tight = Limits {
            max_pixels: 100_000,
            ..Limits::default()
        };
        let big = inspect(fixture("photo-seeding-800.jpg"), &tight).unwrap_err();
        assert_eq!(big.code, ErrorCode::ImageTooManyPixels);
        assert!(big.message.contains("800x450"), "{}", big.message);
        let unsafe_svg = inspect(fixture("script.svg"), &Limits::default()).unwrap_err();
        assert_eq!(unsafe_svg.code, ErrorCode::SvgUnsafe);
    }

    #[test]
    fn resize_orients_and_fits_the_longest_side() {
        let out = resize(
            fixture("photo-orient6.jpg"),
            &Limits::default(),
            &request(320),
        )
        .unwrap();
        // 640x426 stored, rotated by EXIF: 426x640 displayed → 213x320.
        assert_eq!((out.width, out.height), (213, 320));
        assert_eq!(out.format, OutputFormat::Jpeg);
        let back = inspect(out.bytes, &Limits::default()).unwrap();
        assert_eq!(
            (back.width, back.height, back.orientation),
            (Some(213), Some(320), 1)
        );
    }

    #[test]
    fn resize_keeps_alpha_as_png_and_honours_a_chosen_format() {
        let png = fixture("photo-alpha.png");
        let auto = resize(png.clone(), &Limits::default(), &request(100)).unwrap();
        assert_eq!(auto.format, OutputFormat::Png);
        let mut jpeg = request(100);
        jpeg.settings.format = parse_format("jpeg").unwrap();
        let out = resize(png.clone(), &Limits::default(), &jpeg).unwrap();
        assert_eq!(out.format, OutputFormat::Jpeg);
        assert_eq!(parse_format("auto").unwrap(), None);
        assert_eq!(
            parse_format("bmp").unwrap_err().code,
            ErrorCode::InvalidRequest
        );
    }

    #[test]
    fn lower_quality_gives_fewer_bytes() {
        let photo = fixture("photo-seeding-800.jpg");
        let mut low = request(400);
        low.settings.quality = 30;
        let mut high = request(400);
        high.settings.quality = 95;
        let low = resize(photo.clone(), &Limits::default(), &low).unwrap();
        let high = resize(photo.clone(), &Limits::default(), &high).unwrap();
        assert!(
            low.bytes.len() < high.bytes.len(),
            "{} vs {}",
            low.bytes.len(),
            high.bytes.len()
        );
    }

    #[test]
    fn resize_refuses_non_images_and_bad_sizes() {
        let svg = resize(fixture("logo.svg"), &Limits::default(), &request(100)).unwrap_err();
        assert_eq!(svg.code, ErrorCode::UnsupportedType);
        let zero = resize(
            fixture("photo-seeding-800.jpg"),
            &Limits::default(),
            &request(0),
        )
        .unwrap_err();
        assert_eq!(zero.code, ErrorCode::InvalidRequest);
        let mut bad_quality = request(100);
        bad_quality.settings.quality = 0;
        let err = resize(
            fixture("photo-seeding-800.jpg"),
            &Limits::default(),
            &bad_quality,
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidRequest);
        let truncated = fixture("photo-seeding-800.jpg");
        let err = resize(
            truncated[..truncated.len() / 2].to_vec(),
            &Limits::default(),
            &request(100),
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::ImageCorrupt);
    }
}
