//! What every dialect's error shape shares: the status of a core error
//! (one table, in core) and the server-side log of backend failures. Each
//! dialect renders the body in its own shape (`rest::error`, `rpc::error`,
//! `cms::error`); the two bearer dialects (REST, RPC) share one error type,
//! [`BearerError`], that differs only in that shape.

use std::marker::PhantomData;

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
        log_if_server_error(&e);
        let mut res = (status_of(e.code), Json(B::from(&e))).into_response();
        if e.code == ErrorCode::Unauthorized {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}
