//! Every REST route × no token / bad token / wrong scope / right scope.

use mediakit_e2e::{Target, error_code, fixtures};
use reqwest::blocking::RequestBuilder;
use serde_json::Value;

/// A route, the scope that suffices, and one that does not.
struct Case {
    name: &'static str,
    right: &'static str,
    wrong: &'static str,
    expect: u16,
}

const CASES: [Case; 10] = [
    Case {
        name: "list",
        right: "media:read",
        wrong: "media:upload",
        expect: 200,
    },
    Case {
        name: "images",
        right: "media:read",
        wrong: "media:delete",
        expect: 200,
    },
    Case {
        name: "upload",
        right: "media:upload",
        wrong: "media:read",
        expect: 201,
    },
    Case {
        name: "get",
        right: "media:read",
        wrong: "media:edit",
        expect: 200,
    },
    Case {
        name: "patch",
        right: "media:edit",
        wrong: "media:read",
        expect: 200,
    },
    Case {
        name: "delete",
        right: "media:delete",
        wrong: "media:edit",
        expect: 204,
    },
    // Restored, without the media object: reading it needs media:read.
    Case {
        name: "restore",
        right: "media:delete",
        wrong: "media:upload",
        expect: 204,
    },
    Case {
        name: "tokens-list",
        right: "admin",
        wrong: "media:read",
        expect: 200,
    },
    Case {
        name: "tokens-create",
        right: "admin",
        wrong: "media:delete",
        expect: 201,
    },
    Case {
        name: "tokens-revoke",
        right: "admin",
        wrong: "media:edit",
        expect: 204,
    },
];

/// Builds the request of a case against fresh state (an item to act on).
fn request(t: &Target, name: &str) -> RequestBuilder {
    let item = || -> String {
        let m = t.upload_ok("auth.png", &fixtures::read("photo-alpha.png"));
        m["id"].as_str().unwrap().to_owned()
    };
    match name {
        "list" => t.get("/api/v1/media"),
        "images" => t.get("/api/v1/media/images"),
        "upload" => {
            let part = reqwest::blocking::multipart::Part::bytes(fixtures::read("photo-alpha.png"))
                .file_name("a.png");
            t.post("/api/v1/media/upload")
                .multipart(reqwest::blocking::multipart::Form::new().part("file", part))
        }
        "get" => t.get(&format!("/api/v1/media/{}", item())),
        "patch" => t
            .patch(&format!("/api/v1/media/{}", item()))
            .json(&serde_json::json!({"alt_text": "x"})),
        "delete" => t.delete(&format!("/api/v1/media/{}", item())),
        "restore" => {
            let id = item();
            assert_eq!(t.delete_media(&id).status(), 204);
            t.post(&format!("/api/v1/media/{id}/restore"))
        }
        "tokens-list" => t.get("/api/v1/tokens"),
        "tokens-create" => t
            .post("/api/v1/tokens")
            .json(&serde_json::json!({"scopes": ["media:read"]})),
        "tokens-revoke" => {
            let res = t.create_token(&serde_json::json!({"scopes": ["media:read"]}));
            let id = res.json::<Value>().unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            t.delete(&format!("/api/v1/tokens/{id}"))
        }
        other => panic!("unknown case {other}"),
    }
}

#[test]
fn every_route_checks_the_token_and_its_scope() {
    let t = Target::start();
    let bad_tokens = [
        "garbage",
        "mk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "",
    ];
    for case in CASES {
        let res = request(&t, case.name).send().unwrap();
        assert_eq!(
            error_code(res),
            (401, "unauthorized".into()),
            "{}: no token",
            case.name
        );
        for bad in bad_tokens {
            let res = request(&t, case.name).bearer_auth(bad).send().unwrap();
            assert_eq!(
                error_code(res),
                (401, "unauthorized".into()),
                "{}: bad token {bad:?}",
                case.name
            );
        }
        let wrong = t.token(&[case.wrong]);
        let res = request(&t, case.name).bearer_auth(&wrong).send().unwrap();
        assert_eq!(
            error_code(res),
            (403, "forbidden".into()),
            "{}: scope {}",
            case.name,
            case.wrong
        );
        let right = t.token(&[case.right]);
        let res = request(&t, case.name).bearer_auth(&right).send().unwrap();
        let status = res.status().as_u16();
        assert_eq!(
            status,
            case.expect,
            "{}: scope {}: {}",
            case.name,
            case.right,
            res.text().unwrap_or_default()
        );
    }
}

