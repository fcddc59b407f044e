//! The CMS dialect's credential: the `refreshToken` cookie its admin UI
//! sends, or `Authorization: Bearer` (checked first). A state-changing
//! request carrying the cookie must come from this server's own pages
//! ([`csrf`]).

use axum::http::request::Parts;
use mediakit_core::Error;
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use super::csrf;
use crate::auth::{authenticate, bearer, cookie};

pub const COOKIE: &str = "refreshToken";

pub async fn principal<P: Backend>(
    service: &MediaService<P>,
    request: &Parts,
) -> Result<Principal, Error> {
    let headers = &request.headers;
    let secret = match bearer(headers) {
        Some(token) => Some(token),
        None => {
            let from_cookie = cookie(headers, COOKIE);
            if from_cookie.is_some() {
                csrf::check(&request.method, &request.uri, headers)?;
            }
            from_cookie
        }
    };
    authenticate(
        service,
        secret,
        "the refreshToken cookie or Authorization: Bearer <token>",
    )
    .await
}
