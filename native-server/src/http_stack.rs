//! The native server's HTTP stack: the API and the web page under
//! tower-http's layers.
//!
//! - Request ids: `x-request-id` is kept when the client (or a proxy in
//!   front) sent one, made up otherwise, sent back on the response, and
//!   recorded in the request's tracing span, so every log line of a
//!   request carries it.
//! - Compression (gzip) of JSON and the page's text assets only. Stored
//!   media is never re-encoded: it is compressed already, and it is served
//!   with byte ranges and strong ETags that a content coding would break.
//! - Timeouts: every route but the uploads must answer within
//!   [`Timeouts::request`]; an upload takes as long as the client's link
//!   needs, and what bounds it instead is [`Timeouts::body_idle`], the
//!   longest a request body may go without sending anything. Together they
//!   cut off stuck requests and stalled uploads, never a slow but moving
//!   upload of the maximum size.
//! - Panics in a handler become a 500 for that request only.

use std::sync::Arc;
use std::time::Duration;

use axum::body::HttpBody;
use axum::http::{HeaderName, Request, Response, StatusCode, header};
use axum::{Router, middleware};
use mediakit_core::ports::Backend;
use mediakit_core::service::MediaService;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{Predicate, SizeAbove};
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};

use crate::metrics::{self, Metrics};
use crate::request_ids::CountingIds;
use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::web_demo::{self, Page};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// How long requests may take (`mediakit.toml`: `request_timeout_secs`,
/// `body_timeout_secs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// The longest any request but an upload may take to be answered
    /// (408 after it).
    pub request: Duration,
    /// The longest a request body may go without a byte arriving (the read
    /// fails after it, and so does the request).
    pub body_idle: Duration,
    /// The longest a client may take to send a request's headers, and so
    /// also the longest an idle keep-alive connection stays open
    /// (`crate::http_server`).
    pub header_read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            request: Duration::from_secs(30),
            body_idle: Duration::from_secs(30),
            header_read: Duration::from_secs(20),
        }
    }
}

/// The whole application: the API and the web page, with every layer.
pub fn app<P: Backend>(
    service: Arc<MediaService<P>>,
    page: Page,
    timeouts: Timeouts,
    metrics: Arc<Metrics>,
) -> Router {
    let deadline = TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeouts.request);
    let routes = mediakit_api::router_with(service.clone(), deadline)
        .merge(web_demo::routes(page).layer(deadline))
        .merge(metrics::routes(service, metrics.clone()).layer(deadline))
        // Inside the routes (so that each request's route template is
        // known) and outside the deadline (so that a 408 is counted).
        .layer(middleware::from_fn_with_state(metrics, metrics::track));
    around(routes, timeouts)
}

/// The layers around every route, outermost first. (The request deadline
/// is not among them: it is per route, see [`app`].)
pub fn around(routes: Router, timeouts: Timeouts) -> Router {
    routes.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(REQUEST_ID, CountingIds::new()))
            .layer(TraceLayer::new_for_http().make_span_with(request_span))
            .layer(PropagateRequestIdLayer::new(REQUEST_ID))
            .layer(CompressionLayer::new().compress_when(SizeAbove::default().and(TextOnly)))
            .layer(RequestBodyTimeoutLayer::new(timeouts.body_idle))
            .layer(CatchPanicLayer::new()),
    )
}

/// The span every log line of a request is written in. Its path, not its
/// URI: the RPC dialect accepts a token in the query string, and a
/// credential has no place in logs. At INFO, so that it is there whenever
/// a request logs anything.
fn request_span<B>(req: &Request<B>) -> Span {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %id,
    )
}

/// Compresses JSON and text: the API's bodies and the page's HTML, scripts
/// and styles. Stored media (images, PDF, video, SVG) never matches.
#[derive(Debug, Clone, Copy)]
struct TextOnly;

impl Predicate for TextOnly {
    fn should_compress<B: HttpBody>(&self, response: &Response<B>) -> bool {
        let mime = response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| v.trim().to_ascii_lowercase())
            .unwrap_or_default();
        matches!(
            mime.as_str(),
            "application/json" | "text/html" | "text/css" | "text/javascript" | "text/plain"
        )
    }
}
