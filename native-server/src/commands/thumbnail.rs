//! `mediakit thumbnail`: the upload pipeline as a batch command, one file
//! after another on one thread (comparable with `vipsthumbnail`).

use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use mediakit_image::{EncodeSettings, Limits, NoDeadline, OutputFormat, Parsed, sniff, thumbnail};

use crate::cli::ThumbnailArgs;

pub fn run(args: &ThumbnailArgs) -> anyhow::Result<()> {
    let format = match args.format.as_deref() {
        Some(f) => Some(
            OutputFormat::parse(f)
                .with_context(|| format!("unknown format {f:?}: use jpeg, png or webp"))?,
        ),
        None => None,
    };
    let settings = EncodeSettings {
        format,
        quality: args.quality,
    };
    let limits = Limits::default();
    std::fs::create_dir_all(&args.out)?;
    let started = Instant::now();
    let mut failed = 0;
    for file in &args.files {
        if let Err(e) = one(file, args, &settings, &limits) {
            eprintln!("{}: {e:#}", file.display());
            failed += 1;
        }
    }
    let n = args.files.len();
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{} of {n} images in {secs:.3} s ({:.1} images/s)",
        n - failed,
        (n - failed) as f64 / secs.max(1e-9)
    );
    anyhow::ensure!(failed == 0, "{failed} of {n} images failed");
    Ok(())
}

fn one(
    file: &Path,
    args: &ThumbnailArgs,
    settings: &EncodeSettings,
    limits: &Limits,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)?;
    let kind = sniff(&bytes)
        .filter(|k| k.is_raster())
        .context("not a JPEG, PNG, GIF or WebP image")?;
    let thumb = Parsed::parse_as(kind, bytes.into())
        // A command-line tool: whoever runs it can stop it.
        .and_then(|image| thumbnail(&image, args.size, settings, limits, &NoDeadline))
        .map_err(|e| anyhow::anyhow!(e.message))?;
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("image");
    let out = args
        .out
        .join(format!("{stem}.{}", thumb.format.extension()));
    std::fs::write(&out, &thumb.bytes).with_context(|| format!("writing {}", out.display()))?;
    Ok(())
}
