//! The three dialects' request parsing, driven through the real Router
//! (api's `router`, every extractor and handler) over an in-memory service:
//! SQLite `:memory:` with the real migrations, blobs in a map, a clock
//! that stands still and entropy that restarts, so that one input always
//! meets the same state and gets the same answer.
//!
//! An input is a request written like HTTP/1: a request line (`METHOD
//! /path?query`), header lines, an empty line, the body. `$TOKEN` is
//! replaced by an admin token, `$ID` by a listed PNG's id, `$SVG` by an
//! SVG's id and `$DELETED` by a soft-deleted item's id, so that inputs
//! reach past authentication and lookups. Each target keeps only the
//! paths of its dialect, so that its fuzzing time goes there.
//!
//! Every request runs inside a transaction that is rolled back afterwards
//! (the pool has one connection and the catalog opens no transactions of
//! its own), and blobs written by it are removed, so state never grows.
//!
//! What is checked: no panic, no 5xx other than 503, and every error
//! answer is JSON (each dialect's error shape), which is what a client is
//! promised for anything it sends.
//!
//! (Past 400 lines: one in-memory service set-up shared by a target per
//! dialect; split, each file would repeat it.)

use std::sync::{Arc, Mutex, OnceLock};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, Uri};
use bytes::Bytes;
use mediakit_core::auth::Scope;
use mediakit_core::catalog::Catalog;
use mediakit_core::config::{Limits, ServiceConfig};
use mediakit_core::ports::{Adapters, BlobStore, InlineOffload};
use mediakit_core::service::{MediaService, Ports, UploadRequest};
use mediakit_core::testing::{ManualClock, MemoryBlobs, SeededEntropy};
use mediakit_image::VariantSpec;
use mediakit_sqlx::SqliteExecutor;
use tower::ServiceExt;

use crate::images::SMALL_PIXELS;

/// Bodies larger than this are not read back (no answer comes near it).
const MAX_ANSWER: usize = 16 << 20;

type Fuzzing = Adapters<MemoryBlobs, SqliteExecutor, ManualClock, SeededEntropy, InlineOffload>;

