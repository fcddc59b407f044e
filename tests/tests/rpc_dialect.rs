//! The RPC dialect (seed 000), example by example: every endpoint, every
//! field of its responses, its token carriers and its error shape.

use mediakit_e2e::{Target, fixtures, sha256_hex, unique};
use reqwest::blocking::{Response, multipart};
use serde_json::{Value, json};

/// The RPC error shape: `{"success": 0, "error": "<code>", "message": …}`.
fn rpc_error(res: Response) -> (u16, String) {
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
fn upload(t: &Target, token: &str, files: &[(&str, &[u8])]) -> Response {
    let mut form = multipart::Form::new();
    for (name, bytes) in files {
        form = form.part(
            "media",
            multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
    }
    t.post("/media/upload_media")
        .bearer_auth(token)
        .multipart(form)
        .send()
        .unwrap()
}

/// Uploads one file and returns its media id.
fn upload_one(t: &Target, name: &str, bytes: &[u8]) -> String {
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
fn call(t: &Target, path: &str, params: &[(&str, &str)]) -> Response {
    t.post(path)
        .bearer_auth(&t.admin_token)
        .query(params)
        .send()
        .unwrap()
}

fn fetch(t: &Target, id: &str) -> Value {
    let res = call(t, "/media/fetch_media", &[("media_ID", id)]);
    assert_eq!(res.status(), 200);
    res.json().unwrap()
}

fn now_secs() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}

fn all_metadata_ids(t: &Target) -> Vec<String> {
    let res = call(t, "/media/fetch_all_media_metadata", &[]);
    assert_eq!(res.status(), 200);
    let list: Vec<Value> = res.json().unwrap();
    list.iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn upload_media_answers_per_file_with_a_task() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let good = format!("{}.jpg", unique("upload_image"));
    let svg = format!("{}.svg", unique("logo"));
    let bad = format!("{}.jpg", unique("not-an-image"));
    let files_before = t.data_files();
    let res = upload(
        &t,
        &t.admin_token,
        &[
            (&good, &jpeg),
            (&bad, &fixtures::read("not-a-jpeg.txt")),
            (&svg, &fixtures::read("logo.svg")),
        ],
    );
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(body["message"], "File upload request recieved");
    let task_id = body["data"]["task_ID"].as_str().unwrap().to_owned();
    assert!(!task_id.is_empty());
    let results = body["data"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for (r, name) in results.iter().zip([&good, &bad, &svg]) {
        assert_eq!(&r["original_filename"], name);
    }
    assert_eq!(results[0]["success"], 1);
    assert_eq!(results[2]["success"], 1);
    assert_eq!(results[1]["success"], 0);
    assert_eq!(results[1]["key"], Value::Null);
    assert_eq!(results[1]["error"]["code"], "unsupported_type");
    let key = results[0]["key"].as_str().unwrap();
    let svg_key = results[2]["key"].as_str().unwrap();

    // The key is the media id every dialect uses.
    let m = fetch(&t, key);
    assert_eq!(m["metadata"]["id"], key);
    assert_eq!(m["metadata"]["filename"], good.trim_end_matches(".jpg"));
    let rest = t
        .get(&format!("/api/v1/media/{key}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(rest.status(), 200);

    // The refused file left nothing: only the two stored items' files are new.
    assert!(!t.listed(&bad));
    if t.is_native() {
        let new: Vec<_> = t
            .data_files()
            .difference(&files_before)
            .filter(|p| p.starts_with("blobs"))
            .cloned()
            .collect();
        assert!(!new.is_empty());
        assert!(
            new.iter().all(|p| {
                let p = p.to_string_lossy();
                p.contains(key) || p.contains(svg_key)
            }),
            "only the stored items' files appear: {new:?}"
        );
    }

    let res = t
        .get("/media/task_status")
        .bearer_auth(&t.admin_token)
        .query(&[("task_ID", &task_id)])
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let status: Value = res.json().unwrap();
    assert_eq!(status["task_ID"], task_id);
    assert_eq!(status["state"], "partial");
    assert!((status["creation_time"].as_f64().unwrap() - now_secs()).abs() < 120.0);
    let files = status["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["state"], "done");
    assert_eq!(files[0]["media_ID"], key);
    assert_eq!(files[1]["state"], "failed");
    assert_eq!(files[1]["media_ID"], Value::Null);
    assert_eq!(files[1]["error"]["code"], "unsupported_type");
    assert_eq!(files[2]["media_ID"], svg_key);

    // A task is its uploader's: another token sees 404.
    let other = t.token(&["media:upload", "media:read"]);
    let res = t
        .get("/media/task_status")
        .query(&[("task_ID", &task_id), ("auth_token", &other)])
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (404, "not_found".into()));
    let res = t
        .get("/media/task_status")
        .bearer_auth(&t.admin_token)
        .query(&[("task_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d")])
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (404, "not_found".into()));
}

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
    let rest: Value = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
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
    let res = t
        .post("/media/fetch_media")
        .bearer_auth(&t.admin_token)
        .header("x-forwarded-proto", "https")
        .query(&[("media_ID", &id)])
        .send()
        .unwrap();
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

#[test]
fn mark_as_deleted_and_unlisted_report_changes_and_reverse() {
    let t = Target::start();
    let id = upload_one(
        &t,
        &format!("{}.jpg", unique("marks")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let instance_url = fetch(&t, &id)["instances"][1]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_metadata_ids(&t).contains(&id));

    let mark = |path: &str, flag: &str, value: &str| -> Value {
        let res = call(&t, path, &[("media_ID", &id), (flag, value)]);
        assert_eq!(res.status(), 200);
        res.json().unwrap()
    };
    let deleted = "/media/mark_media_as_deleted";
    let unlisted = "/media/mark_media_as_unlisted";

    assert_eq!(mark(unlisted, "mark_as_unlisted", "true"), json!(true));
    assert_eq!(
        mark(unlisted, "mark_as_unlisted", "true"),
        json!(false),
        "no change"
    );
    assert!(
        !all_metadata_ids(&t).contains(&id),
        "unlisted leave the listing"
    );
    assert_eq!(fetch(&t, &id)["metadata"]["is_unlisted"], true);
    assert_eq!(
        t.client().get(&instance_url).send().unwrap().status(),
        200,
        "unlisted files are still served"
    );
    assert_eq!(mark(unlisted, "mark_as_unlisted", "false"), json!(true));
    assert_eq!(mark(unlisted, "mark_as_unlisted", "false"), json!(false));
    assert!(all_metadata_ids(&t).contains(&id));

    assert_eq!(mark(deleted, "mark_as_deleted", "true"), json!(true));
    assert_eq!(
        mark(deleted, "mark_as_deleted", "True"),
        json!(false),
        "no change"
    );
    assert!(
        !all_metadata_ids(&t).contains(&id),
        "deleted leave the listing"
    );
    assert_eq!(t.client().get(&instance_url).send().unwrap().status(), 404);
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["is_deleted"], true, "admins still see it");
    assert!((m["metadata"]["deletion_time"].as_f64().unwrap() - now_secs()).abs() < 120.0);
    let reader = t.token(&["media:read"]);
    let res = t
        .post("/media/fetch_media")
        .query(&[("media_ID", id.as_str()), ("auth_token", &reader)])
        .send()
        .unwrap();
    assert_eq!(
        rpc_error(res),
        (404, "not_found".into()),
        "a token that cannot restore sees a deleted item as gone"
    );
    let res = call(
        &t,
        unlisted,
        &[("media_ID", &id), ("mark_as_unlisted", "true")],
    );
    assert_eq!(rpc_error(res), (404, "not_found".into()));

    assert_eq!(
        mark(deleted, "mark_as_deleted", "false"),
        json!(true),
        "restored"
    );
    assert_eq!(mark(deleted, "mark_as_deleted", "0"), json!(false));
    assert_eq!(
        t.client().get(&instance_url).send().unwrap().status(),
        200,
        "its files are back"
    );
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["is_deleted"], false);
    assert_eq!(m["metadata"]["deletion_time"], json!(0));
    assert!(all_metadata_ids(&t).contains(&id));
}

#[test]
fn update_media_metadata_echoes_what_was_stored() {
    let t = Target::start();
    let id = upload_one(
        &t,
        &format!("{}.jpg", unique("IMG_0001")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let update = |params: &[(&str, &str)]| -> Value {
        let mut all = vec![("media_ID", id.as_str())];
        all.extend_from_slice(params);
        let res = call(&t, "/update_media_metadata", &all);
        assert_eq!(res.status(), 200);
        let body: Value = res.json().unwrap();
        assert_eq!(body["success"], 1);
        body["new_metadata"].clone()
    };

    // The seed's example: its client sent the quotes as part of the value.
    assert_eq!(
        update(&[("alt_text", "\"HEISANN!!\"")]),
        json!({"alt_text": "\"HEISANN!!\""})
    );
    assert_eq!(
        update(&[("alt_text", "  HEISANN!!  ")]),
        json!({"alt_text": "HEISANN!!"}),
        "stored trimmed, and that is what comes back"
    );
    assert_eq!(
        update(&[
            ("filename", "holiday"),
            ("author_credit_subtext", "Photo: A. Person"),
            ("is_unlisted", "true"),
        ]),
        json!({"filename": "holiday", "author_credit_subtext": "Photo: A. Person", "is_unlisted": true})
    );
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["filename"], "holiday");
    assert_eq!(m["metadata"]["file_extention"], "jpg");
    assert_eq!(m["metadata"]["alt_text"], "HEISANN!!");
    assert_eq!(m["metadata"]["author_credit_subtext"], "Photo: A. Person");
    assert_eq!(m["metadata"]["is_unlisted"], true);
    let rest: Value = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        rest["original_filename"], "holiday.jpg",
        "the extension stays"
    );
    assert_eq!(rest["alt_text"], "HEISANN!!");

    assert_eq!(
        update(&[("alt_text", ""), ("is_unlisted", "false")]),
        json!({"alt_text": null, "is_unlisted": false}),
        "blank clears"
    );
    assert_eq!(
        update(&[("is_deleted", "true")]),
        json!({"is_deleted": true})
    );
    assert_eq!(fetch(&t, &id)["metadata"]["is_deleted"], true);
    let res = call(
        &t,
        "/update_media_metadata",
        &[("media_ID", &id), ("alt_text", "edit while deleted")],
    );
    assert_eq!(rpc_error(res), (404, "not_found".into()));
    assert_eq!(
        update(&[("is_deleted", "false"), ("alt_text", "back")]),
        json!({"is_deleted": false, "alt_text": "back"}),
        "restore and edit in one call"
    );
    assert_eq!(fetch(&t, &id)["metadata"]["alt_text"], "back");

    // JSON bodies carry typed values.
    let res = t
        .post("/update_media_metadata")
        .bearer_auth(&t.admin_token)
        .json(&json!({"media_ID": id, "is_unlisted": false, "alt_text": "json"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(
        body,
        json!({"new_metadata": {"is_unlisted": false, "alt_text": "json"}, "success": 1})
    );
}

#[test]
fn every_token_carrier_works_and_scopes_are_enforced() {
    let t = Target::start();
    let id = upload_one(
        &t,
        &format!("{}.jpg", unique("auth")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
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

/// An endpoint, its parameters, and the expected status and error code.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, (u16, &'a str));

#[test]
fn bad_requests_get_rpc_errors_and_store_nothing() {
    let t = Target::start();
    let id = upload_one(
        &t,
        &format!("{}.jpg", unique("bad")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let before = fetch(&t, &id);
    let id = id.as_str();
    let long = "a".repeat(256);
    let cases: Vec<Case> = vec![
        ("/media/fetch_media", vec![], (400, "invalid_request")),
        (
            "/media/fetch_media",
            vec![("media_ID", "  ")],
            (400, "invalid_request"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d")],
            (404, "not_found"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", "1726829477543921-De1ySZKWvQEN")],
            (404, "not_found"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", id), ("extra", "1")],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_deleted",
            vec![("media_ID", id)],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_deleted",
            vec![("media_ID", id), ("mark_as_deleted", "maybe")],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_unlisted",
            vec![("media_ID", "nope"), ("mark_as_unlisted", "true")],
            (404, "not_found"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id)],
            (400, "invalid_request"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("tags", "x")],
            (400, "invalid_request"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("filename", " ")],
            (400, "invalid_filename"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("filename", "../../etc/passwd")],
            (400, "invalid_filename"),
        ),
        (
            "/update_media_metadata",
            vec![
                ("media_ID", id),
                ("is_unlisted", "true"),
                ("alt_text", &long),
            ],
            (400, "alt_text_too_long"),
        ),
    ];
    for (path, params, expect) in cases {
        let res = call(&t, path, &params);
        assert_eq!(
            rpc_error(res),
            (expect.0, expect.1.to_owned()),
            "{path} {params:?}"
        );
    }
    assert_eq!(fetch(&t, id), before, "refused calls changed nothing");

    // The same parameter twice (query and body) is refused, not guessed.
    let res = t
        .post("/media/fetch_media")
        .bearer_auth(&t.admin_token)
        .query(&[("media_ID", &id)])
        .form(&[("media_ID", &id)])
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    let res = t
        .post("/media/fetch_media")
        .bearer_auth(&t.admin_token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    let res = t
        .get("/media/fetch_media")
        .bearer_auth(&t.admin_token)
        .query(&[("media_ID", &id)])
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (405, "method_not_allowed".into()));

    // Files: unknown instances and mismatched URLs are 404.
    let inst = before["instances"][0]["instance_id"].as_str().unwrap();
    for bad in [
        format!("{id}-nosuchvariant"),
        "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d-original".to_owned(),
        "17268294775593667-iUZYiIR1TWgn".to_owned(),
    ] {
        let res = t
            .get("/media/fetch_media_instance")
            .query(&[("instance_ID", &bad)])
            .send()
            .unwrap();
        assert_eq!(rpc_error(res), (404, "not_found".into()), "{bad}");
    }
    let res = t.get("/media/fetch_media_instance").send().unwrap();
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    for path in [
        format!("/volume/media/files/0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d/{inst}.jpg"),
        format!("/volume/media/files/{id}/{inst}.png"),
        format!("/volume/media/files/{id}/{inst}"),
    ] {
        assert_eq!(
            rpc_error(t.get(&path).send().unwrap()),
            (404, "not_found".into()),
            "{path}"
        );
    }
}

#[test]
fn bad_uploads_get_rpc_errors_and_store_nothing() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let files_before = t.data_files();

    let res = t
        .post("/media/upload_media")
        .bearer_auth(&t.admin_token)
        .json(&json!({"media": "x"}))
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (400, "malformed_multipart".into()));
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(jpeg.clone()).file_name("a.jpg"),
    );
    let res = t
        .post("/media/upload_media")
        .bearer_auth(&t.admin_token)
        .multipart(form)
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (400, "file_missing".into()));

    // A body that breaks after a good file: the request is refused whole,
    // and the file it already stored is removed again.
    let marker = unique("half");
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{marker}.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(&jpeg);
    body.extend_from_slice(
        format!("\r\n--XYZ\r\nContent-Disposition: form-data; name=\"media\"; filename=\"{marker}-2.jpg\"\r\n\r\nunterminated").as_bytes(),
    );
    let res = t
        .post("/media/upload_media")
        .bearer_auth(&t.admin_token)
        .header("content-type", "multipart/form-data; boundary=XYZ")
        .body(body)
        .send()
        .unwrap();
    assert_eq!(rpc_error(res), (400, "malformed_multipart".into()));
    assert!(
        !t.listed(&format!("{marker}.jpg")),
        "the first file was undone"
    );
    if t.is_native() {
        let new: Vec<_> = t
            .data_files()
            .difference(&files_before)
            .filter(|p| p.starts_with("blobs"))
            .cloned()
            .collect();
        assert!(new.is_empty(), "no blob left behind: {new:?}");
    }

    // One file over the size limit is refused on its own; the rest go on.
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    let limit = limits["max_upload_bytes"].as_u64().unwrap() as usize;
    let mut big = jpeg.clone();
    big.resize(limit + 1024 * 1024, 0);
    let big_name = format!("{}.jpg", unique("big"));
    let small_name = format!("{}.jpg", unique("small"));
    let res = upload(
        &t,
        &t.admin_token,
        &[(&big_name, &big), (&small_name, &jpeg)],
    );
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    let results = body["data"]["results"].as_array().unwrap();
    assert_eq!(results[0]["success"], 0);
    assert_eq!(results[0]["error"]["code"], "file_too_large");
    assert_eq!(results[1]["success"], 1);
    assert!(!t.listed(&big_name));
    assert!(t.listed(&small_name));

    // At most 20 files per request: the 21st is refused, the 20 are kept.
    let svg = fixtures::read("logo.svg");
    let names: Vec<String> = (0..21)
        .map(|i| format!("{}-{i}.svg", unique("many")))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), svg.as_slice())).collect();
    let res = upload(&t, &t.admin_token, &files);
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    let results = body["data"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 21);
    assert!(results[..20].iter().all(|r| r["success"] == 1));
    assert_eq!(results[20]["success"], 0);
    assert_eq!(results[20]["error"]["code"], "invalid_request");
    assert!(!t.listed(&names[20]));
}

#[test]
fn a_read_only_instance_refuses_uploads_and_deletions() {
    // `--no-uploads` is a property of the native process.
    let t = Target::native(&["--no-uploads"]);
    let res = upload(
        &t,
        &t.admin_token,
        &[("a.jpg", &fixtures::read("photo-seeding-800.jpg"))],
    );
    assert_eq!(rpc_error(res), (503, "uploads_disabled".into()));
    let res = call(
        &t,
        "/media/mark_media_as_deleted",
        &[
            ("media_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d"),
            ("mark_as_deleted", "true"),
        ],
    );
    assert_eq!(rpc_error(res), (503, "uploads_disabled".into()));
    let res = call(&t, "/media/fetch_all_media_metadata", &[]);
    assert_eq!(res.status(), 200, "reading still works");
    assert_eq!(res.json::<Value>().unwrap(), json!([]));
}
