//! WebP: one walk over the RIFF chunks checks the structure (the RIFF size
//! must fit in the data, and every chunk in it) and indexes the chunks, from
//! which the header (VP8/VP8L/VP8X size, alpha, animation, EXIF orientation)
//! is read and metadata is stripped with the VP8X flags kept truthful.
//! Decoding is image-webp's: a still image through `image`, an animation
//! directly (see [`animation`]).

mod animation;

use std::io::Cursor;

use image::codecs::webp::WebPDecoder;

use crate::decoded::{DecodeRequest, Decoded, decode_still, image_crate_error};
use crate::endian::{le16, le24, le32};
use crate::error::{ImageError, Result};
use crate::exif;
use crate::format::{Container, Format, Parse, parse_raster};
use crate::header::ImageHeader;

pub(crate) const FORMAT: Format = Format {
    name: "WebP",
    mime_type: "image/webp",
    extensions: &["webp"],
    sniff: |b| b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP",
    parse: Parse::Raster(parse_raster::<Webp>),
};

// VP8X flag bits.
const FLAG_ICC: u8 = 0x20;
const FLAG_ALPHA: u8 = 0x10;
const FLAG_EXIF: u8 = 0x08;
const FLAG_XMP: u8 = 0x04;
const FLAG_ANIMATION: u8 = 0x02;

/// Bytes per pixel when processing: the `image` crate's WebP decoder
/// keeps the RGBA canvas and, for animations, the frame it composes onto it.
pub(crate) const BYTES_PER_PIXEL: u64 = 15;

/// One chunk, borrowed from the file.
#[derive(Debug, Clone, Copy)]
struct Chunk<'a> {
    fourcc: [u8; 4],
    data: &'a [u8],
    /// FourCC, size, data and padding byte: what a copy writes.
    raw: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// The chunk at `pos`, whose size the walk checked against `riff_end`.
    fn at(b: &'a [u8], pos: usize, riff_end: usize) -> Self {
        let size = le32(b, pos + 4).map_or(0, |size| size as usize);
        let data_start = pos + 8;
        let data_end = data_start + size;
        // Chunks are padded to an even size (the padding may be missing on the last one).
        let padded_end = (data_end + (data_end & 1)).min(riff_end);
        let mut fourcc = [0; 4];
        fourcc.copy_from_slice(&b[pos..pos + 4]);
        Self {
            fourcc,
            data: &b[data_start..data_end],
            raw: &b[pos..padded_end],
        }
    }
}

/// A walked WebP: its RIFF structure is whole, or it would not have parsed.
#[derive(Debug)]
pub(crate) struct Webp {
    /// Bytes after the RIFF size are ignored (and dropped by stripping).
    riff_end: usize,
    /// Where each chunk starts. u32: Parsed refuses raster files of
    /// 4 GiB or more.
    chunks: Vec<u32>,
    /// ANMF chunks: the frames of an animation, held to the limits before
    /// the first is decoded.
    frames: u32,
}

impl Webp {
    /// Walks the chunks inside the RIFF container once; a RIFF size beyond
    /// the data is a truncated file.
    fn walk(b: &[u8]) -> Result<Self> {
        if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
            return Err(ImageError::corrupt("not a WebP: bad RIFF header"));
        }
        let riff_end = 8 + u64::from(le32(b, 4).unwrap_or(0));
        if riff_end > b.len() as u64 {
            return Err(ImageError::truncated("WebP (RIFF size exceeds the data)"));
        }
        let riff_end = riff_end as usize;
        let mut chunks = Vec::new();
        let mut frames = 0u32;
        let mut pos = 12;
        while pos < riff_end {
            let size =
                le32(b, pos + 4).ok_or_else(|| ImageError::truncated("WebP chunk header"))?;
            if (pos + 8) as u64 + u64::from(size) > riff_end as u64 {
                return Err(ImageError::truncated("WebP chunk"));
            }
            chunks.push(pos as u32);
            let chunk = Chunk::at(b, pos, riff_end);
            if &chunk.fourcc == b"ANMF" {
                frames += 1;
                check_frame(chunk.data)?;
            }
            pos += chunk.raw.len();
        }
        let webp = Self {
            riff_end,
            chunks,
            frames,
        };
        let first = webp.chunks(b).next().map(|c| c.fourcc);
        match first.as_ref() {
            Some(b"VP8 " | b"VP8L" | b"VP8X") => Ok(webp),
            _ => Err(ImageError::corrupt("WebP: no image chunk")),
        }
    }

    fn chunks<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = Chunk<'a>> + Clone {
        self.chunks
            .iter()
            .map(move |&pos| Chunk::at(bytes, pos as usize, self.riff_end))
    }
}