/// The service, its Router and what inputs may refer to.
struct Harness {
    runtime: tokio::runtime::Runtime,
    service: Arc<MediaService<Fuzzing>>,
    router: Router,
    /// The blobs and the entropy position after setup: what every request
    /// starts from.
    blobs: Vec<(String, Bytes)>,
    entropy: u64,
    substitutions: Vec<(&'static [u8], Vec<u8>)>,
    /// One request at a time: they share the one connection's transaction.
    lock: Mutex<()>,
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(Harness::new)
}

/// Small limits and variants: an upload renders in about a millisecond.
#[allow(clippy::needless_update)] // `Limits` is gaining fields (memory budget).
fn config() -> ServiceConfig {
    ServiceConfig {
        limits: Limits {
            max_upload_bytes: 64 * 1024,
            max_pixels: SMALL_PIXELS,
            ..Limits::default()
        },
        presets: vec![
            VariantSpec {
                name: "thumb".to_owned(),
                max_side: 8,
            },
            VariantSpec {
                name: "small".to_owned(),
                max_side: 24,
            },
        ],
        ..ServiceConfig::default()
    }
}

/// A 32×32 PNG with alpha, made here so that the harness needs no files.
fn small_png() -> Vec<u8> {
    let pixels = image::RgbaImage::from_fn(32, 32, |x, y| {
        image::Rgba([
            (x * 8) as u8,
            (y * 8) as u8,
            128,
            if x < 4 { 0 } else { 255 },
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut out, image::ImageFormat::Png)
        .expect("encoding a PNG in memory");
    out.into_inner()
}

const SVG: &[u8] = br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;

impl Harness {
    fn new() -> Self {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let service = runtime.block_on(async {
            let sql = SqliteExecutor::in_memory().await.expect("SQLite in memory");
            let ports = Ports {
                blobs: MemoryBlobs::default(),
                catalog: Catalog::new(sql),
                clock: ManualClock::at(1_750_000_000_000),
                entropy: SeededEntropy::default(),
                offload: InlineOffload,
            };
            Arc::new(MediaService::new(ports, config()))
        });
        let substitutions = runtime.block_on(Self::seed(&service));
        let router = mediakit_api::router(service.clone());
        let blobs = runtime.block_on(async {
            let mut blobs = Vec::new();
            for key in service.ports().blobs.keys() {
                let bytes = service.ports().blobs.get(&key, None).await;
                blobs.push((key, bytes.expect("a blob just listed")));
            }
            blobs
        });
        Self {
            blobs,
            entropy: service.ports().entropy.position(),
            runtime,
            service,
            router,
            substitutions,
            lock: Mutex::new(()),
        }
    }

    /// An admin token, a PNG, an SVG and a soft-deleted PNG.
    async fn seed(service: &MediaService<Fuzzing>) -> Vec<(&'static [u8], Vec<u8>)> {
        let token = service
            .create_token_unchecked("fuzz", &Scope::ALL)
            .await
            .expect("a token");
        let admin = service
            .authenticate(&token.secret)
            .await
            .expect("the new token");
        let upload = |filename: &str, bytes: Vec<u8>| UploadRequest {
            filename: Some(filename.to_owned()),
            bytes: bytes.into(),
            name: Some("seed".to_owned()),
            tags: vec!["seed".to_owned()],
            ..UploadRequest::default()
        };
        let png = service
            .upload(&admin, upload("a.png", small_png()))
            .await
            .expect("uploading the PNG");
        let svg = service
            .upload(&admin, upload("b.svg", SVG.to_vec()))
            .await
            .expect("uploading the SVG");
        let deleted = service
            .upload(&admin, upload("c.png", small_png()))
            .await
            .expect("uploading the PNG");
        service
            .delete(&admin, &deleted.id)
            .await
            .expect("deleting it");
        // Longest placeholder first: `$ID` is a prefix of none, but keep
        // the rule for future ones.
        vec![
            (&b"$DELETED"[..], deleted.id.into_bytes()),
            (&b"$TOKEN"[..], token.secret.into_bytes()),
            (&b"$SVG"[..], svg.id.into_bytes()),
            (&b"$ID"[..], png.id.into_bytes()),
        ]
    }

    fn substitute(&self, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(data.len());
        let mut rest = data;
        'outer: while let Some((&first, tail)) = rest.split_first() {
            if first == b'$' {
                for (name, value) in &self.substitutions {
                    if let Some(after) = rest.strip_prefix(*name) {
                        out.extend_from_slice(value);
                        rest = after;
                        continue 'outer;
                    }
                }
            }
            out.push(first);
            rest = tail;
        }
        out
    }

    /// Removes the blobs a request wrote and puts back those it deleted.
    async fn restore_blobs(&self) {
        let store = &self.service.ports().blobs;
        let now = store.keys();
        for key in &now {
            if self.blobs.binary_search_by(|(k, _)| k.cmp(key)).is_err() {
                store.delete(key).await.expect("removing a new blob");
            }
        }
        for (key, bytes) in &self.blobs {
            if now.binary_search(key).is_err() {
                store
                    .put_new(key, bytes.clone(), "application/octet-stream")
                    .await
                    .expect("restoring a deleted blob");
            }
        }
    }

    /// Sends one request and checks the answer; state is restored after.
    fn send(&self, request: Request) -> u16 {
        let _one = self.lock.lock().unwrap_or_else(|e| e.into_inner());
        let pool = self.service.ports().catalog.executor().pool().clone();
        let head = request.method() == Method::HEAD;
        self.runtime.block_on(async {
            sqlx::query("BEGIN").execute(&pool).await.expect("BEGIN");
            let response = self
                .router
                .clone()
                .oneshot(request)
                .await
                .unwrap_or_else(|never| match never {});
            let status = response.status();
            let json_type = response
                .headers()
                .get(axum::http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.contains("json"));
            let body = to_bytes(response.into_body(), MAX_ANSWER).await;
            sqlx::query("ROLLBACK")
                .execute(&pool)
                .await
                .expect("ROLLBACK");
            self.restore_blobs().await;
            self.service.ports().entropy.restart_at(self.entropy);

            let body = body.expect("the answer body can be read");
            assert!(
                !status.is_server_error() || status.as_u16() == 503,
                "{status}: {}",
                String::from_utf8_lossy(&body)
            );
            if head {
                // A HEAD answer has no body; its headers still say JSON.
                assert!(body.is_empty(), "a HEAD answer with a body");
                assert!(
                    status.is_success() || status.is_redirection() || json_type,
                    "a {status} answer to HEAD that is not typed as JSON"
                );
            } else if status.is_client_error() || status.is_server_error() {
                assert!(
                    serde_json_is_object(&body),
                    "a {status} answer that is not a JSON object: {:?}",
                    String::from_utf8_lossy(&body)
                );
            }
            status.as_u16()
        })
    }
}

fn serde_json_is_object(body: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(body),
        Ok(serde_json::Value::Object(_))
    )
}

/// The request an input describes, if it is one.
fn request(harness: &Harness, data: &[u8]) -> Option<(Request, String)> {
    let data = harness.substitute(data);
    let (head, body) = match find(&data, b"\n\n") {
        Some(i) => (&data[..i], &data[i + 2..]),
        None => (&data[..], &[][..]),
    };
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let line = lines.next()?;
    let space = line.iter().position(|&b| b == b' ')?;
    let method = Method::from_bytes(&line[..space]).ok()?;
    let uri = Uri::try_from(&line[space + 1..]).ok()?;
    if uri.scheme().is_some() || !uri.path().starts_with('/') {
        return None;
    }
    let path = uri.path().to_owned();
    let mut builder = Request::builder().method(method).uri(uri);
    for header in lines {
        let Some(colon) = header.iter().position(|&b| b == b':') else {
            continue;
        };
        let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(&header[..colon]),
            HeaderValue::from_bytes(header[colon + 1..].trim_ascii()),
        ) else {
            continue;
        };
        builder = builder.header(name, value);
    }
    let request = builder
        .body(Body::from(Bytes::copy_from_slice(body)))
        .ok()?;
    Some((request, path))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn run(data: &[u8], dialect: fn(&str) -> bool) {
    let harness = harness();
    if let Some((request, path)) = request(harness, data)
        && dialect(&path)
    {
        harness.send(request);
    }
}

/// The REST dialect, the public file URLs (ranges, conditional requests)
/// and the health check.
pub fn rest_request(data: &[u8]) {
    run(data, |path| {
        path.starts_with("/api/") || path.starts_with("/uploads/") || path == "/healthz"
    });
}

/// The RPC dialect (seed 000).
pub fn rpc_request(data: &[u8]) {
    run(data, |path| {
        path.starts_with("/update_media_metadata")
            || path.starts_with("/volume/")
            || path.strip_prefix("/media/").is_some_and(|rest| {
                !(rest.starts_with("edit") || rest.starts_with("add") || rest.starts_with("delete"))
            })
    });
}

/// The CMS dialect (seed 001).
pub fn cms_request(data: &[u8]) {
    run(data, |path| {
        path == "/media"
            || ["/media/edit", "/media/add", "/media/delete"]
                .iter()
                .any(|p| path.starts_with(p))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn send(text: &str) -> u16 {
        let harness = harness();
        let (request, _) = request(harness, text.as_bytes()).expect("a request");
        harness.send(request)
    }

    #[test]
    fn every_request_meets_the_same_state() {
        let purge = "DELETE /api/v1/media/$ID?purge=true\nAuthorization: Bearer $TOKEN\n\n";
        assert_eq!(send(purge), 204);
        // Rolled back, files put back: the item is still there.
        assert_eq!(send("GET /uploads/media/$ID.png\n\n"), 200);
        assert_eq!(send(purge), 204);
        let keys = harness().service.ports().blobs.keys();
        let upload = "POST /api/v1/media/upload\nAuthorization: Bearer $TOKEN\n\
                      Content-Type: multipart/form-data; boundary=B\n\n\
                      --B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.svg\"\r\n\r\n\
                      <svg xmlns=\"http://www.w3.org/2000/svg\"/>\r\n--B--\r\n";
        assert_eq!(send(upload), 201);
        assert_eq!(
            harness().service.ports().blobs.keys(),
            keys,
            "the upload left a blob"
        );
        assert_eq!(
            send("GET /api/v1/media\nAuthorization: Bearer $TOKEN\n\n"),
            200
        );
    }

    #[test]
    fn placeholders_are_replaced_and_other_dollars_kept() {
        let out = harness().substitute(b"$TOKEN $X $$ID");
        let token = &harness().substitutions[1].1;
        assert!(out.starts_with(token));
        assert!(out.ends_with(&harness().substitutions[3].1));
        assert!(out.windows(4).any(|w| w == b" $X "));
    }
}
