//! The Worker's entry points: every request goes to the shared `api`
//! Router over the edge backend; an hourly cron trigger collects expired
//! deletions and orphaned files, as the native server does.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::response::IntoResponse;
use http::{Request, Response};
use mediakit_api::auth::{bearer, principal_from};
use mediakit_api::rest::ApiError;
use mediakit_core::Error;
use mediakit_core::admission::Budget;
use mediakit_core::auth::Scope;
use mediakit_core::config::ORPHAN_MIN_AGE_MS;
use tower::ServiceExt;
use worker::send::SendFuture;
use worker::{Context, Env, ScheduleContext, ScheduledEvent, event};

use crate::backend::{self, EdgeService};
use crate::request_body::SharedBody;
use crate::settings::{self, EdgeBudget, EdgeSettings};
use crate::{console_log, test_routes};

#[event(start)]
fn start() {
    console_log::init();
}

/// `[triggers] crons` of wrangler.toml: purges media deleted longer ago than
/// the retention window and files that no row refers to.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let collected = async {
        let service = backend::service(&env, read_settings(&env)?.service)
            .map_err(|e| Error::internal(format!("bindings: {e}")))?;
        service.collect(ORPHAN_MIN_AGE_MS).await
    };
    match collected.await {
        Ok(done) => worker::console_log!(
            "collected: {} expired media purged, {} orphaned files removed",
            done.purged_media,
            done.orphan_blobs
        ),
        Err(e) => worker::console_error!("collection failed: {}", e.message),
    }
}

#[event(fetch)]
async fn fetch(
    req: Request<worker::Body>,
    env: Env,
    _ctx: Context,
) -> worker::Result<Response<Body>> {
    Ok(match answer(req, &env).await {
        Ok(res) => res,
        Err(e) => ApiError::from(e).into_response(),
    })
}

async fn answer(req: Request<worker::Body>, env: &Env) -> Result<Response<Body>, Error> {
    let settings = read_settings(env)?;
    let test_route = settings.test_routes && test_routes::handles(req.uri().path());
    let budget = isolate_budget(settings.budget);
    let service = backend::service(env, settings.service)
        .map_err(|e| Error::internal(format!("bindings: {e}")))?
        .with_budget(budget);
    if test_route {
        require_admin(&service, &req).await?;
        return test_routes::answer(env, &req).await;
    }
    // Whatever the Router leaves unread is drained before answering, up to
    // what the upload routes accept (see request_body).
    let drain_limit =
        mediakit_api::body::transport_limit(service.config().limits.max_upload_bytes) as u64;
    let (parts, body) = req.into_parts();
    let body = SharedBody::new(body);
    let req = Request::from_parts(parts, Body::new(body.clone()));
    let router = mediakit_api::router(Arc::new(service));
    // The Router's error type is Infallible.
    let Ok(res) = router.oneshot(req).await;
    body.drain(drain_limit).await;
    Ok(res)
}

/// The memory budget of this isolate: one for all the requests it serves
/// at once (made on the first; the settings cannot change under a running
/// isolate), waiting on JS timers.
fn isolate_budget(settings: EdgeBudget) -> Budget {
    static BUDGET: OnceLock<Budget> = OnceLock::new();
    BUDGET
        .get_or_init(|| {
            let wait = Duration::from_millis(settings.queue_wait_ms);
            Budget::new(
                settings.total_bytes,
                settings.queue,
                Box::new(move || Box::pin(SendFuture::new(worker::Delay::from(wait)))),
            )
        })
        .clone()
}

/// The settings, or an error response that tells the operator what to fix
/// (logged with the detail; clients see a generic 500).
fn read_settings(env: &Env) -> Result<EdgeSettings, Error> {
    settings::from_vars(|name| env.var(name).ok().map(|v| v.to_string()))
        .map_err(|detail| Error::internal(format!("configuration: {detail}")))
}

async fn require_admin(service: &EdgeService, req: &Request<worker::Body>) -> Result<(), Error> {
    principal_from(service, bearer(req.headers()))
        .await?
        .require(Scope::Admin)
}
