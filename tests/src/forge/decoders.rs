//! Forged decoder inputs: images that are valid, or nearly so, and small,
//! but would make a decoder without limits work far beyond their size —
//! a progressive JPEG of thousands of scans, coefficients the bit reader
//! cannot hold, GIF frames outside the screen the pixel limit reads,
//! animations of thousands of frames or of a huge canvas per frame.
//!
//! Each image's data decodes (DC differences of 0, end-of-band runs over
//! every block, LZW codes of one colour, a lossless 1 × 1 frame), so a
//! refusal can only come from the limit under test: the e2e tests upload a
//! version below each limit too and expect it accepted.

/// Bits written most significant first, with JPEG's byte stuffing.
#[derive(Default)]
struct JpegBits {
    bytes: Vec<u8>,
    acc: u64,
    count: u32,
}

impl JpegBits {
    /// The low `n` (≤ 32) bits of `value`.
    fn put(&mut self, value: u32, n: u32) {
        self.acc = (self.acc << n) | (u64::from(value) & ((1u64 << n) - 1));
        self.count += n;
        while self.count >= 8 {
            self.count -= 8;
            let byte = (self.acc >> self.count) as u8;
            self.bytes.push(byte);
            if byte == 0xFF {
                self.bytes.push(0x00);
            }
        }
    }

    /// Pads the last byte with ones, as encoders do.
    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            let pad = 8 - self.count;
            self.put((1 << pad) - 1, pad);
        }
        self.bytes
    }
}

fn jpeg_segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(payload);
}

/// The side of the forged JPEGs: 64 × 64 grey, 64 blocks.
const JPEG_SIDE: u16 = 64;
const JPEG_BLOCKS: u32 = 64;

/// SOI, a flat quantisation table, a grey frame (SOF0 or SOF2) and two
/// Huffman tables: DC category 0 as the 1-bit code 0; AC as 4-bit codes
/// 0..=14 for the end-of-band runs EOB0..EOB14 (symbols 0x00..0xE0) and the
/// 5-bit code 11110 for a coefficient of category 15 (symbol 0x0F).
fn jpeg_header(sof: u8) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let mut dqt = vec![0];
    dqt.extend_from_slice(&[1; 64]);
    jpeg_segment(&mut j, 0xDB, &dqt);
    let [s1, s0] = JPEG_SIDE.to_be_bytes();
    jpeg_segment(&mut j, sof, &[8, s1, s0, s1, s0, 1, 1, 0x11, 0]);
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0; 15]);
    dht.push(0);
    dht.push(0x10);
    let mut counts = [0u8; 16];
    counts[3] = 15;
    counts[4] = 1;
    dht.extend_from_slice(&counts);
    dht.extend((0..15u8).map(|r| r << 4));
    dht.push(0x0F);
    jpeg_segment(&mut j, 0xC4, &dht);
    j
}

/// A scan of the one component, with tables 0/0 and its data.
fn jpeg_scan(j: &mut Vec<u8>, (ss, se, ah, al): (u8, u8, u8, u8), data: &[u8]) {
    jpeg_segment(j, 0xDA, &[1, 1, 0x00, ss, se, (ah << 4) | al]);
    j.extend_from_slice(data);
}

/// A DC scan's data: category 0 (code 0) for every block.
fn jpeg_dc_data() -> Vec<u8> {
    let mut bits = JpegBits::default();
    for _ in 0..JPEG_BLOCKS {
        bits.put(0, 1);
    }
    bits.finish()
}

/// An AC scan's data: one end-of-band run over every block (EOB6 and 6
/// extra bits of 0: 64 blocks).
fn jpeg_eob_run_data() -> Vec<u8> {
    let mut bits = JpegBits::default();
    bits.put(6, 4);
    bits.put(0, 6);
    bits.finish()
}

