//! The bit reader over entropy-coded data.
//!
//! The data is unstuffed (0xFF00 → 0xFF) chunk by chunk into a small buffer
//! that stays in L1 cache, so that the hot path refills 64 bits with one
//! unaligned load and no per-byte marker checks. Reading stops at the first
//! marker (a restart marker or the end of the scan); after it the reader
//! yields zeros and remembers that it did, so that data which ends too early
//! is reported instead of silently decoded as grey.

use crate::error::{ImageError, Result};

/// Unstuffed bytes per refill of the buffer.
const CHUNK: usize = 4096;
/// The buffer has 8 more bytes so that a 64-bit load at any position below
/// `CHUNK` stays in bounds.
const BUF: usize = CHUNK + 8;

pub(super) struct Bits<'a> {
    /// The scan's entropy-coded data, restart markers included.
    src: &'a [u8],
    /// Next source byte to unstuff.
    src_pos: usize,
    /// `src_pos` is at a marker (or the end of the data): nothing more to
    /// unstuff until the caller moves past a restart marker.
    at_marker: bool,
    buf: Box<[u8; BUF]>,
    /// Unstuffed bytes in `buf`.
    buf_len: usize,
    /// Next byte of `buf` to load into `bits`.
    pos: usize,
    /// Left-aligned: the next bit to read is the most significant.
    bits: u64,
    count: u32,
    /// Zero bits fed after the data ran out (any of them consumed means the
    /// data was too short).
    padding_bits: u64,
}

