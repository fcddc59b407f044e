//! `mediakit import PATH…`: folders into the library with progress, safe to
//! interrupt and re-run without duplicates, and `export` → `import` into
//! an empty instance giving back the same library. Native only: it runs on
//! a data directory.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use mediakit_e2e::server::{assert_succeeded, binary, on_data};
use mediakit_e2e::{Target, fixtures, rpc, skip_on_remote};
use serde_json::{Value, json};

/// `count` different photos (noise, so that each takes real work).
fn photos(dir: &Path, count: u32) {
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        let mut state = 0x9e37_79b9_u32.wrapping_mul(i + 1);
        let image = image::RgbImage::from_fn(480, 360, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let [a, b, ..] = state.to_le_bytes();
            image::Rgb([a, (x + y + i) as u8, b])
        });
        let sub = dir.join(format!("roll-{}", i % 3));
        std::fs::create_dir_all(&sub).unwrap();
        image.save(sub.join(format!("img-{i:03}.jpg"))).unwrap();
    }
}

fn import(data: &Path, args: &[&str]) -> std::process::Output {
    let mut all = vec!["import"];
    all.extend_from_slice(args);
    on_data(data, &all)
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_folder_import_survives_an_interrupt_and_a_rerun_adds_no_duplicates() {
    if skip_on_remote("it runs `mediakit import` on a native data directory") {
        return;
    }
    let t = Target::native(&[]);
    let data = t
        .native_only("import writes the store directly")
        .unwrap()
        .data_dir();
    let folder = tempfile::tempdir().unwrap();
    photos(folder.path(), 100);
    let dir = folder.path().to_str().unwrap();

    // Killed (as hard as it gets) once it has reported progress.
    let mut child = Command::new(binary())
        .args([
            "import",
            "--jobs",
            "1",
            "--tags",
            "trip,2026",
            dir,
            "--data",
        ])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let progress = BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .find(|l| l.starts_with("progress: "))
        .expect("a progress line");
    assert!(progress.contains("of 100 files"), "{progress}");
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "interrupted before the end");
    let after_kill = t.list_all("include_unlisted=true").len();
    assert!(
        (5..100).contains(&after_kill),
        "{after_kill} imported before the kill"
    );

    let rerun = import(data, &["--tags", "trip,2026", dir]);
    assert_succeeded(&rerun);
    let said = stdout(&rerun);
    let expected = format!(
        "imported {} files, {after_kill} already there, 0 refused",
        100 - after_kill
    );
    assert!(said.contains(&expected), "{said}");

    let items = t.list_all("tag=trip");
    assert_eq!(items.len(), 100, "each photo once");
    for m in &items {
        assert_eq!(m["tags"], json!(["trip", "2026"]));
        assert_eq!(t.file(m).status(), 200);
    }
    let third = import(data, &[dir]);
    assert_succeeded(&third);
    assert!(stdout(&third).contains("imported 0 files, 100 already there"));
}

#[test]
fn refused_files_are_listed_with_their_reason() {
    if skip_on_remote("it runs `mediakit import` on a native data directory") {
        return;
    }
    let t = Target::native(&[]);
    let data = t
        .native_only("import writes the store directly")
        .unwrap()
        .data_dir();
    let folder = tempfile::tempdir().unwrap();
    let d = folder.path();
    std::fs::write(d.join("notes.txt"), b"not a picture").unwrap();
    std::fs::write(d.join("logo.svg"), fixtures::read("logo.svg")).unwrap();
    std::fs::write(d.join("evil.svg"), fixtures::read("script.svg")).unwrap();
    let out = import(data, &["--unlisted", d.to_str().unwrap()]);
    assert!(
        !out.status.success(),
        "refusals make the exit status non-zero"
    );
    let said = stdout(&out);
    assert!(
        said.contains("imported 1 files, 0 already there, 2 refused"),
        "{said}"
    );
    assert!(said.contains("notes.txt: unsupported_type"), "{said}");
    assert!(said.contains("evil.svg: svg_unsafe"), "{said}");
    let items = t.list_all("include_unlisted=true");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["unlisted"], true);
    assert!(t.list_all("").is_empty(), "imported unlisted");
}

