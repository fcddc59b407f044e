//! Errors in the REST shape: `{"error":{"code":"…","message":"…"}}` with
//! the code's status. It is also the shape of what no dialect owns: public
//! file URLs, unknown paths, the web page's missing files.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::response::{IntoResponse, Response};
use mediakit_core::Error;
use serde::{Deserialize, Serialize};

use crate::error::bearer_error_response;

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
        bearer_error_response(&self.0, ErrorBody::from(&self.0))
    }
}
