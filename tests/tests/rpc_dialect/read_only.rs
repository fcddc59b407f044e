//! A read-only instance.

use super::support::*;
use mediakit_e2e::{Target, fixtures};
use serde_json::{Value, json};

#[test]
fn a_read_only_instance_refuses_uploads_and_deletions() {
    // `--no-uploads` is a property of the native process.
    let t = Target::native(&["--no-uploads"]);
    let res = upload(
        &t,
        &t.admin_token,
        &[("a.jpg", &fixtures::read("photo-seeding-800.jpg"))],
    );
    assert_eq!(rpc_error(res), (503, "uploads_disabled".into()));
    let res = call(
        &t,
        "/media/mark_media_as_deleted",
        &[
            ("media_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d"),
            ("mark_as_deleted", "true"),
        ],
    );
    assert_eq!(rpc_error(res), (503, "uploads_disabled".into()));
    let res = call(&t, "/media/fetch_all_media_metadata", &[]);
    assert_eq!(res.status(), 200, "reading still works");
    assert_eq!(res.json::<Value>().unwrap(), json!([]));
}
