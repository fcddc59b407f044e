//! The checks an upload passes before anything is decoded or stored. Pure
//! and cheap (the container is parsed, no pixel decoded), so the browser
//! runs the very same code before sending a file.

use bytes::Bytes;
use mediakit_image::Parsed;

use crate::config::Limits;
use crate::error::{Error, ErrorCode, Result};

/// Size, type by magic bytes, pixel limit from the header, memory budget,
/// SVG safety. The file comes back parsed: the upload moves it into its
/// processing, so that nothing is parsed twice.
pub fn inspect(bytes: Bytes, limits: &Limits) -> Result<Parsed> {
    check_size(bytes.len() as u64, limits)?;
    let parsed = Parsed::parse(bytes)?;
    if let Some(header) = parsed.header() {
        limits.image().check_pixels(header.width, header.height)?;
    }
    check_memory(&parsed, limits)?;
    Ok(parsed)
}

/// Checked first, and by the HTTP layer while the body streams in, so that
/// an oversized body is refused without buffering it.
pub fn check_size(len: u64, limits: &Limits) -> Result<()> {
    if len == 0 {
        return Err(Error::new(ErrorCode::FileEmpty, "the file is empty"));
    }
    if len > limits.max_upload_bytes {
        return Err(too_large(limits));
    }
    Ok(())
}

pub fn too_large(limits: &Limits) -> Error {
    Error::new(
        ErrorCode::FileTooLarge,
        format!(
            "file size exceeds the {} limit",
            human_bytes(limits.max_upload_bytes)
        ),
    )
}

/// A host with a memory ceiling refuses what would not fit in it, with the
/// pixel limit's code: to a client both mean "too big an image for this
/// server", and the message says which bound was hit.
fn check_memory(parsed: &Parsed, limits: &Limits) -> Result<()> {
    // Files that are not decoded have no such cost.
    let (Some(header), Some(needed)) = (parsed.header(), parsed.processing_memory()) else {
        return Ok(());
    };
    if needed > limits.max_processing_memory {
        return Err(Error::new(
            ErrorCode::ImageTooManyPixels,
            format!(
                "the image is {}x{} and would need about {} MB of memory to process as {}; \
                 this server processes images up to {} MB",
                header.width,
                header.height,
                needed.div_ceil(1_000_000),
                parsed.kind().mime_type(),
                limits.max_processing_memory / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// `10MB` style sizes for messages (binary units, as the limit is set).
pub fn human_bytes(n: u64) -> String {
    const MB: u64 = 1024 * 1024;
    const KB: u64 = 1024;
    if n >= MB && n.is_multiple_of(MB) {
        format!("{}MB", n / MB)
    } else if n >= KB && n.is_multiple_of(KB) {
        format!("{}KB", n / KB)
    } else {
        format!("{n} bytes")
    }
}

#[cfg(test)]
mod tests {
    use mediakit_image::MediaKind;

    use super::*;

    const JPEG: &[u8] = include_bytes!("../../tests/fixtures/photo-seeding-800.jpg");

    fn inspect(bytes: &[u8], limits: &Limits) -> Result<Parsed> {
        super::inspect(Bytes::copy_from_slice(bytes), limits)
    }

    #[test]
    fn rejects_by_size_then_type() {
        let limits = Limits::default();
        assert_eq!(
            inspect(b"", &limits).unwrap_err().code,
            ErrorCode::FileEmpty
        );
        let small = Limits {
            max_upload_bytes: 10,
            ..limits
        };
        assert_eq!(
            inspect(JPEG, &small).unwrap_err().code,
            ErrorCode::FileTooLarge
        );
        let text = include_bytes!("../../tests/fixtures/not-a-jpeg.txt");
        assert_eq!(
            inspect(text, &limits).unwrap_err().code,
            ErrorCode::UnsupportedType
        );
    }

    #[test]
    fn reads_display_size_from_header() {
        let got = inspect(JPEG, &Limits::default()).unwrap();
        assert_eq!(
            (got.kind(), got.display_size()),
            (MediaKind::Jpeg, (Some(800), Some(450)))
        );
        let rotated = include_bytes!("../../tests/fixtures/photo-orient6.jpg");
        let got = inspect(rotated, &Limits::default()).unwrap();
        assert_eq!(got.display_size(), (Some(426), Some(640)));
    }

    #[test]
    fn pixel_bomb_is_refused_from_the_header() {
        // A PNG header claiming 100000x100000 with no image data at all.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&100_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32fast::hash(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        let err = inspect(&png, &Limits::default()).unwrap_err();
        assert_eq!(err.code, ErrorCode::ImageTooManyPixels, "{err}");
    }

    /// A PNG header (no image data) claiming `w`x`h` RGBA.
    fn png_header(w: u32, h: u32) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&w.to_be_bytes());
        png.extend_from_slice(&h.to_be_bytes());
        png.extend_from_slice(&[8, 6, 0, 0, 0]);
        let crc = crc32fast::hash(&png[12..]);
        png.extend_from_slice(&crc.to_be_bytes());
        png
    }

    #[test]
    fn a_memory_budget_refuses_by_format_cost() {
        // 4 MP as an RGBA PNG costs more than the 800x450 JPEG, and both fit
        // in the default (unlimited) budget.
        let png = png_header(2000, 2000);
        let cost = |bytes: &[u8]| {
            let i = inspect(bytes, &Limits::default()).unwrap();
            i.processing_memory().unwrap()
        };
        let jpeg_cost = cost(JPEG);
        assert!(cost(&png) > jpeg_cost + 40_000_000);
        let budget = Limits {
            max_processing_memory: jpeg_cost,
            ..Limits::default()
        };
        assert!(inspect(JPEG, &budget).is_ok());
        let err = inspect(&png, &budget).unwrap_err();
        assert_eq!(err.code, ErrorCode::ImageTooManyPixels, "{err}");
        assert!(err.message.contains("MB of memory"), "{err}");
        let tight = Limits {
            max_processing_memory: jpeg_cost - 1,
            ..Limits::default()
        };
        assert_eq!(
            inspect(JPEG, &tight).unwrap_err().code,
            ErrorCode::ImageTooManyPixels
        );
        // Files that are not decoded have no such cost.
        let svg = include_bytes!("../../tests/fixtures/logo.svg");
        assert!(inspect(svg, &tight).is_ok());
    }

    #[test]
    fn svg_is_inspected() {
        let ok = include_bytes!("../../tests/fixtures/logo.svg");
        let size = inspect(ok, &Limits::default()).unwrap().display_size();
        assert_eq!(size.0, Some(120));
        let bad = include_bytes!("../../tests/fixtures/script.svg");
        assert_eq!(
            inspect(bad, &Limits::default()).unwrap_err().code,
            ErrorCode::SvgUnsafe
        );
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(10 * 1024 * 1024), "10MB");
        assert_eq!(human_bytes(1536), "1536 bytes");
        assert_eq!(human_bytes(2048), "2KB");
    }
}
