//! Conditional requests (RFC 9110 §13) against an entity tag, for every
//! response that carries one: public media files (strong tags, their
//! SHA-256) and the web page's static files (weak tags, from size and
//! modification time).
//!
//! - `If-None-Match` uses the weak comparison: `W/"x"` matches `"x"` and
//!   the other way round, and `*` matches any current representation.
//! - `If-Range` uses the strong comparison: a weak tag (on either side) or
//!   a date never matches, so the whole representation is sent instead of
//!   a range that might splice two versions together.

use axum::http::{HeaderMap, header};

/// An entity tag split into its weakness and its opaque tag (quotes kept).
fn parse(tag: &str) -> (bool, &str) {
    match tag.strip_prefix("W/") {
        Some(opaque) => (true, opaque),
        None => (false, tag),
    }
}

/// RFC 9110 §8.8.3.2: the opaque tags are equal, whatever their weakness.
fn weak_eq(a: &str, b: &str) -> bool {
    parse(a).1 == parse(b).1
}

/// RFC 9110 §8.8.3.2: both are strong and their opaque tags are equal.
fn strong_eq(a: &str, b: &str) -> bool {
    let (a_weak, a) = parse(a);
    let (b_weak, b) = parse(b);
    !a_weak && !b_weak && a == b
}

/// The members of a comma-separated list of entity tags, over every
/// instance of the header. A comma inside quotes belongs to its tag.
fn tags(headers: &HeaderMap, name: header::HeaderName) -> impl Iterator<Item = &str> {
    headers
        .get_all(name)
        .into_iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|list| {
            let mut quoted = false;
            list.split(move |c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Whether `If-None-Match` names `etag`: the client's copy is current and
/// the answer is 304 Not Modified.
pub fn not_modified(headers: &HeaderMap, etag: &str) -> bool {
    tags(headers, header::IF_NONE_MATCH).any(|t| t == "*" || weak_eq(t, etag))
}

/// Whether a `Range` header may be honoured: there is no `If-Range`, or it
/// names `etag` by the strong comparison.
pub fn range_allowed(headers: &HeaderMap, etag: &str) -> bool {
    match headers.get(header::IF_RANGE) {
        None => true,
        Some(v) => v.to_str().is_ok_and(|v| strong_eq(v.trim(), etag)),
    }
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with(name: header::HeaderName, values: &[&'static str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append(name.clone(), HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn if_none_match_compares_weakly() {
        let strong = "\"abc\"";
        let weak = "W/\"abc\"";
        for sent in ["\"abc\"", "W/\"abc\"", "\"x\", W/\"abc\"", "*", " \"abc\" "] {
            let h = with(header::IF_NONE_MATCH, &[sent]);
            assert!(not_modified(&h, strong), "{sent} vs {strong}");
            assert!(not_modified(&h, weak), "{sent} vs {weak}");
        }
        for sent in ["\"abd\"", "W/\"ab\"", "abc", "\"\"", ""] {
            let h = with(header::IF_NONE_MATCH, &[sent]);
            assert!(!not_modified(&h, strong), "{sent} vs {strong}");
            assert!(!not_modified(&h, weak), "{sent} vs {weak}");
        }
        assert!(!not_modified(&HeaderMap::new(), strong));
    }

    #[test]
    fn if_none_match_reads_every_list_and_every_header() {
        let h = with(header::IF_NONE_MATCH, &["\"a\", \"b\"", "W/\"c\""]);
        assert!(not_modified(&h, "\"b\""));
        assert!(not_modified(&h, "\"c\""));
        assert!(!not_modified(&h, "\"d\""));
        let h = with(header::IF_NONE_MATCH, &["\"a\", W/\"b\""]);
        assert!(not_modified(&h, "\"b\""));
        assert!(!not_modified(&h, "\"c\""));
        // A comma may be part of an opaque tag.
        let h = with(header::IF_NONE_MATCH, &["\"x,y\""]);
        assert!(not_modified(&h, "\"x,y\""));
        assert!(!not_modified(&h, "\"x\""));
    }

    #[test]
    fn if_range_compares_strongly() {
        let strong = "\"abc\"";
        assert!(range_allowed(&HeaderMap::new(), strong));
        assert!(range_allowed(&with(header::IF_RANGE, &["\"abc\""]), strong));
        assert!(range_allowed(
            &with(header::IF_RANGE, &[" \"abc\" "]),
            strong
        ));
        for sent in ["W/\"abc\"", "\"abd\"", "*", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            assert!(
                !range_allowed(&with(header::IF_RANGE, &[sent]), strong),
                "{sent}"
            );
        }
        // A weak tag never validates a range, even against itself.
        let weak = "W/\"abc\"";
        assert!(!range_allowed(
            &with(header::IF_RANGE, &["W/\"abc\""]),
            weak
        ));
        assert!(!range_allowed(&with(header::IF_RANGE, &["\"abc\""]), weak));
    }
}
