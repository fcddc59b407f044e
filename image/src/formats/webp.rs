//! WebP RIFF chunks: the header (VP8/VP8L/VP8X size, alpha, animation, EXIF
//! orientation), metadata stripping with VP8X flags kept truthful, and the
//! completeness check (the RIFF size must fit in the data).

use super::{corrupt, exif, header::ImageHeader, le16, le24, le32, truncated};
use crate::Result;

// VP8X flag bits.
const FLAG_ICC: u8 = 0x20;
const FLAG_ALPHA: u8 = 0x10;
const FLAG_EXIF: u8 = 0x08;
const FLAG_XMP: u8 = 0x04;
const FLAG_ANIMATION: u8 = 0x02;

/// One chunk, borrowed from the file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Chunk<'a> {
    pub fourcc: [u8; 4],
    pub data: &'a [u8],
    /// FourCC, size, data and padding byte: what a copy writes.
    pub raw: &'a [u8],
}

/// The chunks inside the RIFF container. Bytes after the RIFF size are
/// ignored (and dropped by [`strip`]); a RIFF size beyond the data is a
/// truncated file.
fn chunks(b: &[u8]) -> Result<Vec<Chunk<'_>>> {
    if b.len() < 12 || &b[0..4] != b"RIFF" || &b[8..12] != b"WEBP" {
        return Err(corrupt("not a WebP: bad RIFF header"));
    }
    let riff_end = 8 + u64::from(le32(b, 4).unwrap_or(0));
    if riff_end > b.len() as u64 {
        return Err(truncated("WebP (RIFF size exceeds the data)"));
    }
    let riff_end = riff_end as usize;
    let mut out = Vec::new();
    let mut pos = 12;
    while pos < riff_end {
        let size = le32(b, pos + 4).ok_or_else(|| truncated("WebP chunk header"))?;
        let data_start = pos + 8;
        let data_end = data_start as u64 + u64::from(size);
        // Chunks are padded to an even size (the padding may be missing on the last one).
        let padded_end = (data_end + (data_end & 1)).min(riff_end as u64);
        if data_end > riff_end as u64 {
            return Err(truncated("WebP chunk"));
        }
        let (data_end, padded_end) = (data_end as usize, padded_end as usize);
        let mut fourcc = [0; 4];
        fourcc.copy_from_slice(&b[pos..pos + 4]);
        out.push(Chunk {
            fourcc,
            data: &b[data_start..data_end],
            raw: &b[pos..padded_end],
        });
        pos = padded_end;
    }
    match out.first().map(|c| &c.fourcc) {
        Some(b"VP8 " | b"VP8L" | b"VP8X") => Ok(out),
        _ => Err(corrupt("WebP: no image chunk")),
    }
}

/// Size and alpha from a simple-format bitstream chunk.
fn bitstream_info(chunk: &Chunk<'_>) -> Result<(u32, u32, bool)> {
    let d = chunk.data;
    match &chunk.fourcc {
        b"VP8 " => {
            // 3-byte frame tag (bit 0 clear on key frames), start code, 14-bit sizes.
            if d.len() < 10 || d[0] & 1 != 0 || d[3..6] != [0x9D, 0x01, 0x2A] {
                return Err(corrupt("WebP: bad VP8 frame header"));
            }
            let width = u32::from(le16(d, 6).unwrap_or(0) & 0x3FFF);
            let height = u32::from(le16(d, 8).unwrap_or(0) & 0x3FFF);
            Ok((width, height, false))
        }
        b"VP8L" => {
            if d.len() < 5 || d[0] != 0x2F {
                return Err(corrupt("WebP: bad VP8L header"));
            }
            let bits = le32(d, 1).unwrap_or(0);
            let width = (bits & 0x3FFF) + 1;
            let height = ((bits >> 14) & 0x3FFF) + 1;
            Ok((width, height, bits >> 28 & 1 == 1))
        }
        _ => Err(corrupt("WebP: no image chunk")),
    }
}

