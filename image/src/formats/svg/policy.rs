//! SVG policy. An SVG is a document that browsers execute, so mediakit
//! stores only SVGs made of listed parts ([`super::allow`]): static
//! drawings that name nothing outside themselves. What is not listed is
//! refused (`SvgUnsafe`, the message naming the element, attribute,
//! scheme or construct found), never cleaned: the file is stored byte for
//! byte as it was checked. Files that pass are still served with
//! `Content-Security-Policy: sandbox` (defence in depth), but refusing
//! them at upload keeps the library clean for clients that inline SVG
//! into their own pages.
//!
//! One pass over the document, linear in its size: quick-xml's reader
//! (linear scans for `<`, `>`, quotes, `;`), references decoded in one
//! pass ([`super::refs`]), depth, element and attribute counts checked as
//! they grow (`TooComplex`). Not well-formed (which a browser would not
//! render either) is `SvgInvalid`.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::allow::{self, SVG_NS, XLINK_NS};
use super::refs::{self, BadRef};
use super::urls;
use crate::error::{ErrorKind, ImageError, Result};
use crate::format::DeclaredSize;

/// Nesting deeper than this is refused (libxml2's default limit too).
pub(super) const MAX_DEPTH: usize = 256;
/// Elements in one document: far more than any drawing a person or a
/// design tool makes, few enough for every viewer to render.
pub(super) const MAX_ELEMENTS: usize = 250_000;
/// Attributes on one element.
pub(super) const MAX_ATTRIBUTES: usize = 256;

/// Encodings whose bytes mean the same markup as UTF-8's: UTF-8 itself,
/// and labels browsers read as windows-1252, where every byte under 0x80
/// is ASCII. Any other declared encoding could make a browser read
/// different markup than was checked here.
const ENCODINGS: [&str; 6] = [
    "utf-8",
    "utf8",
    "us-ascii",
    "iso-8859-1",
    "latin1",
    "windows-1252",
];

/// Parses the whole document; `Ok` only for a well-formed SVG made of
/// listed parts.
pub(super) fn inspect(bytes: &[u8]) -> Result<DeclaredSize> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| invalid("the SVG is not valid UTF-8"))?;
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    // `--` inside a comment is not well-formed; browsers refuse it.
    config.check_comments = true;
    let mut walk = Walk::default();
    loop {
        let event = reader
            .read_event()
            .map_err(|e| invalid(format!("the SVG is not well-formed XML: {e}")))?;
        if matches!(event, Event::Eof) {
            break;
        }
        walk.event(event)?;
    }
    walk.finish()
}

#[derive(Default)]
struct Walk {
    /// Elements open now.
    depth: usize,
    /// Elements seen so far.
    elements: usize,
    /// Whether an event came already (the XML declaration must be first).
    started: bool,
    /// The root's declared size, once the root was opened.
    root: Option<DeclaredSize>,
    /// The text of the open `<style>` element, references decoded.
    style: Option<String>,
}

impl Walk {
    fn event(&mut self, event: Event<'_>) -> Result<()> {
        let first = !std::mem::replace(&mut self.started, true);
        match event {
            Event::Decl(decl) => {
                if !first {
                    return Err(invalid("the XML declaration must come first"));
                }
                if let Some(encoding) = decl.encoding() {
                    let encoding =
                        encoding.map_err(|e| invalid(format!("bad XML declaration: {e}")))?;
                    if !ENCODINGS.contains(&encoding.to_ascii_lowercase().as_str()) {
                        return Err(invalid(format!(
                            "the SVG declares the encoding `{}`; only UTF-8 is read",
                            shorten(&encoding)
                        )));
                    }
                }
            }
            Event::DocType(doctype) => {
                if self.root.is_some() {
                    return Err(invalid("the DOCTYPE must come before the root element"));
                }
                check_doctype(&doctype)?;
            }
            Event::PI(pi) => {
                return Err(unsafe_svg(format!(
                    "the SVG contains the processing instruction <?{}?> (e.g. an XSLT stylesheet)",
                    shorten(pi.target())
                )));
            }
            Event::Start(e) => {
                self.open(&e, true)?;
                self.depth += 1;
            }
            Event::Empty(e) => self.open(&e, false)?,
            Event::End(_) => {
                // quick-xml matched it to its start tag (`check_end_names`).
                self.depth = self.depth.saturating_sub(1);
                if let Some(css) = self.style.take() {
                    urls::check_css(&css).map_err(|m| unsafe_svg(format!("{m} (in <style>)")))?;
                }
            }
            Event::Text(text) => self.text(&text)?,
            Event::CData(text) => self.text(&text)?,
            Event::GeneralRef(reference) => {
                let c = refs::resolve(&reference).map_err(|BadRef(m)| invalid(m))?;
                self.text(c.encode_utf8(&mut [0; 4]))?;
            }
            Event::Comment(_) | Event::Eof => {}
        }
        Ok(())
    }

