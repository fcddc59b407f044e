//! The two places an SVG names another resource: `href` attributes and
//! CSS (`<style>`, `style="..."` and presentation attributes, which are
//! CSS values). An SVG kept by mediakit names nothing outside itself:
//! references are `#fragment`s into the same document, and the only
//! other URLs are `data:` raster images on `<image>`. So there is no
//! scheme list to get wrong: everything else is refused, and the message
//! says which scheme or construct was found.
//!
//! Both checks see the value as the browser will: `href` after the URL
//! parser's own clean-up (leading and trailing C0 controls and spaces
//! dropped, tabs and newlines removed anywhere, so `java\tscript:` is
//! `javascript:`), CSS after its escapes are decoded (`\75 rl(` is
//! `url(`). All passes are linear.

/// Raster types an `<image>` may embed as a `data:` URL. Not SVG: a
/// nested document would need this whole check again.
const DATA_IMAGE_TYPES: [&str; 4] = ["png", "jpeg", "gif", "webp"];

/// Checks an `href` (or `xlink:href`) of `element`; the error names what
/// was found.
pub(super) fn check_href(element: &str, value: &str) -> Result<(), String> {
    let url = as_url_parser_sees(value);
    if element == "image" {
        if is_data_image(&url) {
            return Ok(());
        }
        return Err(format!(
            "an <image> may only embed a data:image/(png|jpeg|gif|webp) URL; its href is {}",
            describe(&url)
        ));
    }
    if url.is_empty() || url.starts_with('#') {
        return Ok(());
    }
    Err(format!(
        "the href of <{element}> may only be a #fragment of the same document; it is {}",
        describe(&url)
    ))
}

/// What a URL is, for a message: its scheme when it has one.
fn describe(url: &str) -> String {
    match scheme(url) {
        Some(s) => format!("a `{s}:` URL"),
        None => {
            let shown: String = url.chars().take(40).collect();
            format!("`{shown}`")
        }
    }
}

/// The scheme of an absolute URL, lowercased: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":".
fn scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok && scheme.len() <= 32).then(|| scheme.to_ascii_lowercase())
}

