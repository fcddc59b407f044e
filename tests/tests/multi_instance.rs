//! Two `mediakit serve` instances on one Postgres database and one S3
//! prefix, as behind a load balancer: they start together, take 200
//! concurrent uploads between them, and read, edit, delete and restore each
//! other's media. Afterwards every acknowledged upload is readable from both
//! with the right hash, the database holds each exactly once, and numeric
//! ids are unique. Needs the services of scripts/test.d/30-postgres-s3.sh.
//!
//! (Past 400 lines: one scenario over two servers; its steps share the
//! servers and the ledger of acknowledged uploads, so they stay together.)

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use mediakit_e2e::server::{DataDir, ServerProcess};
use mediakit_e2e::test_store::{S3Service, TestDatabase};
use mediakit_e2e::{Target, client, sha256_hex, unique};
use reqwest::blocking::{Client, multipart};
use serde_json::Value;

const UPLOADS: usize = 200;
const CLIENT_THREADS: usize = 16;
/// `file_cache_ttl_ms`'s default (core's `DEFAULT_FILE_CACHE_TTL_MS`).
const FILE_CACHE_TTL: std::time::Duration = std::time::Duration::from_millis(2_000);

/// What a 201 told us.
#[derive(Clone, Debug)]
struct Acked {
    id: String,
    number: i64,
    sha256: String,
    /// `uploads/media/…` paths of the original and each variant.
    original: String,
    variants: Vec<String>,
    /// Index of the instance that took the upload.
    via: usize,
}

/// One instance as seen from a client thread.
#[derive(Clone)]
struct Instance {
    base: String,
    token: String,
}

impl Instance {
    fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base, path.trim_start_matches('/'))
    }
}

