//! Hostile concurrent inputs: a flood of heavy uploads (a small photo
//! carrying megabytes of metadata, so that every body is large) in all
//! three dialects at once, against a server with a small memory budget.
//! Each is admitted or answered `server_busy` (503 with `Retry-After`),
//! never anything else and never a dropped connection; what was refused
//! stored nothing; `/healthz` keeps answering throughout; and once the
//! flood is over the whole budget is free again.

use std::collections::BTreeSet;
use std::sync::Barrier;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::health::HealthWatch;
use mediakit_e2e::{Target, client, fixtures, skip_on_remote, unique};
use reqwest::blocking::{Client, multipart};
use serde_json::{Value, json};

/// Uploads sent at once.
const FLOOD: usize = 24;
/// Metadata in each: bodies of 4 MB, 16 of which fill the bodies' half of
/// the 128 MiB budget, while the estimate of each (about 42 MB: its copies
/// and the fixed costs) lets one or two be processed at a time.
const METADATA_BYTES: usize = 4 * 1024 * 1024;
const SERVER_FLAGS: &[&str] = &[
    "--memory-budget-mib",
    "128",
    "--upload-queue",
    "2",
    "--upload-queue-wait-ms",
    "500",
];

/// The fixture photo with `metadata` bytes of APP15 segments after its
/// start marker: a valid JPEG whose metadata is stripped when stored.
fn heavy_photo(metadata: usize) -> Vec<u8> {
    let photo = fixtures::read("photo-seeding-800.jpg");
    let mut out = Vec::with_capacity(photo.len() + metadata + metadata / 60_000 * 4 + 4);
    out.extend_from_slice(&photo[..2]);
    let mut left = metadata;
    while left > 0 {
        let n = left.min(60_000);
        out.extend_from_slice(&[0xFF, 0xEF]);
        out.extend_from_slice(&u16::try_from(n + 2).unwrap().to_be_bytes());
        out.extend((0..n).map(|i| b'a' + (i % 26) as u8));
        left -= n;
    }
    out.extend_from_slice(&photo[2..]);
    out
}

/// `photo` with a JFIF segment of pixel density `n`: kept when the photo is
/// stored, unlike metadata, so that each copy is a file of its own rather
/// than one shared with an identical upload (dedup).
fn distinct(photo: &[u8], n: u16) -> Vec<u8> {
    let mut out = photo[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
    out.extend_from_slice(b"JFIF\0");
    out.extend_from_slice(&[1, 1, 0]);
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&photo[2..]);
    out
}

#[derive(Debug, Clone, Copy)]
enum Dialect {
    Rest,
    Rpc,
    Cms,
}

/// One answer of the flood.
#[derive(Debug)]
struct Answer {
    name: String,
    stored: bool,
    /// For a refusal: status, stable code, `Retry-After`.
    refused: Option<(u16, String, Option<String>)>,
}

fn send(client: &Client, base: &str, token: &str, dialect: Dialect, photo: &[u8]) -> Answer {
    let name = unique(&format!("flood-{dialect:?}"));
    let file = format!("{name}.jpg");
    let part = || multipart::Part::bytes(photo.to_vec()).file_name(file.clone());
    let request = match dialect {
        Dialect::Rest => client
            .post(format!("{base}/api/v1/media/upload"))
            .multipart(multipart::Form::new().part("file", part())),
        Dialect::Rpc => client
            .post(format!("{base}/media/upload_media"))
            .multipart(multipart::Form::new().part("media", part())),
        Dialect::Cms => client
            .post(format!("{base}/media/add"))
            .json(&json!({"name": file, "tags": [], "image": STANDARD.encode(photo)})),
    };
    let res = request
        .bearer_auth(token)
        .send()
        .unwrap_or_else(|e| panic!("{dialect:?} upload {name}: the connection failed: {e}"));
    let status = res.status().as_u16();
    let retry_after = res
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let text = res.text().unwrap_or_default();
    let body: Value = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{dialect:?} answered {status} without JSON: {text:?}"));
    let ok = match dialect {
        Dialect::Rest => status == 201,
        Dialect::Rpc => status == 200 && body["data"]["results"][0]["success"] == 1,
        Dialect::Cms => status == 200 && body["id"].is_i64(),
    };
    if ok {
        return Answer {
            name: file,
            stored: true,
            refused: None,
        };
    }
    let code = match dialect {
        Dialect::Rest => &body["error"]["code"],
        Dialect::Rpc | Dialect::Cms => &body["error"],
    };
    Answer {
        name: file,
        stored: false,
        refused: Some((
            status,
            code.as_str().unwrap_or_default().to_owned(),
            retry_after,
        )),
    }
}

#[test]
fn a_flood_over_the_memory_budget_is_admitted_or_told_to_retry() {
    if skip_on_remote("the budget is set by the native server's flags") {
        return;
    }
    let t = Target::native(SERVER_FLAGS);
    let photo = heavy_photo(METADATA_BYTES);
    let health = HealthWatch::start(&t.base);
    let start = Barrier::new(FLOOD);
    let answers: Vec<Answer> = std::thread::scope(|scope| {
        let senders: Vec<_> = (0..FLOOD)
            .map(|i| {
                let dialect = [Dialect::Rest, Dialect::Rpc, Dialect::Cms][i % 3];
                let (base, token, photo, start) = (&t.base, &t.admin_token, &photo, &start);
                scope.spawn(move || {
                    let client = client();
                    let photo = distinct(photo, i as u16 + 1);
                    start.wait();
                    send(&client, base, token, dialect, &photo)
                })
            })
            .collect();
        senders.into_iter().map(|s| s.join().unwrap()).collect()
    });
    health.stop().assert_prompt(Duration::from_secs(2));

    for a in &answers {
        if let Some((status, code, retry_after)) = &a.refused {
            assert_eq!(
                (*status, code.as_str()),
                (503, "server_busy"),
                "{} was refused otherwise",
                a.name
            );
            let secs: u32 = retry_after
                .as_deref()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{}: 503 without Retry-After seconds", a.name));
            assert!(secs > 0);
        }
    }
    let stored: BTreeSet<&str> = answers
        .iter()
        .filter(|a| a.stored)
        .map(|a| a.name.as_str())
        .collect();
    let busy = answers.len() - stored.len();
    assert!(!stored.is_empty(), "nothing was admitted: {answers:?}");
    assert!(busy > 0, "the flood never exceeded the budget: {answers:?}");

    // Exactly the admitted uploads are stored: a refusal left nothing.
    let listed: BTreeSet<String> = t
        .list_all("")
        .iter()
        .filter_map(|m| m["original_filename"].as_str().map(str::to_owned))
        .filter(|n| n.starts_with("flood-"))
        .collect();
    let listed: BTreeSet<&str> = listed.iter().map(String::as_str).collect();
    assert_eq!(listed, stored);
    // Each stored one is the original and two variants (thumb, small).
    let server = t.native_only("blob keys").unwrap();
    assert_eq!(server.blob_keys().len(), 3 * stored.len());

    // The flood over, the budget is whole again: even the largest body an
    // upload may send is admitted.
    let res = t.upload("after-the-flood.jpg", &photo);
    assert_eq!(res.status(), 201, "{}", res.text().unwrap_or_default());
}
