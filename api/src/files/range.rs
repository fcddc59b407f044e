//! `Range: bytes=…` parsing (RFC 9110 §14). One range is served as 206;
//! several ranges are answered with the whole file (allowed by the RFC, and
//! media players only ever ask for one).

use mediakit_core::ports::ByteRange;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeRequest {
    /// No usable Range header: send everything.
    Full,
    /// One satisfiable range.
    Partial(ByteRange),
    /// A syntactically valid range outside the file: 416.
    Unsatisfiable,
}

pub fn parse(header: Option<&str>, size: u64) -> RangeRequest {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return RangeRequest::Full;
    };
    if spec.contains(',') {
        return RangeRequest::Full;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return RangeRequest::Full;
    };
    let (start, end) = (start.trim(), end.trim());
    let parse_num = |s: &str| {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u64>().ok())
            .flatten()
    };
    let range = match (start.is_empty(), end.is_empty()) {
        // bytes=-N: the last N bytes.
        (true, false) => match parse_num(end) {
            Some(0) => return RangeRequest::Unsatisfiable,
            Some(n) => ByteRange {
                start: size.saturating_sub(n),
                end: size,
            },
            None => return RangeRequest::Full,
        },
        // bytes=N-: from N to the end.
        (false, true) => match parse_num(start) {
            Some(s) => ByteRange {
                start: s,
                end: size,
            },
            None => return RangeRequest::Full,
        },
        // bytes=N-M: inclusive M, clamped to the size.
        (false, false) => match (parse_num(start), parse_num(end)) {
            (Some(s), Some(e)) if s <= e => ByteRange {
                start: s,
                end: e.saturating_add(1).min(size),
            },
            _ => return RangeRequest::Full,
        },
        (true, true) => return RangeRequest::Full,
    };
    if range.start >= size || size == 0 {
        return RangeRequest::Unsatisfiable;
    }
    RangeRequest::Partial(range)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: u64, e: u64) -> RangeRequest {
        RangeRequest::Partial(ByteRange { start: s, end: e })
    }

    #[test]
    fn single_ranges() {
        assert_eq!(parse(Some("bytes=0-99"), 1000), p(0, 100));
        assert_eq!(parse(Some("bytes=900-"), 1000), p(900, 1000));
        assert_eq!(parse(Some("bytes=-100"), 1000), p(900, 1000));
        assert_eq!(parse(Some("bytes=-5000"), 1000), p(0, 1000));
        assert_eq!(parse(Some("bytes=990-2000"), 1000), p(990, 1000));
    }

    #[test]
    fn unsatisfiable_and_ignored() {
        assert_eq!(
            parse(Some("bytes=1000-"), 1000),
            RangeRequest::Unsatisfiable
        );
        assert_eq!(parse(Some("bytes=-0"), 1000), RangeRequest::Unsatisfiable);
        assert_eq!(parse(None, 1000), RangeRequest::Full);
        assert_eq!(parse(Some("items=0-1"), 1000), RangeRequest::Full);
        assert_eq!(parse(Some("bytes=5-1"), 1000), RangeRequest::Full);
        assert_eq!(parse(Some("bytes=0-1,5-6"), 1000), RangeRequest::Full);
        assert_eq!(parse(Some("bytes=a-b"), 1000), RangeRequest::Full);
        assert_eq!(parse(Some("bytes=+1-2"), 1000), RangeRequest::Full);
    }
}
