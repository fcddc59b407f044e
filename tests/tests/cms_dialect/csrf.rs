//! Cross-site request forgery: a write authenticated by the `refreshToken`
//! cookie must come from the server's own origin (`Origin`, else
//! `Referer`). A page elsewhere can make the browser send the cookie with
//! a form post, but not set those headers or `Authorization`.

use super::support::*;
use mediakit_e2e::{Target, unique};
use reqwest::blocking::RequestBuilder;
use serde_json::json;

const EVIL: &str = "https://evil.example";

/// The cookie alone, no `Origin`: what a test adds on top is all there is.
fn cookie_only(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("cookie", format!("refreshToken={token}"))
}

/// The names of the listed items matching `search` (a read: not checked).
fn name_of(t: &Target, search: &str) -> Vec<String> {
    list(t, &format!("search={search}"))["media"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["name"].as_str().unwrap().to_owned())
        .collect()
}

fn assert_forbidden(res: reqwest::blocking::Response, what: &str) {
    let (status, data, code) = cms_error(res);
    assert_eq!(
        (status, code.as_str()),
        (403, "forbidden"),
        "{what}: {data}"
    );
    assert!(
        data.contains("cross-site"),
        "{what}: a clear message: {data}"
    );
}

#[test]
fn cross_site_cookie_writes_are_refused_and_change_nothing() {
    let t = Target::start();
    let name = unique("csrf");
    let id = add_ok(&t, &name, json!([]));
    let edit = || t.post(&format!("/media/edit/{id}"));
    let form = [("name", "pwned"), ("tags", "x")];

    // A form another site posts: urlencoded, cookie attached, its Origin.
    let res = cookie_only(edit(), &t.admin_token)
        .header("origin", EVIL)
        .form(&form)
        .send()
        .unwrap();
    assert_forbidden(res, "cross-site edit (form)");
    let res = cookie_only(edit(), &t.admin_token)
        .header("origin", EVIL)
        .header("referer", format!("{}/admin", t.base))
        .json(&json!({"name": "pwned", "tags": []}))
        .send()
        .unwrap();
    assert_forbidden(res, "cross-site edit with a same-origin Referer");
    let res = cookie_only(t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .header("referer", format!("{EVIL}/page"))
        .send()
        .unwrap();
    assert_forbidden(res, "cross-site delete (Referer only)");
    let added = unique("csrf-added");
    let res = cookie_only(t.post("/media/add"), &t.admin_token)
        .header("origin", "null")
        .form(&[("name", added.as_str()), ("tags", ""), ("image", "AAAA")])
        .send()
        .unwrap();
    assert_forbidden(res, "add from an opaque origin");
    // Neither header: a client we cannot vouch for.
    let res = cookie_only(edit(), &t.admin_token)
        .form(&form)
        .send()
        .unwrap();
    assert_forbidden(res, "edit without Origin or Referer");
    let res = cookie_only(t.delete(&format!("/media/delete/{id}")), &t.admin_token)
        .send()
        .unwrap();
    assert_forbidden(res, "delete without Origin or Referer");

    assert_eq!(
        name_of(&t, &name),
        [name.as_str()],
        "still there, unchanged"
    );
    assert!(name_of(&t, &added).is_empty(), "nothing added");
    // Reads change nothing and stay open to the cookie from anywhere.
    let res = cookie_only(t.get(&format!("/media?search={name}")), &t.admin_token)
        .header("origin", EVIL)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[test]
fn same_origin_cookie_writes_and_bearer_writes_are_accepted() {
    let t = Target::start();
    let name = unique("same-origin");
    let id = add_ok(&t, &name, json!([]));
    let edit = || t.post(&format!("/media/edit/{id}"));

    let renamed = unique("renamed");
    let res = cookie_only(edit(), &t.admin_token)
        .header("origin", &t.base)
        .form(&[("name", renamed.as_str()), ("tags", "a")])
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200, "same Origin, form body");
    assert_eq!(name_of(&t, &renamed), [renamed.as_str()]);

    let renamed = unique("renamed");
    let res = cookie_only(edit(), &t.admin_token)
        .header("referer", format!("{}/admin/media?page=2", t.base))
        .json(&json!({"name": renamed, "tags": []}))
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200, "no Origin, same-origin Referer");
    assert_eq!(name_of(&t, &renamed), [renamed.as_str()]);

    // A bearer token is never attached by a browser on its own: whatever
    // the Origin, it is not a forgery.
    let renamed = unique("renamed");
    let res = edit()
        .bearer_auth(&t.admin_token)
        .header("origin", EVIL)
        .json(&json!({"name": renamed, "tags": []}))
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200, "bearer, cross-site Origin");
    let res = t
        .delete(&format!("/media/delete/{id}"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(cms_body(res).0, 200, "bearer, no Origin");
    assert!(name_of(&t, &renamed).is_empty(), "deleted");
}
