//! Hostile images built in code, for the limit tests here and the e2e
//! hostile suite (`tests/`, through the `forge` feature): JPEGs written segment
//! by segment with their own Huffman tables (so a scan can say exactly
//! what an attack needs), GIFs through the `gif` crate's encoder (which
//! writes frames wherever it is told, even outside the screen) and animated
//! WebPs assembled from a lossless frame that image-webp encodes.

/// Bits written most significant first, with JPEG's byte stuffing.
#[derive(Default)]
pub struct JpegBits {
    bytes: Vec<u8>,
    acc: u64,
    count: u32,
}

impl JpegBits {
    /// The low `n` (≤ 32) bits of `value`.
    pub fn put(&mut self, value: u32, n: u32) {
        self.acc = (self.acc << n) | u64::from(value) & ((1u64 << n) - 1);
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
    pub fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            let pad = 8 - self.count;
            self.put((1 << pad) - 1, pad);
        }
        self.bytes
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(payload);
}

/// The AC table of the forged progressive scans: the end-of-band runs
/// EOB0..EOB14 (symbols 0x00..0xE0) as 4-bit codes 0..14, and category 15
/// (0x0F, corrupt in 8-bit data) as the 5-bit code 11110.
const PROGRESSIVE_AC: ([u8; 16], [u8; 16]) = {
    let mut counts = [0u8; 16];
    counts[3] = 15;
    counts[4] = 1;
    let mut symbols = [0u8; 16];
    let mut r = 0;
    while r < 15 {
        symbols[r] = (r as u8) << 4;
        r += 1;
    }
    symbols[15] = 0x0F;
    (counts, symbols)
};

/// A sequential AC table whose two codes are 16 bits long: 0x0F
/// (category 15) is code 0, EOB code 1.
const LONG_CODES_AC: ([u8; 16], [u8; 2]) = {
    let mut counts = [0u8; 16];
    counts[15] = 2;
    (counts, [0x0F, 0x00])
};

/// SOI, a flat quantisation table, a one-component (grey) frame of
/// `marker` (SOF0, SOF2) and its Huffman tables: DC category 0 is the
/// 1-bit code 0, the AC table as given.
fn grey_header(marker: u8, width: u16, height: u16, ac_counts: &[u8; 16], ac: &[u8]) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let mut dqt = vec![0];
    dqt.extend_from_slice(&[1; 64]);
    segment(&mut j, 0xDB, &dqt);
    let [hh, hl] = height.to_be_bytes();
    let [wh, wl] = width.to_be_bytes();
    segment(&mut j, marker, &[8, hh, hl, wh, wl, 1, 1, 0x11, 0]);
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0; 15]);
    dht.push(0);
    dht.push(0x10);
    dht.extend_from_slice(ac_counts);
    dht.extend_from_slice(ac);
    segment(&mut j, 0xC4, &dht);
    j
}

/// A scan of component 1 with tables 0/0.
fn scan(j: &mut Vec<u8>, (ss, se, ah, al): (u8, u8, u8, u8), data: Vec<u8>) {
    segment(j, 0xDA, &[1, 1, 0x00, ss, se, ah << 4 | al]);
    j.extend_from_slice(&data);
}

/// Blocks of a `width` × `height` grey frame.
fn blocks(width: u16, height: u16) -> u32 {
    u32::from(width).div_ceil(8) * u32::from(height).div_ceil(8)
}

/// First-AC-scan or AC-refinement data in which end-of-band runs cover
/// all `blocks` (no block holds a coefficient, so a refinement has no
/// correction bits): one symbol per 32,767 blocks, the longest run a
/// symbol can say.
pub fn eob_runs(blocks: u32) -> Vec<u8> {
    let mut bits = JpegBits::default();
    let mut left = blocks;
    while left > 0 {
        let run = left.min(32_767);
        let r = 31 - run.leading_zeros();
        bits.put(r, 4);
        bits.put(run - (1 << r), r);
        left -= run;
    }
    bits.finish()
}

