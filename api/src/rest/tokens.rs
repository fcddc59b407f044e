//! Token management (admin scope): create, list, revoke.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use mediakit_core::auth::Scope;
use mediakit_core::ports::Backend;

use super::error::ApiResult;
use super::openapi::error_responses;
use super::path::PathParam;
use super::wire::{CreateTokenRequest, TokenResponse};
use crate::Svc;
use crate::auth::Auth;

error_responses!(CreateErrors = [InvalidRequest, Unauthorized, Forbidden, StorageUnavailable]);
error_responses!(ListErrors = [Unauthorized, Forbidden, StorageUnavailable]);
error_responses!(RevokeErrors = [Unauthorized, Forbidden, NotFound, StorageUnavailable]);

/// Create a token
///
/// The secret (`token`) is in this response only; the server keeps its
/// hash.
#[utoipa::path(
    post,
    path = "/api/v1/tokens",
    operation_id = "createToken",
    tag = "tokens",
    request_body = CreateTokenRequest,
    security(("bearer" = [Scope::Admin.as_str()])),
    responses(
        (status = 201, description = "The new token, with its secret", body = TokenResponse,
            links(("Revoke" = (operation_id = "revokeToken",
                parameters(("id" = "$response.body#/id")))))),
        CreateErrors,
    ),
)]
pub async fn create<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    body: Result<Json<CreateTokenRequest>, JsonRejection>,
) -> ApiResult<(StatusCode, Json<TokenResponse>)> {
    let Json(req) = body?;
    principal.require(Scope::Admin)?;
    let scopes = Scope::parse_list(&req.scopes.join(","))?;
    let created = service
        .create_token(&principal, &req.label, &scopes)
        .await?;
    let mut body = TokenResponse::from(&created.record);
    body.token = Some(created.secret);
    Ok((StatusCode::CREATED, Json(body)))
}

/// List tokens
///
/// Every token, revoked ones included, without secrets.
#[utoipa::path(
    get,
    path = "/api/v1/tokens",
    operation_id = "listTokens",
    tag = "tokens",
    security(("bearer" = [Scope::Admin.as_str()])),
    responses(
        (status = 200, description = "The tokens", body = [TokenResponse]),
        ListErrors,
    ),
)]
pub async fn list<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
) -> ApiResult<Json<Vec<TokenResponse>>> {
    let tokens = service.list_tokens(&principal).await?;
    Ok(Json(tokens.iter().map(TokenResponse::from).collect()))
}

/// Revoke a token
///
/// It stops working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/tokens/{id}",
    operation_id = "revokeToken",
    tag = "tokens",
    params(("id" = String, Path, description = "The token id")),
    security(("bearer" = [Scope::Admin.as_str()])),
    responses(
        (status = 204, description = "Revoked"),
        RevokeErrors,
    ),
)]
pub async fn revoke<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    PathParam(id): PathParam<String>,
) -> ApiResult<StatusCode> {
    service.revoke_token(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
