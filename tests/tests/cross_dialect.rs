//! One store, three dialects: what one dialect writes the others read,
//! edit and delete.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{Target, error_code, fixtures, rpc, unique};
use reqwest::blocking::{RequestBuilder, Response};
use serde_json::{Value, json};

/// Sends `request` the CMS way: the admin token in the `refreshToken`
/// cookie, from a page of the server's own origin, as the CMS's UI does.
fn send_to_cms(t: &Target, request: RequestBuilder) -> Response {
    request
        .header("cookie", format!("refreshToken={}", t.admin_token))
        .header("origin", &t.base)
        .send()
        .unwrap()
}

fn cms_find(t: &Target, search: &str) -> Vec<Value> {
    let res = send_to_cms(t, t.get(&format!("/media?search={search}")));
    assert_eq!(res.status(), 200);
    res.json::<Value>().unwrap()["media"]
        .as_array()
        .unwrap()
        .clone()
}

fn rpc(t: &Target, path: &str, params: &[(&str, &str)]) -> Value {
    let res = t
        .post(path)
        .query(params)
        .query(&[("auth_token", &t.admin_token)])
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    res.json().unwrap()
}

fn rpc_listed(t: &Target, id: &str) -> bool {
    rpc(t, "/media/fetch_all_media_metadata", &[])
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["id"] == id)
}

#[test]
fn upload_rpc_edit_cms_delete_rest_restore_rpc() {
    let t = Target::start();
    let stem = unique("crossing");

    // Upload through the RPC dialect.
    let id = rpc::upload_one(
        &t,
        &format!("{stem}.jpg"),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let instance_url = rpc(&t, "/media/fetch_media", &[("media_ID", &id)])["instances"][0]["url"]
        .as_str()
        .unwrap()
        .to_owned();

    // Listed by the CMS under its numeric id, the same as REST's `number`.
    let found = cms_find(&t, &stem);
    assert_eq!(found.len(), 1);
    let seq = found[0]["id"].as_i64().unwrap();
    assert_eq!(
        found[0]["name"], stem,
        "the name defaults to the filename stem"
    );
    let rest: Value = t.get_media(&id).json().unwrap();
    assert_eq!(rest["number"], seq);
    assert_eq!(
        found[0]["path"],
        format!("/{}", rest["path"].as_str().unwrap())
    );

    // Edited through the CMS.
    let new_name = unique("renamed");
    let res = send_to_cms(
        &t,
        t.post(&format!("/media/edit/{seq}"))
            .json(&json!({"name": new_name, "tags": "harbour, boats"})),
    );
    assert_eq!(res.status(), 200);

    // Fetched through REST, with the edit.
    let res = t.get_media(&id);
    assert_eq!(res.status(), 200);
    let rest: Value = res.json().unwrap();
    assert_eq!(rest["name"], new_name);
    assert_eq!(rest["tags"], json!(["harbour", "boats"]));
    assert_eq!(rest["original_filename"], format!("{stem}.jpg"));

    // Deleted through REST: gone from every dialect, files included.
    assert_eq!(t.delete_media(&id).status(), 204);
    assert!(cms_find(&t, &new_name).is_empty());
    assert!(!rpc_listed(&t, &id));
    assert_eq!(t.client().get(&instance_url).send().unwrap().status(), 404);
    assert_eq!(t.file(&rest).status(), 404);
    assert_eq!(
        rpc(&t, "/media/fetch_media", &[("media_ID", &id)])["metadata"]["is_deleted"],
        true
    );

    // Restored through RPC: back everywhere, edits kept.
    assert_eq!(
        rpc(
            &t,
            "/media/mark_media_as_deleted",
            &[("media_ID", &id), ("mark_as_deleted", "false")]
        ),
        json!(true)
    );
    let res = t.get_media(&id);
    assert_eq!(res.status(), 200);
    let back: Value = res.json().unwrap();
    assert_eq!(back["deleted_at"], Value::Null);
    assert_eq!(back["name"], new_name);
    let found = cms_find(&t, &new_name);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["id"], seq, "same numeric id");
    assert_eq!(found[0]["tags"], json!(["harbour", "boats"]));
    assert!(rpc_listed(&t, &id));
    assert_eq!(t.client().get(&instance_url).send().unwrap().status(), 200);
    assert_eq!(t.file(&back).status(), 200);
}

#[test]
fn cms_and_rest_uploads_are_visible_to_the_other_dialects() {
    let t = Target::start();

    // Added through the CMS: a REST and RPC item like any other.
    let name = unique("from-cms");
    let res = t.send_as_admin(t.post("/media/add").json(&json!({
        "name": name,
        "tags": ["cms"],
        "image": STANDARD.encode(fixtures::read("photo-alpha.png")),
    })));
    assert_eq!(res.status(), 200);
    let seq = res.json::<Value>().unwrap()["id"].as_i64().unwrap();
    let listed = t.list_all(&format!("q={name}"));
    assert_eq!(listed.len(), 1);
    let m = &listed[0];
    assert_eq!(m["number"], seq);
    assert_eq!(m["mime_type"], "image/png", "the bytes decide the type");
    assert_eq!(m["tags"], json!(["cms"]));
    let id = m["id"].as_str().unwrap();
    let fetched = rpc(&t, "/media/fetch_media", &[("media_ID", id)]);
    assert_eq!(fetched["metadata"]["filename"], name);
    assert_eq!(fetched["metadata"]["file_extention"], "png");

    // Uploaded through REST, unlisted through RPC: hidden from the CMS and
    // REST listings, still readable by id.
    let file = format!("{}.jpg", unique("from-rest"));
    let rest = t.upload_ok(&file, &fixtures::read("photo-seeding-800.jpg"));
    let id = rest["id"].as_str().unwrap();
    let stem = file.trim_end_matches(".jpg");
    assert_eq!(cms_find(&t, stem).len(), 1);
    assert_eq!(
        rpc(
            &t,
            "/media/mark_media_as_unlisted",
            &[("media_ID", id), ("mark_as_unlisted", "true")]
        ),
        json!(true)
    );
    assert!(cms_find(&t, stem).is_empty());
    assert!(!t.listed(&file));
    let got: Value = t.get_media(id).json().unwrap();
    assert_eq!(got["unlisted"], true);

    // Deleted through the CMS: REST answers 404, RPC can restore.
    let seq = rest["number"].as_i64().unwrap();
    let res = send_to_cms(&t, t.delete(&format!("/media/delete/{seq}")));
    assert_eq!(res.status(), 200);
    assert_eq!(error_code(t.get_media(id)), (404, "not_found".into()));
    assert_eq!(
        rpc(
            &t,
            "/update_media_metadata",
            &[
                ("media_ID", id),
                ("is_deleted", "false"),
                ("is_unlisted", "false")
            ]
        )["new_metadata"],
        json!({"is_deleted": false, "is_unlisted": false})
    );
    assert_eq!(t.get_media(id).status(), 200);
    assert!(t.listed(&file));
}
