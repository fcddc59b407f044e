//! The upload variant set as a batch command, for `scripts/bench`: for each
//! photo, what an upload renders (256/640/1280/2048 px JPEG q80 from one
//! decode), one file after another on one thread.
//!
//!   cargo run --release -p mediakit-image --example variants -- OUTDIR PHOTO...

use std::path::Path;

use mediakit_image::{
    EncodeSettings, Limits, NoDeadline, Parsed, default_presets, render_variants,
};

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let out = args.next().ok_or("usage: variants OUTDIR PHOTO...")?;
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let presets = default_presets();
    let settings = EncodeSettings::default();
    let limits = Limits::default();
    for file in args {
        let bytes = std::fs::read(&file).map_err(|e| format!("{file}: {e}"))?;
        let image = Parsed::parse(bytes.into()).map_err(|e| format!("{file}: {}", e.message))?;
        let variants = render_variants(&image, &presets, &settings, &limits, &NoDeadline)
            .map_err(|e| format!("{file}: {}", e.message))?;
        let stem = Path::new(&file)
            .file_stem()
            .map_or("image".into(), |s| s.to_string_lossy().into_owned());
        for v in variants {
            let name = format!("{stem}-{}.{}", v.name, v.format.extension());
            std::fs::write(Path::new(&out).join(name), &v.bytes).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}
