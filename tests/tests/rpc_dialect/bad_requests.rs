//! Malformed calls get the RPC error shape and change nothing.

use super::support::*;
use mediakit_e2e::Target;

/// An endpoint, its parameters, and the expected status and error code.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, (u16, &'a str));

#[test]
fn bad_requests_get_rpc_errors_and_store_nothing() {
    let t = Target::start();
    let id = upload_photo(&t, "bad");
    let before = fetch(&t, &id);
    let id = id.as_str();
    let long = "a".repeat(256);
    let cases: Vec<Case> = vec![
        ("/media/fetch_media", vec![], (400, "invalid_request")),
        (
            "/media/fetch_media",
            vec![("media_ID", "  ")],
            (400, "invalid_request"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d")],
            (404, "not_found"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", "1726829477543921-De1ySZKWvQEN")],
            (404, "not_found"),
        ),
        (
            "/media/fetch_media",
            vec![("media_ID", id), ("extra", "1")],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_deleted",
            vec![("media_ID", id)],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_deleted",
            vec![("media_ID", id), ("mark_as_deleted", "maybe")],
            (400, "invalid_request"),
        ),
        (
            "/media/mark_media_as_unlisted",
            vec![("media_ID", "nope"), ("mark_as_unlisted", "true")],
            (404, "not_found"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id)],
            (400, "invalid_request"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("tags", "x")],
            (400, "invalid_request"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("filename", " ")],
            (400, "invalid_filename"),
        ),
        (
            "/update_media_metadata",
            vec![("media_ID", id), ("filename", "../../etc/passwd")],
            (400, "invalid_filename"),
        ),
        (
            "/update_media_metadata",
            vec![
                ("media_ID", id),
                ("is_unlisted", "true"),
                ("alt_text", &long),
            ],
            (400, "alt_text_too_long"),
        ),
    ];
    for (path, params, expect) in cases {
        let res = call(&t, path, &params);
        assert_eq!(
            rpc_error(res),
            (expect.0, expect.1.to_owned()),
            "{path} {params:?}"
        );
    }
    assert_eq!(fetch(&t, id), before, "refused calls changed nothing");

    // The same parameter twice (query and body) is refused, not guessed.
    let res = t.send_as_admin(
        t.post("/media/fetch_media")
            .query(&[("media_ID", &id)])
            .form(&[("media_ID", &id)]),
    );
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    let res = t.send_as_admin(
        t.post("/media/fetch_media")
            .header("content-type", "application/json")
            .body("{not json"),
    );
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    let res = t.send_as_admin(t.get("/media/fetch_media").query(&[("media_ID", &id)]));
    assert_eq!(rpc_error(res), (405, "method_not_allowed".into()));

    // Files: unknown instances and mismatched URLs are 404.
    let inst = before["instances"][0]["instance_id"].as_str().unwrap();
    for bad in [
        format!("{id}-nosuchvariant"),
        "0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d-original".to_owned(),
        "17268294775593667-iUZYiIR1TWgn".to_owned(),
    ] {
        let res = t
            .get("/media/fetch_media_instance")
            .query(&[("instance_ID", &bad)])
            .send()
            .unwrap();
        assert_eq!(rpc_error(res), (404, "not_found".into()), "{bad}");
    }
    let res = t.get("/media/fetch_media_instance").send().unwrap();
    assert_eq!(rpc_error(res), (400, "invalid_request".into()));
    for path in [
        format!("/volume/media/files/0196a1c2-8e3b-7c41-9a55-3f0e6a1b2c3d/{inst}.jpg"),
        format!("/volume/media/files/{id}/{inst}.png"),
        format!("/volume/media/files/{id}/{inst}"),
    ] {
        assert_eq!(
            rpc_error(t.get(&path).send().unwrap()),
            (404, "not_found".into()),
            "{path}"
        );
    }
}
