//! [`Parsed`]: a file sniffed and parsed once, the one value every later
//! step goes through (limits, memory estimate, stripping, decoding), so
//! that nothing after it looks at the format or walks the file again. It
//! owns the bytes, so it can be moved to another thread with the work.

use bytes::Bytes;

use crate::decoded::{DecodeRequest, Decoded};
use crate::error::{ErrorKind, ImageError, Result};
use crate::format::{DeclaredSize, Parse, Raster};
use crate::formats::{MediaKind, not_accepted, sniff};
use crate::header::ImageHeader;
use crate::memory;

/// A file of an accepted type, parsed: for a raster image its header and
/// the index of its container, for other types what they declare.
#[derive(Debug)]
pub struct Parsed {
    bytes: Bytes,
    kind: MediaKind,
    content: Content,
}

#[derive(Debug)]
enum Content {
    Raster(Raster),
    Stored(DeclaredSize),
}

impl Parsed {
    /// Tells the type from the bytes (the client's content type and
    /// filename are never consulted), then parses as that type.
    /// `UnsupportedType` for anything not accepted.
    pub fn parse(bytes: Bytes) -> Result<Self> {
        let kind = sniff(&bytes).ok_or_else(not_accepted)?;
        Self::parse_as(kind, bytes)
    }

    /// Parses `bytes` as `kind`: a raster image's container is walked once
    /// (`Corrupt` when no header can be read from it; a file that breaks off
    /// after its header parses, and is refused by stripping and decoding);
    /// an SVG is held to the SVG policy; other types are taken as they are.
    pub fn parse_as(kind: MediaKind, bytes: Bytes) -> Result<Self> {
        let content = match kind.format().parse {
            Parse::Raster(parse) => {
                // Container indexes hold 32-bit offsets.
                if u32::try_from(bytes.len()).is_err() {
                    return Err(ImageError::too_large(
                        "the image file is 4 GiB or more, too large to process",
                    ));
                }
                Content::Raster(parse(&bytes)?)
            }
            Parse::Stored(check) => Content::Stored(check(&bytes)?),
        };
        Ok(Self {
            bytes,
            kind,
            content,
        })
    }

    pub fn kind(&self) -> MediaKind {
        self.kind
    }

    /// The file as it was parsed.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// What the header of a raster image says; `None` for other types.
    pub fn header(&self) -> Option<&ImageHeader> {
        match &self.content {
            Content::Raster(raster) => Some(&raster.header),
            Content::Stored(_) => None,
        }
    }

    /// The size as displayed: a raster image's with its EXIF orientation
    /// applied, or what another type declares (an SVG's root element).
    pub fn display_size(&self) -> (Option<u32>, Option<u32>) {
        match &self.content {
            Content::Raster(raster) => {
                let (width, height) = raster.header.display_size();
                (Some(width), Some(height))
            }
            Content::Stored(size) => (size.width, size.height),
        }
    }

    /// The estimated peak memory (bytes) of turning a raster image into its
    /// variants (see [`crate::memory`]); `None` for types that are not
    /// decoded.
    pub fn processing_memory(&self) -> Option<u64> {
        let raster = self.raster().ok()?;
        Some(memory::estimate(
            raster.container.memory_per_pixel_x4(),
            raster.header.pixels(),
            self.bytes.len() as u64,
        ))
    }

    /// Removes metadata from a raster ORIGINAL: no GPS, camera make/model,
    /// XMP, IPTC or comments leave the server. What rendering needs stays:
    /// ICC profiles and colour chunks, JPEG JFIF/Adobe segments, the GIF loop
    /// count, WebP animation and alpha. When the orientation is not 1 a
    /// minimal Exif block holding only it is written back (so browsers still
    /// show the image upright); otherwise there is no Exif at all.
    ///
    /// Image data bytes are copied untouched, never re-encoded, so the output
    /// decodes to exactly the same pixels. `Corrupt` for an incomplete file.
    pub fn strip_metadata(&self) -> Result<Vec<u8>> {
        let raster = self.raster()?;
        raster.container.completeness()?;
        let header = ImageHeader {
            orientation: match raster.header.orientation {
                o @ 1..=8 => o,
                _ => 1,
            },
            ..raster.header
        };
        raster.container.strip(&self.bytes, &header)
    }

    /// The raster image, or `UnsupportedType`.
    pub(crate) fn raster(&self) -> Result<&Raster> {
        match &self.content {
            Content::Raster(raster) => Ok(raster),
            Content::Stored(_) => Err(ImageError::new(
                ErrorKind::UnsupportedType,
                format!("{} is not a raster image", self.kind.mime_type()),
            )),
        }
    }

    /// Decodes a raster image; `Corrupt` for an incomplete file, whatever
    /// the decoder would make of it.
    pub(crate) fn decode(&self, request: &DecodeRequest<'_>) -> Result<Decoded> {
        let raster = self.raster()?;
        raster.container.completeness()?;
        raster.container.decode(&self.bytes, request)
    }

    /// The same file with a header that says something else: for tests of
    /// what stripping writes back and of decoders that must not trust it.
    #[cfg(test)]
    pub(crate) fn with_header(mut self, change: impl FnOnce(&mut ImageHeader)) -> Self {
        if let Content::Raster(raster) = &mut self.content {
            change(&mut raster.header);
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parsed_file_can_move_to_another_thread() {
        fn movable<T: Send + 'static>() {}
        movable::<Parsed>();
    }
}
