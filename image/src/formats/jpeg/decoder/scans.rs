//! The entropy-decoding loops of [`Decoder`]: one interleaved sequential
//! scan streamed to pixels, the scans of a progressive or multi-scan image
//! into coefficient storage, and that storage to pixels after the last one.
//!
//! Each loop asks the deadline once per row of MCUs (or of blocks), and the
//! blocks of an end-of-band run of a first AC scan, which hold nothing new,
//! are stepped over at once instead of one by one: a scan whose one symbol
//! says "the next 32,767 blocks are empty" costs that symbol.

use super::bits::Bits;
use super::blocks::{self, Band, BlockRef};
use super::frame::{Frame, Scan, Tables};
use super::huffman::Huffman;
use super::idct;
use super::output::Output;
use crate::error::{ImageError, Result};
use crate::limits::{Deadline, check_deadline};

/// Coefficients of one component kept across scans.
pub(super) struct Stored {
    /// Leading zigzag coefficients kept per block.
    pub keep: usize,
    pub coefs: Vec<i16>,
    pub nonzero: Vec<u64>,
    pub blocks_w: usize,
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

fn table(tables: &[Option<Huffman>; 4], id: usize) -> Result<&Huffman> {
    tables[id]
        .as_ref()
        .ok_or_else(|| ImageError::corrupt("JPEG: missing Huffman table"))
}

/// Restart intervals: where they end, what they reset.
struct Restarts {
    interval: usize,
    /// Units left in the current interval.
    left: usize,
    next_marker: u8,
}

impl Restarts {
    fn new(interval: usize) -> Self {
        Self {
            interval,
            left: interval,
            next_marker: 0,
        }
    }

    /// Before each unit (an MCU, or a block of a non-interleaved scan): at
    /// the end of an interval, reads the restart marker and resets the DC
    /// predictions and the end-of-band run.
    fn unit(&mut self, bits: &mut Bits<'_>, preds: &mut [i32; 4], eobrun: &mut u32) -> Result<()> {
        if self.interval > 0 {
            if self.left == 0 {
                bits.restart(self.next_marker)?;
                self.next_marker = (self.next_marker + 1) & 7;
                *preds = [0; 4];
                *eobrun = 0;
                self.left = self.interval;
            }
            self.left -= 1;
        }
        Ok(())
    }

    /// Units that may follow the current one without a restart marker.
    fn units_left(&self) -> usize {
        if self.interval > 0 {
            self.left
        } else {
            usize::MAX
        }
    }

