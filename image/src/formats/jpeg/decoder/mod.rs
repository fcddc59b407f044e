//! mediakit's JPEG decoder: baseline and progressive Huffman JPEGs (8-bit
//! grey, YCbCr or RGB, sampling ratios of 1 and 2), decoded straight to the
//! smallest size an output needs.
//!
//! Why our own: thumbnails are decoding, and the decoding a thumbnail needs
//! is far less than a full decode. The inverse DCT runs at 1/8, 1/4 or 1/2
//! scale (libjpeg's DCT scaling), chroma is brought to luma resolution by
//! the same transform instead of an upsampling pass, pixels are produced one
//! MCU row at a time, and a progressive image keeps only the coefficients
//! its output scale uses (1 of 64 per block at 1/8) plus one bit per other
//! coefficient for parsing refinement scans — where libjpeg, zune-jpeg and
//! jpeg-decoder keep all 64, 128 bytes per block, for every scale.
//!
//! Every scan is still entropy-decoded in full: decoding is also the
//! validation of an upload, and data that is corrupt or ends early is an
//! error, never grey pixels.
//!
//! Its work is bounded by the file's pixels: the scan count is held to a
//! limit before decoding (see the container parse), every scan must advance
//! a valid progression (see [`progression`]), the blocks of an end-of-band
//! run are stepped over at once, and the deadline is asked once per scan
//! and per row of MCUs.
//!
//! Frames it does not handle (12-bit, CMYK, arithmetic coding, lossless,
//! 4:1:1 and other sampling ratios) are reported as unsupported, for the
//! general decoder to take.
//!
//! It reads the file through the segment index of the container parse
//! (tables, frame, scans with their entropy-coded data) and never walks the
//! file itself.

mod bits;
mod blocks;
mod frame;
mod huffman;
mod idct;
mod output;
mod progression;
mod scans;
#[cfg(test)]
mod tests;

use bits::Bits;
use frame::{Frame, Scan, Tables};
use output::Output;
use progression::Progression;
use scans::{Stored, buffered_scan, output_stored, sequential_streaming};

use super::segments::{APP0, APP2, APP14, DHT, DQT, DRI, EOI, SOS, Segment, is_sof};
use crate::decoded::{DecodeMode, DecodeRequest, Decoded};
use crate::error::{ImageError, Result};
use crate::limits::{Deadline, check_deadline};
use crate::pixels::Pixels;

/// Decodes the JPEG whose `segments` (from the index, in file order) are
/// given, at the smallest of 1/8, 1/4, 1/2 and full scale whose output is
/// at least `request.shrink_to` (stored orientation), or at full scale
/// without one. `None` for frames this decoder leaves to the general one.
pub(super) fn decode<'a>(
    segments: impl Iterator<Item = Segment<'a>>,
    request: &DecodeRequest<'_>,
) -> Option<Result<Decoded>> {
    match Decoder::run(segments, request) {
        Ok(Some(decoded)) => Some(Ok(decoded)),
        Ok(None) => None,
        Err(e) => Some(Err(e)),
    }
}

/// Output pixels per luma block side: the smallest power of two whose output
/// still covers `min_size`.
fn choose_scale(width: usize, height: usize, min_size: Option<(u32, u32)>) -> usize {
    let Some((min_w, min_h)) = min_size else {
        return 8;
    };
    [1, 2, 4]
        .into_iter()
        .find(|&s| {
            (width * s).div_ceil(8) >= min_w as usize && (height * s).div_ceil(8) >= min_h as usize
        })
        .unwrap_or(8)
}

struct Decoder<'a> {
    frame: Frame,
    out: Output,
    /// Per component: whether its quantisation table was latched.
    quant_latched: Vec<bool>,
    /// Coefficients of every component, for progressive and multi-scan
    /// images (empty for a single interleaved sequential scan).
    stored: Vec<Stored>,
    progression: Progression,
    icc: Vec<(u8, &'a [u8])>,
}