impl<'a> Bits<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        let mut bits = Self {
            src,
            src_pos: 0,
            at_marker: false,
            buf: Box::new([0; BUF]),
            buf_len: 0,
            pos: 0,
            bits: 0,
            count: 0,
            padding_bits: 0,
        };
        bits.fill_buffer();
        bits
    }

    /// Makes sure at least 56 bits are available (zeros past the data).
    #[inline(always)]
    pub fn refill(&mut self) {
        if self.pos + 8 <= self.buf_len {
            let word = u64::from_be_bytes(
                self.buf[self.pos..self.pos + 8]
                    .try_into()
                    .expect("8 bytes"),
            );
            self.bits |= word >> self.count;
            self.pos += ((63 - self.count) >> 3) as usize;
            self.count |= 56;
        } else {
            self.refill_slow();
        }
    }

    #[cold]
    #[inline(never)]
    fn refill_slow(&mut self) {
        if !self.at_marker {
            self.fill_buffer();
            if self.pos + 8 <= self.buf_len {
                return self.refill();
            }
        }
        while self.count < 56 {
            let byte = if self.pos < self.buf_len {
                self.pos += 1;
                self.buf[self.pos - 1]
            } else {
                self.padding_bits += 8;
                0
            };
            self.bits |= u64::from(byte) << (56 - self.count);
            self.count += 8;
        }
    }

    /// Moves the unread part of the buffer to its start and unstuffs more
    /// source bytes after it, up to `CHUNK` or the next marker.
    fn fill_buffer(&mut self) {
        let keep = self.buf_len - self.pos;
        self.buf.copy_within(self.pos..self.buf_len, 0);
        self.pos = 0;
        let mut len = keep;
        let src = self.src;
        while len < CHUNK && !self.at_marker {
            let rest = &src[self.src_pos..];
            let room = CHUNK - len;
            let window = &rest[..rest.len().min(room)];
            match memchr::memchr(0xFF, window) {
                None => {
                    self.buf[len..len + window.len()].copy_from_slice(window);
                    len += window.len();
                    self.src_pos += window.len();
                    if window.len() == rest.len() {
                        self.at_marker = true;
                    }
                }
                Some(i) => {
                    self.buf[len..len + i].copy_from_slice(&window[..i]);
                    len += i;
                    self.src_pos += i;
                    match src.get(self.src_pos + 1) {
                        Some(0x00) => {
                            self.buf[len] = 0xFF;
                            len += 1;
                            self.src_pos += 2;
                        }
                        // A fill byte before a marker.
                        Some(0xFF) => self.src_pos += 1,
                        _ => self.at_marker = true,
                    }
                }
            }
        }
        self.buf_len = len;
        self.buf[len..].fill(0);
    }

    /// The next `n` (1..=32) bits, not consumed.
    #[inline(always)]
    pub fn peek(&self, n: u32) -> u32 {
        (self.bits >> (64 - n)) as u32
    }

    #[inline(always)]
    pub fn consume(&mut self, n: u32) {
        self.bits <<= n;
        self.count = self.count.wrapping_sub(n);
    }

    /// Reads `n` (0..=16) bits as a number.
    #[inline(always)]
    pub fn read(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let v = self.peek(n);
        self.consume(n);
        v
    }

    #[inline(always)]
    pub fn bit(&mut self) -> bool {
        if self.count == 0 {
            self.refill();
        }
        let v = self.bits >> 63 != 0;
        self.consume(1);
        v
    }

    /// Skips `n` bits.
    #[inline(always)]
    pub fn skip(&mut self, mut n: u32) {
        while n > 0 {
            if self.count < n.min(32) {
                self.refill();
            }
            let step = n.min(self.count);
            self.consume(step);
            n -= step;
        }
    }

    /// Whether more bits were read than the data had.
    pub fn overran(&self) -> bool {
        self.padding_bits > u64::from(self.count)
    }

    /// At a restart interval's end: checks that the data did not run out,
    /// that the next marker is RSTn with the expected `n`, and continues
    /// after it with an empty bit buffer.
    pub fn restart(&mut self, expected: u8) -> Result<()> {
        if self.overran() {
            return Err(ImageError::corrupt("JPEG: entropy-coded data ends early"));
        }
        // Whatever is left before the marker is padding of the last byte.
        self.pos = self.buf_len;
        self.bits = 0;
        self.count = 0;
        self.padding_bits = 0;
        if !self.at_marker {
            // Skip to the marker (extraneous bytes, tolerated like libjpeg).
            self.fill_to_marker();
        }
        match self.src.get(self.src_pos..self.src_pos + 2) {
            Some(&[0xFF, m]) if m == 0xD0 + expected => {
                self.src_pos += 2;
                self.at_marker = false;
                self.buf_len = 0;
                self.pos = 0;
                self.fill_buffer();
                Ok(())
            }
            _ => Err(ImageError::corrupt("JPEG: missing restart marker")),
        }
    }

    fn fill_to_marker(&mut self) {
        while !self.at_marker {
            self.buf_len = 0;
            self.pos = 0;
            self.fill_buffer();
        }
        self.pos = self.buf_len;
    }

    /// At the end of a scan: the data must not have run out.
    pub fn finish(&self) -> Result<()> {
        if self.overran() {
            return Err(ImageError::corrupt("JPEG: entropy-coded data ends early"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unstuffs_and_stops_at_markers() {
        let data = [0xAB, 0xFF, 0x00, 0x12, 0xFF, 0xD0, 0x34];
        let mut b = Bits::new(&data);
        b.refill();
        assert_eq!(b.read(8), 0xAB);
        assert_eq!(b.read(8), 0xFF);
        assert_eq!(b.read(8), 0x12);
        assert!(!b.overran());
        b.restart(0).unwrap();
        b.refill();
        assert_eq!(b.read(8), 0x34);
        assert!(b.finish().is_ok());
        assert_eq!(b.read(8), 0);
        assert!(b.overran() && b.finish().is_err());
        assert!(Bits::new(&[0x00, 0xFF, 0xD3]).restart(0).is_err());
    }

    #[test]
    fn long_data_crosses_chunks() {
        let data: Vec<u8> = (0..3 * CHUNK + 5).map(|i| (i % 251) as u8).collect();
        let mut b = Bits::new(&data);
        for (i, &expected) in data.iter().enumerate() {
            b.refill();
            assert_eq!(b.read(8), u32::from(expected), "byte {i}");
        }
        assert!(!b.overran());
    }
}
