//! Delete, restore and purge.

use mediakit_e2e::{Target, error_code, fixtures, unique};
use serde_json::Value;

#[test]
fn delete_restore_and_purge() {
    let t = Target::start();
    let m = t.upload_ok(
        &format!("{}.jpg", unique("del")),
        &fixtures::read("photo-seeding-800.jpg"),
    );
    let id = m["id"].as_str().unwrap();
    let file = format!("/uploads/media/{id}.jpg");
    let thumb = format!("/uploads/media/{id}/thumb.jpg");
    assert_eq!(t.get(&file).send().unwrap().status(), 200);

    assert_eq!(t.delete_media(id).status(), 204);
    assert_eq!(error_code(t.get_media(id)), (404, "not_found".into()));
    assert_eq!(
        t.get(&file).send().unwrap().status(),
        404,
        "deleted media is not served"
    );
    assert_eq!(
        t.get(&thumb).send().unwrap().status(),
        404,
        "nor its variants"
    );
    assert!(!t.list_all("").iter().any(|x| x["id"] == id), "nor listed");
    let trash = t.list_all("deleted=true");
    assert!(
        trash
            .iter()
            .any(|x| x["id"] == id && x["deleted_at"].is_string()),
        "it is in the trash"
    );
    assert_eq!(
        error_code(t.delete_media(id)),
        (404, "not_found".into()),
        "deleting twice is 404"
    );

    let res = t.restore_media(id);
    assert_eq!(res.status(), 200);
    let r: Value = res.json().unwrap();
    assert_eq!(r["deleted_at"], Value::Null);
    assert_eq!(
        t.get(&file).send().unwrap().status(),
        200,
        "restored files are served again"
    );
    assert_eq!(t.get(&thumb).send().unwrap().status(), 200);

    let before = t.data_files();
    let res = t.send_as_admin(t.delete(&format!("/api/v1/media/{id}?purge=true")));
    assert_eq!(res.status(), 204);
    assert_eq!(t.get(&file).send().unwrap().status(), 404);
    assert_eq!(
        error_code(t.restore_media(id)),
        (404, "not_found".into()),
        "purged is gone for good"
    );
    if t.is_native() {
        let after = t.data_files();
        let removed: Vec<_> = before.difference(&after).collect();
        assert_eq!(
            removed.len(),
            3,
            "original + 2 variants removed from disk: {removed:?}"
        );
        assert!(after.iter().all(|p| !p.to_string_lossy().contains(id)));
    }
}
