//! The native HTTP stack in process, over a real store in a temporary
//! directory: request ids in headers and in every log line of a request,
//! what is compressed and what never is, and which requests the deadline
//! bounds.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes, to_bytes};
use axum::http::{Request, Response, StatusCode, header};
use axum::routing::get;
use futures_util::StreamExt;
use futures_util::stream;
use mediakit_core::auth::Scope;
use mediakit_core::model::Media;
use mediakit_core::service::UploadRequest;
use mediakit_server::backend::{self, NativeService};
use mediakit_server::cli::StoreArgs;
use mediakit_server::http_stack::{self, Timeouts};
use mediakit_server::settings;
use mediakit_server::web_demo::Page;
use tower::ServiceExt;

const SVG: &[u8] = include_bytes!("../../tests/fixtures/logo.svg");
const JPEG: &[u8] = include_bytes!("../../tests/fixtures/photo-grayscale.jpg");
/// More than enough for anything here to finish; a hang fails the test.
const PATIENCE: Duration = Duration::from_secs(30);

struct TestApp {
    app: Router,
    service: Arc<NativeService>,
    token: String,
    _data: tempfile::TempDir,
}

impl TestApp {
    async fn new(timeouts: Timeouts) -> Self {
        let data = tempfile::tempdir().unwrap();
        let settings = settings::resolve_store(&StoreArgs {
            data: Some(data.path().to_path_buf()),
            config: None,
            database: None,
            storage: None,
        })
        .unwrap();
        let (service, metrics) = backend::open_with_metrics(&settings).await.unwrap();
        let token = service
            .create_token_unchecked("test", &[Scope::Admin])
            .await
            .unwrap()
            .secret;
        let web = data.path().join("www");
        std::fs::create_dir_all(web.join("assets/pkg")).unwrap();
        std::fs::write(web.join("index.html"), "<!doctype html><p>demo").unwrap();
        let script = "export const answer = 42;\n".repeat(40);
        std::fs::write(web.join("assets/app.js"), script).unwrap();
        std::fs::write(web.join("assets/pkg/mediakit_web_bg.wasm"), [0u8; 4096]).unwrap();
        let app = http_stack::app(service.clone(), Page::Dir(web), timeouts, metrics);
        Self {
            app,
            service,
            token,
            _data: data,
        }
    }

    async fn upload(&self, filename: &str, bytes: &'static [u8]) -> Media {
        let principal = self.service.authenticate(&self.token).await.unwrap();
        let req = UploadRequest {
            filename: Some(filename.to_owned()),
            bytes: Bytes::from_static(bytes),
            ..UploadRequest::default()
        };
        self.service.upload(&principal, req).await.unwrap()
    }

    async fn send(&self, req: Request<Body>) -> Response<Body> {
        tokio::time::timeout(PATIENCE, self.app.clone().oneshot(req))
            .await
            .expect("the stack answers")
            .unwrap()
    }

    async fn get(&self, uri: &str, headers: &[(&str, &str)]) -> Response<Body> {
        let mut req =
            Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {}", self.token));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }
}

fn header_of<'a>(res: &'a Response<Body>, name: &str) -> Option<&'a str> {
    res.headers().get(name).and_then(|v| v.to_str().ok())
}

