//! The canonical REST dialect, endpoint by endpoint.

use mediakit_e2e::{Target, error_code, fixtures, unique};
use serde_json::Value;

fn is_rfc3339(s: &Value) -> bool {
    s.as_str()
        .is_some_and(|s| s.len() >= 20 && s.ends_with('Z') && &s[10..11] == "T")
}

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
fn get_patch_and_list() {
    let t = Target::start();
    let tag = unique("tag");
    let m = t.upload_ok(
        &format!("{}.jpg", unique("patch")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let id = m["id"].as_str().unwrap();

    let got: Value = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(got, m, "GET returns what upload returned");

    let res = t
        .patch(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .json(&serde_json::json!({ "alt_text": "A beautiful sunset over the mountains", "name": "Sunset", "tags": [tag, "Sky", "sky"] }))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let p: Value = res.json().unwrap();
    assert_eq!(p["alt_text"], "A beautiful sunset over the mountains");
    assert_eq!(p["name"], "Sunset");
    assert_eq!(
        p["tags"],
        serde_json::json!([tag, "Sky"]),
        "tags deduplicated ignoring case"
    );
    assert!(is_rfc3339(&p["updated_at"]));

    // Clearing alt text with null; absent fields stay.
    let p: Value = t
        .patch(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .json(&serde_json::json!({ "alt_text": null }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(p["alt_text"], Value::Null);
    assert_eq!(p["name"], "Sunset");

    let by_tag = t.list_all(&format!("tag={tag}"));
    assert_eq!(by_tag.len(), 1);
    assert_eq!(by_tag[0]["id"], id);
    let by_search = t.list_all("q=sunset");
    assert!(by_search.iter().any(|x| x["id"] == id), "search over name");
    let by_tag_search = t.list_all(&format!("q={}", tag.to_uppercase()));
    assert!(
        by_tag_search.iter().any(|x| x["id"] == id),
        "search over tags ignores case"
    );
}

#[test]
fn listing_orders_pages_and_counts() {
    let t = Target::start();
    let tag = unique("order");
    let mut ids = Vec::new();
    for i in 0..3 {
        let res = t.upload_with(
            &t.admin_token,
            &format!("o{i}.png"),
            &fixtures::read("photo-alpha.png"),
            &[("tags", &tag)],
        );
        assert_eq!(res.status(), 201);
        ids.push(
            res.json::<Value>().unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let pdf = t.upload_with(
        &t.admin_token,
        "doc.pdf",
        &fixtures::read("document.pdf"),
        &[("tags", &tag)],
    );
    assert_eq!(pdf.status(), 201);
    let pdf_id = pdf.json::<Value>().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let list = |q: &str| -> (Vec<String>, u64) {
        let res = t
            .get(&format!("/api/v1/media?tag={tag}&{q}"))
            .bearer_auth(&t.admin_token)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
        let total = res.headers()["x-total-count"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        let items: Vec<Value> = res.json().unwrap();
        (
            items
                .iter()
                .map(|m| m["id"].as_str().unwrap().to_owned())
                .collect(),
            total,
        )
    };
    let (newest, total) = list("");
    assert_eq!(total, 4);
    assert_eq!(
        newest,
        [
            pdf_id.clone(),
            ids[2].clone(),
            ids[1].clone(),
            ids[0].clone()
        ],
        "newest first by default"
    );
    let (oldest, _) = list("order=oldest");
    assert_eq!(
        oldest,
        [
            ids[0].clone(),
            ids[1].clone(),
            ids[2].clone(),
            pdf_id.clone()
        ]
    );
    let (page, total) = list("order=oldest&skip=1&limit=2");
    assert_eq!(page, [ids[1].clone(), ids[2].clone()]);
    assert_eq!(total, 4, "the total counts all matches");

    let res = t
        .get(&format!("/api/v1/media/images?tag={tag}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    let images: Vec<Value> = res.json().unwrap();
    assert_eq!(images.len(), 3, "images only");
    assert!(
        images
            .iter()
            .all(|m| m["mime_type"].as_str().unwrap().starts_with("image/"))
    );
}

#[test]
fn delete_restore_and_purge() {
    let t = Target::start();
    let m = t.upload_ok(
        &format!("{}.jpg", unique("del")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let id = m["id"].as_str().unwrap();
    let file = format!("/uploads/media/{id}.jpg");
    let thumb = format!("/uploads/media/{id}/thumb.jpg");
    assert_eq!(t.get(&file).send().unwrap().status(), 200);

    let res = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(
        error_code(
            t.get(&format!("/api/v1/media/{id}"))
                .bearer_auth(&t.admin_token)
                .send()
                .unwrap()
        ),
        (404, "not_found".into())
    );
    assert_eq!(
        t.get(&file).send().unwrap().status(),
        404,
        "deleted media is not served"
    );
    assert_eq!(
        t.get(&thumb).send().unwrap().status(),
        404,
        "nor its variants"
    );
    assert!(!t.list_all("").iter().any(|x| x["id"] == id), "nor listed");
    let trash = t.list_all("deleted=true");
    assert!(
        trash
            .iter()
            .any(|x| x["id"] == id && x["deleted_at"].is_string()),
        "it is in the trash"
    );
    let again = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(
        error_code(again),
        (404, "not_found".into()),
        "deleting twice is 404"
    );

    let res = t
        .post(&format!("/api/v1/media/{id}/restore"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let r: Value = res.json().unwrap();
    assert_eq!(r["deleted_at"], Value::Null);
    assert_eq!(
        t.get(&file).send().unwrap().status(),
        200,
        "restored files are served again"
    );
    assert_eq!(t.get(&thumb).send().unwrap().status(), 200);

    let before = t.data_files();
    let res = t
        .delete(&format!("/api/v1/media/{id}?purge=true"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 204);
    assert_eq!(t.get(&file).send().unwrap().status(), 404);
    let restore = t
        .post(&format!("/api/v1/media/{id}/restore"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(
        error_code(restore),
        (404, "not_found".into()),
        "purged is gone for good"
    );
    if t.is_native() {
        let after = t.data_files();
        let removed: Vec<_> = before.difference(&after).collect();
        assert_eq!(
            removed.len(),
            3,
            "original + 2 variants removed from disk: {removed:?}"
        );
        assert!(after.iter().all(|p| !p.to_string_lossy().contains(id)));
    }
}

#[test]
fn unlisted_media_is_served_but_not_listed() {
    let t = Target::start();
    let name = format!("{}.jpg", unique("unlisted"));
    let res = t.upload_with(
        &t.admin_token,
        &name,
        &fixtures::read("photo-seeding-800.jpg"),
        &[("unlisted", "true")],
    );
    assert_eq!(res.status(), 201);
    let m: Value = res.json().unwrap();
    let id = m["id"].as_str().unwrap();
    assert_eq!(m["unlisted"], true);
    assert!(!t.listed(&name), "unlisted items stay out of listings");
    let file = t.get(&format!("/uploads/media/{id}.jpg")).send().unwrap();
    assert_eq!(file.status(), 200, "but are served by URL");
    assert_eq!(file.headers()["x-robots-tag"], "noindex");
    let got = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(got.status(), 200, "and readable by id");

    let p: Value = t
        .patch(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .json(&serde_json::json!({ "unlisted": false }))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(p["unlisted"], false);
    assert!(t.listed(&name), "re-listed");
}

#[test]
fn include_unlisted_lists_them_for_editors_only() {
    let t = Target::start();
    let name = format!("{}.jpg", unique("owner-view"));
    let res = t.upload_with(
        &t.admin_token,
        &name,
        &fixtures::read("photo-seeding-800.jpg"),
        &[("unlisted", "true"), ("name", &name)],
    );
    assert_eq!(res.status(), 201);
    let query = format!("/api/v1/media?include_unlisted=true&q={name}");
    let editor = t.token(&["media:read", "media:edit"]);
    let res = t.get(&query).bearer_auth(&editor).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["x-total-count"], "1");
    let items: Vec<Value> = res.json().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["unlisted"], true);
    let reader = t.token(&["media:read"]);
    let res = t.get(&query).bearer_auth(&reader).send().unwrap();
    assert_eq!(error_code(res), (403, "forbidden".to_owned()));
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

    let served = t
        .get(&format!("/uploads/media/{id}.jpg"))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
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

    let thumb = t
        .get(&format!("/uploads/media/{id}/thumb.jpg"))
        .send()
        .unwrap()
        .bytes()
        .unwrap();
    let img = image::load_from_memory(&thumb).unwrap();
    assert!(
        img.height() == 256 && (170..=171).contains(&img.width()),
        "thumb is portrait: {}x{}",
        img.width(),
        img.height()
    );
    assert!(!thumb.windows(3).any(|w| w == b"GPS"));
}

#[test]
fn health_and_unknown_routes() {
    let t = Target::start();
    let res = t.get("/healthz").send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        error_code(t.get("/api/v1/nope").send().unwrap()),
        (404, "not_found".into())
    );
    let res = t
        .client()
        .put(t.url("/api/v1/media"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(error_code(res), (405, "method_not_allowed".into()));
}
