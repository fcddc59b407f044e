//! mediakit-api: the one HTTP surface of mediakit. Every endpoint of every
//! dialect is written here once, as an axum [`Router`] over the core
//! service, generic over the backend ports. The native server mounts it
//! under tokio; the edge worker calls it from its fetch handler.
//!
//! One folder per dialect ([`rest`], [`rpc`], [`cms`]) holds its routes,
//! handlers, wire types and error shape. What they share has its own
//! module: [`auth`] (credentials), [`body`] (reading request bodies within
//! limits), [`admission`] (a body's share of the memory budget),
//! [`multipart`] (upload forms), [`files`] (public file URLs),
//! [`conditional`] (ETag preconditions), [`error`] (status and logging).
//!
//! axum is used with default features off (no tokio, no hyper server), so
//! this crate compiles for wasm32 too.

pub mod admission;
pub mod auth;
pub mod body;
pub mod cms;
pub mod conditional;
pub mod error;
pub mod files;
pub mod multipart;
pub mod path;
pub mod rest;
pub mod rpc;

use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::{Request, State};
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, Route, get};
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use mediakit_core::{Error, ErrorCode};
use tower::layer::util::Identity;
use tower::{Layer, Service};

use crate::rest::ApiError;

/// The service as every handler takes it from the Router's state.
pub(crate) type Svc<P> = State<Arc<MediaService<P>>>;

/// The whole API over one service.
pub fn router<P: Backend>(service: Arc<MediaService<P>>) -> Router {
    router_with(service, Identity::new())
}

/// The whole API, with `ordinary` layered around every route except the
/// uploads. An upload takes as long as the client's link needs to send it
/// (up to the upload limit), so a deadline that suits a listing would cut
/// it off; the host bounds uploads by other means (e.g. a timeout between
/// body frames).
pub fn router_with<P, L>(service: Arc<MediaService<P>>, ordinary: L) -> Router
where
    P: Backend,
    L: Layer<Route> + Clone + Send + Sync + 'static,
    L::Service: Service<Request> + Clone + Send + Sync + 'static,
    <L::Service as Service<Request>>::Response: IntoResponse + 'static,
    <L::Service as Service<Request>>::Error: Into<Infallible> + 'static,
    <L::Service as Service<Request>>::Future: Send + 'static,
{
    let max_upload = service.config().limits.max_upload_bytes;
    let ordinary_routes = Router::new()
        .merge(rest::routes::<P>())
        .merge(rpc::routes::<P>())
        .merge(cms::routes::<P>())
        .merge(files::routes::<P>())
        .route(HEALTH_PATH, get(health))
        .route_layer(ordinary);
    Router::new()
        .merge(ordinary_routes)
        .merge(rest::upload_routes::<P>(max_upload))
        .merge(rpc::upload_routes::<P>(max_upload))
        .merge(cms::upload_routes::<P>())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service)
}

const HEALTH_PATH: &str = "/healthz";

/// A router of `routes`.
fn into_router<S: Clone + Send + Sync + 'static>(
    routes: Vec<(&'static str, MethodRouter<S>)>,
) -> Router<S> {
    routes
        .into_iter()
        .fold(Router::new(), |router, (path, route)| {
            router.route(path, route)
        })
}

/// Every path the REST dialect serves, with the file URLs and the health
/// check: what its OpenAPI document (`rest::openapi`) must describe.
pub fn documented_paths<P: Backend>() -> Vec<&'static str> {
    let mut paths = rest::paths::<P>();
    paths.extend(files::paths::<P>());
    paths.push(HEALTH_PATH);
    paths
}

/// Health check
///
/// `{"status": "ok"}`, for load balancers. Public.
#[utoipa::path(
    get,
    path = "/healthz",
    operation_id = "health",
    tag = "instance",
    security(()),
    responses(
        (status = 200, description = "The server is up", body = Object,
            example = json!({"status": "ok"})),
        rest::openapi::errors::NoErrors,
    ),
)]
async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn not_found() -> ApiError {
    Error::new(ErrorCode::NotFound, "no such endpoint").into()
}

async fn method_not_allowed() -> ApiError {
    Error::new(
        ErrorCode::MethodNotAllowed,
        "this endpoint does not support that method",
    )
    .into()
}
