//! Errors in the CMS dialect's shape: `{"data": "<message>", "code":
//! <status>, "error": "<stable code>"}`, with the status of the code from
//! core's one table and the seed's texts (see `dto::cms::CmsErrorBody`).

use axum::Json;
use axum::response::{IntoResponse, Response};
use mediakit_core::dto::cms::CmsErrorBody;
use mediakit_core::{Error, ErrorCode};

use crate::error::{log_if_server_error, status_of};

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
        log_if_server_error(&self.error);
        let body = CmsErrorBody::new(&self.error, self.failure);
        (status_of(self.error.code), Json(body)).into_response()
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
