//! The RPC dialect (seed 000) as the suites call it: its error shape,
//! `upload_media`, and calls with query parameters.

use reqwest::blocking::{Response, multipart};
use serde_json::Value;

use crate::Target;

/// The RPC error shape: `{"success": 0, "error": "<code>", "message": …}`.
pub fn rpc_error(res: Response) -> (u16, String) {
    let status = res.status().as_u16();
    let text = res.text().unwrap_or_default();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("error body is not JSON ({status}): {text:?}"));
    assert_eq!(body["success"], 0, "{text}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "no message in {text}"
    );
    let code = body["error"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {text}"))
        .to_owned();
    (status, code)
}

/// `POST /media/upload_media` with `media` parts, token in the header.
pub fn upload(t: &Target, token: &str, files: &[(&str, &[u8])]) -> Response {
    let mut form = multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(
            "media",
            multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    upload_form(t, token, form)
}

/// `POST /media/upload_media` with any form.
pub fn upload_form(t: &Target, token: &str, form: multipart::Form) -> Response {
    t.post("/media/upload_media")
        .bearer_auth(token)
        .multipart(form)
        .send()
        .expect("POST /media/upload_media")
}

/// Uploads one file with the admin token and returns its media id.
pub fn upload_one(t: &Target, name: &str, bytes: &[u8]) -> String {
    let res = upload(t, &t.admin_token, &[(name, bytes)]);
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(body["data"]["results"][0]["success"], 1, "{body}");
    body["data"]["results"][0]["key"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// An RPC call with query parameters and the admin token.
pub fn call(t: &Target, path: &str, params: &[(&str, &str)]) -> Response {
    t.post(path)
        .bearer_auth(&t.admin_token)
        .query(params)
        .send()
        .unwrap()
}

/// `fetch_media` of one item.
pub fn fetch(t: &Target, id: &str) -> Value {
    let res = call(t, "/media/fetch_media", &[("media_ID", id)]);
    assert_eq!(res.status(), 200);
    res.json().unwrap()
}

/// The ids `fetch_all_media_metadata` lists.
pub fn all_metadata_ids(t: &Target) -> Vec<String> {
    let res = call(t, "/media/fetch_all_media_metadata", &[]);
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().unwrap();
    list.iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}
