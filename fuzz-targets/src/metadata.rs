//! The rules for client text (core/src/metadata.rs), through their public
//! functions: the input, read as UTF-8 (lossily), is a filename, a name,
//! alt text and a credit line, and its lines are a list of tags. What each
//! accepts must obey the rule it states, and normalising is idempotent.

use mediakit_core::metadata::{
    self, MAX_ALT_TEXT_CHARS, MAX_CREDIT_CHARS, MAX_FILENAME_BYTES, MAX_NAME_CHARS, MAX_TAG_CHARS,
    MAX_TAGS,
};

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

pub fn metadata(data: &[u8]) {
    let text = String::from_utf8_lossy(data);

    if let Ok(filename) = metadata::sanitize_filename(Some(&text)) {
        assert!(!filename.is_empty() && filename.len() <= MAX_FILENAME_BYTES);
        assert!(!filename.contains(['/', '\\']) && filename != "." && filename != "..");
        assert!(!has_control(&filename), "{filename:?}");
        assert_eq!(
            metadata::sanitize_filename(Some(&filename)).as_deref(),
            Ok(filename.as_str()),
            "sanitising is not idempotent"
        );
        let _ = metadata::stem(&filename);
    }

    if let Ok(name) = metadata::name(&text) {
        let chars = name.chars().count();
        assert!((1..=MAX_NAME_CHARS).contains(&chars) && name == name.trim());
        assert!(!has_control(&name), "{name:?}");
    }

    for (rule, max) in [
        (metadata::alt_text as fn(&str) -> _, MAX_ALT_TEXT_CHARS),
        (metadata::credit, MAX_CREDIT_CHARS),
    ] {
        if let Ok(Some(kept)) = rule(&text) {
            assert!(kept.chars().count() <= max);
            assert!(!has_control(&kept), "{kept:?}");
            assert_eq!(rule(&kept).ok().flatten().as_deref(), Some(kept.as_str()));
        }
    }

    let lines: Vec<&str> = text.split('\n').collect();
    if let Ok(tags) = metadata::tags(&lines) {
        assert!(tags.len() <= MAX_TAGS);
        for (i, tag) in tags.iter().enumerate() {
            assert!(
                !tag.is_empty() && tag == tag.trim() && !tag.contains(','),
                "{tag:?}"
            );
            assert!(tag.chars().count() <= MAX_TAG_CHARS && !has_control(tag));
            let lower = tag.to_lowercase();
            assert!(
                tags[..i].iter().all(|t| t.to_lowercase() != lower),
                "duplicate tag {tag:?}"
            );
        }
        assert_eq!(metadata::tags(&tags).as_ref(), Ok(&tags), "not idempotent");
    }
}
