//! Errors in the RPC dialect's shape: `{"success": 0, "error": "<code>",
//! "message": "…"}`, with the status of the code from core's one table.

use mediakit_core::{Error, ErrorCode};
use serde::{Deserialize, Serialize};

use crate::error::BearerError;
use crate::rest::ApiError;

/// The RPC dialect's error body: `{"success": 0, "error": "not_found",
/// "message": "media not found"}`. `success` and `message` are the keys
/// the seed's responses already use; `error` is the stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RpcErrorBody {
    pub success: u8,
    pub error: String,
    pub message: String,
}

impl From<&Error> for RpcErrorBody {
    fn from(e: &Error) -> Self {
        Self {
            success: 0,
            error: e.code.as_str().to_owned(),
            message: e.public_message().to_owned(),
        }
    }
}

/// A core error on its way to an RPC client.
pub type RpcError = BearerError<RpcErrorBody>;

pub type RpcResult<T> = Result<T, RpcError>;

/// Shared helpers (file serving) answer in the REST type; the error inside
/// is the same core error.
impl From<ApiError> for RpcError {
    fn from(e: ApiError) -> Self {
        e.0.into()
    }
}

/// For routes that exist with other methods.
pub async fn method_not_allowed() -> RpcError {
    Error::new(
        ErrorCode::MethodNotAllowed,
        "this endpoint does not support that method",
    )
    .into()
}
