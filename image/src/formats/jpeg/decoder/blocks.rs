//! Entropy decoding of blocks: sequential (all coefficients at once) and the
//! four kinds of progressive scans (ITU T.81 G.1.2).

use super::bits::Bits;
use super::huffman::{EOB_RUN, Huffman, extend};
use super::idct::ZIGZAG;
use crate::error::{ImageError, Result};

fn bad_run() -> ImageError {
    ImageError::corrupt("JPEG: coefficient run past the end of a block")
}

/// The largest magnitude category of an 8-bit AC coefficient (T.81 F.1.2.2:
/// AC coefficients of 8-bit samples are below 2^10 in magnitude). Symbols
/// may say up to 15; one of 11..15 is corrupt data, and reading it would
/// also take more bits than one refill of the bit reader guarantees (two
/// symbols of a 16-bit code and 15 extra bits are 62 bits, not 56).
const MAX_AC_CATEGORY: u32 = 10;
/// The same for DC differences (T.81 F.1.2.1: below 2^11).
const MAX_DC_CATEGORY: u32 = 11;

fn bad_category(what: &str, category: u32, max: u32) -> ImageError {
    ImageError::corrupt(format!(
        "JPEG: {what} of magnitude category {category}; 8-bit data has at most {max}"
    ))
}

/// Reads the extra bits of a DC difference of category `s`.
#[inline(always)]
fn dc_difference(bits: &mut Bits<'_>, s: u32) -> Result<i32> {
    if s > MAX_DC_CATEGORY {
        return Err(bad_category("a DC difference", s, MAX_DC_CATEGORY));
    }
    Ok(extend(bits.read(s), s))
}

/// Reads the extra bits of an AC coefficient of category `s`.
#[inline(always)]
fn ac_value(bits: &mut Bits<'_>, s: u32) -> Result<i32> {
    if s > MAX_AC_CATEGORY {
        return Err(bad_category("an AC coefficient", s, MAX_AC_CATEGORY));
    }
    Ok(extend(bits.read(s), s))
}

/// Decodes a sequential block into `block` (natural order, zero at every
/// position the caller will read). Returns the zigzag index of the last
/// coefficient written.
///
/// One refill of the bit buffer (≥ 56 bits) serves two symbols: at most a
/// 16-bit code and 11 extra bits for the DC difference, 10 for an AC
/// coefficient (larger categories are refused before their bits are read).
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
    *pred = pred.wrapping_add(dc_difference(bits, s)?);
    block[0] = *pred as i16;
    let mut k = 1;
    let mut last = 0;
    if ac_symbol(bits, ac, block, &mut k, &mut last)? {
        loop {
            bits.refill();
            if !ac_symbol(bits, ac, block, &mut k, &mut last)?
                || !ac_symbol(bits, ac, block, &mut k, &mut last)?
            {
                break;
            }
        }
    }
    Ok(last)
}

/// One AC symbol of a sequential block; `false` at the block's end.
#[inline(always)]
fn ac_symbol(
    bits: &mut Bits<'_>,
    ac: &Huffman,
    block: &mut [i16; 64],
    k: &mut usize,
    last: &mut usize,
) -> Result<bool> {
    let fast = ac.fast_ac(bits);
    let value = if fast != 0 {
        bits.consume((fast & 0xFF) as u32);
        *k += ((fast >> 8) & 0xFF) as usize;
        (fast >> 16) as i16
    } else {
        let rs = ac.decode(bits)?;
        let (r, s) = (usize::from(rs >> 4), u32::from(rs & 15));
        if s == 0 && r != 15 {
            return Ok(false);
        }
        *k += r;
        ac_value(bits, s)? as i16
    };
    if *k > 63 {
        return if *k >= EOB_RUN as usize {
            Ok(false)
        } else {
            Err(bad_run())
        };
    }
    block[ZIGZAG[*k]] = value;
    *last = *k;
    *k += 1;
    Ok(*k < 64)
}

/// The stored coefficients of one block in a progressive (or multi-scan)
/// image: the first `coefs.len()` in zigzag order, and for all of them
/// whether they are non-zero (bit k of `nonzero`), which is all that
/// refinement scans need to be parsed and lets them jump from one non-zero
/// coefficient to the next.
pub(super) struct BlockRef<'a> {
    pub coefs: &'a mut [i16],
    pub nonzero: &'a mut u64,
}

