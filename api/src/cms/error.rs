//! Errors in the CMS dialect's shape: `{"data": "<message>", "code":
//! <status>, "error": "<stable code>"}`, with the status of the code from
//! core's one table and the seed's texts.

use axum::response::{IntoResponse, Response};
use mediakit_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};

use super::wire::NOT_FOUND;
use crate::error::error_response;

/// An error body: `{"data": "Media not found", "code": 404, "error":
/// "not_found"}`. `data` and `code` are the seed's; `error` is the stable
/// code every dialect shares, for clients that match on more than the
/// status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CmsErrorBody {
    pub data: String,
    pub code: u16,
    pub error: String,
}

impl CmsErrorBody {
    /// `failure` is the endpoint's own text for backend failures (the
    /// seed's "Error updating media" and friends); the status always comes
    /// from the core's one table.
    pub fn new(e: &Error, failure: &str) -> Self {
        let data = match e.code {
            ErrorCode::NotFound if e.message == Error::not_found().message => NOT_FOUND,
            ErrorCode::StorageUnavailable | ErrorCode::Internal => failure,
            _ => e.public_message(),
        };
        Self {
            data: data.to_owned(),
            code: e.http_status(),
            error: e.code.as_str().to_owned(),
        }
    }
}

#[derive(Debug)]
pub struct CmsError {
    pub error: Error,
    /// The endpoint's text for backend failures ("Error updating media").
    pub failure: &'static str,
}

impl CmsError {
    pub fn new(error: Error, failure: &'static str) -> Self {
        Self { error, failure }
    }
}

impl IntoResponse for CmsError {
    fn into_response(self) -> Response {
        let body = CmsErrorBody::new(&self.error, self.failure);
        error_response(&self.error, body)
    }
}

/// For routes that exist with other methods.
pub async fn method_not_allowed() -> CmsError {
    CmsError::new(
        Error::new(
            ErrorCode::MethodNotAllowed,
            "this endpoint does not support that method",
        ),
        "",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cms::wire::{ADD_FAILED, MISSING, UPDATE_FAILED, missing};

    #[test]
    fn errors_use_the_seed_texts() {
        let body = CmsErrorBody::new(&Error::not_found(), UPDATE_FAILED);
        assert_eq!(
            (body.data.as_str(), body.code, body.error.as_str()),
            (NOT_FOUND, 404, "not_found")
        );
        let body = CmsErrorBody::new(&Error::storage("disk on fire"), UPDATE_FAILED);
        assert_eq!((body.data.as_str(), body.code), (UPDATE_FAILED, 503));
        let body = CmsErrorBody::new(&missing(), ADD_FAILED);
        assert_eq!((body.data.as_str(), body.code), (MISSING, 400));
    }
}
