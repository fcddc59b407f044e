//! What the marker segments before and between scans say: the frame
//! (size, components, sampling), tables, restart interval and scans.

use super::huffman::Huffman;
use super::idct::ZIGZAG;
use crate::endian::be16;
use crate::error::{ErrorKind, ImageError, Result};

/// Why the frame is left to the general decoder (`image`/zune-jpeg):
/// rare kinds this decoder does not implement.
pub(super) struct Unsupported;

pub(super) struct Component {
    pub id: u8,
    /// Sampling factors (1 or 2; both 1 for a single-component image).
    pub h: usize,
    pub v: usize,
    pub quant_table: usize,
    /// Blocks of the MCU-padded grid.
    pub blocks_w: usize,
    pub blocks_h: usize,
    /// Blocks a non-interleaved scan of this component covers.
    pub scan_blocks_w: usize,
    pub scan_blocks_h: usize,
}

pub(super) struct Frame {
    pub width: usize,
    pub height: usize,
    pub progressive: bool,
    pub components: Vec<Component>,
    pub h_max: usize,
    pub v_max: usize,
    pub mcus_x: usize,
    pub mcus_y: usize,
}

fn div_ceil(a: usize, b: usize) -> usize {
    a.div_ceil(b)
}

impl Frame {
    /// Parses an SOF payload. `Ok(Err(Unsupported))` for kinds left to the
    /// general decoder.
    pub fn parse(marker: u8, p: &[u8]) -> Result<std::result::Result<Self, Unsupported>> {
        let progressive = match marker {
            0xC0 | 0xC1 => false,
            0xC2 => true,
            // Lossless, hierarchical and arithmetic-coded frames.
            _ => return Ok(Err(Unsupported)),
        };
        let short = || ImageError::corrupt("JPEG: short frame header");
        let precision = *p.first().ok_or_else(short)?;
        let height = usize::from(be16(p, 1).ok_or_else(short)?);
        let width = usize::from(be16(p, 3).ok_or_else(short)?);
        let count = usize::from(*p.get(5).ok_or_else(short)?);
        if precision != 8 || !(count == 1 || count == 3) {
            // 12-bit, CMYK/YCCK.
            return Ok(Err(Unsupported));
        }
        if width == 0 || height == 0 {
            return Err(ImageError::corrupt("JPEG: frame header without dimensions"));
        }
        let mut components = Vec::with_capacity(count);
        for i in 0..count {
            let c = p.get(6 + 3 * i..9 + 3 * i).ok_or_else(short)?;
            let (h, v) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) || c[2] > 3 {
                return Err(ImageError::corrupt(
                    "JPEG: bad component in the frame header",
                ));
            }
            if components.iter().any(|o: &Component| o.id == c[0]) {
                return Err(ImageError::corrupt("JPEG: duplicate component id"));
            }
            components.push(Component {
                id: c[0],
                h,
                v,
                quant_table: usize::from(c[2]),
                blocks_w: 0,
                blocks_h: 0,
                scan_blocks_w: 0,
                scan_blocks_h: 0,
            });
        }
        if count == 1 {
            // A lone component's scan always has one block per MCU.
            components[0].h = 1;
            components[0].v = 1;
        }
        let h_max = components.iter().map(|c| c.h).max().unwrap_or(1);
        let v_max = components.iter().map(|c| c.v).max().unwrap_or(1);
        // Sampling ratios other than powers of two (a component at 3x
        // beside one at 1x) are not upsampled by any encoder's pair of
        // decoders the same way, and zune-jpeg 0.5.15 panics on some
        // (fuzz/regressions/jpeg_differential/crash-d064…): refused rather
        // than handed over.
        let odd = |max: usize, n: usize| !max.is_multiple_of(n) || !(max / n).is_power_of_two();
        if components
            .iter()
            .any(|c| odd(h_max, c.h) || odd(v_max, c.v))
        {
            return Err(ImageError::new(
                ErrorKind::UnsupportedType,
                "JPEG: sampling factors that are not powers of two apart (not supported)",
            ));
        }
        // Chroma is brought to luma resolution by a 16-point inverse DCT:
        // only ratios of 1 and 2 (4:4:4, 4:2:2, 4:2:0, 4:4:0).
        if components
            .iter()
            .any(|c| !matches!(h_max / c.h, 1 | 2) || h_max % c.h != 0)
            || components
                .iter()
                .any(|c| !matches!(v_max / c.v, 1 | 2) || v_max % c.v != 0)
        {
            return Ok(Err(Unsupported));
        }
        // The first component is output at full resolution and the others
        // scaled to it, so a frame whose first component is itself
        // subsampled (Y 1x1 beside Cb 2x1) came out wrong (djpeg differs by
        // up to 107 levels). No encoder writes one; zune-jpeg 0.5.15, the
        // general decoder, panics on some of them
        // (fuzz/regressions/jpeg_differential/crash-e3ff…, crash-f282…): they
        // are refused.
        if components[0].h != h_max || components[0].v != v_max {
            return Err(ImageError::new(
                ErrorKind::UnsupportedType,
                "JPEG: the first component is subsampled below another one (not supported)",
            ));
        }
        let mcus_x = div_ceil(width, 8 * h_max);
        let mcus_y = div_ceil(height, 8 * v_max);
        for c in &mut components {
            c.blocks_w = mcus_x * c.h;
            c.blocks_h = mcus_y * c.v;
            c.scan_blocks_w = div_ceil(div_ceil(width * c.h, h_max), 8);
            c.scan_blocks_h = div_ceil(div_ceil(height * c.v, v_max), 8);
        }
        Ok(Ok(Self {
            width,
            height,
            progressive,
            components,
            h_max,
            v_max,
            mcus_x,
            mcus_y,
        }))
    }
}