/// Reads the header from the chunk list (the bitstreams are not decoded).
pub(crate) fn read_header(bytes: &[u8]) -> Result<ImageHeader> {
    let chunks = chunks(bytes)?;
    let first = &chunks[0];
    let mut orientation = 1;
    if let Some(exif) = chunks.iter().find(|c| &c.fourcc == b"EXIF") {
        orientation = exif::orientation(exif.data);
    }
    let (width, height, has_alpha, animated) = if &first.fourcc == b"VP8X" {
        let d = first.data;
        let (Some(&flags), Some(w), Some(h)) = (d.first(), le24(d, 4), le24(d, 7)) else {
            return Err(corrupt("WebP: short VP8X chunk"));
        };
        let frames = chunks.iter().filter(|c| &c.fourcc == b"ANMF").count();
        let has_alpha = flags & FLAG_ALPHA != 0
            || chunks.iter().any(|c| &c.fourcc == b"ALPH")
            || chunks
                .iter()
                .find(|c| &c.fourcc == b"VP8L")
                .is_some_and(|c| bitstream_info(c).is_ok_and(|(_, _, alpha)| alpha));
        let animated = flags & FLAG_ANIMATION != 0 && frames > 1;
        (w + 1, h + 1, has_alpha, animated)
    } else {
        let (w, h, alpha) = bitstream_info(first)?;
        (w, h, alpha, false)
    };
    if width == 0 || height == 0 {
        return Err(corrupt("WebP: invalid dimensions"));
    }
    Ok(ImageHeader {
        width,
        height,
        orientation,
        has_alpha,
        animated,
    })
}

/// Checks the RIFF structure (sizes of the container and of every chunk).
pub(crate) fn check_complete(bytes: &[u8]) -> Result<()> {
    read_header(bytes).map(|_| ())
}

/// Chunks that rendering needs; EXIF, XMP and unknown chunks go.
fn keep(chunk: &Chunk<'_>) -> bool {
    matches!(
        &chunk.fourcc,
        b"VP8X" | b"ICCP" | b"ANIM" | b"ANMF" | b"ALPH" | b"VP8 " | b"VP8L"
    )
}

/// Copies the WebP without EXIF/XMP/unknown chunks, fixes the VP8X flags to
/// match, and adds a minimal EXIF chunk when the orientation is not 1 (a
/// simple-format file is converted to the extended format for that).
pub(crate) fn strip(bytes: &[u8], header: &ImageHeader) -> Result<Vec<u8>> {
    let chunks = chunks(bytes)?;
    let orientation = header.orientation;
    let mut body = Vec::with_capacity(bytes.len());
    if &chunks[0].fourcc != b"VP8X" && orientation != 1 {
        let alpha = if header.has_alpha { FLAG_ALPHA } else { 0 };
        write_vp8x(&mut body, FLAG_EXIF | alpha, header.width, header.height);
    }
    for chunk in chunks.iter().filter(|c| keep(c)) {
        if &chunk.fourcc == b"VP8X" {
            if chunk.data.len() < 10 {
                return Err(corrupt("WebP: short VP8X chunk"));
            }
            let mut flags = chunk.data.first().copied().unwrap_or(0) & !(FLAG_EXIF | FLAG_XMP);
            if orientation != 1 {
                flags |= FLAG_EXIF;
            }
            if !chunks.iter().any(|c| &c.fourcc == b"ICCP") {
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

fn write_vp8x(out: &mut Vec<u8>, flags: u8, width: u32, height: u32) {
    let mut data = [0u8; 10];
    data[0] = flags;
    data[4..7].copy_from_slice(&width.saturating_sub(1).to_le_bytes()[..3]);
    data[7..10].copy_from_slice(&height.saturating_sub(1).to_le_bytes()[..3]);
    write_chunk(out, b"VP8X", &data);
}

fn write_chunk(out: &mut Vec<u8>, fourcc: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}