impl<'a> Decoder<'a> {
    fn run(
        mut segments: impl Iterator<Item = Segment<'a>>,
        request: &DecodeRequest<'_>,
    ) -> Result<Option<Decoded>> {
        let mut tables = Tables::default();
        let mut icc = Vec::new();
        let mut jfif = false;
        let mut adobe = None;
        let mut decoder: Option<Decoder<'a>> = None;
        let mut scans = 0u32;
        while let Some(segment) = segments.next() {
            let p = segment.payload();
            match segment.marker {
                DQT => tables.read_dqt(p)?,
                DHT => tables.read_dht(p)?,
                DRI => tables.read_dri(p)?,
                APP0 if p.starts_with(b"JFIF\0") => jfif = true,
                APP2 if p.starts_with(b"ICC_PROFILE\0") && p.len() > 14 => {
                    icc.push((p[12], &p[14..]));
                }
                APP14 if p.starts_with(b"Adobe") && p.len() >= 12 => adobe = Some(p[11]),
                marker if is_sof(marker) => {
                    if decoder.is_some() {
                        return Err(ImageError::corrupt("JPEG: more than one frame header"));
                    }
                    let frame = match frame::Frame::parse(marker, p)? {
                        Ok(frame) => frame,
                        Err(frame::Unsupported) => return Ok(None),
                    };
                    request
                        .limits
                        .check_pixels(frame.width as u32, frame.height as u32)?;
                    let scale = choose_scale(frame.width, frame.height, request.shrink_to);
                    let model = frame::color_model(&frame, jfif, adobe);
                    let out = Output::new(&frame, model, scale)?;
                    decoder = Some(Decoder {
                        quant_latched: vec![false; frame.components.len()],
                        progression: Progression::new(&frame),
                        frame,
                        out,
                        stored: Vec::new(),
                        icc: Vec::new(),
                    });
                }
                SOS => {
                    let d = decoder
                        .as_mut()
                        .ok_or_else(|| ImageError::corrupt("JPEG: scan before the frame header"))?;
                    let scan = Scan::parse(p, &d.frame)?;
                    scans += 1;
                    d.progression.see(&d.frame, &scan, scans)?;
                    let data = segments
                        .next()
                        .ok_or_else(|| ImageError::corrupt("JPEG: scan without data"))?
                        .body;
                    if !(request.mode == DecodeMode::OutputOnly && d.scan_is_unused(&scan)) {
                        check_deadline(request.deadline)?;
                        d.scan(&scan, data, scans == 1, &tables, request.deadline)?;
                    }
                }
                EOI => break,
                _ => {}
            }
        }
        let Some(mut d) = decoder else {
            return Err(ImageError::corrupt("JPEG: no frame header"));
        };
        if scans == 0 {
            return Err(ImageError::corrupt("JPEG: no image data"));
        }
        d.progression.finish(&d.frame)?;
        if !d.stored.is_empty() {
            output_stored(&d.frame, &d.stored, &mut d.out, request.deadline)?;
        }
        if d.out.rows_done() < d.out.height {
            return Err(ImageError::corrupt("JPEG: the image data ends early"));
        }
        d.icc = icc;
        Ok(Some(d.finish()))
    }

    fn finish(mut self) -> Decoded {
        self.icc.sort_by_key(|(seq, _)| *seq);
        let icc = if self.icc.is_empty() {
            None
        } else {
            Some(
                self.icc
                    .iter()
                    .flat_map(|(_, d)| d.iter().copied())
                    .collect(),
            )
        };
        let (width, height, channels) = (self.out.width, self.out.height, self.out.channels());
        Decoded {
            pixels: Pixels {
                width: width as u32,
                height: height as u32,
                channels,
                data: self.out.into_pixels(),
            },
            full_size: (self.frame.width as u32, self.frame.height as u32),
            icc,
        }
    }

    fn scan(
        &mut self,
        scan: &Scan,
        data: &[u8],
        first: bool,
        tables: &Tables,
        deadline: &dyn Deadline,
    ) -> Result<()> {
        for sc in &scan.components {
            if !self.quant_latched[sc.index] {
                let table = tables.quant[self.frame.components[sc.index].quant_table]
                    .ok_or_else(|| ImageError::corrupt("JPEG: missing quantisation table"))?;
                self.out.set_quant(sc.index, &table);
                self.quant_latched[sc.index] = true;
            }
        }
        let mut bits = Bits::new(data);
        let streaming = first
            && !self.frame.progressive
            && scan.components.len() == self.frame.components.len();
        if streaming {
            sequential_streaming(
                &self.frame,
                &mut self.out,
                scan,
                &mut bits,
                tables,
                deadline,
            )?;
        } else {
            if !first && self.stored.is_empty() {
                // A second scan after a complete interleaved one.
                return Err(ImageError::corrupt("JPEG: unexpected extra scan"));
            }
            if self.stored.is_empty() {
                self.allocate_storage()?;
            }
            buffered_scan(
                &self.frame,
                &mut self.stored,
                scan,
                &mut bits,
                tables,
                deadline,
            )?;
        }
        bits.finish()
    }

    /// A progressive AC scan of components kept at DC only (1/8 scale):
    /// nothing in it can change the output.
    fn scan_is_unused(&self, scan: &Scan) -> bool {
        self.frame.progressive
            && scan.ss > 0
            && scan
                .components
                .iter()
                .all(|sc| self.out.block_size(sc.index) == (1, 1))
    }

    fn allocate_storage(&mut self) -> Result<()> {
        for (c, comp) in self.frame.components.iter().enumerate() {
            let (ow, oh) = self.out.block_size(c);
            let keep = idct::zigzag_needed(oh.min(8), ow.min(8));
            let blocks = comp.blocks_w * comp.blocks_h;
            let too_large = || ImageError::too_large("the image is too large to decode");
            let len = blocks.checked_mul(keep).ok_or_else(too_large)?;
            self.stored.push(Stored {
                keep,
                coefs: vec![0; len],
                nonzero: vec![0; blocks],
                blocks_w: comp.blocks_w,
            });
        }
        Ok(())
    }
}
