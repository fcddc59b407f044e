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
//! Frames it does not handle (12-bit, CMYK, arithmetic coding, lossless,
//! 4:1:1 and other sampling ratios) are reported as unsupported, for the
//! general decoder to take.

mod bits;
mod blocks;
mod frame;
mod huffman;
mod idct;
mod output;

use bits::Bits;
use blocks::{Band, BlockRef};
use frame::{Frame, Scan, Tables};
use output::Output;

use super::corrupt;
use super::decode::{Decoded, Entropy};
use super::jpeg_markers::segments;
use super::pixels::Pixels;
use crate::Result;
use crate::error::{Error, ErrorCode};

const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;

/// Decodes at the smallest of 1/8, 1/4, 1/2 and full scale whose output is
/// at least `min_size` (stored orientation), or at full scale without one.
/// `None` for frames this decoder leaves to the general one.
pub(crate) fn decode(
    bytes: &[u8],
    min_size: Option<(u32, u32)>,
    max_pixels: u64,
    entropy: Entropy,
) -> Option<Result<Decoded>> {
    match Decoder::run(bytes, min_size, max_pixels, entropy) {
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

/// Coefficients of one component kept across scans.
struct Stored {
    /// Leading zigzag coefficients kept per block.
    keep: usize,
    coefs: Vec<i16>,
    nonzero: Vec<u64>,
    blocks_w: usize,
}

impl Stored {
    fn block(&mut self, bx: usize, by: usize) -> BlockRef<'_> {
        let i = by * self.blocks_w + bx;
        BlockRef {
            coefs: &mut self.coefs[i * self.keep..(i + 1) * self.keep],
            nonzero: &mut self.nonzero[i],
        }
    }
}

struct Decoder<'a> {
    frame: Frame,
    out: Output,
    /// Per component: whether its quantisation table was latched.
    quant_latched: Vec<bool>,
    /// Coefficients of every component, for progressive and multi-scan
    /// images (empty for a single interleaved sequential scan).
    stored: Vec<Stored>,
    icc: Vec<(u8, &'a [u8])>,
}

impl<'a> Decoder<'a> {
    fn run(
        bytes: &'a [u8],
        min_size: Option<(u32, u32)>,
        max_pixels: u64,
        entropy: Entropy,
    ) -> Result<Option<Decoded>> {
        let mut tables = Tables::default();
        let mut icc = Vec::new();
        let mut jfif = false;
        let mut adobe = None;
        let mut segs = segments(bytes)?;
        let mut decoder: Option<Decoder<'a>> = None;
        let mut scans = 0usize;
        while let Some(segment) = segs.next() {
            let segment = segment?;
            let p = segment.payload();
            match segment.marker {
                0xDB => tables.read_dqt(p)?,
                0xC4 => tables.read_dht(p)?,
                0xDD => tables.read_dri(p)?,
                0xE0 if p.starts_with(b"JFIF\0") => jfif = true,
                0xE2 if p.starts_with(b"ICC_PROFILE\0") && p.len() > 14 => {
                    icc.push((p[12], &p[14..]));
                }
                0xEE if p.starts_with(b"Adobe") && p.len() >= 12 => adobe = Some(p[11]),
                0xC0..=0xCF if !matches!(segment.marker, 0xC4 | 0xC8 | 0xCC) => {
                    if decoder.is_some() {
                        return Err(corrupt("JPEG: more than one frame header"));
                    }
                    let frame = match frame::Frame::parse(segment.marker, p)? {
                        Ok(frame) => frame,
                        Err(frame::Unsupported) => return Ok(None),
                    };
                    super::decode::check_pixel_limit(
                        frame.width as u32,
                        frame.height as u32,
                        max_pixels,
                    )?;
                    let scale = choose_scale(frame.width, frame.height, min_size);
                    let model = frame::color_model(&frame, jfif, adobe);
                    let out = Output::new(&frame, model, scale)?;
                    decoder = Some(Decoder {
                        quant_latched: vec![false; frame.components.len()],
                        frame,
                        out,
                        stored: Vec::new(),
                        icc: Vec::new(),
                    });
                }
                SOS => {
                    let d = decoder
                        .as_mut()
                        .ok_or_else(|| corrupt("JPEG: scan before the frame header"))?;
                    let scan = Scan::parse(p, &d.frame)?;
                    let data = match segs.next() {
                        Some(Ok(s)) => s.body,
                        Some(Err(e)) => return Err(e),
                        None => return Err(corrupt("JPEG: scan without data")),
                    };
                    if !(entropy == Entropy::OutputOnly && d.scan_is_unused(&scan)) {
                        d.scan(&scan, data, scans == 0, &tables)?;
                    }
                    scans += 1;
                }
                EOI => break,
                _ => {}
            }
        }
        let Some(mut d) = decoder else {
            return Err(corrupt("JPEG: no frame header"));
        };
        if scans == 0 {
            return Err(corrupt("JPEG: no image data"));
        }
        if !d.stored.is_empty() {
            d.output_stored();
        }
        if d.out.rows_done() < d.out.height {
            return Err(corrupt("JPEG: the image data ends early"));
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

    fn scan(&mut self, scan: &Scan, data: &[u8], first: bool, tables: &Tables) -> Result<()> {
        for sc in &scan.components {
            if !self.quant_latched[sc.index] {
                let table = tables.quant[self.frame.components[sc.index].quant_table]
                    .ok_or_else(|| corrupt("JPEG: missing quantisation table"))?;
                self.out.set_quant(sc.index, &table);
                self.quant_latched[sc.index] = true;
            }
        }
        let mut bits = Bits::new(data);
        let streaming = first
            && !self.frame.progressive
            && scan.components.len() == self.frame.components.len();
        if streaming {
            self.sequential_streaming(scan, &mut bits, tables)?;
        } else {
            if !first && self.stored.is_empty() {
                // A second scan after a complete interleaved one.
                return Err(corrupt("JPEG: unexpected extra scan"));
            }
            if self.stored.is_empty() {
                self.allocate_storage()?;
            }
            self.buffered_scan(scan, &mut bits, tables)?;
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
            let too_large = || {
                Error::new(
                    ErrorCode::ImageTooManyPixels,
                    "the image is too large to decode",
                )
            };
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

    fn table(tables: &[Option<huffman::Huffman>; 4], id: usize) -> Result<&huffman::Huffman> {
        tables[id]
            .as_ref()
            .ok_or_else(|| corrupt("JPEG: missing Huffman table"))
    }

    /// One interleaved sequential scan with every component: decoded and
    /// turned into pixels MCU row by MCU row.
    fn sequential_streaming(
        &mut self,
        scan: &Scan,
        bits: &mut Bits<'_>,
        tables: &Tables,
    ) -> Result<()> {
        let mut comps = Vec::with_capacity(scan.components.len());
        for sc in &scan.components {
            let comp = &self.frame.components[sc.index];
            comps.push((
                sc.index,
                comp.h,
                comp.v,
                Self::table(&tables.dc, sc.dc)?,
                Self::table(&tables.ac, sc.ac)?,
            ));
        }
        let mut preds = [0i32; 4];
        let restart = tables.restart_interval;
        let (mut left, mut next_rst) = (restart, 0u8);
        let mut block = [0i16; 64];
        for _ in 0..self.frame.mcus_y {
            for mx in 0..self.frame.mcus_x {
                if restart > 0 {
                    if left == 0 {
                        bits.restart(next_rst)?;
                        next_rst = (next_rst + 1) & 7;
                        preds = [0; 4];
                        left = restart;
                    }
                    left -= 1;
                }
                for (n, &(c, h, v, dc, ac)) in comps.iter().enumerate() {
                    for by in 0..v {
                        for bx in 0..h {
                            let last = blocks::sequential(bits, dc, ac, &mut preds[n], &mut block)?;
                            self.out.block(c, mx * h + bx, by, &block, last);
                            // Zero what was written, for the next block:
                            // the rows up to the last coefficient's.
                            block[..8 * idct::rows_used(last)].fill(0);
                        }
                    }
                }
            }
            self.out.finish_row();
        }
        Ok(())
    }

    /// A scan of a progressive or multi-scan image, into storage.
    fn buffered_scan(&mut self, scan: &Scan, bits: &mut Bits<'_>, tables: &Tables) -> Result<()> {
        let restart = tables.restart_interval;
        let (mut left, mut next_rst) = (restart, 0u8);
        let mut preds = [0i32; 4];
        let mut eobrun = 0u32;
        let mut on_unit = |bits: &mut Bits<'_>, preds: &mut [i32; 4], eobrun: &mut u32| {
            if restart > 0 {
                if left == 0 {
                    bits.restart(next_rst)?;
                    next_rst = (next_rst + 1) & 7;
                    *preds = [0; 4];
                    *eobrun = 0;
                    left = restart;
                }
                left -= 1;
            }
            Ok::<(), Error>(())
        };
        let progressive = self.frame.progressive;
        if scan.components.len() > 1 {
            // Interleaved: sequential or progressive DC, MCU by MCU.
            let mut dcs = Vec::new();
            for sc in &scan.components {
                dcs.push(if progressive && scan.ah > 0 {
                    None
                } else {
                    Some(Self::table(&tables.dc, sc.dc)?)
                });
            }
            let acs: Vec<_> = scan
                .components
                .iter()
                .map(|sc| tables.ac[sc.ac].as_ref())
                .collect();
            for my in 0..self.frame.mcus_y {
                for mx in 0..self.frame.mcus_x {
                    on_unit(bits, &mut preds, &mut eobrun)?;
                    for (n, sc) in scan.components.iter().enumerate() {
                        let comp = &self.frame.components[sc.index];
                        let (h, v) = (comp.h, comp.v);
                        for by in 0..v {
                            for bx in 0..h {
                                let block = self.stored[sc.index].block(mx * h + bx, my * v + by);
                                if !progressive {
                                    let ac = acs[n]
                                        .ok_or_else(|| corrupt("JPEG: missing Huffman table"))?;
                                    let dc = dcs[n]
                                        .ok_or_else(|| corrupt("JPEG: missing Huffman table"))?;
                                    blocks::sequential_stored(bits, dc, ac, &mut preds[n], block)?;
                                } else if let Some(dc) = dcs[n] {
                                    blocks::dc_first(bits, dc, &mut preds[n], scan.al, block)?;
                                } else {
                                    blocks::dc_refine(bits, scan.al, block);
                                }
                            }
                        }
                    }
                }
            }
            return Ok(());
        }

        // Non-interleaved: one component, block by block over its own grid.
        let sc = &scan.components[0];
        let comp = &self.frame.components[sc.index];
        let (bw, bh) = (comp.scan_blocks_w, comp.scan_blocks_h);
        let stored = &mut self.stored[sc.index];
        let dc_table = if !progressive || (scan.ss == 0 && scan.ah == 0) {
            Some(Self::table(&tables.dc, sc.dc)?)
        } else {
            None
        };
        let band = if !progressive || scan.ss > 0 {
            Some(Band {
                table: Self::table(&tables.ac, sc.ac)?,
                ss: scan.ss.max(1),
                se: scan.se,
                al: scan.al,
            })
        } else {
            None
        };
        for by in 0..bh {
            for bx in 0..bw {
                on_unit(bits, &mut preds, &mut eobrun)?;
                let block = stored.block(bx, by);
                match (&band, dc_table) {
                    (Some(band), Some(dc)) => {
                        blocks::sequential_stored(bits, dc, band.table, &mut preds[0], block)?
                    }
                    (None, Some(dc)) => blocks::dc_first(bits, dc, &mut preds[0], scan.al, block)?,
                    (None, None) => blocks::dc_refine(bits, scan.al, block),
                    (Some(band), None) if scan.ah == 0 => {
                        blocks::ac_first(bits, band, &mut eobrun, block)?
                    }
                    (Some(band), None) => blocks::ac_refine(bits, band, &mut eobrun, block)?,
                }
            }
        }
        Ok(())
    }

    /// After the last scan: the stored coefficients to pixels.
    fn output_stored(&mut self) {
        let mut block = [0i16; 64];
        for my in 0..self.frame.mcus_y {
            for (c, comp) in self.frame.components.iter().enumerate() {
                let stored = &self.stored[c];
                for by in 0..comp.v {
                    for bx in 0..self.frame.mcus_x * comp.h {
                        let i = (my * comp.v + by) * stored.blocks_w + bx;
                        let coefs = &stored.coefs[i * stored.keep..(i + 1) * stored.keep];
                        block.fill(0);
                        let mut last = 0;
                        for (k, &value) in coefs.iter().enumerate() {
                            if value != 0 {
                                block[idct::ZIGZAG[k]] = value;
                                last = k;
                            }
                        }
                        self.out.block(c, bx, by, &block, last);
                    }
                }
            }
            self.out.finish_row();
        }
    }
}

#[cfg(test)]
mod tests;
