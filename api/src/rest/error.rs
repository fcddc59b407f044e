//! Errors in the REST shape: `{"error":{"code":"…","message":"…"}}` with
//! the code's status. It is also the shape of what no dialect owns: public
//! file URLs, unknown paths, the web page's missing files.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use mediakit_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::BearerError;
use crate::rest::openapi::ErrorCodeSchema;

/// The body of every REST error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    #[schema(value_type = ErrorCodeSchema)]
    pub code: String,
    /// For humans; it may change, match on `code`.
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
pub type ApiError = BearerError<ErrorBody>;

pub type ApiResult<T> = Result<T, ApiError>;

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        Error::invalid(format!("invalid JSON body: {}", r.body_text())).into()
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Error::invalid(format!("invalid query: {}", r.body_text())).into()
    }
}
