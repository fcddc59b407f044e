//! JPEG marker segments: the header (SOF size, Exif orientation), metadata
//! stripping, and the completeness check that the decoder lacks (zune-jpeg
//! fills a truncated scan with grey instead of failing).

use super::{be16, corrupt, exif, header::ImageHeader, truncated};
use crate::Result;

const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP0: u8 = 0xE0;
const APP1: u8 = 0xE1;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const COM: u8 = 0xFE;
/// Not a real marker: the pseudo segment for the entropy-coded data that
/// follows an SOS header (0xFF00 can never start a marker).
const ENTROPY_CODED: u8 = 0x00;

/// Start-of-frame markers carry the image size. C4 (DHT), C8 (JPG) and CC
/// (DAC) share the range but are not frames.
fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
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

    fn write_to(&self, out: &mut Vec<u8>) {
        if self.marker != ENTROPY_CODED {
            out.extend_from_slice(&[0xFF, self.marker]);
        }
        out.extend_from_slice(self.body);
    }
}

/// Iterates over the segments of a JPEG, including the entropy-coded data of
/// each scan, up to and including EOI. Data after EOI is never looked at.
pub(crate) struct Segments<'a> {
    bytes: &'a [u8],
    pos: usize,
    in_scan: bool,
    done: bool,
}

pub(crate) fn segments(bytes: &[u8]) -> Result<Segments<'_>> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(corrupt("not a JPEG: no SOI marker"));
    }
    Ok(Segments {
        bytes,
        pos: 2,
        in_scan: false,
        done: false,
    })
}

impl<'a> Segments<'a> {
    fn next_segment(&mut self) -> Result<Option<Segment<'a>>> {
        let b = self.bytes;
        if self.in_scan {
            self.in_scan = false;
            let end = scan_end(b, self.pos)?;
            let body = &b[self.pos..end];
            self.pos = end;
            return Ok(Some(Segment {
                marker: ENTROPY_CODED,
                body,
            }));
        }
        let mut p = self.pos;
        let marker = loop {
            // Like libjpeg (and so browsers), skip extraneous bytes before a
            // marker; then any number of 0xFF fill bytes precede its code.
            let rest = b.get(p..).unwrap_or(&[]);
            p += memchr::memchr(0xFF, rest).ok_or_else(|| truncated("JPEG (no EOI marker)"))?;
            while b.get(p) == Some(&0xFF) {
                p += 1;
            }
            match b.get(p) {
                None => return Err(truncated("JPEG (no EOI marker)")),
                // 0xFF00 is no marker: more extraneous bytes.
                Some(0x00) => p += 1,
                Some(&code) => break code,
            }
        };
        p += 1;
        match marker {
            SOI => Err(corrupt("JPEG: a second SOI marker")),
            EOI => {
                self.done = true;
                Ok(Some(Segment { marker, body: &[] }))
            }
            // RSTn and TEM have no length field.
            0xD0..=0xD7 | 0x01 => {
                self.pos = p;
                Ok(Some(Segment { marker, body: &[] }))
            }
            _ => {
                let len = be16(b, p).ok_or_else(|| truncated("JPEG segment"))?;
                if len < 2 {
                    return Err(corrupt("JPEG: segment length below 2"));
                }
                let end = p + usize::from(len);
                if end > b.len() {
                    return Err(truncated("JPEG segment"));
                }
                self.pos = end;
                self.in_scan = marker == SOS;
                Ok(Some(Segment {
                    marker,
                    body: &b[p..end],
                }))
            }
        }
    }
}

