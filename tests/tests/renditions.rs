//! Signed renditions (`POST /api/v1/media/{id}/url`, then the public URL),
//! on every frontend.

use mediakit_e2e::{Target, error_code, fixtures};
use serde_json::{Value, json};

fn sign(t: &Target, id: &str, body: Value) -> reqwest::blocking::Response {
    t.post(&format!("/api/v1/media/{id}/url"))
        .bearer_auth(&t.admin_token)
        .json(&body)
        .send()
        .unwrap()
}

fn signed(t: &Target, id: &str, body: Value) -> Value {
    let res = sign(t, id, body);
    assert_eq!(res.status(), 200, "{}", res.text().unwrap_or_default());
    res.json().unwrap()
}

fn image_of(bytes: &[u8]) -> image::DynamicImage {
    image::load_from_memory(bytes).expect("a decodable image")
}

#[test]
fn a_signed_url_serves_the_size_it_promised_and_is_cached_by_etag() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    let url = signed(
        &t,
        id,
        json!({"width": 300, "height": 200, "fit": "cover", "format": "jpeg", "quality": 70}),
    );
    assert_eq!(
        (url["width"].as_u64(), url["height"].as_u64()),
        (Some(300), Some(200))
    );
    assert_eq!(url["format"], "jpg");
    assert_eq!(url["file"], "w300_h200_cover_q70.jpg");
    let path = url["path"].as_str().unwrap();
    assert_eq!(
        path,
        format!(
            "uploads/media/{id}/r/{}/{}",
            url["signature"].as_str().unwrap(),
            url["file"].as_str().unwrap()
        )
    );

    let first = t.get(path).send().unwrap();
    assert_eq!(first.status(), 200);
    let h = first.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h.get("vary").is_none(), "a fixed format does not vary");
    let etag = h["etag"].to_str().unwrap().to_owned();
    let body = first.bytes().unwrap();
    let img = image_of(&body);
    assert_eq!((img.width(), img.height()), (300, 200));

    // Stored now: the same bytes again, and 304 for the ETag.
    let again = t.get(path).send().unwrap();
    assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
    assert_eq!(again.bytes().unwrap(), body);
    let cached = t.get(path).header("if-none-match", &etag).send().unwrap();
    assert_eq!(cached.status(), 304);

    // Contain never upscales unless asked.
    let big = signed(&t, id, json!({"width": 2000}));
    let (w, h) = (m["width"].as_u64().unwrap(), m["height"].as_u64().unwrap());
    assert_eq!(
        (big["width"].as_u64(), big["height"].as_u64()),
        (Some(w), Some(h))
    );
    let up = signed(&t, id, json!({"width": 1000, "upscale": true}));
    assert_eq!(up["width"], 1000);
    let img = image_of(
        &t.get(up["path"].as_str().unwrap())
            .send()
            .unwrap()
            .bytes()
            .unwrap(),
    );
    assert_eq!(img.width(), 1000);
}

#[test]
fn every_parameter_is_covered_by_the_signature() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    let url = signed(&t, id, json!({"width": 120, "format": "png"}));
    let path = url["path"].as_str().unwrap();
    assert_eq!(t.get(path).send().unwrap().status(), 200);
    for tampered in [
        path.replace("w120", "w121"),
        path.replace("contain", "fill"),
        path.replace(".png", ".jpg"),
        path.replace("_q80", "_q81"),
        path.replace(url["signature"].as_str().unwrap(), "AAAAAAAAAAAAAAAAAAAAAA"),
    ] {
        assert_ne!(tampered, path);
        let res = t.get(&tampered).send().unwrap();
        assert_eq!(error_code(res), (403, "forbidden".into()), "{tampered}");
    }
    // Not a spec at all, or another item's id under this signature.
    let res = t
        .get(&path.replace("w120_contain_q80", "w0120_contain_q80"))
        .send()
        .unwrap();
    assert_eq!(res.status(), 404);
    let other = t.upload_ok("other.png", &fixtures::read("photo-alpha.png"));
    let res = t
        .get(&path.replace(id, other["id"].as_str().unwrap()))
        .send()
        .unwrap();
    assert_eq!(error_code(res), (403, "forbidden".into()));
}

