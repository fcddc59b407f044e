//! Targets over what the HTTP layer parses before any handler logic:
//! request bodies read within limits (api/src/body.rs), multipart forms
//! (api/src/multipart.rs over axum's parser), `Range` headers
//! (api/src/files/range.rs) and the RPC dialect's parameters
//! (api/src/rpc/params.rs), each through its public entry point.
//!
//! Everything here is async over in-memory streams, which never wait: each
//! future is polled once and must be done (a future still pending would be
//! a read waiting for bytes that will never come).

use std::future::Future;
use std::io;

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{HeaderMap, HeaderValue, Method, Uri, header};
use bytes::Bytes;
use futures_util::FutureExt;
use mediakit_api::files::{RangeRequest, parse_range};
use mediakit_api::rpc::Params;
use mediakit_api::{body, multipart as form};
use mediakit_core::ErrorCode;
use mediakit_core::admission::Budget;
use mediakit_core::config::Limits as CoreLimits;
use mediakit_core::model::FocalPoint;
use mediakit_core::rendition::{MAX_RENDITION_SIDE, RenditionSpec};

/// Polls an in-memory future to its end.
pub(crate) fn done<F: Future>(future: F) -> F::Output {
    future
        .now_or_never()
        .expect("a future over in-memory bytes was left waiting")
}