/// A distinct opaque image per upload (so each has its own hash).
fn png(i: usize) -> Vec<u8> {
    let i = i as u32;
    let img = image::RgbImage::from_fn(320, 200, |x, y| {
        image::Rgb([
            (x.wrapping_mul(7) ^ i) as u8,
            (y.wrapping_mul(3) + i * 13) as u8,
            ((x ^ y) + i * 31) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn start_instances(db: &TestDatabase, s3: &S3Service, prefix: &str) -> Vec<ServerProcess> {
    let storage = s3.storage_url(prefix);
    // The database URL (it has a password) and S3 credentials go through
    // the environment, the way an operator would pass them.
    let mut env = vec![("MEDIAKIT_DATABASE", db.url.as_str())];
    env.extend(s3.env());
    let flags = ["--storage", storage.as_str()];
    // Started at the same moment on an empty database.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| scope.spawn(|| ServerProcess::start_configured(DataDir::new(), &flags, &env)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn upload(c: &Client, to: &Instance, i: usize, tag: &str) -> Value {
    let part = multipart::Part::bytes(png(i)).file_name(format!("multi-{i}.png"));
    let form = multipart::Form::new()
        .part("file", part)
        .text("tags", format!("{tag},n{i}"));
    let res = c
        .post(to.url("/api/v1/media/upload"))
        .bearer_auth(&to.token)
        .multipart(form)
        .send()
        .unwrap_or_else(|e| panic!("upload {i}: {e}"));
    let status = res.status();
    let text = res.text().unwrap();
    assert_eq!(status, 201, "upload {i} to {}: {text}", to.base);
    serde_json::from_str(&text).unwrap()
}

fn get_status(c: &Client, url: &str) -> u16 {
    c.get(url).send().unwrap().status().as_u16()
}

fn get_bytes(c: &Client, url: &str) -> Vec<u8> {
    let res = c.get(url).send().unwrap();
    assert_eq!(res.status(), 200, "GET {url}");
    res.bytes().unwrap().to_vec()
}

fn api(
    c: &Client,
    on: &Instance,
    method: reqwest::Method,
    path: &str,
) -> reqwest::blocking::RequestBuilder {
    c.request(method, on.url(path)).bearer_auth(&on.token)
}

fn list_ids(c: &Client, on: &Instance, query: &str) -> Vec<String> {
    let res = api(
        c,
        on,
        reqwest::Method::GET,
        &format!("/api/v1/media?{query}&limit=1000"),
    )
    .send()
    .unwrap();
    assert_eq!(res.status(), 200);
    let items: Vec<Value> = res.json().unwrap();
    assert!(items.len() < 1000, "one page holds them all");
    items
        .iter()
        .map(|m| m["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs `job(i)` for i in 0..n on `threads` threads.
fn parallel(n: usize, threads: usize, job: impl Fn(&Client, usize) + Sync) {
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let c = client();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        break;
                    }
                    job(&c, i);
                }
            });
        }
    });
}

#[test]
fn two_instances_share_one_store_without_losing_anything() {
    let db = TestDatabase::create("mk_multi");
    let s3 = S3Service::from_env();
    let prefix = S3Service::unique_prefix("multi");
    let servers = start_instances(&db, &s3, &prefix);

    // One admin token between them, written by whichever created it.
    let holders: Vec<_> = servers
        .iter()
        .filter(|s| s.data_dir().join("admin-token").exists())
        .collect();
    assert_eq!(
        holders.len(),
        1,
        "exactly one instance created the admin token"
    );
    let admin = holders[0].admin_token();
    let tokens = db.rows_i64_text("SELECT COUNT(*)::bigint, MIN(label) FROM tokens");
    assert_eq!(tokens[0].0, 1, "one token row: {tokens:?}");

    let targets: Vec<Target> = servers
        .into_iter()
        .map(|s| Target::native_with_token(s, &admin))
        .collect();
    let instances: Vec<Instance> = targets
        .iter()
        .map(|t| Instance {
            base: t.base.clone(),
            token: admin.clone(),
        })
        .collect();
    let tag = unique("multi");

    // 200 concurrent uploads, alternating between the instances.
    let acked = Mutex::new(BTreeMap::<usize, Acked>::new());
    parallel(UPLOADS, CLIENT_THREADS, |c, i| {
        let via = i % 2;
        let m = upload(c, &instances[via], i, &tag);
        let a = Acked {
            id: m["id"].as_str().unwrap().to_owned(),
            number: m["number"].as_i64().unwrap(),
            sha256: m["sha256"].as_str().unwrap().to_owned(),
            original: m["path"].as_str().unwrap().to_owned(),
            variants: m["variants"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v["path"].as_str().unwrap().to_owned())
                .collect(),
            via,
        };
        assert!(!a.variants.is_empty(), "a 320 px image has a thumbnail");
        acked.lock().unwrap().insert(i, a);
    });
    let acked = acked.into_inner().unwrap();
    assert_eq!(acked.len(), UPLOADS, "every upload was acknowledged");
    let ids: BTreeSet<&str> = acked.values().map(|a| a.id.as_str()).collect();
    let numbers: BTreeSet<i64> = acked.values().map(|a| a.number).collect();
    assert_eq!(ids.len(), UPLOADS, "ids are unique");
    assert_eq!(
        numbers.len(),
        UPLOADS,
        "numeric ids are unique across instances"
    );

    // Crossing instances, concurrently: the first 90 items are edited,
    // deleted-and-restored, or deleted for good, each on the instance that
    // did not take the upload, and checked on the one that did.
    let crossed = 90;
    let deleted_for_good = Mutex::new(BTreeSet::new());
    parallel(crossed, 8, |c, i| {
        let a = &acked[&i];
        let (mine, other) = (&instances[a.via], &instances[1 - a.via]);
        let item = format!("/api/v1/media/{}", a.id);
        match i % 3 {
            0 => {
                let res = api(c, other, reqwest::Method::PATCH, &item)
                    .json(&serde_json::json!({ "name": format!("edited {i}"), "alt_text": "seen from both" }))
                    .send()
                    .unwrap();
                assert_eq!(res.status(), 200, "edit on the other instance");
                let got: Value = api(c, mine, reqwest::Method::GET, &item)
                    .send()
                    .unwrap()
                    .json()
                    .unwrap();
                assert_eq!(
                    got["name"],
                    format!("edited {i}"),
                    "the edit is visible where it was uploaded"
                );
                assert_eq!(got["alt_text"], "seen from both");
            }
            1 => {
                let res = api(c, other, reqwest::Method::DELETE, &item)
                    .send()
                    .unwrap();
                assert_eq!(res.status(), 204);
                assert_eq!(
                    get_status(c, &mine.url(&a.original)),
                    404,
                    "deleted on one, gone on the other"
                );
                assert_eq!(
                    api(c, mine, reqwest::Method::GET, &item)
                        .send()
                        .unwrap()
                        .status(),
                    404
                );
                let res = api(c, mine, reqwest::Method::POST, &format!("{item}/restore"))
                    .send()
                    .unwrap();
                assert_eq!(
                    res.status(),
                    200,
                    "restored on the instance that did not delete it"
                );
                assert_eq!(sha256_hex(&get_bytes(c, &other.url(&a.original))), a.sha256);
            }
            _ => {
                // Both instances delete at once: exactly one makes the change.
                let statuses: Vec<u16> = std::thread::scope(|scope| {
                    let hs: Vec<_> = [mine, other]
                        .into_iter()
                        .map(|on| {
                            let item = item.clone();
                            scope.spawn(move || {
                                api(&client(), on, reqwest::Method::DELETE, &item)
                                    .send()
                                    .unwrap()
                                    .status()
                                    .as_u16()
                            })
                        })
                        .collect();
                    hs.into_iter().map(|h| h.join().unwrap()).collect()
                });
                let mut sorted = statuses.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, [204, 404], "one delete wins: {statuses:?}");
                for on in [mine, other] {
                    assert_eq!(get_status(c, &on.url(&a.original)), 404);
                }
                deleted_for_good.lock().unwrap().insert(a.id.clone());
            }
        }
    });
    let deleted = deleted_for_good.into_inner().unwrap();
    assert_eq!(deleted.len(), crossed / 3);

    // Both instances list the same items: every live acknowledged upload
    // once, the deleted ones only in the trash.
    let c = client();
    let live: BTreeSet<String> = ids
        .iter()
        .map(|s| s.to_string())
        .filter(|id| !deleted.contains(id))
        .collect();
    for on in &instances {
        let listed = list_ids(&c, on, &format!("tag={tag}"));
        let set: BTreeSet<String> = listed.iter().cloned().collect();
        assert_eq!(
            set.len(),
            listed.len(),
            "no item listed twice on {}",
            on.base
        );
        assert_eq!(set, live, "{} lists every live upload", on.base);
        let trash: BTreeSet<String> = list_ids(&c, on, &format!("tag={tag}&deleted=true"))
            .into_iter()
            .collect();
        assert_eq!(trash, deleted, "{} has the same trash", on.base);
    }

    // Every live upload is readable from both instances, with the
    // acknowledged hash; variants are the same bytes from both.
    parallel(UPLOADS, 8, |c, i| {
        let a = &acked[&i];
        if deleted.contains(&a.id) {
            return;
        }
        for on in &instances {
            let bytes = get_bytes(c, &on.url(&a.original));
            assert_eq!(sha256_hex(&bytes), a.sha256, "upload {i} from {}", on.base);
        }
        for v in &a.variants {
            let one = get_bytes(c, &instances[0].url(v));
            let two = get_bytes(c, &instances[1].url(v));
            assert!(!one.is_empty() && one == two, "{v} is the same from both");
        }
    });

    // The database holds each acknowledged upload exactly once, under the
    // numeric id it was acknowledged with.
    let rows = db.rows_i64_text("SELECT seq, id FROM media ORDER BY seq");
    assert_eq!(rows.len(), UPLOADS, "no row lost or duplicated");
    let by_id: BTreeMap<&str, i64> = rows.iter().map(|(n, id)| (id.as_str(), *n)).collect();
    assert_eq!(by_id.len(), UPLOADS);
    for a in acked.values() {
        assert_eq!(by_id.get(a.id.as_str()), Some(&a.number), "row of {}", a.id);
    }

    // The bucket holds exactly their blobs: nothing missing, nothing extra.
    let expected: BTreeSet<String> = acked
        .values()
        .flat_map(|a| {
            let ext = a.original.rsplit('.').next().unwrap();
            std::iter::once(format!("media/{}/original.{ext}", a.id)).chain(
                a.variants
                    .iter()
                    .map(|v| v.strip_prefix("uploads/").unwrap().to_owned()),
            )
        })
        .collect();
    let stored: BTreeSet<String> = S3Service::list(&s3.client(&prefix)).into_iter().collect();
    assert_eq!(stored, expected, "blobs in s3://{}/{prefix}", s3.bucket);

    // The file cache's bound (docs/deploy.md): both instances have just
    // served this file, so both hold its row. Deleted on one, it is gone
    // there at once and on the other within the cache's time to live.
    let a = &acked[&crossed];
    let (here, there) = (&instances[1], &instances[0]);
    let res = api(
        &c,
        here,
        reqwest::Method::DELETE,
        &format!("/api/v1/media/{}", a.id),
    )
    .send()
    .unwrap();
    assert_eq!(res.status(), 204);
    let deleted_at = std::time::Instant::now();
    assert_eq!(
        get_status(&c, &here.url(&a.original)),
        404,
        "at once where deleted"
    );
    while get_status(&c, &there.url(&a.original)) != 404 {
        assert!(
            deleted_at.elapsed() < FILE_CACHE_TTL + std::time::Duration::from_secs(1),
            "still served by the other instance after {:?}",
            deleted_at.elapsed()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }

    drop(targets);
    S3Service::clear(&s3.client(&prefix)).unwrap();
}
