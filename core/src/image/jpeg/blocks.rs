//! Entropy decoding of blocks: sequential (all coefficients at once) and the
//! four kinds of progressive scans (ITU T.81 G.1.2).

use super::bits::Bits;
use super::huffman::{Huffman, extend};
use super::idct::ZIGZAG;
use crate::Result;
use crate::image::corrupt;

fn bad_run() -> crate::Error {
    corrupt("JPEG: coefficient run past the end of a block")
}

/// Decodes a sequential block into `block` (natural order, zeroed by the
/// caller). Returns the zigzag index of the last non-zero coefficient.
#[inline(always)]
pub(super) fn sequential(
    bits: &mut Bits<'_>,
    dc: &Huffman,
    ac: &Huffman,
    pred: &mut i32,
    block: &mut [i16; 64],
) -> Result<usize> {
    bits.refill();
    let s = u32::from(dc.decode(bits)?);
    if s > 11 {
        return Err(corrupt("JPEG: bad DC difference"));
    }
    *pred = pred.wrapping_add(extend(bits.read(s), s));
    block[0] = *pred as i16;
    let mut k = 1;
    let mut last = 0;
    while k < 64 {
        bits.refill();
        let fast = ac.fast_ac(bits);
        if fast != 0 {
            k += ((fast >> 8) & 0xFF) as usize;
            bits.consume((fast & 0xFF) as u32);
            if k > 63 {
                return Err(bad_run());
            }
            block[ZIGZAG[k]] = (fast >> 16) as i16;
            last = k;
            k += 1;
            continue;
        }
        let rs = ac.decode(bits)?;
        let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r == 15 {
                k += 16;
                continue;
            }
            break;
        }
        k += r;
        if k > 63 {
            return Err(bad_run());
        }
        block[ZIGZAG[k]] = extend(bits.read(s), s) as i16;
        last = k;
        k += 1;
    }
    Ok(last)
}

/// The stored coefficients of one block in a progressive (or multi-scan)
/// image: the first `coefs.len()` in zigzag order, and for the others only
/// whether they are non-zero (bit k of `nonzero`), which is all that later
/// refinement scans need to be parsed.
pub(super) struct BlockRef<'a> {
    pub coefs: &'a mut [i16],
    pub nonzero: &'a mut u64,
}

impl BlockRef<'_> {
    #[inline(always)]
    fn set(&mut self, k: usize, value: i32) {
        if let Some(c) = self.coefs.get_mut(k) {
            *c = value as i16;
        } else {
            *self.nonzero |= 1 << k;
        }
    }

    #[inline(always)]
    fn is_nonzero(&self, k: usize) -> bool {
        match self.coefs.get(k) {
            Some(&c) => c != 0,
            None => *self.nonzero & (1 << k) != 0,
        }
    }

    /// A refinement's correction bit for an already non-zero coefficient.
    #[inline(always)]
    fn correct(&mut self, k: usize, p1: i32) {
        if let Some(c) = self.coefs.get_mut(k) {
            let v = i32::from(*c);
            if v & p1 == 0 {
                *c = if v >= 0 { v + p1 } else { v - p1 } as i16;
            }
        }
    }
}

/// Decodes a sequential block of a non-interleaved (multi-scan) image into
/// storage.
pub(super) fn sequential_stored(
    bits: &mut Bits<'_>,
    dc: &Huffman,
    ac: &Huffman,
    pred: &mut i32,
    mut block: BlockRef<'_>,
) -> Result<()> {
    let mut natural = [0i16; 64];
    sequential(bits, dc, ac, pred, &mut natural)?;
    for k in 0..64 {
        if natural[ZIGZAG[k]] != 0 {
            block.set(k, i32::from(natural[ZIGZAG[k]]));
        }
    }
    Ok(())
}

/// First DC scan: the DC difference, shifted by the successive
/// approximation `al`.
pub(super) fn dc_first(
    bits: &mut Bits<'_>,
    dc: &Huffman,
    pred: &mut i32,
    al: u32,
    block: BlockRef<'_>,
) -> Result<()> {
    bits.refill();
    let s = u32::from(dc.decode(bits)?);
    if s > 11 {
        return Err(corrupt("JPEG: bad DC difference"));
    }
    *pred = pred.wrapping_add(extend(bits.read(s), s));
    block.coefs[0] = (pred.wrapping_shl(al)) as i16;
    Ok(())
}

/// DC refinement: one more bit of precision.
pub(super) fn dc_refine(bits: &mut Bits<'_>, al: u32, block: BlockRef<'_>) {
    if bits.bit() {
        block.coefs[0] |= (1i32 << al) as i16;
    }
}

/// Progressive scan parameters for AC scans.
pub(super) struct Band<'h> {
    pub table: &'h Huffman,
    pub ss: usize,
    pub se: usize,
    pub al: u32,
}

/// First AC scan of a band.
pub(super) fn ac_first(
    bits: &mut Bits<'_>,
    band: &Band<'_>,
    eobrun: &mut u32,
    mut block: BlockRef<'_>,
) -> Result<()> {
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let mut k = band.ss;
    while k <= band.se {
        bits.refill();
        let fast = band.table.fast_ac(bits);
        if fast != 0 {
            k += ((fast >> 8) & 0xFF) as usize;
            bits.consume((fast & 0xFF) as u32);
            if k > band.se {
                return Err(bad_run());
            }
            block.set(k, (fast >> 16) << band.al);
            k += 1;
            continue;
        }
        let rs = band.table.decode(bits)?;
        let (r, s) = (u32::from(rs >> 4), u32::from(rs & 15));
        if s == 0 {
            if r < 15 {
                *eobrun = (1 << r) - 1 + bits.read(r);
                break;
            }
            k += 16;
            continue;
        }
        k += r as usize;
        if k > band.se {
            return Err(bad_run());
        }
        block.set(k, extend(bits.read(s), s) << band.al);
        k += 1;
    }
    Ok(())
}

/// AC refinement of a band: a correction bit for each coefficient that is
/// already non-zero, and new coefficients of ±1 (shifted).
pub(super) fn ac_refine(
    bits: &mut Bits<'_>,
    band: &Band<'_>,
    eobrun: &mut u32,
    mut block: BlockRef<'_>,
) -> Result<()> {
    let p1 = 1i32 << band.al;
    let mut k = band.ss;
    if *eobrun == 0 {
        while k <= band.se {
            bits.refill();
            let rs = band.table.decode(bits)?;
            let (mut r, s) = (u32::from(rs >> 4), u32::from(rs & 15));
            let mut value = 0;
            if s != 0 {
                if s != 1 {
                    return Err(corrupt("JPEG: bad refinement coefficient"));
                }
                value = if bits.bit() { p1 } else { -p1 };
            } else if r != 15 {
                *eobrun = (1 << r) + bits.read(r);
                break;
            }
            // Skip `r` zero coefficients (refining the non-zero ones passed
            // on the way), then place the new one on the next zero.
            while k <= band.se {
                if block.is_nonzero(k) {
                    if bits.bit() {
                        block.correct(k, p1);
                    }
                } else {
                    if r == 0 {
                        break;
                    }
                    r -= 1;
                }
                k += 1;
            }
            if value != 0 {
                if k > band.se {
                    return Err(bad_run());
                }
                block.set(k, value);
            }
            k += 1;
        }
    }
    if *eobrun > 0 {
        // The rest of the band is in an end-of-band run: only corrections.
        while k <= band.se {
            if block.is_nonzero(k) && bits.bit() {
                block.correct(k, p1);
            }
            k += 1;
        }
        *eobrun -= 1;
    }
    Ok(())
}