    /// Character data (references already decoded): only whitespace
    /// outside the root; kept when it is a stylesheet.
    fn text(&mut self, text: &str) -> Result<()> {
        if self.depth == 0 {
            if !text.bytes().all(|b| b.is_ascii_whitespace()) {
                return Err(invalid("the SVG has text outside its root element"));
            }
        } else if let Some(css) = &mut self.style {
            css.push_str(text);
        }
        Ok(())
    }

    fn open(&mut self, e: &BytesStart<'_>, has_content: bool) -> Result<()> {
        let name = e.name();
        let name = name.as_ref();
        if self.style.is_some() {
            return Err(unsafe_svg(format!(
                "the <style> element holds an element <{}>",
                shorten(name)
            )));
        }
        let is_root = self.depth == 0;
        if is_root && self.root.is_some() {
            return Err(invalid("the SVG has more than one root element"));
        }
        if is_root && name != "svg" {
            return Err(ImageError::new(
                ErrorKind::UnsupportedType,
                "the document's root element is not <svg>",
            ));
        }
        self.elements += 1;
        if self.elements > MAX_ELEMENTS {
            return Err(too_complex(format!(
                "the SVG has more than {MAX_ELEMENTS} elements"
            )));
        }
        if self.depth >= MAX_DEPTH {
            return Err(too_complex(format!(
                "the SVG nests elements more than {MAX_DEPTH} deep"
            )));
        }
        if name.contains(':') {
            return Err(unsafe_svg(format!(
                "the SVG contains <{}>, an element in another namespace than SVG's",
                shorten(name)
            )));
        }
        if !allow::element(name) {
            return Err(unsafe_svg(format!(
                "the SVG contains a <{}> element, which is not allowed",
                shorten(name)
            )));
        }
        let mut size = SizeAttributes::default();
        for (n, attr) in e.attributes().enumerate() {
            if n == MAX_ATTRIBUTES {
                return Err(too_complex(format!(
                    "<{name}> has more than {MAX_ATTRIBUTES} attributes"
                )));
            }
            let attr = attr.map_err(|err| invalid(format!("bad attribute on <{name}>: {err}")))?;
            let key = attr.key.as_ref();
            let value = refs::attribute(&attr.value).map_err(|BadRef(m)| {
                invalid(format!(
                    "in the attribute `{}` of <{name}>: {m}",
                    shorten(key)
                ))
            })?;
            check_attribute(name, key, &value)?;
            if is_root {
                size.read(key, &value);
            }
        }
        if is_root {
            self.root = Some(size.declared());
        }
        if name == "style" && has_content {
            self.style = Some(String::new());
        }
        Ok(())
    }

    fn finish(self) -> Result<DeclaredSize> {
        if self.depth != 0 {
            return Err(invalid("the SVG ends before its root element is closed"));
        }
        self.root
            .ok_or_else(|| invalid("the document has no <svg> element"))
    }
}

