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