#[test]
fn the_seed_lets_upload_tokens_edit_alt_text() {
    let t = Target::start();
    let id = t.upload_ok("a.png", &fixtures::read("photo-alpha.png"))["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let uploader = t.token(&["media:upload"]);
    let res = t
        .patch(&format!("/api/v1/media/{id}"))
        .bearer_auth(&uploader)
        .json(&serde_json::json!({"alt_text": "ok"}))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
}

#[test]
fn revoked_tokens_stop_working_and_scheme_is_case_insensitive() {
    let t = Target::start();
    let res = t.create_token(&serde_json::json!({"scopes": ["media:read"], "label": "temp"}));
    assert_eq!(res.status(), 201);
    let created: Value = res.json().unwrap();
    let secret = created["token"].as_str().unwrap();
    assert!(secret.starts_with("mk_"));
    let res = t
        .get("/api/v1/media")
        .header("authorization", format!("bearer {secret}"))
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);

    let listed: Vec<Value> = t.send_as_admin(t.get("/api/v1/tokens")).json().unwrap();
    let entry = listed
        .iter()
        .find(|x| x["id"] == created["id"])
        .expect("listed");
    assert!(entry.get("token").is_none(), "secrets are never listed");
    assert_eq!(entry["label"], "temp");

    let res = t.revoke_token(created["id"].as_str().unwrap());
    assert_eq!(res.status(), 204);
    let res = t.get("/api/v1/media").bearer_auth(secret).send().unwrap();
    assert_eq!(error_code(res), (401, "unauthorized".into()));

    let res = t.create_token(&serde_json::json!({"scopes": ["media:reed"]}));
    assert_eq!(
        error_code(res),
        (400, "invalid_request".into()),
        "unknown scopes are refused"
    );
}

#[test]
fn files_need_no_token() {
    let t = Target::start();
    let m = t.upload_ok("a.png", &fixtures::read("photo-alpha.png"));
    let res = t.file(&m);
    assert_eq!(res.status(), 200);
}

/// `media:delete` deletes and restores in every dialect, but reads no
/// metadata in any: not the item it acts on, live or deleted.
#[test]
fn a_delete_only_token_deletes_and_restores_but_reads_nothing() {
    let t = Target::start();
    let deleter = t.token(&["media:delete"]);
    let m = t.upload_ok("delete-only.png", &fixtures::read("photo-alpha.png"));
    let id = m["id"].as_str().unwrap();
    let fetch = |token: &str| {
        t.post(&format!("/media/fetch_media?media_ID={id}"))
            .bearer_auth(token)
            .send()
            .unwrap()
    };
    let res = fetch(&deleter);
    assert_eq!(
        rpc_error(res),
        (403, "forbidden".into()),
        "RPC fetch_media, live"
    );
    let res = t
        .get(&format!("/api/v1/media/{id}"))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(error_code(res), (403, "forbidden".into()), "REST get");

    let res = t
        .delete(&format!("/api/v1/media/{id}"))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(res.status(), 204, "REST delete");
    let res = fetch(&deleter);
    assert_eq!(
        rpc_error(res),
        (403, "forbidden".into()),
        "RPC fetch_media, deleted"
    );
    let res = t
        .post(&format!("/api/v1/media/{id}/restore"))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(res.status(), 204, "REST restore");
    assert!(res.bytes().unwrap().is_empty(), "no metadata in the answer");

    let res = t
        .post(&format!(
            "/media/mark_media_as_deleted?media_ID={id}&mark_as_deleted=true"
        ))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "RPC delete");
    let res = t
        .post(&format!(
            "/media/mark_media_as_deleted?media_ID={id}&mark_as_deleted=false"
        ))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "RPC restore");
    let res = t
        .delete(&format!("/media/delete/{}", m["number"]))
        .bearer_auth(&deleter)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200, "CMS delete");

    // With media:read as well, the deleted item is there to decide on.
    let manager = t.token(&["media:read", "media:delete"]);
    let res = fetch(&manager);
    assert_eq!(res.status(), 200);
    let body: Value = res.json().unwrap();
    assert_eq!(body["metadata"]["is_deleted"], true);
    let res = t
        .post(&format!("/api/v1/media/{id}/restore"))
        .bearer_auth(&manager)
        .send()
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().unwrap()["id"], id);
}

/// Status and stable code of an RPC error (`{"success": 0, "error": …}`).
fn rpc_error(res: reqwest::blocking::Response) -> (u16, String) {
    let status = res.status().as_u16();
    let body: Value = res.json().unwrap();
    assert_eq!(body["success"], 0, "{body}");
    (
        status,
        body["error"].as_str().unwrap_or_default().to_owned(),
    )
}