    /// `n` more units passed without decoding (`n` ≤ [`Self::units_left`]).
    fn pass(&mut self, n: usize) {
        if self.interval > 0 {
            self.left -= n;
        }
    }
}

/// One interleaved sequential scan with every component: decoded and
/// turned into pixels MCU row by MCU row.
pub(super) fn sequential_streaming(
    frame: &Frame,
    out: &mut Output,
    scan: &Scan,
    bits: &mut Bits<'_>,
    tables: &Tables,
    deadline: &dyn Deadline,
) -> Result<()> {
    let mut comps = Vec::with_capacity(scan.components.len());
    for sc in &scan.components {
        let comp = &frame.components[sc.index];
        comps.push((
            sc.index,
            comp.h,
            comp.v,
            table(&tables.dc, sc.dc)?,
            table(&tables.ac, sc.ac)?,
        ));
    }
    let mut preds = [0i32; 4];
    let mut restarts = Restarts::new(tables.restart_interval);
    let mut no_eobrun = 0;
    let mut block = [0i16; 64];
    for _ in 0..frame.mcus_y {
        check_deadline(deadline)?;
        for mx in 0..frame.mcus_x {
            restarts.unit(bits, &mut preds, &mut no_eobrun)?;
            for (n, &(c, h, v, dc, ac)) in comps.iter().enumerate() {
                for by in 0..v {
                    for bx in 0..h {
                        let last = blocks::sequential(bits, dc, ac, &mut preds[n], &mut block)?;
                        out.block(c, mx * h + bx, by, &block, last);
                        // Zero what was written, for the next block:
                        // the rows up to the last coefficient's.
                        block[..8 * idct::rows_used(last)].fill(0);
                    }
                }
            }
        }
        out.finish_row();
    }
    Ok(())
}

/// A scan of a progressive or multi-scan image, into storage.
pub(super) fn buffered_scan(
    frame: &Frame,
    storage: &mut [Stored],
    scan: &Scan,
    bits: &mut Bits<'_>,
    tables: &Tables,
    deadline: &dyn Deadline,
) -> Result<()> {
    let mut restarts = Restarts::new(tables.restart_interval);
    let mut preds = [0i32; 4];
    let mut eobrun = 0u32;
    let progressive = frame.progressive;
    if scan.components.len() > 1 {
        // Interleaved: sequential or progressive DC, MCU by MCU.
        let mut dcs = Vec::new();
        for sc in &scan.components {
            dcs.push(if progressive && scan.ah > 0 {
                None
            } else {
                Some(table(&tables.dc, sc.dc)?)
            });
        }
        let acs: Vec<_> = scan
            .components
            .iter()
            .map(|sc| tables.ac[sc.ac].as_ref())
            .collect();
        for my in 0..frame.mcus_y {
            check_deadline(deadline)?;
            for mx in 0..frame.mcus_x {
                restarts.unit(bits, &mut preds, &mut eobrun)?;
                for (n, sc) in scan.components.iter().enumerate() {
                    let comp = &frame.components[sc.index];
                    let (h, v) = (comp.h, comp.v);
                    for by in 0..v {
                        for bx in 0..h {
                            let block = storage[sc.index].block(mx * h + bx, my * v + by);
                            if !progressive {
                                let ac = acs[n].ok_or_else(|| {
                                    ImageError::corrupt("JPEG: missing Huffman table")
                                })?;
                                let dc = dcs[n].ok_or_else(|| {
                                    ImageError::corrupt("JPEG: missing Huffman table")
                                })?;
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
    let comp = &frame.components[sc.index];
    let (bw, bh) = (comp.scan_blocks_w, comp.scan_blocks_h);
    let stored = &mut storage[sc.index];
    let dc_table = if !progressive || (scan.ss == 0 && scan.ah == 0) {
        Some(table(&tables.dc, sc.dc)?)
    } else {
        None
    };
    let band = if !progressive || scan.ss > 0 {
        Some(Band {
            table: table(&tables.ac, sc.ac)?,
            ss: scan.ss.max(1),
            se: scan.se,
            al: scan.al,
        })
    } else {
        None
    };
    // A first AC scan's end-of-band run leaves its blocks untouched.
    let steps_over_runs = progressive && band.is_some() && scan.ah == 0;
    let total = bw * bh;
    let (mut i, mut next_row) = (0, 0);
    while i < total {
        if i >= next_row {
            check_deadline(deadline)?;
            next_row = (i / bw + 1) * bw;
        }
        restarts.unit(bits, &mut preds, &mut eobrun)?;
        if steps_over_runs && eobrun > 0 {
            // This block and as many more of the run as the data has
            // before the next restart marker (which ends any run).
            let n = (eobrun as usize)
                .min(total - i)
                .min(restarts.units_left().saturating_add(1));
            restarts.pass(n - 1);
            eobrun -= n as u32;
            i += n;
            continue;
        }
        let block = stored.block(i % bw, i / bw);
        i += 1;
        match (&band, dc_table) {
            (Some(band), Some(dc)) => {
                blocks::sequential_stored(bits, dc, band.table, &mut preds[0], block)?
            }
            (None, Some(dc)) => blocks::dc_first(bits, dc, &mut preds[0], scan.al, block)?,
            (None, None) => blocks::dc_refine(bits, scan.al, block),
            (Some(band), None) if scan.ah == 0 => blocks::ac_first(bits, band, &mut eobrun, block)?,
            (Some(band), None) => blocks::ac_refine(bits, band, &mut eobrun, block)?,
        }
    }
    Ok(())
}

/// After the last scan: the stored coefficients to pixels.
pub(super) fn output_stored(
    frame: &Frame,
    storage: &[Stored],
    out: &mut Output,
    deadline: &dyn Deadline,
) -> Result<()> {
    let mut block = [0i16; 64];
    for my in 0..frame.mcus_y {
        check_deadline(deadline)?;
        for (c, comp) in frame.components.iter().enumerate() {
            let stored = &storage[c];
            for by in 0..comp.v {
                for bx in 0..frame.mcus_x * comp.h {
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
                    out.block(c, bx, by, &block, last);
                }
            }
        }
        out.finish_row();
    }
    Ok(())
}
