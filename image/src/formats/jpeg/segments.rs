//! JPEG marker segments: the walk over a file, which the JPEG parse makes
//! once, and the index of segment positions it leaves behind, which
//! stripping and the decoder read instead of walking again.
//!
//! The walk is what makes truncation detection strict (the decoders fill
//! missing data silently): every segment must be whole and the
//! entropy-coded data must reach a marker. It is linear: one `memchr` pass
//! over the entropy-coded data, a jump over every other segment.
//!
//! The index is one `u32` per segment (the start of its body; the marker
//! code and the length are read back from the file), so it costs at most
//! twice the file for a file of nothing but 2-byte markers, a few hundred
//! bytes for a photo. The entropy-coded data of a scan is not indexed: it
//! runs from the end of its SOS segment to the marker of the next entry.

use crate::endian::be16;
use crate::error::{ImageError, Result};

pub(super) const SOI: u8 = 0xD8;
pub(super) const EOI: u8 = 0xD9;
pub(super) const SOS: u8 = 0xDA;
pub(super) const DQT: u8 = 0xDB;
pub(super) const DHT: u8 = 0xC4;
pub(super) const DRI: u8 = 0xDD;
pub(super) const APP0: u8 = 0xE0;
pub(super) const APP1: u8 = 0xE1;
pub(super) const APP2: u8 = 0xE2;
pub(super) const APP14: u8 = 0xEE;
pub(super) const COM: u8 = 0xFE;
/// Not a real marker: the pseudo segment for the entropy-coded data that
/// follows an SOS header (0xFF00 can never start a marker).
pub(super) const ENTROPY_CODED: u8 = 0x00;

/// Start-of-frame markers carry the image size. C4 (DHT), C8 (JPG) and CC
/// (DAC) share the range but are not frames.
pub(super) fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// RSTn, TEM and EOI stand alone; every other marker has a length field.
fn has_length(marker: u8) -> bool {
    !matches!(marker, 0xD0..=0xD7 | 0x01 | EOI)
}

/// One piece of a JPEG file after SOI.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment<'a> {
    pub marker: u8,
    /// What follows the marker code: the 2-byte length and the payload; empty
    /// for standalone markers; the raw bytes for [`ENTROPY_CODED`].
    pub body: &'a [u8],
}

impl<'a> Segment<'a> {
    /// The payload after the length field.
    pub fn payload(&self) -> &'a [u8] {
        if self.marker == ENTROPY_CODED {
            &[]
        } else {
            self.body.get(2..).unwrap_or(&[])
        }
    }

    pub fn write_to(&self, out: &mut Vec<u8>) {
        if self.marker != ENTROPY_CODED {
            out.extend_from_slice(&[0xFF, self.marker]);
        }
        out.extend_from_slice(self.body);
    }
}

#[cfg(test)]
thread_local! {
    /// How many walks this thread made: the parse-once test counts them.
    pub(super) static WALKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Walks the segments of a JPEG, including the entropy-coded data of each
/// scan, up to and including EOI; each with the position of its body. Data
/// after EOI is never looked at.
pub(super) fn walk(bytes: &[u8]) -> Result<Walk<'_>> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(ImageError::corrupt("not a JPEG: no SOI marker"));
    }
    #[cfg(test)]
    WALKS.with(|walks| walks.set(walks.get() + 1));
    Ok(Walk {
        bytes,
        pos: 2,
        in_scan: false,
        done: false,
    })
}

pub(super) struct Walk<'a> {
    bytes: &'a [u8],
    pos: usize,
    in_scan: bool,
    done: bool,
}