async fn body_of(res: Response<Body>) -> Bytes {
    to_bytes(res.into_body(), 64 << 20).await.unwrap()
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

fn timeouts(request_ms: u64, body_idle_ms: u64) -> Timeouts {
    Timeouts {
        request: Duration::from_millis(request_ms),
        body_idle: Duration::from_millis(body_idle_ms),
        ..Timeouts::default()
    }
}

#[tokio::test]
async fn request_ids_are_made_up_or_kept_and_sent_back() {
    let t = TestApp::new(Timeouts::default()).await;
    let res = t.get("/healthz", &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let made_up = header_of(&res, "x-request-id").expect("an id is made up");
    assert_eq!(made_up.len(), 36, "a UUID: {made_up}");
    let other = t.get("/healthz", &[]).await;
    assert_ne!(header_of(&other, "x-request-id"), Some(made_up));

    let res = t
        .get("/api/v1/nothing", &[("x-request-id", "lb-7f3a")])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(header_of(&res, "x-request-id"), Some("lb-7f3a"));
}

/// A `MakeWriter` into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

// One thread: the subscriber set below is this thread's.
#[tokio::test(flavor = "current_thread")]
async fn every_log_line_of_a_request_carries_its_id() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_max_level(tracing::Level::INFO)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let routes = Router::new().route(
        "/work",
        get(|| async {
            tracing::warn!("inside the handler");
            "done"
        }),
    );
    let app = http_stack::around(routes, Timeouts::default());
    let req = |id: Option<&str>| {
        let mut req = Request::get("/work?auth_token=mk_secret");
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        req.body(Body::empty()).unwrap()
    };
    app.clone().oneshot(req(Some("lb-7f3a"))).await.unwrap();
    let res = app.oneshot(req(None)).await.unwrap();
    let made_up = header_of(&res, "x-request-id").unwrap().to_owned();

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("inside the handler"))
        .collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].contains("request_id=lb-7f3a"), "{}", lines[0]);
    assert!(
        lines[1].contains(&format!("request_id={made_up}")),
        "{}",
        lines[1]
    );
    assert!(lines[0].contains("path=/work"), "{}", lines[0]);
    assert!(
        !text.contains("mk_secret"),
        "no query strings in logs: {text}"
    );
}

#[tokio::test]
async fn json_listings_are_gzipped_when_the_client_accepts_it() {
    let t = TestApp::new(Timeouts::default()).await;
    t.upload("logo.svg", SVG).await;
    t.upload("photo.jpg", JPEG).await;

    let plain = t.get("/api/v1/media", &[]).await;
    assert_eq!(plain.status(), StatusCode::OK);
    assert_eq!(header_of(&plain, "content-encoding"), None);
    let json = body_of(plain).await;
    assert!(json.starts_with(b"["), "{json:?}");

    let res = t.get("/api/v1/media", &[("accept-encoding", "gzip")]).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header_of(&res, "content-encoding"), Some("gzip"));
    assert_eq!(header_of(&res, "vary"), Some("accept-encoding"));
    assert_eq!(header_of(&res, "x-total-count"), Some("2"));
    let gz = body_of(res).await;
    assert_eq!(gz[..2], GZIP_MAGIC);
    assert!(gz.len() < json.len(), "{} vs {}", gz.len(), json.len());
}

#[tokio::test]
async fn stored_files_are_never_compressed() {
    let t = TestApp::new(Timeouts::default()).await;
    let svg = t.upload("logo.svg", SVG).await;
    let jpeg = t.upload("photo.jpg", JPEG).await;
    let gzip = [("accept-encoding", "gzip")];
    for (media, bytes) in [(&svg, SVG), (&jpeg, JPEG)] {
        // Through every dialect's URL of the same file.
        let rpc = format!(
            "/volume/media/files/{0}/{0}-original.{1}",
            media.id, media.extension
        );
        for uri in [format!("/{}", media.public_path()), rpc] {
            let res = t.get(&uri, &gzip).await;
            assert_eq!(res.status(), StatusCode::OK, "{uri}");
            assert_eq!(header_of(&res, "content-encoding"), None, "{uri}");
            assert_eq!(header_of(&res, "accept-ranges"), Some("bytes"), "{uri}");
            let etag = format!("\"{}\"", media.sha256);
            assert_eq!(header_of(&res, "etag"), Some(etag.as_str()), "{uri}");
            assert_eq!(body_of(res).await.as_ref(), bytes, "{uri}");
        }
        let range = t
            .get(
                &format!("/{}", media.public_path()),
                &[gzip[0], ("range", "bytes=0-9")],
            )
            .await;
        assert_eq!(range.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(header_of(&range, "content-encoding"), None);
        assert_eq!(body_of(range).await.as_ref(), &bytes[..10]);
    }
    let thumb = jpeg.variants.first().expect("a JPEG has variants");
    let res = t
        .get(&format!("/{}", thumb.public_path(&jpeg.id)), &gzip)
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header_of(&res, "content-encoding"), None);
}