/// Tables defined so far (they may be redefined between scans).
#[derive(Default)]
pub(super) struct Tables {
    /// Natural order.
    pub quant: [Option<[u16; 64]>; 4],
    pub dc: [Option<Huffman>; 4],
    pub ac: [Option<Huffman>; 4],
    pub restart_interval: usize,
}

impl Tables {
    pub fn read_dqt(&mut self, mut p: &[u8]) -> Result<()> {
        while let Some(&pq_tq) = p.first() {
            let (precision, id) = (pq_tq >> 4, usize::from(pq_tq & 15));
            let size = if precision == 0 { 64 } else { 128 };
            if id > 3 || precision > 1 || p.len() < 1 + size {
                return Err(ImageError::corrupt("JPEG: bad quantisation table"));
            }
            let mut table = [0u16; 64];
            for (k, &pos) in ZIGZAG.iter().enumerate() {
                table[pos] = if precision == 0 {
                    u16::from(p[1 + k])
                } else {
                    be16(p, 1 + 2 * k).unwrap_or(0)
                };
            }
            self.quant[id] = Some(table);
            p = &p[1 + size..];
        }
        Ok(())
    }

    pub fn read_dht(&mut self, mut p: &[u8]) -> Result<()> {
        while let Some(&tc_th) = p.first() {
            let (class, id) = (tc_th >> 4, usize::from(tc_th & 15));
            let counts: [u8; 16] = p
                .get(1..17)
                .and_then(|c| c.try_into().ok())
                .ok_or_else(|| ImageError::corrupt("JPEG: short Huffman table"))?;
            let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
            let symbols = p
                .get(17..17 + total)
                .ok_or_else(|| ImageError::corrupt("JPEG: short Huffman table"))?;
            if class > 1 || id > 3 {
                return Err(ImageError::corrupt("JPEG: bad Huffman table id"));
            }
            let table = Some(Huffman::new(&counts, symbols)?);
            if class == 0 {
                self.dc[id] = table;
            } else {
                self.ac[id] = table;
            }
            p = &p[17 + total..];
        }
        Ok(())
    }

    pub fn read_dri(&mut self, p: &[u8]) -> Result<()> {
        self.restart_interval =
            usize::from(be16(p, 0).ok_or_else(|| ImageError::corrupt("JPEG: short DRI segment"))?);
        Ok(())
    }
}

/// One scan header (SOS).
pub(super) struct Scan {
    /// Indexes into the frame's components, with their table ids.
    pub components: Vec<ScanComponent>,
    pub ss: usize,
    pub se: usize,
    pub ah: u32,
    pub al: u32,
}

pub(super) struct ScanComponent {
    pub index: usize,
    pub dc: usize,
    pub ac: usize,
}

impl Scan {
    pub fn parse(p: &[u8], frame: &Frame) -> Result<Self> {
        let bad = || ImageError::corrupt("JPEG: bad scan header");
        let count = usize::from(*p.first().ok_or_else(bad)?);
        if count == 0 || count > 4 {
            return Err(bad());
        }
        let mut components: Vec<ScanComponent> = Vec::with_capacity(count);
        for i in 0..count {
            let c = p.get(1 + 2 * i..3 + 2 * i).ok_or_else(bad)?;
            let index = frame
                .components
                .iter()
                .position(|fc| fc.id == c[0])
                .ok_or_else(bad)?;
            if components.iter().any(|o| o.index == index) {
                return Err(bad());
            }
            let (dc, ac) = (usize::from(c[1] >> 4), usize::from(c[1] & 15));
            if dc > 3 || ac > 3 {
                return Err(bad());
            }
            components.push(ScanComponent { index, dc, ac });
        }
        let tail = p.get(1 + 2 * count..4 + 2 * count).ok_or_else(bad)?;
        let (mut ss, mut se) = (usize::from(tail[0]), usize::from(tail[1]));
        let (mut ah, mut al) = (u32::from(tail[2] >> 4), u32::from(tail[2] & 15));
        if frame.progressive {
            let dc_scan = ss == 0;
            if se > 63 || ss > se || (dc_scan && se != 0) || (!dc_scan && count != 1) || al > 13 {
                return Err(bad());
            }
        } else {
            // Fixed for sequential scans; some encoders write other values
            // and libjpeg ignores them, so do we.
            (ss, se, ah, al) = (0, 63, 0, 0);
        }
        let blocks_per_mcu: usize = components
            .iter()
            .map(|c| frame.components[c.index].h * frame.components[c.index].v)
            .sum();
        if components.len() > 1 && blocks_per_mcu > 10 {
            return Err(bad());
        }
        Ok(Self {
            components,
            ss,
            se,
            ah,
            al,
        })
    }
}

/// The colour model of the samples.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ColorModel {
    Gray,
    YCbCr,
    Rgb,
}

/// JFIF and Adobe markers decide between RGB and YCbCr for three
/// components, as libjpeg does.
pub(super) fn color_model(frame: &Frame, jfif: bool, adobe_transform: Option<u8>) -> ColorModel {
    if frame.components.len() == 1 {
        return ColorModel::Gray;
    }
    if jfif {
        return ColorModel::YCbCr;
    }
    match adobe_transform {
        Some(0) => ColorModel::Rgb,
        Some(_) => ColorModel::YCbCr,
        None => {
            let ids: Vec<u8> = frame.components.iter().map(|c| c.id).collect();
            if ids == b"RGB" {
                ColorModel::Rgb
            } else {
                ColorModel::YCbCr
            }
        }
    }
}