/// The WHATWG URL parser's first steps: strip leading and trailing C0
/// control or space, remove every ASCII tab or newline.
fn as_url_parser_sees(value: &str) -> String {
    value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// `data:image/<listed type>[;params],...` (case-insensitive, as in browsers).
fn is_data_image(url: &str) -> bool {
    let Some((header, _data)) = url.split_once(',') else {
        return false;
    };
    let header = header.to_ascii_lowercase();
    let Some(media_type) = header.strip_prefix("data:image/") else {
        return false;
    };
    let subtype = media_type.split(';').next().unwrap_or("").trim();
    DATA_IMAGE_TYPES.contains(&subtype)
}

/// Constructs that load or run something, in CSS with escapes decoded,
/// whitespace removed and ASCII lowercased. `url(` is handled apart: it
/// is allowed when it points at a `#fragment`.
const CSS_REFUSED: [(&str, &str); 10] = [
    ("@import", "an @import rule"),
    ("expression(", "a CSS expression()"),
    ("javascript:", "a javascript: URL"),
    ("vbscript:", "a vbscript: URL"),
    // Inert outside href (animation, which could move it there, is
    // refused), but never part of a legitimate value: refused anywhere.
    ("data:text/html", "a data:text/html URL"),
    ("-moz-binding", "a -moz-binding"),
    ("behavior:", "a behavior: property"),
    ("image-set(", "an image-set() (it loads URLs)"),
    ("image(", "an image() (it loads URLs)"),
    ("src(", "a src() (it loads URLs)"),
];

/// Checks CSS (a stylesheet, a `style` attribute or a presentation
/// attribute's value); the error names what was found.
pub(super) fn check_css(css: &str) -> Result<(), String> {
    let css = css_as_tokenizer_sees(css);
    for (needle, what) in CSS_REFUSED {
        if css.contains(needle) {
            return Err(format!("the SVG's CSS holds {what}"));
        }
    }
    for (i, _) in css.match_indices("url(") {
        let arg = css[i + 4..].trim_start_matches(['"', '\'']);
        if !arg.starts_with('#') {
            let shown: String = arg.chars().take_while(|&c| c != ')').take(40).collect();
            return Err(format!(
                "the SVG's CSS loads url({shown}); only url(#fragment) is allowed"
            ));
        }
    }
    Ok(())
}

/// CSS with escapes decoded (`\75` + one optional whitespace, or `\` +
/// any other character standing for itself), whitespace and control
/// characters dropped and ASCII lowercased: no way of spelling `url(` or
/// `@import` survives as something else. Conservative, never exact: it
/// may join what CSS keeps apart, so it can only refuse more.
fn css_as_tokenizer_sees(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    while let Some(c) = chars.next() {
        let c = if c == '\\' {
            let mut value = 0u32;
            let mut digits = 0;
            while digits < 6 {
                match chars.peek().and_then(|d| d.to_digit(16)) {
                    Some(d) => {
                        value = value * 16 + d;
                        digits += 1;
                        chars.next();
                    }
                    None => break,
                }
            }
            if digits > 0 {
                if chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                char::from_u32(value)
                    .filter(|&c| c != '\0')
                    .unwrap_or('\u{FFFD}')
            } else {
                match chars.next() {
                    Some(escaped) => escaped,
                    None => break,
                }
            }
        } else {
            c
        };
        if !c.is_whitespace() && !c.is_control() {
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_point_into_the_document() {
        for ok in ["#a", "", " #a ", "\t#a"] {
            assert_eq!(check_href("use", ok), Ok(()), "{ok:?}");
        }
        let png = "data:image/png;base64,iVBORw0KGgo=";
        assert_eq!(check_href("image", png), Ok(()));
        assert_eq!(check_href("image", "DATA:Image/JPEG,xx"), Ok(()));
        assert_eq!(
            check_href("image", " data:image/webp;base64,\nAAAA"),
            Ok(())
        );
        let cases = [
            ("a", "javascript:alert(1)", "`javascript:`"),
            ("a", "java\tscript:alert(1)", "`javascript:`"),
            ("a", "\u{1}JaVaScRiPt:alert(1)", "`javascript:`"),
            ("a", "https://evil.example/", "`https:`"),
            ("use", "other.svg#a", "`other.svg#a`"),
            ("use", "//evil.example/x.svg#a", "`//evil.example/x.svg#a`"),
            ("image", "https://evil.example/x.png", "`https:`"),
            ("image", "data:image/svg+xml;base64,PHN2Zz4=", "`data:`"),
            ("image", "data:text/html,<script>", "`data:`"),
            ("image", "#a", "`#a`"),
            ("a", "data:image/png;base64,AAAA", "`data:`"),
        ];
        for (element, href, named) in cases {
            let err = check_href(element, href).unwrap_err();
            assert!(err.contains(named), "{href:?}: {err}");
        }
    }

    #[test]
    fn css_may_only_reference_fragments() {
        for ok in [
            "fill:url(#g)",
            "fill: url( \"#g\" ); stroke:url('#h')",
            ".a{fill:#fff;font-family:'Noto Sans'}",
            "",
        ] {
            assert_eq!(check_css(ok), Ok(()), "{ok:?}");
        }
        let cases = [
            (
                "fill:url(https://evil.example/x)",
                "url(https://evil.example/x",
            ),
            ("fill:URL( //evil.example/x )", "url(//evil.example/x"),
            ("fill:\\75 rl(https://e.example)", "url(https://e.example"),
            ("fill:u\\rl(x.png)", "url(x.png"),
            ("@import 'x.css';", "@import"),
            ("@\\69mport url(x.css);", "@import"),
            ("@IMPORT url(x.css);", "@import"),
            ("width:expression(alert(1))", "expression()"),
            ("background:java\nscript:alert(1)", "javascript:"),
            ("data:TEXT/ html,<p>", "data:text/html"),
            ("background-image:image-set('x.png' 1x)", "image-set()"),
            ("@font-face{font-family:x;src:url(x.woff)}", "url(x.woff"),
        ];
        for (css, named) in cases {
            let err = check_css(css).unwrap_err();
            assert!(err.contains(named), "{css:?}: {err}");
        }
    }

    #[test]
    fn css_escapes_decode_like_the_tokenizer() {
        assert_eq!(css_as_tokenizer_sees("\\75 rl"), "url");
        assert_eq!(css_as_tokenizer_sees("\\000075rl"), "url");
        assert_eq!(css_as_tokenizer_sees("\\0"), "\u{FFFD}");
        assert_eq!(css_as_tokenizer_sees("a\\"), "a");
        assert_eq!(css_as_tokenizer_sees(" A b\t"), "ab");
    }
}
