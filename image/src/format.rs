//! What a format module provides: a [`Format`] descriptor (its names, how
//! to tell it by its first bytes, how to parse it) and, for a raster
//! format, the parsed [`Container`] that everything after parsing goes
//! through.
//!
//! Why a trait for raster containers: every raster format answers the same
//! few questions (is the file whole, what does it cost to process, the copy
//! without metadata, the pixels), and a trait makes the compiler check that
//! each answers all of them. The registry ([`crate::formats`]) is the one
//! place that names the formats; after parsing, nothing matches on the
//! format again: callers hold a `Box<dyn Container>` inside
//! [`crate::Parsed`].

use std::fmt;

use crate::decoded::{DecodeRequest, Decoded};
use crate::error::Result;
use crate::header::ImageHeader;

/// How many leading bytes a sniffer may look at (enough for an MP4 `ftyp`
/// box with many compatible brands, an EBML header, and an SVG prolog).
pub(crate) const SNIFF_WINDOW: usize = 4096;

/// One accepted format.
pub(crate) struct Format {
    /// Its name in messages ("JPEG").
    pub name: &'static str,
    pub mime_type: &'static str,
    /// Extensions it is known by, the canonical one (for stored names) first.
    pub extensions: &'static [&'static str],
    /// Whether the first bytes (at most [`SNIFF_WINDOW`] of them matter)
    /// are this format.
    pub sniff: fn(&[u8]) -> bool,
    pub parse: Parse,
}

/// What parsing a file of the format gives.
pub(crate) enum Parse {
    /// A raster image: decoded, held to the limits and given variants. The
    /// function walks the container once; `Err` when no header can be read.
    Raster(fn(&[u8]) -> Result<Raster>),
    /// Stored as sent, once this check passes; it says what the file
    /// declares about its size.
    Stored(fn(&[u8]) -> Result<DeclaredSize>),
}

/// The check of formats that are stored as sent and declare nothing.
pub(crate) fn nothing_declared(_: &[u8]) -> Result<DeclaredSize> {
    Ok(DeclaredSize::default())
}

/// The size a file that is not decoded declares (an SVG's root element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct DeclaredSize {
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A parsed raster image: its header and its container.
#[derive(Debug)]
pub(crate) struct Raster {
    pub header: ImageHeader,
    pub container: Box<dyn Container>,
}

/// The [`Parse::Raster`] function of container type `C`.
pub(crate) fn parse_raster<C: Container>(bytes: &[u8]) -> Result<Raster> {
    let (header, container) = C::parse(bytes)?;
    Ok(Raster {
        header,
        container: Box::new(container),
    })
}

/// A raster container, walked once by its format's parse: what stays is an
/// index of positions into the file, which every method reads instead of
/// walking the file again. Every method takes the bytes that were parsed.
pub(crate) trait Container: fmt::Debug + Send + Sync + 'static {
    /// Walks `bytes` once: the header, and the container to ask the rest.
    /// `Err` (`Corrupt`) when no header can be read; a file that breaks off
    /// after its header parses, and [`Container::completeness`] says so.
    fn parse(bytes: &[u8]) -> Result<(ImageHeader, Self)>
    where
        Self: Sized;

    /// `Err` when the parse found the file truncated or malformed after its
    /// header: the decoders would fill missing data silently, so this is
    /// what refuses it.
    fn completeness(&self) -> Result<()>;

    /// The format's term of the memory model ([`crate::memory`]), in
    /// quarter bytes per pixel.
    fn memory_per_pixel_x4(&self) -> u64;

    /// A copy without private metadata, its image data copied untouched; a
    /// minimal Exif block holding `header.orientation` (1..=8) is written
    /// back when it is not 1. Only for complete containers.
    fn strip(&self, bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>>;

    /// The pixels of the image (the first frame of an animation, every
    /// other frame validated). Only for complete containers.
    fn decode(&self, bytes: &[u8], request: &DecodeRequest<'_>) -> Result<Decoded>;
}
