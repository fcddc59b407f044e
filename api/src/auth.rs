//! Who is calling. The REST dialect takes `Authorization: Bearer <token>`;
//! the other dialects add their own carriers (cookie, `auth_token`) on top of
//! [`principal_from`].

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use mediakit_core::{Error, ErrorCode};

use crate::error::ApiError;

/// The token in an `Authorization: Bearer` header, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Authenticates a presented secret; `None` means no credential was sent.
pub async fn principal_from<P: Backend>(
    service: &MediaService<P>,
    secret: Option<&str>,
) -> Result<Principal, Error> {
    match secret {
        Some(s) if !s.is_empty() => service.authenticate(s).await,
        _ => Err(Error::new(
            ErrorCode::Unauthorized,
            "authentication required: send Authorization: Bearer <token>",
        )),
    }
}

/// Extractor for REST handlers: a valid bearer token or a 401.
pub struct Auth(pub Principal);

impl<P: Backend> FromRequestParts<Arc<MediaService<P>>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Arc<MediaService<P>>,
    ) -> Result<Self, Self::Rejection> {
        principal_from(service, bearer(&parts.headers))
            .await
            .map(Auth)
            .map_err(ApiError)
    }
}
