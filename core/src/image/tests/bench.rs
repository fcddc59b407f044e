//! Timings, printed and never asserted (the machine is shared). Run with
//! `cargo test -p mediakit-core --release -- --ignored --nocapture bench`;
//! set `MEDIAKIT_BENCH_JPEG=/path/photo.jpg` to time a larger photo too.

use std::time::{Duration, Instant};

use fast_image_resize::FilterType;
use image::imageops;

use super::*;
use crate::image::decode::decode;
use crate::image::encode::encode;
use crate::image::render::SHRINK_MARGIN;
use crate::image::resize::{Resizer, fit};
use crate::image::{DecodeLimits, OutputFormat, render_variants, thumbnail};
use crate::kind::MediaKind;

/// The best of `runs` (the least disturbed by other load).
fn best<T>(runs: u32, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..runs {
        let start = Instant::now();
        let value = f();
        best = best.min(start.elapsed());
        out = Some(value);
    }
    (best, out.expect("at least one run"))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn report(label: &str, bytes: &[u8], runs: u32) {
    let limits = DecodeLimits::default();
    let (total, t) = best(runs, || {
        thumbnail(MediaKind::Jpeg, bytes, 256, &auto(), &limits).unwrap()
    });
    let (full_decode, decoded) = best(runs, || {
        decode(MediaKind::Jpeg, bytes, limits.max_pixels, None).unwrap()
    });
    let src = decoded.pixels;
    let (w, h) = fit(src.width, src.height, 256);
    println!(
        "{label} {}x{} -> {}x{} JPEG q80 thumbnail: {:.2} ms total; full-size decode alone {:.2} ms",
        src.width,
        src.height,
        t.width,
        t.height,
        ms(total),
        ms(full_decode)
    );
    let header = crate::image::read_header(MediaKind::Jpeg, bytes).unwrap();
    let (presets_time, variants) = best(runs, || {
        render_variants(
            MediaKind::Jpeg,
            bytes,
            &header,
            &presets(),
            &auto(),
            &limits,
        )
        .unwrap()
    });
    let names: Vec<_> = variants.iter().map(|v| v.name.as_str()).collect();
    println!(
        "  render_variants with the presets ({}): {:.2} ms",
        names.join(", "),
        ms(presets_time)
    );
    let original = reference(bytes).to_rgb8();
    let lanczos_ref = imageops::resize(&original, w, h, imageops::FilterType::Lanczos3);
    for filter in [FilterType::Lanczos3, FilterType::CatmullRom] {
        let mut resizer = Resizer::default();
        let (resize_time, small) = best(runs, || resizer.resize_with(&src, w, h, filter).unwrap());
        let db = psnr(&small.data, lanczos_ref.as_raw());
        let (encode_time, _) = best(runs, || {
            encode(small.clone(), OutputFormat::Jpeg, 80).unwrap()
        });
        println!(
            "  full size, {filter:?}: resize {:.2} ms, encode {:.2} ms, PSNR vs image's Lanczos3 {db:.1} dB",
            ms(resize_time),
            ms(encode_time)
        );
    }
    let shrink_to = fit(src.width, src.height, 256 * SHRINK_MARGIN);
    let (scaled_decode, scaled) = best(runs, || {
        decode(MediaKind::Jpeg, bytes, limits.max_pixels, Some(shrink_to)).unwrap()
    });
    let scaled = scaled.pixels;
    if (scaled.width, scaled.height) != (src.width, src.height) {
        let mut resizer = Resizer::default();
        let (resize_time, small) = best(runs, || resizer.resize(&scaled, w, h).unwrap());
        let db = psnr(&small.data, lanczos_ref.as_raw());
        println!(
            "  shrink-on-load to {}x{}: decode {:.2} ms, resize {:.2} ms, PSNR vs image's Lanczos3 {db:.1} dB",
            scaled.width,
            scaled.height,
            ms(scaled_decode),
            ms(resize_time)
        );
    }
}

#[test]
#[ignore = "timing; run in release with --nocapture"]
fn bench_jpeg_thumbnail() {
    report("photo-seeding-800.jpg", JPEG_800, 50);
    if let Ok(path) = std::env::var("MEDIAKIT_BENCH_JPEG") {
        let bytes = std::fs::read(&path).expect("MEDIAKIT_BENCH_JPEG readable");
        report(&path, &bytes, 5);
    }
}
