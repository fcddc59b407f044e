//! How long the pipeline takes to answer a progressive JPEG made of
//! thousands of scans (issue 12): parse, then render the service's
//! variants, as an upload does. Run in release:
//!
//!     cargo run --release -p mediakit-image --example refuse_scans [scans] [side]
//!
//! The file is a grey `side` × `side` progressive JPEG: a DC scan, then the
//! same AC scan again and again, each one end-of-band run over every block
//! (a few bytes per scan). Prints the median time of 21 runs and the answer.

use std::time::Instant;

use bytes::Bytes;
use mediakit_image::{
    EncodeSettings, Limits, NoDeadline, Parsed, default_presets, render_variants,
};

/// Bits most significant first, with JPEG byte stuffing.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    count: u32,
}

impl Bits {
    fn put(&mut self, value: u32, n: u32) {
        self.acc = (self.acc << n) | (u64::from(value) & ((1 << n) - 1));
        self.count += n;
        while self.count >= 8 {
            self.count -= 8;
            let byte = (self.acc >> self.count) as u8;
            self.out.push(byte);
            if byte == 0xFF {
                self.out.push(0);
            }
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.count > 0 {
            let pad = 8 - self.count;
            self.put((1 << pad) - 1, pad);
        }
        self.out
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, payload: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(payload.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(payload);
}

fn jpeg(scans: u32, side: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    let mut dqt = vec![0];
    dqt.extend_from_slice(&[1; 64]);
    segment(&mut j, 0xDB, &dqt);
    let [s1, s0] = side.to_be_bytes();
    segment(&mut j, 0xC2, &[8, s1, s0, s1, s0, 1, 1, 0x11, 0]);
    // DC: category 0 is code 0. AC: EOB0..EOB14 are the 4-bit codes 0..14.
    let mut dht = vec![0x00, 1];
    dht.extend_from_slice(&[0; 15]);
    dht.extend_from_slice(&[0, 0x10, 0, 0, 0, 15]);
    dht.extend_from_slice(&[0; 12]);
    dht.extend((0..15u8).map(|r| r << 4));
    segment(&mut j, 0xC4, &dht);
    let blocks = u32::from(side).div_ceil(8).pow(2);
    let mut dc = Bits::default();
    for _ in 0..blocks {
        dc.put(0, 1);
    }
    segment(&mut j, 0xDA, &[1, 1, 0, 0, 0, 0]);
    j.extend_from_slice(&dc.finish());
    let mut ac = Bits::default();
    let mut left = blocks;
    while left > 0 {
        let run = left.min(32_767);
        let r = 31 - run.leading_zeros();
        ac.put(r, 4);
        ac.put(run - (1 << r), r);
        left -= run;
    }
    let ac = ac.finish();
    for _ in 1..scans {
        segment(&mut j, 0xDA, &[1, 1, 0, 1, 63, 0]);
        j.extend_from_slice(&ac);
    }
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

fn main() {
    let mut args = std::env::args().skip(1);
    let scans: u32 = args.next().map_or(5_000, |a| a.parse().expect("scans"));
    let side: u16 = args.next().map_or(1_024, |a| a.parse().expect("side"));
    let bytes = Bytes::from(jpeg(scans, side));
    let (presets, settings, limits) = (
        default_presets(),
        EncodeSettings::default(),
        Limits::default(),
    );
    let run = || {
        Parsed::parse(bytes.clone())
            .and_then(|p| render_variants(&p, &presets, &settings, &limits, &NoDeadline))
    };
    let answer = run();
    let mut times: Vec<f64> = (0..21)
        .map(|_| {
            let start = Instant::now();
            let _ = run();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "{scans} scans, {side}x{side}, {} bytes: median {:.3} ms; {}",
        bytes.len(),
        times[times.len() / 2],
        match answer {
            Ok(variants) => format!("accepted ({} variants)", variants.len()),
            Err(e) => format!("refused: {e}"),
        }
    );
}