#[tokio::test]
async fn the_pages_text_is_compressed_and_its_wasm_is_not() {
    let t = TestApp::new(Timeouts::default()).await;
    let gzip = [("accept-encoding", "gzip")];
    let js = t.get("/assets/app.js", &gzip).await;
    assert_eq!(js.status(), StatusCode::OK);
    assert_eq!(header_of(&js, "content-encoding"), Some("gzip"));
    assert_eq!(body_of(js).await[..2], GZIP_MAGIC);
    let wasm = t.get("/assets/pkg/mediakit_web_bg.wasm", &gzip).await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header_of(&wasm, "content-type"), Some("application/wasm"));
    assert_eq!(header_of(&wasm, "content-encoding"), None);
}

/// A multipart upload of `file`, sent in `pieces` chunks `gap` apart, then
/// (if `stall`) never finished.
fn slow_upload(
    token: &str,
    file: &'static [u8],
    pieces: usize,
    gap: Duration,
    stall: bool,
) -> Request<Body> {
    let mut bytes =
        b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"logo.svg\"\r\n\
        Content-Type: image/svg+xml\r\n\r\n"
            .to_vec();
    bytes.extend_from_slice(file);
    bytes.extend_from_slice(b"\r\n--XyZ--\r\n");
    let size = bytes.len().div_ceil(pieces);
    let chunks: Vec<Bytes> = bytes.chunks(size).map(Bytes::copy_from_slice).collect();
    let sent = stream::iter(chunks).then(move |chunk| async move {
        tokio::time::sleep(gap).await;
        Ok::<_, std::io::Error>(chunk)
    });
    let body = if stall {
        Body::from_stream(sent.take(1).chain(stream::pending()))
    } else {
        Body::from_stream(sent)
    };
    Request::post("/api/v1/media/upload")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
        .body(body)
        .unwrap()
}

#[tokio::test]
async fn a_slow_upload_outlasts_the_request_deadline() {
    let t = TestApp::new(timeouts(200, 10000)).await;
    let req = slow_upload(&t.token, SVG, 8, Duration::from_millis(100), false);
    let res = t.send(req).await;
    assert_eq!(
        res.status(),
        StatusCode::CREATED,
        "{:?}",
        body_of(res).await
    );
}

#[tokio::test]
async fn a_stalled_upload_is_cut_off() {
    let t = TestApp::new(timeouts(200, 500)).await;
    let req = slow_upload(&t.token, SVG, 8, Duration::ZERO, true);
    let res = t.send(req).await;
    assert!(res.status().is_client_error(), "{}", res.status());
}

