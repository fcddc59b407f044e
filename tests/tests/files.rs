//! Public file URLs: headers, conditional requests, ranges, SVG safety.

use mediakit_e2e::{Target, error_code, fixtures, sha256_hex};
use serde_json::Value;

fn upload(t: &Target, file: &str) -> Value {
    t.upload_ok(file, &fixtures::read(file))
}

#[test]
fn originals_carry_type_etag_cache_and_nosniff() {
    let t = Target::start();
    let m = upload(&t, "photo-seeding-800.jpg");
    let id = m["id"].as_str().unwrap();
    let res = t.get(&format!("/uploads/media/{id}.jpg")).send().unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    assert_eq!(h["content-type"], "image/jpeg");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(h["accept-ranges"], "bytes");
    assert_eq!(
        h["etag"].to_str().unwrap(),
        format!("\"{}\"", m["sha256"].as_str().unwrap())
    );
    let body = res.bytes().unwrap();
    assert_eq!(body.len() as u64, m["size"].as_u64().unwrap());
    assert_eq!(
        sha256_hex(&body),
        m["sha256"].as_str().unwrap(),
        "the ETag is the body's hash"
    );
    if let Some(len) = h.get("content-length") {
        assert_eq!(len.to_str().unwrap(), body.len().to_string());
    }
}

#[test]
fn if_none_match_gives_304() {
    let t = Target::start();
    let m = upload(&t, "photo-seeding-800.jpg");
    let id = m["id"].as_str().unwrap();
    let url = format!("/uploads/media/{id}/thumb.jpg");
    let first = t.get(&url).send().unwrap();
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    let res = t.get(&url).header("if-none-match", &etag).send().unwrap();
    assert_eq!(res.status(), 304);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    assert!(res.bytes().unwrap().is_empty());
    let res = t
        .get(&url)
        .header("if-none-match", "\"something-else\"")
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[test]
fn ranges_give_206_and_416() {
    let t = Target::start();
    let m = upload(&t, "clip.mp4");
    let id = m["id"].as_str().unwrap();
    let size = m["size"].as_u64().unwrap();
    let url = format!("/uploads/media/{id}.mp4");
    let full = t.get(&url).send().unwrap().bytes().unwrap();

    let res = t.get(&url).header("range", "bytes=0-9").send().unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(
        res.headers()["content-range"].to_str().unwrap(),
        format!("bytes 0-9/{size}")
    );
    assert_eq!(res.bytes().unwrap(), full.slice(0..10));

    let res = t.get(&url).header("range", "bytes=-16").send().unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().unwrap(), full.slice(full.len() - 16..));

    let res = t
        .get(&url)
        .header("range", format!("bytes={size}-"))
        .send()
        .unwrap();
    assert_eq!(res.status(), 416);
    assert_eq!(
        res.headers()["content-range"].to_str().unwrap(),
        format!("bytes */{size}")
    );
    assert_eq!(error_code(res), (416, "range_not_satisfiable".into()));
    // A suffix of zero bytes is unsatisfiable too, and HEAD says so in the
    // same headers (found by fuzzing: it used to answer an untyped 416).
    for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
        let res = t
            .client()
            .request(method.clone(), t.url(&url))
            .header("range", "bytes=-0")
            .send()
            .unwrap();
        assert_eq!(res.status(), 416, "{method}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("application/json"),
            "{method}"
        );
        assert_eq!(
            res.headers()["content-range"].to_str().unwrap(),
            format!("bytes */{size}")
        );
    }

    // If-Range with a stale validator: the whole file.
    let res = t
        .get(&url)
        .header("range", "bytes=0-9")
        .header("if-range", "\"stale\"")
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().unwrap().len(), full.len());
}

#[test]
fn head_answers_without_a_body() {
    let t = Target::start();
    let m = upload(&t, "document.pdf");
    let id = m["id"].as_str().unwrap();
    let res = t
        .client()
        .head(t.url(&format!("/uploads/media/{id}.pdf")))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert!(res.bytes().unwrap().is_empty());
}

#[test]
fn svg_is_served_sandboxed() {
    let t = Target::start();
    let m = upload(&t, "logo.svg");
    let id = m["id"].as_str().unwrap();
    let res = t.get(&format!("/uploads/media/{id}.svg")).send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/svg+xml");
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("sandbox") && csp.contains("default-src 'none'"),
        "{csp}"
    );
    assert_eq!(
        res.bytes().unwrap(),
        fixtures::read("logo.svg"),
        "SVGs are stored as sent"
    );
}

#[test]
fn variants_decode_to_their_advertised_size() {
    let t = Target::start();
    let m = upload(&t, "photo-alpha.png");
    let id = m["id"].as_str().unwrap();
    for v in m["variants"].as_array().unwrap() {
        let res = t.file(v);
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.headers()["content-type"],
            v["mime_type"].as_str().unwrap()
        );
        let img = image::load_from_memory(&res.bytes().unwrap()).unwrap();
        assert_eq!(u64::from(img.width()), v["width"].as_u64().unwrap());
        assert_eq!(u64::from(img.height()), v["height"].as_u64().unwrap());
        assert!(img.color().has_alpha(), "alpha kept in {id} {}", v["name"]);
    }
}

#[test]
fn unknown_or_mismatched_file_names_are_404() {
    let t = Target::start();
    let m = upload(&t, "photo-seeding-800.jpg");
    let id = m["id"].as_str().unwrap();
    for path in [
        format!("/uploads/media/{id}.png"),
        format!("/uploads/media/{id}/thumb.png"),
        format!("/uploads/media/{id}/huge.jpg"),
        "/uploads/media/0195f0a4-a0a0-7000-8000-000000000000.jpg".to_owned(),
        "/uploads/media/not-an-id.jpg".to_owned(),
        "/uploads/media/..%2F..%2Fetc%2Fpasswd".to_owned(),
        format!("/uploads/media/{id}"),
    ] {
        let res = t.get(&path).send().unwrap();
        assert_eq!(error_code(res), (404, "not_found".into()), "{path}");
    }
}

/// A path segment whose percent-encoding is not UTF-8 names nothing: 404
/// in the dialect's own JSON, never axum's plain-text 400 (found by the
/// `rest_request` fuzz target).
#[test]
fn segments_that_are_not_utf8_are_not_found_in_json() {
    let t = Target::start();
    for path in ["/uploads/media/%DF.png", "/uploads/media/%DF2/thumb.png"] {
        let res = t.get(path).send().unwrap();
        assert_eq!(error_code(res), (404, "not_found".into()), "{path}");
    }
    let res = t.send_as_admin(t.get("/api/v1/media/%DF"));
    assert_eq!(error_code(res), (404, "not_found".into()));
    // RPC: its own shape, the code in `error`.
    let res = t.get("/volume/media/files/%DF/x.png").send().unwrap();
    assert_eq!(res.status(), 404);
    let body: Value = res.json().unwrap();
    assert_eq!(body["error"], "not_found", "{body}");
}
