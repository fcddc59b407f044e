//! The CMS dialect's credential: the `refreshToken` cookie its admin UI
//! sends, or `Authorization: Bearer` (checked first).

use axum::http::HeaderMap;
use mediakit_core::Error;
use mediakit_core::auth::Principal;
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;

use crate::auth::{authenticate, bearer, cookie};

pub const COOKIE: &str = "refreshToken";

pub async fn principal<P: Backend>(
    service: &MediaService<P>,
    headers: &HeaderMap,
) -> Result<Principal, Error> {
    let secret = bearer(headers).or_else(|| cookie(headers, COOKIE));
    authenticate(
        service,
        secret,
        "the refreshToken cookie or Authorization: Bearer <token>",
    )
    .await
}