/// Where the entropy-coded data starting at `i` ends: at the first byte
/// 0xFF that begins a real marker (not a stuffed 0xFF00, a restart marker or
/// a fill byte).
fn scan_end(b: &[u8], mut i: usize) -> Result<usize> {
    loop {
        let rest = b.get(i..).unwrap_or(&[]);
        i += memchr::memchr(0xFF, rest).ok_or_else(|| truncated("JPEG scan (no EOI marker)"))?;
        match b.get(i + 1) {
            None => return Err(truncated("JPEG scan (no EOI marker)")),
            Some(0x00 | 0xD0..=0xD7) => i += 2,
            Some(0xFF) => i += 1,
            Some(_) => return Ok(i),
        }
    }
}

impl<'a> Iterator for Segments<'a> {
    type Item = Result<Segment<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = self.next_segment();
        if next.is_err() {
            self.done = true;
        }
        next.transpose()
    }
}

/// Reads size and orientation from the segments before the first scan; the
/// entropy-coded data is never touched.
pub(crate) fn read_header(bytes: &[u8]) -> Result<ImageHeader> {
    let mut orientation = None;
    for segment in segments(bytes)? {
        let segment = segment?;
        let payload = segment.payload();
        if segment.marker == APP1 && orientation.is_none() && payload.starts_with(exif::EXIF_PREFIX)
        {
            orientation = Some(exif::orientation(payload));
        } else if is_sof(segment.marker) {
            // P(1) Y(2) X(2) Nf(1)
            let (height, width) = match (be16(payload, 1), be16(payload, 3)) {
                (Some(h), Some(w)) => (h, w),
                _ => return Err(corrupt("JPEG: short frame header")),
            };
            if width == 0 || height == 0 {
                // Height 0 means "defined later by a DNL marker": no decoder we use supports it.
                return Err(corrupt("JPEG: frame header without dimensions"));
            }
            return Ok(ImageHeader {
                width: u32::from(width),
                height: u32::from(height),
                orientation: orientation.unwrap_or(1),
                has_alpha: false,
                animated: false,
            });
        } else if segment.marker == SOS || segment.marker == EOI {
            break;
        }
    }
    Err(corrupt("JPEG: no frame header before the image data"))
}

/// For a progressive JPEG, twice its number of full-size component planes
/// (see [`super::memory::coefficient_planes_x2`]): what its decoder keeps
/// per pixel until the last scan. `None` for sequential JPEGs and headers
/// that cannot be read (which [`read_header`] rejects anyway).
pub(crate) fn progressive_planes_x2(bytes: &[u8]) -> Option<u8> {
    for segment in segments(bytes).ok()? {
        let segment = segment.ok()?;
        if is_sof(segment.marker) {
            // SOF2, SOF6, SOF10 and SOF14 are the progressive frames.
            if !matches!(segment.marker, 0xC2 | 0xC6 | 0xCA | 0xCE) {
                return None;
            }
            // P(1) Y(2) X(2) Nf(1), then per component: C(1) HV(1) Tq(1).
            let payload = segment.payload();
            let count = usize::from(*payload.get(5)?);
            let sampling: Vec<(u8, u8)> = payload
                .get(6..6 + 3 * count)?
                .chunks_exact(3)
                .map(|c| (c[1] >> 4, c[1] & 15))
                .collect();
            return Some(super::memory::coefficient_planes_x2(&sampling));
        }
        if segment.marker == SOS || segment.marker == EOI {
            break;
        }
    }
    None
}

/// Tracks the order a complete JPEG needs: a frame header, then at least one
/// scan, then EOI.
#[derive(Default)]
struct Completeness {
    frame: bool,
    scan: bool,
}

impl Completeness {
    fn see(&mut self, marker: u8) -> Result<()> {
        if is_sof(marker) {
            self.frame = true;
        } else if marker == SOS {
            if !self.frame {
                return Err(corrupt("JPEG: scan before the frame header"));
            }
            self.scan = true;
        } else if marker == EOI && !self.scan {
            return Err(corrupt("JPEG: no image data"));
        }
        Ok(())
    }
}

