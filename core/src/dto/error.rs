//! The error body of the REST dialect: `{"error":{"code":…,"message":…}}`.

use serde::{Deserialize, Serialize};

use crate::error::Error;

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
