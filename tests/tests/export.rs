//! `mediakit export DIR`: every live original and its metadata, streamed
//! and hash-checked, resumable. Native only: it runs on a data directory.

use mediakit_e2e::server::{assert_succeeded, on_data};
use mediakit_e2e::{Target, fixtures, skip_on_remote};
use serde_json::Value;
use sha2::Digest;

#[test]
fn export_writes_originals_and_metadata_and_reruns_cheaply() {
    if skip_on_remote("it runs `mediakit export` on a native data directory") {
        return;
    }
    let t = Target::native(&[]);
    let jpeg = t.upload_ok("sea.jpg", &fixtures::read("photo-seeding-800.jpg"));
    let svg = t.upload_ok("logo.svg", &fixtures::read("logo.svg"));
    let trashed = t.upload_ok("gone.png", &fixtures::read("photo-alpha.png"));
    let id = |m: &Value| m["id"].as_str().unwrap().to_owned();
    let res = t.patch_media(
        &id(&jpeg),
        &serde_json::json!({"alt_text": "The sea", "tags": ["a", "b"]}),
    );
    assert_eq!(res.status(), 200);
    assert_eq!(t.delete_media(&id(&trashed)).status(), 204);
    let server = t.native_only("export reads the store directly").unwrap();
    let data = server.data_dir().to_path_buf();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("export");
    let dir_arg = dir.to_str().unwrap();

    let first = on_data(&data, &["export", dir_arg]);
    assert_succeeded(&first);
    let said = String::from_utf8_lossy(&first.stdout);
    assert!(
        said.contains("exported 2 items") && said.contains("2 written"),
        "{said}"
    );
    for m in [&jpeg, &svg] {
        let file = dir.join(m["filename"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        let sha = hex::encode(sha2::Sha256::digest(&bytes));
        assert_eq!(sha, m["sha256"].as_str().unwrap(), "the stored original");
        let meta: Value =
            serde_json::from_slice(&std::fs::read(dir.join(format!("{}.json", id(m)))).unwrap())
                .unwrap();
        assert_eq!(meta["original_filename"], m["original_filename"]);
        assert_eq!(meta["mime_type"], m["mime_type"]);
        assert_eq!(meta["created_at"], m["created_at"]);
    }
    let meta: Value =
        serde_json::from_slice(&std::fs::read(dir.join(format!("{}.json", id(&jpeg)))).unwrap())
            .unwrap();
    assert_eq!(meta["alt_text"], "The sea");
    assert_eq!(meta["tags"], serde_json::json!(["a", "b"]));
    assert!(
        !dir.join(format!("{}.json", id(&trashed))).exists(),
        "the trash stays"
    );

    // Again: nothing to write. A damaged copy is written again.
    let again = on_data(&data, &["export", dir_arg]);
    assert_succeeded(&again);
    let said = String::from_utf8_lossy(&again.stdout);
    assert!(said.contains("0 written, 2 already there"), "{said}");
    let damaged = dir.join(jpeg["filename"].as_str().unwrap());
    std::fs::write(&damaged, b"not the photo").unwrap();
    let repair = on_data(&data, &["export", dir_arg]);
    assert_succeeded(&repair);
    assert!(
        String::from_utf8_lossy(&repair.stdout).contains("1 written, 1 already there"),
        "{}",
        String::from_utf8_lossy(&repair.stdout)
    );
    let bytes = std::fs::read(&damaged).unwrap();
    assert_eq!(
        hex::encode(sha2::Sha256::digest(&bytes)),
        jpeg["sha256"].as_str().unwrap()
    );
}
