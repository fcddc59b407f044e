//! `POST /api/v1/media/upload`: fields, variants, accepted types.

use super::support::*;
use mediakit_e2e::{Target, fixtures, unique};
use serde_json::Value;

#[test]
fn upload_returns_the_seed_fields_and_variants() {
    let t = Target::start();
    let name = format!("{}.jpg", unique("seed"));
    let res = t.upload(&name, &fixtures::read("photo-seeding-800.jpg"));
    assert_eq!(res.status(), 201);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let m: Value = res.json().unwrap();
    let id = m["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID");
    assert_eq!(&id[14..15], "7", "a UUIDv7");
    assert_eq!(location, format!("/api/v1/media/{id}"));
    assert_eq!(m["filename"], format!("{id}.jpg"));
    assert_eq!(m["original_filename"], name);
    assert_eq!(m["mime_type"], "image/jpeg");
    assert_eq!(m["path"], format!("uploads/media/{id}.jpg"));
    assert!(m["size"].as_u64().unwrap() > 10_000);
    assert_eq!(m["alt_text"], Value::Null);
    assert!(m["uploaded_by"].is_string());
    assert!(is_rfc3339(&m["created_at"]), "{}", m["created_at"]);
    assert_eq!(m["updated_at"], Value::Null);
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(800), Some(450))
    );
    assert_eq!(m["sha256"].as_str().unwrap().len(), 64);
    assert!(m["number"].as_i64().unwrap() > 0);
    assert_eq!(m["unlisted"], false);
    let variants: Vec<(String, u64, u64)> = m["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap().to_owned(),
                v["width"].as_u64().unwrap(),
                v["height"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        variants,
        [
            ("thumb".to_owned(), 256, 144),
            ("small".to_owned(), 640, 360)
        ],
        "presets below the image size only, never upscaled"
    );
    for v in m["variants"].as_array().unwrap() {
        assert_eq!(v["mime_type"], "image/jpeg");
        assert_eq!(
            v["path"],
            format!("uploads/media/{id}/{}.jpg", v["name"].as_str().unwrap())
        );
    }
}

#[test]
fn every_accepted_type_uploads_with_its_mime_type() {
    let t = Target::start();
    let cases = [
        ("photo-alpha.png", "image/png", Some("image/png"), "png"),
        ("animated-320.gif", "image/gif", Some("image/jpeg"), "gif"),
        ("photo.webp", "image/webp", Some("image/jpeg"), "webp"),
        (
            "photo-progressive.jpg",
            "image/jpeg",
            Some("image/jpeg"),
            "jpg",
        ),
        (
            "photo-grayscale.jpg",
            "image/jpeg",
            Some("image/jpeg"),
            "jpg",
        ),
        ("logo.svg", "image/svg+xml", None, "svg"),
        ("document.pdf", "application/pdf", None, "pdf"),
        ("clip.mp4", "video/mp4", None, "mp4"),
        ("clip.webm", "video/webm", None, "webm"),
    ];
    for (file, mime, variant_mime, ext) in cases {
        let m = t.upload_ok(file, &fixtures::read(file));
        assert_eq!(m["mime_type"], mime, "{file}");
        assert!(
            m["filename"]
                .as_str()
                .unwrap()
                .ends_with(&format!(".{ext}")),
            "{file}"
        );
        let variants = m["variants"].as_array().unwrap();
        // Images have a placeholder (a ThumbHash: 5 to 25 bytes), other
        // media none.
        let placeholder = m["placeholder"].as_str().map(|p| {
            base64::Engine::decode(&base64::engine::general_purpose::STANDARD, p)
                .unwrap_or_else(|e| panic!("{file}: {p}: {e}"))
        });
        match &placeholder {
            Some(hash) => assert!((5..=25).contains(&hash.len()), "{file}: {hash:?}"),
            None => assert_eq!(m["placeholder"], Value::Null, "{file}"),
        }
        assert_eq!(placeholder.is_some(), variant_mime.is_some(), "{file}");
        match variant_mime {
            Some(vm) => {
                assert!(!variants.is_empty(), "{file} has variants");
                assert!(
                    variants.iter().all(|v| v["mime_type"] == vm),
                    "{file}: {variants:?}"
                );
            }
            None => assert!(variants.is_empty(), "{file} has no variants"),
        }
    }
}

#[test]
fn the_client_content_type_and_extension_never_decide_the_type() {
    let t = Target::start();
    // A PNG sent as "photo.jpg" stays a PNG.
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-alpha.png"));
    assert_eq!(m["mime_type"], "image/png");
    assert!(m["filename"].as_str().unwrap().ends_with(".png"));
    assert_eq!(m["original_filename"], "photo.jpg");
}

#[test]
fn exif_orientation_is_applied_and_private_metadata_stripped() {
    let t = Target::start();
    let original = fixtures::read("photo-orient6.jpg");
    assert!(
        original.windows(7).any(|w| w == b"TestCam"),
        "the fixture carries camera tags"
    );
    let m = t.upload_ok("rotated.jpg", &original);
    let id = m["id"].as_str().unwrap();
    assert_eq!(
        (m["width"].as_u64(), m["height"].as_u64()),
        (Some(426), Some(640)),
        "display size is portrait"
    );

    let served_bytes = |path: &str| t.get(path).send().unwrap().bytes().unwrap();
    let served = served_bytes(&format!("/uploads/media/{id}.jpg"));
    for secret in [&b"TestCam"[..], b"GPS", b"Aitzol"] {
        assert!(
            !served.windows(secret.len()).any(|w| w == secret),
            "{} left the server",
            String::from_utf8_lossy(secret)
        );
    }
    assert_eq!(
        mediakit_e2e::sha256_hex(&served),
        m["sha256"].as_str().unwrap()
    );

    let thumb = served_bytes(&format!("/uploads/media/{id}/thumb.jpg"));
    let img = image::load_from_memory(&thumb).unwrap();
    assert!(
        img.height() == 256 && (170..=171).contains(&img.width()),
        "thumb is portrait: {}x{}",
        img.width(),
        img.height()
    );
    assert!(!thumb.windows(3).any(|w| w == b"GPS"));
}

/// Found by schemathesis: `unlisted` took any value but a few spellings of
/// true as `false`, so a typo (`ture`, `{}`, `True`) silently listed the
/// item. It is true or false, in a few spellings; anything else is refused
/// and nothing is stored.
#[test]
fn unlisted_is_true_or_false_and_nothing_else() {
    let t = Target::start();
    let svg = fixtures::read("logo.svg");
    for (value, unlisted) in [("true", true), ("on", true), ("false", false), ("0", false)] {
        let name = format!("{}.svg", unique("flag"));
        let res = t.upload_with(&t.admin_token, &name, &svg, &[("unlisted", value)]);
        assert_eq!(res.status(), 201, "unlisted={value}");
        let m: Value = res.json().unwrap();
        assert_eq!(m["unlisted"], unlisted, "unlisted={value}");
    }
    for value in ["ture", "{}", "True", "2"] {
        let name = format!("{}.svg", unique("typo"));
        t.assert_refused(400, "invalid_request", &name, || {
            t.upload_with(&t.admin_token, &name, &svg, &[("unlisted", value)])
        });
    }
}
