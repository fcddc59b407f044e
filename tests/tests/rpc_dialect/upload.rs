//! `upload_media`: per-file results, tasks, refused uploads.

use super::support::*;
use mediakit_e2e::{Target, fixtures, unique};
use reqwest::blocking::multipart;
use serde_json::{Value, json};

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
    assert_eq!(t.get_media(key).status(), 200);

    // The refused file left nothing: only the two stored items' files are new.
    assert!(!t.listed(&bad));
    if t.is_native() {
        let new = t.new_blobs(&files_before);
        assert!(!new.is_empty());
        assert!(
            new.iter().all(|p| {
                let p = p.to_string_lossy();
                p.contains(key) || p.contains(svg_key)
            }),
            "only the stored items' files appear: {new:?}"
        );
    }

    let res = t.send_as_admin(t.get("/media/task_status").query(&[("task_ID", &task_id)]));
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
    let res = t.send_as_admin(
        t.get("/media/task_status")
            .query(&[("task_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d")]),
    );
    assert_eq!(rpc_error(res), (404, "not_found".into()));
}

#[test]
fn bad_uploads_get_rpc_errors_and_store_nothing() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let files_before = t.data_files();

    let res = t.send_as_admin(t.post("/media/upload_media").json(&json!({"media": "x"})));
    assert_eq!(rpc_error(res), (400, "malformed_multipart".into()));
    let form = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(jpeg.clone()).file_name("a.jpg"),
    );
    let res = upload_form(&t, &t.admin_token, form);
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
    let res = t.send_as_admin(
        t.post("/media/upload_media")
            .header("content-type", "multipart/form-data; boundary=XYZ")
            .body(body),
    );
    assert_eq!(rpc_error(res), (400, "malformed_multipart".into()));
    assert!(
        !t.listed(&format!("{marker}.jpg")),
        "the first file was undone"
    );
    if t.is_native() {
        let new = t.new_blobs(&files_before);
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
