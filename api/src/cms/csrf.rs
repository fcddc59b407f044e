//! Cross-site request forgery guard for the CMS dialect's cookie.
//!
//! A browser attaches the `refreshToken` cookie to any request for this
//! host, including a form another site posts here (urlencoded bodies are
//! accepted, and forms need no CORS preflight). So a state-changing request
//! (POST, PUT, PATCH, DELETE) that authenticates with the cookie must prove
//! it comes from a page of this origin: its `Origin` header, or `Referer`
//! when a browser omits `Origin`, must name this server. Browsers set both
//! headers themselves; a page cannot forge them. Neither header is refused:
//! a browser always sends one of them on such requests from our own pages,
//! so their absence means a client we cannot vouch for.
//!
//! This does not depend on the cookie's SameSite attribute (set by whoever
//! issues the cookie, not by mediakit). Requests authenticated with
//! `Authorization: Bearer` are not affected: a browser never adds that
//! header on its own, so it cannot be forged cross-site. Reads (GET) change
//! nothing and are not checked.
//!
//! "This server" is the authority the request was sent to: the request
//! URI's (absolute on the edge) or the `Host` header. A reverse proxy in
//! front must pass `Host` through (docs/deploy.md does). Only the host and
//! port are compared, not the scheme, so that a proxy terminating TLS does
//! not turn same-origin requests into refused ones.

use axum::http::{HeaderMap, Method, Uri, header};
use mediakit_core::{Error, ErrorCode};

/// Refuses a cookie-authenticated, state-changing request that does not
/// come from this server's own pages. Call it only when the credential is
/// the cookie.
pub fn check(method: &Method, uri: &Uri, headers: &HeaderMap) -> Result<(), Error> {
    if !changes_state(method) {
        return Ok(());
    }
    let own = own_authority(uri, headers).ok_or_else(|| refused("the request names no host"))?;
    let (claimed, from) = match header_text(headers, header::ORIGIN) {
        Some(origin) => (origin, "Origin"),
        None => match header_text(headers, header::REFERER) {
            Some(referer) => (referer, "Referer"),
            None => return Err(refused("it carries neither Origin nor Referer")),
        },
    };
    match authority_of_url(claimed) {
        Some(theirs) if theirs == own => Ok(()),
        _ => Err(refused(&format!("its {from} is not this server ({own})"))),
    }
}

fn changes_state(method: &Method) -> bool {
    [Method::POST, Method::PUT, Method::PATCH, Method::DELETE].contains(method)
}

fn refused(why: &str) -> Error {
    Error::new(
        ErrorCode::Forbidden,
        format!(
            "cross-site request refused: a request that changes data and authenticates \
             with the refreshToken cookie must come from this server's own pages, and {why}; \
             other clients send Authorization: Bearer <token>"
        ),
    )
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers
        .get(name)
        .map(|v| v.to_str().unwrap_or_default().trim())
}

/// `host[:port]` the request was sent to, lowercased, default ports
/// dropped.
fn own_authority(uri: &Uri, headers: &HeaderMap) -> Option<String> {
    let host = match uri.authority() {
        Some(a) => a.as_str(),
        None => header_text(headers, header::HOST)?,
    };
    let authority = host.parse::<axum::http::uri::Authority>().ok()?;
    normalized(&authority, None)
}

/// The `host[:port]` of an absolute http(s) URL (an `Origin` or a
/// `Referer`); `None` for anything else, `null` included.
fn authority_of_url(url: &str) -> Option<String> {
    let uri = url.parse::<Uri>().ok()?;
    let scheme = uri.scheme_str()?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    normalized(uri.authority()?, Some(scheme))
}

/// Lowercase host plus the port unless it is the scheme's default (or,
/// scheme unknown, either web default): what `Host` and `Origin` both
/// reduce to for the same server.
fn normalized(authority: &axum::http::uri::Authority, scheme: Option<&str>) -> Option<String> {
    if authority.as_str().contains('@') {
        return None;
    }
    let host = authority.host().to_ascii_lowercase();
    let scheme = scheme.map(str::to_ascii_lowercase);
    let is_default = |port: u16| match scheme.as_deref() {
        Some("http") => port == 80,
        Some("https") => port == 443,
        _ => port == 80 || port == 443,
    };
    Some(match authority.port_u16() {
        Some(p) if !is_default(p) => format!("{host}:{p}"),
        _ => host,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn path() -> Uri {
        "/media/edit/1".parse().unwrap()
    }

    fn allowed(method: Method, pairs: &[(&'static str, &str)]) -> bool {
        check(&method, &path(), &headers(pairs)).is_ok()
    }

    #[test]
    fn same_origin_passes() {
        let host = ("host", "media.example:8080");
        assert!(allowed(
            Method::POST,
            &[host, ("origin", "http://media.example:8080")]
        ));
        assert!(allowed(
            Method::DELETE,
            &[host, ("origin", "HTTPS://Media.Example:8080")]
        ));
        assert!(allowed(
            Method::POST,
            &[host, ("referer", "http://media.example:8080/admin?x=1#y")]
        ));
        assert!(allowed(
            Method::PATCH,
            &[
                ("host", "media.example"),
                ("origin", "https://media.example")
            ]
        ));
        assert!(allowed(
            Method::PUT,
            &[
                ("host", "media.example:443"),
                ("origin", "https://media.example")
            ]
        ));
        let abs: Uri = "https://edge.example/media/add".parse().unwrap();
        let h = headers(&[("origin", "https://edge.example")]);
        assert!(check(&Method::POST, &abs, &h).is_ok(), "edge: absolute URI");
    }

    #[test]
    fn reads_are_not_checked() {
        assert!(allowed(Method::GET, &[("origin", "https://evil.example")]));
        assert!(allowed(Method::HEAD, &[]));
    }

    #[test]
    fn cross_site_and_unknown_origins_are_refused() {
        let host = ("host", "media.example:8080");
        for bad in [
            &[host, ("origin", "https://evil.example")][..],
            &[host, ("origin", "http://media.example:8081")],
            &[host, ("origin", "http://media.example.evil.example:8080")],
            &[host, ("origin", "null")],
            &[host, ("origin", "")],
            &[host, ("origin", "file:///etc")],
            &[host, ("origin", "http://user@media.example:8080")],
            &[host, ("referer", "https://evil.example/media.example:8080")],
            &[host, ("referer", "/relative")],
            // An Origin is authoritative: a matching Referer does not help.
            &[
                host,
                ("origin", "https://evil.example"),
                ("referer", "http://media.example:8080/"),
            ],
            &[host],
            &[("origin", "http://media.example:8080")],
        ] {
            assert!(!allowed(Method::POST, bad), "{bad:?}");
        }
        let err = check(&Method::DELETE, &path(), &headers(&[host])).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert!(err.message.contains("neither Origin nor Referer"), "{err}");
    }
}
