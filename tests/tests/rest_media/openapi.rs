//! The OpenAPI document and its page, as a host serves them: public, from
//! the shared Router (so the edge worker too, when this suite runs against
//! it). Their content is checked in api/tests/openapi.rs and by
//! schemathesis (scripts/test.d/25-openapi.sh).

use mediakit_e2e::Target;
use serde_json::Value;

#[test]
fn the_document_and_its_page_need_no_token() {
    let t = Target::start();
    let res = t.get("/api/v1/openapi.json").send().unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/json");
    let doc: Value = res.json().unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["paths"]["/api/v1/media/upload"]["post"].is_object());

    let res = t.get("/api/docs").send().unwrap();
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let page = res.text().unwrap();
    assert!(
        page.contains("id=\"uploadMedia\""),
        "the page lists the upload"
    );
    assert!(!page.contains("<script"));
}
