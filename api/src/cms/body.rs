//! Request bodies of the CMS dialect: JSON (what its admin UI sends) or an
//! urlencoded form. They are read by the one body path ([`crate::body`]),
//! with their size limit enforced while they stream in.

use axum::http::{HeaderMap, header};
use mediakit_core::Error;
use serde::de::DeserializeOwned;

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
