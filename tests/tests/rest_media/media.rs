//! `GET`/`PATCH /api/v1/media/{id}` and listings.

use super::support::*;
use mediakit_e2e::{Target, error_code, fixtures, unique};
use reqwest::blocking::Response;
use serde_json::Value;

#[test]
fn get_patch_and_list() {
    let t = Target::start();
    let tag = unique("tag");
    let m = t.upload_ok(
        &format!("{}.jpg", unique("patch")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let id = m["id"].as_str().unwrap();

    let got: Value = t.get_media(id).json().unwrap();
    assert_eq!(got, m, "GET returns what upload returned");

    let res = t.patch_media(
        id,
        &serde_json::json!({ "alt_text": "A beautiful sunset over the mountains", "name": "Sunset", "tags": [tag, "Sky", "sky"] }),
    );
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
        .patch_media(id, &serde_json::json!({ "alt_text": null }))
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
        let res = t.send_as_admin(t.get(&format!("/api/v1/media?tag={tag}&{q}")));
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

    let res = t.send_as_admin(t.get(&format!("/api/v1/media/images?tag={tag}")));
    let images: Vec<Value> = res.json().unwrap();
    assert_eq!(images.len(), 3, "images only");
    assert!(
        images
            .iter()
            .all(|m| m["mime_type"].as_str().unwrap().starts_with("image/"))
    );
}

/// Uploads the 800 px photo as an unlisted `name`, with `fields` besides.
fn upload_unlisted(t: &Target, name: &str, fields: &[(&str, &str)]) -> Response {
    let mut all = vec![("unlisted", "true")];
    all.extend_from_slice(fields);
    t.upload_with(
        &t.admin_token,
        name,
        &fixtures::read("photo-seeding-800.jpg"),
        &all,
    )
}

#[test]
fn unlisted_media_is_served_but_not_listed() {
    let t = Target::start();
    let name = format!("{}.jpg", unique("unlisted"));
    let res = upload_unlisted(&t, &name, &[]);
    assert_eq!(res.status(), 201);
    let m: Value = res.json().unwrap();
    let id = m["id"].as_str().unwrap();
    assert_eq!(m["unlisted"], true);
    assert!(!t.listed(&name), "unlisted items stay out of listings");
    let file = t.get(&format!("/uploads/media/{id}.jpg")).send().unwrap();
    assert_eq!(file.status(), 200, "but are served by URL");
    assert_eq!(file.headers()["x-robots-tag"], "noindex");
    assert_eq!(
        file.headers()["cache-control"],
        "public, max-age=3600",
        "unlisted files are not kept by caches for a year"
    );
    assert_eq!(t.get_media(id).status(), 200, "and readable by id");

    let p: Value = t
        .patch_media(id, &serde_json::json!({ "unlisted": false }))
        .json()
        .unwrap();
    assert_eq!(p["unlisted"], false);
    assert!(t.listed(&name), "re-listed");
    let file = t.get(&format!("/uploads/media/{id}.jpg")).send().unwrap();
    assert_eq!(
        file.headers()["cache-control"],
        "public, max-age=31536000, immutable",
        "listed again: the file cache saw the change at once"
    );
    assert!(file.headers().get("x-robots-tag").is_none());
}

#[test]
fn include_unlisted_lists_them_for_editors_only() {
    let t = Target::start();
    let name = format!("{}.jpg", unique("owner-view"));
    let res = upload_unlisted(&t, &name, &[("name", &name)]);
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