/// An animation frame (ANMF) must hold a bitstream of the size its header
/// declares, as libwebp requires. image-webp does not check, and panics
/// writing a larger bitstream into the frame's buffer (found by fuzzing).
/// Linear: the frame's own chunks are walked once.
fn check_frame(d: &[u8]) -> Result<()> {
    let (Some(w), Some(h)) = (le24(d, 6), le24(d, 9)) else {
        return Err(ImageError::corrupt("WebP: short animation frame"));
    };
    let declared = (w + 1, h + 1);
    let mut pos = 16;
    while pos + 8 <= d.len() {
        let size = le32(d, pos + 4).map_or(0, |s| s as usize);
        if size > d.len() - pos - 8 {
            return Err(ImageError::truncated("WebP animation frame chunk"));
        }
        let chunk = Chunk::at(d, pos, d.len());
        if matches!(&chunk.fourcc, b"VP8 " | b"VP8L") {
            let (bw, bh, _) = bitstream_info(&chunk)?;
            if (bw, bh) != declared {
                return Err(ImageError::corrupt(format!(
                    "WebP: an animation frame declares {}x{} but holds a {bw}x{bh} image",
                    declared.0, declared.1
                )));
            }
            return Ok(());
        }
        pos += chunk.raw.len().max(8);
    }
    Err(ImageError::corrupt(
        "WebP: an animation frame without an image",
    ))
}

/// Size and alpha from a simple-format bitstream chunk.
fn bitstream_info(chunk: &Chunk<'_>) -> Result<(u32, u32, bool)> {
    let d = chunk.data;
    match &chunk.fourcc {
        b"VP8 " => {
            // 3-byte frame tag (bit 0 clear on key frames), start code, 14-bit sizes.
            if d.len() < 10 || d[0] & 1 != 0 || d[3..6] != [0x9D, 0x01, 0x2A] {
                return Err(ImageError::corrupt("WebP: bad VP8 frame header"));
            }
            let width = u32::from(le16(d, 6).unwrap_or(0) & 0x3FFF);
            let height = u32::from(le16(d, 8).unwrap_or(0) & 0x3FFF);
            Ok((width, height, false))
        }
        b"VP8L" => {
            if d.len() < 5 || d[0] != 0x2F {
                return Err(ImageError::corrupt("WebP: bad VP8L header"));
            }
            let bits = le32(d, 1).unwrap_or(0);
            let width = (bits & 0x3FFF) + 1;
            let height = ((bits >> 14) & 0x3FFF) + 1;
            Ok((width, height, bits >> 28 & 1 == 1))
        }
        _ => Err(ImageError::corrupt("WebP: no image chunk")),
    }
}

impl Webp {
    /// The header from the chunks the walk found (the bitstreams are not
    /// decoded).
    fn read_header(&self, bytes: &[u8]) -> Result<ImageHeader> {
        let chunks = self.chunks(bytes);
        let Some(first) = chunks.clone().next() else {
            return Err(ImageError::corrupt("WebP: no image chunk"));
        };
        let mut orientation = 1;
        if let Some(exif) = chunks.clone().find(|c| &c.fourcc == b"EXIF") {
            orientation = exif::orientation(exif.data);
        }
        let (width, height, has_alpha, animated) = if &first.fourcc == b"VP8X" {
            let d = first.data;
            let (Some(&flags), Some(w), Some(h)) = (d.first(), le24(d, 4), le24(d, 7)) else {
                return Err(ImageError::corrupt("WebP: short VP8X chunk"));
            };
            let has_alpha = flags & FLAG_ALPHA != 0
                || chunks.clone().any(|c| &c.fourcc == b"ALPH")
                || chunks
                    .clone()
                    .find(|c| &c.fourcc == b"VP8L")
                    .is_some_and(|c| bitstream_info(&c).is_ok_and(|(_, _, alpha)| alpha));
            let animated = flags & FLAG_ANIMATION != 0 && self.frames > 1;
            (w + 1, h + 1, has_alpha, animated)
        } else {
            let (w, h, alpha) = bitstream_info(&first)?;
            (w, h, alpha, false)
        };
        if width == 0 || height == 0 {
            return Err(ImageError::corrupt("WebP: invalid dimensions"));
        }
        Ok(ImageHeader {
            width,
            height,
            orientation,
            has_alpha,
            animated,
        })
    }
}

