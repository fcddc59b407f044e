//! JPEG: one walk over the marker segments (see [`segments`]) reads the
//! header (SOF size, Exif orientation), the progressive frame's sampling
//! (for the memory estimate), checks that the file is whole (a frame
//! header, at least one scan, EOI: zune-jpeg fills a truncated scan with
//! grey instead of failing) and leaves the index that stripping and our
//! decoder read. Frames our decoder leaves (CMYK, 12-bit, arithmetic, …) go
//! to zune-jpeg through `image`.

mod decoder;
mod segments;
mod strip;
#[cfg(test)]
mod tests;

use std::io::Cursor;

use image::codecs::jpeg::JpegDecoder;

use crate::decoded::{DecodeRequest, Decoded, decode_still};
use crate::error::{ImageError, Result};
use crate::exif;
use crate::format::{Container, Format, Parse, parse_raster};
use crate::header::ImageHeader;
use segments::{APP1, EOI, Index, SOS, Segment, is_sof, walk};

pub(crate) const FORMAT: Format = Format {
    name: "JPEG",
    mime_type: "image/jpeg",
    extensions: &["jpg", "jpeg"],
    sniff: |b| b.starts_with(&[0xFF, 0xD8, 0xFF]),
    parse: Parse::Raster(parse_raster::<Jpeg>),
};

/// Bytes per pixel of a baseline JPEG: the decoded RGB image at the scale
/// the largest variant needs, plus the resize buffers.
pub(crate) const BASELINE_BYTES_PER_PIXEL: u64 = 4;
/// A progressive JPEG keeps its DCT coefficients (2 bytes each, only those
/// its decode scale needs) until the last scan: measured at up to 1.5 bytes
/// per pixel and full-size component plane (see [`coefficient_planes_x2`]),
/// so 0.75 per half plane.
const COEFFICIENT_BYTES_PER_HALF_PLANE_X4: u64 = 3;

/// A walked JPEG.
#[derive(Debug)]
pub(crate) struct Jpeg {
    /// For a progressive JPEG, twice its number of full-size component
    /// planes: what its decoder keeps per pixel until the last scan.
    progressive_planes_x2: Option<u8>,
    /// SOS markers: held to the scan limit before anything is decoded.
    scans: u32,
    index: Index,
    /// Why the file is not a whole JPEG, if it is not.
    incomplete: Option<ImageError>,
}

impl Jpeg {
    /// The segments in file order, entropy-coded data after each scan
    /// header (complete files only).
    pub(crate) fn segments<'a>(&'a self, bytes: &'a [u8]) -> segments::Indexed<'a> {
        self.index.segments(bytes)
    }
}

impl Container for Jpeg {
    /// Walks the file once. `Err` when no header can be read from the
    /// segments before the first scan; a file that breaks off later parses,
    /// and [`Container::completeness`] reports it.
    fn parse(bytes: &[u8]) -> Result<(ImageHeader, Self)> {
        let mut index = Index::default();
        let mut frame = FrameSearch::default();
        let mut order = Order::default();
        let mut incomplete = None;
        let mut scans = 0u32;
        for item in walk(bytes)? {
            let (start, segment) = match item {
                Ok(located) => located,
                Err(e) => {
                    frame.fail(&e);
                    incomplete = Some(e);
                    break;
                }
            };
            index.push(start, &segment);
            scans += u32::from(segment.marker == SOS);
            frame.see(&segment);
            if let Err(e) = order.see(segment.marker) {
                incomplete = Some(e);
                break;
            }
            if frame.failed() {
                break;
            }
        }
        let (header, progressive_planes_x2) = frame.into_result()?;
        let jpeg = Self {
            progressive_planes_x2,
            scans,
            index,
            incomplete,
        };
        Ok((header, jpeg))
    }

    fn completeness(&self) -> Result<()> {
        self.incomplete.clone().map_or(Ok(()), Err)
    }

    fn memory_per_pixel_x4(&self) -> u64 {
        4 * BASELINE_BYTES_PER_PIXEL
            + self.progressive_planes_x2.map_or(0, |planes_x2| {
                COEFFICIENT_BYTES_PER_HALF_PLANE_X4 * u64::from(planes_x2)
            })
    }

