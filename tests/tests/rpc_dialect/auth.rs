//! Token carriers (header, query, form field) and scopes.

use super::support::*;
use mediakit_e2e::{Target, fixtures, unique};
use reqwest::blocking::multipart;
use serde_json::{Value, json};

#[test]
fn every_token_carrier_works_and_scopes_are_enforced() {
    let t = Target::start();
    let id = upload_photo(&t, "auth");
    let reader = t.token(&["media:read"]);
    let fetch_with = |req: reqwest::blocking::RequestBuilder| req.send().unwrap().status();
    let path = "/media/fetch_media";
    assert_eq!(
        fetch_with(
            t.post(path)
                .query(&[("media_ID", &id), ("auth_token", &reader)])
        ),
        200,
        "query"
    );
    assert_eq!(
        fetch_with(
            t.post(path)
                .form(&[("media_ID", &id), ("auth_token", &reader)])
        ),
        200,
        "form"
    );
    assert_eq!(
        fetch_with(
            t.post(path)
                .json(&json!({"media_ID": id, "auth_token": reader}))
        ),
        200,
        "JSON"
    );
    assert_eq!(
        fetch_with(
            t.post(path)
                .bearer_auth(&reader)
                .query(&[("media_ID", &id)])
        ),
        200,
        "bearer"
    );

    let res = t.post(path).query(&[("media_ID", &id)]).send().unwrap();
    assert_eq!(rpc_error(res), (401, "unauthorized".into()));
    let res = t
        .post(path)
        .query(&[("media_ID", id.as_str()), ("auth_token", "mk_nope")])
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (401, "unauthorized".into()));
    let forbidden = [
        (
            "/media/mark_media_as_deleted",
            vec![("media_ID", id.as_str()), ("mark_as_deleted", "true")],
        ),
        (
            "/media/mark_media_as_unlisted",
            vec![("media_ID", id.as_str()), ("mark_as_unlisted", "true")],
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id.as_str()), ("alt_text", "x")],
        ),
    ];
    for (path, params) in forbidden {
        let res = t
            .post(path)
            .bearer_auth(&reader)
            .query(&params)
            .send()
            .unwrap();
        assert_eq!(rpc_error(res), (403, "forbidden".into()), "{path}");
    }
    let editor = t.token(&["media:edit"]);
    let res = t
        .post("/update_media_metadata")
        .bearer_auth(&editor)
        .query(&[("media_ID", id.as_str()), ("is_deleted", "true")])
        .send()
        .unwrap();
    assert_eq!(
        rpc_error(res),
        (403, "forbidden".into()),
        "is_deleted needs media:delete"
    );
    assert_eq!(fetch(&t, &id)["metadata"]["is_deleted"], false);

    // Uploads: a token in the query, or an auth_token field before the files.
    let uploader = t.token(&["media:upload"]);
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let part = || multipart::Part::bytes(jpeg.clone()).file_name("a.jpg");
    let res = t
        .post("/media/upload_media")
        .query(&[("auth_token", &uploader)])
        .multipart(multipart::Form::new().part("media", part()))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let form = multipart::Form::new()
        .text("auth_token", uploader.clone())
        .part("media", part());
    let res = t
        .post("/media/upload_media")
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(body["data"]["results"][0]["success"], 1);
    let marker = unique("late-token");
    let files_before = t.data_files();
    let form = multipart::Form::new()
        .part(
            "media",
            multipart::Part::bytes(jpeg.clone()).file_name(format!("{marker}.jpg")),
        )
        .text("auth_token", uploader.clone());
    let res = t
        .post("/media/upload_media")
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(
        rpc_error(res),
        (401, "unauthorized".into()),
        "files before the token"
    );
    assert!(!t.listed(&format!("{marker}.jpg")));
    assert_eq!(t.data_files(), files_before);
    let res = upload(&t, &reader, &[("a.jpg", &jpeg)]);
    assert_eq!(rpc_error(res), (403, "forbidden".into()));
}
