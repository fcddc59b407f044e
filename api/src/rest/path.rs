//! Path parameters with the REST error shape. axum's `Path` answers a
//! segment it cannot decode (percent-encoded bytes that are not UTF-8) with
//! a plain-text 400 of its own; every REST error is JSON with a code, and
//! such a segment names no media, token or file: 404 `not_found`.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use mediakit_core::{Error, ErrorCode};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// `Path<T>`, rejected as a REST error.
pub struct PathParam<T>(pub T);

impl<S, T> FromRequestParts<S> for PathParam<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Self(value)),
            Err(r) => Err(Error::new(ErrorCode::NotFound, r.body_text()).into()),
        }
    }
}
