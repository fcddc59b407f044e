//! Every real photo of the corpus uploads with the right variants: sizes
//! from the display (oriented) size, never upscaled, each file decoding to
//! exactly its advertised size. A target with tighter limits (the edge
//! worker) refuses the photos beyond them, cleanly and without storing
//! anything.

use mediakit_e2e::{Target, error_code, fixtures, unique};
use mediakit_image::{MediaKind, Parsed};
use serde_json::Value;

const PRESETS: [(&str, u32); 4] = [
    ("thumb", 256),
    ("small", 640),
    ("medium", 1280),
    ("large", 2048),
];

/// The size a preset gives: longest side = max_side, aspect kept, rounded.
fn expected(w: u32, h: u32, max_side: u32) -> (u32, u32) {
    if w >= h {
        (
            max_side,
            ((u64::from(h) * u64::from(max_side) + u64::from(w) / 2) / u64::from(w)).max(1) as u32,
        )
    } else {
        (
            ((u64::from(w) * u64::from(max_side) + u64::from(h) / 2) / u64::from(h)).max(1) as u32,
            max_side,
        )
    }
}

/// The image crate's estimate of what processing the JPEG `bytes` takes.
fn processing_memory(bytes: &[u8]) -> u64 {
    let image = Parsed::parse_as(MediaKind::Jpeg, bytes.to_vec().into()).unwrap();
    image.processing_memory().unwrap()
}

#[test]
fn every_corpus_photo_uploads_with_the_right_variants() {
    let t = Target::start();
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    let max_pixels = limits["max_pixels"].as_u64().unwrap();
    let max_bytes = limits["max_upload_bytes"].as_u64().unwrap();
    let max_memory = limits["max_processing_memory_bytes"].as_u64();
    let photos = fixtures::corpus_photos();
    assert!(photos.len() >= 16, "the corpus has {} photos", photos.len());
    let mut uploaded = 0;
    for path in photos {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        let reference = image::load_from_memory(&bytes).unwrap();
        let (sw, sh) = (reference.width(), reference.height());
        let rotated = name.contains("orientation6");
        let (w, h) = if rotated { (sh, sw) } else { (sw, sh) };

        let over = if bytes.len() as u64 > max_bytes {
            Some((413, "file_too_large"))
        } else if u64::from(w) * u64::from(h) > max_pixels
            || max_memory.is_some_and(|m| processing_memory(&bytes) > m)
        {
            Some((422, "image_too_many_pixels"))
        } else {
            None
        };
        if let Some((status, code)) = over {
            let marker = format!("{}-{name}", unique("over-limit"));
            let res = t.upload(&marker, &bytes);
            assert_eq!(error_code(res), (status, code.to_owned()), "{name}");
            assert!(!t.listed(&marker), "{name}: a refused photo is not stored");
            continue;
        }
        uploaded += 1;
        let m: Value = t.upload_ok(&name, &bytes);
        assert_eq!(
            (m["width"].as_u64(), m["height"].as_u64()),
            (Some(u64::from(w)), Some(u64::from(h))),
            "{name}"
        );
        let variants = m["variants"].as_array().unwrap();
        let want: Vec<_> = PRESETS.iter().filter(|(_, s)| *s < w.max(h)).collect();
        assert_eq!(variants.len(), want.len(), "{name}: {variants:?}");
        for (v, (preset, side)) in variants.iter().zip(want) {
            assert_eq!(v["name"], *preset, "{name}");
            let (ew, eh) = expected(w, h, *side);
            let (vw, vh) = (
                v["width"].as_u64().unwrap() as u32,
                v["height"].as_u64().unwrap() as u32,
            );
            assert!(
                vw.abs_diff(ew) <= 1 && vh.abs_diff(eh) <= 1,
                "{name} {preset}: {vw}x{vh}, expected {ew}x{eh}"
            );
            let file = t.file(v).bytes().unwrap();
            let img = image::load_from_memory(&file).unwrap();
            assert_eq!(
                (img.width(), img.height()),
                (vw, vh),
                "{name} {preset} file"
            );
            if rotated {
                assert!(
                    img.height() > img.width(),
                    "{name}: the rotated photo comes out portrait"
                );
            }
        }
    }
    assert!(uploaded > 0, "no corpus photo fits the target's limits");
}
