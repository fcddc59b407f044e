//! What every dialect's error shape shares: the status of a core error
//! (one table, in core) and the server-side log of backend failures. Each
//! dialect renders the body in its own shape (`rest::error`, `rpc::error`,
//! `cms::error`); the two bearer dialects (REST, RPC) share one error type,
//! [`BearerError`], that differs only in that shape.

use std::marker::PhantomData;

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use mediakit_core::admission::RETRY_AFTER_SECS;
use mediakit_core::{Error, ErrorCode};
use serde::Serialize;

/// The status of a code (one table, in core).
pub fn status_of(code: ErrorCode) -> StatusCode {
    StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// Logs server-side failures with their detail; clients get the public
/// message only. A busy server is not a failure: it is doing as told.
pub fn log_if_server_error(e: &Error) {
    if e.http_status() >= 500 && e.code != ErrorCode::ServerBusy {
        tracing::error!(code = %e.code, "{}", e.message);
    }
}

/// A core error on its way to a client of a bearer dialect, answered in
/// that dialect's body shape `B` (`rest::ErrorBody`, `rpc::RpcErrorBody`)
/// under the code's status; logged when it is the server's fault. A 401
/// carries the `WWW-Authenticate: Bearer` challenge, since these clients
/// send bearer tokens.
#[derive(Debug)]
pub struct BearerError<B>(pub Error, PhantomData<fn() -> B>);

impl<B> From<Error> for BearerError<B> {
    fn from(e: Error) -> Self {
        Self(e, PhantomData)
    }
}

impl<B> IntoResponse for BearerError<B>
where
    B: Serialize + for<'a> From<&'a Error>,
{
    fn into_response(self) -> Response {
        let e = self.0;
        let mut res = error_response(&e, B::from(&e));
        if e.code == ErrorCode::Unauthorized {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// An error answered with `body`, the dialect's shape of it, under the
/// code's status; logged when it is the server's fault. `server_busy`
/// says when to come back (`Retry-After`), in every dialect.
pub fn error_response(e: &Error, body: impl Serialize) -> Response {
    log_if_server_error(e);
    let mut res = (status_of(e.code), Json(body)).into_response();
    // For the host's metrics (errors by code): the body's shape differs
    // per dialect, the code does not.
    res.extensions_mut().insert(e.code);
    if e.code == ErrorCode::ServerBusy {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    }
    res
}
