//! The columns mediakit computes rather than asks SQL for, so that every
//! database searches the same way, and LIKE escaping for the filters over
//! them.

/// Separator of `tag_keys`; tags cannot contain control characters, so it
/// never appears inside one.
pub(super) const TAG_SEP: char = '\u{1f}';

/// Lowercased text that search matches against: one column, computed here,
/// so every database searches the same way (SQL `LOWER` differs between
/// SQLite and Postgres for non-ASCII text).
pub(super) fn search_text(
    name: &str,
    filename: &str,
    tags: &[String],
    alt: Option<&str>,
) -> String {
    let mut s = String::new();
    for part in [name, filename, &tags.join(" "), alt.unwrap_or("")] {
        s.push_str(&part.to_lowercase());
        s.push(TAG_SEP);
    }
    s
}

/// `␟tag1␟tag2␟`, lowercased, so that a tag filter is one LIKE.
pub(super) fn tag_keys(tags: &[String]) -> String {
    let mut s = String::from(TAG_SEP);
    for t in tags {
        s.push_str(&t.to_lowercase());
        s.push(TAG_SEP);
    }
    s
}

/// Escapes LIKE wildcards; statements use `ESCAPE '\'`.
pub(super) fn like_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '%' | '_') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_columns_are_lowercase_and_delimited() {
        assert_eq!(
            tag_keys(&["Sea".into(), "Sky".into()]),
            "\u{1f}sea\u{1f}sky\u{1f}"
        );
        assert_eq!(tag_keys(&[]), "\u{1f}");
        let s = search_text("Été", "IMG.JPG", &["Beach".into()], Some("Sun"));
        assert_eq!(s, "été\u{1f}img.jpg\u{1f}beach\u{1f}sun\u{1f}");
    }
}
