//! What every dialect's error shape shares: the status of a core error
//! (one table, in core) and the server-side log of backend failures. Each
//! dialect renders the body in its own shape (`rest::error`, `rpc::error`,
//! `cms::error`).

use axum::http::StatusCode;
use mediakit_core::{Error, ErrorCode};

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