#[test]
fn auto_format_follows_accept_and_says_it_varies() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    let url = signed(&t, id, json!({"width": 200, "height": 200, "fit": "cover"}));
    assert_eq!(url["format"], "auto");
    assert_eq!(url["file"], "w200_h200_cover_q80", "no extension");
    let path = url["path"].as_str().unwrap();
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    let best = limits["negotiated_formats"][0]
        .as_str()
        .unwrap_or("jpeg")
        .to_owned();
    let chosen = t
        .get(path)
        .header("accept", "image/avif,image/webp,image/*,*/*;q=0.8")
        .send()
        .unwrap();
    assert_eq!(chosen.status(), 200);
    assert_eq!(
        chosen.headers()["content-type"].to_str().unwrap(),
        format!("image/{best}")
    );
    assert_eq!(chosen.headers()["vary"], "Accept");
    let chosen_etag = chosen.headers()["etag"].clone();
    let jpeg = t
        .get(path)
        .header("accept", "image/png,*/*")
        .send()
        .unwrap();
    assert_eq!(jpeg.headers()["content-type"], "image/jpeg");
    assert_eq!(jpeg.headers()["vary"], "Accept");
    if best != "jpeg" {
        assert_ne!(
            jpeg.headers()["etag"],
            chosen_etag,
            "one ETag per representation"
        );
    }
    assert_eq!(image_of(&jpeg.bytes().unwrap()).width(), 200);
    // An image with transparency keeps it: PNG without WebP.
    let alpha = t.upload_ok("alpha.png", &fixtures::read("photo-alpha.png"));
    let url = signed(&t, alpha["id"].as_str().unwrap(), json!({"width": 100}));
    let png = t.get(url["path"].as_str().unwrap()).send().unwrap();
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(image_of(&png.bytes().unwrap()).color().has_alpha());
}

#[test]
fn bad_requests_get_clear_errors() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    for (body, needle) in [
        (json!({}), "width, a height"),
        (json!({"width": 0}), "width must be at least 1"),
        (json!({"width": 10, "fit": "stretch"}), "fit must be"),
        (json!({"width": 10, "format": "gif"}), "format must be"),
        (json!({"width": 10, "quality": 0}), "quality"),
    ] {
        let res = sign(&t, id, body.clone());
        assert_eq!(res.status(), 400, "{body}");
        let err: Value = res.json().unwrap();
        assert_eq!(err["error"]["code"], "invalid_request");
        let message = err["error"]["message"].as_str().unwrap();
        assert!(message.contains(needle), "{body}: {message}");
    }
    let res = sign(&t, id, json!({"height": 5000}));
    assert_eq!(error_code(res), (422, "image_too_many_pixels".into()));
    let res = sign(&t, id, json!({"width": 10, "colour": "red"}));
    assert_eq!(error_code(res), (400, "invalid_request".into()));
    let pdf = t.upload_ok("doc.pdf", &fixtures::read("document.pdf"));
    let res = sign(&t, pdf["id"].as_str().unwrap(), json!({"width": 10}));
    assert_eq!(error_code(res), (400, "invalid_request".into()));
    let res = sign(
        &t,
        "0190a000-0000-7000-8000-000000000000",
        json!({"width": 10}),
    );
    assert_eq!(error_code(res), (404, "not_found".into()));
    let res = t
        .post(&format!("/api/v1/media/{id}/url"))
        .json(&json!({"width": 10}))
        .send()
        .unwrap();
    assert_eq!(error_code(res).0, 401);
    let upload_only = t.token(&["media:upload"]);
    let res = t
        .post(&format!("/api/v1/media/{id}/url"))
        .bearer_auth(upload_only)
        .json(&json!({"width": 10}))
        .send()
        .unwrap();
    assert_eq!(error_code(res), (403, "forbidden".into()));
}