/// A bare `<!DOCTYPE svg>` is inert. An external identifier (`SYSTEM` or
/// `PUBLIC`) names a file other parsers fetch; an internal subset
/// declares entities ("billion laughs") or default attributes (which can
/// add an `onload` the element does not show).
fn check_doctype(content: &str) -> Result<()> {
    if content.contains('[') {
        return Err(unsafe_svg(
            "the SVG has a DOCTYPE with an internal subset (entity or attribute declarations)",
        ));
    }
    let mut words = content.split_ascii_whitespace();
    let name = words.next().unwrap_or("");
    if let Some(keyword) = words.next() {
        let rest = content.trim_start().get(name.len()..).unwrap_or("").trim();
        return Err(unsafe_svg(format!(
            "the SVG has a DOCTYPE with an external identifier ({keyword}: {})",
            shorten(rest)
        )));
    }
    if name != "svg" {
        return Err(unsafe_svg(format!(
            "the SVG has a DOCTYPE for `{}`",
            shorten(name)
        )));
    }
    Ok(())
}

/// One attribute, its value decoded: event handlers, namespaces and links
/// have rules of their own; everything else must be listed, and its value
/// is held to the CSS check (presentation attributes are CSS values).
fn check_attribute(element: &str, key: &str, value: &str) -> Result<()> {
    if key.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("on")) {
        return Err(unsafe_svg(format!(
            "the SVG has an event handler attribute `{}` on <{element}>",
            shorten(key)
        )));
    }
    let namespace = |allowed: &str| {
        if value == allowed {
            Ok(())
        } else {
            Err(unsafe_svg(format!(
                "<{element}> binds `{key}` to the namespace `{}`; only {allowed} is allowed",
                shorten(value)
            )))
        }
    };
    match key {
        // Inkscape declares `xmlns:svg` beside the default namespace; the
        // prefix is harmless (prefixed elements are refused anyway).
        "xmlns" | "xmlns:svg" => namespace(SVG_NS),
        "xmlns:xlink" => namespace(XLINK_NS),
        "href" | "xlink:href" => urls::check_href(element, value).map_err(unsafe_svg),
        _ if key.starts_with("xmlns:") => Err(unsafe_svg(format!(
            "<{element}> declares the namespace prefix `{}`; only SVG's and XLink's namespaces \
             are allowed",
            shorten(key)
        ))),
        _ if !allow::attribute(key) => Err(unsafe_svg(format!(
            "the attribute `{}` on <{element}> is not allowed",
            shorten(key)
        ))),
        _ => urls::check_css(value)
            .map_err(|m| unsafe_svg(format!("{m} (in the attribute `{key}` of <{element}>)"))),
    }
}

/// The root's width, height and viewBox, as declared.
#[derive(Default)]
struct SizeAttributes {
    width: Option<u32>,
    height: Option<u32>,
    view_box: Option<(Option<u32>, Option<u32>)>,
}

impl SizeAttributes {
    fn read(&mut self, key: &str, value: &str) {
        match key {
            "width" => self.width = parse_length(value),
            "height" => self.height = parse_length(value),
            "viewBox" => {
                // Exactly four numbers; a fifth is looked at to tell.
                let nums: Vec<Option<f64>> = value
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|s| !s.is_empty())
                    .take(5)
                    .map(|s| s.parse().ok())
                    .collect();
                if let [Some(_), Some(_), Some(w), Some(h)] = nums[..] {
                    self.view_box = Some((to_px(w), to_px(h)));
                }
            }
            _ => {}
        }
    }

    /// Width and height from the root's attributes, else from its viewBox.
    fn declared(self) -> DeclaredSize {
        match (self.width, self.height, self.view_box) {
            (None, None, Some((width, height))) => DeclaredSize { width, height },
            (width, height, _) => DeclaredSize { width, height },
        }
    }
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

/// At most 60 characters of something the document says, for a message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

fn invalid(msg: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::SvgInvalid, msg)
}

fn unsafe_svg(msg: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::SvgUnsafe, msg)
}

fn too_complex(msg: impl Into<String>) -> ImageError {
    ImageError::new(ErrorKind::TooComplex, msg)
}
