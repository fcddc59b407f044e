//! mediakit-image: the media types mediakit accepts, told by their bytes,
//! and the raster image pipeline. No domain types, no I/O: pure computation
//! on bytes, so it runs the same natively, in a Worker and in a browser
//! (wasm32).
//!
//! A file is parsed once into a [`Parsed`] value ([`Parsed::parse`]: sniff
//! the type, walk the container once). For a raster image that value knows
//! its header (size, orientation, alpha, animation), whether the file is
//! whole, its memory cost, how to strip its metadata and how to decode it;
//! stripping and decoding read the index the walk left, never the container
//! again. Variants are rendered from it by [`render_variants`]: decode once
//! with [`Limits`] → resize → EXIF orientation → sRGB → encode.
//!
//! The container parsers are our own: they are what makes truncation
//! detection strict (the decoders fill missing data silently) and what lets
//! metadata be removed while the image data is copied byte for byte.
//!
//! Modules, each importing only those listed below it:
//! - `render`: variants, thumbnails and renditions, from a [`Parsed`];
//!   `rendition` (the geometry of an output of any size) and `saliency`
//!   (where a crop looks) beside it;
//! - `parsed`: the one value; the only user of the registry;
//! - `formats`: the registry, the one place that lists the formats, over
//!   one module per format (`jpeg`, `png`, `gif`, `webp`, `svg`, `pdf`,
//!   `mp4`, `webm`), which know nothing of each other;
//! - `format`: what a format module provides (descriptor, container trait);
//! - the shared pieces the formats and the pipeline stand on: `decoded`
//!   (decode requests and results, the `image` crate's decoders), `encode`,
//!   `resize`, `orient`, `color`, `pixels`, `output`, `memory`, `exif`,
//!   `header`, `limits`, `endian`, `error`.

mod color;
mod decoded;
mod encode;
mod endian;
mod error;
mod exif;
mod format;
mod formats;
mod header;
mod limits;
mod memory;
mod orient;
mod output;
mod parsed;
mod pixels;
pub mod placeholder;
mod render;
mod rendition;
mod resize;
mod saliency;

/// Hostile images for tests (the `forge` feature; always in unit tests).
#[cfg(any(test, feature = "forge"))]
pub mod forge;
#[cfg(test)]
mod tests;

pub use error::{ErrorKind, ImageError, Result};
pub use formats::{MediaKind, sniff};
pub use header::ImageHeader;
pub use limits::{
    ClockDeadline, DEFAULT_MAX_FRAMES, DEFAULT_MAX_PIXELS, DEFAULT_MAX_SCANS,
    DEFAULT_MAX_TOTAL_PIXELS, Deadline, Limits, NoDeadline,
};
pub use output::{EncodeSettings, OutputFormat};
pub use parsed::Parsed;
pub use render::{
    Rendered, RenderedSet, VariantSpec, default_presets, render_rendition, render_set,
    render_variants, thumbnail,
};
pub use rendition::{Fit, Plan, RenditionBox, plan as plan_rendition};
