//! Who is calling. Every dialect takes `Authorization: Bearer <token>`;
//! the CMS dialect also reads the `refreshToken` cookie ([`cookie`]) and
//! the RPC dialect an `auth_token` parameter (see `rpc::params`). Whatever
//! carries it, the token is checked by the one core rule
//! ([`MediaService::authenticate`]).

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use mediakit_core::{Error, ErrorCode};

use crate::rest::ApiError;

/// The token in an `Authorization: Bearer` header, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The value of a cookie, if the request carries it (first one wins).
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| k.trim() == name)
        .map(|(_, v)| v.trim().trim_matches('"'))
}

/// Authenticates a presented secret; `None` means no credential was sent.
pub async fn principal_from<P: Backend>(
    service: &MediaService<P>,
    secret: Option<&str>,
) -> Result<Principal, Error> {
    authenticate(service, secret, "Authorization: Bearer <token>").await
}

/// Like [`principal_from`]; `carriers` tells a client without credentials
/// how this dialect accepts them.
pub async fn authenticate<P: Backend>(
    service: &MediaService<P>,
    secret: Option<&str>,
    carriers: &str,
) -> Result<Principal, Error> {
    match secret {
        Some(s) if !s.is_empty() => service.authenticate(s).await,
        _ => Err(Error::new(
            ErrorCode::Unauthorized,
            format!("authentication required: send {carriers}"),
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
            .map_err(ApiError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_found_among_others() {
        let mut h = HeaderMap::new();
        h.append(
            axum::http::header::COOKIE,
            HeaderValue::from_static("theme=dark; refreshToken=mk_abc ;x=1"),
        );
        assert_eq!(cookie(&h, "refreshToken"), Some("mk_abc"));
        assert_eq!(cookie(&h, "x"), Some("1"));
        assert_eq!(cookie(&h, "refresh"), None);
        h.append(
            axum::http::header::COOKIE,
            HeaderValue::from_static("other=\"q\""),
        );
        assert_eq!(cookie(&h, "other"), Some("q"));
    }
}
