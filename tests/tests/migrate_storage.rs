//! `mediakit migrate-storage`: local disk → S3 → local disk, surviving a
//! kill in the middle, verifying every copy by hash, and refusing to
//! overwrite or spread mismatched bytes. Needs the S3 service of
//! scripts/test.d/30-postgres-s3.sh.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use mediakit_e2e::server::{DataDir, ServerProcess, binary};
use mediakit_e2e::test_store::S3Service;
use mediakit_e2e::{Target, fixtures, sha256_hex};
use serde_json::Value;

fn mediakit(args: &[&str], data: &Path, s3: &S3Service) -> Command {
    let mut cmd = Command::new(binary());
    cmd.args(args)
        .arg("--data")
        .arg(data)
        .envs(s3.env())
        .env("MEDIAKIT_LOG", "warn")
        // No mediakit.toml from the working directory.
        .current_dir(data);
    cmd
}

fn run(cmd: &mut Command) -> Output {
    let out = cmd.output().expect("running mediakit");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (copied, present, failed, total) from the summary line.
fn summary(out: &Output) -> (u64, u64, u64, u64) {
    let text = stdout(out);
    let line = text
        .lines()
        .find(|l| l.starts_with("copied "))
        .unwrap_or_else(|| panic!("no summary in {text:?}"));
    let n: Vec<u64> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(4)
        .map(|s| s.parse().unwrap())
        .collect();
    (n[0], n[1], n[2], n[3])
}

/// Every blob under a local blobs directory, with its hash.
fn local_blobs(dir: &Path) -> BTreeMap<String, String> {
    mediakit_e2e::files_under(dir)
        .into_iter()
        .map(|p| {
            let hash = sha256_hex(&std::fs::read(dir.join(&p)).unwrap());
            (p.to_string_lossy().into_owned(), hash)
        })
        .collect()
}

fn s3_blobs(s3: &S3Service, prefix: &str) -> BTreeMap<String, String> {
    let store = s3.client(prefix);
    let keys = S3Service::list(&store);
    keys.into_iter()
        .map(|k| {
            let bytes = mediakit_e2e::test_store::runtime().block_on(async {
                use object_store::ObjectStoreExt;
                store
                    .get(&object_store::path::Path::from(k.as_str()))
                    .await
                    .unwrap()
                    .bytes()
                    .await
                    .unwrap()
            });
            (k, sha256_hex(&bytes))
        })
        .collect()
}

/// Uploads `n` distinct images (and a photo with every variant, twice) to
/// a local server; soft-deletes one (its blobs must travel too).
fn fill(t: &Target, n: usize) -> Vec<Value> {
    let mut out = vec![t.upload_ok("photo.jpg", &fixtures::read("photo-seeding-800.jpg"))];
    for i in 0..n {
        let img = image::RgbImage::from_fn(300, 200, |x, y| {
            image::Rgb([
                (x as usize + i) as u8,
                (y as usize * 2 + i) as u8,
                (i * 7) as u8,
            ])
        });
        let mut png = std::io::Cursor::new(Vec::new());
        img.write_to(&mut png, image::ImageFormat::Png).unwrap();
        out.push(t.upload_ok(&format!("m{i}.png"), &png.into_inner()));
    }
    let id = out[1]["id"].as_str().unwrap();
    assert_eq!(t.delete_media(id).status(), 204);
    // The photo again: a media item of its own sharing the first's files
    // (dedup), which must travel once and serve both.
    out.push(t.upload_ok("photo-again.jpg", &fixtures::read("photo-seeding-800.jpg")));
    out
}

/// Starts the server on `data`'s database with another storage and checks
/// every item's files, by hash, then restores the deleted one.
fn check_served_from(data: DataDir, storage: &str, s3: &S3Service, media: &[Value]) -> DataDir {
    let server = ServerProcess::start_configured(data, &["--storage", storage], &s3.env());
    let t = Target::native_from(server);
    let deleted = media[1]["id"].as_str().unwrap();
    let res = t.restore_media(deleted);
    assert_eq!(
        res.status(),
        200,
        "the deleted item came along and restores"
    );
    for m in media {
        let file = t.file(m);
        assert_eq!(file.status(), 200, "{} from {storage}", m["path"]);
        assert_eq!(
            sha256_hex(&file.bytes().unwrap()),
            m["sha256"].as_str().unwrap()
        );
        for v in m["variants"].as_array().unwrap() {
            let res = t.file(v);
            assert_eq!(res.status(), 200, "{} from {storage}", v["path"]);
        }
    }
    // Leave it deleted again for the next leg.
    let res = t.delete_media(deleted);
    assert_eq!(res.status(), 204);
    t.into_server().unwrap().stop_keep_data()
}

#[test]
fn local_to_s3_and_back_survives_an_interruption() {
    let s3 = S3Service::from_env();
    let prefix = S3Service::unique_prefix("migrate");
    let to_s3 = s3.storage_url(&prefix);

    // A store on the defaults: SQLite and local disk.
    let t = Target::native_from(ServerProcess::start_on_defaults());
    let media = fill(&t, 40);
    let data = t.into_server().unwrap().stop_keep_data();
    let source = local_blobs(&data.path().join("blobs"));
    assert!(
        source.len() > 80,
        "enough blobs to interrupt: {}",
        source.len()
    );

    // One blob at a time so that the kill lands mid-way: killed at the
    // first progress line (5 %), long before the end.
    let mut child = mediakit(
        &["migrate-storage", "--to", &to_s3, "--jobs", "1"],
        data.path(),
        &s3,
    )
    .stderr(Stdio::piped())
    .stdout(Stdio::null())
    .spawn()
    .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        let progress = line.starts_with("progress:");
        seen.push(line);
        if progress {
            child.kill().unwrap();
            break;
        }
    }
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed mid-way: {seen:?}");
    let partial = s3_blobs(&s3, &prefix);
    assert!(
        !partial.is_empty() && partial.len() < source.len(),
        "an interrupted copy: {} of {} blobs",
        partial.len(),
        source.len()
    );
    for (k, h) in &partial {
        assert_eq!(source.get(k), Some(h), "{k} copied whole or not at all");
    }

    // Run again: resumes, checks what is there, copies the rest.
    let out = run(&mut mediakit(
        &["migrate-storage", "--to", &to_s3],
        data.path(),
        &s3,
    ));
    assert!(out.status.success(), "{}", stdout(&out));
    let (copied, present, failed, total) = summary(&out);
    assert_eq!(total as usize, source.len());
    assert_eq!(failed, 0);
    // At most the one write in flight at the kill may have landed after
    // the listing above.
    assert!(
        (partial.len()..=partial.len() + 1).contains(&(present as usize)),
        "what was copied is verified, not copied again: {present} present, {} seen",
        partial.len()
    );
    assert_eq!(copied + present, total);
    assert_eq!(s3_blobs(&s3, &prefix), source, "every blob, same bytes");

    // A third run finds everything in place.
    let out = run(&mut mediakit(
        &["migrate-storage", "--to", &to_s3],
        data.path(),
        &s3,
    ));
    assert!(out.status.success());
    assert_eq!(summary(&out), (0, total, 0, total));

    // The same database now serves from S3.
    let data = check_served_from(data, &to_s3, &s3, &media);

    // And back to local disk, from S3.
    let back = data.path().join("blobs-from-s3");
    let back_str = back.to_str().unwrap();
    let out = run(&mut mediakit(
        &["migrate-storage", "--storage", &to_s3, "--to", back_str],
        data.path(),
        &s3,
    ));
    assert!(out.status.success(), "{}", stdout(&out));
    assert_eq!(summary(&out), (total, 0, 0, total));
    assert_eq!(local_blobs(&back), source);
    check_served_from(data, back_str, &s3, &media);
    S3Service::clear(&s3.client(&prefix)).unwrap();
}

