//! `mark_media_as_deleted` and `mark_media_as_unlisted`.

use super::support::*;
use mediakit_e2e::Target;
use serde_json::{Value, json};

#[test]
fn mark_as_deleted_and_unlisted_report_changes_and_reverse() {
    let t = Target::start();
    let id = upload_photo(&t, "marks");
    let instance_url = fetch(&t, &id)["instances"][1]["url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(all_metadata_ids(&t).contains(&id));

    let mark = |path: &str, flag: &str, value: &str| -> Value {
        let res = call(&t, path, &[("media_ID", &id), (flag, value)]);
        assert_eq!(res.status(), 200);
        res.json().unwrap()
    };
    let deleted = "/media/mark_media_as_deleted";
    let unlisted = "/media/mark_media_as_unlisted";

    assert_eq!(mark(unlisted, "mark_as_unlisted", "true"), json!(true));
    assert_eq!(
        mark(unlisted, "mark_as_unlisted", "true"),
        json!(false),
        "no change"
    );
    assert!(
        !all_metadata_ids(&t).contains(&id),
        "unlisted leave the listing"
    );
    assert_eq!(fetch(&t, &id)["metadata"]["is_unlisted"], true);
    assert_eq!(
        t.client().get(&instance_url).send().unwrap().status(),
        200,
        "unlisted files are still served"
    );
    assert_eq!(mark(unlisted, "mark_as_unlisted", "false"), json!(true));
    assert_eq!(mark(unlisted, "mark_as_unlisted", "false"), json!(false));
    assert!(all_metadata_ids(&t).contains(&id));

    assert_eq!(mark(deleted, "mark_as_deleted", "true"), json!(true));
    assert_eq!(
        mark(deleted, "mark_as_deleted", "True"),
        json!(false),
        "no change"
    );
    assert!(
        !all_metadata_ids(&t).contains(&id),
        "deleted leave the listing"
    );
    assert_eq!(t.client().get(&instance_url).send().unwrap().status(), 404);
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["is_deleted"], true, "admins still see it");
    assert!((m["metadata"]["deletion_time"].as_f64().unwrap() - now_secs()).abs() < 120.0);
    let reader = t.token(&["media:read"]);
    let res = t
        .post("/media/fetch_media")
        .query(&[("media_ID", id.as_str()), ("auth_token", &reader)])
        .send()
        .unwrap();
    assert_eq!(
        rpc_error(res),
        (404, "not_found".into()),
        "a token that cannot restore sees a deleted item as gone"
    );
    let res = call(
        &t,
        unlisted,
        &[("media_ID", &id), ("mark_as_unlisted", "true")],
    );
    assert_eq!(rpc_error(res), (404, "not_found".into()));

    assert_eq!(
        mark(deleted, "mark_as_deleted", "false"),
        json!(true),
        "restored"
    );
    assert_eq!(mark(deleted, "mark_as_deleted", "0"), json!(false));
    assert_eq!(
        t.client().get(&instance_url).send().unwrap().status(),
        200,
        "its files are back"
    );
    let m = fetch(&t, &id);
    assert_eq!(m["metadata"]["is_deleted"], false);
    assert_eq!(m["metadata"]["deletion_time"], json!(0));
    assert!(all_metadata_ids(&t).contains(&id));
}