    fn strip(&self, bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>> {
        Ok(strip::strip(
            self.segments(bytes),
            bytes.len(),
            header.orientation,
        ))
    }

    fn decode(&self, bytes: &[u8], request: &DecodeRequest<'_>) -> Result<Decoded> {
        // Every scan may cost a pass over the whole image, whichever
        // decoder takes it: refused by count before the first is decoded.
        request.limits.check_scans(self.scans)?;
        match decoder::decode(self.segments(bytes), request) {
            Some(decoded) => decoded,
            // What our decoder leaves (CMYK, 12-bit, ...): zune-jpeg through image.
            None => decode_still(JpegDecoder::new(Cursor::new(bytes)), &request.limits),
        }
    }
}

/// The header, from the segments before the first scan: the Exif
/// orientation of the first APP1 and the size of the first frame.
#[derive(Default)]
struct FrameSearch {
    orientation: Option<u8>,
    found: Option<Result<(ImageHeader, Option<u8>)>>,
}

impl FrameSearch {
    fn see(&mut self, segment: &Segment<'_>) {
        if self.found.is_some() {
            return;
        }
        let payload = segment.payload();
        if segment.marker == APP1
            && self.orientation.is_none()
            && payload.starts_with(exif::EXIF_PREFIX)
        {
            self.orientation = Some(exif::orientation(payload));
        } else if is_sof(segment.marker) {
            let header = read_frame(payload, self.orientation.unwrap_or(1));
            let planes = progressive_planes_x2(segment.marker, payload);
            self.found = Some(header.map(|h| (h, planes)));
        } else if segment.marker == SOS || segment.marker == EOI {
            self.found = Some(Err(ImageError::corrupt(
                "JPEG: no frame header before the image data",
            )));
        }
    }

    /// The walk broke off: the header is missing unless already found.
    fn fail(&mut self, e: &ImageError) {
        self.found.get_or_insert_with(|| Err(e.clone()));
    }

    fn failed(&self) -> bool {
        matches!(self.found, Some(Err(_)))
    }

    fn into_result(self) -> Result<(ImageHeader, Option<u8>)> {
        // The walk always ends at EOI or an error, which settle it.
        self.found.unwrap_or_else(|| {
            Err(ImageError::corrupt(
                "JPEG: no frame header before the image data",
            ))
        })
    }
}

/// Size from an SOF payload: P(1) Y(2) X(2) Nf(1).
fn read_frame(payload: &[u8], orientation: u8) -> Result<ImageHeader> {
    let (Some(height), Some(width)) = (
        crate::endian::be16(payload, 1),
        crate::endian::be16(payload, 3),
    ) else {
        return Err(ImageError::corrupt("JPEG: short frame header"));
    };
    if width == 0 || height == 0 {
        // Height 0 means "defined later by a DNL marker": no decoder we use supports it.
        return Err(ImageError::corrupt("JPEG: frame header without dimensions"));
    }
    Ok(ImageHeader {
        width: u32::from(width),
        height: u32::from(height),
        orientation,
        has_alpha: false,
        animated: false,
    })
}

/// For a progressive frame, twice its number of full-size component planes
/// (see [`coefficient_planes_x2`]); `None` for sequential frames and frame
/// headers too short to tell.
fn progressive_planes_x2(marker: u8, payload: &[u8]) -> Option<u8> {
    // SOF2, SOF6, SOF10 and SOF14 are the progressive frames.
    if !matches!(marker, 0xC2 | 0xC6 | 0xCA | 0xCE) {
        return None;
    }
    // P(1) Y(2) X(2) Nf(1), then per component: C(1) HV(1) Tq(1).
    let count = usize::from(*payload.get(5)?);
    let sampling: Vec<(u8, u8)> = payload
        .get(6..6 + 3 * count)?
        .chunks_exact(3)
        .map(|c| (c[1] >> 4, c[1] & 15))
        .collect();
    Some(coefficient_planes_x2(&sampling))
}

/// Twice the number of full-size component planes of a JPEG with
/// `components` as (horizontal, vertical) sampling factors: 3 planes (6) for
/// 4:4:4, 1.5 (3) for 4:2:0, 1 (2) for greyscale.
fn coefficient_planes_x2(components: &[(u8, u8)]) -> u8 {
    let h_max = components.iter().map(|c| c.0).max().unwrap_or(1).max(1);
    let v_max = components.iter().map(|c| c.1).max().unwrap_or(1).max(1);
    let full = u32::from(h_max) * u32::from(v_max);
    let sum: u32 = components
        .iter()
        .map(|&(h, v)| u32::from(h) * u32::from(v))
        .sum();
    // Rounded up: an estimate that is an upper bound.
    u8::try_from((2 * sum).div_ceil(full)).unwrap_or(u8::MAX)
}

/// Tracks the order a complete JPEG needs: a frame header, then at least one
/// scan, then EOI.
#[derive(Default)]
struct Order {
    frame: bool,
    scan: bool,
}

impl Order {
    fn see(&mut self, marker: u8) -> Result<()> {
        if is_sof(marker) {
            self.frame = true;
        } else if marker == SOS {
            if !self.frame {
                return Err(ImageError::corrupt("JPEG: scan before the frame header"));
            }
            self.scan = true;
        } else if marker == EOI && !self.scan {
            return Err(ImageError::corrupt("JPEG: no image data"));
        }
        Ok(())
    }
}
