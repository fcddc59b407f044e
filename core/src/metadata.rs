//! Rules for the text a client sends: filenames, names, alt text, tags.

use std::collections::HashSet;

use crate::error::{Error, ErrorCode, Result};

pub const MAX_FILENAME_BYTES: usize = 255;
pub const MAX_ALT_TEXT_CHARS: usize = 255;
pub const MAX_NAME_CHARS: usize = 255;
pub const MAX_TAG_CHARS: usize = 64;
pub const MAX_TAGS: usize = 32;
pub const MAX_CREDIT_CHARS: usize = 255;
/// The most bytes any text a client sends may have before it is looked
/// at. Every limit above is far below it (255 characters are at most
/// 1,020 bytes; 32 tags of 64 at most 8,224 with their commas), so longer
/// text is refused without being scanned, whatever path it came by.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Characters never allowed in client text: C0/C1 controls, and the Unicode
/// direction overrides used to disguise extensions (`photo\u{202E}gpj.exe`).
fn is_forbidden_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A filename is a name, not a path: separators and `..` are refused, never
/// silently rewritten, because a client that sends them is either broken or
/// probing. Overlong names are shortened, keeping their extension.
/// `None` or blank becomes `upload`.
pub fn sanitize_filename(raw: Option<&str>) -> Result<String> {
    let name = raw.map(str::trim).unwrap_or("");
    let bad = |msg: &str| Error::new(ErrorCode::InvalidFilename, msg);
    if name.len() > MAX_TEXT_BYTES {
        return Err(bad("the filename is too long"));
    }
    if name.contains(['/', '\\']) || name == ".." || name == "." {
        return Err(bad(
            "the filename must not contain path separators or dot segments",
        ));
    }
    if name.chars().any(is_forbidden_char) {
        return Err(bad("the filename contains control characters"));
    }
    if name.is_empty() {
        return Ok("upload".to_owned());
    }
    Ok(truncate_keeping_extension(name, MAX_FILENAME_BYTES))
}

fn truncate_keeping_extension(name: &str, max: usize) -> String {
    if name.len() <= max {
        return name.to_owned();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= 16 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    let mut cut = max - ext.len();
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    // The cut may land after a space: trimmed again, so that sanitising
    // the result changes nothing (found by fuzzing).
    format!("{}{ext}", &stem[..cut]).trim_end().to_owned()
}

/// The filename without its extension (the default display name).
pub fn stem(filename: &str) -> &str {
    match filename.rfind('.') {
        Some(i) if i > 0 => &filename[..i],
        _ => filename,
    }
}

/// Alt text: trimmed, at most 255 characters; blank clears it.
pub fn alt_text(raw: &str) -> Result<Option<String>> {
    optional_text(
        raw,
        MAX_ALT_TEXT_CHARS,
        ErrorCode::AltTextTooLong,
        "alt text",
    )
}

/// Credit line: trimmed, at most 255 characters; blank clears it.
pub fn credit(raw: &str) -> Result<Option<String>> {
    optional_text(raw, MAX_CREDIT_CHARS, ErrorCode::InvalidRequest, "credit")
}

fn optional_text(raw: &str, max: usize, code: ErrorCode, what: &str) -> Result<Option<String>> {
    if raw.len() > MAX_TEXT_BYTES {
        return Err(Error::new(
            code,
            format!("{what} is longer than {max} characters (the limit)"),
        ));
    }
    // Filtered before trimming: a control character between spaces would
    // otherwise leave a space at the edge once it is gone.
    let filtered: String = raw
        .chars()
        .filter(|&c| c == ' ' || !is_forbidden_char(c))
        .collect();
    let text = filtered.trim();
    let count = text.chars().count();
    if count > max {
        return Err(Error::new(
            code,
            format!("{what} is {count} characters long; the limit is {max}"),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_owned()))
}

/// A display name: trimmed, 1 to 255 characters, no control characters.
pub fn name(raw: &str) -> Result<String> {
    let name = raw.trim();
    // At most four bytes a character: longer is too long uncounted.
    let count = if name.len() > 4 * MAX_NAME_CHARS {
        usize::MAX
    } else {
        name.chars().count()
    };
    if count == 0 || count > MAX_NAME_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidName,
            format!("the name must be 1 to {MAX_NAME_CHARS} characters long"),
        ));
    }
    if name.chars().any(is_forbidden_char) {
        return Err(Error::new(
            ErrorCode::InvalidName,
            "the name contains control characters",
        ));
    }
    Ok(name.to_owned())
}