/// Chunks that rendering needs; EXIF, XMP and unknown chunks go.
fn keep(chunk: &Chunk<'_>) -> bool {
    matches!(
        &chunk.fourcc,
        b"VP8X" | b"ICCP" | b"ANIM" | b"ANMF" | b"ALPH" | b"VP8 " | b"VP8L"
    )
}

impl Container for Webp {
    fn parse(bytes: &[u8]) -> Result<(ImageHeader, Self)> {
        let webp = Self::walk(bytes)?;
        let header = webp.read_header(bytes)?;
        Ok((header, webp))
    }

    fn completeness(&self) -> Result<()> {
        // The parse checked every chunk against the RIFF size, or failed.
        Ok(())
    }

    fn memory_per_pixel_x4(&self) -> u64 {
        4 * BYTES_PER_PIXEL
    }

    /// Copies the WebP without EXIF/XMP/unknown chunks, fixes the VP8X flags
    /// to match, and adds a minimal EXIF chunk when the orientation is not 1
    /// (a simple-format file is converted to the extended format for that).
    fn strip(&self, bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>> {
        let orientation = header.orientation;
        let mut body = Vec::with_capacity(bytes.len());
        let simple = self.chunks(bytes).next().map(|c| c.fourcc) != Some(*b"VP8X");
        if simple && orientation != 1 {
            let alpha = if header.has_alpha { FLAG_ALPHA } else { 0 };
            write_vp8x(&mut body, FLAG_EXIF | alpha, header.width, header.height);
        }
        let has_icc = self.chunks(bytes).any(|c| &c.fourcc == b"ICCP");
        for chunk in self.chunks(bytes).filter(keep) {
            if &chunk.fourcc == b"VP8X" {
                if chunk.data.len() < 10 {
                    return Err(ImageError::corrupt("WebP: short VP8X chunk"));
                }
                let mut flags = chunk.data[0] & !(FLAG_EXIF | FLAG_XMP);
                if orientation != 1 {
                    flags |= FLAG_EXIF;
                }
                if !has_icc {
                    flags &= !FLAG_ICC;
                }
                body.extend_from_slice(&chunk.raw[..8]);
                body.push(flags);
                body.extend_from_slice(&chunk.raw[9..]);
            } else {
                body.extend_from_slice(chunk.raw);
            }
            if chunk.raw.len() % 2 == 1 {
                body.push(0); // restore a padding byte missing at the end of the input
            }
        }
        if orientation != 1 {
            // EXIF comes after the image data in the extended format.
            write_chunk(&mut body, b"EXIF", &exif::minimal_tiff(orientation));
        }
        let mut out = Vec::with_capacity(body.len() + 12);
        out.extend_from_slice(b"RIFF");
        out.extend_from_slice(&(body.len() as u32 + 4).to_le_bytes());
        out.extend_from_slice(b"WEBP");
        out.extend_from_slice(&body);
        Ok(out)
    }

    fn decode(&self, bytes: &[u8], request: &DecodeRequest<'_>) -> Result<Decoded> {
        // Only the RIFF container, whose chunks the walk checked: image-webp
        // also reads chunks past it, and allocates what a chunk header
        // declares before reading it (a fuzzed ICCP chunk after the RIFF
        // end asked for 1.3 GB).
        let bytes = &bytes[..self.riff_end];
        let decoder = WebPDecoder::new(Cursor::new(bytes)).map_err(image_crate_error)?;
        if decoder.has_animation() {
            return animation::decode(bytes, self.frames, request);
        }
        decode_still(Ok(decoder), &request.limits)
    }
}

fn write_vp8x(out: &mut Vec<u8>, flags: u8, width: u32, height: u32) {
    let mut data = [0u8; 10];
    data[0] = flags;
    data[4..7].copy_from_slice(&width.saturating_sub(1).to_le_bytes()[..3]);
    data[7..10].copy_from_slice(&height.saturating_sub(1).to_le_bytes()[..3]);
    write_chunk(out, b"VP8X", &data);
}

/// Appends a RIFF chunk: its FourCC, size, data and the pad byte that keeps
/// the next chunk at an even offset.
pub(crate) fn write_chunk(out: &mut Vec<u8>, fourcc: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}