impl BlockRef<'_> {
    #[inline(always)]
    fn set(&mut self, k: usize, value: i32) {
        if let Some(c) = self.coefs.get_mut(k) {
            *c = value as i16;
        }
        *self.nonzero |= 1 << k;
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

    /// Reads a correction bit for each non-zero coefficient in `mask`. Only
    /// the kept coefficients need their bit looked at; the bits of the others
    /// (all of them at 1/8 scale) are skipped at once.
    #[inline(always)]
    fn correct_all(&mut self, bits: &mut Bits<'_>, mask: u64, p1: i32) {
        let mask = mask & *self.nonzero;
        let kept = below_bit(self.coefs.len());
        let mut stored = mask & kept;
        while stored != 0 {
            let k = stored.trailing_zeros() as usize;
            stored &= stored - 1;
            if bits.bit() {
                self.correct(k, p1);
            }
        }
        bits.skip((mask & !kept).count_ones());
    }
}

/// Bits k..=63.
#[inline(always)]
fn from_bit(k: usize) -> u64 {
    if k >= 64 { 0 } else { !0u64 << k }
}

/// Bits 0..k.
#[inline(always)]
fn below_bit(k: usize) -> u64 {
    if k >= 64 { !0u64 } else { (1u64 << k) - 1 }
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
    *pred = pred.wrapping_add(dc_difference(bits, s)?);
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

#[cfg(test)]
thread_local! {
    /// Calls of [`ac_first`] on this thread: the test of end-of-band runs
    /// counts the blocks the decoder did not step over.
    pub(super) static AC_FIRST_CALLS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// First AC scan of a band.
pub(super) fn ac_first(
    bits: &mut Bits<'_>,
    band: &Band<'_>,
    eobrun: &mut u32,
    mut block: BlockRef<'_>,
) -> Result<()> {
    #[cfg(test)]
    AC_FIRST_CALLS.with(|calls| calls.set(calls.get() + 1));
    if *eobrun > 0 {
        *eobrun -= 1;
        return Ok(());
    }
    let mut k = band.ss;
    while k <= band.se {
        bits.refill();
        let fast = band.table.fast_ac(bits);
        if fast != 0 {
            bits.consume((fast & 0xFF) as u32);
            let run = ((fast >> 8) & 0xFF) as usize;
            if run == EOB_RUN as usize {
                break;
            }
            k += run;
            let value = fast >> 16;
            if value == 0 {
                // ZRL: 16 zeros.
                k += 1;
                continue;
            }
            if k > band.se {
                return Err(bad_run());
            }
            block.set(k, value << band.al);
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
        block.set(k, ac_value(bits, s)? << band.al);
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
    let band_mask = from_bit(band.ss) & below_bit(band.se + 1);
    let mut k = band.ss;
    if *eobrun == 0 {
        while k <= band.se {
            bits.refill();
            // New coefficients are ±1: the fast AC lookup holds code and
            // sign bit together.
            let fast = band.table.fast_ac(bits);
            let (r, value) = if fast != 0 && (fast >> 16).abs() == 1 {
                bits.consume((fast & 0xFF) as u32);
                (((fast >> 8) & 0xFF) as u32, if fast < 0 { -p1 } else { p1 })
            } else {
                let rs = band.table.decode(bits)?;
                let (r, s) = (u32::from(rs >> 4), u32::from(rs & 15));
                if s == 1 {
                    (r, if bits.bit() { p1 } else { -p1 })
                } else if s != 0 {
                    return Err(ImageError::corrupt("JPEG: bad refinement coefficient"));
                } else if r != 15 {
                    *eobrun = (1 << r) + bits.read(r);
                    break;
                } else {
                    (r, 0)
                }
            };
            // The new coefficient goes on the (r+1)-th zero coefficient from
            // k (a ZRL skips 16 of them); every non-zero one passed on the
            // way gets a correction bit.
            let ahead = band_mask & from_bit(k);
            let mut zeros = ahead & !*block.nonzero;
            for _ in 0..r {
                zeros &= zeros.wrapping_sub(1);
            }
            let target = if zeros == 0 {
                band.se + 1
            } else {
                zeros.trailing_zeros() as usize
            };
            block.correct_all(bits, ahead & below_bit(target), p1);
            k = target;
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
        block.correct_all(bits, band_mask & from_bit(k), p1);
        *eobrun -= 1;
    }
    Ok(())
}
