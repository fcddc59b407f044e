//! The CMS dialect (seed 001), example by example: `GET /media`,
//! `POST /media/edit/:id`, `POST /media/add`, `DELETE /media/delete/:id`,
//! their status codes, `{data, code}` bodies, permissions and cookie.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{ServerProcess, Target, fixtures, unique};
use reqwest::blocking::{RequestBuilder, Response};
use serde_json::{Value, json};

/// Sends with the token in the `refreshToken` cookie, as the seed's UI does.
fn with_cookie(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("cookie", format!("theme=dark; refreshToken={token}"))
}

/// A CMS body `{data, code}`; the HTTP status must equal `code`.
fn cms_body(res: Response) -> (u16, Value) {
    let status = res.status().as_u16();
    let text = res.text().unwrap_or_default();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("body is not JSON ({status}): {text:?}"));
    assert_eq!(body["code"], status, "code mirrors the status: {text}");
    assert!(body["data"].is_string(), "{text}");
    (status, body)
}

/// An error: status, the seed's `data` text, and the stable code.
fn cms_error(res: Response) -> (u16, String, String) {
    let (status, body) = cms_body(res);
    (
        status,
        body["data"].as_str().unwrap().to_owned(),
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

fn add(t: &Target, token: &str, body: &Value) -> Response {
    with_cookie(t.post("/media/add"), token)
        .json(body)
        .send()
        .unwrap()
}

/// Adds an image and returns its numeric id.
fn add_ok(t: &Target, name: &str, tags: Value) -> i64 {
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

fn list(t: &Target, query: &str) -> Value {
    let res = with_cookie(t.get(&format!("/media?{query}")), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    res.json().unwrap()
}

fn ids(listing: &Value) -> Vec<i64> {
    listing["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

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

#[test]
fn listing_orders_pages_and_counts() {
    let t = Target::start();
    let tag = unique("page");
    let added: Vec<i64> = (0..4)
        .map(|i| add_ok(&t, &format!("{tag}-{i}"), json!(tag)))
        .collect();
    let q = format!("search={tag}");

    let all = list(&t, &q);
    assert_eq!(
        ids(&all),
        added.iter().rev().copied().collect::<Vec<_>>(),
        "added-desc by default"
    );
    assert_eq!(
        (
            all["max"].as_u64(),
            all["from"].as_u64(),
            all["to"].as_u64()
        ),
        (Some(4), Some(1), Some(4))
    );
    let asc = list(&t, &format!("{q}&order=added-asc"));
    assert_eq!(ids(&asc), added);
    let desc = list(&t, &format!("{q}&order=added-desc"));
    assert_eq!(ids(&desc), ids(&all));

    let page = list(&t, &format!("{q}&order=added-asc&limit=2&offset=1"));
    assert_eq!(ids(&page), added[1..3]);
    assert_eq!(
        (
            page["max"].as_u64(),
            page["from"].as_u64(),
            page["to"].as_u64()
        ),
        (Some(4), Some(2), Some(3))
    );
    let tail = list(&t, &format!("{q}&order=added-asc&limit=20&offset=3"));
    assert_eq!(ids(&tail), added[3..]);
    assert_eq!(
        (tail["from"].as_u64(), tail["to"].as_u64()),
        (Some(4), Some(4))
    );
    let past = list(&t, &format!("{q}&offset=10"));
    assert!(ids(&past).is_empty());
    assert_eq!(
        (
            past["max"].as_u64(),
            past["from"].as_u64(),
            past["to"].as_u64()
        ),
        (Some(4), Some(11), Some(10)),
        "an empty window has to = from - 1"
    );
    let none = list(&t, &format!("{q}&limit=0"));
    assert!(ids(&none).is_empty());
    assert_eq!(none["max"], 4);
    let big = list(&t, &format!("{q}&limit=9007199254740991"));
    assert_eq!(
        ids(&big).len(),
        4,
        "the seed's default, Number.MAX_SAFE_INTEGER"
    );
}

#[test]
fn edit_updates_name_and_tags() {
    let t = Target::start();
    let id = add_ok(&t, &unique("before"), json!("old"));
    let name = unique("after");
    let edit = |body: Value| -> Response {
        with_cookie(t.post(&format!("/media/edit/{id}")), &t.admin_token)
            .json(&body)
            .send()
            .unwrap()
    };
    let (status, body) = cms_body(edit(
        json!({"name": format!("  {name} "), "tags": "a, b,,A , c"}),
    ));
    assert_eq!(status, 200);
    assert_eq!(body["data"], "Media updated successfully");
    let item = &list(&t, &format!("search={name}"))["media"][0];
    assert_eq!(item["id"], id);
    assert_eq!(item["name"], name);
    assert_eq!(item["tags"], json!(["a", "b", "c"]));

    let (status, _) = cms_body(edit(json!({"name": name, "tags": [" x ", "", "X", "y"]})));
    assert_eq!(status, 200);
    let item = &list(&t, &format!("search={name}"))["media"][0];
    assert_eq!(item["tags"], json!(["x", "y"]));
    let (status, _) = cms_body(edit(json!({"name": name, "tags": []})));
    assert_eq!(status, 200);
    assert_eq!(
        list(&t, &format!("search={name}"))["media"][0]["tags"],
        json!([])
    );

    // A form body works too; other fields of a posted-back item are ignored.
    let res = with_cookie(t.post(&format!("/media/edit/{id}")), &t.admin_token)
        .form(&[("name", name.as_str()), ("tags", "f1,f2")])
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200);
    let mut item = list(&t, &format!("search={name}"))["media"][0].clone();
    assert_eq!(item["tags"], json!(["f1", "f2"]));
    item["tags"] = json!(["g"]);
    assert_eq!(cms_body(edit(item)).0, 200);
    assert_eq!(
        list(&t, &format!("search={name}"))["media"][0]["tags"],
        json!(["g"])
    );
}

#[test]
fn delete_hides_media_and_its_files() {
    let t = Target::start();
    let name = unique("doomed");
    let id = add_ok(&t, &name, json!([]));
    let path = list(&t, &format!("search={name}"))["media"][0]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = with_cookie(t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .send()
        .unwrap();
    let (status, body) = cms_body(res);
    assert_eq!(status, 200);
    assert_eq!(body["data"], "Media deleted successfully");
    assert_eq!(list(&t, &format!("search={name}"))["max"], 0);
    assert_eq!(
        t.get(&path).send().unwrap().status(),
        404,
        "files go at once"
    );
    let res = with_cookie(t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(
        cms_error(res),
        (404, "Media not found".into(), "not_found".into()),
        "deleting twice"
    );
    let res = with_cookie(t.post(&format!("/media/edit/{id}")), &t.admin_token)
        .json(&json!({"name": "x", "tags": []}))
        .send()
        .unwrap();
    assert_eq!(cms_error(res).0, 404, "a deleted item cannot be edited");
}

/// Builds the same request again (one per credential tried).
type MakeRequest<'a> = Box<dyn Fn() -> RequestBuilder + 'a>;

#[test]
fn permissions_map_onto_scopes_and_the_cookie_or_bearer_carries_them() {
    let t = Target::start();
    let id = add_ok(&t, &unique("perm"), json!([]));
    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    // Tokens named with the CMS's own permission names.
    let view = t.token(&["view-media"]);
    let add_token = t.token(&["add-media"]);
    let edit = t.token(&["edit-media"]);
    let delete = t.token(&["delete-media"]);
    let name = unique("perm-added");
    let requests: Vec<(&str, &String, MakeRequest)> = vec![
        ("list", &view, Box::new(|| t.get("/media?limit=1"))),
        (
            "add",
            &add_token,
            Box::new(|| {
                t.post("/media/add")
                    .json(&json!({"name": name, "tags": [], "image": image}))
            }),
        ),
        (
            "edit",
            &edit,
            Box::new(|| {
                t.post(&format!("/media/edit/{id}"))
                    .json(&json!({"name": "edited", "tags": "t"}))
            }),
        ),
        (
            "delete",
            &delete,
            Box::new(|| t.delete(&format!("/media/delete/{id}"))),
        ),
    ];
    for (what, right, make) in &requests {
        let (status, body) = cms_body(make().send().unwrap());
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{what}: no token"
        );
        let res = with_cookie(make(), "mk_not-a-real-token").send().unwrap();
        assert_eq!(cms_error(res).0, 401, "{what}: bad token");
        for (other, wrong, _) in &requests {
            if other == what {
                continue;
            }
            let res = with_cookie(make(), wrong).send().unwrap();
            assert_eq!(cms_error(res).0, 403, "{what} with {other}'s permission");
        }
        let res = with_cookie(make(), right).send().unwrap();
        assert_eq!(res.status(), 200, "{what} with its permission (cookie)");
    }
    // Bearer works as well as the cookie.
    let res = t.get("/media?limit=1").bearer_auth(&view).send().unwrap();
    assert_eq!(res.status(), 200);
}

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
    let res = with_cookie(t.post("/media/add"), &t.admin_token)
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
            with_cookie(t.post(path), &t.admin_token)
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
    let del = |path: &str| cms_error(with_cookie(t.delete(path), &t.admin_token).send().unwrap());
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
        let res = with_cookie(t.get(&format!("/media?{q}")), &t.admin_token)
            .send()
            .unwrap();
        assert_eq!(cms_error(res).0, 400, "{q}");
    }
    // A known path with another method answers in this dialect's shape.
    let res = with_cookie(t.get("/media/add"), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(cms_error(res).2, "method_not_allowed");
}

#[test]
fn a_read_only_instance_serves_the_store_but_refuses_adds_and_deletes() {
    // The seed splits roles: API instances without uploads over the same
    // store. Natively: fill a store, restart it with --no-uploads.
    let server = ServerProcess::start(&[]);
    let t = Target::native_from(server);
    let name = unique("shared");
    let id = add_ok(&t, &name, json!(["ro"]));
    let admin = t.admin_token.clone();
    let data = t.into_server().unwrap().stop_keep_data();
    let t = Target::native_from(ServerProcess::start_in(data, &["--no-uploads"]));
    assert_eq!(t.admin_token, admin);

    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let res = add(
        &t,
        &admin,
        &json!({"name": "x", "tags": [], "image": image}),
    );
    assert_eq!(
        cms_error(res),
        (
            503,
            "This service is not handling file uploads.".into(),
            "uploads_disabled".into()
        )
    );
    for path in [
        format!("/media/delete/{id}"),
        "/media/delete/999999".to_owned(),
    ] {
        let res = with_cookie(t.delete(&path), &admin).send().unwrap();
        assert_eq!(
            cms_error(res),
            (
                503,
                "This service is not handling file uploads.".into(),
                "uploads_disabled".into()
            ),
            "{path}"
        );
    }
    let listing = list(&t, &format!("search={name}"));
    assert_eq!(ids(&listing), [id], "the item is still there and listed");
    // Editing metadata is not an upload: the seed does not gate it.
    let res = with_cookie(t.post(&format!("/media/edit/{id}")), &admin)
        .json(&json!({"name": name, "tags": ["ro", "edited"]}))
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200);
}

#[test]
fn a_failing_store_gets_the_seed_failure_text() {
    // Natively, the blob directory is swapped for a plain file, so that
    // writing the image fails as a broken disk would.
    let t = Target::native(&[]);
    add_ok(&t, &unique("first"), json!([]));
    let Some(server) = t.local_storage_only("swaps the blob directory for a file") else {
        return;
    };
    let media_dir = server.data_dir().join("blobs").join("media");
    let aside = server.data_dir().join("blobs").join("media-aside");
    std::fs::rename(&media_dir, &aside).unwrap();
    std::fs::write(&media_dir, b"not a directory").unwrap();
    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let name = unique("broken");
    let res = add(
        &t,
        &t.admin_token,
        &json!({"name": name, "tags": [], "image": image}),
    );
    let (status, data, code) = cms_error(res);
    std::fs::remove_file(&media_dir).unwrap();
    std::fs::rename(&aside, &media_dir).unwrap();
    assert_eq!(
        (status, data.as_str(), code.as_str()),
        (503, "Error adding media", "storage_unavailable")
    );
    assert_eq!(list(&t, &format!("search={name}"))["max"], 0);
}