#[tokio::test]
async fn other_requests_have_a_deadline() {
    let t = TestApp::new(timeouts(300, 10000)).await;
    let media = t.upload("logo.svg", SVG).await;
    // A body that never ends keeps the handler waiting.
    let body = stream::once(async { Ok::<_, std::io::Error>(Bytes::from_static(b"{\"name\":")) })
        .chain(stream::pending());
    let req = Request::patch(format!("/api/v1/media/{}", media.id))
        .header(header::AUTHORIZATION, format!("Bearer {}", t.token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(body))
        .unwrap();
    let res = t.send(req).await;
    assert_eq!(res.status(), StatusCode::REQUEST_TIMEOUT);
}

/// The value of the series `name{labels}` in a scrape, if it is there.
fn series(text: &str, name_and_labels: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_uploads_and_errors_for_scrapers_only() {
    let t = TestApp::new(Timeouts::default()).await;
    let scrape = |token: Option<String>| {
        let mut req = Request::get("/metrics");
        if let Some(token) = token {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        t.send(req.body(Body::empty()).unwrap())
    };
    assert_eq!(scrape(None).await.status(), StatusCode::UNAUTHORIZED);
    let reader = t
        .service
        .create_token_unchecked("reader", &[Scope::Read])
        .await
        .unwrap()
        .secret;
    assert_eq!(scrape(Some(reader)).await.status(), StatusCode::FORBIDDEN);
    let scraper = t
        .service
        .create_token_unchecked("prometheus", &[Scope::Metrics])
        .await
        .unwrap()
        .secret;

    let jpeg = t.upload("photo.jpg", JPEG).await;
    let principal = t.service.authenticate(&t.token).await.unwrap();
    let refused = t
        .service
        .upload(
            &principal,
            UploadRequest {
                filename: Some("notes.txt".to_owned()),
                bytes: Bytes::from_static(b"just some text, not media"),
                ..UploadRequest::default()
            },
        )
        .await
        .unwrap_err();
    for _ in 0..2 {
        let res = t.get(&format!("/api/v1/media/{}", jpeg.id), &[]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    for _ in 0..2 {
        let res = t.get(&format!("/{}", jpeg.public_path()), &[]).await;
        assert_eq!(body_of(res).await.as_ref(), JPEG);
    }
    let res = t.get(&format!("/api/v1/media/{}x", jpeg.id), &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = t.get("/no/such/page", &[]).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    let res = scrape(Some(scraper)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        header_of(&res, "content-type")
            .unwrap()
            .starts_with("application/openmetrics-text"),
    );
    let text = String::from_utf8(body_of(res).await.to_vec()).unwrap();
    let get_item = r#"route="/api/v1/media/{id}",method="GET""#;
    assert_eq!(
        series(
            &text,
            &format!("mediakit_http_requests_total{{{get_item},status=\"200\"}}")
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        series(
            &text,
            &format!("mediakit_http_requests_total{{{get_item},status=\"404\"}}")
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        series(
            &text,
            &format!("mediakit_http_request_duration_seconds_count{{{get_item}}}")
        ),
        Some(3.0),
        "{text}"
    );
    // A path no route knows is one series, whatever the path.
    assert!(
        text.contains(r#"route="unmatched",method="GET",status="404""#),
        "{text}"
    );
    assert!(!text.contains("/no/such/page"), "{text}");
    assert_eq!(
        series(&text, r#"mediakit_errors_total{code="not_found"}"#),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        series(
            &text,
            r#"mediakit_uploads_total{media_type="image/jpeg",outcome="stored"}"#
        ),
        Some(1.0),
        "{text}"
    );
    let refused_series = format!(
        "mediakit_uploads_total{{media_type=\"unknown\",outcome=\"{}\"}}",
        refused.code.as_str()
    );
    assert_eq!(series(&text, &refused_series), Some(1.0), "{text}");
    assert_eq!(
        series(&text, "mediakit_uploaded_bytes_total"),
        Some(jpeg.stored_bytes() as f64),
        "{text}"
    );
    // Each upload's inspection is a job, and the JPEG's stripping (whose
    // hash finds a stored twin first) and rendering.
    assert_eq!(
        series(&text, "mediakit_image_job_duration_seconds_count"),
        Some(4.0),
        "{text}"
    );
    assert_eq!(
        series(&text, "mediakit_image_jobs_running"),
        Some(0.0),
        "{text}"
    );
    // The original read once from disk, then from memory.
    assert_eq!(
        series(&text, "mediakit_file_cache_misses_total"),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        series(&text, "mediakit_file_cache_hits_total"),
        Some(1.0),
        "{text}"
    );
    assert!(
        series(&text, "mediakit_memory_budget_bytes").unwrap() > 0.0,
        "{text}"
    );
    assert_eq!(
        series(&text, "mediakit_memory_budget_in_use_bytes"),
        Some(0.0),
        "{text}"
    );
}