#[test]
fn mismatched_bytes_are_reported_never_overwritten_or_spread() {
    let s3 = S3Service::from_env();
    let prefix = S3Service::unique_prefix("mismatch");
    let to_s3 = s3.storage_url(&prefix);
    let t = Target::native_from(ServerProcess::start_on_defaults());
    let a = t.upload_ok("a.png", &fixtures::read("photo-alpha.png"));
    let b = t.upload_ok("b.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let data = t.into_server().unwrap().stop_keep_data();
    let blobs = data.path().join("blobs");

    // The target already holds other bytes under a's original key.
    let a_key = format!(
        "media/{}/original.{}",
        a["id"].as_str().unwrap(),
        a["path"].as_str().unwrap().rsplit('.').next().unwrap()
    );
    S3Service::put(&s3.client(&prefix), &a_key, b"someone else's bytes");
    // The source copy of b's original no longer matches the catalog.
    let b_key = format!("media/{}/original.jpg", b["id"].as_str().unwrap());
    std::fs::write(blobs.join(&b_key), b"bit rot").unwrap();

    let out = run(&mut mediakit(
        &["migrate-storage", "--to", &to_s3],
        data.path(),
        &s3,
    ));
    assert!(!out.status.success(), "mismatches fail the command");
    let (copied, _, failed, total) = summary(&out);
    assert_eq!(failed, 2, "{}", stdout(&out));
    assert_eq!(copied, total - 2, "everything else is copied");
    let target = s3_blobs(&s3, &prefix);
    assert_eq!(
        target.get(&a_key),
        Some(&sha256_hex(b"someone else's bytes")),
        "the target's bytes were left alone"
    );
    assert!(
        !target.contains_key(&b_key),
        "a corrupt source blob is not spread"
    );
    let all: BTreeSet<_> = local_blobs(&blobs).into_keys().collect();
    assert_eq!(target.len(), all.len() - 1);
    S3Service::clear(&s3.client(&prefix)).unwrap();
}
