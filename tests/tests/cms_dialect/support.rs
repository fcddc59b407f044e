//! Helpers shared by this suite's modules.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{Target, fixtures};
use reqwest::blocking::{RequestBuilder, Response};
use serde_json::{Value, json};

/// Sends with the token in the `refreshToken` cookie, as the seed's UI
/// does: a page of the server's own origin, so its browser adds `Origin`
/// (which the cross-site request check of cookie-authenticated writes
/// requires; browsers send it on every POST and DELETE a page makes with
/// `fetch`).
pub fn with_cookie(t: &Target, req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("cookie", format!("theme=dark; refreshToken={token}"))
        .header("origin", &t.base)
}

/// A CMS body `{data, code}`; the HTTP status must equal `code`.
pub fn cms_body(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().unwrap_or_default();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("body is not JSON ({status}): {text:?}"));
    assert_eq!(body["code"], status, "code mirrors the status: {text}");
    assert!(body["data"].is_string(), "{text}");
    (status, body)
}

/// An error: status, the seed's `data` text, and the stable code.
pub fn cms_error(res: Response) -> (u16, String, String) {
    let (status, body) = cms_body(res);
    (
        status,
        body["data"].as_str().unwrap().to_owned(),
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

pub fn add(t: &Target, token: &str, body: &Value) -> Response {
    with_cookie(t, t.post("/media/add"), token)
        .json(body)
        .send()
        .unwrap()
}

/// Adds an image and returns its numeric id.
pub fn add_ok(t: &Target, name: &str, tags: Value) -> i64 {
    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let res = add(
        t,
        &t.admin_token,
        &json!({"name": name, "tags": tags, "image": image}),
    );
    let (status, body) = cms_body(res);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"], "Media added successfully");
    body["id"].as_i64().unwrap()
}

pub fn list(t: &Target, query: &str) -> Value {
    let res = with_cookie(t, t.get(&format!("/media?{query}")), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().unwrap()
}

/// A listing's `max` (every match), `from` and `to` (1-based, this page).
pub fn span(listing: &Value) -> (Option<u64>, Option<u64>, Option<u64>) {
    (
        listing["max"].as_u64(),
        listing["from"].as_u64(),
        listing["to"].as_u64(),
    )
}

pub fn ids(listing: &Value) -> Vec<i64> {
    listing["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}
