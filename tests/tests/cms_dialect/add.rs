//! `POST /media/add` (base64 image) and what listings show of it.

use super::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{Target, fixtures, unique};
use serde_json::json;

#[test]
fn add_then_list_shows_every_field() {
    let t = Target::start();
    let name = unique("Sunset");
    let tag = unique("tag");
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let res = add(
        &t,
        &t.admin_token,
        &json!({
            "name": name,
            "tags": format!(" {tag} , sea,, Sea "),
            "image": format!("data:image/jpeg;base64,{}", STANDARD.encode(&jpeg)),
        }),
    );
    let (status, body) = cms_body(res);
    assert_eq!(status, 200);
    assert_eq!(body["data"], "Media added successfully");
    let id = body["id"].as_i64().unwrap();

    let listing = list(&t, &format!("search={name}"));
    assert_eq!(listing["max"], 1);
    assert_eq!(
        (listing["from"].as_u64(), listing["to"].as_u64()),
        (Some(1), Some(1))
    );
    let item = &listing["media"][0];
    assert_eq!(item["id"], id, "numeric ids");
    assert_eq!(item["name"], name);
    assert_eq!(
        item["tags"],
        json!([tag, "sea"]),
        "trimmed, empties dropped, deduplicated"
    );
    let timestamp = item["timestamp"].as_str().unwrap();
    assert!(
        timestamp.len() == 24 && timestamp.ends_with('Z') && &timestamp[10..11] == "T",
        "RFC 3339: {timestamp}"
    );
    let path = item["path"].as_str().unwrap();
    assert!(
        path.starts_with("/uploads/media/") && path.ends_with(".jpg"),
        "{path}"
    );
    let file = t.get(path).send().unwrap();
    assert_eq!(file.status(), 200, "the path is a public file");
    assert_eq!(file.headers()["content-type"], "image/jpeg");

    // Plain base64 (no data: prefix) and tags as an array work too.
    let other = add_ok(&t, &unique("plain"), json!([tag, " sky "]));
    let listing = list(&t, &format!("search={tag}"));
    assert_eq!(listing["max"], 2, "search covers tags");
    assert!(ids(&listing).contains(&other));
}
