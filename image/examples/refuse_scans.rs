//! How long the pipeline takes to answer a progressive JPEG made of
//! thousands of scans (issue 12): parse, then render the service's
//! variants, as an upload does. Run in release:
//!
//!     cargo run --release -p mediakit-image --features forge --example refuse_scans [scans] [side]
//!
//! The file is a grey `side` × `side` progressive JPEG
//! (`forge::progressive_eob_runs`): a DC scan, then the same AC scan again
//! and again, each one end-of-band run over every block (a few bytes per
//! scan). Prints the median time of 21 runs and the answer.

use std::time::Instant;

use bytes::Bytes;
use mediakit_image::{
    EncodeSettings, Limits, NoDeadline, Parsed, default_presets, forge, render_variants,
};

fn main() {
    let mut args = std::env::args().skip(1);
    let scans: u32 = args.next().map_or(5_000, |a| a.parse().expect("scans"));
    let side: u16 = args.next().map_or(1_024, |a| a.parse().expect("side"));
    let bytes = Bytes::from(forge::progressive_eob_runs(
        side,
        side,
        scans.saturating_sub(1),
    ));
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
