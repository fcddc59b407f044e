//! SVG policy. An SVG is a document that browsers execute, so mediakit
//! stores only SVGs without active content: no scripts, event handlers,
//! `javascript:` links, embedded HTML, or entity declarations. Files that do
//! pass are still served with `Content-Security-Policy: sandbox` (defence in
//! depth), but rejecting them at upload keeps the library clean for clients
//! that inline SVG into their own pages.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::error::{ErrorKind, ImageError, Result};
use crate::format::DeclaredSize;

/// Elements that run code or embed other documents.
const ACTIVE_ELEMENTS: [&str; 7] = [
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// Parses the whole document; `Ok` only for a well-formed SVG with no active
/// content.
pub(super) fn inspect(bytes: &[u8]) -> Result<DeclaredSize> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| invalid("the SVG is not valid UTF-8"))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut info = None;
    let mut depth = 0usize;
    let mut in_style = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| invalid(format!("the SVG is not well-formed XML: {e}")))?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = local_name(e);
                if depth == 0 {
                    if info.is_some() {
                        return Err(invalid("the SVG has more than one root element"));
                    }
                    if name != "svg" {
                        return Err(ImageError::new(
                            ErrorKind::UnsupportedType,
                            "the document's root element is not <svg>",
                        ));
                    }
                    info = Some(root_size(e)?);
                }
                check_element(&name, e)?;
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                    in_style = name == "style";
                }
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                in_style = false;
            }
            Event::Text(ref t) if in_style => {
                // Text content is entity-decoded by browsers: `&#64;import`.
                check_css(&decode_entities(t.as_ref()))?;
            }
            Event::CData(ref t) if in_style => {
                check_css(t.as_ref())?;
            }
            // Entity declarations allow "billion laughs" expansion and
            // external entity reads in other parsers.
            Event::DocType(ref d) if d.as_ref().contains("<!ENTITY") => {
                return Err(unsafe_svg("the SVG declares XML entities"));
            }
            Event::PI(_) => {
                return Err(unsafe_svg(
                    "the SVG contains processing instructions (e.g. an XSLT stylesheet)",
                ));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(invalid("the SVG ends before its root element is closed"));
    }
    info.ok_or_else(|| invalid("the document has no <svg> element"))
}

fn local_name(e: &BytesStart<'_>) -> String {
    e.local_name().as_ref().to_ascii_lowercase()
}

fn check_element(name: &str, e: &BytesStart<'_>) -> Result<()> {
    if ACTIVE_ELEMENTS.contains(&name) {
        return Err(unsafe_svg(format!("the SVG contains a <{name}> element")));
    }
    for attr in e.attributes() {
        let attr = attr.map_err(|e| invalid(format!("bad attribute in the SVG: {e}")))?;
        let key = attr.key.local_name().as_ref().to_ascii_lowercase();
        if key.starts_with("on") {
            return Err(unsafe_svg(format!(
                "the SVG has an event handler attribute `{key}`"
            )));
        }
        let value = compact(&decode_entities(attr.value.as_ref()));
        if is_dangerous_url(&value) {
            return Err(unsafe_svg(format!(
                "the SVG attribute `{key}` holds a script URL"
            )));
        }
        if key == "style" {
            check_css(&value)?;
        }
        // <animate attributeName="href" to="javascript:..."> and friends are
        // caught by the URL check above; animating event handlers is not.
        if key == "attributename" && value.starts_with("on") {
            return Err(unsafe_svg("the SVG animates an event handler attribute"));
        }
    }
    Ok(())
}

fn check_css(css: &str) -> Result<()> {
    let css = compact(css);
    if css.contains("javascript:") || css.contains("@import") || css.contains("expression(") {
        return Err(unsafe_svg("the SVG stylesheet loads or runs code"));
    }
    Ok(())
}

/// URLs that run code, or nest documents that could.
fn is_dangerous_url(v: &str) -> bool {
    v.contains("javascript:")
        || v.contains("vbscript:")
        || v.starts_with("data:text/html")
        || v.starts_with("data:image/svg")
        || v.starts_with("data:application/")
}

