//! The JavaScript API (wasm-bindgen). Thin: converts between JS values and
//! [`crate::ops`], nothing more. Numbers that may exceed 2^32 (byte and pixel
//! limits) cross as JS numbers (f64), not BigInt, so the page can pass the
//! server's JSON values straight through.

use mediakit_core::config::{self, DEFAULT_QUALITY};
use mediakit_image::EncodeSettings;
use wasm_bindgen::prelude::*;

use crate::ops::{self, ResizeRequest};

/// A core error as the page sees it: the server's stable code and message.
#[wasm_bindgen(getter_with_clone)]
pub struct CoreError {
    pub code: String,
    pub message: String,
}

impl From<mediakit_core::Error> for CoreError {
    fn from(e: mediakit_core::Error) -> Self {
        Self {
            code: e.code.as_str().to_owned(),
            message: e.message,
        }
    }
}

fn invalid(message: &str) -> CoreError {
    mediakit_core::Error::invalid(message).into()
}

/// The limits a file is checked against (the server's, from
/// `GET /api/v1/limits`, or core's defaults).
#[wasm_bindgen]
#[derive(Clone, Copy)]
pub struct Limits {
    inner: config::Limits,
}

/// A JS number that must be a positive whole number.
fn whole(value: f64, what: &str) -> Result<u64, CoreError> {
    // 2^53: above it f64 no longer counts in ones.
    if value.is_finite() && value >= 1.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_992.0
    {
        Ok(value as u64)
    } else {
        Err(invalid(&format!("{what} must be a positive whole number")))
    }
}

#[wasm_bindgen]
impl Limits {
    #[wasm_bindgen(constructor)]
    pub fn new(max_upload_bytes: f64, max_pixels: f64) -> Result<Limits, CoreError> {
        Ok(Self {
            inner: config::Limits {
                max_upload_bytes: whole(max_upload_bytes, "max_upload_bytes")?,
                max_pixels: whole(max_pixels, "max_pixels")?,
                ..config::Limits::default()
            },
        })
    }

    #[wasm_bindgen(getter)]
    pub fn max_upload_bytes(&self) -> f64 {
        self.inner.max_upload_bytes as f64
    }

    #[wasm_bindgen(getter)]
    pub fn max_pixels(&self) -> f64 {
        self.inner.max_pixels as f64
    }
}

/// Core's defaults (what a server started without settings uses).
#[wasm_bindgen]
pub fn default_limits() -> Limits {
    Limits {
        inner: config::Limits::default(),
    }
}

#[wasm_bindgen(getter_with_clone)]
pub struct Preset {
    pub name: String,
    pub max_side: u32,
}

/// The server's default variant presets (thumb, small, medium, large).
#[wasm_bindgen]
pub fn default_presets() -> Vec<Preset> {
    config::default_presets()
        .into_iter()
        .map(|p| Preset {
            name: p.name,
            max_side: p.max_side,
        })
        .collect()
}

/// The JPEG quality of the server's variants.
#[wasm_bindgen]
pub fn default_quality() -> u8 {
    DEFAULT_QUALITY
}

/// Whether this build uses wasm SIMD (128-bit) instructions.
#[wasm_bindgen]
pub fn simd128() -> bool {
    cfg!(target_feature = "simd128")
}

#[wasm_bindgen(getter_with_clone)]
pub struct Probe {
    /// `jpeg`, `png`, `gif`, `webp`, `svg`, `pdf`, `mp4` or `webm`.
    pub kind: String,
    pub mime_type: String,
    /// Display size (EXIF orientation applied), when known.
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub orientation: u8,
    pub has_alpha: bool,
    pub animated: bool,
    /// A still raster image: the page resizes it before upload.
    pub resizable: bool,
}

/// The server's upload checks on these bytes, nothing decoded.
#[wasm_bindgen]
pub fn inspect(bytes: Vec<u8>, limits: &Limits) -> Result<Probe, CoreError> {
    let p = ops::inspect(bytes, &limits.inner)?;
    Ok(Probe {
        kind: p.kind.as_str().to_owned(),
        mime_type: p.kind.mime_type().to_owned(),
        width: p.width,
        height: p.height,
        orientation: p.orientation,
        has_alpha: p.has_alpha,
        animated: p.animated,
        resizable: p.resizable(),
    })
}

#[wasm_bindgen(getter_with_clone)]
pub struct Resized {
    pub width: u32,
    pub height: u32,
    pub mime_type: String,
    /// For the uploaded file's name.
    pub extension: String,
    pub bytes: Vec<u8>,
}

/// Resizes so that the longest side is at most `max_side` and encodes with
/// the server's variant pipeline. `format`: `auto`, `jpeg`, `png` or `webp`;
/// `quality` 1..=100 (JPEG).
#[wasm_bindgen]
pub fn resize(
    bytes: Vec<u8>,
    limits: &Limits,
    max_side: u32,
    quality: u8,
    format: &str,
) -> Result<Resized, CoreError> {
    let request = ResizeRequest {
        max_side,
        settings: EncodeSettings {
            format: ops::parse_format(format)?,
            quality,
        },
    };
    let out = ops::resize(bytes, &limits.inner, &request)?;
    Ok(Resized {
        width: out.width,
        height: out.height,
        mime_type: out.format.mime_type().to_owned(),
        extension: out.format.extension().to_owned(),
        bytes: out.bytes,
    })
}

/// The small image a media item's placeholder (its ThumbHash, the bytes of
/// the API's base64 `placeholder`) stands for, to draw scaled up while the
/// thumbnail loads.
#[wasm_bindgen(getter_with_clone)]
pub struct PlaceholderImage {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

#[wasm_bindgen]
pub fn placeholder_image(hash: Vec<u8>) -> Result<PlaceholderImage, CoreError> {
    let (width, height, rgba) = mediakit_image::placeholder::decode(&hash)
        .ok_or_else(|| invalid("not a placeholder (ThumbHash)"))?;
    Ok(PlaceholderImage {
        width,
        height,
        rgba,
    })
}
