//! The SVG policy, rule by rule: each refusal names what it found.

use super::policy::{MAX_ATTRIBUTES, MAX_DEPTH, MAX_ELEMENTS, inspect};
use crate::error::ErrorKind;
use crate::format::DeclaredSize;

/// The kind and message of a refusal; panics when the SVG is accepted.
fn refusal(svg: &str) -> (ErrorKind, String) {
    match inspect(svg.as_bytes()) {
        Ok(size) => panic!("accepted ({size:?}): {svg}"),
        Err(e) => (e.kind, e.message),
    }
}

/// Asserts a refusal of this kind whose message names `named`.
fn refused(kind: ErrorKind, named: &str, svg: &str) {
    let (got, message) = refusal(svg);
    assert_eq!(got, kind, "{svg}: {message}");
    assert!(
        message.contains(named),
        "{svg}: `{message}` does not name {named:?}"
    );
}

/// What an export from a design tool (after svgo) looks like: XML
/// declaration, comments, a bare DOCTYPE, both namespaces, a CDATA
/// stylesheet, gradients, patterns, clipping, masks, markers, filters,
/// text on a path, `use` and `xlink:href` fragment links, an embedded PNG.
const BENIGN: &str = r##"<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Generator: a design tool -->
<!DOCTYPE svg>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:svg="http://www.w3.org/2000/svg" version="1.1" id="Layer_1" x="0px" y="0px" width="240" height="160"
     viewBox="0 0 240 160" xml:space="preserve" style="enable-background:new 0 0 240 160;"
     role="img" aria-labelledby="t">
  <title id="t">Sunrise &amp; sea &#x2014; a test drawing</title>
  <desc>Gradients, text and reuse; &lt;nothing&gt; active.</desc>
  <metadata>made for mediakit's tests</metadata>
  <style type="text/css"><![CDATA[
    .st0 { fill: url(#sky); stroke: #1a202c; stroke-width: 2 }
    .st1 { font-family: 'Noto Sans', sans-serif; font-size: 14px; fill: url("#sun") }
    @media (prefers-color-scheme: dark) { .st0 { opacity: .8 } }
  ]]></style>
  <defs>
    <linearGradient id="sky" x1="0" y1="0" x2="0" y2="1" gradientUnits="objectBoundingBox">
      <stop offset="0" stop-color="#2b6cb0"/>
      <stop offset="1" style="stop-color:#bee3f8;stop-opacity:1"/>
    </linearGradient>
    <radialGradient id="sun" cx="50%" cy="50%" r="50%" xlink:href="#sky" spreadMethod="pad">
      <stop offset="0" stop-color="#fbd38d"/>
      <stop offset="1" stop-color="#dd6b20"/>
    </radialGradient>
    <pattern id="waves" width="8" height="8" patternUnits="userSpaceOnUse">
      <path d="M0 4 Q2 0 4 4 T8 4" fill="none" stroke="#fff"/>
    </pattern>
    <clipPath id="frame" clipPathUnits="userSpaceOnUse"><rect width="240" height="160" rx="12"/></clipPath>
    <mask id="fade"><rect width="240" height="160" fill="url(#sky)"/></mask>
    <marker id="arrow" markerWidth="6" markerHeight="6" refX="3" refY="3" orient="auto">
      <polygon points="0,0 6,3 0,6"/>
    </marker>
    <filter id="glow" x="-20%" y="-20%" width="140%" height="140%" color-interpolation-filters="sRGB">
      <feGaussianBlur in="SourceGraphic" stdDeviation="3" result="blur"/>
      <feColorMatrix in="blur" type="matrix" values="1 0 0 0 0  0 1 0 0 0  0 0 1 0 0  0 0 0 1 0"/>
      <feMerge><feMergeNode in="blur"/><feMergeNode in="SourceGraphic"/></feMerge>
    </filter>
    <symbol id="bird" viewBox="0 0 10 4"><path d="M0 4 L5 0 L10 4" fill="none" stroke="#000"/></symbol>
    <path id="curve" d="M20 120 C80 60 160 60 220 120"/>
  </defs>
  <g clip-path="url(#frame)" data-name="Background">
    <rect class="st0" width="240" height="160"/>
    <rect y="120" width="240" height="40" fill="url(#waves)" mask="url(#fade)"/>
    <circle cx="120" cy="110" r="30" fill="url(#sun)" filter="url(#glow)"/>
    <ellipse cx="60" cy="40" rx="20" ry="6" fill="#fff" fill-opacity=".7"/>
    <line x1="10" y1="150" x2="60" y2="140" stroke="#fff" marker-end="url(#arrow)"/>
    <polyline points="180,30 190,35 200,30" fill="none" stroke="#000"/>
    <use href="#bird" x="150" y="20" width="20" height="8"/>
    <use xlink:href="#bird" x="170" y="30" width="14" height="6" transform="rotate(-5 170 30)"/>
    <image x="4" y="4" width="1" height="1" href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="/>
    <switch><text systemLanguage="fr" x="8" y="20" class="st1">Bonjour</text><text x="8" y="20" class="st1">Hello</text></switch>
    <text class="st1"><textPath href="#curve" startOffset="10%">Along <tspan font-weight="bold" dy="-2">the</tspan> curve</textPath></text>
    <a href="#t"><text x="200" y="150" text-anchor="end">&#169; 2025</text></a>
  </g>
</svg>
"##;

#[test]
fn accepts_real_drawings_and_reads_their_size() {
    let size = |svg: &[u8]| inspect(svg).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        size(BENIGN.as_bytes()),
        DeclaredSize {
            width: Some(240),
            height: Some(160)
        }
    );
    let logo = include_bytes!("../../../../tests/fixtures/logo.svg");
    assert_eq!(
        size(logo),
        DeclaredSize {
            width: Some(120),
            height: Some(80)
        }
    );
    let vb = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64.4 32"><style>rect{fill:red}</style><rect width="1" height="1"/></svg>"#;
    assert_eq!(
        size(vb.as_bytes()),
        DeclaredSize {
            width: Some(64),
            height: Some(32)
        }
    );
    let pct =
        r##"<svg width="100%" height="50%"><a href="#x"><text>hi &amp; bye</text></a></svg>"##;
    assert_eq!(size(pct.as_bytes()), DeclaredSize::default());
    // A BOM, and a long value full of (valid) references, are fine.
    assert!(inspect(b"\xEF\xBB\xBF<svg/>").is_ok());
    let amps = format!("<svg><g id=\"{}\"/></svg>", "&amp;".repeat(200_000));
    assert!(inspect(amps.as_bytes()).is_ok());
}

#[test]
fn entities_are_decoded_before_any_check() {
    let padded = r#"<svg><a href="&#00000000106;avascript:alert(1)"><text>x</text></a></svg>"#;
    refused(ErrorKind::SvgUnsafe, "`javascript:`", padded);
    refused(
        ErrorKind::SvgUnsafe,
        "`javascript:`",
        "<svg><a href='&#x6a;ava&#9;script:alert(1)'/></svg>",
    );
    // A literal tab is normalised to a space by the XML parser (which
    // the URL parser keeps): not a scheme, but not a fragment either.
    refused(
        ErrorKind::SvgUnsafe,
        "`JaVa ScRiPt:alert(1)`",
        "<svg><a xlink:href=' JaVa\tScRiPt:alert(1)'/></svg>",
    );
    refused(
        ErrorKind::SvgUnsafe,
        "@import",
        "<svg><style>&#64;import url(#x);</style></svg>",
    );
    refused(
        ErrorKind::SvgUnsafe,
        "url(https",
        "<svg><rect style='fill:u&#114;l(https://evil.example/x)'/></svg>",
    );
}

#[test]
fn malformed_references_are_invalid_at_once() {
    // 1 MiB of `&` in one attribute: refused at the first one (this took
    // 53 s with the old quadratic decoding and was accepted).
    let flood = format!("<svg><g id=\"{}\"/></svg>", "&".repeat(1 << 20));
    refused(ErrorKind::SvgInvalid, "well-formed reference", &flood);
    let text_flood = format!("<svg><text>{}</text></svg>", "&".repeat(1 << 20));
    assert_eq!(refusal(&text_flood).0, ErrorKind::SvgInvalid);
    refused(
        ErrorKind::SvgInvalid,
        "&nbsp;",
        "<svg><text>&nbsp;</text></svg>",
    );
    refused(
        ErrorKind::SvgInvalid,
        "&nbsp;",
        "<svg><g id='&nbsp;'/></svg>",
    );
    refused(ErrorKind::SvgInvalid, "&#0;", "<svg><g id='&#0;'/></svg>");
    refused(ErrorKind::SvgInvalid, "`<`", "<svg><g id='a<b'/></svg>");
    assert_eq!(
        refusal("<svg><text>&#X6A;</text></svg>").0,
        ErrorKind::SvgInvalid
    );
}

#[test]
fn external_references_are_refused() {
    let cases = [
        (
            "`https:`",
            r#"<svg><image href="https://evil.example/x.png"/></svg>"#,
        ),
        (
            "`http:`",
            r#"<svg><image xlink:href="http://evil.example/x.png"/></svg>"#,
        ),
        (
            "`data:`",
            r#"<svg><image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>"#,
        ),
        ("`other.svg#a`", r#"<svg><use href="other.svg#a"/></svg>"#),
        (
            "`https:`",
            r#"<svg><a href="https://example.com/x"><text>x</text></a></svg>"#,
        ),
        (
            "url(https://evil.example",
            r#"<svg><rect style="fill:url(https://evil.example/x)"/></svg>"#,
        ),
        (
            "url(//evil.example",
            r#"<svg><rect fill="url(//evil.example/p.svg#g)"/></svg>"#,
        ),
        (
            "url(x.cur",
            r#"<svg><rect cursor="url(x.cur),auto"/></svg>"#,
        ),
        (
            "@import",
            "<svg><style>@import url(//evil.example/x.css);</style></svg>",
        ),
        ("@import", r"<svg><style>@\69mport 'x.css';</style></svg>"),
        (
            "@import",
            "<svg><style><![CDATA[@import 'x.css';]]></style></svg>",
        ),
        (
            "url(https://e.example",
            r"<svg><style>a{fill:\75 rl(https://e.example/)}</style></svg>",
        ),
        (
            "expression()",
            "<svg><rect style='width:expression(alert(1))'/></svg>",
        ),
        (
            "javascript:",
            "<svg><rect style='background:url(javascript:alert(1))'/></svg>",
        ),
    ];
    for (named, svg) in cases {
        refused(ErrorKind::SvgUnsafe, named, svg);
    }
}

#[test]
fn active_content_is_refused_by_name() {
    let fixture = include_bytes!("../../../../tests/fixtures/script.svg");
    let err = inspect(fixture).unwrap_err();
    assert_eq!(err.kind, ErrorKind::SvgUnsafe);
    assert!(err.message.contains("<script>"), "{}", err.message);
    let cases = [
        ("<script>", "<svg><script>alert(1)</script></svg>"),
        ("<SCRIPT>", "<svg><SCRIPT>alert(1)</SCRIPT></svg>"),
        ("`xmlns:s`", "<svg xmlns:s='x'><s:script>1</s:script></svg>"),
        ("<s:script>", "<svg><s:script>1</s:script></svg>"),
        (
            "<foreignObject>",
            "<svg><foreignObject><div/></foreignObject></svg>",
        ),
        (
            "<animate>",
            "<svg><animate attributeName='href' to='javascript:alert(1)'/></svg>",
        ),
        (
            "<set>",
            "<svg><set attributeName='onmouseover' to='alert(1)'/></svg>",
        ),
        ("<iframe>", "<svg><iframe/></svg>"),
        (
            "<feImage>",
            "<svg><filter><feImage href='#a'/></filter></svg>",
        ),
        ("`onload`", "<svg onload='alert(1)'/>"),
        ("`ONCLICK`", "<svg><rect ONCLICK='alert(1)'/></svg>"),
        ("`onbegin`", "<svg><g onbegin='alert(1)'/></svg>"),
        (
            "`xmlns:h`",
            "<svg xmlns:h='http://www.w3.org/1999/xhtml'><g/></svg>",
        ),
        (
            "`xmlns:svg`",
            "<svg xmlns:svg='http://www.w3.org/1999/xhtml'><g/></svg>",
        ),
        (
            "`xmlns:xlink`",
            "<svg xmlns:xlink='http://www.w3.org/1999/xhtml'><g/></svg>",
        ),
        (
            "<svg:rect>",
            "<svg xmlns:svg='http://www.w3.org/2000/svg'><svg:rect/></svg>",
        ),
        ("<h:img>", "<svg><h:img src='x'/></svg>"),
        (
            "http://www.w3.org/1999/xhtml",
            "<svg><g xmlns='http://www.w3.org/1999/xhtml'/></svg>",
        ),
        ("`src`", "<svg><g src='x'/></svg>"),
        (
            "`xml:base`",
            "<svg xml:base='https://evil.example/'><g/></svg>",
        ),
        ("`viewbox`", "<svg viewbox='0 0 1 1'/>"),
        (
            "<?xml-stylesheet?>",
            "<?xml version='1.0'?><?xml-stylesheet href='x.xsl'?><svg/>",
        ),
        ("<div>", "<svg><style>a{}<div/></style></svg>"),
    ];
    for (named, svg) in cases {
        refused(ErrorKind::SvgUnsafe, named, svg);
    }
}

#[test]
fn doctypes_may_not_declare_or_fetch() {
    refused(
        ErrorKind::SvgUnsafe,
        "SYSTEM",
        r#"<!DOCTYPE svg SYSTEM "https://evil.example/x.dtd"><svg/>"#,
    );
    refused(
        ErrorKind::SvgUnsafe,
        "PUBLIC",
        r#"<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>"#,
    );
    let laughs = r#"<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><svg><text>&b;</text></svg>"#;
    refused(ErrorKind::SvgUnsafe, "internal subset", laughs);
    refused(
        ErrorKind::SvgUnsafe,
        "internal subset",
        r#"<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]><svg/>"#,
    );
    refused(ErrorKind::SvgUnsafe, "`html`", "<!DOCTYPE html><svg/>");
    assert!(inspect(b"<!DOCTYPE svg><svg/>").is_ok());
    // Sniffed as SVG despite the `>`s of their subsets, so that the answer
    // says why (unsafe), not that the type is unknown.
    assert!(super::looks_like_svg(laughs.as_bytes()));
    assert!(super::looks_like_svg(
        b"<!DOCTYPE svg [ <!ATTLIST svg x CDATA 'a>'> ] ><svg/>"
    ));
    assert!(!super::looks_like_svg(
        b"<!DOCTYPE svg [ <!ENTITY a 'b'> <svg/>"
    ));
}

#[test]
fn size_and_nesting_are_bounded() {
    let deep = format!(
        "<svg>{}{}</svg>",
        "<g>".repeat(MAX_DEPTH),
        "</g>".repeat(MAX_DEPTH)
    );
    refused(ErrorKind::TooComplex, "deep", &deep);
    let ok = MAX_DEPTH - 1;
    let fits = format!("<svg>{}{}</svg>", "<g>".repeat(ok), "</g>".repeat(ok));
    assert!(inspect(fits.as_bytes()).is_ok());
    let many = format!("<svg>{}</svg>", "<g/>".repeat(MAX_ELEMENTS));
    refused(ErrorKind::TooComplex, "elements", &many);
    let attrs: String = (0..=MAX_ATTRIBUTES)
        .map(|i| format!(" data-a{i}='1'"))
        .collect();
    refused(
        ErrorKind::TooComplex,
        "attributes",
        &format!("<svg><g{attrs}/></svg>"),
    );
}

#[test]
fn broken_documents_are_invalid() {
    for svg in [
        "<svg><g></svg>",
        "<svg>",
        "<svg/><svg/>",
        "<svg/>text",
        "<svg><!-- a -- b --></svg>",
        "<svg x='1' x='2'/>",
        " <?xml version='1.0'?><svg/>",
        "<?xml version='1.0' encoding='UTF-16'?><svg/>",
        "<?xml version='1.0' encoding='shift_jis'?><svg/>",
    ] {
        assert_eq!(refusal(svg).0, ErrorKind::SvgInvalid, "{svg}");
    }
    assert_eq!(refusal("<html/>").0, ErrorKind::UnsupportedType);
    assert_eq!(
        inspect(b"<svg>\xff\xfe</svg>").unwrap_err().kind,
        ErrorKind::SvgInvalid
    );
    assert!(inspect(b"<?xml version='1.0' encoding='iso-8859-1'?><svg/>").is_ok());
}
