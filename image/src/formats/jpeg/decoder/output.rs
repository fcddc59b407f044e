//! From inverse-DCT'd blocks to pixels, one MCU row at a time: every
//! component is transformed straight to the output resolution (see
//! [`idct`](super::idct)), so a row of MCUs is ready for colour conversion
//! as soon as it is decoded and nothing larger than one MCU row of samples
//! is ever held besides the output.

use super::frame::{ColorModel, Frame};
use super::idct::{Basis, idct};
use crate::error::{ImageError, Result};

struct ComponentOut {
    quant: [f32; 64],
    horizontal: Basis,
    vertical: Basis,
    /// One MCU row of this component at output resolution.
    plane: Vec<f32>,
}

pub(super) struct Output {
    model: ColorModel,
    components: Vec<ComponentOut>,
    row_width: usize,
    row_height: usize,
    pub width: usize,
    pub height: usize,
    pixels: Vec<u8>,
    rows_done: usize,
}

impl Output {
    /// `scale`: output pixels per luma block side (1, 2, 4 or 8).
    pub fn new(frame: &Frame, model: ColorModel, scale: usize) -> Result<Self> {
        let row_width = frame.mcus_x * frame.h_max * scale;
        let row_height = frame.v_max * scale;
        let components = frame
            .components
            .iter()
            .map(|c| ComponentOut {
                quant: [0.0; 64],
                horizontal: Basis::new(scale * frame.h_max / c.h),
                vertical: Basis::new(scale * frame.v_max / c.v),
                plane: vec![0.0; row_width * row_height],
            })
            .collect();
        let width = (frame.width * scale).div_ceil(8);
        let height = (frame.height * scale).div_ceil(8);
        let channels = if model == ColorModel::Gray { 1 } else { 3 };
        let len = width
            .checked_mul(height)
            .and_then(|n| n.checked_mul(channels))
            .ok_or_else(|| ImageError::too_large("the image is too large"))?;
        Ok(Self {
            model,
            components,
            row_width,
            row_height,
            width,
            height,
            pixels: Vec::with_capacity(len),
            rows_done: 0,
        })
    }

    pub fn channels(&self) -> usize {
        if self.model == ColorModel::Gray { 1 } else { 3 }
    }

    /// The pixels per block side of component `c` (horizontally,
    /// vertically): what its inverse DCT produces.
    pub fn block_size(&self, c: usize) -> (usize, usize) {
        let comp = &self.components[c];
        (comp.horizontal.n, comp.vertical.n)
    }

    /// Latches component `c`'s quantisation table (natural order).
    pub fn set_quant(&mut self, c: usize, table: &[u16; 64]) {
        self.components[c].quant = table.map(f32::from);
    }

    /// Transforms block (`bx`, `by`) of component `c` within the current
    /// MCU row (`by` counts blocks from the row's top).
    #[inline]
    pub fn block(&mut self, c: usize, bx: usize, by: usize, coefs: &[i16; 64], last: usize) {
        let row_width = self.row_width;
        let comp = &mut self.components[c];
        let (ow, oh) = (comp.horizontal.n, comp.vertical.n);
        let start = by * oh * row_width + bx * ow;
        if let Some(out) = comp.plane.get_mut(start..) {
            idct(
                coefs,
                &comp.quant,
                last,
                &comp.horizontal,
                &comp.vertical,
                out,
                row_width,
            );
        }
    }

    /// Colour-converts the finished MCU row into the output.
    pub fn finish_row(&mut self) {
        let lines = self.row_height.min(self.height - self.rows_done);
        let (w, rw) = (self.width, self.row_width);
        for line in 0..lines {
            let at = line * rw;
            let y = &self.components[0].plane[at..at + w];
            match self.model {
                ColorModel::Gray => self.pixels.extend(y.iter().map(|&v| to_u8(v))),
                ColorModel::YCbCr | ColorModel::Rgb => {
                    let cb = &self.components[1].plane[at..at + w];
                    let cr = &self.components[2].plane[at..at + w];
                    let start = self.pixels.len();
                    self.pixels.resize(start + 3 * w, 0);
                    let out = &mut self.pixels[start..];
                    if self.model == ColorModel::YCbCr {
                        ycbcr_to_rgb(y, cb, cr, out);
                    } else {
                        interleave(y, cb, cr, out);
                    }
                }
            }
        }
        self.rows_done += lines;
    }

    pub fn rows_done(&self) -> usize {
        self.rows_done
    }

    pub fn into_pixels(self) -> Vec<u8> {
        self.pixels
    }
}

#[inline(always)]
fn to_u8(v: f32) -> u8 {
    (v + 0.5).clamp(0.0, 255.0) as u8
}

/// JFIF's YCbCr → RGB (ITU-R BT.601, full range).
fn ycbcr_to_rgb(y: &[f32], cb: &[f32], cr: &[f32], out: &mut [u8]) {
    for (((o, &y), &cb), &cr) in out.chunks_exact_mut(3).zip(y).zip(cb).zip(cr) {
        let (cb, cr) = (cb - 128.0, cr - 128.0);
        o[0] = to_u8(y + 1.402 * cr);
        o[1] = to_u8(y - 0.344_136 * cb - 0.714_136 * cr);
        o[2] = to_u8(y + 1.772 * cb);
    }
}

fn interleave(r: &[f32], g: &[f32], b: &[f32], out: &mut [u8]) {
    for (((o, &r), &g), &b) in out.chunks_exact_mut(3).zip(r).zip(g).zip(b) {
        o[0] = to_u8(r);
        o[1] = to_u8(g);
        o[2] = to_u8(b);
    }
}
