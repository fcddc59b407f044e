//! What every dialect's error shape shares: the status of a core error
//! (one table, in core) and the server-side log of backend failures. Each
//! dialect renders the body in its own shape (`rest::error`, `rpc::error`,
//! `cms::error`).

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mediakit_core::{Error, ErrorCode};
use serde::Serialize;

/// The status of a code (one table, in core).
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Logs server-side failures with their detail; clients get the public
/// message only.
pub fn log_if_server_error(e: &Error) {
    if e.http_status() >= 500 {
        tracing::error!(code = %e.code, "{}", e.message);
    }
}

/// An error answered with `body`, the dialect's shape of it, under the
/// code's status; logged when it is the server's fault. A 401 carries the
/// `WWW-Authenticate: Bearer` challenge of the dialects whose clients send
/// bearer tokens.
pub fn bearer_error_response(e: &Error, body: impl Serialize) -> Response {
    log_if_server_error(e);
    let mut res = (status_of(e.code), Json(body)).into_response();
    if e.code == ErrorCode::Unauthorized {
        res.headers_mut()
            .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    res
}