impl<'a> Walk<'a> {
    fn next_segment(&mut self) -> Result<(usize, Segment<'a>)> {
        let b = self.bytes;
        if self.in_scan {
            self.in_scan = false;
            let start = self.pos;
            let end = scan_end(b, start)?;
            self.pos = end;
            let segment = Segment {
                marker: ENTROPY_CODED,
                body: &b[start..end],
            };
            return Ok((start, segment));
        }
        let mut p = self.pos;
        let marker = loop {
            // Like libjpeg (and so browsers), skip extraneous bytes before a
            // marker; then any number of 0xFF fill bytes precede its code.
            let rest = b.get(p..).unwrap_or(&[]);
            p += memchr::memchr(0xFF, rest)
                .ok_or_else(|| ImageError::truncated("JPEG (no EOI marker)"))?;
            while b.get(p) == Some(&0xFF) {
                p += 1;
            }
            match b.get(p) {
                None => return Err(ImageError::truncated("JPEG (no EOI marker)")),
                // 0xFF00 is no marker: more extraneous bytes.
                Some(0x00) => p += 1,
                Some(&code) => break code,
            }
        };
        p += 1;
        if marker == SOI {
            return Err(ImageError::corrupt("JPEG: a second SOI marker"));
        }
        if !has_length(marker) {
            self.done = marker == EOI;
            self.pos = p;
            return Ok((p, Segment { marker, body: &[] }));
        }
        let len = be16(b, p).ok_or_else(|| ImageError::truncated("JPEG segment"))?;
        if len < 2 {
            return Err(ImageError::corrupt("JPEG: segment length below 2"));
        }
        let end = p + usize::from(len);
        if end > b.len() {
            return Err(ImageError::truncated("JPEG segment"));
        }
        self.pos = end;
        self.in_scan = marker == SOS;
        Ok((
            p,
            Segment {
                marker,
                body: &b[p..end],
            },
        ))
    }
}

/// Where the entropy-coded data starting at `i` ends: at the first byte
/// 0xFF that begins a real marker (not a stuffed 0xFF00, a restart marker or
/// a fill byte). The marker's code is the next byte.
fn scan_end(b: &[u8], mut i: usize) -> Result<usize> {
    loop {
        let rest = b.get(i..).unwrap_or(&[]);
        i += memchr::memchr(0xFF, rest)
            .ok_or_else(|| ImageError::truncated("JPEG scan (no EOI marker)"))?;
        match b.get(i + 1) {
            None => return Err(ImageError::truncated("JPEG scan (no EOI marker)")),
            Some(0x00 | 0xD0..=0xD7) => i += 2,
            Some(0xFF) => i += 1,
            Some(_) => return Ok(i),
        }
    }
}

impl<'a> Iterator for Walk<'a> {
    type Item = Result<(usize, Segment<'a>)>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_segment();
        if next.is_err() {
            self.done = true;
        }
        Some(next)
    }
}

/// Where the segments of a walked file are.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// The body start of every segment but the entropy-coded data, in file
    /// order. u32: Parsed refuses raster files of 4 GiB or more.
    starts: Vec<u32>,
}

impl Index {
    /// Records a segment the walk yielded at `start`.
    pub fn push(&mut self, start: usize, segment: &Segment<'_>) {
        if segment.marker != ENTROPY_CODED {
            self.starts.push(start as u32);
        }
    }

    /// The segments again, as the walk yielded them, from the index alone.
    /// Only for a file the walk went through to EOI (a complete one).
    pub fn segments<'a>(&'a self, bytes: &'a [u8]) -> Indexed<'a> {
        Indexed {
            bytes,
            starts: &self.starts,
            scan_data: None,
        }
    }
}

pub(crate) struct Indexed<'a> {
    bytes: &'a [u8],
    starts: &'a [u32],
    /// Where the entropy-coded data of the SOS just yielded starts.
    scan_data: Option<usize>,
}

impl<'a> Iterator for Indexed<'a> {
    type Item = Segment<'a>;

    fn next(&mut self) -> Option<Segment<'a>> {
        let b = self.bytes;
        if let Some(start) = self.scan_data.take() {
            // Up to the 0xFF before the next marker's code (which precedes
            // its body).
            let end = self
                .starts
                .first()
                .map_or(b.len(), |&next| next as usize - 2);
            let body = &b[start..end];
            return Some(Segment {
                marker: ENTROPY_CODED,
                body,
            });
        }
        let (&start, rest) = self.starts.split_first()?;
        self.starts = rest;
        let start = start as usize;
        let marker = b[start - 1];
        let body = if has_length(marker) {
            let len = be16(b, start).map_or(0, usize::from);
            &b[start..start + len]
        } else {
            &[]
        };
        if marker == SOS {
            self.scan_data = Some(start + body.len());
        }
        Some(Segment { marker, body })
    }
}
