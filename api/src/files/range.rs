//! `Range: bytes=…` parsing (RFC 9110 §14). One range is served as 206;
//! several ranges are answered with the whole file (allowed by the RFC, and
//! media players only ever ask for one).
//!
//! The header is a stranger's input, so its cost is bounded before it is
//! read: a header over [`MAX_HEADER_BYTES`] or a number over
//! [`MAX_DIGITS`] digits is ignored (the whole file is sent, as the RFC
//! allows for any Range it does not honour), a list of ranges is
//! recognised by its first comma without being split, and nothing loops
//! per range. Floods of small or overlapping ranges therefore cost one
//! scan of a short string.

use mediakit_core::ports::ByteRange;

/// Longer `Range` headers are ignored. One range of two 20-digit numbers
/// is 47 bytes; this leaves room for whitespace.
pub const MAX_HEADER_BYTES: usize = 128;

/// `u64::MAX` has 20 digits; longer numbers (e.g. padded with zeros) are
/// ignored rather than parsed.
pub const MAX_DIGITS: usize = 20;

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
    let Some(header) = header.filter(|h| h.len() <= MAX_HEADER_BYTES) else {
        return RangeRequest::Full;
    };
    let Some(spec) = strip_unit(header.trim()) else {
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
        (!s.is_empty() && s.len() <= MAX_DIGITS && s.bytes().all(|b| b.is_ascii_digit()))
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

/// The spec after `bytes=` (the unit is case-insensitive, RFC 9110 §14.1).
fn strip_unit(header: &str) -> Option<&str> {
    let (unit, spec) = header.split_once('=')?;
    unit.trim().eq_ignore_ascii_case("bytes").then_some(spec)
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

    #[test]
    fn hostile_headers_are_ignored_cheaply() {
        let full = RangeRequest::Full;
        // Floods of ranges (the "Apache killer" shape and plain lists) are
        // never split: the whole file, once.
        let overlapping = format!("bytes=0-,{}", vec!["5-0"; 5000].join(","));
        assert_eq!(parse(Some(&overlapping), 1000), full);
        let tiny: Vec<String> = (0..1300).map(|i| format!("{i}-{i}")).collect();
        assert_eq!(
            parse(Some(&format!("bytes={}", tiny.join(","))), 10_000),
            full
        );
        assert_eq!(parse(Some("bytes=0-1,2-3"), 1000), full, "short lists too");
        // Numbers padded to any length are not parsed.
        let padded = format!("bytes={}1-2", "0".repeat(5000));
        assert_eq!(parse(Some(&padded), 1000), full);
        let padded = format!("bytes={}1-2", "0".repeat(MAX_DIGITS));
        assert_eq!(parse(Some(&padded), 1000), full, "21 digits");
        let max = format!("bytes={}-", u64::MAX);
        assert_eq!(parse(Some(&max), 1000), RangeRequest::Unsatisfiable);
        assert_eq!(
            parse(Some("bytes=18446744073709551616-"), 1000),
            full,
            "past u64"
        );
        assert_eq!(
            parse(Some("bytes=0-18446744073709551615"), 1000),
            p(0, 1000),
            "an end of u64::MAX is clamped, not overflowed"
        );
        // Whitespace and junk floods are over the length limit.
        let spaces = format!("bytes={}0-1", " ".repeat(10_000));
        assert_eq!(parse(Some(&spaces), 1000), full);
        assert_eq!(parse(Some(&"-".repeat(10_000)), 1000), full);
        assert_eq!(parse(Some(&"=".repeat(10_000)), 1000), full);
        for junk in [
            "bytes=--5",
            "bytes=0-0-0",
            "bytes=-",
            "bytes=",
            "bytes=\u{0}-1",
            "bytes=０-１",
            "bytes 0-1",
            "=0-1",
        ] {
            assert_eq!(parse(Some(junk), 1000), full, "{junk:?}");
        }
        assert_eq!(parse(Some("BYTES=0-1"), 1000), p(0, 2), "unit ignores case");
        assert_eq!(parse(Some(" bytes = 0-1 "), 1000), p(0, 2));
    }

    #[test]
    fn a_header_at_the_limit_is_still_read() {
        let header = format!("bytes=5-9{}", " ".repeat(MAX_HEADER_BYTES - 9));
        assert_eq!(header.len(), MAX_HEADER_BYTES);
        assert_eq!(parse(Some(&header), 1000), p(5, 10));
        let over = format!("{header} ");
        assert_eq!(parse(Some(&over), 1000), RangeRequest::Full);
    }
}
