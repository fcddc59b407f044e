//! The `mediakit` binary itself: first start, token CLI, restart, graceful
//! shutdown, thumbnail command. Native only by nature: against a remote
//! target (`MEDIAKIT_BASE_URL`) each test says why it does not apply and
//! returns.

use std::process::Command;

use mediakit_e2e::server::{ServerProcess, assert_succeeded, binary, on_data};
use mediakit_e2e::{Target, error_code, fixtures, skip_on_remote};
use serde_json::Value;

/// A UUIDv7 of this millisecond; `n` tells ids of the same moment apart.
fn uuid_v7_at(ms: u64, n: u8) -> String {
    format!("{:08x}-{:04x}-7000-8000-{n:012x}", ms >> 16, ms & 0xffff)
}

#[test]
fn first_start_creates_an_admin_token_once() {
    if skip_on_remote("it checks the admin token file a native server writes on first start") {
        return;
    }
    let server = ServerProcess::start(&[]);
    let token_file = server.data_dir().join("admin-token");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&token_file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the admin token file is private");
    }
    let token = server.admin_token();
    assert!(token.starts_with("mk_"));
    let t = Target::native_from(server);
    let res = t.get("/api/v1/tokens").bearer_auth(&token).send().unwrap();
    assert_eq!(res.status(), 200);

    // A restart on the same data keeps the token and creates no new one.
    let server = t.into_server().unwrap();
    let data = server.stop_keep_data();
    let again = ServerProcess::start_in(data, &[]);
    assert_eq!(again.admin_token(), token);
    let t = Target::native_from(again);
    let tokens: Vec<Value> = t
        .get("/api/v1/tokens")
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(tokens.len(), 1, "no second admin token");
}

#[test]
fn token_create_prints_the_secret_last_and_it_works() {
    if skip_on_remote("it runs the `mediakit token` CLI on a native data directory") {
        return;
    }
    let t = Target::native(&[]);
    let data = t
        .native_only("the CLI works on the data directory")
        .unwrap()
        .data_dir()
        .to_path_buf();
    let out = on_data(
        &data,
        &[
            "token",
            "create",
            "--scopes",
            "media:read,media:upload",
            "--label",
            "ci",
        ],
    );
    assert_succeeded(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let secret = stdout.lines().last().unwrap().trim().to_owned();
    assert!(secret.starts_with("mk_"), "{stdout:?}");

    // The running server sees the token at once (shared SQLite in WAL).
    assert_eq!(
        t.get("/api/v1/media")
            .bearer_auth(&secret)
            .send()
            .unwrap()
            .status(),
        200
    );
    let m = t.upload_with(&secret, "cli.png", &fixtures::read("photo-alpha.png"), &[]);
    assert_eq!(m.status(), 201);
    let id = m.json::<Value>().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&secret)
        .send()
        .unwrap();
    assert_eq!(error_code(res), (403, "forbidden".into()));

    let list = on_data(&data, &["token", "list"]);
    let listing = String::from_utf8(list.stdout).unwrap();
    let line = listing
        .lines()
        .find(|l| l.ends_with("\tci"))
        .expect("token listed");
    assert!(!listing.contains(&secret), "secrets are never listed");
    let id = line.split('\t').next().unwrap();
    let revoke = on_data(&data, &["token", "revoke", id]);
    assert!(revoke.status.success());
    let res = t.get("/api/v1/media").bearer_auth(&secret).send().unwrap();
    assert_eq!(error_code(res), (401, "unauthorized".into()));

    let bad = on_data(&data, &["token", "create", "--scopes", "media:raed"]);
    assert!(!bad.status.success(), "a misspelt scope is an error");
}

#[test]
fn data_survives_a_restart() {
    if skip_on_remote(
        "it restarts a native server process (the edge restart check is in scripts/test.d/40-edge.sh)",
    ) {
        return;
    }
    let t = Target::native(&[]);
    let m = t.upload_ok("keep.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let id = m["id"].as_str().unwrap().to_owned();
    let token = t.admin_token.clone();
    let data = t.into_server().unwrap().stop_keep_data();
    let t = Target::native_from(ServerProcess::start_in(data, &[]));
    let got: Value = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&token)
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(got, m);
    let file = t
        .get(&format!("/uploads/media/{id}/thumb.jpg"))
        .send()
        .unwrap();
    assert_eq!(file.status(), 200);
}

#[test]
fn sigterm_drains_in_flight_uploads() {
    if skip_on_remote("it sends SIGTERM to a native server process") {
        return;
    }
    let mut t = Target::native(&[]);
    let photo = fixtures::corpus_photos()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("Dragonfly"))
        .unwrap();
    let bytes = std::fs::read(photo).unwrap();
    let base = t.base.clone();
    let token = t.admin_token.clone();
    let upload = std::thread::spawn(move || {
        let t2 = mediakit_e2e::client();
        let part = reqwest::blocking::multipart::Part::bytes(bytes).file_name("drain.jpg");
        t2.post(format!("{base}/api/v1/media/upload"))
            .bearer_auth(token)
            .multipart(reqwest::blocking::multipart::Form::new().part("file", part))
            .send()
            .map(|r| r.status().as_u16())
    });
    // Let the request reach the server (a 13 MP photo takes a while to process).
    std::thread::sleep(std::time::Duration::from_millis(300));
    let status = t.server_mut().unwrap().terminate();
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
    assert_eq!(
        upload
            .join()
            .unwrap()
            .expect("the in-flight upload got its answer"),
        201
    );
}

