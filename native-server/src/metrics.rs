//! Prometheus metrics of the native server: `GET /metrics`, for the admin
//! token or a token with the `metrics` scope (scrapers send it as a bearer
//! token, `authorization.credentials_file` in Prometheus).
//!
//! What is counted, and where it comes from:
//! - requests by route template (never the raw path: ids would make a
//!   series per item), method and status, and their latency until the
//!   response's head (a streamed body's transfer is the client's pace);
//! - errors by their stable code (every dialect's error response carries
//!   it), which is where database and storage failures show
//!   (`storage_unavailable`, `internal`);
//! - uploads by media type and outcome (core's upload observer), and the
//!   bytes they stored;
//! - image jobs (inspecting an upload, rendering its variants): waiting
//!   for a worker, running, and their duration;
//! - the memory budget (total, in use, uploads waiting for room) and the
//!   small-file cache (bytes held, hits, misses), read when scraped.
//!
//! The text is OpenMetrics (`application/openmetrics-text`), which
//! Prometheus negotiates by default.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mediakit_api::auth::{bearer, principal_from};
use mediakit_api::rest::ApiError;
use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;
use mediakit_core::ports::Backend;
use mediakit_core::service::{MediaService, UploadObserver, UploadOutcome};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

use crate::adapters::runtime::ImageJobs;

