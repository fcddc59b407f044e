//! An oracle for the SVG policy, independent of its code: what a browser
//! would run in a document the policy accepted. It reads the XML with
//! quick-xml's own entity decoding (the predefined and numeric entities,
//! which is all a browser decodes in an SVG without a DTD) and looks for
//! the classic active content: script-like elements (with any namespace
//! prefix), event handler attributes, and script URLs in any attribute
//! once entities, whitespace and controls are gone (browsers drop the
//! latter inside a scheme: `java&#9;script:`).
//!
//! It only ever flags documents; where it cannot read one (malformed XML,
//! an unknown entity) it says nothing, so it cannot make the policy look
//! stricter than it is.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// Elements that run code or embed another document.
const ACTIVE_ELEMENTS: [&str; 7] = [
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// URL schemes that run code when followed.
const SCRIPT_SCHEMES: [&str; 3] = ["javascript:", "vbscript:", "data:text/html"];

/// A description of the first active content found, if any.
pub fn active_content(data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)).ok()?;
    let mut reader = Reader::from_str(text);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if let Some(found) = active_element(&e) {
                    return Some(found);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            Ok(_) => {}
        }
    }
}

fn active_element(e: &BytesStart<'_>) -> Option<String> {
    let name = e.local_name().as_ref().to_ascii_lowercase();
    if ACTIVE_ELEMENTS.contains(&name.as_str()) {
        return Some(format!("a <{name}> element"));
    }
    for attr in e.attributes().with_checks(false).flatten() {
        let key = attr.key.local_name().as_ref().to_ascii_lowercase();
        if key.starts_with("on") && key.len() > 2 {
            return Some(format!("the event handler `{key}` on <{name}>"));
        }
        let Ok(value) = attr.normalized_value(XmlVersion::Implicit1_0) else {
            continue;
        };
        let squeezed: String = value
            .chars()
            .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(scheme) = SCRIPT_SCHEMES.iter().find(|s| squeezed.starts_with(*s)) {
            return Some(format!("a `{scheme}` URL in `{key}` of <{name}>"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_what_a_browser_would_run() {
        let flagged = [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><x:SCRIPT xmlns:x="http://www.w3.org/2000/svg"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg" OnLoad="alert(1)"/>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="&#00000000106;avascript:alert(1)"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a xlink:href=" java&#9;script:x"/></svg>"#,
        ];
        for svg in flagged {
            assert!(active_content(svg.as_bytes()).is_some(), "{svg}");
        }
    }

    #[test]
    fn leaves_inert_documents_alone() {
        let inert = [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><text>onload=alert(1) javascript:</text></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><a href="https://example.com/javascript:"/></svg>"#,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" o="1"/></svg>"#,
            "not xml at all <",
        ];
        for svg in inert {
            assert_eq!(active_content(svg.as_bytes()), None, "{svg}");
        }
    }
}
