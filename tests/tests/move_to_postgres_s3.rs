//! Outgrowing one machine: a single instance on SQLite and local disk moves
//! its metadata to Postgres (`migrate-database`) and its files to S3
//! (`migrate-storage`), then two instances serve the same media, numeric
//! ids and tokens as before. Needs the services of stage 30.

use std::process::{Command, Output};

use mediakit_e2e::server::{DataDir, ServerProcess, binary};
use mediakit_e2e::test_store::{S3Service, TestDatabase};
use mediakit_e2e::{Target, error_code, fixtures, rpc, sha256_hex, unique};
use serde_json::{Value, json};

fn mediakit(args: &[&str], data: &DataDir, env: &[(&str, &str)]) -> Output {
    let out = Command::new(binary())
        .args(args)
        .arg("--data")
        .arg(data.path())
        .envs(env.iter().copied())
        .env("MEDIAKIT_LOG", "warn")
        .current_dir(data.path())
        .output()
        .expect("running mediakit");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn get_json(t: &Target, path: &str) -> Value {
    let res = t.send_as_admin(t.get(path));
    assert_eq!(res.status(), 200, "GET {path}");
    res.json().unwrap()
}

#[test]
fn a_single_instance_moves_to_postgres_and_s3_keeping_everything() {
    // The single machine: defaults (SQLite, local disk).
    let t = Target::native_from(ServerProcess::start_on_defaults());
    let tag = unique("move");
    let mut media = Vec::new();
    for (name, file) in [
        ("a.jpg", "photo-seeding-800.jpg"),
        ("b.png", "photo-alpha.png"),
        ("c.webp", "photo.webp"),
        ("d.pdf", "document.pdf"),
        ("e.jpg", "photo-orient6.jpg"),
    ] {
        let res = t.upload_with(
            &t.admin_token,
            name,
            &fixtures::read(file),
            &[("tags", &tag)],
        );
        assert_eq!(res.status(), 201);
        media.push(res.json::<Value>().unwrap());
    }
    let id = |i: usize| media[i]["id"].as_str().unwrap().to_owned();
    // Edited, unlisted, deleted: states that must survive the move.
    let res = t.patch_media(
        &id(0),
        &json!({"alt_text": "moved with care", "unlisted": true}),
    );
    assert_eq!(res.status(), 200);
    assert_eq!(t.delete_media(&id(1)).status(), 204);
    let reader = t.token(&["media:read"]);
    // A revoked token must stay revoked after the move.
    let created: Value = t
        .create_token(&json!({"scopes": ["media:read"], "label": "to revoke"}))
        .json()
        .unwrap();
    let revoked = created["token"].as_str().unwrap().to_owned();
    let res = t.revoke_token(created["id"].as_str().unwrap());
    assert_eq!(res.status(), 204);
    // A batch upload (RPC dialect) leaves a task whose status is queryable.
    let batch = fixtures::read("photo-alpha.png");
    let res = rpc::upload(&t, &t.admin_token, &[("batch.png", &batch)]);
    assert_eq!(res.status(), 200);
    let task: Value = res.json().unwrap();
    let task_id = task["data"]["task_ID"].as_str().unwrap().to_owned();
    let task_before = get_json(&t, &format!("/media/task_status?task_ID={task_id}"));
    let before: Vec<Value> = (0..media.len())
        .map(|i| {
            let res = t.get_media(&id(i));
            if i == 1 {
                assert_eq!(res.status(), 404, "deleted");
                media[1].clone()
            } else {
                res.json().unwrap()
            }
        })
        .collect();
    let admin = t.admin_token.clone();
    let data = t.into_server().unwrap().stop_keep_data();

    // The shared services.
    let db = TestDatabase::create("mk_move");
    let s3 = S3Service::from_env();
    let prefix = S3Service::unique_prefix("move");
    let storage = s3.storage_url(&prefix);
    let env = s3.env();
    let out = mediakit(&["migrate-storage", "--to", &storage], &data, &env);
    assert!(out.status.success(), "{}", stdout(&out));
    // The target URL (with its password) through the environment.
    let mut with_to = env.to_vec();
    with_to.push(("MEDIAKIT_MIGRATE_TO", db.url.as_str()));
    let out = mediakit(&["migrate-database"], &data, &with_to);
    assert!(out.status.success(), "{}", stdout(&out));
    for line in [
        "media: copied 6, already present 0, failed 0",
        "tokens: copied 3, already present 0, failed 0",
        "tasks: copied 1, already present 0, failed 0",
    ] {
        assert!(stdout(&out).contains(line), "{line}: {}", stdout(&out));
    }
    // Again: nothing to do, everything checked.
    let out = mediakit(&["migrate-database"], &data, &with_to);
    assert!(out.status.success());
    for line in [
        "media: copied 0, already present 6, failed 0",
        "tokens: copied 0, already present 3, failed 0",
        "tasks: copied 0, already present 1, failed 0",
    ] {
        assert!(stdout(&out).contains(line), "{line}: {}", stdout(&out));
    }

    // Two instances on the new store.
    let mut fleet_env = vec![
        ("MEDIAKIT_DATABASE", db.url.as_str()),
        ("MEDIAKIT_STORAGE", storage.as_str()),
    ];
    fleet_env.extend(s3.env());
    let fleet: Vec<Target> = (0..2)
        .map(|_| {
            let server = ServerProcess::start_configured(DataDir::new(), &[], &fleet_env);
            assert!(
                !server.data_dir().join("admin-token").exists(),
                "the copied admin token is used, no new one is made"
            );
            Target::native_with_token(server, &admin)
        })
        .collect();
    for t in &fleet {
        for (i, was) in before.iter().enumerate() {
            if i == 1 {
                continue;
            }
            let now = get_json(t, &format!("/api/v1/media/{}", id(i)));
            assert_eq!(&now, was, "item {i} unchanged, numeric id included");
            let file = t.file(was);
            assert_eq!(file.status(), 200);
            assert_eq!(
                sha256_hex(&file.bytes().unwrap()),
                was["sha256"].as_str().unwrap()
            );
        }
        let res = t.get("/api/v1/media").bearer_auth(&reader).send().unwrap();
        assert_eq!(
            res.status(),
            200,
            "the media:read token works on the new fleet"
        );
        let res = t.get("/api/v1/media").bearer_auth(&revoked).send().unwrap();
        assert_eq!(
            error_code(res),
            (401, "unauthorized".into()),
            "revoked stays revoked"
        );
        assert_eq!(
            get_json(t, &format!("/media/task_status?task_ID={task_id}")),
            task_before,
            "the batch task came along"
        );
        // CMS dialect: numeric ids still find the same items.
        let number = before[2]["number"].as_i64().unwrap();
        let res = t
            .get(&format!("/media?search={tag}"))
            .header("Cookie", format!("refreshToken={admin}"))
            .send()
            .unwrap();
        assert_eq!(res.status(), 200);
        let body = res.text().unwrap();
        assert!(body.contains(&format!("\"id\":{number}")), "{body}");
    }
    // The deleted item came along and restores on the new fleet.
    let res = fleet[0]
        .post(&format!("/api/v1/media/{}/restore", id(1)))
        .bearer_auth(&admin)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = fleet[1].file(&media[1]);
    assert_eq!(res.status(), 200, "restored, served by the other instance");
    // New uploads get numeric ids after the old ones.
    let max_old = before
        .iter()
        .map(|m| m["number"].as_i64().unwrap())
        .max()
        .unwrap();
    for t in &fleet {
        let m = t.upload_ok("new.png", &fixtures::read("photo-alpha.png"));
        assert!(m["number"].as_i64().unwrap() > max_old, "{m}");
    }
    drop(fleet);
    S3Service::clear(&s3.client(&prefix)).unwrap();
}