const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
    method: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct UploadLabels {
    media_type: String,
    outcome: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

fn latency_histogram() -> Histogram {
    // 0.5 ms to ~16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// Counters read from elsewhere when scraped, with what they were last.
#[derive(Default)]
struct ScrapedTotals {
    cache_hits: u64,
    cache_misses: u64,
}

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    errors: Family<ErrorLabels, Counter>,
    uploads: Family<UploadLabels, Counter>,
    stored_bytes: Counter,
    budget_total: Gauge,
    budget_in_use: Gauge,
    uploads_waiting: Gauge,
    cache_bytes: Gauge,
    cache_hits: Counter,
    cache_misses: Counter,
    scraped: Mutex<ScrapedTotals>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Metrics of one server, including its image pool's `jobs`.
    pub fn new(jobs: &ImageJobs) -> Self {
        let m = Self {
            registry: Registry::with_prefix("mediakit"),
            requests: Family::default(),
            latency: LatencyFamily::new_with_constructor(latency_histogram),
            errors: Family::default(),
            uploads: Family::default(),
            stored_bytes: Counter::default(),
            budget_total: Gauge::default(),
            budget_in_use: Gauge::default(),
            uploads_waiting: Gauge::default(),
            cache_bytes: Gauge::default(),
            cache_hits: Counter::default(),
            cache_misses: Counter::default(),
            scraped: Mutex::default(),
        };
        m.registered(jobs)
    }

    fn registered(mut self, jobs: &ImageJobs) -> Self {
        let r = &mut self.registry;
        r.register(
            "http_requests",
            "HTTP requests by route template, method and status",
            self.requests.clone(),
        );
        r.register_with_unit(
            "http_request_duration",
            "Time to a response's head, by route template and method",
            Unit::Seconds,
            self.latency.clone(),
        );
        r.register(
            "errors",
            "Error responses by their stable code",
            self.errors.clone(),
        );
        r.register(
            "uploads",
            "Uploads by media type (`unknown` before it is identified) and outcome (`stored` or an error code)",
            self.uploads.clone(),
        );
        r.register_with_unit(
            "uploaded",
            "Bytes stored by uploads (originals and variants)",
            Unit::Bytes,
            self.stored_bytes.clone(),
        );
        r.register(
            "image_jobs_waiting",
            "Image jobs waiting for a worker",
            jobs.waiting.clone(),
        );
        r.register(
            "image_jobs_running",
            "Image jobs running",
            jobs.running.clone(),
        );
        r.register_with_unit(
            "image_job_duration",
            "Time an image job (inspecting an upload, stripping it, rendering its variants) ran on a worker",
            Unit::Seconds,
            jobs.seconds.clone(),
        );
        r.register_with_unit(
            "memory_budget",
            "The memory budget uploads are admitted against",
            Unit::Bytes,
            self.budget_total.clone(),
        );
        r.register_with_unit(
            "memory_budget_in_use",
            "Memory of the budget held by uploads now",
            Unit::Bytes,
            self.budget_in_use.clone(),
        );
        r.register(
            "uploads_waiting",
            "Uploads waiting for room in the memory budget",
            self.uploads_waiting.clone(),
        );
        r.register_with_unit(
            "file_cache",
            "Bytes of small files held in memory",
            Unit::Bytes,
            self.cache_bytes.clone(),
        );
        r.register(
            "file_cache_hits",
            "Small-file reads answered from memory",
            self.cache_hits.clone(),
        );
        r.register(
            "file_cache_misses",
            "Small-file reads that went to storage",
            self.cache_misses.clone(),
        );
        self
    }

    /// What core's upload service calls with each upload's outcome.
    pub fn upload_observer(self: &Arc<Self>) -> UploadObserver {
        let metrics = Arc::clone(self);
        Arc::new(move |outcome: &UploadOutcome| metrics.observe_upload(outcome))
    }

    fn observe_upload(&self, outcome: &UploadOutcome) {
        let media_type = outcome.kind.map_or("unknown", |k| k.mime_type()).to_owned();
        let outcome_label = match outcome.result {
            Ok(bytes) => {
                self.stored_bytes.inc_by(bytes);
                "stored"
            }
            Err(code) => code.as_str(),
        };
        self.uploads
            .get_or_create(&UploadLabels {
                media_type,
                outcome: outcome_label.to_owned(),
            })
            .inc();
    }

    fn observe_response(&self, route: String, method: &Method, res: &Response, start: Instant) {
        let method = known_method(method).to_owned();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.clone(),
                method: method.clone(),
            })
            .observe(start.elapsed().as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                route,
                method,
                status: res.status().as_u16(),
            })
            .inc();
        if let Some(code) = res.extensions().get::<ErrorCode>() {
            self.errors
                .get_or_create(&ErrorLabels {
                    code: code.as_str().to_owned(),
                })
                .inc();
        }
    }

    /// The text a scrape gets, with the values read at scrape time
    /// brought up to date first.
    pub fn render<P: Backend>(&self, service: &MediaService<P>) -> String {
        let budget = service.budget();
        self.budget_total.set(gauge_value(budget.total()));
        self.budget_in_use.set(gauge_value(budget.in_use()));
        self.uploads_waiting
            .set(gauge_value(budget.waiting() as u64));
        let cache = service.blob_cache();
        self.cache_bytes.set(gauge_value(cache.weight()));
        let (hits, misses) = cache.hits_and_misses();
        {
            // Two scrapes at once must not both add the same difference.
            let mut last = self.scraped.lock().unwrap_or_else(|e| e.into_inner());
            self.cache_hits.inc_by(hits.saturating_sub(last.cache_hits));
            self.cache_misses
                .inc_by(misses.saturating_sub(last.cache_misses));
            last.cache_hits = hits;
            last.cache_misses = misses;
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

/// Methods outside HTTP's own set are one label value: any client could
/// otherwise create series at will.
fn known_method(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

fn gauge_value(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The middleware that counts every request. Routes are templates
/// (`/api/v1/media/{id}`); requests no route matched are `unmatched`.
pub async fn track(State(metrics): State<Arc<Metrics>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = req.method().clone();
    let start = Instant::now();
    let res = next.run(req).await;
    metrics.observe_response(route, &method, &res, start);
    res
}

/// `GET /metrics` on the main listener: for tokens with the `metrics` (or
/// `admin`) scope.
pub fn routes<P: Backend>(service: Arc<MediaService<P>>, metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(scrape::<P>))
        .with_state((service, metrics))
}

/// `GET /metrics` on the `metrics_listen` address: no token, as
/// Prometheus expects of a private endpoint; nothing else is served there.
pub fn private_routes<P: Backend>(service: Arc<MediaService<P>>, metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State((service, metrics)): State<Scraped<P>>| async move {
                text_response(&metrics, &service)
            }),
        )
        .with_state((service, metrics))
}

type Scraped<P> = (Arc<MediaService<P>>, Arc<Metrics>);

async fn scrape<P: Backend>(
    State((service, metrics)): State<Scraped<P>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let principal = principal_from(&service, bearer(&headers)).await?;
    principal.require(Scope::Metrics)?;
    Ok(text_response(&metrics, &service))
}

fn text_response<P: Backend>(metrics: &Metrics, service: &MediaService<P>) -> Response {
    (
        [(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE))],
        metrics.render(service),
    )
        .into_response()
}