#[test]
fn deleted_media_stops_serving_its_renditions_and_restore_brings_them_back() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap();
    let url = signed(&t, id, json!({"width": 64, "format": "jpeg"}));
    let path = url["path"].as_str().unwrap();
    assert_eq!(t.get(path).send().unwrap().status(), 200);
    let del = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(del.status(), 204);
    assert_eq!(
        error_code(t.get(path).send().unwrap()),
        (404, "not_found".into())
    );
    let res = sign(&t, id, json!({"width": 64}));
    assert_eq!(error_code(res), (404, "not_found".into()));
    let restore = t
        .post(&format!("/api/v1/media/{id}/restore"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(restore.status(), 200);
    assert_eq!(t.get(path).send().unwrap().status(), 200);
}

/// Concurrent first requests get the same bytes, and one file is stored;
/// a purge removes it with the item's other files.
#[test]
fn first_requests_at_once_store_one_file_that_purge_removes() {
    let t = Target::start();
    let m = t.upload_ok("photo.jpg", &fixtures::read("photo-progressive.jpg"));
    let id = m["id"].as_str().unwrap();
    let url = signed(
        &t,
        id,
        json!({"width": 150, "height": 150, "fit": "cover", "format": "png"}),
    );
    let path = url["path"].as_str().unwrap().to_owned();
    let (client, full) = (t.client().clone(), t.url(&path));
    let bodies: Vec<Vec<u8>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..6)
            .map(|_| {
                s.spawn(|| {
                    let res = client.get(&full).send().unwrap();
                    assert_eq!(res.status(), 200);
                    res.bytes().unwrap().to_vec()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(
        bodies.windows(2).all(|w| w[0] == w[1]),
        "the same bytes for all"
    );
    let Some(server) = t.native_only("it reads the store's keys") else {
        return;
    };
    let renditions: Vec<String> = server
        .blob_keys()
        .into_iter()
        .filter(|k| k.contains(id) && k.contains("/r/"))
        .collect();
    assert_eq!(renditions.len(), 1, "{renditions:?}");
    let purge = t
        .delete(&format!("/api/v1/media/{id}?purge=true"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(purge.status(), 204);
    let left: Vec<String> = server
        .blob_keys()
        .into_iter()
        .filter(|k| k.contains(id))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

fn patch(t: &Target, id: &str, body: Value) -> reqwest::blocking::Response {
    t.patch(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .json(&body)
        .send()
        .unwrap()
}

/// PSNR of two RGB images of one size.
fn psnr(a: &image::RgbImage, b: &image::RgbImage) -> f64 {
    let mse = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| (f64::from(x) - f64::from(y)).powi(2))
        .sum::<f64>()
        / a.as_raw().len() as f64;
    10.0 * (255.0f64.powi(2) / mse.max(1e-9)).log10()
}

/// A set focal point decides a cover crop of a real photo: the crop shows
/// the square around it, not the centre or the salient region.
#[test]
fn a_focal_point_keeps_its_subject_in_a_cover_crop() {
    let t = Target::start();
    let bytes = fixtures::read("photo-seeding-800.jpg");
    let m = t.upload_ok("photo.jpg", &bytes);
    let id = m["id"].as_str().unwrap();
    assert!(m["focal_point"].is_null());
    let res = patch(&t, id, json!({"focal_point": {"x": 0.0, "y": 0.5}}));
    assert_eq!(res.status(), 200);
    let edited: Value = res.json().unwrap();
    assert_eq!(edited["focal_point"], json!({"x": 0.0, "y": 0.5}));

    let url = signed(
        &t,
        id,
        json!({"width": 120, "height": 120, "fit": "cover", "format": "png"}),
    );
    assert_eq!(
        url["file"], "w120_h120_cover_q80_f0x5000.png",
        "the focus is in the URL"
    );
    let ours = image_of(
        &t.get(url["path"].as_str().unwrap())
            .send()
            .unwrap()
            .bytes()
            .unwrap(),
    )
    .to_rgb8();
    assert_eq!(ours.dimensions(), (120, 120));
    // The photo's left and right squares, resized as the rendition is.
    let source = image_of(&bytes).to_rgb8();
    let (w, h) = source.dimensions();
    assert!(w > h, "a landscape photo");
    let square = |left: u32| {
        let part = image::imageops::crop_imm(&source, left, 0, h, h).to_image();
        image::imageops::resize(&part, 120, 120, image::imageops::FilterType::Lanczos3)
    };
    let (left, right) = (psnr(&ours, &square(0)), psnr(&ours, &square(w - h)));
    assert!(
        left >= 28.0 && left > right + 3.0,
        "left {left:.1} dB, right {right:.1} dB"
    );

    // Moved to the right edge: a new URL, the other square.
    patch(&t, id, json!({"focal_point": {"x": 1.0, "y": 0.0}}));
    let moved = signed(
        &t,
        id,
        json!({"width": 120, "height": 120, "fit": "cover", "format": "png"}),
    );
    assert_ne!(moved["path"], url["path"]);
    let theirs = image_of(
        &t.get(moved["path"].as_str().unwrap())
            .send()
            .unwrap()
            .bytes()
            .unwrap(),
    )
    .to_rgb8();
    assert!(psnr(&theirs, &square(w - h)) > psnr(&theirs, &square(0)) + 3.0);
    // The old URL still serves what it named.
    assert_eq!(
        t.get(url["path"].as_str().unwrap())
            .send()
            .unwrap()
            .status(),
        200
    );

    // `null` clears it; out of range and non-images are refused.
    let cleared: Value = patch(&t, id, json!({"focal_point": null})).json().unwrap();
    assert!(cleared["focal_point"].is_null());
    for bad in [
        json!({"x": 1.5, "y": 0}),
        json!({"x": -0.1, "y": 0.2}),
        json!({"x": 0.5}),
    ] {
        let res = patch(&t, id, json!({ "focal_point": bad }));
        assert_eq!(error_code(res), (400, "invalid_request".into()), "{bad}");
    }
    let pdf = t.upload_ok("doc.pdf", &fixtures::read("document.pdf"));
    let res = patch(
        &t,
        pdf["id"].as_str().unwrap(),
        json!({"focal_point": {"x": 0.5, "y": 0.5}}),
    );
    assert_eq!(error_code(res), (400, "invalid_request".into()));
}
