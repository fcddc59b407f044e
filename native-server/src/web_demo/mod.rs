//! The web page (`web-demo/www`, its wasm built by `scripts/build-web-demo`)
//! served at `/`, its files under `/assets/`. Two fixed routes next to the
//! API's, so they can never shadow an API path; the API keeps its own 404
//! fallback.
//!
//! The page comes from memory ([`Page::Files`]: built into the binary, see
//! `build.rs`) unless `--web-dir` names a directory ([`Page::Dir`]). From a
//! directory, tower-http's `ServeDir` reads the files (streamed, with
//! `HEAD`, ranges and `If-Modified-Since`) on each request, so rebuilding
//! the page while the server runs needs no restart: the way to work on it.
//! Around both, this module decides
//! what may be served at all (plain names under `assets/`, no hidden files,
//! known types only) and how: the exact type (`application/wasm` lets the
//! browser compile while downloading), `nosniff`, the page's CSP, and
//! `no-cache` with a weak ETag (names are not content-hashed: revalidate
//! every time, a 304 when unchanged), matched by the API's one
//! conditional-request helper.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mediakit_api::conditional::{not_modified, range_allowed};
use mediakit_api::rest::ApiError;
use mediakit_core::{Error, ErrorCode};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::page_files::PageFiles;

/// Where the page is when the binary runs from a checkout (`cargo run`).
pub const DEFAULT_WEB_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../web-demo/www");

/// The generated module that tells a built demo from a bare checkout.
const BUILT_MARKER: &str = "assets/pkg/mediakit_web_bg.wasm";

/// The page may run its own scripts and wasm, talk to this origin only, show
/// blob: previews; nothing else (no inline script, no framing).
const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    worker-src 'self'; connect-src 'self'; img-src 'self' blob: data:; \
    style-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; \
    frame-ancestors 'none'";

/// Where the page comes from.
#[derive(Debug, Clone)]
pub enum Page {
    /// A directory, read on each request.
    Dir(PathBuf),
    /// Files in memory: the page built into the binary.
    Files(&'static PageFiles),
}

impl Page {
    /// `web_dir` when one is given (`--web-dir`); otherwise the page built
    /// into the binary, when it was built after the wasm was; otherwise
    /// the checkout's directory (which may be built meanwhile).
    pub fn resolve(web_dir: Option<PathBuf>) -> Self {
        if let Some(dir) = web_dir {
            // The built-in files are not even hashed then.
            return Self::Dir(dir);
        }
        let built_in = PageFiles::built_in();
        if built_in.get(BUILT_MARKER).is_some() {
            Self::Files(built_in)
        } else {
            Self::Dir(PathBuf::from(DEFAULT_WEB_DIR))
        }
    }

    /// Whether the page is complete (its wasm built).
    pub fn is_built(&self) -> bool {
        match self {
            Self::Dir(dir) => is_built(dir),
            Self::Files(files) => files.get(BUILT_MARKER).is_some(),
        }
    }

    /// For the start-up message.
    pub fn describe(&self) -> String {
        match self {
            Self::Dir(dir) => dir.display().to_string(),
            Self::Files(_) => "built into this binary".to_owned(),
        }
    }
}

/// The page's files. The request's own path names the file: `/` is
/// `index.html`, `/assets/x` is `assets/x`.
enum Site {
    /// A directory and the file server over it.
    Dir {
        dir: PathBuf,
        files: ServeDir,
    },
    Files(&'static PageFiles),
}

pub fn routes(page: Page) -> Router {
    let site = match page {
        Page::Dir(dir) => Site::Dir {
            files: ServeDir::new(&dir).redirect_to_trailing_slash(false),
            dir,
        },
        Page::Files(files) => Site::Files(files),
    };
    Router::new()
        .route("/", get(index))
        .route("/assets/{*path}", get(asset))
        .with_state(Arc::new(site))
}

/// Whether `dir` holds a built demo (for the start-up message).
pub fn is_built(dir: &Path) -> bool {
    dir.join(BUILT_MARKER).is_file()
}

async fn index(State(site): State<Arc<Site>>, req: Request) -> Response {
    if let Site::Dir { dir, .. } = &*site
        && !is_built(dir)
    {
        return not_built(dir);
    }
    serve_file(&site, Path::new("index.html"), req).await
}

async fn asset(
    State(site): State<Arc<Site>>,
    UrlPath(path): UrlPath<String>,
    req: Request,
) -> Response {
    match safe_relative(&path) {
        Some(rel) => serve_file(&site, &Path::new("assets").join(rel), req).await,
        None => missing(),
    }
}

/// Only plain names going down: no `..`, no root, no hidden files (the build's
/// temporary directories start with a dot), no backslashes.
fn safe_relative(path: &str) -> Option<PathBuf> {
    if path.is_empty() || path.contains('\\') || path.contains('\0') {
        return None;
    }
    let rel = Path::new(path);
    let plain = rel.components().all(|c| match c {
        Component::Normal(name) => !name.to_string_lossy().starts_with('.'),
        _ => false,
    });
    plain.then(|| rel.to_path_buf())
}

/// The types this directory may hold; anything else is not served.
fn content_type(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "webp" => "image/webp",
        "gif" => "image/gif",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    })
}

