//! `update_media_metadata`.

use super::support::*;
use mediakit_e2e::Target;
use serde_json::{Value, json};

#[test]
fn update_media_metadata_echoes_what_was_stored() {
    let t = Target::start();
    let id = upload_photo(&t, "IMG_0001");
    let update = |params: &[(&str, &str)]| -> Value {
        let mut all = vec![("media_ID", id.as_str())];
        all.extend_from_slice(params);
        let res = call(&t, "/update_media_metadata", &all);
        assert_eq!(res.status(), 200);
        let body: Value = res.json().unwrap();
        assert_eq!(body["success"], 1);
        body["new_metadata"].clone()
    };

    // The seed's example: its client sent the quotes as part of the value.
    assert_eq!(
        update(&[("alt_text", "\"HEISANN!!\"")]),
        json!({"alt_text": "\"HEISANN!!\""})
    );
    assert_eq!(
        update(&[("alt_text", "  HEISANN!!  ")]),
        json!({"alt_text": "HEISANN!!"}),
        "stored trimmed, and that is what comes back"
    );
    assert_eq!(
        update(&[
            ("filename", "holiday"),
            ("author_credit_subtext", "Photo: A. Person"),
            ("is_unlisted", "true"),
        ]),
        json!({"filename": "holiday", "author_credit_subtext": "Photo: A. Person", "is_unlisted": true})
    );
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["filename"], "holiday");
    assert_eq!(m["metadata"]["file_extention"], "jpg");
    assert_eq!(m["metadata"]["alt_text"], "HEISANN!!");
    assert_eq!(m["metadata"]["author_credit_subtext"], "Photo: A. Person");
    assert_eq!(m["metadata"]["is_unlisted"], true);
    let rest: Value = t.get_media(&id).json().unwrap();
    assert_eq!(
        rest["original_filename"], "holiday.jpg",
        "the extension stays"
    );
    assert_eq!(rest["alt_text"], "HEISANN!!");

    assert_eq!(
        update(&[("alt_text", ""), ("is_unlisted", "false")]),
        json!({"alt_text": null, "is_unlisted": false}),
        "blank clears"
    );
    assert_eq!(
        update(&[("is_deleted", "true")]),
        json!({"is_deleted": true})
    );
    assert_eq!(fetch(&t, &id)["metadata"]["is_deleted"], true);
    let res = call(
        &t,
        "/update_media_metadata",
        &[("media_ID", &id), ("alt_text", "edit while deleted")],
    );
    assert_eq!(rpc_error(res), (404, "not_found".into()));
    assert_eq!(
        update(&[("is_deleted", "false"), ("alt_text", "back")]),
        json!({"is_deleted": false, "alt_text": "back"}),
        "restore and edit in one call"
    );
    assert_eq!(fetch(&t, &id)["metadata"]["alt_text"], "back");

    // JSON bodies carry typed values.
    let res = t.send_as_admin(
        t.post("/update_media_metadata")
            .json(&json!({"media_ID": id, "is_unlisted": false, "alt_text": "json"})),
    );
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(
        body,
        json!({"new_metadata": {"is_unlisted": false, "alt_text": "json"}, "success": 1})
    );
}
