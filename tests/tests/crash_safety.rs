//! Crash safety: the server is killed with SIGKILL while uploads are in
//! flight, restarted on the same data, and every upload it acknowledged
//! (201) must be intact: its row reads back as acknowledged and is listed,
//! its original and every variant are served with the acknowledged bytes.
//! And nothing listed, acknowledged or not (a row may commit just before
//! the kill, its answer lost), lacks a file. Several rounds, each killing a
//! server that holds what the earlier rounds stored.
//!
//! Native only: it kills and restarts the process.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;
use std::time::Duration;

use mediakit_e2e::server::DataDir;
use mediakit_e2e::{ServerProcess, Target, fixtures, sha256_hex, skip_on_remote};
use reqwest::blocking::{Client, multipart};
use serde_json::Value;

const ROUNDS: usize = 4;
/// Uploads started per round, [`THREADS`] at a time.
const UPLOADS: usize = 32;
const THREADS: usize = 16;

/// The kill comes once this many uploads of the round are acknowledged,
/// a different point each round, so that the others are somewhere in
/// flight (reading the body, processing, writing blobs or the row).
fn kill_after(round: usize) -> usize {
    4 + 5 * round
}

/// Fixtures of every kind: raster images (variants rendered), SVG, PDF and
/// video (stored as sent).
const FILES: [&str; 8] = [
    "photo-seeding-800.jpg",
    "photo-alpha.png",
    "animated.gif",
    "photo.webp",
    "logo.svg",
    "document.pdf",
    "clip.mp4",
    "photo-progressive.jpg",
];

/// An upload the server answered 201, with the media object it answered.
#[derive(Clone)]
struct Acknowledged {
    fixture: &'static str,
    media: Value,
}

#[test]
fn every_acknowledged_upload_survives_sigkill_during_uploads() {
    if skip_on_remote("kills and restarts the native server process") {
        return;
    }
    let mut data = DataDir::new();
    let mut acknowledged: Vec<Acknowledged> = Vec::new();
    for round in 0..ROUNDS {
        let t = Target::native_from(ServerProcess::start_in(data, &[]));
        check_intact(&t, &acknowledged, &format!("before round {round}"));
        let (new, killed) = upload_then_kill(t, round);
        acknowledged.extend(new);
        data = killed;
    }
    let t = Target::native_from(ServerProcess::start_in(data, &[]));
    check_intact(&t, &acknowledged, "after the last round");
}

/// Starts [`UPLOADS`] uploads from [`THREADS`] threads, kills the server
/// with SIGKILL once [`kill_after`] of them are acknowledged, and returns
/// the uploads acknowledged (a 201 read in full) and the data directory.
fn upload_then_kill(t: Target, round: usize) -> (Vec<Acknowledged>, DataDir) {
    let next = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel::<Acknowledged>();
    let stop = Arc::new(Mutex::new(false));
    let mut workers = Vec::new();
    for _ in 0..THREADS {
        let (next, tx, stop) = (next.clone(), tx.clone(), stop.clone());
        let (url, token) = (t.url("/api/v1/media/upload"), t.admin_token.clone());
        workers.push(thread::spawn(move || {
            let client = Client::builder()
                .timeout(Duration::from_secs(120))
                .build()
                .unwrap();
            loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= UPLOADS || *stop.lock().unwrap() {
                    return;
                }
                let fixture = FILES[i % FILES.len()];
                let name = format!("crash-{round}-{i}-{fixture}");
                let part = multipart::Part::bytes(fixtures::read(fixture)).file_name(name);
                let sent = client
                    .post(&url)
                    .bearer_auth(&token)
                    .multipart(multipart::Form::new().part("file", part))
                    .send();
                // After the kill, requests fail: the thread is done.
                let Ok(res) = sent else { return };
                let status = res.status().as_u16();
                let Ok(body) = res.text() else { return };
                if status == 503 {
                    // Busy (a memory budget's answer): not acknowledged,
                    // nothing to check.
                    continue;
                }
                assert_eq!(status, 201, "upload of {fixture} refused: {body}");
                let media: Value = serde_json::from_str(&body).unwrap();
                if tx.send(Acknowledged { fixture, media }).is_err() {
                    return;
                }
            }
        }));
    }
    drop(tx);
    let mut acked = Vec::new();
    while acked.len() < kill_after(round) {
        match rx.recv_timeout(Duration::from_secs(300)) {
            Ok(a) => acked.push(a),
            Err(e) => panic!(
                "round {round}: {} uploads acknowledged, then {e}",
                acked.len()
            ),
        }
    }
    *stop.lock().unwrap() = true;
    let server = t.into_server().expect("a native server");
    // Kill first, then collect the workers: they are blocked on requests
    // the kill cuts off.
    let data = server.kill_keep_data();
    for w in workers {
        w.join().expect("an upload thread panicked");
    }
    // Answers read in full before the process died count too: the server
    // had acknowledged them.
    acked.extend(rx.try_iter());
    let started = next.load(Ordering::SeqCst).min(UPLOADS);
    assert!(
        acked.len() < started,
        "round {round}: every upload finished before the kill; nothing was in flight"
    );
    eprintln!(
        "round {round}: killed with {} of {started} started uploads acknowledged",
        acked.len()
    );
    (acked, data)
}

/// Asserts every acknowledged upload is intact and every listed item has
/// all its files.
fn check_intact(t: &Target, acknowledged: &[Acknowledged], when: &str) {
    let listed = t.list_all("");
    eprintln!(
        "{when}: {} acknowledged, {} listed",
        acknowledged.len(),
        listed.len()
    );
    let client = t.client();
    for a in acknowledged {
        let id = a.media["id"].as_str().unwrap();
        let res = client
            .get(t.url(&format!("/api/v1/media/{id}")))
            .bearer_auth(&t.admin_token)
            .send()
            .unwrap();
        assert_eq!(res.status(), 200, "{when}: acknowledged {id} lost");
        let now: Value = res.json().unwrap();
        assert_eq!(now, a.media, "{when}: the row of {id} changed");
        assert!(
            listed.iter().any(|m| m["id"] == id),
            "{when}: acknowledged {id} is not listed"
        );
        let original = fetch(t, a.media["path"].as_str().unwrap(), when);
        assert_eq!(
            sha256_hex(&original),
            a.media["sha256"].as_str().unwrap(),
            "{when}: the original of {id} ({})",
            a.fixture
        );
        if a.media["variants"].as_array().unwrap().is_empty() {
            // Stored as sent.
            assert_eq!(original, fixtures::read(a.fixture), "{when}: {id}");
        }
    }
    for m in &listed {
        fetch(t, m["path"].as_str().unwrap(), when);
        for v in m["variants"].as_array().unwrap() {
            let bytes = fetch(t, v["path"].as_str().unwrap(), when);
            assert_eq!(
                bytes.len() as u64,
                v["size"].as_u64().unwrap(),
                "{when}: variant {} of {}",
                v["name"],
                m["id"]
            );
        }
    }
}

/// A public file, which must be served whole (200) with its strong ETag,
/// the SHA-256 of its bytes.
fn fetch(t: &Target, path: &str, when: &str) -> Vec<u8> {
    let res = t.get(path).send().unwrap();
    assert_eq!(res.status(), 200, "{when}: {path} is listed but not served");
    let etag = res
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned();
    let bytes = res.bytes().unwrap().to_vec();
    assert_eq!(etag, sha256_hex(&bytes), "{when}: {path} is not intact");
    bytes
}
