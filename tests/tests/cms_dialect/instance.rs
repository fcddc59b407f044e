//! Read-only instances and failing stores.

use super::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{ServerProcess, Target, fixtures, unique};
use serde_json::json;

#[test]
fn a_read_only_instance_serves_the_store_but_refuses_adds_and_deletes() {
    // The seed splits roles: API instances without uploads over the same
    // store. Natively: fill a store, restart it with --no-uploads.
    let server = ServerProcess::start(&[]);
    let t = Target::native_from(server);
    let name = unique("shared");
    let id = add_ok(&t, &name, json!(["ro"]));
    let admin = t.admin_token.clone();
    let data = t.into_server().unwrap().stop_keep_data();
    let t = Target::native_from(ServerProcess::start_in(data, &["--no-uploads"]));
    assert_eq!(t.admin_token, admin);

    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let res = add(
        &t,
        &admin,
        &json!({"name": "x", "tags": [], "image": image}),
    );
    assert_eq!(
        cms_error(res),
        (
            503,
            "This service is not handling file uploads.".into(),
            "uploads_disabled".into()
        )
    );
    for path in [
        format!("/media/delete/{id}"),
        "/media/delete/999999".to_owned(),
    ] {
        let res = with_cookie(&t, t.delete(&path), &admin).send().unwrap();
        assert_eq!(
            cms_error(res),
            (
                503,
                "This service is not handling file uploads.".into(),
                "uploads_disabled".into()
            ),
            "{path}"
        );
    }
    let listing = list(&t, &format!("search={name}"));
    assert_eq!(ids(&listing), [id], "the item is still there and listed");
    // Editing metadata is not an upload: the seed does not gate it.
    let res = with_cookie(&t, t.post(&format!("/media/edit/{id}")), &admin)
        .json(&json!({"name": name, "tags": ["ro", "edited"]}))
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200);
}

#[test]
fn a_failing_store_gets_the_seed_failure_text() {
    // Natively, the blob directory is swapped for a plain file, so that
    // writing the image fails as a broken disk would.
    let t = Target::native(&[]);
    add_ok(&t, &unique("first"), json!([]));
    let Some(server) = t.local_storage_only("swaps the blob directory for a file") else {
        return;
    };
    let media_dir = server.data_dir().join("blobs").join("media");
    let aside = server.data_dir().join("blobs").join("media-aside");
    std::fs::rename(&media_dir, &aside).unwrap();
    std::fs::write(&media_dir, b"not a directory").unwrap();
    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    let name = unique("broken");
    let res = add(
        &t,
        &t.admin_token,
        &json!({"name": name, "tags": [], "image": image}),
    );
    let (status, data, code) = cms_error(res);
    std::fs::remove_file(&media_dir).unwrap();
    std::fs::rename(&aside, &media_dir).unwrap();
    assert_eq!(
        (status, data.as_str(), code.as_str()),
        (503, "Error adding media", "storage_unavailable")
    );
    assert_eq!(list(&t, &format!("search={name}"))["max"], 0);
}
