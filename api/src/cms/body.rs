//! Request bodies of the CMS dialect: JSON (what its admin UI sends) or an
//! urlencoded form, read with a size limit while they stream in.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, header};
use bytes::BytesMut;
use futures_util::StreamExt;
use mediakit_core::Error;
use serde::de::DeserializeOwned;

/// Reads a body. Over `accept` bytes is `too_large`; the rest of such a
/// body is still read (and dropped) up to `drain_to`, so that a client
/// that writes its whole body before reading sees the answer; beyond that
/// the read stops and the server closes the connection.
pub async fn read(
    headers: &HeaderMap,
    body: Body,
    accept: usize,
    drain_to: usize,
    too_large: impl Fn() -> Error,
) -> Result<Bytes, Error> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > drain_to as u64) {
        return Err(too_large());
    }
    let mut stream = body.into_data_stream();
    let mut buf = BytesMut::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| Error::invalid(format!("could not read the body: {e}")))?;
        seen = seen.saturating_add(chunk.len());
        if seen > drain_to {
            return Err(too_large());
        }
        if seen <= accept {
            buf.extend_from_slice(&chunk);
        }
    }
    if seen > accept {
        return Err(too_large());
    }
    Ok(buf.freeze())
}

/// Reads and drops a body (after a refusal), within `drain_to`.
pub async fn drain(headers: &HeaderMap, body: Body, drain_to: usize) {
    let _ = read(headers, body, 0, drain_to, || Error::invalid("")).await;
}

/// Parses a JSON or urlencoded body. An empty body is an empty object, so
/// that missing fields get the dialect's "Required parameters missing".
pub fn parse<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, Error> {
    let mime = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if mime == "application/x-www-form-urlencoded" {
        return serde_urlencoded::from_bytes(bytes)
            .map_err(|e| Error::invalid(format!("invalid form body: {e}")));
    }
    if !(mime.is_empty() || mime == "application/json" || mime.ends_with("+json")) {
        return Err(Error::invalid(format!(
            "unsupported body type `{mime}`: send application/json"
        )));
    }
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        bytes
    };
    serde_json::from_slice(bytes).map_err(|e| Error::invalid(format!("invalid JSON body: {e}")))
}