/// A grey progressive JPEG of `scans` scans (at least 1): its DC scan,
/// then first scans of the AC band 1..=63, the same one again and again,
/// each an end-of-band run over every block (so each is cheap to carry and,
/// without limits, a pass over the image to decode). Two scans are a valid
/// progression; more repeat a scan (refused as corrupt when under the scan
/// limit, as too complex above it).
pub fn jpeg_many_scans(scans: u32) -> Vec<u8> {
    let mut j = jpeg_header(0xC2);
    jpeg_scan(&mut j, (0, 0, 0, 0), &jpeg_dc_data());
    let ac = jpeg_eob_run_data();
    for _ in 1..scans {
        jpeg_scan(&mut j, (1, 63, 0, 0), &ac);
    }
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// A grey baseline JPEG whose first block holds AC coefficients of
/// category 15 (8-bit data has at most 10): more extra bits than the
/// decoder's bit reader guarantees per refill.
pub fn jpeg_ac_category_15() -> Vec<u8> {
    let mut j = jpeg_header(0xC0);
    let mut bits = JpegBits::default();
    for block in 0..JPEG_BLOCKS {
        bits.put(0, 1); // DC difference 0
        if block == 0 {
            for _ in 0..4 {
                bits.put(0b11110, 5);
                bits.put(0x7FFF, 15);
            }
        }
        bits.put(0, 4); // EOB
    }
    jpeg_scan(&mut j, (0, 63, 0, 0), &bits.finish());
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// LZW data of a GIF frame of `pixels` pixels of colour 0, minimum code
/// size 2, as sub-blocks: a clear code before every other pixel keeps the
/// codes at 3 bits (no encoder needed, and the decoder's table never grows
/// past one entry).
fn gif_lzw(pixels: usize) -> Vec<u8> {
    const CLEAR: u32 = 4;
    const END: u32 = 5;
    let mut codes = Vec::with_capacity(pixels * 3 / 2 + 2);
    for p in 0..pixels {
        if p % 2 == 0 {
            codes.push(CLEAR);
        }
        codes.push(0);
    }
    codes.push(END);
    // Codes least significant bit first.
    let mut packed = Vec::with_capacity(codes.len() * 3 / 8 + 1);
    let (mut acc, mut count) = (0u32, 0u32);
    for code in codes {
        acc |= code << count;
        count += 3;
        while count >= 8 {
            packed.push(acc as u8);
            acc >>= 8;
            count -= 8;
        }
    }
    if count > 0 {
        packed.push(acc as u8);
    }
    let mut out = vec![2];
    for block in packed.chunks(255) {
        out.push(block.len() as u8);
        out.extend_from_slice(block);
    }
    out.push(0);
    out
}

/// A GIF of a `screen` and one frame of colour 0 per (left, top, width,
/// height), 4-colour global palette, no extensions.
fn gif(screen: (u16, u16), frames: &[(u16, u16, u16, u16)]) -> Vec<u8> {
    let mut g = b"GIF89a".to_vec();
    g.extend_from_slice(&screen.0.to_le_bytes());
    g.extend_from_slice(&screen.1.to_le_bytes());
    g.extend_from_slice(&[0x81, 0, 0]); // 4-entry global palette
    g.extend_from_slice(&[0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255]);
    for &(left, top, width, height) in frames {
        g.push(0x2C);
        for v in [left, top, width, height] {
            g.extend_from_slice(&v.to_le_bytes());
        }
        g.push(0);
        g.extend_from_slice(&gif_lzw(usize::from(width) * usize::from(height)));
    }
    g.push(0x3B);
    g
}

/// A GIF whose logical screen is 1 × 1 and whose one frame is 64 × 64:
/// what the header says (and the pixel limit reads) is not what is decoded.
pub fn gif_frame_beyond_screen() -> Vec<u8> {
    gif((1, 1), &[(0, 0, 64, 64)])
}

/// The same frame inside a screen of its size: accepted.
pub fn gif_frame_within_screen() -> Vec<u8> {
    gif((64, 64), &[(0, 0, 64, 64)])
}

/// A 1 × 1 GIF animation of `frames` frames.
pub fn gif_many_frames(frames: usize) -> Vec<u8> {
    gif((1, 1), &vec![(0, 0, 1, 1); frames])
}

/// Bits written least significant first, as VP8L reads them.
#[derive(Default)]
struct LsbBits {
    bytes: Vec<u8>,
    acc: u64,
    count: u32,
}

impl LsbBits {
    fn put(&mut self, value: u32, n: u32) {
        self.acc |= u64::from(value) << self.count;
        self.count += n;
        while self.count >= 8 {
            self.bytes.push(self.acc as u8);
            self.acc >>= 8;
            self.count -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            self.bytes.push(self.acc as u8);
        }
        self.bytes
    }
}

/// A lossless 1 × 1 opaque frame of colour `rgb` (VP8L chunk data): no
/// transform, no colour cache, and five prefix codes of one symbol each
/// (green, red, blue, alpha as 8-bit symbols, distance 0), so the pixel
/// itself takes no bits.
fn vp8l_pixel(rgb: [u8; 3]) -> Vec<u8> {
    let mut bits = LsbBits::default();
    bits.put(0x2F, 8); // signature
    bits.put(0, 14); // width - 1
    bits.put(0, 14); // height - 1
    bits.put(0, 1); // alpha unused
    bits.put(0, 3); // version
    bits.put(0, 1); // no transform
    bits.put(0, 1); // no colour cache
    bits.put(0, 1); // no meta prefix codes
    let [r, g, b] = rgb;
    for value in [g, r, b, 255] {
        bits.put(1, 1); // simple code
        bits.put(0, 1); // one symbol
        bits.put(1, 1); // of 8 bits
        bits.put(u32::from(value), 8);
    }
    bits.put(0b0001, 4); // distance: simple, one 1-bit symbol: 0
    bits.finish()
}

fn riff_chunk(out: &mut Vec<u8>, fourcc: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

fn le24(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes()[..3]);
}

/// An animated WebP: a `width` × `height` canvas and `frames` lossless
/// 1 × 1 frames at its corner, alternately red and blue.
pub fn webp_animation(width: u32, height: u32, frames: usize) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x02, 0, 0, 0]; // animation
    le24(&mut vp8x, width - 1);
    le24(&mut vp8x, height - 1);
    riff_chunk(&mut body, b"VP8X", &vp8x);
    riff_chunk(&mut body, b"ANIM", &[255, 255, 255, 255, 0, 0]);
    let colors = [vp8l_pixel([255, 0, 0]), vp8l_pixel([0, 0, 255])];
    for n in 0..frames {
        let mut anmf = Vec::new();
        for v in [0, 0, 0, 0, 100] {
            le24(&mut anmf, v); // x / 2, y / 2, width - 1, height - 1, ms
        }
        anmf.push(0b10); // no blending, no disposal
        riff_chunk(&mut anmf, b"VP8L", &colors[n % 2]);
        riff_chunk(&mut body, b"ANMF", &anmf);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}

/// A 1 × 1 WebP animation of `frames` frames.
pub fn webp_many_frames(frames: usize) -> Vec<u8> {
    webp_animation(1, 1, frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An independent decoder (the `image` crate) reads the forged files,
    /// so a refusal by the server is the limit's, not broken data's.
    #[test]
    fn the_forged_images_decode() {
        let decode = |bytes: &[u8]| image::load_from_memory(bytes).expect("decodes");
        let jpeg = decode(&jpeg_many_scans(2)).to_luma8();
        assert_eq!(jpeg.dimensions(), (64, 64));
        assert!(jpeg.pixels().all(|p| p.0 == [128]));
        let gif = decode(&gif_frame_within_screen()).to_rgba8();
        assert_eq!(gif.dimensions(), (64, 64));
        assert!(gif.pixels().all(|p| p.0 == [0, 0, 0, 255]));
        let webp = decode(&webp_animation(3, 2, 2)).to_rgba8();
        assert_eq!(webp.dimensions(), (3, 2));
        assert_eq!(webp.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(decode(&gif_many_frames(3)).width(), 1);
    }
}
