//! The OpenAPI document (`rest::openapi`) is OpenAPI 3.1 and complete:
//! every route the Router serves for the REST dialect is in it with
//! exactly the methods it answers, and every operation names its security
//! and its errors, whose codes and scopes are core's. (CI also runs
//! openapi-spec-validator and schemathesis on the served document:
//! scripts/test.d/25-openapi.sh.)

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::http::{Method, Request, StatusCode, header};
use mediakit_api::rest::openapi;
use mediakit_core::auth::Scope;
use mediakit_core::catalog::Catalog;
use mediakit_core::config::ServiceConfig;
use mediakit_core::ports::{Adapters, InlineOffload, SqlExecutor, SqlValue, Statement};
use mediakit_core::service::{MediaService, Ports};
use mediakit_core::testing::{ManualClock, MemoryBlobs, SeededEntropy};
use mediakit_core::{Error, ErrorCode};
use serde_json::Value;
use tower::ServiceExt;

/// A database that is never there: routing needs none, and what reaches
/// it answers `storage_unavailable`, still not the Router's 404 or 405.
struct NoDatabase;

impl SqlExecutor for NoDatabase {
    async fn execute(&self, _: &Statement) -> mediakit_core::Result<u64> {
        Err(Error::storage("no database in this test"))
    }

    async fn fetch(&self, _: &Statement) -> mediakit_core::Result<Vec<Vec<SqlValue>>> {
        Err(Error::storage("no database in this test"))
    }
}

type Stub = Adapters<MemoryBlobs, NoDatabase, ManualClock, SeededEntropy, InlineOffload>;

fn router() -> Router {
    let ports = Ports {
        blobs: MemoryBlobs::default(),
        catalog: Catalog::new(NoDatabase),
        clock: ManualClock::at(0),
        entropy: SeededEntropy::default(),
        offload: InlineOffload,
    };
    mediakit_api::router(Arc::new(MediaService::<Stub>::new(
        ports,
        ServiceConfig::default(),
    )))
}

fn doc() -> Value {
    serde_json::from_str(openapi::json()).expect("the document is JSON")
}

const METHODS: [Method; 5] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
];

/// `(METHOD, path template)` of every operation in the document.
fn documented(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            ops.insert((method.to_uppercase(), path.clone()));
        }
    }
    ops
}

/// A concrete URL for a template: `{file}` names a file, other
/// parameters an id.
fn concrete(template: &str) -> String {
    template.replace("{file}", "x.jpg").replace("{id}", "x")
}

/// Whether the Router answers `method` at `path` with a route of its own,
/// rather than its fallbacks (404 `no such endpoint`, 405).
async fn served(router: &Router, method: &Method, path: &str) -> bool {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let fallback_404 = status == StatusCode::NOT_FOUND
        && String::from_utf8_lossy(&body).contains("no such endpoint");
    !(fallback_404 || status == StatusCode::METHOD_NOT_ALLOWED)
}

#[tokio::test]
async fn every_route_is_described_with_exactly_its_methods() {
    let doc = doc();
    let router = router();
    let routes: BTreeSet<String> = mediakit_api::documented_paths::<Stub>()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let in_doc: BTreeSet<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    assert_eq!(routes, in_doc, "the Router's paths and the document's");

    let mut answered = BTreeSet::new();
    for path in &routes {
        for method in &METHODS {
            if served(&router, method, &concrete(path)).await {
                answered.insert((method.to_string(), path.clone()));
            }
        }
    }
    assert_eq!(answered, documented(&doc), "methods answered vs documented");
}

