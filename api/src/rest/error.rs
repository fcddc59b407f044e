//! Errors in the REST shape: `{"error":{"code":"…","message":"…"}}` with
//! the code's status. It is also the shape of what no dialect owns: public
//! file URLs, unknown paths, the web page's missing files.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use mediakit_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};

use crate::error::{log_if_server_error, status_of};

/// The body of every REST error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
}

impl From<&Error> for ErrorBody {
    fn from(e: &Error) -> Self {
        Self {
            error: ErrorDetail {
                code: e.code.as_str().to_owned(),
                message: e.public_message().to_owned(),
            },
        }
    }
}

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

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_if_server_error(&self.0);
        let mut res = (status_of(self.0.code), Json(ErrorBody::from(&self.0))).into_response();
        if self.0.code == ErrorCode::Unauthorized {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}
