//! Bad input gets its documented 4xx with a JSON error, and nothing is
//! stored: the listing does not show it and (natively) no file appears in the
//! data directory.

use mediakit_e2e::{Target, error_code, fixtures, unique};
use reqwest::blocking::Response;

/// Runs `send`, checks status and code, then that nothing was stored.
fn rejected(t: &Target, marker: &str, expect: (u16, &str), send: impl FnOnce() -> Response) {
    let files_before = t.data_files();
    let res = send();
    assert_eq!(error_code(res), (expect.0, expect.1.to_owned()), "{marker}");
    assert!(!t.listed(marker), "{marker} must not be listed");
    assert_eq!(
        t.data_files(),
        files_before,
        "{marker}: no file may be written"
    );
}

fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0d".to_vec();
    png.extend_from_slice(&ihdr);
    png.extend_from_slice(&crc32fast::hash(&ihdr).to_be_bytes());
    // A little IDAT so that the file is not merely a header.
    png.extend_from_slice(&[0, 0, 0, 2, b'I', b'D', b'A', b'T', 0x78, 0x9c, 0, 0, 0, 0]);
    png
}

#[test]
fn bad_files_are_refused_and_nothing_is_stored() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let cases: Vec<(String, Vec<u8>, (u16, &str))> = vec![
        (
            format!("{}.jpg", unique("empty")),
            Vec::new(),
            (400, "file_empty"),
        ),
        (
            format!("{}.jpg", unique("truncated")),
            jpeg[..jpeg.len() / 2].to_vec(),
            (422, "image_corrupt"),
        ),
        (
            format!("{}.jpg", unique("text")),
            fixtures::read("not-a-jpeg.txt"),
            (400, "unsupported_type"),
        ),
        (
            format!("{}.png", unique("bomb")),
            png_claiming(100_000, 100_000),
            (422, "image_too_many_pixels"),
        ),
        (
            format!("{}.svg", unique("script")),
            fixtures::read("script.svg"),
            (422, "svg_unsafe"),
        ),
        (
            format!("{}.exe", unique("exe")),
            b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff".to_vec(),
            (400, "unsupported_type"),
        ),
    ];
    for (name, bytes, expect) in cases {
        rejected(&t, &name, expect, || t.upload(&name, &bytes));
    }
}

#[test]
fn path_traversal_filenames_are_refused() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    for name in ["../../etc/passwd", "..\\..\\windows\\win.ini", "a/b.jpg"] {
        rejected(&t, name, (400, "invalid_filename"), || {
            t.upload(name, &jpeg)
        });
        assert!(!t.listed("passwd"));
    }
}

#[test]
fn files_over_the_limit_get_413() {
    let t = Target::start();
    // The limit plus 1 MiB (11 MiB with the default 10 MiB limit) of a valid
    // JPEG followed by padding: refused by size before anything else.
    let limits: serde_json::Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    let limit = limits["max_upload_bytes"].as_u64().unwrap() as usize;
    let mut big = fixtures::read("photo-seeding-800.jpg");
    big.resize(limit + 1024 * 1024, 0);
    let name = format!("{}.jpg", unique("big"));
    rejected(&t, &name, (413, "file_too_large"), || t.upload(&name, &big));
}

#[test]
fn malformed_multipart_and_missing_fields() {
    let t = Target::start();
    let marker = unique("malformed");
    rejected(&t, &marker, (400, "malformed_multipart"), || {
        let body = format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{marker}.jpg\"\r\n\r\nunterminated"
        );
        t.send_as_admin(
            t.post("/api/v1/media/upload")
                .header("content-type", "multipart/form-data; boundary=XYZ")
                .body(body),
        )
    });
    rejected(&t, &marker, (400, "malformed_multipart"), || {
        t.send_as_admin(
            t.post("/api/v1/media/upload")
                .json(&serde_json::json!({"file": "x"})),
        )
    });
    rejected(&t, &marker, (400, "file_missing"), || {
        let form = reqwest::blocking::multipart::Form::new().text("name", marker.clone());
        t.send_as_admin(t.post("/api/v1/media/upload").multipart(form))
    });
}

#[test]
fn bad_metadata_is_refused() {
    let t = Target::start();
    let jpeg = fixtures::read("photo-seeding-800.jpg");
    let name = format!("{}.jpg", unique("alt"));
    let long = "a".repeat(256);
    rejected(&t, &name, (400, "alt_text_too_long"), || {
        t.upload_with(&t.admin_token, &name, &jpeg, &[("alt_text", &long)])
    });

    let m = t.upload_ok(&format!("{}.jpg", unique("patchme")), &jpeg);
    let id = m["id"].as_str().unwrap();
    let path = format!("/api/v1/media/{id}");
    let res = t.patch_media(id, &serde_json::json!({"alt_text": long}));
    assert_eq!(error_code(res), (400, "alt_text_too_long".into()));
    let res = t.send_as_admin(
        t.patch(&path)
            .header("content-type", "application/json")
            .body("{not json"),
    );
    assert_eq!(error_code(res), (400, "invalid_request".into()));
    let res = t.patch_media(id, &serde_json::json!({"owner": "me"}));
    assert_eq!(
        error_code(res),
        (400, "invalid_request".into()),
        "unknown fields are refused"
    );
    let res = t.patch_media(id, &serde_json::json!({"name": ""}));
    assert_eq!(error_code(res), (400, "invalid_name".into()));
    let after: serde_json::Value = t.get_media(id).json().unwrap();
    assert_eq!(after, m, "refused edits change nothing");

    let res = t.send_as_admin(t.get("/api/v1/media?limit=abc"));
    assert_eq!(error_code(res), (400, "invalid_request".into()));
    let res = t.send_as_admin(t.get("/api/v1/media?order=sideways"));
    assert_eq!(error_code(res), (400, "invalid_request".into()));
    let res = t.send_as_admin(t.get("/api/v1/media/not-a-uuid"));
    assert_eq!(error_code(res), (404, "not_found".into()));
}
