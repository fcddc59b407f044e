//! Huffman tables (DHT) and symbol decoding.
//!
//! Codes of up to `LOOKUP_BITS` bits are decoded with one table lookup; for
//! AC tables a second lookup table also holds the coefficient value when the
//! code and its extra bits fit in `LOOKUP_BITS` together (most coefficients
//! of real photos), so that one lookup yields run, value and length.

use super::bits::Bits;
use crate::error::{ImageError, Result};

pub(super) const LOOKUP_BITS: u32 = 10;
const LOOKUP_SIZE: usize = 1 << LOOKUP_BITS;
/// The run of an end-of-block in `ac_lookup`: past any block.
pub(super) const EOB_RUN: u32 = 128;

pub(super) struct Huffman {
    /// `length << 8 | symbol` for codes of at most LOOKUP_BITS bits, 0 otherwise.
    lookup: Box<[u16; LOOKUP_SIZE]>,
    /// `value << 16 | run << 8 | total length` (code + extra bits) when the
    /// code is an AC coefficient that fits entirely, 0 otherwise. ZRL is a
    /// run of 15 before a zero value; EOB has the run [`EOB_RUN`].
    ac_lookup: Box<[i32; LOOKUP_SIZE]>,
    /// Canonical decoding of longer codes: the largest code of each length
    /// (-1 for none) and the offset from a code to its symbol's index.
    max_code: [i32; 18],
    val_offset: [i32; 17],
    symbols: Vec<u8>,
}

impl Huffman {
    /// Builds a table from DHT's 16 code counts and the symbols.
    pub fn new(counts: &[u8; 16], symbols: &[u8]) -> Result<Self> {
        let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
        if total != symbols.len() || total > 256 {
            return Err(ImageError::corrupt("JPEG: malformed Huffman table"));
        }
        let mut lookup = Box::new([0u16; LOOKUP_SIZE]);
        let mut max_code = [-1i32; 18];
        let mut val_offset = [0i32; 17];
        let mut code: u32 = 0;
        let mut index = 0usize;
        for len in 1..=16u32 {
            let count = u32::from(counts[len as usize - 1]);
            val_offset[len as usize] = index as i32 - code as i32;
            for _ in 0..count {
                if code >= 1 << len {
                    return Err(ImageError::corrupt(
                        "JPEG: Huffman table with too many codes",
                    ));
                }
                if len <= LOOKUP_BITS {
                    let shift = LOOKUP_BITS - len;
                    let first = (code << shift) as usize;
                    let entry = (len as u16) << 8 | u16::from(symbols[index]);
                    lookup[first..first + (1 << shift)].fill(entry);
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                max_code[len as usize] = code as i32 - 1;
            }
            code <<= 1;
        }
        // Sentinel so that the slow path always terminates.
        max_code[17] = i32::MAX;

        let mut ac_lookup = Box::new([0i32; LOOKUP_SIZE]);
        for (peek, slot) in ac_lookup.iter_mut().enumerate() {
            let entry = lookup[peek];
            let len = u32::from(entry >> 8);
            if len == 0 {
                continue;
            }
            let symbol = entry & 0xFF;
            let (run, size) = (u32::from(symbol >> 4), u32::from(symbol & 15));
            if size == 0 {
                *slot = match symbol {
                    0x00 => (EOB_RUN << 8 | len) as i32,
                    0xF0 => (15 << 8 | len) as i32,
                    // Progressive end-of-band runs: the slow path.
                    _ => 0,
                };
                continue;
            }
            if len + size > LOOKUP_BITS {
                continue;
            }
            let raw = (peek as u32 >> (LOOKUP_BITS - len - size)) & ((1 << size) - 1);
            let value = extend(raw, size);
            *slot = value << 16 | (run << 8 | (len + size)) as i32;
        }
        Ok(Self {
            lookup,
            ac_lookup,
            max_code,
            val_offset,
            symbols: symbols.to_vec(),
        })
    }

    /// Decodes one symbol. The reader must hold at least 16 bits.
    #[inline(always)]
    pub fn decode(&self, bits: &mut Bits<'_>) -> Result<u8> {
        let peek = bits.peek(LOOKUP_BITS) as usize;
        let entry = self.lookup[peek];
        if entry != 0 {
            bits.consume(u32::from(entry >> 8));
            return Ok(entry as u8);
        }
        self.decode_long(bits)
    }

    #[cold]
    fn decode_long(&self, bits: &mut Bits<'_>) -> Result<u8> {
        for len in LOOKUP_BITS + 1..=16 {
            let code = bits.peek(len) as i32;
            if code <= self.max_code[len as usize] {
                bits.consume(len);
                let index = code + self.val_offset[len as usize];
                return usize::try_from(index)
                    .ok()
                    .and_then(|i| self.symbols.get(i).copied())
                    .ok_or_else(|| ImageError::corrupt("JPEG: bad Huffman code"));
            }
        }
        Err(ImageError::corrupt("JPEG: bad Huffman code"))
    }

    /// The `ac_lookup` entry for the next bits (0 when the slow path is needed).
    #[inline(always)]
    pub fn fast_ac(&self, bits: &Bits<'_>) -> i32 {
        self.ac_lookup[bits.peek(LOOKUP_BITS) as usize]
    }
}

/// JPEG's sign extension of an `size`-bit magnitude category value.
#[inline(always)]
pub(super) fn extend(raw: u32, size: u32) -> i32 {
    if size == 0 {
        return 0;
    }
    let raw = raw as i32;
    if raw < 1 << (size - 1) {
        raw - (1 << size) + 1
    } else {
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extend_follows_the_standard() {
        assert_eq!(extend(0, 1), -1);
        assert_eq!(extend(1, 1), 1);
        assert_eq!(extend(0b00, 2), -3);
        assert_eq!(extend(0b01, 2), -2);
        assert_eq!(extend(0b10, 2), 2);
        assert_eq!(extend(0b11, 2), 3);
        assert_eq!(extend(0, 0), 0);
    }

    #[test]
    fn overfull_tables_are_refused() {
        let mut counts = [0u8; 16];
        counts[0] = 3; // three 1-bit codes cannot exist
        assert!(Huffman::new(&counts, &[1, 2, 3]).is_err());
        assert!(Huffman::new(&counts, &[1, 2]).is_err());
    }
}
