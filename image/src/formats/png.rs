//! PNG: one walk over the chunks reads the header (IHDR size, alpha, eXIf
//! orientation, APNG) from those before the first IDAT, checks that the
//! file is whole (an IEND must end it, the chunks the image needs must have
//! intact CRCs: the decoder stops reading after the image data) and indexes
//! the chunks for stripping. Decoding is the `png` crate's, through `image`.

use std::io::Cursor;

use image::codecs::png::PngDecoder;

use crate::decoded::{DecodeRequest, Decoded, decode_still};
use crate::endian::be32;
use crate::error::{ImageError, Result};
use crate::exif;
use crate::format::{Container, Format, Parse, parse_raster};
use crate::header::ImageHeader;

pub(crate) const FORMAT: Format = Format {
    name: "PNG",
    mime_type: "image/png",
    extensions: &["png"],
    sniff: |b| b.starts_with(SIGNATURE),
    parse: Parse::Raster(parse_raster::<Png>),
};

pub(crate) const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// Bytes per pixel when processing: RGBA (or 16-bit) decode, its 8-bit
/// RGBA copy, premultiplication.
pub(crate) const BYTES_PER_PIXEL: u64 = 13;

/// One chunk, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    pub kind: [u8; 4],
    pub data: &'a [u8],
    /// Length, type, data and CRC: what a copy writes.
    pub raw: &'a [u8],
}

impl<'a> Chunk<'a> {
    /// The chunk at `start` of a walked file.
    fn at(b: &'a [u8], start: usize) -> Self {
        let len = be32(b, start).map_or(0, |len| len as usize);
        let data_start = start + 8;
        let end = data_start + len + 4;
        let mut kind = [0; 4];
        kind.copy_from_slice(&b[start + 4..data_start]);
        Self {
            kind,
            data: &b[data_start..end - 4],
            raw: &b[start..end],
        }
    }

    /// Critical chunks (upper-case first letter) cannot be dropped without
    /// breaking the image.
    fn is_critical(&self) -> bool {
        self.kind[0].is_ascii_uppercase()
    }

    fn crc_ok(&self) -> bool {
        let stored = be32(self.raw, self.raw.len() - 4);
        // raw = length(4) type(4) data crc(4); the CRC covers type and data.
        let computed = crc32fast::hash(&self.raw[4..self.raw.len() - 4]);
        stored == Some(computed)
    }
}

/// Walks the chunks up to and including IEND (trailing bytes after IEND
/// are never looked at), each with its position; fails when the data ends
/// before IEND.
struct Walk<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Walk<'a> {
    fn new(bytes: &'a [u8]) -> Result<Self> {
        if !bytes.starts_with(SIGNATURE) {
            return Err(ImageError::corrupt("not a PNG: bad signature"));
        }
        Ok(Self {
            bytes,
            pos: SIGNATURE.len(),
            done: false,
        })
    }

    fn next_chunk(&mut self) -> Result<(usize, Chunk<'a>)> {
        let b = self.bytes;
        let start = self.pos;
        let len = be32(b, start).ok_or_else(|| ImageError::truncated("PNG (no IEND chunk)"))?;
        if len > 0x7FFF_FFFF {
            return Err(ImageError::corrupt("PNG: chunk length out of range"));
        }
        // u64 so that a huge length cannot wrap on 32-bit targets.
        let end = start as u64 + 8 + u64::from(len) + 4;
        if end > b.len() as u64 {
            return Err(ImageError::truncated("PNG chunk"));
        }
        if !b[start + 4..start + 8].iter().all(u8::is_ascii_alphabetic) {
            return Err(ImageError::corrupt("PNG: invalid chunk type"));
        }
        self.pos = end as usize;
        Ok((start, Chunk::at(b, start)))
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Result<(usize, Chunk<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_chunk();
        self.done = match &next {
            Ok((_, chunk)) => &chunk.kind == b"IEND",
            Err(_) => true,
        };
        Some(next)
    }
}

/// A walked PNG.
#[derive(Debug, Default)]
pub(crate) struct Png {
    /// Where each chunk starts, up to IEND. u32: Parsed refuses raster
    /// files of 4 GiB or more.
    chunks: Vec<u32>,
    /// Why the file is not a whole PNG, if it is not.
    incomplete: Option<ImageError>,
    /// An ancillary chunk that the stripped copy would keep has a bad CRC.
    kept_crc_mismatch: bool,
}

impl Png {
    /// The chunks of a complete file, from the index.
    pub(crate) fn chunks<'a>(&'a self, bytes: &'a [u8]) -> impl Iterator<Item = Chunk<'a>> {
        self.chunks
            .iter()
            .map(move |&start| Chunk::at(bytes, start as usize))
    }
}

