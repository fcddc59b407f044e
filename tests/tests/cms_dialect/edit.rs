//! `POST /media/edit/:id`.

use super::support::*;
use mediakit_e2e::{Target, unique};
use reqwest::blocking::Response;
use serde_json::{Value, json};

#[test]
fn edit_updates_name_and_tags() {
    let t = Target::start();
    let id = add_ok(&t, &unique("before"), json!("old"));
    let name = unique("after");
    let edit = |body: Value| -> Response {
        with_cookie(&t, t.post(&format!("/media/edit/{id}")), &t.admin_token)
            .json(&body)
            .send()
            .unwrap()
    };
    let (status, body) = cms_body(edit(
        json!({"name": format!("  {name} "), "tags": "a, b,,A , c"}),
    ));
    assert_eq!(status, 200);
    assert_eq!(body["data"], "Media updated successfully");
    let item = &list(&t, &format!("search={name}"))["media"][0];
    assert_eq!(item["id"], id);
    assert_eq!(item["name"], name);
    assert_eq!(item["tags"], json!(["a", "b", "c"]));

    let (status, _) = cms_body(edit(json!({"name": name, "tags": [" x ", "", "X", "y"]})));
    assert_eq!(status, 200);
    let item = &list(&t, &format!("search={name}"))["media"][0];
    assert_eq!(item["tags"], json!(["x", "y"]));
    let (status, _) = cms_body(edit(json!({"name": name, "tags": []})));
    assert_eq!(status, 200);
    assert_eq!(
        list(&t, &format!("search={name}"))["media"][0]["tags"],
        json!([])
    );

    // A form body works too; other fields of a posted-back item are ignored.
    let res = with_cookie(&t, t.post(&format!("/media/edit/{id}")), &t.admin_token)
        .form(&[("name", name.as_str()), ("tags", "f1,f2")])
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200);
    let mut item = list(&t, &format!("search={name}"))["media"][0].clone();
    assert_eq!(item["tags"], json!(["f1", "f2"]));
    item["tags"] = json!(["g"]);
    assert_eq!(cms_body(edit(item)).0, 200);
    assert_eq!(
        list(&t, &format!("search={name}"))["media"][0]["tags"],
        json!(["g"])
    );
}
