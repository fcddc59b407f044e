//! Malformed requests get the CMS error shape and store nothing.

use super::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{Target, fixtures, unique};
use serde_json::{Value, json};

#[test]
fn bad_requests_get_cms_errors_and_store_nothing() {
    let t = Target::start();
    let id = add_ok(&t, &unique("target"), json!("keep"));
    let jpeg = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let marker = unique("refused");
    let files_before = t.data_files();
    let missing = "Required parameters missing";
    let cases: Vec<(Value, (u16, &str, &str))> = vec![
        (
            json!({"tags": [], "image": jpeg}),
            (400, missing, "invalid_request"),
        ),
        (
            json!({"name": marker, "image": jpeg}),
            (400, missing, "invalid_request"),
        ),
        (
            json!({"name": marker, "tags": []}),
            (400, missing, "invalid_request"),
        ),
        (
            json!({"name": "  ", "tags": [], "image": jpeg}),
            (400, "", "invalid_name"),
        ),
        (
            json!({"name": marker, "tags": [], "image": ""}),
            (400, "", "file_empty"),
        ),
        (
            json!({"name": marker, "tags": [], "image": "%%% not base64 %%%"}),
            (400, "the image is not valid base64", "invalid_request"),
        ),
        (
            json!({"name": marker, "tags": [], "image": "data:image/png,abc"}),
            (
                400,
                "the image data URL must be base64 (`;base64,`)",
                "invalid_request",
            ),
        ),
        (
            json!({"name": marker, "tags": [], "image": STANDARD.encode(b"just some text, not an image")}),
            (400, "", "unsupported_type"),
        ),
        (
            json!({"name": marker, "tags": ["x".repeat(65)], "image": jpeg}),
            (400, "", "invalid_tags"),
        ),
        (
            json!({"name": marker, "tags": 5, "image": jpeg}),
            (400, "", "invalid_request"),
        ),
    ];
    for (body, (status, data, code)) in cases {
        let (s, d, c) = cms_error(add(&t, &t.admin_token, &body));
        assert_eq!((s, c.as_str()), (status, code), "{d}");
        if !data.is_empty() {
            assert_eq!(d, data);
        }
    }
    let res = with_cookie(&t, t.post("/media/add"), &t.admin_token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(cms_error(res).0, 400);

    // A body over the limit: 413, in the CMS shape.
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    let limit = limits["max_upload_bytes"].as_u64().unwrap() as usize;
    // Just over (decoded, then refused) and far over (refused by the body
    // limit, the base64 size of the upload limit plus room for the fields).
    for over in [1024, 4 * 1024 * 1024] {
        let mut big = fixtures::read("photo-seeding-800.jpg");
        big.resize(limit + over, 0);
        let body = json!({"name": marker, "tags": [], "image": STANDARD.encode(&big)});
        let (status, _, code) = cms_error(add(&t, &t.admin_token, &body));
        assert_eq!(
            (status, code.as_str()),
            (413, "file_too_large"),
            "{over} over"
        );
    }
    assert_eq!(
        list(&t, &format!("search={marker}"))["max"],
        0,
        "nothing listed"
    );
    assert_eq!(t.data_files(), files_before, "nothing written");

    // Edit: missing fields, bad ids, unknown ids.
    let edit = |path: &str, body: Value| {
        cms_error(
            with_cookie(&t, t.post(path), &t.admin_token)
                .json(&body)
                .send()
                .unwrap(),
        )
    };
    let path = format!("/media/edit/{id}");
    assert_eq!(
        edit(&path, json!({"name": "x"})),
        (400, missing.into(), "invalid_request".into())
    );
    assert_eq!(
        edit(&path, json!({"tags": "x"})),
        (400, missing.into(), "invalid_request".into())
    );
    assert_eq!(
        edit(&path, json!({})),
        (400, missing.into(), "invalid_request".into())
    );
    assert_eq!(
        edit(&path, json!({"name": "", "tags": "x"})).2,
        "invalid_name"
    );
    assert_eq!(
        edit(&path, json!({"name": "x", "tags": ["y".repeat(65)]})).2,
        "invalid_tags"
    );
    assert_eq!(
        edit("/media/edit/abc", json!({"name": "x", "tags": "y"})).0,
        400
    );
    assert_eq!(
        edit("/media/edit/-3", json!({"name": "x", "tags": "y"})).0,
        400
    );
    assert_eq!(
        edit("/media/edit/999999999", json!({"name": "x", "tags": "y"})),
        (404, "Media not found".into(), "not_found".into())
    );
    let item = &list(&t, "search=keep")["media"];
    assert!(
        item.as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"] == id && m["tags"] == json!(["keep"])),
        "refused edits changed nothing"
    );

    // Delete: bad and unknown ids.
    let del = |path: &str| {
        cms_error(
            with_cookie(&t, t.delete(path), &t.admin_token)
                .send()
                .unwrap(),
        )
    };
    assert_eq!(del("/media/delete/abc").0, 400);
    assert_eq!(
        del("/media/delete/999999999"),
        (404, "Media not found".into(), "not_found".into())
    );

    // Listing parameters.
    for q in [
        "order=sideways",
        "limit=-1",
        "limit=ten",
        "offset=x",
        "serach=typo",
    ] {
        let res = with_cookie(&t, t.get(&format!("/media?{q}")), &t.admin_token)
            .send()
            .unwrap();
        assert_eq!(cms_error(res).0, 400, "{q}");
    }
    // A known path with another method answers in this dialect's shape.
    let res = with_cookie(&t, t.get("/media/add"), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(cms_error(res).2, "method_not_allowed");
}