/// Normalises tags given as a list or as one comma-separated string: each is
/// trimmed, split on commas, empties dropped, duplicates (ignoring case)
/// removed keeping the first spelling.
///
/// Counted first, as sent: more than [`MAX_TAGS`] non-empty tags are
/// refused at the first one past the limit, before any tag is validated,
/// lowercased or compared, so a field of thousands of tags costs no more
/// than reading up to its 33rd (and the whole input is first bounded to
/// [`MAX_TEXT_BYTES`]). Duplicates count: a client that sends 33
/// tags means 33. Then deduplicated with a set (linear, not each tag
/// against all the others).
pub fn tags<S: AsRef<str>>(raw: &[S]) -> Result<Vec<String>> {
    let mut bytes = 0usize;
    for field in raw {
        bytes = bytes.saturating_add(field.as_ref().len());
        if bytes > MAX_TEXT_BYTES {
            return Err(Error::new(
                ErrorCode::InvalidTags,
                format!("the tags are over {} KiB long", MAX_TEXT_BYTES / 1024),
            ));
        }
    }
    let mut sent: Vec<&str> = Vec::with_capacity(MAX_TAGS);
    for tag in raw.iter().flat_map(|t| t.as_ref().split(',')) {
        let tag = tag.trim();
        if tag.is_empty() {
            continue;
        }
        if sent.len() == MAX_TAGS {
            return Err(Error::new(
                ErrorCode::InvalidTags,
                format!("more than {MAX_TAGS} tags were sent; at most {MAX_TAGS} are allowed"),
            ));
        }
        sent.push(tag);
    }
    let mut seen = HashSet::with_capacity(sent.len());
    let mut out = Vec::with_capacity(sent.len());
    for tag in sent {
        // Four bytes per character at most: a longer tag is too long
        // without counting its characters.
        let too_long = tag.len() > 4 * MAX_TAG_CHARS || tag.chars().count() > MAX_TAG_CHARS;
        if too_long || tag.chars().any(is_forbidden_char) {
            return Err(Error::new(
                ErrorCode::InvalidTags,
                format!(
                    "a tag must be at most {MAX_TAG_CHARS} characters without control characters"
                ),
            ));
        }
        if seen.insert(tag.to_lowercase()) {
            out.push(tag.to_owned());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_are_names_not_paths() {
        assert_eq!(
            sanitize_filename(Some("my photo.jpg")).unwrap(),
            "my photo.jpg"
        );
        assert_eq!(sanitize_filename(None).unwrap(), "upload");
        assert_eq!(sanitize_filename(Some("  ")).unwrap(), "upload");
        for bad in [
            "../../etc/passwd",
            "a/b.jpg",
            "C:\\fakepath\\x.jpg",
            "..",
            "x\0.jpg",
            "a\nb",
            "gpj\u{202E}.exe",
        ] {
            let err = sanitize_filename(Some(bad)).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidFilename, "{bad:?}");
        }
    }

    #[test]
    fn long_filenames_keep_their_extension_and_utf8() {
        let long = format!("{}.jpeg", "é".repeat(300));
        let out = sanitize_filename(Some(&long)).unwrap();
        assert!(out.len() <= MAX_FILENAME_BYTES);
        assert!(out.ends_with(".jpeg"));
        let no_ext = "x".repeat(400);
        assert_eq!(sanitize_filename(Some(&no_ext)).unwrap().len(), 255);
    }

    #[test]
    fn alt_text_limit_counts_characters() {
        assert_eq!(
            alt_text(&"é".repeat(255)).unwrap().unwrap().chars().count(),
            255
        );
        assert_eq!(
            alt_text(&"a".repeat(256)).unwrap_err().code,
            ErrorCode::AltTextTooLong
        );
        assert_eq!(alt_text("   ").unwrap(), None);
        assert_eq!(
            alt_text(" A sunset\u{7} ").unwrap().as_deref(),
            Some("A sunset")
        );
        // Found by fuzzing: a control character before a space.
        assert_eq!(alt_text("\u{7} b").unwrap().as_deref(), Some("b"));
    }

    #[test]
    fn tags_are_normalised() {
        assert_eq!(tags(&[" a, b ,,A", "c", "b"]).unwrap(), vec!["a", "b", "c"]);
        assert_eq!(tags::<&str>(&[]).unwrap(), Vec::<String>::new());
        assert_eq!(
            tags(&["x".repeat(65)]).unwrap_err().code,
            ErrorCode::InvalidTags
        );
        let many: Vec<String> = (0..33).map(|i| format!("t{i}")).collect();
        assert_eq!(tags(&many).unwrap_err().code, ErrorCode::InvalidTags);
        let limit: Vec<String> = (0..32).map(|i| format!("t{i}")).collect();
        assert_eq!(tags(&limit).unwrap().len(), 32);
    }

    #[test]
    fn tags_are_counted_as_sent_before_any_other_work() {
        // Duplicates count: 33 copies of one tag are 33 tags.
        let same = vec!["a"; 33];
        assert_eq!(tags(&same).unwrap_err().code, ErrorCode::InvalidTags);
        assert_eq!(tags(&vec!["a, A"; 16]).unwrap(), vec!["a"]);
        // The count comes first: a flood of tags, one of them invalid past
        // the limit, is refused for its count (nothing past it is read).
        let mut flood: String = (0..8000).map(|i| format!("tag{i},")).collect();
        flood.push_str(&"x".repeat(65));
        let err = tags(&[flood]).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidTags);
        assert!(err.message.contains("more than 32 tags"), "{err}");
        // Empties are free, but the whole input is bounded first.
        assert_eq!(tags(&[",".repeat(60_000)]).unwrap(), Vec::<String>::new());
        let huge = ",".repeat(MAX_TEXT_BYTES + 1);
        assert_eq!(tags(&[huge]).unwrap_err().code, ErrorCode::InvalidTags);
        let many_fields = vec![""; MAX_TEXT_BYTES + 1];
        assert_eq!(tags(&many_fields).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn text_is_bounded_before_it_is_scanned() {
        let huge = "é".repeat(MAX_TEXT_BYTES);
        assert_eq!(name(&huge).unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(alt_text(&huge).unwrap_err().code, ErrorCode::AltTextTooLong);
        assert_eq!(credit(&huge).unwrap_err().code, ErrorCode::InvalidRequest);
        let err = sanitize_filename(Some(&huge)).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidFilename);
        assert_eq!(name(&"é".repeat(255)).unwrap().chars().count(), 255);
        assert_eq!(
            name(&"é".repeat(256)).unwrap_err().code,
            ErrorCode::InvalidName
        );
    }

    #[test]
    fn names() {
        assert_eq!(name("  Sunset ").unwrap(), "Sunset");
        assert_eq!(name("").unwrap_err().code, ErrorCode::InvalidName);
        assert_eq!(stem("photo.final.jpg"), "photo.final");
        assert_eq!(stem(".hidden"), ".hidden");
    }
}
