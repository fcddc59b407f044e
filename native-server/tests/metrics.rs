//! The Prometheus scrape of the native stack: who may scrape, and that its
//! counts follow the traffic exactly.

mod in_process;

use axum::body::{Body, Bytes};
use axum::http::{Request, StatusCode, header};
use in_process::{TestApp, body_of, header_of};
use mediakit_core::auth::Scope;
use mediakit_core::service::UploadRequest;
use mediakit_server::http_stack::Timeouts;

const JPEG: &[u8] = include_bytes!("../../tests/fixtures/photo-grayscale.jpg");

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
