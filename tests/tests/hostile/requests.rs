//! Hostile requests: inputs whose cost grows with a count the client
//! picks. Range headers listing thousands of ranges, upload forms of
//! thousands of parts (RPC batches and REST uploads), listings that ask for
//! everything. Each is answered at a bounded cost: ignored (Range), refused
//! with a clear 400 and nothing stored (parts), or capped (listings), and
//! the server keeps answering `/healthz`.

use mediakit_e2e::{Target, error_code, fixtures, unique};
use reqwest::blocking::Response;
use serde_json::Value;

/// Request bodies and headers forged byte by byte, so the counts are
/// parameters and the suite needs no stored attack files.
mod forge {
    pub const BOUNDARY: &str = "mediakit-hostile-boundary";

    /// One part of a multipart body.
    pub struct Part<'a> {
        pub name: &'a str,
        pub filename: Option<&'a str>,
        pub bytes: &'a [u8],
    }

    /// A `multipart/form-data` body of `parts` (content type:
    /// [`content_type`]).
    pub fn multipart<'a>(parts: impl IntoIterator<Item = Part<'a>>) -> Vec<u8> {
        let mut body = Vec::new();
        for part in parts {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            let disposition = match part.filename {
                Some(f) => format!("form-data; name=\"{}\"; filename=\"{f}\"", part.name),
                None => format!("form-data; name=\"{}\"", part.name),
            };
            body.extend_from_slice(format!("Content-Disposition: {disposition}\r\n").as_bytes());
            if part.filename.is_some() {
                body.extend_from_slice(b"Content-Type: application/octet-stream\r\n");
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(part.bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        body
    }

    pub fn content_type() -> String {
        format!("multipart/form-data; boundary={BOUNDARY}")
    }

    /// `n` tiny one-byte files named `media`, the RPC batch's field.
    pub fn tiny_files<'a>(n: usize) -> impl Iterator<Item = Part<'a>> {
        (0..n).map(|_| Part {
            name: "media",
            filename: Some("x.jpg"),
            bytes: b"x",
        })
    }

    /// `bytes=0-,5-0,5-1,…`: the overlapping-ranges flood that once made
    /// servers build one multipart answer part per range.
    pub fn overlapping_ranges(n: usize) -> String {
        let mut h = String::from("bytes=0-");
        for i in 0..n {
            h.push_str(&format!(",5-{}", i % 10));
        }
        h
    }

    /// `bytes=0-0,1-1,…`: many tiny distinct ranges.
    pub fn tiny_ranges(n: usize) -> String {
        let ranges: Vec<String> = (0..n).map(|i| format!("{i}-{i}")).collect();
        format!("bytes={}", ranges.join(","))
    }

    /// One range whose start is padded with `zeros` leading zeros.
    pub fn padded_range(zeros: usize) -> String {
        format!("bytes={}1-2", "0".repeat(zeros))
    }
}

use forge::Part;

fn healthy(t: &Target) {
    let res = t.get("/healthz").send().unwrap();
    assert_eq!(res.status(), 200, "the server stopped answering /healthz");
}

fn post_form(t: &Target, path: &str, body: Vec<u8>) -> Response {
    t.post(path)
        .bearer_auth(&t.admin_token)
        .header("content-type", forge::content_type())
        .body(body)
        .send()
        .unwrap()
}

#[test]
fn range_floods_are_ignored_and_the_whole_file_is_sent_once() {
    let t = Target::start();
    let bytes = fixtures::read("document.pdf");
    let m = t.upload_ok(&unique("ranged.pdf"), &bytes);
    let path = m["path"].as_str().unwrap();
    let get = |range: &str| t.get(path).header("range", range).send().unwrap();

    let res = get("bytes=0-9");
    assert_eq!(res.status(), 206, "one honest range is honoured");
    assert_eq!(res.bytes().unwrap().as_ref(), &bytes[..10]);

    for (what, range) in [
        ("overlapping ranges", forge::overlapping_ranges(5_000)),
        ("tiny ranges", forge::tiny_ranges(1_500)),
        ("a number padded with zeros", forge::padded_range(10_000)),
        (
            "a number past u64",
            "bytes=99999999999999999999999-".to_owned(),
        ),
    ] {
        let res = get(&range);
        assert_eq!(res.status(), 200, "{what}: the Range is ignored");
        assert!(res.headers().get("content-range").is_none(), "{what}");
        assert_eq!(res.bytes().unwrap().as_ref(), &bytes[..], "{what}: whole");
        healthy(&t);
    }
}

#[test]
fn an_rpc_batch_of_thousands_of_parts_is_refused_whole_and_stores_nothing() {
    let t = Target::start();
    let name = unique("batch-flood.pdf");
    let pdf = fixtures::read("document.pdf");
    let files_before = t.data_files();
    // A real file first (stored as the body streams in), then the flood.
    let first = Part {
        name: "media",
        filename: Some(&name),
        bytes: &pdf,
    };
    let body = forge::multipart(std::iter::once(first).chain(forge::tiny_files(10_000)));
    let res = post_form(&t, "/media/upload_media", body);
    let status = res.status().as_u16();
    let err: Value = res.json().unwrap();
    assert_eq!(
        (status, err["error"].as_str()),
        (400, Some("invalid_request")),
        "{err}"
    );
    let message = err["message"].as_str().unwrap();
    assert!(message.contains("parts"), "a clear message: {message}");
    assert!(!t.listed(&name), "the file before the flood was removed");
    assert_eq!(t.data_files(), files_before, "no file left behind");
    healthy(&t);
}

#[test]
fn an_rpc_batch_at_the_part_limit_is_answered_part_by_part() {
    let t = Target::start();
    let name = unique("batch-limit.pdf");
    let pdf = fixtures::read("document.pdf");
    let first = Part {
        name: "media",
        filename: Some(&name),
        bytes: &pdf,
    };
    let parts = 64;
    let body = forge::multipart(std::iter::once(first).chain(forge::tiny_files(parts - 1)));
    let res = post_form(&t, "/media/upload_media", body);
    assert_eq!(res.status(), 200);
    let answer: Value = res.json().unwrap();
    let results = answer["data"]["results"].as_array().unwrap();
    assert_eq!(results.len(), parts, "one result per part");
    assert_eq!(results[0]["success"], 1);
    assert!(results[1..].iter().all(|r| r["success"] == 0));
    assert_eq!(
        results[parts - 1]["error"]["code"],
        "invalid_request",
        "past the 20th file"
    );
    let task = answer["data"]["task_ID"].as_str().unwrap();
    let res = t
        .get(&format!("/media/task_status?task_ID={task}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let status: Value = res.json().unwrap();
    assert_eq!(status["files"].as_array().unwrap().len(), parts);
    assert!(t.listed(&name));
}

#[test]
fn a_rest_upload_of_thousands_of_fields_is_refused() {
    let t = Target::start();
    let name = unique("field-flood.pdf");
    let pdf = fixtures::read("document.pdf");
    let fields = (0..10_000).map(|_| Part {
        name: "junk",
        filename: None,
        bytes: b"x",
    });
    let file = Part {
        name: "file",
        filename: Some(&name),
        bytes: &pdf,
    };
    let body = forge::multipart(fields.chain(std::iter::once(file)));
    t.assert_refused(400, "invalid_request", &name, || {
        post_form(&t, "/api/v1/media/upload", body)
    });
    healthy(&t);
}

/// More items than the largest page, so that "everything" is more than a
/// page; then every dialect's listing, without `limit` and with a huge
/// one, answers at most a page and says how many match.
#[test]
fn listings_without_a_limit_are_capped() {
    const MAX_PAGE: usize = 1000;
    const REST_DEFAULT: usize = 100;
    let t = Target::start();
    let tag = unique("capped");
    let svg = fixtures::read("logo.svg");
    // RPC batches of 20 small SVGs (no variants to render), named so that
    // a search finds them.
    let filename = format!("{tag}.svg");
    let mut stored = 0;
    while stored <= MAX_PAGE {
        let parts = (0..20).map(|_| Part {
            name: "media",
            filename: Some(&filename),
            bytes: &svg,
        });
        let res = post_form(&t, "/media/upload_media", forge::multipart(parts));
        assert_eq!(res.status(), 200);
        let answer: Value = res.json().unwrap();
        for r in answer["data"]["results"].as_array().unwrap() {
            assert_eq!(r["success"], 1, "{r}");
            stored += 1;
        }
    }
    let count = |res: &Response| -> usize {
        res.headers()["x-total-count"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap()
    };

    // REST: 100 by default, 1000 at most.
    for (query, expect) in [
        (format!("q={tag}"), REST_DEFAULT),
        (format!("q={tag}&limit=1000000"), MAX_PAGE),
    ] {
        let res = t
            .get(&format!("/api/v1/media?{query}"))
            .bearer_auth(&t.admin_token)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
        assert_eq!(count(&res), stored);
        assert_eq!(res.json::<Vec<Value>>().unwrap().len(), expect, "{query}");
    }
    // CMS: the seed's "everything" is one full page, and `max` tells.
    for query in [
        format!("search={tag}"),
        format!("search={tag}&limit=9007199254740991"),
    ] {
        let res = t
            .get(&format!("/media?{query}"))
            .bearer_auth(&t.admin_token)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
        let page: Value = res.json().unwrap();
        assert_eq!(page["media"].as_array().unwrap().len(), MAX_PAGE, "{query}");
        assert_eq!(page["max"], stored, "{query}");
        assert_eq!(page["to"], MAX_PAGE, "{query}: to < max, more follow");
    }
    // RPC: every item of a catalog is at most a page; `offset` reaches the
    // rest. (Other tests' items may share a remote target, so the counts
    // are bounds.)
    let res = t
        .post("/media/fetch_all_media_metadata")
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let total = count(&res);
    assert!(total >= stored);
    assert_eq!(res.json::<Vec<Value>>().unwrap().len(), MAX_PAGE);
    let res = t
        .post(&format!(
            "/media/fetch_all_media_metadata?offset={}&limit=5",
            total - 2
        ))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    let tail = res.json::<Vec<Value>>().unwrap().len();
    if t.is_native() {
        assert_eq!(tail, 2, "the last two");
    } else {
        // Others may add items meanwhile; the limit still holds.
        assert!((2..=5).contains(&tail), "{tail}");
    }
    let res = t
        .post("/media/fetch_all_media_metadata?limit=-1")
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(error_code_rpc(res), (400, "invalid_request".to_owned()));
    healthy(&t);
}

/// The RPC error shape's status and code.
fn error_code_rpc(res: Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().unwrap();
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}

/// A limit past any integer is refused, not wrapped into a small one.
#[test]
fn a_listing_limit_past_any_integer_is_refused() {
    let t = Target::start();
    let res = t
        .get("/api/v1/media?limit=99999999999999999999999")
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(error_code(res), (400, "invalid_request".to_owned()));
}