/// The items of a library by id, as the REST and RPC dialects describe
/// them, with the bytes of every file they serve. `number` is each
/// instance's own.
fn library(t: &Target) -> BTreeMap<String, (Value, Value, Vec<Vec<u8>>)> {
    let mut out = BTreeMap::new();
    for mut m in t.list_all("include_unlisted=true") {
        // Its URLs are absolute: this server's origin is not the item's.
        let rpc = rpc::fetch(t, m["id"].as_str().unwrap()).to_string();
        let rpc: Value = serde_json::from_str(&rpc.replace(&t.url(""), "")).unwrap();
        let mut files = vec![t.file(&m).bytes().unwrap().to_vec()];
        for v in m["variants"].as_array().unwrap() {
            files.push(t.file(v).bytes().unwrap().to_vec());
        }
        m.as_object_mut().unwrap().remove("number");
        out.insert(m["id"].as_str().unwrap().to_owned(), (m, rpc, files));
    }
    out
}

#[test]
fn export_then_import_into_an_empty_instance_gives_back_the_library() {
    if skip_on_remote("it runs `mediakit export` and `import` on native data directories") {
        return;
    }
    let source = Target::native(&[]);
    let photo = fixtures::read("photo-seeding-800.jpg");
    let jpeg = source.upload_ok("sea.jpg", &photo);
    let id = |m: &Value| m["id"].as_str().unwrap().to_owned();
    let edit = json!({"alt_text": "The sea", "tags": ["a", "b"], "name": "Sea"});
    assert_eq!(source.patch_media(&id(&jpeg), &edit).status(), 200);
    // The credit line is the RPC dialect's.
    let credit = [
        ("media_ID", id(&jpeg)),
        ("author_credit_subtext", "Jo".into()),
    ];
    let credit: Vec<(&str, &str)> = credit.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        rpc::call(&source, "/update_media_metadata", &credit).status(),
        200
    );
    // The same bytes again: its own item, sharing the stored files.
    source.upload_ok("sea-again.jpg", &photo);
    let hidden = source.upload_with(
        &source.admin_token,
        "alpha.png",
        &fixtures::read("photo-alpha.png"),
        &[("unlisted", "true"), ("tags", "x")],
    );
    assert_eq!(hidden.status(), 201);
    for name in ["logo.svg", "document.pdf", "clip.webm", "animated.gif"] {
        source.upload_ok(name, &fixtures::read(name));
    }
    let trashed = source.upload_ok("gone.webp", &fixtures::read("photo.webp"));
    assert_eq!(source.delete_media(&id(&trashed)).status(), 204);
    let before = library(&source);
    assert_eq!(before.len(), 7);
    assert_eq!(
        before[&id(&jpeg)].1["metadata"]["author_credit_subtext"],
        "Jo"
    );

    let exported = tempfile::tempdir().unwrap();
    let dir = exported.path().to_str().unwrap();
    let data = source
        .native_only("export reads the store")
        .unwrap()
        .data_dir();
    assert_succeeded(&on_data(data, &["export", dir]));

    let target = Target::native(&[]);
    let data = target
        .native_only("import writes the store")
        .unwrap()
        .data_dir();
    let out = import(data, &[dir]);
    assert_succeeded(&out);
    assert!(
        stdout(&out).contains("imported 7 files, 0 already there, 0 refused"),
        "{}",
        stdout(&out)
    );
    let after = library(&target);
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>()
    );
    for (id, (meta, rpc, files)) in &before {
        let (meta_after, rpc_after, files_after) = &after[id];
        assert_eq!(meta_after, meta, "the item as the REST API describes it");
        assert_eq!(rpc_after, rpc, "the item as the RPC dialect describes it");
        assert!(files_after == files, "the bytes of every file of {id}");
    }
    let again = import(data, &[dir]);
    assert_succeeded(&again);
    assert!(
        stdout(&again).contains("imported 0 files, 7 already there"),
        "{}",
        stdout(&again)
    );
}
