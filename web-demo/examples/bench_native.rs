//! Native timing of the very function the browser demo calls
//! (`mediakit_web::ops::resize`: inspect → decode → orient → resize →
//! encode), for `scripts/bench-browser`'s comparison column. Not a test.
//!
//!   cargo run --release -p mediakit-web --example bench_native -- \
//!       --size 1024 --quality 80 --runs 5 PHOTO...
//!
//! Prints one JSON object per photo: the median and fastest of `runs`
//! timed runs (after one warm-up), the output size and dimensions.

use std::time::Instant;

use mediakit_core::config::Limits;
use mediakit_image::{EncodeSettings, OutputFormat};
use mediakit_web::ops::{ResizeRequest, resize};

fn main() {
    let mut size = 1024;
    let mut quality = 80;
    let mut runs = 5;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().and_then(|v| v.parse().ok()).expect("a number");
        match arg.as_str() {
            "--size" => size = value(),
            "--quality" => quality = value(),
            "--runs" => runs = value(),
            _ => files.push(arg),
        }
    }
    assert!(
        runs > 0 && !files.is_empty(),
        "usage: [--size N] [--quality Q] [--runs R] PHOTO..."
    );
    let request = ResizeRequest {
        max_side: u32::try_from(size).expect("size"),
        settings: EncodeSettings {
            format: Some(OutputFormat::Jpeg),
            quality: u8::try_from(quality).expect("quality"),
        },
    };
    let limits = Limits::default();
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
        let out =
            resize(bytes.clone(), &limits, &request).unwrap_or_else(|e| panic!("{file}: {e}"));
        let mut times: Vec<f64> = (0..runs)
            .map(|_| {
                // The browser hands the function its own copy too.
                let input = bytes.clone();
                let started = Instant::now();
                let again = resize(input, &limits, &request).expect("resize");
                let ms = started.elapsed().as_secs_f64() * 1000.0;
                assert_eq!(again.bytes.len(), out.bytes.len(), "deterministic output");
                ms
            })
            .collect();
        times.sort_by(f64::total_cmp);
        let name = std::path::Path::new(&file)
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "{{\"file\":{name:?},\"median_ms\":{:.1},\"min_ms\":{:.1},\"bytes\":{},\"width\":{},\"height\":{}}}",
            times[times.len() / 2],
            times[0],
            out.bytes.len(),
            out.width,
            out.height
        );
    }
}
