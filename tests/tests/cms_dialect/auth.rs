//! Permissions map onto scopes; the cookie or a bearer token carries them.

use super::support::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use mediakit_e2e::{Target, fixtures, unique};
use reqwest::blocking::RequestBuilder;
use serde_json::json;

/// Builds the same request again (one per credential tried).
type MakeRequest<'a> = Box<dyn Fn() -> RequestBuilder + 'a>;

#[test]
fn permissions_map_onto_scopes_and_the_cookie_or_bearer_carries_them() {
    let t = Target::start();
    let id = add_ok(&t, &unique("perm"), json!([]));
    let image = STANDARD.encode(fixtures::read("photo-seeding-800.jpg"));
    // Tokens named with the CMS's own permission names.
    let view = t.token(&["view-media"]);
    let add_token = t.token(&["add-media"]);
    let edit = t.token(&["edit-media"]);
    let delete = t.token(&["delete-media"]);
    let name = unique("perm-added");
    let requests: Vec<(&str, &String, MakeRequest)> = vec![
        ("list", &view, Box::new(|| t.get("/media?limit=1"))),
        (
            "add",
            &add_token,
            Box::new(|| {
                t.post("/media/add")
                    .json(&json!({"name": name, "tags": [], "image": image}))
            }),
        ),
        (
            "edit",
            &edit,
            Box::new(|| {
                t.post(&format!("/media/edit/{id}"))
                    .json(&json!({"name": "edited", "tags": "t"}))
            }),
        ),
        (
            "delete",
            &delete,
            Box::new(|| t.delete(&format!("/media/delete/{id}"))),
        ),
    ];
    for (what, right, make) in &requests {
        let (status, body) = cms_body(make().send().unwrap());
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{what}: no token"
        );
        let res = with_cookie(&t, make(), "mk_not-a-real-token")
            .send()
            .unwrap();
        assert_eq!(cms_error(res).0, 401, "{what}: bad token");
        for (other, wrong, _) in &requests {
            if other == what {
                continue;
            }
            let res = with_cookie(&t, make(), wrong).send().unwrap();
            assert_eq!(cms_error(res).0, 403, "{what} with {other}'s permission");
        }
        let res = with_cookie(&t, make(), right).send().unwrap();
        assert_eq!(res.status(), 200, "{what} with its permission (cookie)");
    }
    // Bearer works as well as the cookie.
    let res = t.get("/media?limit=1").bearer_auth(&view).send().unwrap();
    assert_eq!(res.status(), 200);
}
