//! `fetch_media`, `fetch_media_instance` and `fetch_all_media_metadata`.

use super::support::*;
use mediakit_e2e::{Target, fixtures, sha256_hex, unique};
use serde_json::{Value, json};

#[test]
fn fetch_media_lists_instances_and_seed_metadata() {
    let t = Target::start();
    let name = unique("upload_image");
    let before = now_secs();
    let id = upload_one(
        &t,
        &format!("{name}.jpg"),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let m = fetch(&t, &id);

    let meta = &m["metadata"];
    assert_eq!(meta["content_type"], "image");
    let created = meta["creation_time"].as_f64().unwrap();
    assert!((created - before).abs() < 120.0, "epoch seconds: {created}");
    assert_eq!(
        meta["deletion_time"],
        json!(0),
        "the integer 0, as in the seed"
    );
    assert_eq!(meta["file_extention"], "jpg");
    assert_eq!(meta["file_mimetype"], "image/jpeg");
    assert_eq!(meta["filename"], name);
    assert_eq!(meta["id"], id);
    assert_eq!(meta["is_deleted"], false);
    assert_eq!(meta["is_unlisted"], false);
    assert!(meta["uploader_user_id"].is_string());
    assert_eq!(meta["alt_text"], Value::Null);
    assert_eq!(meta["author_credit_subtext"], Value::Null);
    // mediakit's addition: the image's ThumbHash, base64.
    assert!(
        meta["placeholder"].as_str().is_some_and(|p| p.len() >= 8),
        "{meta}"
    );

    let instances = m["instances"].as_array().unwrap();
    // The original (800×450) and the variants below its size.
    let dims: Vec<(u64, u64)> = instances
        .iter()
        .map(|i| {
            (
                i["x_dimension"].as_u64().unwrap(),
                i["y_dimension"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(dims, [(800, 450), (256, 144), (640, 360)]);
    let rest: Value = t.get_media(&id).json().unwrap();
    for (i, inst) in instances.iter().enumerate() {
        let iid = inst["instance_id"].as_str().unwrap();
        assert_eq!(inst["parent_id"], id);
        let ext = "jpg";
        assert_eq!(
            inst["url"],
            format!("{}/volume/media/files/{id}/{iid}.{ext}", t.base),
            "absolute URL on the origin the client used"
        );
        // The URL and fetch_media_instance serve the same bytes as REST.
        let by_url = t
            .client()
            .get(inst["url"].as_str().unwrap())
            .send()
            .unwrap();
        assert_eq!(by_url.status(), 200);
        assert_eq!(by_url.headers()["content-type"], "image/jpeg");
        assert_eq!(by_url.headers()["x-content-type-options"], "nosniff");
        let etag = by_url.headers()["etag"].to_str().unwrap().to_owned();
        let url_bytes = by_url.bytes().unwrap();
        let by_id = t
            .get("/media/fetch_media_instance")
            .query(&[("instance_ID", iid)])
            .send()
            .unwrap();
        assert_eq!(by_id.status(), 200, "no token needed, like every file URL");
        let id_bytes = by_id.bytes().unwrap();
        assert_eq!(url_bytes, id_bytes);
        let expected_sha = if i == 0 {
            rest["sha256"].as_str().unwrap().to_owned()
        } else {
            let path = rest["variants"][i - 1]["path"].as_str().unwrap();
            sha256_hex(&t.get(path).send().unwrap().bytes().unwrap())
        };
        assert_eq!(sha256_hex(&url_bytes), expected_sha);
        assert_eq!(etag, format!("\"{expected_sha}\""));
        let img = image::load_from_memory(&url_bytes).unwrap();
        assert_eq!(
            (u64::from(img.width()), u64::from(img.height())),
            dims[i],
            "the dimensions describe the file"
        );
    }

    // The seed's example passes a media id as instance_ID: the original.
    let res = t
        .get("/media/fetch_media_instance")
        .query(&[("instance_ID", &id)])
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        sha256_hex(&res.bytes().unwrap()),
        rest["sha256"].as_str().unwrap()
    );

    // Conditional and range requests behave as on every file URL.
    let url = instances[0]["url"].as_str().unwrap();
    let res = t
        .client()
        .get(url)
        .header("range", "bytes=0-9")
        .send()
        .unwrap();
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().unwrap().len(), 10);
    let etag = format!("\"{}\"", rest["sha256"].as_str().unwrap());
    let res = t
        .client()
        .get(url)
        .header("if-none-match", etag)
        .send()
        .unwrap();
    assert_eq!(res.status(), 304);

    // Behind a TLS-terminating proxy the URLs say https.
    let res = t.send_as_admin(
        t.post("/media/fetch_media")
            .header("x-forwarded-proto", "https")
            .query(&[("media_ID", &id)]),
    );
    let body: Value = res.json().unwrap();
    assert!(
        body["instances"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://"),
        "{body}"
    );
}

#[test]
fn non_image_instances_have_no_dimensions() {
    let t = Target::start();
    let id = upload_one(&t, "doc.pdf", &fixtures::read("document.pdf"));
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["content_type"], "application");
    assert_eq!(m["metadata"]["file_extention"], "pdf");
    let instances = m["instances"].as_array().unwrap();
    assert_eq!(instances.len(), 1, "no variants for a PDF");
    assert_eq!(instances[0]["x_dimension"], Value::Null);
    let res = t
        .get("/media/fetch_media_instance")
        .query(&[("instance_ID", instances[0]["instance_id"].as_str().unwrap())])
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().unwrap(), fixtures::read("document.pdf"));
}
