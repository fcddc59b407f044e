//! Token management (admin scope): create, list, revoke.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::StatusCode;
use mediakit_core::auth::Scope;
use mediakit_core::ports::Backend;

use super::error::ApiResult;
use super::wire::{CreateTokenRequest, TokenResponse};
use crate::Svc;
use crate::auth::Auth;
use crate::path::{PathParam, path_param};

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

pub async fn list<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
) -> ApiResult<Json<Vec<TokenResponse>>> {
    let tokens = service.list_tokens(&principal).await?;
    Ok(Json(tokens.iter().map(TokenResponse::from).collect()))
}

pub async fn revoke<P: Backend>(
    State(service): Svc<P>,
    Auth(principal): Auth,
    id: PathParam<String>,
) -> ApiResult<StatusCode> {
    let id = path_param(id)?;
    service.revoke_token(&principal, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