#[test]
fn document_is_openapi_3_1_with_unique_ids_and_resolvable_refs() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().expect("an operationId");
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(op["summary"].is_string(), "{method} {path}: a summary");
            // Every `{param}` of the template is a path parameter, and
            // nothing else is.
            let in_template: BTreeSet<&str> = path
                .split('{')
                .skip(1)
                .filter_map(|s| s.split_once('}').map(|(p, _)| p))
                .collect();
            let declared: BTreeSet<&str> = op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|p| p["in"] == "path")
                .map(|p| p["name"].as_str().unwrap())
                .collect();
            assert_eq!(in_template, declared, "{method} {path}: path parameters");
        }
    }
    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "$ref {r} resolves"
        );
    }
    // Links name operations that exist.
    for (_, item) in doc["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            for (_, res) in op["responses"].as_object().unwrap() {
                for (_, link) in res["links"].as_object().into_iter().flatten() {
                    let target = link["operationId"].as_str().unwrap();
                    assert!(ids.contains(target), "link to {target}");
                }
            }
        }
    }
}

fn collect_refs<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(r)) = map.get("$ref") {
                out.push(r);
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// The codes an error response allows (its narrowing of `ErrorBody`).
fn codes_of(response: &Value) -> Vec<String> {
    let schema = &response["content"]["application/json"]["schema"];
    assert_eq!(schema["allOf"][0]["$ref"], "#/components/schemas/ErrorBody");
    let codes = &schema["allOf"][1]["properties"]["error"]["properties"]["code"]["enum"];
    codes
        .as_array()
        .expect("the codes")
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_operation_declares_its_security_and_errors() {
    let doc = doc();
    let scopes: BTreeSet<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let what = format!("{method} {path}");
            let requirements = op["security"].as_array().expect(&what);
            assert!(!requirements.is_empty(), "{what}: security");
            let public = requirements == &[serde_json::json!({})];
            if !public {
                for r in requirements {
                    for s in r["bearer"].as_array().expect(&what) {
                        assert!(scopes.contains(s.as_str().unwrap()), "{what}: scope {s}");
                    }
                }
                assert!(
                    requirements.contains(&serde_json::json!({"bearer": ["admin"]})),
                    "{what}: admin may do everything"
                );
            }
            let responses = op["responses"].as_object().unwrap();
            let mut codes = Vec::new();
            for (status, res) in responses {
                let status: u16 = status.parse().expect(&what);
                // 416 is a file's range answer, without a body.
                if status < 400 || status == 416 {
                    continue;
                }
                for code in codes_of(res) {
                    let known = ErrorCode::ALL
                        .into_iter()
                        .find(|c| c.as_str() == code)
                        .unwrap_or_else(|| panic!("{what}: unknown code {code}"));
                    assert_eq!(known.http_status(), status, "{what}: {code}");
                    codes.push(code);
                }
            }
            assert!(codes.contains(&"internal".to_owned()), "{what}: 500");
            if !public {
                for code in ["unauthorized", "forbidden"] {
                    assert!(codes.contains(&code.to_owned()), "{what}: {code}");
                }
            }
        }
    }
}

#[test]
fn codes_and_scopes_are_cores() {
    let doc = doc();
    let schemas = &doc["components"]["schemas"];
    let codes: Vec<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    assert_eq!(schemas["ErrorCode"]["enum"], serde_json::json!(codes));
    let scopes: Vec<&str> = Scope::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(schemas["Scope"]["enum"], serde_json::json!(scopes));
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
}

#[tokio::test]
async fn the_document_and_its_page_are_served_without_a_token() {
    let router = router();
    let get = |uri: &str| {
        let req = Request::get(uri).body(Body::empty()).unwrap();
        router.clone().oneshot(req)
    };
    let res = get(openapi::SPEC_PATH).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "application/json");
    let body = to_bytes(res.into_body(), 1 << 22).await.unwrap();
    assert_eq!(body, openapi::json().as_bytes());

    let res = get(openapi::DOCS_PATH).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let csp = res.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let page =
        String::from_utf8(to_bytes(res.into_body(), 1 << 22).await.unwrap().to_vec()).unwrap();
    assert!(!page.contains("<script"), "no script: the CSP forbids it");
    for (_, item) in doc()["paths"].as_object().unwrap() {
        for (_, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            assert!(
                page.contains(&format!("id=\"{id}\"")),
                "the page shows {id}"
            );
        }
    }
    for name in doc()["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            page.contains(&format!("id=\"schema-{name}\"")),
            "the page shows {name}"
        );
    }
}
