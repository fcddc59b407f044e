//! The origin (`scheme://host[:port]`) the client used, for the absolute
//! instance URLs the RPC seed returns (`http://localhost:8080/volume/…`).
//!
//! The host is the request URI's authority (absolute on the edge) or the
//! `Host` header; the scheme is `X-Forwarded-Proto` when a proxy in front
//! terminates TLS, else the URI's, else `http`. Both only shape URLs this
//! client is shown, so a forged value misleads nobody but the forger; still,
//! anything that is not a plain `host[:port]` is ignored and the URLs fall
//! back to site-relative paths.

use axum::http::uri::Authority;
use axum::http::{HeaderMap, Uri, header};

pub fn origin(headers: &HeaderMap, uri: &Uri) -> String {
    let host = uri
        .authority()
        .map(|a| a.as_str().to_owned())
        .or_else(|| {
            headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .map(|h| h.trim().to_owned())
        })
        .filter(|h| !h.contains('@') && h.parse::<Authority>().is_ok());
    let Some(host) = host else {
        return String::new();
    };
    let forwarded = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(|v| v.trim().to_ascii_lowercase());
    let scheme = forwarded
        .as_deref()
        .or(uri.scheme_str())
        .filter(|s| *s == "http" || *s == "https")
        .unwrap_or("http");
    format!("{scheme}://{host}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn from_host_and_forwarded_proto() {
        let path: Uri = "/media/fetch_media".parse().unwrap();
        assert_eq!(
            origin(&with(&[("host", "localhost:8080")]), &path),
            "http://localhost:8080"
        );
        assert_eq!(
            origin(
                &with(&[
                    ("host", "media.example"),
                    ("x-forwarded-proto", "HTTPS, http")
                ]),
                &path
            ),
            "https://media.example"
        );
        let abs: Uri = "https://edge.example/media/fetch_media".parse().unwrap();
        assert_eq!(origin(&HeaderMap::new(), &abs), "https://edge.example");
    }

    #[test]
    fn junk_hosts_give_relative_urls() {
        let path: Uri = "/x".parse().unwrap();
        for host in ["evil.example/path", "a b", "user@host", ""] {
            let mut h = HeaderMap::new();
            h.insert("host", HeaderValue::from_str(host).unwrap());
            assert_eq!(origin(&h, &path), "", "{host:?}");
        }
        assert_eq!(origin(&HeaderMap::new(), &path), "");
        assert_eq!(
            origin(
                &with(&[("host", "h"), ("x-forwarded-proto", "gopher")]),
                &path
            ),
            "http://h"
        );
    }
}
