//! Variants in other formats: `thumb.webp`, `thumb.avif`, and `thumb`
//! chosen by `Accept` (with `Vary: Accept`), on every frontend (the edge
//! has no AVIF and negotiates nothing: its WebP is lossless).

use mediakit_e2e::{Target, error_code, fixtures};
use serde_json::Value;

const BROWSER: &str = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";

fn negotiated(t: &Target) -> Vec<String> {
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    limits["negotiated_formats"]
        .as_array()
        .expect("negotiated_formats")
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect()
}

/// The width and height an AVIF file declares (its `ispe` box).
fn avif_size(bytes: &[u8]) -> (u32, u32) {
    let at = bytes
        .windows(4)
        .position(|w| w == b"ispe")
        .expect("an ispe box");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(at + 8), be(at + 12))
}

fn size_of(mime: &str, bytes: &[u8]) -> (u32, u32) {
    if mime == "image/avif" {
        assert_eq!(&bytes[4..12], b"ftypavif");
        avif_size(bytes)
    } else {
        let img = image::load_from_memory(bytes).expect("a decodable image");
        (img.width(), img.height())
    }
}

#[test]
fn a_variant_without_extension_is_the_best_format_the_browser_takes() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    let thumb = &m["variants"][0];
    assert_eq!(thumb["name"], "thumb");
    let dims = (
        thumb["width"].as_u64().unwrap() as u32,
        thumb["height"].as_u64().unwrap() as u32,
    );
    let formats: Vec<&str> = thumb["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(formats[..2], ["jpg", "webp"], "stored first, then WebP");
    let best = negotiated(&t);
    assert!(
        best.iter().all(|f| formats.contains(&f.as_str())),
        "{best:?} ⊆ {formats:?}"
    );

    let url = format!("/uploads/media/{id}/thumb");
    for (accept, expected) in [
        (BROWSER, best.first().map_or("jpg", String::as_str)),
        (
            "image/webp,*/*",
            if best.iter().any(|f| f == "webp") {
                "webp"
            } else {
                "jpg"
            },
        ),
        ("image/png,*/*", "jpg"),
    ] {
        let res = t.get(&url).header("accept", accept).send().unwrap();
        assert_eq!(res.status(), 200, "{accept}");
        let mime = res.headers()["content-type"].to_str().unwrap().to_owned();
        let want = match expected {
            "jpg" => "image/jpeg".to_owned(),
            other => format!("image/{other}"),
        };
        assert_eq!(mime, want, "{accept}");
        assert_eq!(res.headers()["vary"], "Accept", "{accept}");
        let etag = res.headers()["etag"].to_str().unwrap().to_owned();
        let bytes = res.bytes().unwrap();
        assert_eq!(size_of(&mime, &bytes), dims, "{accept}");
        let again = t
            .get(&url)
            .header("accept", accept)
            .header("if-none-match", &etag)
            .send()
            .unwrap();
        assert_eq!(again.status(), 304, "{accept}");
    }
    // No Accept at all: the stored file, byte for byte.
    let plain = t.get(&url).send().unwrap();
    assert_eq!(plain.headers()["content-type"], "image/jpeg");
    let stored = t.get(thumb["path"].as_str().unwrap()).send().unwrap();
    assert!(
        stored.headers().get("vary").is_none(),
        "an extension does not vary"
    );
    assert_eq!(plain.bytes().unwrap(), stored.bytes().unwrap());
}

#[test]
fn an_extension_always_names_its_format() {
    let t = Target::start();
    let m = t.upload_ok("alpha.png", &fixtures::read("photo-alpha.png"));
    let id = m["id"].as_str().unwrap();
    let small = &m["variants"][0];
    let dims = (
        small["width"].as_u64().unwrap() as u32,
        small["height"].as_u64().unwrap() as u32,
    );
    let name = small["name"].as_str().unwrap();
    let formats: Vec<String> = small["formats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(formats[0], "png");
    for ext in &formats {
        let res = t
            .get(&format!("/uploads/media/{id}/{name}.{ext}"))
            .header("accept", "image/png")
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "{ext}");
        let mime = res.headers()["content-type"].to_str().unwrap().to_owned();
        assert_eq!(mime, format!("image/{ext}"));
        assert!(res.headers().get("vary").is_none());
        let bytes = res.bytes().unwrap();
        assert_eq!(size_of(&mime, &bytes), dims, "{ext}");
        if ext == "webp" {
            let img = image::load_from_memory(&bytes).unwrap();
            assert!(img.color().has_alpha(), "transparency kept in WebP");
        }
    }
    let offered: Vec<&str> = formats.iter().map(String::as_str).collect();
    if !offered.contains(&"avif") {
        let res = t
            .get(&format!("/uploads/media/{id}/{name}.avif"))
            .send()
            .unwrap();
        assert_eq!(
            error_code(res),
            (404, "not_found".into()),
            "no AVIF in this build"
        );
    }
    for other in ["jpg", "gif", "svg"] {
        let res = t
            .get(&format!("/uploads/media/{id}/{name}.{other}"))
            .send()
            .unwrap();
        assert_eq!(error_code(res), (404, "not_found".into()), "{other}");
    }
}

#[test]
fn formats_are_rendered_once_and_go_with_the_item() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-progressive.jpg"));
    let id = m["id"].as_str().unwrap();
    let ext = m["variants"][0]["formats"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned();
    let url = t.url(&format!("/uploads/media/{id}/thumb.{ext}"));
    let client = t.client().clone();
    let bodies: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..5)
            .map(|_| s.spawn(|| client.get(&url).send().unwrap().bytes().unwrap().to_vec()))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "the same bytes for all"
    );
    // Deleted: every format is gone at once.
    let del = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(del.status(), 204);
    for path in [
        format!("/uploads/media/{id}/thumb.{ext}"),
        format!("/uploads/media/{id}/thumb"),
    ] {
        let res = t.get(&path).header("accept", BROWSER).send().unwrap();
        assert_eq!(error_code(res), (404, "not_found".into()), "{path}");
    }
    let Some(server) = t.native_only("it reads the store's keys") else {
        return;
    };
    let derived: Vec<String> = server
        .blob_keys()
        .into_iter()
        .filter(|k| k.contains(id) && k.ends_with(&format!("thumb.{ext}")))
        .collect();
    assert_eq!(derived.len(), 1, "{derived:?}");
    let purge = t
        .delete(&format!("/api/v1/media/{id}?purge=true"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(purge.status(), 204);
    assert!(server.blob_keys().iter().all(|k| !k.contains(id)));
}
