//! Health and unknown routes.

use mediakit_e2e::{Target, error_code};

#[test]
fn health_and_unknown_routes() {
    let t = Target::start();
    let res = t.get("/healthz").send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        error_code(t.get("/api/v1/nope").send().unwrap()),
        (404, "not_found".into())
    );
    let res = t
        .client()
        .put(t.url("/api/v1/media"))
        .bearer_auth(&t.admin_token)
        .send()
        .unwrap();
    assert_eq!(error_code(res), (405, "method_not_allowed".into()));
}

/// A path segment that is not UTF-8 once percent-decoded names nothing: a
/// JSON 404 like any unknown id, not axum's plain-text 400 (which broke
/// "every error is JSON with a code", the OpenAPI document's promise).
#[test]
fn undecodable_path_segments_are_json_404s() {
    let t = Target::start();
    let client = t.client();
    let requests = [
        client.get(t.url("/api/v1/media/%FF")),
        client
            .patch(t.url("/api/v1/media/%FF"))
            .json(&serde_json::json!({})),
        client.delete(t.url("/api/v1/media/%FF")),
        client.post(t.url("/api/v1/media/%FF/restore")),
        client.delete(t.url("/api/v1/tokens/%C3%28")),
        client.get(t.url("/uploads/media/%FF.jpg")),
        client.get(t.url("/uploads/media/%FF/thumb.jpg")),
    ];
    for req in requests {
        let res = req.bearer_auth(&t.admin_token).send().unwrap();
        let url = res.url().to_string();
        assert_eq!(error_code(res), (404, "not_found".into()), "{url}");
    }
}
