//! Routes for CI and measurements, served only when `TEST_ROUTES` is on
//! (the `ci` environment of wrangler.toml) and only to the admin token:
//!
//! - `POST /_edge/conformance` runs core's port conformance suites against
//!   this isolate's real R2 and D1 (the `TEST_BUCKET` and `TEST_DB`
//!   bindings, emptied first), so R2 and the catalog over D1 are held to
//!   the same contract as the local disk and the catalog over SQLite. A
//!   broken rule panics with its name (logged by the worker's panic hook)
//!   and the request fails.
//! - `GET /_edge/memory` reports the size of the wasm linear memory, which
//!   only grows: after a request it is that request's peak (or an earlier,
//!   larger one).

use std::time::Duration;

use axum::body::Body;
use http::{Request, Response, StatusCode, header};
use mediakit_core::catalog::Catalog;
use mediakit_core::{Error, ErrorCode, conformance};
use worker::Env;

use crate::backend::{TEST_BUCKET, TEST_DB};
use crate::d1_executor::D1Executor;
use crate::r2_blobs::R2Blobs;

pub const CONFORMANCE: &str = "/_edge/conformance";
pub const MEMORY: &str = "/_edge/memory";

/// Whether `path` is one of these routes.
pub fn handles(path: &str) -> bool {
    path == CONFORMANCE || path == MEMORY
}

pub async fn answer(env: &Env, req: &Request<worker::Body>) -> Result<Response<Body>, Error> {
    match (req.method().as_str(), req.uri().path()) {
        ("POST", CONFORMANCE) => conformance_suites(env).await,
        ("GET", MEMORY) => Ok(json(
            StatusCode::OK,
            serde_json::json!({ "wasm_memory_bytes": wasm_memory_bytes() }),
        )),
        _ => Err(Error::new(
            ErrorCode::MethodNotAllowed,
            "this endpoint does not support that method",
        )),
    }
}

/// The linear memory's current (and therefore peak) size.
pub fn wasm_memory_bytes() -> usize {
    core::arch::wasm32::memory_size::<0>() * 65536
}

async fn conformance_suites(env: &Env) -> Result<Response<Body>, Error> {
    let binding = |e: worker::Error| Error::internal(format!("test bindings: {e}"));
    let blobs = R2Blobs::new(env.bucket(TEST_BUCKET).map_err(binding)?);
    let catalog = Catalog::new(D1Executor::new(env.d1(TEST_DB).map_err(binding)?));
    let started = worker::js_sys::Date::now();
    blobs.clear().await?;
    conformance::blobs::run_all(&blobs).await;
    blobs.clear().await?;
    catalog.executor().clear().await?;
    conformance::catalog::run_all(&catalog).await;
    catalog.executor().clear().await?;
    let elapsed = Duration::from_millis((worker::js_sys::Date::now() - started) as u64);
    Ok(json(
        StatusCode::OK,
        serde_json::json!({
            "blobs": "passed",
            "catalog": "passed",
            "ms": elapsed.as_millis() as u64,
        }),
    ))
}

fn json(status: StatusCode, value: serde_json::Value) -> Response<Body> {
    let mut res = Response::new(Body::from(value.to_string()));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    res
}
