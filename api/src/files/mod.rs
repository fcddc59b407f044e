//! Public file serving: `/uploads/media/{id}.{ext}` (originals) and
//! `/uploads/media/{id}/{variant}.{ext}` (variants). No token is needed.
//!
//! A stored file never changes (keys are create-only and named by a unique
//! id), so responses carry a strong ETag (the SHA-256) and are cacheable
//! forever. Deleted media answers 404 at once. Large bodies are streamed
//! from storage, never read whole; small ones come from the service's
//! in-memory cache once read (`MediaService::file_body`).

mod openapi;
mod range;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use mediakit_core::config::ServiceConfig;
use mediakit_core::ports::Backend;
use mediakit_core::service::{FileBody, FileRef, MediaService, RenditionFile, VariantFile};
use mediakit_core::{Error, ErrorCode, MediaKind};

use crate::conditional::{not_modified, range_allowed};
use crate::rest::{ApiError, ApiResult, PathParam};
use openapi::{FileErrors, FileResponses, RenditionErrors, RenditionResponses, VariantErrors};
pub use range::{RangeRequest, parse as parse_range};

/// SVGs are documents: even an accepted one is shown with scripts, plugins
/// and same-origin access disabled.
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

fn table<P: Backend>() -> Vec<crate::rest::Route<P>> {
    vec![
        ("/uploads/media/{file}", get(original::<P>)),
        ("/uploads/media/{id}/{file}", get(variant::<P>)),
        (
            "/uploads/media/{id}/r/{signature}/{file}",
            get(rendition::<P>),
        ),
    ]
}

pub fn routes<P: Backend>() -> Router<Arc<MediaService<P>>> {
    crate::into_router(table::<P>())
}

/// The path of every file route (for the OpenAPI document's test).
pub fn paths<P: Backend>() -> Vec<&'static str> {
    table::<P>().into_iter().map(|(path, _)| path).collect()
}

/// `{stem}.{ext}` split at the last dot.
fn split_name(file: &str) -> Result<(&str, &str), Error> {
    file.rsplit_once('.').ok_or_else(Error::not_found)
}

/// The original file
///
/// Public. Deleted media is 404; unlisted media is served (with
/// `X-Robots-Tag: noindex`). SVGs come with a sandboxing
/// `Content-Security-Policy`. `HEAD` answers the same headers.
#[utoipa::path(
    get,
    path = "/uploads/media/{file}",
    operation_id = "getOriginal",
    tag = "files",
    params(
        ("file" = String, Path, description = "`{id}.{ext}`: the media object's `filename`"),
        ("Range" = Option<String>, Header, description = "`bytes=start-end`, one range"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` from before: 304 if it still matches"),
        ("If-Range" = Option<String>, Header, description = "The `Range` applies only if this `ETag` still matches"),
    ),
    security(()),
    responses(FileResponses, FileErrors),
)]
async fn original<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    PathParam(file): PathParam<String>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (id, ext) = split_name(&file)?;
    let file = service.file(id, None, ext).await?;
    serve(&service, &file, &method, &headers).await
}

/// A variant file
///
/// Public, like the original: `thumb`, `small`, `medium` or `large`,
/// those smaller than the original (see the media object's `variants`),
/// in its stored format or any of its `formats` (WebP and, natively,
/// AVIF: rendered on the first request, then stored). Without an
/// extension the format follows `Accept` (AVIF, then WebP, natively; the
/// stored format otherwise), with `Vary: Accept`.
#[utoipa::path(
    get,
    path = "/uploads/media/{id}/{file}",
    operation_id = "getVariant",
    tag = "files",
    params(
        ("id" = String, Path, description = "The media id"),
        ("file" = String, Path, description = "`{variant}.{ext}` (e.g. `thumb.jpg`, `thumb.avif`) or `{variant}` for the best format `Accept` takes"),
        ("Accept" = Option<String>, Header, description = "For a variant without extension"),
        ("Range" = Option<String>, Header, description = "`bytes=start-end`, one range"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` from before: 304 if it still matches"),
        ("If-Range" = Option<String>, Header, description = "The `Range` applies only if this `ETag` still matches"),
    ),
    security(()),
    responses(FileResponses, VariantErrors),
)]
async fn variant<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    PathParam((id, file)): PathParam<(String, String)>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let (name, ext) = match file.rsplit_once('.') {
        Some((name, ext)) => (name, Some(ext)),
        None => (file.as_str(), None),
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match service.variant_file(&id, name, ext, accept).await? {
        VariantFile::Stored { file, negotiated } => {
            let mut res = serve(&service, &file, &method, &headers).await?;
            if negotiated {
                res.headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("Accept"));
            }
            Ok(res)
        }
        VariantFile::Derived(file) => serve_rendition(&service, file, &method, &headers).await,
    }
}

/// A rendition file
///
/// Public, from a URL that `POST /api/v1/media/{id}/url` signed. Rendered
/// on its first request (within the server's image limits), then served
/// from storage. A URL whose parameters do not match its signature is 403
/// `forbidden`; a deleted item's renditions are 404 at once, like its
/// files.
#[utoipa::path(
    get,
    path = "/uploads/media/{id}/r/{signature}/{file}",
    operation_id = "getRendition",
    tag = "files",
    params(
        ("id" = String, Path, description = "The media id"),
        ("signature" = String, Path, description = "The URL's signature"),
        ("file" = String, Path, description = "The spec and, unless the format is `auto`, its extension: e.g. `w640_h480_cover_q80.jpg`"),
        ("Accept" = Option<String>, Header, description = "For a spec without extension: AVIF or WebP when it takes them (`negotiated_formats` of `/api/v1/limits`)"),
        ("If-None-Match" = Option<String>, Header, description = "An `ETag` from before: 304 if it still matches"),
    ),
    security(()),
    responses(RenditionResponses, RenditionErrors),
)]
async fn rendition<P: Backend>(
    State(service): State<Arc<MediaService<P>>>,
    PathParam((id, signature, file)): PathParam<(String, String, String)>,
    method: Method,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let rendition = service.rendition(&id, &signature, &file, accept).await?;
    serve_rendition(&service, rendition, &method, &headers).await
}