/// Serves `rel` (relative to the site, already checked to be a plain path)
/// for `req`, whose path names the same file.
async fn serve_file(site: &Site, rel: &Path, req: Request) -> Response {
    let Some(mime) = content_type(rel) else {
        return missing();
    };
    match site {
        Site::Dir { dir, files } => serve_from_disk(dir, files, rel, mime, req).await,
        Site::Files(files) => serve_from_memory(files, rel, mime, &req),
    }
}

/// From memory: the whole file or a 304 (no ranges: these files are small
/// and fetched whole).
fn serve_from_memory(files: &PageFiles, rel: &Path, mime: &'static str, req: &Request) -> Response {
    let Some(file) = rel.to_str().and_then(|rel| files.get(rel)) else {
        return missing();
    };
    let mut res = if not_modified(req.headers(), &file.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Body::from(Bytes::from_static(file.bytes)).into_response()
    };
    set_headers(res.headers_mut(), mime, &file.etag);
    res
}

async fn serve_from_disk(
    dir: &Path,
    files: &ServeDir,
    rel: &Path,
    mime: &'static str,
    mut req: Request,
) -> Response {
    let Ok(meta) = tokio::fs::metadata(dir.join(rel)).await else {
        return missing();
    };
    if !meta.is_file() {
        return missing();
    }
    // Weak: derived from size and modification time, not the bytes.
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!("W/\"{:x}-{modified:x}\"", meta.len());
    let mut res = if not_modified(req.headers(), &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        // The ETag preconditions are answered here, against this ETag;
        // ServeDir's own (strong, from the same metadata) must not answer
        // them again, nor serve a range that `If-Range` does not allow.
        let headers = req.headers_mut();
        if !range_allowed(headers, &etag) {
            headers.remove(header::RANGE);
        }
        headers.remove(header::IF_NONE_MATCH);
        headers.remove(header::IF_RANGE);
        let Ok(res) = files.clone().oneshot(req).await;
        if res.status() == StatusCode::NOT_FOUND {
            return missing();
        }
        res.map(Body::new)
    };
    set_headers(res.headers_mut(), mime, &etag);
    res
}

/// What every answer of this module carries: its exact type, `nosniff`,
/// and `no-cache` (revalidate every time).
fn page_headers(h: &mut HeaderMap, mime: &'static str) {
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
}

fn set_headers(h: &mut HeaderMap, mime: &'static str, etag: &str) {
    page_headers(h, mime);
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    match HeaderValue::from_str(etag) {
        Ok(v) => h.insert(header::ETAG, v),
        Err(_) => h.remove(header::ETAG),
    };
}

fn missing() -> Response {
    ApiError::from(Error::new(ErrorCode::NotFound, "no such file")).into_response()
}

/// What `/` shows until `scripts/build-web-demo` has run: the API works, the
/// page needs its generated wasm.
fn not_built(dir: &Path) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\">\
         <title>mediakit: web demo not built</title>\
         <h1>mediakit is running</h1>\
         <p>The API is at <code>/api/v1/</code>. The web demo is not built in \
         <code>{}</code>.</p>\
         <p>Build it from the repository with <code>scripts/build-web-demo</code> \
         and reload this page (no restart needed), or point the server at a \
         built copy with <code>--web-dir</code> / <code>MEDIAKIT_WEB_DIR</code>.</p>\
         </html>",
        html_escape(&dir.display().to_string())
    );
    let mut res = (StatusCode::SERVICE_UNAVAILABLE, body).into_response();
    page_headers(res.headers_mut(), "text/html; charset=utf-8");
    res
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests;