/// A grey progressive JPEG with the given scans (Ss, Se, Ah, Al), each
/// with data that decodes: DC differences and refinement bits of 0, AC
/// bands as end-of-band runs over every block.
pub fn progressive(width: u16, height: u16, scans: &[(u8, u8, u8, u8)]) -> Vec<u8> {
    let (counts, symbols) = PROGRESSIVE_AC;
    let mut j = grey_header(0xC2, width, height, &counts, &symbols);
    let blocks = blocks(width, height);
    let runs = eob_runs(blocks);
    for &params in scans {
        let data = if params.0 == 0 {
            // A 1-bit code (category 0) or a refinement bit per block.
            let mut bits = JpegBits::default();
            for _ in 0..blocks {
                bits.put(0, 1);
            }
            bits.finish()
        } else {
            runs.clone()
        };
        scan(&mut j, params, data);
    }
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// A grey progressive JPEG: its DC scan, then `ac_scans` first scans of
/// the AC band 1..=63. One AC scan is a valid progression; more repeat it.
pub fn progressive_eob_runs(width: u16, height: u16, ac_scans: u32) -> Vec<u8> {
    let mut scans = vec![(0, 0, 0, 0)];
    scans.extend((0..ac_scans).map(|_| (1, 63, 0, 0)));
    progressive(width, height, &scans)
}

/// A grey 8 × 8 progressive JPEG whose AC scan holds one coefficient of
/// category 15.
pub fn progressive_category_15() -> Vec<u8> {
    let (counts, symbols) = PROGRESSIVE_AC;
    let mut j = grey_header(0xC2, 8, 8, &counts, &symbols);
    scan(&mut j, (0, 0, 0, 0), vec![0x7F]); // DC difference 0, padding
    let mut bits = JpegBits::default();
    bits.put(0b11110, 5);
    bits.put(0x7FFF, 15);
    bits.put(0, 4); // EOB
    scan(&mut j, (1, 63, 0, 0), bits.finish());
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// A grey 8 × 8 baseline JPEG whose block holds AC coefficients of
/// category 15 with 16-bit codes: two of them take 62 bits, more than one
/// refill of the bit reader holds.
pub fn baseline_category_15() -> Vec<u8> {
    let (counts, symbols) = LONG_CODES_AC;
    let mut j = grey_header(0xC0, 8, 8, &counts, &symbols);
    let mut bits = JpegBits::default();
    bits.put(0, 1); // DC difference 0
    for _ in 0..4 {
        bits.put(0, 16);
        bits.put(0x7FFF, 15);
    }
    bits.put(1, 16); // EOB
    scan(&mut j, (0, 63, 0, 0), bits.finish());
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// A GIF with a `screen` and one frame per rectangle (left, top, width,
/// height), each of palette colour `n % 2`.
pub fn gif(screen: (u16, u16), frames: &[(u16, u16, u16, u16)]) -> Vec<u8> {
    let mut out = Vec::new();
    let palette = [0, 0, 0, 255, 255, 255];
    let mut encoder = gif::Encoder::new(&mut out, screen.0, screen.1, &palette)
        .expect("a GIF encoder writing to memory");
    for (n, &(left, top, width, height)) in frames.iter().enumerate() {
        let buffer = vec![(n % 2) as u8; usize::from(width) * usize::from(height)];
        let frame = gif::Frame {
            left,
            top,
            width,
            height,
            buffer: buffer.into(),
            ..gif::Frame::default()
        };
        encoder
            .write_frame(&frame)
            .expect("writing a frame to memory");
    }
    drop(encoder);
    out
}

fn riff_chunk(out: &mut Vec<u8>, fourcc: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(fourcc);
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
}

/// The VP8L chunk data of a lossless `width` × `height` frame of one RGBA
/// colour, as image-webp encodes it.
fn vp8l_frame(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
    let pixels: Vec<u8> = rgba.repeat((width * height) as usize);
    let mut file = Vec::new();
    image_webp::WebPEncoder::new(&mut file)
        .encode(&pixels, width, height, image_webp::ColorType::Rgba8)
        .unwrap();
    // RIFF header (12 bytes), then the one VP8L chunk of a simple file.
    assert_eq!(&file[12..16], b"VP8L");
    let len = u32::from_le_bytes(file[16..20].try_into().unwrap()) as usize;
    file[20..20 + len].to_vec()
}

fn le24(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes()[..3]);
}

/// An animated WebP: a `canvas` and one 1 × 1 frame at its top-left corner
/// per colour.
pub fn animated_webp(canvas: (u32, u32), colors: &[[u8; 4]]) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    let mut vp8x = vec![0x10 | 0x02, 0, 0, 0]; // alpha, animation
    le24(&mut vp8x, canvas.0 - 1);
    le24(&mut vp8x, canvas.1 - 1);
    riff_chunk(&mut body, b"VP8X", &vp8x);
    riff_chunk(&mut body, b"ANIM", &[0, 0, 0, 0, 0, 0]);
    for &rgba in colors {
        let mut anmf = Vec::new();
        le24(&mut anmf, 0); // x / 2
        le24(&mut anmf, 0); // y / 2
        le24(&mut anmf, 0); // width - 1
        le24(&mut anmf, 0); // height - 1
        le24(&mut anmf, 100); // duration, ms
        anmf.push(0b10); // no blending, no disposal
        riff_chunk(&mut anmf, b"VP8L", &vp8l_frame(1, 1, rgba));
        riff_chunk(&mut body, b"ANMF", &anmf);
    }
    let mut out = b"RIFF".to_vec();
    out.extend_from_slice(&(body.len() as u32).to_le_bytes());
    out.extend_from_slice(&body);
    out
}