/// Checks that every segment is well formed and that the entropy-coded data
/// reaches an EOI marker (the decoder alone would accept a truncated file).
pub(crate) fn check_complete(bytes: &[u8]) -> Result<()> {
    let mut completeness = Completeness::default();
    for segment in segments(bytes)? {
        completeness.see(segment?.marker)?;
    }
    // The iterator only ends without error after EOI.
    Ok(())
}

/// What a stripped JPEG keeps besides the image data: what decoding and colour
/// need. Exif/XMP (APP1), IPTC (APP13), comments, MPF and every other
/// application segment go.
fn keep(segment: &Segment<'_>) -> bool {
    let payload = segment.payload();
    match segment.marker {
        APP0 => payload.starts_with(b"JFIF\0"),
        APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        APP14 => payload.starts_with(b"Adobe"),
        0xE1 | 0xE3..=0xED | 0xEF | COM => false,
        _ => true,
    }
}

/// Copies the JPEG without metadata; entropy-coded data is copied untouched
/// and anything after EOI (trailers, MPF secondary images) is dropped.
pub(crate) fn strip(bytes: &[u8], orientation: u8) -> Result<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut exif = (orientation != 1).then(|| app1_exif(orientation));
    let mut completeness = Completeness::default();
    for segment in segments(bytes)? {
        let segment = segment?;
        completeness.see(segment.marker)?;
        if !keep(&segment) {
            continue;
        }
        // The Exif segment goes first, except that JFIF wants its APP0 right
        // after SOI.
        let leading_jfif = segment.marker == APP0 && out.len() == 2;
        if !leading_jfif && let Some(e) = exif.take() {
            out.extend_from_slice(&e);
        }
        segment.write_to(&mut out);
    }
    Ok(out)
}

/// An APP1 segment with a minimal Exif block (marker included).
fn app1_exif(orientation: u8) -> Vec<u8> {
    let tiff = exif::minimal_tiff(orientation);
    let len = 2 + exif::EXIF_PREFIX.len() + tiff.len();
    let mut s = vec![0xFF, APP1];
    s.extend_from_slice(&(len as u16).to_be_bytes());
    s.extend_from_slice(exif::EXIF_PREFIX);
    s.extend_from_slice(&tiff);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, a frame header, a scan with stuffed bytes and a restart marker, EOI.
    fn tiny() -> Vec<u8> {
        let mut j = vec![0xFF, SOI];
        j.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0, 16, 0, 32, 1, 1, 0x11, 0]);
        j.extend_from_slice(&[0xFF, SOS, 0, 8, 1, 1, 0, 0, 63, 0]);
        j.extend_from_slice(&[1, 2, 0xFF, 0x00, 3, 0xFF, 0xD0, 4, 0xFF, 0xFF, 0xFF, EOI]);
        j
    }

    #[test]
    fn walks_scans_and_finds_eoi() {
        let j = tiny();
        check_complete(&j).unwrap();
        let markers: Vec<u8> = segments(&j).unwrap().map(|s| s.unwrap().marker).collect();
        assert_eq!(markers, vec![0xC0, SOS, ENTROPY_CODED, EOI]);
        let h = read_header(&j).unwrap();
        assert_eq!((h.width, h.height), (32, 16));
    }

    #[test]
    fn extraneous_bytes_before_a_marker_are_skipped_and_dropped() {
        let j = tiny();
        let mut padded = j[..2].to_vec();
        padded.extend_from_slice(&[0, 0, 0xFF, 0x00, 7]);
        padded.extend_from_slice(&j[2..]);
        check_complete(&padded).unwrap();
        assert_eq!(strip(&padded, 1).unwrap(), j);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let j = tiny();
        for cut in 0..j.len() {
            assert!(check_complete(&j[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn strip_keeps_structure() {
        let j = tiny();
        assert_eq!(strip(&j, 1).unwrap(), j);
        let rotated = strip(&j, 6).unwrap();
        assert_eq!(read_header(&rotated).unwrap().orientation, 6);
        check_complete(&rotated).unwrap();
    }
}
