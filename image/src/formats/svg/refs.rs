//! Character and entity references, decoded as a browser's XML parser
//! decodes them, before any rule looks at a value: `&#00000000106;` is
//! `j` whatever the number of zeros. There is no DOCTYPE internal subset
//! (the policy refuses it), so the only entities are XML's five
//! predefined ones; any other reference, a lone `&`, or a number that is
//! not an XML character makes the document not well-formed, which a
//! browser refuses to render and so do we (`SvgInvalid`).
//!
//! Linear: each byte is looked at a bounded number of times, and the
//! first malformed reference ends the pass.

use std::borrow::Cow;

/// Why a reference is not well-formed, for the message.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct BadRef(pub String);

/// The longest reference text quoted in a message.
const QUOTE: usize = 24;

/// The value of an attribute as the document means it: references
/// decoded, and literal tab, newline and carriage return turned into
/// spaces (XML attribute-value normalisation; a `&#9;` stays a tab). A
/// literal `<` is not well-formed either.
pub(super) fn attribute(raw: &str) -> Result<Cow<'_, str>, BadRef> {
    const SPECIAL: [char; 5] = ['&', '<', '\t', '\n', '\r'];
    if !raw.contains(SPECIAL) {
        return Ok(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(SPECIAL) {
        out.push_str(&rest[..i]);
        let special = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match special {
            b'&' => {
                let (c, used) = reference(rest)?;
                out.push(c);
                rest = &rest[used..];
            }
            b'<' => return Err(BadRef("a `<` inside an attribute value".to_owned())),
            _ => out.push(' '),
        }
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// The character a reference in text stands for; `name` is what stands
/// between `&` and `;` (as the XML reader hands it over).
pub(super) fn resolve(name: &str) -> Result<char, BadRef> {
    match reference(&format!("{name};"))? {
        (c, used) if used == name.len() + 1 => Ok(c),
        _ => Err(malformed(name)),
    }
}

/// Parses the reference that starts after an `&`: returns its character
/// and how many bytes of `s` it took (its `;` included).
fn reference(s: &str) -> Result<(char, usize), BadRef> {
    let b = s.as_bytes();
    if let Some(digits) = s.strip_prefix('#') {
        // XML allows `&#x` only in lowercase, and any number of digits.
        let (radix, start) = match digits.strip_prefix('x') {
            Some(_) => (16, 2),
            None => (10, 1),
        };
        let mut value: u32 = 0;
        let mut end = start;
        while let Some(d) = b.get(end).and_then(|&c| char::from(c).to_digit(radix)) {
            value = value.saturating_mul(radix).saturating_add(d);
            end += 1;
        }
        if end == start || b.get(end) != Some(&b';') {
            return Err(malformed(&s[..end.min(s.len())]));
        }
        return match char::from_u32(value).filter(|&c| is_xml_char(c)) {
            Some(c) => Ok((c, end + 1)),
            None => Err(BadRef(format!(
                "the character reference `&{};` is not a character XML allows",
                quote(&s[..end])
            ))),
        };
    }
    let end = b.iter().position(|&c| !is_name_byte(c)).unwrap_or(b.len());
    if end == 0 || b.get(end) != Some(&b';') {
        return Err(malformed(&s[..end]));
    }
    let c = match &s[..end] {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "quot" => '"',
        "apos" => '\'',
        other => {
            return Err(BadRef(format!(
                "the entity `&{};` is not defined (only XML's predefined entities are)",
                quote(other)
            )));
        }
    };
    Ok((c, end + 1))
}

/// Bytes of an XML name, roughly: wide enough that the scan stops where
/// the name does for every well-formed document, and never reads past
/// the first byte that cannot belong to a reference.
fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b':') || c >= 0x80
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

fn malformed(text: &str) -> BadRef {
    BadRef(format!(
        "`&{}` is not a well-formed reference (write `&amp;` for a literal `&`)",
        quote(text)
    ))
}

fn quote(s: &str) -> &str {
    let mut end = s.len().min(QUOTE);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(raw: &str) -> Result<String, BadRef> {
        attribute(raw).map(Cow::into_owned)
    }

    #[test]
    fn decodes_like_an_xml_parser() {
        assert_eq!(decoded("plain").unwrap(), "plain");
        assert!(matches!(attribute("plain"), Ok(Cow::Borrowed(_))));
        assert_eq!(decoded("&#106;avascript:").unwrap(), "javascript:");
        assert_eq!(decoded("&#00000000106;avascript:").unwrap(), "javascript:");
        assert_eq!(decoded("&#x6a;&#x00006A;").unwrap(), "jj");
        assert_eq!(
            decoded("a&lt;b&gt;c&amp;d&quot;e&apos;").unwrap(),
            "a<b>c&d\"e'"
        );
        assert_eq!(decoded("a\tb\nc\r").unwrap(), "a b c ");
        assert_eq!(decoded("a&#9;b").unwrap(), "a\tb");
        assert_eq!(decoded(&"0".repeat(10_000)).unwrap().len(), 10_000);
        let zeros = format!("&#{}106;", "0".repeat(100_000));
        assert_eq!(decoded(&zeros).unwrap(), "j");
        assert_eq!(resolve("#106").unwrap(), 'j');
        assert_eq!(resolve("#x0006a").unwrap(), 'j');
        assert_eq!(resolve("amp").unwrap(), '&');
    }

    #[test]
    fn refuses_what_a_browser_would_not_parse() {
        for bad in [
            "&",
            "a & b",
            "&&&&",
            "&amp",
            "&#;",
            "&#x;",
            "&#X6A;",
            "&#106",
            "&#0;",
            "&#xD800;",
            "&#x110000;",
            "&#99999999999999999999;",
            "&nbsp;",
            "&a b;",
            "a<b",
        ] {
            assert!(decoded(bad).is_err(), "{bad:?}");
        }
        assert!(resolve("nbsp").unwrap_err().0.contains("&nbsp;"));
        assert!(resolve("#106;x").is_err());
        assert!(resolve("").is_err());
        // A flood of lone ampersands stops at the first one.
        assert!(decoded(&"&".repeat(1 << 20)).is_err());
    }
}
