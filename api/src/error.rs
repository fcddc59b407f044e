//! Errors as HTTP responses in the REST shape:
//! `{"error":{"code":"…","message":"…"}}` with the code's status.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use mediakit_core::dto::error::ErrorBody;
use mediakit_core::{Error, ErrorCode};

/// A core error on its way to a REST client.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError(Error::invalid(format!(
            "invalid JSON body: {}",
            r.body_text()
        )))
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError(Error::invalid(format!("invalid query: {}", r.body_text())))
    }
}

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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_server_error(&self.0);
        let mut res = (status_of(self.0.code), Json(ErrorBody::from(&self.0))).into_response();
        if self.0.code == ErrorCode::Unauthorized {
            res.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        res
    }
}
