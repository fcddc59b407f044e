//! In-process timings of the image pipeline per photo, for finding where
//! time goes (the side-by-side comparison with other tools is
//! `scripts/bench`, which runs whole processes).
//!
//!   cargo bench -p mediakit-image --bench pipeline -- [--rounds N] PHOTO...
//!
//! Prints a Markdown table: median milliseconds over N rounds (default 5)
//! of the benchmark's tasks: 256 px JPEG q80 thumbnail, 1024 px WebP q80,
//! and the upload variant set (256/640/1280/2048 JPEG q80). `--only jpeg`,
//! `--only webp` or `--only variants` runs one task (e.g. under callgrind).

use std::time::Instant;

use mediakit_image::{
    EncodeSettings, Limits, NoDeadline, OutputFormat, Parsed, default_presets, render_variants,
    thumbnail,
};

fn median_ms(rounds: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let mut rounds = 5;
    let mut files = Vec::new();
    let mut only: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--rounds N")
            }
            "--only" => only = args.next(),
            // cargo bench passes --bench to every bench binary.
            "--bench" => {}
            _ => files.push(arg),
        }
    }
    let limits = Limits::default();
    let jpeg = EncodeSettings {
        format: Some(OutputFormat::Jpeg),
        quality: 80,
    };
    let webp = EncodeSettings {
        format: Some(OutputFormat::Webp),
        quality: 80,
    };
    let presets = default_presets();
    println!("| photo | size | 256 px JPEG ms | 1024 px WebP ms | variant set ms |");
    println!("|---|---|---:|---:|---:|");
    let mut sums = [0.0; 3];
    for file in &files {
        let bytes = std::fs::read(file).expect("readable photo");
        let image = Parsed::parse(bytes.into()).expect("an image");
        let header = *image.header().expect("a raster image");
        let wanted = |task: &str| only.as_deref().is_none_or(|o| o == task);
        let rounds_for = |task: &str| if wanted(task) { rounds } else { 0 };
        let t = [
            median_ms(rounds_for("jpeg"), || {
                thumbnail(&image, 256, &jpeg, &limits, &NoDeadline).expect("thumbnail");
            }),
            median_ms(rounds_for("webp"), || {
                thumbnail(&image, 1024, &webp, &limits, &NoDeadline).expect("webp");
            }),
            median_ms(rounds_for("variants"), || {
                render_variants(&image, &presets, &jpeg, &limits, &NoDeadline).expect("variants");
            }),
        ];
        for (s, v) in sums.iter_mut().zip(t) {
            *s += v;
        }
        let name = std::path::Path::new(file)
            .file_name()
            .map_or(file.clone(), |n| n.to_string_lossy().into_owned());
        println!(
            "| {name} | {}×{} | {:.1} | {:.1} | {:.1} |",
            header.width, header.height, t[0], t[1], t[2]
        );
    }
    let n = files.len().max(1) as f64;
    println!(
        "| mean | | {:.1} | {:.1} | {:.1} |",
        sums[0] / n,
        sums[1] / n,
        sums[2] / n
    );
}
