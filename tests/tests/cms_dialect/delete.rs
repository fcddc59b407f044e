//! `DELETE /media/delete/:id`.

use super::support::*;
use mediakit_e2e::{Target, unique};
use serde_json::json;

#[test]
fn delete_hides_media_and_its_files() {
    let t = Target::start();
    let name = unique("doomed");
    let id = add_ok(&t, &name, json!([]));
    let path = list(&t, &format!("search={name}"))["media"][0]["path"]
        .as_str()
        .unwrap()
        .to_owned();
    let res = with_cookie(&t, t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .send()
        .unwrap();
    let (status, body) = cms_body(res);
    assert_eq!(status, 200);
    assert_eq!(body["data"], "Media deleted successfully");
    assert_eq!(list(&t, &format!("search={name}"))["max"], 0);
    assert_eq!(
        t.get(&path).send().unwrap().status(),
        404,
        "files go at once"
    );
    let res = with_cookie(&t, t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .send()
        .unwrap();
    assert_eq!(
        cms_error(res),
        (404, "Media not found".into(), "not_found".into()),
        "deleting twice"
    );
    let res = with_cookie(&t, t.post(&format!("/media/edit/{id}")), &t.admin_token)
        .json(&json!({"name": "x", "tags": []}))
        .send()
        .unwrap();
    assert_eq!(cms_error(res).0, 404, "a deleted item cannot be edited");
}