fn read_ihdr(ihdr: &Chunk<'_>) -> Result<ImageHeader> {
    if &ihdr.kind != b"IHDR" || ihdr.data.len() != 13 {
        return Err(ImageError::corrupt("PNG: IHDR must come first"));
    }
    let width = be32(ihdr.data, 0).unwrap_or(0);
    let height = be32(ihdr.data, 4).unwrap_or(0);
    if width == 0 || height == 0 || width > 0x7FFF_FFFF || height > 0x7FFF_FFFF {
        return Err(ImageError::corrupt("PNG: invalid dimensions"));
    }
    let color_type = ihdr.data[9];
    Ok(ImageHeader {
        width,
        height,
        orientation: 1,
        // Grey + alpha and RGBA carry an alpha channel.
        has_alpha: matches!(color_type, 4 | 6),
        animated: false,
    })
}

impl Container for Png {
    /// Walks the file once. `Err` when IHDR is missing or invalid (IHDR
    /// alone decides the size, which is what the pixel limit needs); a
    /// broken chunk after it is reported by [`Container::completeness`].
    fn parse(bytes: &[u8]) -> Result<(ImageHeader, Self)> {
        let mut walk = Walk::new(bytes)?;
        let Some(first) = walk.next() else {
            return Err(ImageError::truncated("PNG"));
        };
        let first = first?;
        let mut header = read_ihdr(&first.1)?;
        let mut png = Self::default();
        // tRNS, eXIf and acTL must come before the image data.
        let mut reading_header = true;
        let mut seen_idat = false;
        for chunk in std::iter::once(Ok(first)).chain(walk) {
            let (start, chunk) = match chunk {
                Ok(located) => located,
                Err(e) => {
                    png.incomplete.get_or_insert(e);
                    break;
                }
            };
            if reading_header {
                match &chunk.kind {
                    b"IDAT" | b"IEND" => reading_header = false,
                    b"tRNS" => header.has_alpha = true,
                    b"eXIf" => header.orientation = exif::orientation(chunk.data),
                    b"acTL" => header.animated = be32(chunk.data, 0).is_some_and(|n| n > 1),
                    _ => {}
                }
            }
            if png.incomplete.is_some() {
                // Only the header is still being read.
                continue;
            }
            png.chunks.push(start as u32);
            seen_idat |= &chunk.kind == b"IDAT";
            if keep(&chunk) && !chunk.crc_ok() {
                if chunk.is_critical() {
                    png.incomplete = Some(ImageError::corrupt("PNG: chunk CRC mismatch"));
                } else {
                    png.kept_crc_mismatch = true;
                }
            }
        }
        if png.incomplete.is_none() && !seen_idat {
            png.incomplete = Some(ImageError::corrupt("PNG: no image data"));
        }
        Ok((header, png))
    }

    fn completeness(&self) -> Result<()> {
        self.incomplete.clone().map_or(Ok(()), Err)
    }

    fn memory_per_pixel_x4(&self) -> u64 {
        4 * BYTES_PER_PIXEL
    }

    /// Copies the PNG without text, time, Exif and unknown ancillary chunks;
    /// the image data is copied untouched.
    fn strip(&self, bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>> {
        if self.kept_crc_mismatch {
            return Err(ImageError::corrupt("PNG: chunk CRC mismatch"));
        }
        let mut out = Vec::with_capacity(bytes.len());
        out.extend_from_slice(SIGNATURE);
        for chunk in self.chunks(bytes).filter(keep) {
            out.extend_from_slice(chunk.raw);
            // eXIf must precede the image data; right after IHDR is the safe place.
            if &chunk.kind == b"IHDR" && header.orientation != 1 {
                write_chunk(&mut out, b"eXIf", &exif::minimal_tiff(header.orientation));
            }
        }
        Ok(out)
    }

    /// An APNG decodes to its default image; the other frames are only
    /// checked structurally (chunk CRCs) by the parse.
    fn decode(&self, bytes: &[u8], request: &DecodeRequest<'_>) -> Result<Decoded> {
        decode_still(PngDecoder::new(Cursor::new(bytes)), &request.limits)
    }
}

/// Ancillary chunks that rendering needs: transparency, colour (gamma,
/// chromaticities, sRGB, ICC, CICP, HDR mastering), significant bits,
/// background, pixel aspect, and APNG animation.
const KEPT_ANCILLARY: [&[u8; 4]; 15] = [
    b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"cICP", b"mDCV", b"mDCv", b"cLLI", b"cLLi",
    b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL",
];

fn keep(chunk: &Chunk<'_>) -> bool {
    chunk.is_critical() || &chunk.kind == b"fdAT" || KEPT_ANCILLARY.contains(&&chunk.kind)
}

pub(crate) fn write_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    let len = u32::try_from(data.len()).expect("chunk data under 2 GiB");
    out.extend_from_slice(&len.to_be_bytes());
    let crc_start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[crc_start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}
