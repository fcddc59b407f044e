//! What may be served, with which headers, from memory and from disk.

use axum::body::{Body, to_bytes};
use axum::http::Request;
use tower::ServiceExt;

use super::*;

fn demo_dir(built: bool) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("assets/pkg")).unwrap();
    std::fs::write(dir.path().join("index.html"), "<!doctype html><p>demo").unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "export {};").unwrap();
    std::fs::write(dir.path().join("assets/notes.exe"), "MZ").unwrap();
    std::fs::create_dir_all(dir.path().join("assets/.pkg-build.x")).unwrap();
    std::fs::write(dir.path().join("assets/.pkg-build.x/a.js"), "1").unwrap();
    std::fs::write(dir.path().join("secret.js"), "outside assets").unwrap();
    if built {
        std::fs::write(dir.path().join(BUILT_MARKER), b"\0asm\x01\0\0\0").unwrap();
    }
    dir
}

async fn get(app: &Router, uri: &str, headers: &[(&str, &str)]) -> Response {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.clone()
        .oneshot(req.body(Body::empty()).unwrap())
        .await
        .unwrap()
}

fn header_of<'a>(res: &'a Response, name: &str) -> &'a str {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn serves_the_page_and_assets_with_exact_types() {
    let dir = demo_dir(true);
    let app = routes(Page::Dir(dir.path().to_path_buf()));
    let page = get(&app, "/", &[]).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(header_of(&page, "content-type"), "text/html; charset=utf-8");
    assert_eq!(header_of(&page, "cache-control"), "no-cache");
    assert_eq!(header_of(&page, "x-content-type-options"), "nosniff");
    assert!(header_of(&page, "content-security-policy").contains("'wasm-unsafe-eval'"));
    let wasm = get(&app, "/assets/pkg/mediakit_web_bg.wasm", &[]).await;
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(header_of(&wasm, "content-type"), "application/wasm");
    let js = get(&app, "/assets/app.js", &[]).await;
    assert_eq!(
        header_of(&js, "content-type"),
        "text/javascript; charset=utf-8"
    );
    let etag = header_of(&js, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(
        to_bytes(js.into_body(), 1024).await.unwrap().as_ref(),
        b"export {};"
    );
    let again = get(&app, "/assets/app.js", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn revalidates_by_weak_comparison_and_ranges_only_without_if_range() {
    let dir = demo_dir(true);
    let app = routes(Page::Dir(dir.path().to_path_buf()));
    let etag = header_of(&get(&app, "/assets/app.js", &[]).await, "etag").to_owned();
    // `"x"` names the same file as `W/"x"` for If-None-Match.
    let strong_form = etag.trim_start_matches("W/");
    for sent in [etag.as_str(), strong_form, "\"other\", *"] {
        let res = get(&app, "/assets/app.js", &[("if-none-match", sent)]).await;
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED, "{sent}");
        assert_eq!(header_of(&res, "etag"), etag);
        assert_eq!(header_of(&res, "cache-control"), "no-cache");
    }
    let res = get(&app, "/assets/app.js", &[("if-none-match", "\"other\"")]).await;
    assert_eq!(res.status(), StatusCode::OK);

    let part = get(&app, "/assets/app.js", &[("range", "bytes=0-5")]).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        to_bytes(part.into_body(), 1024).await.unwrap().as_ref(),
        b"export"
    );
    // A weak ETag never validates a range: the whole file comes back.
    for if_range in [etag.as_str(), strong_form] {
        let res = get(
            &app,
            "/assets/app.js",
            &[("range", "bytes=0-5"), ("if-range", if_range)],
        )
        .await;
        assert_eq!(res.status(), StatusCode::OK, "{if_range}");
        assert_eq!(
            to_bytes(res.into_body(), 1024).await.unwrap().as_ref(),
            b"export {};"
        );
    }
}

#[tokio::test]
async fn refuses_escapes_hidden_files_and_unknown_types() {
    let dir = demo_dir(true);
    let app = routes(Page::Dir(dir.path().to_path_buf()));
    for uri in [
        "/assets/../secret.js",
        "/assets/%2e%2e/secret.js",
        "/assets/pkg/../../secret.js",
        "/assets/.pkg-build.x/a.js",
        "/assets/notes.exe",
        "/assets/missing.js",
        "/assets/pkg",
        "/secret.js",
    ] {
        let res = get(&app, uri, &[]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{uri}");
    }
    assert!(safe_relative("a/b.js").is_some());
    assert!(safe_relative("/etc/passwd").is_none());
    assert!(safe_relative("a\\..\\b.js").is_none());
}

#[tokio::test]
async fn says_how_to_build_when_not_built() {
    let dir = demo_dir(false);
    let app = routes(Page::Dir(dir.path().to_path_buf()));
    let res = get(&app, "/", &[]).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = to_bytes(res.into_body(), 4096).await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains("scripts/build-web-demo"), "{text}");
    assert!(!is_built(dir.path()));
}

#[tokio::test]
async fn a_page_in_memory_is_served_with_the_same_rules() {
    static FILES: &[(&str, &[u8])] = &[
        ("index.html", b"<!doctype html><p>in memory"),
        ("assets/app.js", b"export {};"),
        ("assets/notes.exe", b"MZ"),
        ("assets/.hidden.js", b"1"),
        ("secret.js", b"outside assets"),
        (BUILT_MARKER, b"\0asm\x01\0\0\0"),
    ];
    let files: &'static PageFiles = Box::leak(Box::new(PageFiles::new(FILES)));
    let page = Page::Files(files);
    assert!(page.is_built());
    let app = routes(page);
    let index = get(&app, "/", &[]).await;
    assert_eq!(index.status(), StatusCode::OK);
    assert_eq!(
        header_of(&index, "content-type"),
        "text/html; charset=utf-8"
    );
    assert!(header_of(&index, "content-security-policy").contains("'wasm-unsafe-eval'"));
    assert_eq!(header_of(&index, "cache-control"), "no-cache");
    let etag = header_of(&index, "etag").to_owned();
    assert!(etag.starts_with("W/\""), "{etag}");
    assert_eq!(
        to_bytes(index.into_body(), 1024).await.unwrap().as_ref(),
        b"<!doctype html><p>in memory"
    );
    let again = get(&app, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let wasm = get(&app, "/assets/pkg/mediakit_web_bg.wasm", &[]).await;
    assert_eq!(header_of(&wasm, "content-type"), "application/wasm");
    let js = get(&app, "/assets/app.js", &[]).await;
    assert_ne!(header_of(&js, "etag"), etag, "one validator per file");
    for uri in [
        "/assets/../secret.js",
        "/assets/.hidden.js",
        "/assets/notes.exe",
        "/assets/missing.js",
    ] {
        assert_eq!(
            get(&app, uri, &[]).await.status(),
            StatusCode::NOT_FOUND,
            "{uri}"
        );
    }
}

#[test]
fn a_web_dir_given_wins_over_the_built_in_page() {
    let page = Page::resolve(Some(PathBuf::from("/srv/page")));
    assert!(matches!(page, Page::Dir(ref d) if d == Path::new("/srv/page")));
    // Without one: the built-in page when this binary has one (built
    // after scripts/build-web-demo), else the checkout's directory.
    match Page::resolve(None) {
        Page::Files(files) => assert!(files.get("index.html").is_some()),
        Page::Dir(dir) => assert_eq!(dir, Path::new(DEFAULT_WEB_DIR)),
    }
}