/// `data` split in chunks of `size` bytes (at least 1), as a body stream.
fn chunked(data: &[u8], size: u8) -> Body {
    let chunks: Vec<Result<Bytes, io::Error>> = data
        .chunks(usize::from(size.max(1)))
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// `body::read`: bytes 0..4 are the accepted size, the read-through size,
/// the chunk size and the declared length (255: none); the rest is the
/// body. What it returns is exactly what the limits say.
pub fn body_read(data: &[u8]) {
    let Some((&[accept, drain_to, chunk, declared], payload)) = data.split_first_chunk::<4>()
    else {
        return;
    };
    let mut headers = HeaderMap::new();
    if declared != u8::MAX {
        headers.insert(
            header::CONTENT_LENGTH,
            HeaderValue::from(u16::from(declared)),
        );
    }
    let too_large = || mediakit_core::Error::new(ErrorCode::FileTooLarge, "too large");
    let got = done(body::read(
        &headers,
        chunked(payload, chunk),
        u64::from(accept),
        u64::from(drain_to),
        too_large,
    ));
    let refused_early = declared != u8::MAX && declared > drain_to;
    match got {
        Ok(bytes) => {
            assert!(!refused_early, "a body declared over the limit was read");
            assert_eq!(bytes.as_ref(), payload, "the body came back changed");
            assert!(bytes.len() <= usize::from(accept));
        }
        Err(e) => {
            assert_eq!(e.code, ErrorCode::FileTooLarge);
            assert!(
                refused_early || payload.len() > usize::from(accept),
                "a body within the limit was refused"
            );
        }
    }
}

/// The limits the multipart target reads with: small, so that the
/// over-the-limit paths are reached by short inputs.
#[allow(clippy::needless_update)] // `Limits` is gaining fields (memory budget).
fn small_upload_limits() -> CoreLimits {
    CoreLimits {
        max_upload_bytes: 512,
        ..CoreLimits::default()
    }
}

/// A multipart upload as the REST handler reads it: byte 0 is the chunk
/// size the body arrives in, then the boundary up to the first `\n`, then
/// the body. Every field is read (`file` as the file, others as text);
/// after an error the rest is drained, as the handlers do.
pub fn multipart(data: &[u8]) {
    let Some((&chunk, rest)) = data.split_first() else {
        return;
    };
    let Some(newline) = rest.iter().position(|&b| b == b'\n') else {
        return;
    };
    let (boundary, payload) = (&rest[..newline], &rest[newline + 1..]);
    let mut content_type = b"multipart/form-data; boundary=".to_vec();
    content_type.extend_from_slice(boundary);
    let Ok(content_type) = HeaderValue::from_bytes(&content_type) else {
        return;
    };
    let Ok(request) = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/media/upload")
        .header(header::CONTENT_TYPE, content_type)
        .body(chunked(payload, chunk))
    else {
        return;
    };
    let limits = small_upload_limits();
    done(async {
        let Ok(multipart) = Multipart::from_request(request, &()).await else {
            return;
        };
        let mut form = form::Form::new(multipart);
        if let Err(code) = read_form(&mut form, &limits).await {
            assert!(
                matches!(
                    code,
                    ErrorCode::MalformedMultipart
                        | ErrorCode::FileTooLarge
                        | ErrorCode::InvalidRequest
                ),
                "{code:?}"
            );
            form.drain().await;
        }
    });
}

async fn read_form(form: &mut form::Form, limits: &CoreLimits) -> Result<(), ErrorCode> {
    // No memory budget here: the part's own limits are what is fuzzed.
    let budget = Budget::unlimited();
    while let Some(field) = form.next_field(limits).await.map_err(|e| e.code)? {
        if field.name() == Some("file") {
            let part = form::read_file(field, limits, budget.empty_permit())
                .await
                .map_err(|e| e.code)?;
            assert!(part.bytes.len() as u64 <= limits.max_upload_bytes);
        } else {
            let text = form::read_text(field, limits).await.map_err(|e| e.code)?;
            assert!(text.len() <= 64 * 1024);
        }
    }
    Ok(())
}

/// `Range` parsing: byte 0 chooses how the file size is read (0, one
/// byte, two or eight bytes after it), the rest is the header value. A
/// satisfiable range lies inside the file and is not empty.
pub fn range(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (size, header) = match mode & 3 {
        0 => (0, rest),
        1 => (u64::from(mode >> 2), rest),
        2 => match rest.split_first_chunk::<2>() {
            Some((n, h)) => (u64::from(u16::from_le_bytes(*n)), h),
            None => return,
        },
        _ => match rest.split_first_chunk::<8>() {
            Some((n, h)) => (u64::from_le_bytes(*n), h),
            None => return,
        },
    };
    let header = String::from_utf8_lossy(header);
    assert!(matches!(parse_range(None, size), RangeRequest::Full));
    if let RangeRequest::Partial(r) = parse_range(Some(&header), size) {
        assert!(
            r.start < r.end && r.end <= size,
            "range {}..{} of a {size}-byte file from {header:?}",
            r.start,
            r.end
        );
    }
}

/// The RPC parameters as its handlers read them: lines of query string,
/// content type and body (the body is the rest). Every name an endpoint
/// reads is asked for, in each of the ways endpoints ask.
pub fn rpc_params(data: &[u8]) {
    let mut parts = data.splitn(3, |&b| b == b'\n');
    let (Some(query), Some(content_type), body) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let mut target = b"/media/fetch_media?".to_vec();
    target.extend_from_slice(query);
    let Ok(uri) = Uri::try_from(target) else {
        return;
    };
    let mut request = Request::builder().method(Method::POST).uri(uri);
    if let Ok(value) = HeaderValue::from_bytes(content_type) {
        request = request.header(header::CONTENT_TYPE, value);
    }
    let body = Body::from(body.unwrap_or_default().to_vec());
    let Ok(request) = request.body(body) else {
        return;
    };
    let Ok(mut params) = done(Params::from_request(request, &())) else {
        return;
    };
    let _ = params.token();
    let names = [
        "media_ID",
        "instance_ID",
        "name",
        "alt_text",
        "tags",
        "mark_as_deleted",
        "is_unlisted",
        "limit",
        "offset",
        "task_ID",
    ];
    for (i, name) in names.into_iter().enumerate() {
        let _ = params.has(name);
        match i % 3 {
            0 => {
                if let Ok(value) = params.required(name) {
                    assert!(!value.trim().is_empty() && value == value.trim());
                }
            }
            1 => {
                let _ = params.boolean(name);
            }
            _ => {
                let _ = params.text(name);
            }
        }
    }
    let _ = params.finish();
}

/// A rendition URL's last segment as the file route reads it: a spec is
/// accepted only in the one spelling it writes, within the limits a
/// signed URL may ask for.
pub fn rendition_spec(data: &[u8]) {
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    if let Some(spec) = RenditionSpec::parse_file_name(name) {
        assert_eq!(spec.file_name(), name, "one spelling per spec");
        let side = |v: Option<u32>| v.is_none_or(|v| (1..=MAX_RENDITION_SIDE).contains(&v));
        assert!(side(spec.area.width) && side(spec.area.height), "{name}");
        assert!(spec.area.width.is_some() || spec.area.height.is_some());
        assert!((1..=100).contains(&spec.quality));
        assert!(spec.focus.is_none() || spec.crops(), "{name}");
    }
    for separator in [',', 'x'] {
        if let Some(point) = FocalPoint::parse_text(name, separator) {
            assert_eq!(point.to_text(separator), name);
            let (x, y) = point.fractions();
            assert!((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y));
        }
    }
}
