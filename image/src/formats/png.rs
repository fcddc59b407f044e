//! PNG chunks: the header (IHDR size, alpha, eXIf orientation, APNG),
//! metadata stripping, and the completeness check (an IEND must end the file;
//! the decoder stops reading after the image data).

use super::{be32, corrupt, exif, header::ImageHeader, truncated};
use crate::Result;

pub(crate) const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// One chunk, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    pub kind: [u8; 4],
    pub data: &'a [u8],
    /// Length, type, data and CRC: what a copy writes.
    pub raw: &'a [u8],
}

impl Chunk<'_> {
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

/// Iterates over the chunks up to and including IEND (trailing bytes after
/// IEND are never looked at); fails when the data ends before IEND.
pub(crate) struct Chunks<'a> {
    bytes: &'a [u8],
    pos: usize,
    done: bool,
}

pub(crate) fn chunks(bytes: &[u8]) -> Result<Chunks<'_>> {
    if !bytes.starts_with(SIGNATURE) {
        return Err(corrupt("not a PNG: bad signature"));
    }
    Ok(Chunks {
        bytes,
        pos: SIGNATURE.len(),
        done: false,
    })
}

impl<'a> Chunks<'a> {
    fn next_chunk(&mut self) -> Result<Chunk<'a>> {
        let b = self.bytes;
        let start = self.pos;
        let len = be32(b, start).ok_or_else(|| truncated("PNG (no IEND chunk)"))?;
        if len > 0x7FFF_FFFF {
            return Err(corrupt("PNG: chunk length out of range"));
        }
        let data_start = start + 8;
        // u64 so that a huge length cannot wrap on 32-bit targets.
        let end = data_start as u64 + u64::from(len) + 4;
        if end > b.len() as u64 {
            return Err(truncated("PNG chunk"));
        }
        let end = end as usize;
        let mut kind = [0; 4];
        kind.copy_from_slice(&b[start + 4..data_start]);
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(corrupt("PNG: invalid chunk type"));
        }
        self.pos = end;
        Ok(Chunk {
            kind,
            data: &b[data_start..end - 4],
            raw: &b[start..end],
        })
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = Result<Chunk<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_chunk();
        self.done = match &next {
            Ok(chunk) => &chunk.kind == b"IEND",
            Err(_) => true,
        };
        Some(next)
    }
}

/// Reads the header from IHDR and the chunks before the first IDAT (where
/// tRNS, eXIf and acTL must be); the image data is never touched.
pub(crate) fn read_header(bytes: &[u8]) -> Result<ImageHeader> {
    let mut chunks = chunks(bytes)?;
    let ihdr = chunks.next().ok_or_else(|| truncated("PNG"))??;
    if &ihdr.kind != b"IHDR" || ihdr.data.len() != 13 {
        return Err(corrupt("PNG: IHDR must come first"));
    }
    let width = be32(ihdr.data, 0).unwrap_or(0);
    let height = be32(ihdr.data, 4).unwrap_or(0);
    if width == 0 || height == 0 || width > 0x7FFF_FFFF || height > 0x7FFF_FFFF {
        return Err(corrupt("PNG: invalid dimensions"));
    }
    let color_type = ihdr.data[9];
    let mut header = ImageHeader {
        width,
        height,
        orientation: 1,
        // Grey + alpha and RGBA carry an alpha channel.
        has_alpha: matches!(color_type, 4 | 6),
        animated: false,
    };
    for chunk in chunks {
        // IHDR alone decides the size, which is what the pixel limit needs;
        // a broken chunk after it is the completeness check's to report.
        let Ok(chunk) = chunk else { break };
        match &chunk.kind {
            b"IDAT" | b"IEND" => break,
            b"tRNS" => header.has_alpha = true,
            b"eXIf" => header.orientation = exif::orientation(chunk.data),
            b"acTL" => header.animated = be32(chunk.data, 0).is_some_and(|frames| frames > 1),
            _ => {}
        }
    }
    Ok(header)
}

/// Checks that the chunk sequence is whole and ends with IEND, and that the
/// chunks the image needs have intact CRCs.
pub(crate) fn check_complete(bytes: &[u8]) -> Result<()> {
    let mut seen_idat = false;
    for chunk in chunks(bytes)? {
        let chunk = chunk?;
        seen_idat |= &chunk.kind == b"IDAT";
        if chunk.is_critical() && !chunk.crc_ok() {
            return Err(corrupt("PNG: chunk CRC mismatch"));
        }
    }
    if !seen_idat {
        return Err(corrupt("PNG: no image data"));
    }
    Ok(())
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

/// Copies the PNG without text, time, Exif and unknown ancillary chunks; the
/// image data is copied untouched.
pub(crate) fn strip(bytes: &[u8], orientation: u8) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(SIGNATURE);
    let mut seen_idat = false;
    for chunk in chunks(bytes)? {
        let chunk = chunk?;
        if !keep(&chunk) {
            continue;
        }
        if !chunk.crc_ok() {
            return Err(corrupt("PNG: chunk CRC mismatch"));
        }
        seen_idat |= &chunk.kind == b"IDAT";
        out.extend_from_slice(chunk.raw);
        // eXIf must precede the image data; right after IHDR is the safe place.
        if &chunk.kind == b"IHDR" && orientation != 1 {
            write_chunk(&mut out, b"eXIf", &exif::minimal_tiff(orientation));
        }
    }
    if !seen_idat {
        return Err(corrupt("PNG: no image data"));
    }
    Ok(out)
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