#[test]
fn thumbnail_command_resizes_like_the_pipeline() {
    if skip_on_remote("it runs the `mediakit thumbnail` command") {
        return;
    }
    let out = tempfile::tempdir().unwrap();
    let inputs = [
        fixtures::dir().join("photo-seeding-800.jpg"),
        fixtures::dir().join("photo-orient6.jpg"),
    ];
    let res = Command::new(binary())
        .arg("thumbnail")
        .args(&inputs)
        .args([
            "--size",
            "256",
            "--format",
            "jpeg",
            "--quality",
            "80",
            "--out",
        ])
        .arg(out.path())
        .output()
        .unwrap();
    assert_succeeded(&res);
    let a = image::open(out.path().join("photo-seeding-800.jpg")).unwrap();
    assert_eq!((a.width(), a.height()), (256, 144));
    let b = image::open(out.path().join("photo-orient6.jpg")).unwrap();
    assert_eq!(b.height(), 256, "orientation applied");
    assert!(b.width() < b.height());

    let bad = Command::new(binary())
        .args(["thumbnail"])
        .arg(fixtures::dir().join("document.pdf"))
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert!(!bad.status.success(), "a PDF is not an image");
}

#[test]
fn gc_removes_orphans_and_crash_leftovers_but_keeps_live_files() {
    if skip_on_remote("it runs `mediakit gc` on a native data directory") {
        return;
    }
    let t = Target::native(&[]);
    let m = t.upload_ok("live.png", &fixtures::read("photo-alpha.png"));
    let id = m["id"].as_str().unwrap();
    // Leftovers are planted with the server stopped, as `gc` is usually run
    // (from cron, or after a crash): a running server collects at start and
    // hourly, and its own collection could take the orphan first.
    let data = t.into_server().unwrap().stop_keep_data();

    // An orphan: blobs of an upload whose row was never written, two hours ago
    // (ids are UUIDv7, so their age is in them).
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let orphan = format!(
        "media/{}/original.jpg",
        uuid_v7_at(now_ms - 2 * 3600 * 1000, 1)
    );
    data.put_blob(&orphan, b"orphan");
    // A fresh orphan may be an upload in flight: kept.
    let in_flight = format!("media/{}/original.jpg", uuid_v7_at(now_ms - 1000, 2));
    data.put_blob(&in_flight, b"in flight");
    // A crashed write's staging file: a local-disk matter (S3 writes are
    // atomic and leave none).
    let staging = data.local_blobs_dir().map(|blobs| {
        let staging = blobs.join("media").join(id).join("original.png#7");
        std::fs::write(&staging, b"partial").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&staging)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(7200))
            .unwrap();
        staging
    });

    let out = on_data(data.path(), &["gc"]);
    assert_succeeded(&out);
    let removed = 1 + usize::from(staging.is_some());
    assert!(
        String::from_utf8_lossy(&out.stdout).contains(&format!("removed {removed} orphaned files")),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!data.blob_exists(&orphan));
    assert!(staging.is_none_or(|s| !s.exists()));
    assert!(data.blob_exists(&in_flight));
    let t = Target::native_from(ServerProcess::start_in(data, &[]));
    for v in std::iter::once(&m["path"])
        .chain(m["variants"].as_array().unwrap().iter().map(|v| &v["path"]))
    {
        let res = t.get(&format!("/{}", v.as_str().unwrap())).send().unwrap();
        assert_eq!(res.status(), 200, "live file {v} kept");
    }
}

#[test]
fn mediakit_toml_is_read_and_flags_override_it() {
    let data = tempfile::tempdir().unwrap();
    // The harness starts the server in its data directory, so this is
    // ./mediakit.toml for it.
    std::fs::write(
        data.path().join("mediakit.toml"),
        "max_upload_bytes = 123456\nmax_pixels = 2000000\nretention_days = 7\n",
    )
    .unwrap();
    let t = Target::native_from(ServerProcess::start_in(data, &["--max-pixels", "3000000"]));
    let limits: Value = t.get("/api/v1/limits").send().unwrap().json().unwrap();
    assert_eq!(limits["max_upload_bytes"], 123456, "from mediakit.toml");
    assert_eq!(limits["max_pixels"], 3000000, "the flag wins over the file");
    let mut big = fixtures::read("photo-seeding-800.jpg");
    big.resize(200_000, 0);
    let res = t.upload("big.jpg", &big);
    assert_eq!(error_code(res), (413, "file_too_large".into()));
}

#[test]
fn a_bad_configuration_file_stops_start_up_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    std::fs::write(data.path().join("mediakit.toml"), "max_upload_byte = 5\n").unwrap();
    let out = Command::new(binary())
        .args(["serve", "--listen", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .current_dir(data.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("mediakit.toml") && stderr.contains("max_upload_byte"),
        "{stderr}"
    );
}

#[test]
fn openapi_command_prints_the_document_the_server_serves() {
    if skip_on_remote("it runs the `mediakit openapi` CLI") {
        return;
    }
    let out = Command::new(binary()).arg("openapi").output().unwrap();
    assert_succeeded(&out);
    let printed: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    let t = Target::native(&[]);
    let served: Value = t
        .get("/api/v1/openapi.json")
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(printed, served);
    assert_eq!(printed["openapi"], "3.1.0");
}