/// Sends a rendition: from memory when this request rendered it, else
/// streamed from storage (no ranges: renditions are small images that
/// browsers fetch whole).
async fn serve_rendition<P: Backend>(
    service: &MediaService<P>,
    rendition: RenditionFile,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    // What `file_headers` reads: type, name, state (no size or hash is
    // kept for a rendition; its ETag comes from its key).
    let file = FileRef {
        key: rendition.key.clone(),
        mime_type: rendition.mime_type.clone(),
        size: 0,
        sha256: String::new(),
        download_name: rendition.download_name.clone(),
        unlisted: rendition.unlisted,
    };
    let mut res_headers = file_headers(&file, &rendition.etag, service.config());
    res_headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("none"));
    if rendition.negotiated {
        res_headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    }
    if not_modified(headers, &rendition.etag) {
        return Ok(with_headers(
            StatusCode::NOT_MODIFIED,
            Body::empty(),
            res_headers,
        ));
    }
    let body = match rendition.body {
        FileBody::Bytes(bytes) => {
            res_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
            Body::from(bytes)
        }
        FileBody::Stream(chunks) => Body::from_stream(chunks),
    };
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        body
    };
    Ok(with_headers(StatusCode::OK, body, res_headers))
}

/// Answers a file request with conditional and range handling. Shared by
/// every dialect's file URLs.
pub async fn serve<P: Backend>(
    service: &MediaService<P>,
    file: &FileRef,
    method: &Method,
    headers: &HeaderMap,
) -> ApiResult<Response> {
    let etag = format!("\"{}\"", file.sha256);
    let mut res_headers = file_headers(file, &etag, service.config());

    if not_modified(headers, &etag) {
        return Ok(with_headers(
            StatusCode::NOT_MODIFIED,
            Body::empty(),
            res_headers,
        ));
    }

    // If-Range with a different validator means "send it all".
    let range_header = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| range_allowed(headers, &etag));
    let (status, range) = match parse_range(range_header, file.size) {
        RangeRequest::Full => (StatusCode::OK, None),
        RangeRequest::Partial(r) => (StatusCode::PARTIAL_CONTENT, Some(r)),
        RangeRequest::Unsatisfiable => {
            // An error like any other (JSON, stable code), plus the size a
            // client needs to ask again (RFC 9110 §15.5.17).
            let message = format!("the range is outside the file's {} bytes", file.size);
            let error = Error::new(ErrorCode::RangeNotSatisfiable, message);
            let mut res = ApiError::from(error).into_response();
            res.headers_mut().insert(
                header::CONTENT_RANGE,
                header_value(&format!("bytes */{}", file.size)),
            );
            return Ok(res);
        }
    };
    let length = range.map_or(file.size, |r| r.end - r.start);
    if let Some(r) = range {
        res_headers.insert(
            header::CONTENT_RANGE,
            header_value(&format!("bytes {}-{}/{}", r.start, r.end - 1, file.size)),
        );
    }
    res_headers.insert(header::CONTENT_LENGTH, HeaderValue::from(length));

    // Small files from memory once read; every other file streamed from
    // storage chunk by chunk, so however large it is and however many
    // clients read it, a response holds a chunk at a time. Opening it
    // first means a missing blob is still a clean error status.
    let body = if method == Method::HEAD {
        Body::empty()
    } else {
        match service
            .file_body(file, range)
            .await
            .map_err(ApiError::from)?
        {
            FileBody::Bytes(bytes) => Body::from(bytes),
            FileBody::Stream(chunks) => Body::from_stream(chunks),
        }
    };
    Ok(with_headers(status, body, res_headers))
}

fn with_headers(status: StatusCode, body: Body, headers: HeaderMap) -> Response {
    let mut res = Response::new(body);
    *res.status_mut() = status;
    *res.headers_mut() = headers;
    res
}

/// The headers of every file answer; `Cache-Control` as configured for
/// listed or unlisted media.
fn file_headers(file: &FileRef, etag: &str, config: &ServiceConfig) -> HeaderMap {
    let cache_control = if file.unlisted {
        &config.unlisted_file_cache_control
    } else {
        &config.file_cache_control
    };
    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_TYPE, header_value(&file.mime_type));
    h.insert(header::ETAG, header_value(etag));
    // Hosts check the configured value at start-up; should one slip
    // through, not caching is the safe reading.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_str(cache_control).unwrap_or(HeaderValue::from_static("no-cache")),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Files are public; let other origins draw them on a canvas.
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        header_value(&content_disposition(&file.download_name)),
    );
    if file.mime_type == MediaKind::Svg.mime_type() {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SVG_CSP),
        );
    }
    if file.unlisted {
        h.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    }
    h
}

/// `inline; filename="…"; filename*=UTF-8''…` (RFC 6266), with the ASCII
/// fallback stripped of quotes and non-ASCII.
fn content_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

fn header_value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_is_header_safe() {
        let d = content_disposition("été \"x\".jpg");
        assert!(d.starts_with("inline; filename=\"_t_ _x_.jpg\""), "{d}");
        assert!(
            d.ends_with("filename*=UTF-8''%C3%A9t%C3%A9%20%22x%22.jpg"),
            "{d}"
        );
        assert!(HeaderValue::from_str(&d).is_ok());
    }
}