/// Lowercases and drops whitespace and control characters, which browsers
/// ignore inside URL schemes (`java\tscript:` runs).
fn compact(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Decodes the predefined entities and numeric character references, so that
/// `&#106;avascript:` is seen as `javascript:`.
fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let ent = &rest[1..e];
            let ch = match ent {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => ent.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            ch.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Width and height from the root's attributes, else from its viewBox.
fn root_size(e: &BytesStart<'_>) -> Result<DeclaredSize> {
    let mut width = None;
    let mut height = None;
    let mut view_box = None;
    for attr in e.attributes() {
        let attr = attr.map_err(|e| invalid(format!("bad attribute in the SVG: {e}")))?;
        let value = decode_entities(attr.value.as_ref());
        match attr.key.local_name().as_ref() {
            "width" => width = parse_length(&value),
            "height" => height = parse_length(&value),
            "viewBox" => view_box = Some(value),
            _ => {}
        }
    }
    if let (None, None, Some(vb)) = (width, height, view_box) {
        let nums: Vec<f64> = vb
            .split(|c: char| c.is_whitespace() || c == ',')
            .filter(|s| !s.is_empty())
            .filter_map(|s| s.parse().ok())
            .collect();
        if let [_, _, w, h] = nums[..] {
            width = to_px(w);
            height = to_px(h);
        }
    }
    Ok(DeclaredSize { width, height })
}

/// A length in user units or px; other units and percentages are unknown.
fn parse_length(v: &str) -> Option<u32> {
    let v = v.trim();
    let v = v.strip_suffix("px").unwrap_or(v);
    to_px(v.parse().ok()?)
}

fn to_px(v: f64) -> Option<u32> {
    (v.is_finite() && v > 0.0 && v < 1e6).then(|| v.round().max(1.0) as u32)
}

fn invalid(msg: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::SvgInvalid, msg)
}

fn unsafe_svg(msg: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::SvgUnsafe, msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(svg: &str) -> Option<ErrorKind> {
        inspect(svg.as_bytes()).err().map(|e| e.kind)
    }

    #[test]
    fn accepts_plain_drawings_and_reads_size() {
        let logo = include_bytes!("../../../../tests/fixtures/logo.svg");
        assert_eq!(
            inspect(logo).unwrap(),
            DeclaredSize {
                width: Some(120),
                height: Some(80)
            }
        );
        let vb = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64.4 32"><style>rect{fill:red}</style><rect width="1" height="1"/></svg>"#;
        assert_eq!(
            inspect(vb.as_bytes()).unwrap(),
            DeclaredSize {
                width: Some(64),
                height: Some(32)
            }
        );
        let pct = r#"<svg width="100%" height="50%"><a href="https://example.com/x"><text>hi &amp; bye</text></a></svg>"#;
        assert_eq!(inspect(pct.as_bytes()).unwrap(), DeclaredSize::default());
    }

    #[test]
    fn rejects_active_content() {
        let fixture = include_bytes!("../../../../tests/fixtures/script.svg");
        assert_eq!(inspect(fixture).unwrap_err().kind, ErrorKind::SvgUnsafe);
        for svg in [
            "<svg><script>alert(1)</script></svg>",
            "<svg><SCRIPT>alert(1)</SCRIPT></svg>",
            "<svg xmlns:s='x'><s:script>1</s:script></svg>",
            "<svg onload='alert(1)'/>",
            "<svg><rect ONCLICK='alert(1)'/></svg>",
            "<svg><a href='javascript:alert(1)'><text>x</text></a></svg>",
            "<svg><a xlink:href=' JaVa\tScRiPt:alert(1)'/></svg>",
            "<svg><a href='&#106;avascript:alert(1)'/></svg>",
            "<svg><a href='&#x6A;avascript:alert(1)'/></svg>",
            "<svg><foreignObject><div/></foreignObject></svg>",
            "<svg><image href='data:image/svg+xml;base64,PHN2Zz4='/></svg>",
            "<svg><animate attributeName='href' to='javascript:alert(1)'/></svg>",
            "<svg><set attributeName='onmouseover' to='alert(1)'/></svg>",
            "<svg><style>@import url(//evil.example/x.css);</style></svg>",
            "<svg><rect style='background:url(javascript:alert(1))'/></svg>",
            "<?xml version='1.0'?><?xml-stylesheet href='x.xsl'?><svg/>",
            "<!DOCTYPE svg [<!ENTITY a 'aaaa'>]><svg>&a;</svg>",
        ] {
            assert_eq!(code(svg), Some(ErrorKind::SvgUnsafe), "{svg}");
        }
    }

    #[test]
    fn rejects_broken_documents() {
        assert_eq!(code("<svg><g></svg>"), Some(ErrorKind::SvgInvalid));
        assert_eq!(code("<svg>"), Some(ErrorKind::SvgInvalid));
        assert_eq!(code("<svg/><svg/>"), Some(ErrorKind::SvgInvalid));
        assert_eq!(code("<html/>"), Some(ErrorKind::UnsupportedType));
        assert_eq!(
            inspect(b"<svg>\xff\xfe</svg>").unwrap_err().kind,
            ErrorKind::SvgInvalid
        );
    }
}
