//! Path parameters with the REST error shape: an extractor for the REST
//! and file handlers, applying the rule every dialect shares
//! ([`crate::path::path_param`]: an undecodable segment is `not_found`).

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::path::path_param;

/// `Path<T>`, rejected as a REST error.
pub struct PathParam<T>(pub T);

impl<S, T> FromRequestParts<S> for PathParam<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let param = Path::<T>::from_request_parts(parts, state).await;
        Ok(Self(path_param(param)?))
    }
}
